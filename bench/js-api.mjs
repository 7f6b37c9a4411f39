// The npm package measured beside ArcGIS REST JS (4.10.2), in one run against one
// emulator: download size, and round trips and median wall time at 50 ms of injected
// latency per request. Prints Markdown for bench/report.md. A benchmark, not a test:
// it asserts nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { searchItems } from "@esri/arcgis-rest-portal";
import { ArcGISIdentityManager, request } from "@esri/arcgis-rest-request";
import * as keys from "arcgis-keys";
import { build } from "vite";

import { DEMO_PASSWORD, startEmulator } from "../tests/support/emulator.mjs";
import { packageSizes } from "../tests/support/sizes.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = 50;
const CREDENTIALS = 1000;
const USERNAME = "jsmith";
const geocode = "premium:user:geocode:temporary";

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Gzip size of REST JS's listing and request functions, bundled and minified by Vite. */
async function restJsSize() {
  const dir = mkdtempSync(join(tmpdir(), "rest-js-size-"));
  try {
    const entry = join(dir, "entry.js");
    writeFileSync(
      entry,
      'export { ArcGISIdentityManager, request } from "@esri/arcgis-rest-request";\nexport { searchItems, createItem, updateItem, getItem, removeItem } from "@esri/arcgis-rest-portal";\n',
    );
    const output = await build({
      root: dir,
      logLevel: "silent",
      resolve: { alias: { "@esri": join(root, "node_modules/@esri") } },
      build: { write: false, lib: { entry, formats: ["es"], fileName: "rest-js" }, minify: true },
    });
    const outputs = /** @type {import("vite").Rollup.RollupOutput[]} */ (Array.isArray(output) ? output : [output]);
    const chunks = outputs.flatMap((o) => o.output);
    return chunks.filter((c) => c.type === "chunk").reduce((sum, c) => sum + gz(Buffer.from(c.code)), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  // The release build, so that the emulator's own time is small beside the latency.
  const emulator = await startEmulator({ binary: join(root, "target/release/arcgis-portal-emulator") });
  try {
    const log = async () => (await emulator.control("/log")).entries.filter((e) => e.path.includes("/sharing/rest"));
    const clearLog = () => emulator.control("/log", { method: "DELETE" });
    const latency = (ms) => emulator.control("/latency", { method: "PUT", body: { ms } });

    // Seed: the user's credentials up to CREDENTIALS, created without latency.
    const session = await keys.signIn({ portal: emulator.rest, username: USERNAME, password: DEMO_PASSWORD });
    let have = (await session.listCredentials()).length;
    while (have < CREDENTIALS) {
      const batch = Math.min(25, CREDENTIALS - have);
      await Promise.all(
        Array.from({ length: batch }, (_, i) => session.createCredential({ title: `Bench ${have + i}`, privileges: [geocode] })),
      );
      have += batch;
    }
    const restJs = await ArcGISIdentityManager.signIn({ username: USERNAME, password: DEMO_PASSWORD, portal: emulator.rest });

    await latency(LATENCY_MS);
    const measure = async (work) => {
      const times = [];
      let requests = 0;
      for (let run = 0; run < RUNS; run++) {
        await clearLog();
        const start = performance.now();
        await work();
        times.push(performance.now() - start);
        requests = (await log()).length;
      }
      return { ms: median(times), requests };
    };

    const ours = {};
    const theirs = {};

    ours.list = await measure(async () => {
      const listed = await session.listCredentials();
      if (listed.length !== CREDENTIALS) throw new Error(`listed ${listed.length}`);
    });
    theirs.list = await measure(async () => {
      const q = `owner:"${USERNAME}" AND typekeywords:"APIToken"`;
      let page = await searchItems({ q, num: 100, sortField: "created", authentication: restJs });
      let count = page.results.length;
      while (page.nextPage) {
        page = await page.nextPage();
        count += page.results.length;
      }
      if (count !== CREDENTIALS) throw new Error(`REST JS listed ${count}`);
    });

    const created = [];
    ours.create = await measure(async () => {
      const result = await session.createCredential({ title: "Bench create", privileges: [geocode], keys: [{ slot: 1 }] });
      created.push(result.credential.id);
    });
    theirs.create = await measure(() => restJsCreate(restJs, emulator.rest));
    ours.rotate = await measure(async () => {
      const id = created.pop();
      await session.generateKey(id, { slot: 2 });
      await session.invalidateKey(id, 1);
    });
    await latency(0);

    const sizes = packageSizes();
    const restJsBytes = await restJsSize();
    const row = (name, a, b, target) =>
      `| ${name} | ${a.requests} | ${a.ms.toFixed(0)} ms | ${b ? b.requests : "–"} | ${b ? `${b.ms.toFixed(0)} ms` : "–"} | ${b ? `${(b.ms / a.ms).toFixed(1)}×` : "–"} | ${target} |`;
    console.log(`## The npm package beside ArcGIS REST JS 4.10.2

Node ${process.version}, the Node entry; ${LATENCY_MS} ms injected per request; median of ${RUNS} runs, both clients in the same run.

| workflow | arcgis-keys requests | arcgis-keys median | REST JS requests | REST JS median | speed-up | target |
|---|---|---|---|---|---|---|
${row(`list ${CREDENTIALS} credentials`, ours.list, theirs.list, ">= 4× faster")}
${row("create + 1 key", ours.create, theirs.create, "<= 4 requests (REST JS: 7)")}
${row("rotate (generate 2, invalidate 1)", ours.rotate, null, "3 requests")}

REST JS lists with its own paging (\`searchItems\`, then \`nextPage()\` until done); its create is the documented 7-call sequence replayed with \`request()\`: addItem, registerApp, registeredAppInfo, update (expiration), oauth2/token, registeredAppInfo, getItem.

### Download size (gzip -9)

| what | size | target |
|---|---|---|
| arcgis-keys: wasm | ${kb(sizes.wasm)} | |
| arcgis-keys: JS glue and entry | ${kb(sizes.glue)} | |
| arcgis-keys: wasm + JS | ${kb(sizes.wasm + sizes.glue)} | <= 45 KB |
| REST JS: request + portal functions, minified by Vite | ${kb(restJsBytes)} | (for scale) |
`);
  } finally {
    await emulator.stop();
  }
}

/** REST JS's create of a credential with one key, call by call. */
async function restJsCreate(authentication, portal) {
  const call = (path, params) => request(`${portal}${path}`, { authentication, params, httpMethod: "POST" });
  const user = authentication.username;
  const item = await call(`/content/users/${user}/addItem`, { title: "Bench REST JS", type: "Application" });
  const app = await call("/oauth2/registerApp", {
    itemId: item.id,
    appType: "multiple",
    redirect_uris: "[]",
    httpReferrers: "[]",
    privileges: JSON.stringify([geocode]),
  });
  await call(`/content/users/${user}/items/${item.id}/registeredAppInfo`, {});
  const expires = Date.now() + 30 * 24 * 60 * 60 * 1000;
  await call(`/content/users/${user}/items/${item.id}/update`, { apiToken1ExpirationDate: expires });
  await request(`${portal}/oauth2/token`, {
    params: {
      client_id: app.client_id,
      client_secret: app.client_secret,
      grant_type: "client_credentials",
      apiToken: 1,
      regenerateApiToken: true,
    },
    httpMethod: "POST",
  });
  await call(`/content/users/${user}/items/${item.id}/registeredAppInfo`, {});
  await call(`/content/items/${item.id}`, {});
}

await main();
