#!/usr/bin/env node
// `npx arcgis-keys`: the npm package's command line, for CI and cron. Every portal call
// and every key rule goes through the same wasm as the JS API (the Node entry); this
// file only reads flags and the environment, prints, and picks the exit code.
//
// Exit codes: 0 fine, 1 findings (check, scan), 2 a usage error (fix the command), 3 the
// portal or the network failed. A key goes to a file, or to stdout when stdout is not a
// terminal; never to a terminal unless --show, never to stderr.
import { chmodSync, closeSync, openSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";

import * as keys from "arcgis-keys";
import { calendar } from "./calendar.mjs";
import { printable } from "./printable.mjs";
import { mask, scan } from "./scan.mjs";

const DAY_MS = 86_400_000;

/** A mistake in the command itself: exit 2 with one line that says what to fix. */
class UsageError extends Error {}

const HELP = {
  "": `arcgis-keys: manage ArcGIS API keys from the command line.

Usage: arcgis-keys <command> [options]

Commands:
  list        every credential, each key's state and expiry
  export      the inventory as CSV or JSON, as the manager exports it
  check       every key that breaks a rule (exit 1 when any does)
  rotate      put a new key in the free slot, then retire the old one
  invalidate  stop one key at once
  calendar    an iCalendar file of every key's expiry, with alarms
  scan        find ArcGIS keys in files (exit 1 when any is found)

Sign-in comes from the environment only: ARCGIS_PORTAL (or --portal; default ArcGIS
Online) and ARCGIS_TOKEN, or ARCGIS_USERNAME and ARCGIS_PASSWORD.
Run "arcgis-keys <command> --help" for a command's options.
Exit codes: 0 fine, 1 findings, 2 usage error, 3 portal or network failure.`,
  list: `Usage: arcgis-keys list [--json|--csv] [--expiring 30d] [--portal URL]

Every API key credential and legacy key: title, id, each slot's state and expiry, the
number of privileges, and what needs attention. --expiring keeps those with a key
expiring within that many days (or expired). --json and --csv print the inventory rows
of "export". No secret is printed.`,
  export: `Usage: arcgis-keys export --csv|--json [--out FILE] [--portal URL]

The inventory, one row per key, as the manager exports it: id, title, kind, owner,
folder, tags, created, modified, each key's state, referrers, privileges, attention.
No secret is in it. CSV cells a spreadsheet would run as formulas are defused.`,
  check: `Usage: arcgis-keys check [--expiring 30d] [--max-lifetime 90d] [--require-referrers]
                        [--no-personal] [--slot-gap 14d] [--org]
                        [--format text|json|github] [--portal URL]

Every key that breaks a rule, and why. Always: an expired key, a legacy key (retired:
replace it). --expiring: a key expiring within that many days (a warning); without it,
a key the manager flags: within 30 days once half its life is gone (none made today).
--max-lifetime: a key with longer than that still to live. --require-referrers: a
credential with keys and no referrer restriction. --no-personal: a credential whose keys
act as their owner. --slot-gap: a credential whose two keys expire closer together than
that, leaving no time to rotate one. --org: every credential of the organization (an
administrator only). --format github prints workflow annotations.
Exit 0 when nothing breaks a rule, 1 when something does.`,
  rotate: `Usage: arcgis-keys rotate <id> --phase generate [--expires 90d|YYYY-MM-DD]
                        [--out FILE] [--format raw|env|json] [--env-name NAME] [--show]
       arcgis-keys rotate <id> --phase retire --keep 1|2

generate puts a new key in the free slot (if both hold keys, in the one expiring first,
whose key stops at once; it says so) and writes it to --out (created with mode 0600), or
to stdout when stdout is not a terminal (--show allows a terminal). --expires defaults
to 30 days, or, when a live key is replaced, to that key's expiry if it is later.
retire invalidates the slot that is not --keep, once the new key is deployed;
it refuses if that would leave no live key.`,
  invalidate: `Usage: arcgis-keys invalidate <id> --slot 1|2 --yes

Stops slot 1's or 2's key at once. Without --yes nothing is done.`,
  calendar: `Usage: arcgis-keys calendar [--out FILE] [--portal URL]

An iCalendar (.ics) file with one event on the day each live key expires, and alarms 30
and 7 days before. No secret is in it. Without --out it goes to stdout.`,
  scan: `Usage: arcgis-keys scan [PATH...] [--live] [--service-base URL]

Finds ArcGIS keys (AAPT..., AAPK..., AATK...) in files and folders (default: the current
folder), skipping .git, node_modules and binary files. Prints file:line:column, the kind,
the slot and the key masked to its first and last four characters. --live asks a location
service whether each key still works (--service-base: one host serving every service).
Exit 1 when any key is found: usable as a pre-commit hook.`,
};

/** Flags no command accepts, because their values would show in `ps` and shell history. */
const SECRET_FLAGS = { "--password": "ARCGIS_PASSWORD", "--token": "ARCGIS_TOKEN" };

const PORTAL_FLAG = { portal: { type: "string" } };
const COMMANDS = {
  list: { options: { ...PORTAL_FLAG, json: { type: "boolean" }, csv: { type: "boolean" }, expiring: { type: "string" } }, run: list },
  export: {
    options: { ...PORTAL_FLAG, json: { type: "boolean" }, csv: { type: "boolean" }, out: { type: "string" } },
    run: exportInventory,
  },
  check: {
    options: {
      ...PORTAL_FLAG,
      expiring: { type: "string" },
      "max-lifetime": { type: "string" },
      "require-referrers": { type: "boolean" },
      "no-personal": { type: "boolean" },
      "slot-gap": { type: "string" },
      org: { type: "boolean" },
      format: { type: "string", default: "text" },
    },
    run: check,
  },
  rotate: {
    options: {
      ...PORTAL_FLAG,
      phase: { type: "string" },
      expires: { type: "string" },
      out: { type: "string" },
      format: { type: "string", default: "raw" },
      "env-name": { type: "string", default: "ARCGIS_API_KEY" },
      show: { type: "boolean" },
      keep: { type: "string" },
    },
    positionals: 1,
    run: rotate,
  },
  invalidate: { options: { ...PORTAL_FLAG, slot: { type: "string" }, yes: { type: "boolean" } }, positionals: 1, run: invalidate },
  calendar: { options: { ...PORTAL_FLAG, out: { type: "string" } }, run: writeCalendar },
  scan: { options: { live: { type: "boolean" }, "service-base": { type: "string" } }, positionals: Infinity, run: runScan },
};

// ---- Input ---------------------------------------------------------------------------

/** `30d` as milliseconds. */
function days(text, flag) {
  const match = /^(\d+)d$/.exec(text ?? "");
  if (!match) throw new UsageError(`--${flag} takes a number of days such as 30d, not "${text}"`);
  return Number(match[1]) * DAY_MS;
}

/** `--expires`: a number of days from now, or a date (the end of that day, UTC). */
function expiresAt(text, now) {
  if (/^\d+d$/.test(text)) return now + days(text, "expires");
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const at = match && Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59);
  if (!at || new Date(at).getUTCDate() !== Number(match[3])) {
    throw new UsageError(`--expires takes a number of days such as 90d or a date such as 2027-03-31, not "${text}"`);
  }
  return at;
}

