// The command line (dist/cli) as a child process, for tests.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const cliPath = fileURLToPath(new URL("../../dist/cli/arcgis-keys.mjs", import.meta.url));

/**
 * Starts `arcgis-keys args` with only `env` (and PATH) in its environment. Resolves
 * `done` to `{ code, stdout, stderr }`; `stderrLine(pattern)` resolves to the first
 * stderr line that matches, as it arrives; `stdin` is the child's.
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string }} options
 */
export function startCli(args, { env, cwd }) {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiting = [];
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
    for (const wait of waiting.splice(0)) {
      const line = stderr.split("\n").find((l) => wait.pattern.test(l));
      if (line) wait.resolve(line);
      else waiting.push(wait);
    }
  });
  const done = new Promise((resolve) => child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return {
    stdin: child.stdin,
    done,
    /** @param {NodeJS.Signals} signal */
    kill(signal) {
      child.kill(signal);
    },
    /** @param {RegExp} pattern */
    stderrLine(pattern) {
      const line = stderr.split("\n").find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve) => waiting.push({ pattern, resolve }));
    },
  };
}

/**
 * Runs `arcgis-keys args` to the end, with `input` on its stdin.
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd?: string, input?: string }} options
 */
export function runCli(args, { env, cwd, input = "" }) {
  const cli = startCli(args, { env, cwd });
  cli.stdin.end(input);
  return cli.done;
}
