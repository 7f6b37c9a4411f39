// `npm start` (scripts/start.sh) as a user runs it: right after a build it serves that
// build without building again, and the address it prints is the one it listens on,
// whatever `--port` says. The test stops the server it started.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

test("npm start serves the last build unchanged and prints the address it listens on, with the --port given", async () => {
  const port = await freePort();
  const child = spawn("bash", ["scripts/start.sh", "--port", String(port)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true" },
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const banner = `arcgis-keys manager with the local portal emulator: http://127.0.0.1:${port}/`;
    const deadline = Date.now() + 300_000;
    while (!output.includes("Stop with Ctrl-C.") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (child.exitCode !== null) break;
    }
    assert.ok(output.includes(banner), output);
    assert.ok(output.includes(`Portal URL (sharing REST API): http://127.0.0.1:${port}/sharing/rest`), output);
    assert.match(output, /nothing changed since the last build: serving it/, "npm test built just before");
    const portal = await fetch(`http://127.0.0.1:${port}/sharing/rest/portals/self?f=json`).then((r) => r.json());
    assert.ok(portal.error || portal.id, "the portal answers there");
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200, "the manager is served there");
  } finally {
    process.kill(-child.pid, "SIGTERM");
    await exited;
  }
});
