#!/usr/bin/env bash
# npm run build: the npm package (dist/), the standalone manager (www/dist) and the
# emulator binary.
#
# The package: cargo builds the wasm, wasm-bindgen (the CLI pinned to the crate's
# version, installed by setup.sh) writes the glue for browsers (`web`) and for Node
# (`experimental-nodejs-module`), and wasm-opt from npm's binaryen shrinks each module
# (its output kept in target/wasm-opt-cache by its input's hash, so an unchanged module
# is not optimized twice). Everything is built in target/staging and moved into place at
# the end, so a test, a benchmark or a server reading dist/ or www/dist meanwhile keeps
# the previous build whole. The inputs' hash is written last (target/build-inputs.sha256):
# `npm start` skips the build while it matches.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1mbuild:\033[0m %s\n' "$*"; }
rm -f target/build-inputs.sha256

say "compiling the emulator"
cargo build --quiet -p arcgis-portal-emulator

staging=target/staging
rm -rf "$staging"
mkdir -p "$staging/dist" "$staging/www-dist" target/js-types target/wasm-opt-cache
out="$staging/dist"

# wasm-opt -Oz FILE in place, or its cached output for the same input.
optimize() {
  local key cached
  key=$(sha256sum "$1" | cut -d' ' -f1)
  cached="target/wasm-opt-cache/$key.wasm"
  if [ ! -f "$cached" ]; then
    node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$1" -o "$cached.tmp"
    mv "$cached.tmp" "$cached"
  fi
  cp "$cached" "$1"
}

wasm=target/wasm32-unknown-unknown/release/arcgis_keys_web.wasm
for target in web node; do
  # The Node entry, which the command line runs, adds `doctor` (22 KB gzip that a
  # browser page would download for a diagnostic); cargo keeps both builds cached.
  case "$target" in
    web) bindgen_target=web features=() ;;
    node) bindgen_target=experimental-nodejs-module features=(--features doctor) ;;
  esac
  say "compiling the package's wasm for $target (release)"
  cargo build --quiet --release --target wasm32-unknown-unknown -p arcgis-keys-web "${features[@]}"
  say "binding and shrinking the package for $target"
  wasm-bindgen --target "$bindgen_target" --out-dir "$out/$target" --remove-producers-section "$wasm"
  optimize "$out/$target/arcgis_keys_web_bg.wasm"
  rm -f "$out/$target/package.json" "$out/$target/arcgis_keys_web_bg.wasm.d.ts"
done
cp crates/web/js/web-entry.js "$out/web/index.js"
# One declaration file for both entries: the Node glue's, which has no init plumbing.
# wasm-bindgen declares each re-exported error class as `export let X: unknown;`; the
# real class declarations come from crates/web/src/errors.rs, so those lines go.
grep -vE '^export let [A-Za-z]+Error: unknown;$' "$out/node/arcgis_keys_web.d.ts" > "$out/index.d.ts"
if [ "$(grep -c '^export class [A-Za-z]*Error extends' "$out/index.d.ts")" != 5 ]; then
  echo "build: dist/index.d.ts should declare the 5 error classes" >&2
  exit 1
fi
# The glue's own declarations are not shipped (dist/index.d.ts is the API); they are
# kept in target/js-types for `tsc -p .`, which checks the shipped JS against them.
mv "$out/web/arcgis_keys_web.d.ts" target/js-types/
rm "$out/node/arcgis_keys_web.d.ts"
mkdir -p "$out/cli/commands"
cp crates/web/cli/*.mjs "$out/cli/"
cp crates/web/cli/commands/*.mjs "$out/cli/commands/"
chmod +x "$out/cli/arcgis-keys.mjs"

# The widget, `arcgis-keys/widget`: the custom element (crates/widget/js/element.js)
# over the widget's wasm (web target), with its style sheet as a module.
say "compiling the widget's wasm (release)"
cargo build --quiet --release --target wasm32-unknown-unknown -p arcgis-keys-widget
say "binding and shrinking the widget"
wasm-bindgen --target web --out-dir "$out/widget" --remove-producers-section \
  target/wasm32-unknown-unknown/release/arcgis_keys_widget.wasm
mv "$out/widget/arcgis_keys_widget.d.ts" target/js-types/
rm -f "$out/widget/arcgis_keys_widget_bg.wasm.d.ts"
echo 'declare const css: string; export default css;' > target/js-types/styles.d.ts
optimize "$out/widget/arcgis_keys_widget_bg.wasm"
rm -f "$out/widget/package.json"
cp crates/widget/js/element.js "$out/widget/index.js"
cp crates/widget/js/element.d.ts "$out/widget/index.d.ts"
# The Custom Elements Manifest, from the element's JSDoc (run from the staging folder, so
# that its paths read `dist/widget/…` and package.json's `customElements` stays as it is).
say "writing the custom elements manifest"
# (It says it could not add that property there: nothing to add, so that line goes.)
(cd "$staging" && ../../node_modules/.bin/cem analyze --quiet --globs dist/widget/index.js --outdir dist/widget) 2>&1 |
  { grep -vE "customElements' property|Adding this property|custom-elements-manifest$" || true; }
node -e 'const fs = require("fs"); fs.writeFileSync(process.argv[1], "export default " + JSON.stringify(fs.readFileSync("crates/widget/style/widget.css", "utf8")) + ";\n")' "$out/widget/styles.js"

# The standalone manager: a page with the element on it.
site="$staging/www-dist"
cp -r "$out/widget" "$site/widget"
rm "$site/widget/index.d.ts" "$site/widget/custom-elements.json"
cp www/index.html www/main.js www/styles.css www/favicon.svg "$site/"

# Into place: each folder is renamed over, never emptied while it is being read.
say "moving the build into place"
swap() {
  rm -rf "$2.old"
  if [ -e "$2" ]; then mv "$2" "$2.old"; fi
  mv "$1" "$2"
  rm -rf "$2.old"
}
swap "$out" dist
swap "$site" www/dist
bash scripts/inputs-hash.sh > target/build-inputs.sha256
say "done"
