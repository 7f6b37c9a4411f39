// `arcgis-keys` on the command line (dist/cli), run as a child process against the
// emulator: every command, its exit codes and messages, where keys may and may not go,
// and a rotation that keeps one live key at every moment.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";

import * as keys from "arcgis-keys";

import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist/cli/arcgis-keys.mjs");
const seed = fileURLToPath(new URL("../support/cli-seed.json", import.meta.url));
const basemaps = "premium:user:basemaps";
const DAY_MS = 86_400_000;

let emulator;
let scratch;
before(async () => {
  emulator = await startEmulator({ seed });
  scratch = mkdtempSync(join(tmpdir(), "arcgis-keys-cli-"));
});
after(async () => {
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => emulator.control("/reset", { method: "POST" }));

/** Sign-in by username and password, from the environment, as CI would set it. */
const signedIn = () => ({ ARCGIS_PORTAL: emulator.rest, ARCGIS_USERNAME: "jsmith", ARCGIS_PASSWORD: DEMO_PASSWORD });

/**
 * Runs the command; resolves to `{ code, stdout, stderr }`. `tty` runs it on a
 * pseudo-terminal (util-linux `script`), where stdout and stderr arrive together in `stdout`.
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, tty?: boolean, cwd?: string }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function run(args, { env = signedIn(), tty = false, cwd = scratch } = {}) {
  const environment = { PATH: process.env.PATH, HOME: scratch, ...env };
  const [file, argv] = tty
    ? ["script", ["-qec", [process.execPath, cli, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" "), "/dev/null"]]
    : [process.execPath, [cli, ...args]];
  return new Promise((resolve) => {
    execFile(file, argv, { env: environment, cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const session = () => keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });

/** Creates a credential whose slots hold keys expiring in `days` (`null`: no key). */
async function credential(title, days, extra = {}) {
  const s = await session();
  const now = Date.now();
  const wanted = days.map((d, i) => d !== null && { slot: i + 1, expires: now + d * DAY_MS }).filter(Boolean);
  const created = await s.createCredential({ title, privileges: [basemaps], keys: wanted, ...extra });
  return { id: created.credential.id, keys: created.keys, session: s };
}

/** Whether the emulated basemap service takes `key`. */
async function works(key) {
  const verdict = await keys.testKey({ key, privilege: basemaps, serviceBase: emulator.base });
  return verdict.accepted;
}

/** One line, no stack trace. */
function oneLine(text) {
  assert.equal(text.trim().split("\n").length, 1, text);
  assert.doesNotMatch(text, /\n\s+at /, "no stack trace");
}

test("--help for the command and each subcommand; a usage error is exit 2 with one line", async () => {
  const help = await run(["--help"], { env: {} });
  assert.equal(help.code, 0);
  for (const command of ["list", "export", "check", "rotate", "invalidate", "calendar", "scan"]) {
    assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
    const own = await run([command, "--help"], { env: {} });
    assert.equal(own.code, 0, command);
    assert.match(own.stdout, new RegExp(`^Usage: arcgis-keys ${command}`), command);
  }
  for (const args of [
    [],
    ["frobnicate"],
    ["list", "--colour"],
    ["check", "--format", "xml"],
    ["check", "--expiring", "soon"],
    ["rotate"],
    ["invalidate", "x", "--slot", "3", "--yes"],
  ]) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    if (args.length) oneLine(result.stderr);
  }
});