/** @returns {1 | 2} */
function slotFlag(text, flag) {
  if (text !== "1" && text !== "2") throw new UsageError(`--${flag} is 1 or 2, not "${text ?? ""}"`);
  return text === "1" ? 1 : 2;
}

function oneOf(text, flag, choices) {
  if (!choices.includes(text)) throw new UsageError(`--${flag} is one of ${choices.join(", ")}, not "${text}"`);
  return text;
}

/** A session from the environment: a token, or a username and password. */
async function signIn(values, env) {
  const portal = values.portal ?? env.ARCGIS_PORTAL ?? undefined;
  if (env.ARCGIS_TOKEN) return keys.fromToken({ portal, token: env.ARCGIS_TOKEN });
  if (env.ARCGIS_USERNAME && env.ARCGIS_PASSWORD) {
    return keys.signIn({ portal, username: env.ARCGIS_USERNAME, password: env.ARCGIS_PASSWORD });
  }
  throw new UsageError("not signed in: set ARCGIS_TOKEN, or ARCGIS_USERNAME and ARCGIS_PASSWORD, in the environment");
}

// ---- Reading credentials ---------------------------------------------------------------

/**
 * Every credential and legacy key, read whole (app included), with progress on a TTY;
 * with `org`, every credential of the administrator's organization instead.
 */
async function readAll(session, io, { org = false } = {}) {
  if (org && !session.isAdmin) {
    throw new UsageError(`--org needs an administrator of the organization, and ${session.username} is not one`);
  }
  const summaries = org
    ? await session.listOrgCredentials()
    : (await Promise.all([session.listCredentials(), session.listLegacyKeys()])).flat();
  const read = [];
  let next = 0;
  const progress = (done) => {
    if (io.stderr.isTTY) io.stderr.write(`\rReading credentials: ${done} of ${summaries.length}`);
  };
  const worker = async () => {
    while (next < summaries.length) {
      const index = next++;
      read[index] = await session.getCredential(summaries[index].id);
      progress(read.filter(Boolean).length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, summaries.length) }, worker));
  if (io.stderr.isTTY && summaries.length) io.stderr.write("\n");
  return read;
}

