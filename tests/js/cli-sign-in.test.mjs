// How the command line signs in beyond a password: an administrator's API key (CI's
// first choice) and `login` through the browser, kept as a profile for later commands.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";

import * as keys from "arcgis-keys";

import { launchChromium } from "../support/browser.mjs";
import { runCli, startCli } from "../support/cli.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

const DAY_MS = 86_400_000;
const basemaps = "premium:user:basemaps";
const CLIENT_ID = "arcgis-keys-manager";

let emulator;
let scratch;
before(async () => {
  emulator = await startEmulator();
  scratch = mkdtempSync(join(tmpdir(), "arcgis-keys-sign-in-"));
});
after(async () => {
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => emulator.control("/reset", { method: "POST" }));

const as = (username) => keys.signIn({ portal: emulator.rest, username, password: DEMO_PASSWORD });

/** A key of a new credential of `username` holding `privileges` (slot 1, 30 days). */
async function keyWith(username, privileges, title = "Automation") {
  const session = await as(username);
  const personal = privileges.some((p) => p.startsWith("portal:"));
  const created = await session.createCredential({
    title,
    privileges,
    keys: [{ slot: 1, expires: Date.now() + 30 * DAY_MS }],
    acknowledgePersonalPrivileges: personal,
  });
  return { id: created.credential.id, key: created.keys[0].key };
}

/** The environment of a CI job that holds only an API key (and, maybe, its owner). */
const withKey = (key, extra = {}) => ({ ARCGIS_PORTAL: emulator.rest, ARCGIS_API_KEY: key, HOME: scratch, ...extra });

const works = async (key) => (await keys.testKey({ key, privilege: basemaps, serviceBase: emulator.base })).accepted;

test("with only an administrator's API key, list, check, rotate (both phases) and calendar work", async () => {
  const automation = await keyWith("demo_admin", ["portal:user:createItem", "portal:admin:viewItems", "portal:admin:updateItems"]);
  const service = await keyWith("demo_admin", [basemaps], "Service");
  const env = withKey(automation.key);

  const who = await runCli(["whoami", "--json"], { env });
  assert.equal(who.code, 0, who.stderr);
  assert.deepEqual(JSON.parse(who.stdout), { username: "demo_admin", portal: emulator.rest, signedInWith: "apiKey", isAdmin: true });

  const list = await runCli(["list"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /Service/);
  assert.match(list.stdout, /Automation/);

  const check = await runCli(["check", "--expiring", "60d"], { env });
  assert.equal(check.code, 1, `both keys expire within 60 days: ${check.stderr}`);
  assert.match(check.stdout, /Service/);

  const calendar = await runCli(["calendar"], { env });
  assert.equal(calendar.code, 0, calendar.stderr);
  assert.equal(calendar.stdout.split("BEGIN:VEVENT").length, 3, "one event per live key");

  const out = join(scratch, "service-key.txt");
  const generated = await runCli(["rotate", service.id, "--phase", "generate", "--expires", "90d", "--out", out], { env });
  assert.equal(generated.code, 0, generated.stderr);
  const fresh = readFileSync(out, "utf8").trim();
  assert.equal(keys.slotOfKey(fresh), 2);
  assert.ok(await works(fresh), "the new key works");
  const retired = await runCli(["rotate", service.id, "--phase", "retire"], { env });
  assert.equal(retired.code, 0, retired.stderr);
  assert.equal(await works(service.key), false, "the old key stopped");
  assert.ok(await works(fresh), "the new key still works");
});

test("where the portal does not name a key's owner, ARCGIS_USERNAME does, and without it the run says so", async () => {
  const automation = await keyWith("jsmith", ["portal:user:createItem"]);
  await emulator.control("/behaviour", { method: "PUT", body: { apiKeySelf: "refused" } });
  const without = await runCli(["list"], { env: withKey(automation.key) });
  assert.equal(without.code, 2, without.stderr);
  assert.match(without.stderr, /give the username of the credential's owner/);
  const named = await runCli(["whoami"], { env: withKey(automation.key, { ARCGIS_USERNAME: "jsmith" }) });
  assert.equal(named.code, 0, named.stderr);
  assert.match(named.stdout, /^jsmith on /);
});

test("a key missing a privilege exits 3 naming it; a key with no personal privilege is refused in plain words", async () => {
  const viewer = await keyWith("jsmith", ["portal:user:viewOrgItems"]);
  const service = await keyWith("jsmith", [basemaps], "Service");
  const refused = await runCli(["rotate", service.id, "--phase", "generate", "--out", join(scratch, "never.txt")], {
    env: withKey(viewer.key),
  });
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /portal:user:createItem/);
  assert.doesNotMatch(refused.stderr, /[Ss]ign in again/);
  assert.ok(await works(service.key), "nothing changed");

  for (const nonPersonalKey of ["forbidden", "invalidToken"]) {
    await emulator.control("/behaviour", { method: "PUT", body: { nonPersonalKey } });
    const result = await runCli(["list"], { env: withKey(service.key, { ARCGIS_USERNAME: "jsmith" }) });
    assert.equal(result.code, 3, `${nonPersonalKey}: ${result.stderr}`);
    assert.match(result.stderr, /personal privilege/, nonPersonalKey);
    assert.doesNotMatch(result.stderr, /[Ss]ign in again|AAPT/, nonPersonalKey);
  }
});

/** The profiles file of a config folder, and its mode. */
function profiles(dir) {
  const file = join(dir, "profiles.json");
  return { file, mode: statSync(file).mode & 0o777, dirMode: statSync(dir).mode & 0o777, text: readFileSync(file, "utf8") };
}

test("login in the browser (loopback): a 0600 profile without a password, used by the next command; logout revokes it", async () => {
  const config = mkdtempSync(join(scratch, "config-"));
  const env = { ARCGIS_PORTAL: emulator.rest, ARCGIS_KEYS_CONFIG_DIR: join(config, "arcgis-keys"), BROWSER: "none", HOME: scratch };
  const login = startCli(["login", "--client-id", CLIENT_ID], { env });
  const url = (await login.stderrLine(/oauth2\/authorize\?/)).trim();
  assert.match(url, /redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/);
  assert.match(url, /code_challenge_method=S256/);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByLabel("Username").fill("jsmith");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Signed in" }).waitFor();
  } finally {
    await browser.close();
  }
  const done = await login.done;
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /as jsmith; kept as profile "default"/);

  const kept = profiles(env.ARCGIS_KEYS_CONFIG_DIR);
  assert.equal(kept.mode, 0o600);
  assert.equal(kept.dirMode, 0o700);
  assert.doesNotMatch(kept.text, new RegExp(DEMO_PASSWORD));
  assert.doesNotMatch(kept.text, /password/i);
  const profile = JSON.parse(kept.text).profiles.default;
  assert.equal(profile.username, "jsmith");
  assert.equal(profile.portal, emulator.rest);
  assert.ok(profile.refreshToken.length > 20);

  // The next command signs in from the profile, with nothing on stdin to answer a prompt.
  const who = await runCli(["whoami"], {
    env: { ARCGIS_KEYS_CONFIG_DIR: env.ARCGIS_KEYS_CONFIG_DIR, ARCGIS_PORTAL: emulator.rest, HOME: scratch },
  });
  assert.equal(who.code, 0, who.stderr);
  assert.match(who.stdout, /^jsmith on .* \(oauth\)/);
  const list = await runCli(["list"], { env: { ARCGIS_KEYS_CONFIG_DIR: env.ARCGIS_KEYS_CONFIG_DIR, HOME: scratch } });
  assert.equal(list.code, 0, `the profile names its portal: ${list.stderr}`);

  const logout = await runCli(["logout"], { env });
  assert.equal(logout.code, 0, logout.stderr);
  await assert.rejects(keys.fromRefreshToken(profile), keys.SignInRequiredError, "the refresh token was revoked");
  assert.equal(JSON.parse(profiles(env.ARCGIS_KEYS_CONFIG_DIR).text).profiles.default, undefined);
  const after = await runCli(["whoami"], { env });
  assert.equal(after.code, 2);
  assert.match(after.stderr, /arcgis-keys login/);
});