test("a password or token given as a flag is refused, saying why and what to do, and is not echoed", async () => {
  for (const args of [
    ["list", "--password", "hunter2-secret"],
    ["list", "--token=tok-secret"],
  ]) {
    const result = await run(args, { env: { ARCGIS_PORTAL: emulator.rest } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /ps.*shell history/);
    assert.match(result.stderr, /ARCGIS_(PASSWORD|TOKEN) in the environment/);
    assert.doesNotMatch(result.stderr + result.stdout, /secret/);
  }
});

test("sign-in from the environment: missing is 2, refused or unreachable is 3, a token works", async () => {
  const missing = await run(["list"], { env: { ARCGIS_PORTAL: emulator.rest } });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /ARCGIS_TOKEN, or ARCGIS_USERNAME and ARCGIS_PASSWORD/);
  const refused = await run(["list"], { env: { ...signedIn(), ARCGIS_PASSWORD: "wrong" } });
  assert.equal(refused.code, 3, refused.stderr);
  oneLine(refused.stderr);
  const unreachable = await run(["list"], { env: { ...signedIn(), ARCGIS_PORTAL: "http://127.0.0.1:9/sharing/rest" } });
  assert.equal(unreachable.code, 3, unreachable.stderr);
  oneLine(unreachable.stderr);

  const answer = await fetch(`${emulator.rest}/generateToken`, {
    method: "POST",
    body: new URLSearchParams({ username: "jsmith", password: DEMO_PASSWORD, referer: "http://localhost", f: "json" }),
  }).then((r) => r.json());
  const { id } = await credential("Token listed", [30, null]);
  const listed = await run(["list", "--json"], { env: { ARCGIS_PORTAL: emulator.rest, ARCGIS_TOKEN: answer.token } });
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    JSON.parse(listed.stdout).map((c) => c.id),
    [id],
  );
  const flagged = await run(["list", "--json", "--portal", emulator.rest], {
    env: { ARCGIS_PORTAL: "http://127.0.0.1:9/sharing/rest", ARCGIS_TOKEN: answer.token },
  });
  assert.equal(flagged.code, 0, `--portal wins over ARCGIS_PORTAL: ${flagged.stderr}`);
  assert.deepEqual(
    JSON.parse(flagged.stdout).map((c) => c.id),
    [id],
  );
});

test("list: a table, the inventory as JSON or CSV, and --expiring; no secret printed; progress only on a terminal", async () => {
  // Two days left: "expires soon" however young the key (five days left on a key made today is not).
  const soon = await credential("Expires soon", [2, null]);
  const later = await credential("Expires later", [null, 90], { referrers: ["https://app.example.com"] });
  const table = await run(["list"]);
  assert.equal(table.code, 0, table.stderr);
  const [header, ...rows] = table.stdout.trimEnd().split("\n");
  assert.match(header, /^TITLE\s+ID\s+KEY 1\s+KEY 2\s+PRIVILEGES\s+ATTENTION$/);
  const soonRow = rows.find((r) => r.includes(soon.id));
  assert.match(
    soonRow,
    /^Expires soon\s+\w{32}\s+active until \d{4}-\d{2}-\d{2}\s+none\s+1\s+Expires within 30 days, No referrer restriction$/,
  );
  assert.match(
    rows.find((r) => r.includes(later.id)),
    /none\s+active until \S+\s+1$/,
  );
  assert.equal(table.stderr, "", "no progress when stderr is not a terminal");

  const json = JSON.parse((await run(["list", "--json"])).stdout);
  const listed = json.find((c) => c.id === later.id);
  assert.deepEqual(listed.referrers, ["https://app.example.com"]);
  assert.match(listed.key2, /^active until /);
  const expiring = JSON.parse((await run(["list", "--json", "--expiring", "30d"])).stdout);
  assert.deepEqual(
    expiring.map((c) => c.id),
    [soon.id],
  );
  const csv = await run(["list", "--csv", "--expiring", "30d"]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout, /^id,title,kind,owner,folder,tags,created,modified,key1,key2,referrers,privileges,attention\r\n/);
  assert.equal(csv.stdout.trimEnd().split("\r\n").length, 2, "the header and the one expiring key");

  const onTty = await run(["list"], { tty: true });
  assert.equal(onTty.code, 0);
  assert.match(onTty.stdout, /Reading 2 credentials/);
  for (const output of [table.stdout, JSON.stringify(json), csv.stdout, onTty.stdout]) {
    assert.doesNotMatch(output, /AAPT|client_secret|clientSecret/);
  }
});