const date = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Live keys expiring before `until` (expired ones included). */
const expiringBefore = (credential, until) => credential.slots.some((s) => s.active && s.expires != null && s.expires < until);

// ---- Commands ---------------------------------------------------------------------------

async function list({ values }, io) {
  if (values.json && values.csv) throw new UsageError("--json and --csv: choose one");
  const session = await signIn(values, io.env);
  let credentials = await readAll(session, io);
  if (values.expiring !== undefined) {
    const until = Date.now() + days(values.expiring, "expiring");
    credentials = credentials.filter((c) => expiringBefore(c, until));
  }
  const ids = credentials.map((c) => c.id);
  if (values.json || values.csv) {
    io.stdout.write(await session.exportInventory({ format: values.json ? "json" : "csv", ids }));
    return 0;
  }
  // The inventory's own words for each slot and what needs attention.
  const rows = JSON.parse(await session.exportInventory({ format: "json", ids })).map((row, i) => [
    row.title,
    row.id,
    row.key1,
    row.key2,
    String(credentials[i].privileges.length + credentials[i].itemAccess.length),
    row.attention.join(", "),
  ]);
  io.stdout.write(table(["TITLE", "ID", "KEY 1", "KEY 2", "PRIVILEGES", "ATTENTION"], rows));
  return 0;
}

async function exportInventory({ values }, io) {
  if (values.json === values.csv) throw new UsageError("export needs --csv or --json");
  const session = await signIn(values, io.env);
  const ids = (await readAll(session, io)).map((c) => c.id);
  const text = await session.exportInventory({ format: values.json ? "json" : "csv", ids });
  if (values.out !== undefined) writeFileSync(values.out, text);
  else io.stdout.write(text);
  return 0;
}

/** Columns padded to their widest cell; control characters in titles shown as spaces. */
function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map(printable));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return `${all.map(line).join("\n")}\n`;
}

