// crates/web/tests/web.rs under wasm-bindgen-test-runner against a running emulator,
// once in Node and once in headless Chromium (through Debian's chromedriver).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
  // Chromium as root in a container: the flags of tests/support/browser.mjs.
  writeFileSync(
    join(scratch, "webdriver.json"),
    JSON.stringify({
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

/** The harness's report that the page never answered (a stalled headless renderer). */
const STALLED = "Failed to detect test as having been run";

function runOnce(extraEnv) {
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
  return { status: run.status, output: run.stdout + run.stderr };
}

function runTests(extraEnv) {
  let { status, output } = runOnce(extraEnv);
  if (status !== 0 && output.includes(STALLED)) {
    // Seen now and then in headless Chromium since 2026-12-01, cause not yet found (see
    // the issue on reachable panics): said loudly, and tried once more. A test that
    // fails with a result is never retried.
    process.stderr.write(`wasm-bindgen-test: the headless page stalled; running once more\n${output.slice(-1500)}\n`);
    ({ status, output } = runOnce(extraEnv));
  }
  assert.equal(status, 0, output);
  const summary = output.match(/test result: ok\. (\d+) passed; (\d+) failed/);
  assert.ok(summary, output);
  assert.ok(Number(summary[1]) >= 8, `every test ran: ${summary[0]}`);
  return output;
}

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