test("list prints no bidirectional override or other invisible formatting from a title", async () => {
  const token = (
    await fetch(`${emulator.rest}/generateToken`, {
      method: "POST",
      body: new URLSearchParams({ username: "jsmith", password: DEMO_PASSWORD, referer: "http://localhost", f: "json" }),
    }).then((r) => r.json())
  ).token;
  // Made on the portal by another tool: the package itself refuses such a title.
  const title = "Invoice\u202Efdp.exe\u200B\u2066x\u2069\uFEFF\u0007";
  const added = await fetch(`${emulator.rest}/content/users/jsmith/addItem`, {
    method: "POST",
    body: new URLSearchParams({ title, type: "Application", typeKeywords: "APIToken", f: "json", token }),
  }).then((r) => r.json());
  await fetch(`${emulator.rest}/oauth2/registerApp`, {
    method: "POST",
    body: new URLSearchParams({
      itemId: added.id,
      appType: "multiple",
      redirect_uris: '["urn:ietf:wg:oauth:2.0:oob"]',
      httpReferrers: "[]",
      privileges: '["premium:user:basemaps"]',
      f: "json",
      token,
    }),
  });
  const listed = await run(["list"]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.doesNotMatch(listed.stdout, /[\u202A-\u202E\u2066-\u2069\u200B\uFEFF]|\p{Cc}(?<!\n)/u);
  assert.match(listed.stdout, /^Invoicefdp\.exex /m);
});

test("export: the manager's inventory as CSV or JSON, formulas defused, no secret", async () => {
  const {
    keys: [issued],
  } = await credential('=HYPERLINK("x")', [30, null]);
  const out = join(scratch, "inventory.csv");
  const csv = await run(["export", "--csv", "--out", out]);
  assert.equal(csv.code, 0, csv.stderr);
  const text = readFileSync(out, "utf8");
  assert.match(text, /\r\n\w{32},"'=HYPERLINK\(""x""\)",credential,jsmith,/);
  const json = JSON.parse((await run(["export", "--json"])).stdout);
  assert.equal(json[0].title, '=HYPERLINK("x")', "JSON keeps the title as it is");
  assert.deepEqual(json[0].privileges, [basemaps]);
  for (const output of [text, JSON.stringify(json)]) {
    assert.ok(!output.includes(issued.key) && !/secret/i.test(output));
  }
  const neither = await run(["export"]);
  assert.equal(neither.code, 2);
  assert.match(neither.stderr, /--csv or --json/);
});

test("check: exit 0 when every key passes, 1 with each finding and why, in text, JSON and GitHub annotations", async () => {
  await credential("Healthy", [200, null], { referrers: ["https://app.example.com"] });
  const clean = await run(["check"]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.equal(clean.stdout, "Every key passes.\n");

  // Made today for 5 days: not flagged by the manager's rule, but within --expiring 7d.
  const soon = await credential("Expires soon", [5, null]);
  assert.equal((await run(["check"])).code, 0, "a key made today is no warning by default");
  const text = await run(["check", "--expiring", "7d"]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, new RegExp(`^warning: "Expires soon" \\(${soon.id}\\): key 1 expires on \\d{4}-\\d{2}-\\d{2}$`, "m"));
  const strict = await run(["check", "--expiring", "7d", "--max-lifetime", "90d", "--require-referrers", "--format", "json"]);
  assert.equal(strict.code, 1);
  const rules = JSON.parse(strict.stdout)
    .map((f) => `${f.title}:${f.rule}`)
    .sort();
  assert.deepEqual(rules, ["Expires soon:expiring", "Expires soon:require-referrers", "Healthy:max-lifetime"]);
  const personal = await credential("Acts as its owner", [200, null], {
    privileges: [basemaps, "portal:user:viewOrgItems"],
    acknowledgePersonalPrivileges: true,
    referrers: ["https://app.example.com"],
  });
  const noPersonal = JSON.parse((await run(["check", "--no-personal", "--format", "json"])).stdout);
  assert.deepEqual(
    noPersonal.filter((f) => f.rule === "no-personal").map((f) => f.id),
    [personal.id],
  );
  const github = await run(["check", "--expiring", "7d", "--format", "github"]);
  assert.equal(github.code, 1);
  assert.match(
    github.stdout,
    /^::warning title=arcgis-keys expiring::"Expires soon" \(\w{32}\)%3A|^::warning title=arcgis-keys expiring::"Expires soon" \(\w{32}\): key 1/m,
  );
});

test("check --slot-gap: two keys expiring too close together leave no time to rotate one", async () => {
  const referrers = ["https://app.example.com"];
  const close = await credential("Close together", [100, 103], { referrers });
  await credential("Far apart", [100, 160], { referrers });
  const result = await run(["check", "--slot-gap", "14d", "--format", "json"]);
  assert.equal(result.code, 1, result.stderr);
  const findings = JSON.parse(result.stdout);
  assert.deepEqual(
    findings.map((f) => [f.id, f.rule, f.severity, f.slot]),
    [[close.id, "slot-gap", "error", null]],
  );
  assert.match(findings[0].message, /^its two keys expire 3 days apart, less than 14d/);
  assert.equal((await run(["check", "--slot-gap", "2d"])).code, 0, "3 days apart keeps a 2-day gap");
});

test("check --org: an administrator checks every member's credentials and no other organization's; a member is refused", async () => {
  const mine = await credential("Member's key", [200, null]);
  const outsider = await keys.signIn({ portal: emulator.rest, username: "other_user", password: DEMO_PASSWORD });
  const theirs = await outsider.createCredential({ title: "Other org's key", privileges: [basemaps], keys: [{ slot: 1 }] });
  const admin = { ...signedIn(), ARCGIS_USERNAME: "demo_admin" };
  // Every live key lives longer than a day, so every credential checked is a finding.
  const result = await run(["check", "--org", "--max-lifetime", "1d", "--format", "json"], { env: admin });
  assert.equal(result.code, 1, result.stderr);
  const findings = JSON.parse(result.stdout);
  assert.deepEqual(
    findings.filter((f) => f.rule === "max-lifetime").map((f) => [f.id, f.owner]),
    [[mine.id, "jsmith"]],
  );
  assert.ok(!result.stdout.includes(theirs.credential.id), "another organization's credential never appears");
  const text = await run(["check", "--org", "--max-lifetime", "1d"], { env: admin });
  assert.match(text.stdout, /^error: "Member's key" \(\w{32}, jsmith's\): key 1 lives until/m);
  const member = await run(["check", "--org"]);
  assert.equal(member.code, 2);
  assert.match(member.stderr, /--org needs an administrator of the organization, and jsmith is not one/);
  oneLine(member.stderr);
});

test("check: a legacy key is always a finding", async () => {
  const legacy = await startEmulator({ seed: fileURLToPath(new URL("../support/retire-seed.json", import.meta.url)) });
  try {
    const result = await run(["check", "--format", "json"], { env: { ...signedIn(), ARCGIS_PORTAL: legacy.rest } });
    assert.equal(result.code, 1);
    assert.ok(
      JSON.parse(result.stdout).every((f) => f.rule === "legacy"),
      result.stdout,
    );
  } finally {
    await legacy.stop();
  }
  // And every member's, for an administrator with --org.
  const demo = await startEmulator();
  try {
    const env = { ...signedIn(), ARCGIS_PORTAL: demo.rest, ARCGIS_USERNAME: "demo_admin" };
    const result = await run(["check", "--org", "--format", "json"], { env });
    assert.equal(result.code, 1, result.stderr);
    const legacyFindings = JSON.parse(result.stdout).filter((f) => f.rule === "legacy");
    assert.deepEqual(legacyFindings.map((f) => `${f.owner}: ${f.title}`).sort(), [
      "demo_admin: Legacy analysis tool",
      "demo_admin: Legacy demographics map",
      "jsmith: Legacy basemap key",
    ]);
  } finally {
    await demo.stop();
  }
});

test("rotate, twice: generate then retire keeps one live key at every moment, and the new key works before retire runs", async () => {
  const {
    id,
    keys: [first],
  } = await credential("Rotated", [30, null]);
  let live = first.key;
  for (const [fill, retire] of [
    [2, 1],
    [1, 2],
  ]) {
    const out = join(scratch, `key-${fill}.txt`);
    const generated = await run(["rotate", id, "--phase", "generate", "--expires", "60d", "--out", out]);
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stderr, new RegExp(`Generated key ${fill} of "Rotated"`));
    assert.match(generated.stderr, new RegExp(`--phase retire \\(stops key ${retire}\\)`));
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const fresh = readFileSync(out, "utf8").trim();
    assert.equal(keys.slotOfKey(fresh), fill);
    assert.doesNotMatch(generated.stdout + generated.stderr, /AAPT/, "the key went to the file only");
    assert.ok(await works(fresh), "the new key works before retire");
    assert.ok(await works(live), "the old key still works until retire");

    const retired = await run(["rotate", id, "--phase", "retire", "--keep", String(fill)]);
    assert.equal(retired.code, 0, retired.stderr);
    assert.match(retired.stderr, new RegExp(`Invalidated key ${retire}`));
    assert.ok(await works(fresh), "the new key works after retire");
    assert.equal(await works(live), false, "the old key stopped");
    live = fresh;
  }
  const wrong = await run(["rotate", id, "--phase", "retire", "--keep", "2"]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /would leave no live key/);
  assert.ok(await works(live), "a refused retire changed nothing");
});

test("rotate generate: stdout when piped, never a terminal without --show; formats; a delivered rotation is not repeated", async () => {
  const { id } = await credential("Formats", [30, null]);
  const onTty = await run(["rotate", id, "--phase", "generate"], { tty: true });
  assert.equal(onTty.code, 2);
  assert.match(onTty.stdout, /would be printed on a terminal/);
  assert.doesNotMatch(onTty.stdout, /AAPT/);

  const piped = await run(["rotate", id, "--phase", "generate", "--format", "env", "--env-name", "MAP_KEY"]);
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stdout, /^MAP_KEY=AAPT\S+AT2_\w{8}\n$/);
  assert.doesNotMatch(piped.stderr, /AAPT/);

  // Run again, as a CI retry would: the delivered key 2 is neither replaced nor printed again.
  const again = await run(["rotate", id, "--phase", "generate", "--format", "json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, "");
  assert.match(
    again.stderr,
    /Key 2 of "Formats" was made on \d{4}-\d{2}-\d{2} by arcgis-keys command line and delivered: nothing was made now/,
  );
  assert.ok(await works(piped.stdout.trim().split("=")[1]), "the delivered key still works");

  // Naming the key to stop replaces it, and says so.
  const replaced = await run(["rotate", id, "--phase", "generate", "--format", "json", "--replace", "1"]);
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.match(replaced.stderr, /Key 1's previous key, named with --replace, stopped working/);
  const issued = JSON.parse(replaced.stdout);
  assert.deepEqual([issued.id, issued.slot], [id, 1]);
  assert.ok(await works(issued.key));

  const fresh = await credential("Shown", [30, null]);
  const shown = await run(["rotate", fresh.id, "--phase", "generate", "--show"], { tty: true });
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /AAPT/);
  const badDate = await run(["rotate", id, "--phase", "generate", "--expires", "2027-02-30"]);
  assert.equal(badDate.code, 2);
  assert.match(badDate.stderr, /a date such as 2027-03-31/);
  const tooFar = await run(["rotate", id, "--phase", "generate", "--expires", "400d"]);
  assert.equal(tooFar.code, 2, tooFar.stderr);
  oneLine(tooFar.stderr);
});

test("rotate generate with both keys live and no rotation recorded refuses, naming each key, unless --replace names one", async () => {
  const { id, keys: issued } = await credential("Both live", [20, 200]);
  await emulator.control("/log", { method: "DELETE" });
  const refused = await run(["rotate", id, "--phase", "generate", "--out", join(scratch, "never.txt")]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /Both keys of "Both live" are live \(key 1 until \d{4}-\d{2}-\d{2}, key 2 until \d{4}-\d{2}-\d{2}\)/);
  assert.equal(existsSync(join(scratch, "never.txt")), false);
  assert.deepEqual(await portalWrites(), [], "nothing was asked of the portal");
  for (const key of issued) assert.ok(await works(key.key));
});

/** The portal calls of the log that change something (a read changes nothing). */
async function portalWrites() {
  const { entries } = await emulator.control("/log");
  return entries
    .map((e) => e.path)
    .filter((path) => /\/(update|token|revokeToken|addItem|registerApp|delete)$/.test(path) && !path.endsWith("/generateToken"));
}

/** Runs the command through `sh` so that stdout can be closed or sent to a device. */
function runWithStdout(args, redirect) {
  const quoted = [process.execPath, cli, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return new Promise((resolve) => {
    execFile(
      "sh",
      ["-c", `exec ${quoted} ${redirect}`],
      { env: { PATH: process.env.PATH, HOME: scratch, ...signedIn() } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test("rotate generate proves the key can be delivered before asking the portal for it", async () => {
  const {
    id,
    keys: [deployed],
  } = await credential("Deliver first", [30, null]);
  const file = join(scratch, "a-file");
  writeFileSync(file, "in the way");
  mkdirSync(join(scratch, "a-folder"), { recursive: true });
  /** @type {[string[], string, RegExp][]} */
  const cases = [
    [["--out", join(scratch, "missing", "key.txt")], "", /its folder does not exist/],
    [["--out", join(scratch, "a-folder")], "", /is a folder: name a file in it/],
    [["--out", join(file, "key.txt")], "", /a part of its path is a file/],
    [["--out", file], "", /exists: pass --force to replace it/],
    [[], "1>&-", /stdout is closed or \/dev\/null/],
    [[], ">/dev/null", /stdout is closed or \/dev\/null/],
  ];
  for (const [flags, redirect, message] of cases) {
    await emulator.control("/log", { method: "DELETE" });
    const result = await runWithStdout(["rotate", id, "--phase", "generate", ...flags], redirect);
    assert.equal(result.code, 2, `${flags} ${redirect}: ${result.stderr}`);
    assert.match(result.stderr, message);
    oneLine(result.stderr);
    assert.deepEqual(await portalWrites(), [], `${flags} ${redirect}: nothing was asked of the portal`);
  }
  assert.equal(readFileSync(file, "utf8"), "in the way", "an existing file is kept without --force");
  assert.ok(await works(deployed.key));
  const s = await session();
  assert.equal((await s.getCredential(id)).slots[1].active, false, "no key was made");
  const forced = await run(["rotate", id, "--phase", "generate", "--out", file, "--force"]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(await works(readFileSync(file, "utf8").trim()));
  assert.deepEqual(
    readdirSync(scratch).filter((name) => name.endsWith(".tmp")),
    [],
    "no temporary file is left",
  );
});

test("a key that cannot be delivered after all is invalidated at once, and the run says what the credential holds", async (t) => {
  const {
    id,
    keys: [deployed],
  } = await credential("Full disk", [30, null]);
  const full = await runWithStdout(["rotate", id, "--phase", "generate"], ">/dev/full");
  assert.equal(full.code, 3, full.stderr);
  assert.match(full.stderr, /the new key 2 could not be delivered to stdout \(ENOSPC\)/);
  assert.match(full.stderr, /Key 2 was invalidated at once: nobody holds it\. "Full disk" now holds: key 1 live until \S+, key 2 empty\./);
  assert.doesNotMatch(full.stderr, /AAPT/);
  assert.ok(await works(deployed.key), "the deployed key still works");
  const s = await session();
  assert.equal((await s.getCredential(id)).slots[1].active, false, "no undelivered key is live");

  // A file on a full disk: the temporary file is made, its write fails.
  const disk = join(scratch, "tiny");
  mkdirSync(disk, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", disk], { stdio: "ignore" });
  } catch {
    t.diagnostic("no tmpfs mount here: the full-file case is covered by /dev/full only");
    return;
  }
  try {
    try {
      writeFileSync(join(disk, "filler"), Buffer.alloc(64 * 1024));
    } catch {
      // Full, as wanted.
    }
    const result = await run(["rotate", id, "--phase", "generate", "--out", join(disk, "key.txt")]);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /could not be delivered to \S+key\.txt \(ENOSPC\)/);
    assert.match(result.stderr, /Key 2 was invalidated at once/);
    assert.equal(existsSync(join(disk, "key.txt")), false, "no empty key file");
    assert.deepEqual(readdirSync(disk), ["filler"], "no temporary file is left");
    assert.ok(await works(deployed.key));
    assert.equal((await s.getCredential(id)).slots[1].active, false);
  } finally {
    execFileSync("umount", [disk]);
  }
});

test("a lost answer to the generating call leaves no undelivered live key, and a retry never stops the deployed key", async () => {
  for (const kind of ["http500", "drop", "errorJson", "malformedJson", "falseSuccess", "expiredToken"]) {
    const {
      id,
      keys: [deployed],
    } = await credential(`Lost ${kind}`, [30, null]);
    await emulator.control("/faults", { method: "POST", body: { path: "/oauth2/token", kind, phase: "after" } });
    const out = join(scratch, `lost-${kind}.txt`);
    const first = await run(["rotate", id, "--phase", "generate", "--out", out]);
    if (kind === "expiredToken") {
      // A refusal in the portal's words is taken at its word; the record tells the retry.
      assert.equal(first.code, 3, first.stderr);
      assert.match(first.stderr, /now holds: key 1 live until \S+, key 2 live/);
      assert.equal(existsSync(out), false);
      const retry = await run(["rotate", id, "--phase", "generate", "--out", out]);
      assert.equal(retry.code, 0, retry.stderr);
      assert.match(retry.stderr, /made by an earlier run that did not deliver it: made again/);
    } else {
      assert.equal(first.code, 0, `${kind}: the lost key was made again and delivered: ${first.stderr}`);
    }
    const delivered = readFileSync(out, "utf8").trim();
    assert.ok(await works(delivered), `${kind}: the live key 2 is the one delivered`);
    assert.ok(await works(deployed.key), `${kind}: the deployed key still works`);
    const again = await run(["rotate", id, "--phase", "generate", "--out", out]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /nothing was made now/);
    const retired = await run(["rotate", id, "--phase", "retire"]);
    assert.equal(retired.code, 0, retired.stderr);
    assert.match(retired.stderr, /Invalidated key 1 of "Lost \w+"; key 2 stays live/);
    assert.ok(await works(delivered), `${kind}: retire kept the delivered key`);
    assert.equal(await works(deployed.key), false, `${kind}: retire stopped only the old key`);
  }
});

test("retire refuses to keep a key that was never delivered", async () => {
  const {
    id,
    keys: [deployed],
  } = await credential("Never delivered", [30, null]);
  const s = await session();
  const rotated = await s.rotate(id, {});
  assert.equal(rotated.step, "generate");
  // No confirmDelivery: the job died between the portal and the file.
  const refused = await run(["rotate", id, "--phase", "retire", "--keep", "2"]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /Key 2 was never delivered/);
  assert.ok(await works(deployed.key));
});

test("a date means the end of that day, UTC, in the command line and the JS API alike", async () => {
  const s = await session();
  const viaCli = await credential("Dated by the command line", [30, null]);
  const viaApi = await credential("Dated by the API", [30, null]);
  const out = join(scratch, "dated.txt");
  const cli = await run(["rotate", viaCli.id, "--phase", "generate", "--expires", "2027-03-31", "--out", out]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /expiring at the end of 2027-03-31 \(UTC\)/);
  // The API given midnight of that day, as `Date.UTC(2027, 2, 31)` writes it.
  const api = await s.generateKey(viaApi.id, { slot: 2, expires: Date.UTC(2027, 2, 31) });
  const endOfDay = Date.UTC(2027, 2, 31, 23, 59, 59, 999);
  assert.equal(api.expires, endOfDay, "the expiry reported is the portal's");
  assert.equal(keys.parseExpiry("2027-03-31"), endOfDay);
  for (const id of [viaCli.id, viaApi.id]) {
    assert.equal((await s.getCredential(id)).slots[1].expires, endOfDay, "the same instant on the portal");
  }
  // The one-year limit is the same everywhere: the same calendar day next year is the last.
  const lastDay = new Date(Date.now());
  lastDay.setUTCFullYear(lastDay.getUTCFullYear() + 1);
  const last = lastDay.toISOString().slice(0, 10);
  assert.ok(keys.parseExpiry(last) > Date.now());
  const dayAfter = new Date(lastDay.getTime() + DAY_MS).toISOString().slice(0, 10);
  assert.throws(
    () => keys.parseExpiry(dayAfter),
    (e) => e instanceof keys.InputError && e.field === "expires",
  );
});

test("invalidate needs --yes; with it, the key stops", async () => {
  const {
    id,
    keys: [issued],
  } = await credential("Invalidated", [30, null]);
  const unsure = await run(["invalidate", id, "--slot", "1"]);
  assert.equal(unsure.code, 2);
  assert.match(unsure.stderr, /add --yes/);
  assert.ok(await works(issued.key), "nothing was done");
  const done = await run(["invalidate", id, "--slot", "1", "--yes"]);
  assert.equal(done.code, 0, done.stderr);
  assert.equal(await works(issued.key), false);
  const missing = await run(["invalidate", "0123456789abcdef0123456789abcdef", "--slot", "1", "--yes"]);
  assert.equal(missing.code, 3, missing.stderr);
  oneLine(missing.stderr);
});

test("calendar: one event per live key on its expiry day, alarms 30 and 7 days before, no secret", async () => {
  const both = await credential("Both keys", [20, 200]);
  await credential("No key", [null, null]);
  const out = join(scratch, "keys.ics");
  const result = await run(["calendar", "--out", out]);
  assert.equal(result.code, 0, result.stderr);
  const ics = readFileSync(out, "utf8");
  assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\n/);
  assert.match(ics, /END:VCALENDAR\r\n$/);
  const lines = ics.replace(/\r\n /g, "").split("\r\n");
  assert.ok(
    lines.every((l) => Buffer.byteLength(l) > 0 || l === ""),
    "unfolded lines",
  );
  assert.ok(
    ics.split("\r\n").every((l) => Buffer.byteLength(l) <= 75),
    "folded at 75 octets",
  );
  const events = ics.split("BEGIN:VEVENT").slice(1);
  assert.equal(events.length, 2);
  const starts = lines
    .filter((l) => l.startsWith("DTSTART;VALUE=DATE:"))
    .map((l) => l.slice(-8))
    .sort();
  const expected = both.keys.map((k) => new Date(k.expires).toISOString().slice(0, 10).replaceAll("-", "")).sort();
  assert.deepEqual(starts, expected);
  for (const event of events) {
    assert.deepEqual(event.match(/TRIGGER:-P\d+D/g), ["TRIGGER:-P30D", "TRIGGER:-P7D"]);
    assert.equal(event.match(/BEGIN:VALARM/g).length, 2);
  }
  assert.doesNotMatch(ics, /AAPT|secret/i);
  const stdout = await run(["calendar"]);
  assert.equal(stdout.stdout.split("BEGIN:VEVENT").length, 3);
});

test("scan: planted keys are found where they start, escaped or split, and masked; skipped places stay unread", async () => {
  const {
    keys: [issued],
  } = await credential("Scanned", [30, null]);
  const key = issued.key;
  const tree = join(scratch, "tree");
  for (const dir of ["src", "config", "node_modules/dep", ".git", "assets"]) mkdirSync(join(tree, dir), { recursive: true });
  writeFileSync(join(tree, "src/app.js"), `// map\nconst apiKey = "${key}";\n`);
  const escaped = [...key].map((ch, i) => (i === 6 ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}` : ch)).join("");
  writeFileSync(join(tree, "config/settings.json"), `{\n  "name": "x",\n  "key": "${escaped}"\n}\n`);
  writeFileSync(join(tree, "src/split.js"), `const k =\n  "${key.slice(0, 40)}" +\n  "${key.slice(40)}";\n`);
  writeFileSync(join(tree, "node_modules/dep/index.js"), `"${key}"`);
  writeFileSync(join(tree, ".git/config"), key);
  writeFileSync(join(tree, "assets/blob.bin"), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(key)]));
  writeFileSync(join(tree, "README.md"), "Keys look like AAPT… and are never committed.\n");

  const result = await run(["scan", "tree"]);
  assert.equal(result.code, 1, result.stderr);
  const hits = result.stdout.trimEnd().split("\n").sort();
  const masked = `${key.slice(0, 4)}…${key.slice(-4)}`;
  assert.deepEqual(hits, [
    `tree/config/settings.json:3:11\tAPI key\tslot 1\t${masked}`,
    `tree/src/app.js:2:17\tAPI key\tslot 1\t${masked}`,
    `tree/src/split.js:2:4\tAPI key\tslot 1\t${masked}`,
  ]);
  assert.ok(!result.stdout.includes(key.slice(4, -4)), "the key is masked");

  const live = await run(["scan", "tree/src/app.js", "--live", "--service-base", emulator.base]);
  assert.match(live.stdout, /\tworks$/m);
  await (await session()).invalidateKey((await (await session()).listCredentials({}))[0].id, 1);
  const dead = await run(["scan", "tree/src/app.js", "--live", "--service-base", emulator.base]);
  assert.match(dead.stdout, /\tdead$/m);
  const nowhere = await run(["scan", "no-such-dir"]);
  assert.equal(nowhere.code, 2);
});

test("scan finds no key in the repository itself", async () => {
  // Tracked and new files, as they are on disk (a file deleted but not yet committed is gone).
  const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((file) => file && existsSync(join(root, file)));
  const result = await run(["scan", ...tracked], { cwd: root, env: {} });
  assert.equal(result.stdout, "");
  assert.equal(result.code, 0, result.stdout);
});
