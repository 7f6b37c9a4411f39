#!/usr/bin/env bash
# npm run build: the npm package (dist/), the standalone manager (www/dist) and the
# emulator binary.
#
# The package: cargo builds the wasm, wasm-bindgen (the CLI pinned to the crate's
# version, installed by setup.sh) writes the glue for browsers (`web`) and for Node
# (`experimental-nodejs-module`), and wasm-opt from npm's binaryen shrinks each module.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet -p arcgis-portal-emulator

cargo build --quiet --release --target wasm32-unknown-unknown -p arcgis-keys-web
wasm=target/wasm32-unknown-unknown/release/arcgis_keys_web.wasm
rm -rf dist
for target in web node; do
  case "$target" in
    web) bindgen_target=web ;;
    node) bindgen_target=experimental-nodejs-module ;;
  esac
  wasm-bindgen --target "$bindgen_target" --out-dir "dist/$target" --remove-producers-section "$wasm"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "dist/$target/arcgis_keys_web_bg.wasm" -o "dist/$target/arcgis_keys_web_bg.wasm"
  rm -f "dist/$target/package.json" "dist/$target/arcgis_keys_web_bg.wasm.d.ts"
done
cp crates/web/js/web-entry.js dist/web/index.js
# One declaration file for both entries: the Node glue's, which has no init plumbing.
# wasm-bindgen declares each re-exported error class as `export let X: unknown;`; the
# real class declarations come from crates/web/src/errors.rs, so those lines go.
grep -vE '^export let [A-Za-z]+Error: unknown;$' dist/node/arcgis_keys_web.d.ts > dist/index.d.ts
if [ "$(grep -c '^export class [A-Za-z]*Error extends' dist/index.d.ts)" != 5 ]; then
  echo "build: dist/index.d.ts should declare the 5 error classes" >&2
  exit 1
fi
# The glue's own declarations are not shipped (dist/index.d.ts is the API); they are
# kept in target/js-types for `tsc -p .`, which checks the shipped JS against them.
mkdir -p target/js-types
mv dist/web/arcgis_keys_web.d.ts target/js-types/
rm dist/node/arcgis_keys_web.d.ts
mkdir -p dist/cli
cp crates/web/cli/*.mjs dist/cli/
mkdir -p dist/cli/commands
cp crates/web/cli/commands/*.mjs dist/cli/commands/
chmod +x dist/cli/arcgis-keys.mjs

# The widget, `arcgis-keys/widget`: the custom element (crates/widget/js/element.js)
# over the widget's wasm (web target), with its style sheet as a module.
cargo build --quiet --release --target wasm32-unknown-unknown -p arcgis-keys-widget
wasm-bindgen --target web --out-dir dist/widget --remove-producers-section \
  target/wasm32-unknown-unknown/release/arcgis_keys_widget.wasm
mv dist/widget/arcgis_keys_widget.d.ts target/js-types/
rm -f dist/widget/arcgis_keys_widget_bg.wasm.d.ts
echo 'declare const css: string; export default css;' > target/js-types/styles.d.ts
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  dist/widget/arcgis_keys_widget_bg.wasm -o dist/widget/arcgis_keys_widget_bg.wasm
rm -f dist/widget/package.json
cp crates/widget/js/element.js dist/widget/index.js
cp crates/widget/js/element.d.ts dist/widget/index.d.ts
# The Custom Elements Manifest, from the element's JSDoc; the analyzer also (re)writes
# package.json `customElements`, to the same path.
node_modules/.bin/cem analyze --quiet --globs dist/widget/index.js --outdir dist/widget
node -e 'const fs = require("fs"); fs.writeFileSync("dist/widget/styles.js", "export default " + JSON.stringify(fs.readFileSync("crates/widget/style/widget.css", "utf8")) + ";\n")'

# The standalone manager: a page with the element on it.
rm -rf www/dist
mkdir -p www/dist
cp -r dist/widget www/dist/widget
rm www/dist/widget/index.d.ts www/dist/widget/custom-elements.json
cp www/index.html www/main.js www/styles.css www/favicon.svg www/dist/
