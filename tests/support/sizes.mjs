// What a browser downloads, gzip -9: the npm package's browser entry and the standalone
// site. One measure for the size budget test and the benchmarks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../..", import.meta.url));
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** `import "arcgis-keys"` in a browser: the wasm, and the glue with its snippets. */
export function packageSizes() {
  const web = join(root, "dist/web");
  const glueSource = readFileSync(join(web, "arcgis_keys_web.js"), "utf8");
  const snippets = [...glueSource.matchAll(/from '\.\/(snippets\/[^']+)'/g)].map((m) => m[1]);
  const glue = ["index.js", "arcgis_keys_web.js", ...new Set(snippets)].reduce((sum, f) => sum + gz(join(web, f)), 0);
  return { wasm: gz(join(web, "arcgis_keys_web_bg.wasm")), glue };
}

/** Each file of the standalone site (`www/dist`), sorted by name. */
export function siteSizes(site = join(root, "www/dist")) {
  const files = readdirSync(site, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(join(site, f)).isFile())
    .sort();
  return files.map((file) => ({ file, bytes: gz(join(site, file)) }));
}