test("login without a browser: the out-of-band code typed on stdin; a profile near its end is renewed", async () => {
  const dir = join(mkdtempSync(join(scratch, "config-")), "arcgis-keys");
  const env = { ARCGIS_PORTAL: emulator.rest, ARCGIS_KEYS_CONFIG_DIR: dir, ARCGIS_CLIENT_ID: CLIENT_ID, HOME: scratch };
  const login = startCli(["login", "--no-browser", "--profile", "ci"], { env });
  const url = new URL((await login.stderrLine(/oauth2\/authorize\?/)).trim());
  assert.equal(url.searchParams.get("redirect_uri"), "urn:ietf:wg:oauth:2.0:oob");
  // The user signs in on another machine: the portal shows the code.
  const form = new URLSearchParams(url.searchParams);
  form.set("username", "jsmith");
  form.set("password", DEMO_PASSWORD);
  form.set("action", "sign-in");
  const page = await (await fetch(`${url.origin}${url.pathname}`, { method: "POST", body: form })).text();
  const code = page.match(/SUCCESS code=([^<]+)</)?.[1];
  assert.ok(code, page);
  login.stdin.end(`${code}\n`);
  const done = await login.done;
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /kept as profile "ci"/);
  assert.equal(profiles(dir).mode, 0o600);

  // Near its end, the next command trades the refresh token for a new one and keeps it.
  const before = JSON.parse(profiles(dir).text).profiles.ci;
  const file = join(dir, "profiles.json");
  writeFileSync(file, JSON.stringify({ version: 1, profiles: { ci: { ...before, refreshExpires: Date.now() + DAY_MS } } }), {
    mode: 0o600,
  });
  const who = await runCli(["whoami", "--profile", "ci"], { env });
  assert.equal(who.code, 0, who.stderr);
  const renewed = JSON.parse(profiles(dir).text).profiles.ci;
  assert.notEqual(renewed.refreshToken, before.refreshToken);
  assert.ok(renewed.refreshExpires > Date.now() + 13 * DAY_MS, "a fresh two weeks");
  assert.equal(profiles(dir).mode, 0o600);
  await assert.rejects(keys.fromRefreshToken(before), keys.SignInRequiredError, "the old refresh token stopped");

  // A profiles file others can read is refused, as ssh refuses a readable key.
  const { chmodSync } = await import("node:fs");
  chmodSync(file, 0o644);
  const exposed = await runCli(["whoami", "--profile", "ci"], { env });
  assert.equal(exposed.code, 2);
  assert.match(exposed.stderr, /chmod 600/);
});
