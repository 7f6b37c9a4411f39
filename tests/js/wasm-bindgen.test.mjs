// crates/web/tests/web.rs under wasm-bindgen-test-runner against a running emulator,
// once in Node and once in headless Chromium (through Debian's chromedriver).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { startEmulator } from "../support/emulator.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let emulator;
let scratch;

before(async () => {
  emulator = await startEmulator();
  scratch = mkdtempSync(join(tmpdir(), "arcgis-keys-wbt-"));
  // Chromium as root in a container: the flags of tests/support/browser.mjs. A page that
  // has not loaded in a minute never will (see STALLED): fail then, not after five.
  writeFileSync(
    join(scratch, "webdriver.json"),
    JSON.stringify({
      timeouts: { pageLoad: 60_000 },
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["disable-gpu", "disable-background-networking", "disable-component-update"],
      },
    }),
  );
});

after(async () => {
  await emulator?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The harness's report that the page never ran a test. The cause we found: the runner's
 * HTTP server (tiny_http 0.12, inside wasm-bindgen-test-runner) serves each keep-alive
 * connection on one of four pooled threads, and when more than four connections open at
 * once it can queue one behind the others for as long as Chromium keeps them open (over
 * five minutes). The page opens a connection per module it fetches in parallel: the
 * glue's snippet modules. With five of them (until 2026-12-01) three runs in four
 * stalled on one module request that was sent and never answered; hence the bound below.
 */
const STALLED = "Failed to detect test as having been run";
const MAX_PAGE_MODULES = 3;

/** The JS modules wasm-bindgen makes the test page fetch beside its glue. */
function pageModules() {
  const modules = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".rs")) {
        const source = readFileSync(path, "utf8");
        for (const [, module] of source.matchAll(/module = "([^"]+)"/g)) modules.add(module);
        for (const _ of source.matchAll(/inline_js = /g)) modules.add(`${path} (inline)`);
      }
    }
  };
  for (const dir of ["crates/web/src", "crates/web/tests"]) walk(join(root, dir));
  return [...modules];
}

function runTests(extraEnv) {
  const run = spawnSync("cargo", ["test", "-p", "arcgis-keys-web", "--target", "wasm32-unknown-unknown", "--test", "web"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      ARCGIS_EMULATOR: emulator.base,
      ARCGIS_EMULATOR_CONTROL: emulator.controlToken,
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner",
      // A stalled page fails in a minute, not the default five.
      WASM_BINDGEN_TEST_TIMEOUT: "60",
      ...extraEnv,
    },
  });
  const output = run.stdout + run.stderr;
  assert.ok(!output.includes(STALLED), `the test page never ran (see STALLED in this file):\n${output}`);
  assert.equal(run.status, 0, output);
  const summary = output.match(/test result: ok\. (\d+) passed; (\d+) failed/);
  assert.ok(summary, output);
  assert.ok(Number(summary[1]) >= 8, `every test ran: ${summary[0]}`);
  return output;
}

test("the test page fetches few enough modules for the runner's server", () => {
  const modules = pageModules();
  assert.ok(modules.length >= 2, `the scan finds the crate's modules: ${modules}`);
  assert.ok(
    modules.length <= MAX_PAGE_MODULES,
    `${modules.length} snippet modules (${modules.join(", ")}); at most ${MAX_PAGE_MODULES}, see STALLED`,
  );
});

test("in Node", () => {
  runTests({});
});

test("in headless Chromium", () => {
  const output = runTests({
    WASM_BINDGEN_USE_BROWSER: "1",
    CHROMEDRIVER: "/usr/bin/chromedriver",
    WASM_BINDGEN_TEST_WEBDRIVER_JSON: join(scratch, "webdriver.json"),
  });
  assert.match(output, /Running headless tests in Chrome/);
});