async function check({ values }, io) {
  const format = oneOf(values.format, "format", ["text", "json", "github"]);
  /** A `--flag 30d` as whole days, or `undefined` when not given. */
  const inDays = (flag) => (values[flag] === undefined ? undefined : days(values[flag], flag) / DAY_MS);
  const policy = {
    expiringDays: inDays("expiring"),
    maxLifetimeDays: inDays("max-lifetime"),
    requireReferrers: values["require-referrers"] ?? false,
    noPersonal: values["no-personal"] ?? false,
    slotGapDays: inDays("slot-gap"),
  };
  const session = await signIn(values, io.env);
  // The rules are the core's (checkPolicy), as the manager applies them.
  const ids = (await readAll(session, io, { org: values.org })).map((c) => c.id);
  const findings = await session.checkPolicy({ ids, ...policy });
  if (format === "json") io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  for (const f of format === "json" ? [] : findings) {
    const where = `"${printable(f.title)}" (${f.id}${values.org ? `, ${printable(f.owner)}'s` : ""})`;
    if (format === "github") {
      // Workflow commands: properties escape `%`, `\r`, `\n`, `:` and `,`; the message `%`, `\r`, `\n`.
      const property = (text) => text.replace(/[%\r\n:,]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
      const message = (text) => text.replace(/[%\r\n]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
      io.stdout.write(`::${f.severity} title=${property(`arcgis-keys ${f.rule}`)}::${message(`${where}: ${f.message}`)}\n`);
    } else {
      io.stdout.write(`${f.severity}: ${where}: ${f.message}\n`);
    }
  }
  if (format === "text" && findings.length === 0) io.stdout.write("Every key passes.\n");
  return findings.length ? 1 : 0;
}

async function rotate({ values, positionals }, io) {
  const [id] = positionals;
  if (!id) throw new UsageError("rotate needs a credential id: arcgis-keys rotate <id> --phase generate|retire");
  const phase = oneOf(values.phase, "phase", ["generate", "retire"]);
  if (phase === "generate") {
    const format = oneOf(values.format, "format", ["raw", "env", "json"]);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(values["env-name"]))
      throw new UsageError(`--env-name must be a variable name, not "${values["env-name"]}"`);
    if (values.out === undefined && io.stdout.isTTY && !values.show) {
      throw new UsageError("the new key would be printed on a terminal: pass --out FILE, pipe stdout, or add --show");
    }
    // Without --expires the package's default applies (it never shortens a live key's life).
    const expires = values.expires === undefined ? undefined : expiresAt(values.expires, Date.now());
    const session = await signIn(values, io.env);
    const credential = await session.getCredential(id);
    const plan = credential.rotation;
    if (!plan) throw new UsageError(`${id} is a legacy API key, which cannot be rotated: replace it with a credential`);
    const issued = await session.generateKey(id, { slot: plan.fill, expires });
    if (plan.replacesLive) {
      io.stderr.write(`Both slots held keys: key ${plan.fill}, the one expiring first, was replaced and its old key stopped working.\n`);
    }
    const text = { raw: `${issued.key}\n`, env: `${values["env-name"]}=${issued.key}\n`, json: `${JSON.stringify({ id, ...issued })}\n` }[
      format
    ];
    if (values.out !== undefined) writeSecretFile(values.out, text);
    else io.stdout.write(text);
    io.stderr.write(`Generated key ${issued.slot} of "${credential.title}", expiring ${date(issued.expires)}.\n`);
    if (plan.retire !== null && !plan.replacesLive) {
      io.stderr.write(`Once it is deployed: arcgis-keys rotate ${id} --phase retire --keep ${issued.slot}\n`);
    }
    return 0;
  }
  const keep = slotFlag(values.keep, "keep");
  const retire = keep === 1 ? 2 : 1;
  const session = await signIn(values, io.env);
  const credential = await session.getCredential(id);
  const state = (n) => credential.slots.find((s) => s.slot === n);
  if (!state(keep)?.active) {
    throw new UsageError(`key ${keep} of ${id} is not live: retiring key ${retire} would leave no live key (run --phase generate first)`);
  }
  if (!state(retire).active) {
    io.stderr.write(`Key ${retire} of "${credential.title}" holds no key: nothing to retire.\n`);
    return 0;
  }
  await session.invalidateKey(id, retire);
  io.stderr.write(`Invalidated key ${retire} of "${credential.title}"; key ${keep} stays live.\n`);
  return 0;
}

/** Writes `text` to a new file only its owner may read, replacing any file there. */
function writeSecretFile(path, text) {
  try {
    unlinkSync(path);
  } catch (error) {
    if (error.code !== "ENOENT") throw new UsageError(`cannot replace ${path}: ${error.code}`);
  }
  let fd;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    throw new UsageError(`cannot create ${path}: ${error.code}`);
  }
  try {
    chmodSync(path, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

async function invalidate({ values, positionals }, io) {
  const [id] = positionals;
  if (!id) throw new UsageError("invalidate needs a credential id: arcgis-keys invalidate <id> --slot 1|2 --yes");
  const slot = slotFlag(values.slot, "slot");
  if (!values.yes) throw new UsageError(`this stops key ${slot} at once, for every app using it: add --yes to go ahead`);
  const session = await signIn(values, io.env);
  const credential = await session.invalidateKey(id, slot);
  io.stderr.write(`Invalidated key ${slot} of "${credential.title}".\n`);
  return 0;
}

async function writeCalendar({ values }, io) {
  const session = await signIn(values, io.env);
  const text = calendar(await readAll(session, io), Date.now());
  if (values.out !== undefined) {
    writeFileSync(values.out, text);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

async function runScan({ values, positionals }, io) {
  const found = await scan(positionals.length ? positionals : ["."], keys.slotOfKey);
  const kinds = { AAPT: "API key", AAPK: "legacy API key", AATK: "token" };
  for (const hit of found) {
    let verdict = "";
    if (values.live) verdict = `\t${await liveness(hit.key, values["service-base"])}`;
    const slot = hit.slot ? `slot ${hit.slot}` : "no slot";
    io.stdout.write(`${hit.file}:${hit.line}:${hit.column}\t${kinds[hit.key.slice(0, 4)]}\t${slot}\t${mask(hit.key)}${verdict}\n`);
  }
  if (found.length === 0) io.stderr.write("No ArcGIS keys found.\n");
  return found.length ? 1 : 0;
}

/** Whether a service still takes `key`: a refusal for the privilege (403) still means a live key. */
async function liveness(key, serviceBase) {
  const verdict = await keys.testKey({ key, privilege: "premium:user:basemaps", serviceBase });
  if (verdict.accepted) return "works";
  if (verdict.code === 498 || verdict.code === 499) return "dead";
  return verdict.code === 403 ? "works (refused for basemaps)" : "unknown";
}

// ---- Main -----------------------------------------------------------------------------

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
    io.stdout.write(`${HELP[""]}\n`);
    return command === undefined ? 2 : 0;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    io.stderr.write(`arcgis-keys: no command "${command}". Run "arcgis-keys --help" for the list.\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${HELP[command]}\n`);
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
    const message = String(error?.message ?? error).split("\n")[0];
    io.stderr.write(`arcgis-keys ${command}: ${message}${usage ? ` (see "arcgis-keys ${command} --help")` : ""}\n`);
    return usage ? 2 : 3;
  }
}

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
