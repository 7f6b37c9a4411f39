// The package as users get it: `npm pack`, installed into an empty project, runs the
// Node example and the `arcgis-keys` command; its public types pass `tsc --strict` on
// every example and hold no `any`.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let project;
let emulator;

before(async () => {
  project = mkdtempSync(join(tmpdir(), "arcgis-keys-consumer-"));
  emulator = await startEmulator();
});

after(async () => {
  await emulator?.stop();
  rmSync(project, { recursive: true, force: true });
});

test("npm pack installs into an empty project, and the Node example rotates a key with it", async () => {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", project], { cwd: root, encoding: "utf8" }));
  const files = packed.files.map((f) => f.path);
  assert.ok(files.includes("dist/node/arcgis_keys_web_bg.wasm") && files.includes("dist/web/index.js"), files.join());
  assert.ok(files.includes("dist/widget/custom-elements.json") && files.includes("dist/cli/arcgis-keys.mjs"), files.join());
  assert.ok(
    files.every((f) => f === "package.json" || f === "README.md" || f.startsWith("dist/")),
    `only the package: ${files}`,
  );

  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(project, packed.filename)], {
    cwd: project,
  });
  copyFileSync(join(root, "examples/node/rotate.mjs"), join(project, "rotate.mjs"));

  // A credential with a live key in slot 1, as the example expects.
  const created = await fetchJson("/generateToken", {
    username: "jsmith",
    password: DEMO_PASSWORD,
    client: "referer",
    referer: "http://localhost",
  });
  const token = created.token;
  const search = await fetchJson("/search", { q: 'owner:"jsmith" AND title:"Storefront locator"', token });
  const id = search.results[0].id;

  const run = spawnSync(process.execPath, ["rotate.mjs", id, "--days", "30", "--yes"], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, ARCGIS_PORTAL: emulator.rest, ARCGIS_USERNAME: "jsmith", ARCGIS_PASSWORD: DEMO_PASSWORD },
  });
  assert.equal(run.status, 0, run.stderr);
  const key = run.stdout.trim();
  assert.match(key, /^AAPT.*AT2_[A-Za-z0-9]{8}$/, "the new slot-2 key alone on standard output");
  assert.match(run.stderr, /Key 1 no longer works\./);

  const app = await fetchJson(`/content/users/jsmith/items/${id}/registeredAppInfo`, { token });
  assert.equal(app.apiToken1Active, false);
  assert.equal(app.apiToken2Active, true);
});

test("the installed package's command runs through npx: --help, and list --json against the emulator", () => {
  const npx = (args, env = {}) =>
    spawnSync("npx", ["--offline", "arcgis-keys", ...args], {
      cwd: project,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: project, npm_config_cache: join(project, ".npm"), ...env },
    });
  const help = npx(["--help"]);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^arcgis-keys: manage ArcGIS API keys/);
  const listed = npx(["list", "--json"], { ARCGIS_PORTAL: emulator.rest, ARCGIS_USERNAME: "jsmith", ARCGIS_PASSWORD: DEMO_PASSWORD });
  assert.equal(listed.status, 0, listed.stderr);
  const titles = JSON.parse(listed.stdout).map((c) => c.title);
  assert.ok(titles.includes("Storefront locator"), titles.join());
});

test("the public declarations hold no `any`, and tsc --strict passes on the examples", () => {
  const declarations = readFileSync(join(root, "dist/index.d.ts"), "utf8");
  const code = declarations.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(code, /\bany\b/);
  for (const name of ["signIn", "fromToken", "beginOAuth", "completeOAuth", "privileges"]) {
    assert.match(code, new RegExp(`export function ${name}\\(`), name);
  }
  const widget = readFileSync(join(root, "dist/widget/index.d.ts"), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  assert.doesNotMatch(widget, /\bany\b/, "arcgis-keys/widget declares no any");
  assert.match(widget, /"arcgis-api-key-manager": ArcGISApiKeyManager;/);

  // The Custom Elements Manifest agrees with the declarations.
  const eventMap = widget.match(/interface ArcGISApiKeyManagerEventMap \{([^}]*)\}/)?.[1] ?? "";
  const declaredEvents = [...eventMap.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]).sort();
  assert.ok(declaredEvents.length >= 6, declaredEvents.join());
  const { customElements } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const manifest = JSON.parse(readFileSync(join(root, customElements), "utf8"));
  const element = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === "arcgis-api-key-manager");
  assert.ok(element, "the manifest describes <arcgis-api-key-manager>");
  assert.deepEqual(element.events.map((e) => e.name).sort(), declaredEvents, "the manifest's events are the declared ones");
  assert.deepEqual(
    element.attributes.map((a) => a.name).sort(),
    ["client-id", "expose-keys", "portal", "theme", "token", "view"],
    "every attribute",
  );
  assert.ok(
    element.attributes.every((a) => a.description),
    "each attribute described",
  );
  // Every custom property the widget's styles define on the host is a documented theme property.
  const css = readFileSync(join(root, "crates/widget/style/widget.css"), "utf8");
  const defined = [...new Set([...css.matchAll(/^\s*(--arcgis-keys-[a-z-]+):/gm)].map((m) => m[1]))].sort();
  assert.ok(defined.length >= 30, defined.join());
  assert.deepEqual(element.cssProperties.map((p) => p.name).sort(), defined, "the manifest's CSS properties are the styles' own");
  assert.ok(
    element.cssProperties.every((p) => p.description),
    "each CSS property described",
  );
  const checked = readdirSync(join(root, "examples"), { recursive: true, encoding: "utf8" }).filter((f) => /\.(ts|mjs|js)$/.test(f));
  assert.ok(checked.length >= 4, checked.join());
  const tsc = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", "examples"], { cwd: root, encoding: "utf8" });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

async function fetchJson(path, params) {
  const response = await fetch(`${emulator.rest}${path}`, { method: "POST", body: new URLSearchParams({ ...params, f: "json" }) });
  return response.json();
}
