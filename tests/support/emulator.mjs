// Starts the portal emulator binary for a test file and stops it afterwards.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const debugBinary = `${root}target/debug/arcgis-portal-emulator`;

/**
 * Starts the emulator on a free loopback port with the control surface on. Tests use the
 * debug build; benchmarks pass the release `binary`. `strictCsp` serves the site under
 * the standalone manager's Content-Security-Policy; `seed` replaces the demo seed.
 * Resolves to `{ base, rest, controlToken, control(path, init), stop() }`.
 * @param {{ site?: string, binary?: string, strictCsp?: boolean, seed?: string }} [options]
 */
export async function startEmulator({ site = `${root}www/dist`, binary = debugBinary, strictCsp = false, seed } = {}) {
  // The control surface's secret for this run: only this process knows it.
  const controlToken = randomBytes(16).toString("hex");
  const args = ["--port", "0", "--control", "--site", site, ...(strictCsp ? ["--strict-csp"] : []), ...(seed ? ["--seed", seed] : [])];
  const env = { ...process.env, ARCGIS_EMULATOR_CONTROL_TOKEN: controlToken };
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"], env });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const firstLine = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before listening`)));
  });
  const base = firstLine.replace(/^listening on /, "");
  return {
    base,
    rest: `${base}/sharing/rest`,
    controlToken,
    /**
     * A JSON call to the control surface, with the run's secret.
     * @param {string} path
     * @param {{ method?: string, body?: unknown }} [init]
     */
    async control(path, { method = "GET", body } = {}) {
      const response = await fetch(`${base}/__emulator${path}`, {
        method,
        headers: { "x-emulator-control": controlToken, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
      return response.json();
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The demo accounts' password (crates/emulator/seed/demo.json). */
export const DEMO_PASSWORD = "arcgis-demo";
