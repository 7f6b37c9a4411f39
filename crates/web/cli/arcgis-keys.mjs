#!/usr/bin/env node
// `npx arcgis-keys`: the npm package's command line, for CI and cron. Every portal call
// and every key rule goes through the same wasm as the JS API (the Node entry); the
// commands (one module each in commands/, with its help) only read flags and the
// environment, print, and pick the exit code.
//
// Exit codes: 0 fine, 1 findings (check, scan), 2 a usage error (fix the command), 3 the
// portal, the network or the output failed. A key goes to a file, or to stdout when
// stdout is open and not a terminal; never to a terminal unless --show, never to stderr.
import { parseArgs } from "node:util";

import * as keys from "arcgis-keys";
import * as calendar from "./commands/calendar.mjs";
import * as check from "./commands/check.mjs";
import * as doctor from "./commands/doctor.mjs";
import * as exportCommand from "./commands/export.mjs";
import * as invalidate from "./commands/invalidate.mjs";
import * as list from "./commands/list.mjs";
import * as login from "./commands/login.mjs";
import * as logout from "./commands/logout.mjs";
import * as rotate from "./commands/rotate.mjs";
import * as scan from "./commands/scan.mjs";
import * as whoami from "./commands/whoami.mjs";
import { UsageError } from "./common.mjs";
import { printable } from "./printable.mjs";

const HELP = `arcgis-keys: manage ArcGIS API keys from the command line.

Usage: arcgis-keys <command> [options]

Commands:
  list        every credential, each key's state and expiry
  export      the inventory as CSV or JSON, as the manager exports it
  check       every key that breaks a rule (exit 1 when any does)
  rotate      put a new key in the free slot, then retire the old one
  invalidate  stop one key at once
  calendar    an iCalendar file of every key's expiry, with alarms
  scan        find ArcGIS keys in files (exit 1 when any is found)
  login       sign in through the browser and keep it as a profile
  logout      revoke a kept sign-in and forget it
  whoami      who the commands act as, and how they signed in
  doctor      which reading of each open point this portal follows

Sign-in, first match wins: --profile NAME; ARCGIS_API_KEY (an administrator's API key,
for CI; with ARCGIS_USERNAME, its owner, where the portal does not say); ARCGIS_TOKEN;
ARCGIS_USERNAME and ARCGIS_PASSWORD; the profile ARCGIS_PROFILE or "default" that
"arcgis-keys login" kept. The portal: ARCGIS_PORTAL or --portal (default ArcGIS Online).
Run "arcgis-keys <command> --help" for a command's options.
Exit codes: 0 fine, 1 findings, 2 usage error, 3 portal, network or output failure.`;

/** @type {Record<string, { help: string, options: object, positionals?: number, run: Function }>} */
const COMMANDS = { list, export: exportCommand, check, rotate, invalidate, calendar, scan, login, logout, whoami, doctor };

/** Flags no command accepts, because their values would show in `ps` and shell history. */
const SECRET_FLAGS = { "--password": "ARCGIS_PASSWORD", "--token": "ARCGIS_TOKEN", "--api-key": "ARCGIS_API_KEY" };

/** Runs one command line; resolves to the exit code. */
async function main(argv, io) {
  const [command, ...rest] = argv;
  for (const arg of argv) {
    const flag = Object.keys(SECRET_FLAGS).find((f) => arg === f || arg.startsWith(`${f}=`));
    if (flag) {
      io.stderr.write(
        `arcgis-keys: ${flag} is refused: its value would show in \`ps\` and shell history. Set ${SECRET_FLAGS[flag]} in the environment instead.\n`,
      );
      return 2;
    }
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    io.stderr.write(`arcgis-keys: no command "${command}". Run "arcgis-keys --help" for the list.\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${spec.help}\n`);
    return 0;
  }
  try {
    const parsed = parseArgs({ args: rest, options: spec.options, allowPositionals: Boolean(spec.positionals), strict: true });
    if (parsed.positionals.length > (spec.positionals ?? 0)) throw new UsageError(`unexpected argument "${parsed.positionals.at(-1)}"`);
    return await spec.run(parsed, io);
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      error instanceof keys.InputError ||
      error?.usage === true ||
      String(error?.code).startsWith("ERR_PARSE_ARGS");
    const message = printable(String(error?.message ?? error).split("\n")[0]);
    io.stderr.write(`arcgis-keys ${command}: ${message}${usage ? ` (see "arcgis-keys ${command} --help")` : ""}\n`);
    return usage ? 2 : 3;
  }
}

// An output that fails (a full disk, a closed pipe) is a failed run, said on stderr,
// not a crash on an unhandled 'error' event.
process.stdout.on("error", (error) => {
  process.stderr.write(`arcgis-keys: stdout failed (${error.code ?? error.message}).\n`);
  process.exit(3);
});

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
