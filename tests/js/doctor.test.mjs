// `arcgis-keys doctor` on the command line against the emulator: the report, a
// transcript with no secret the run saw in it (checked against the raw traffic through
// a recording proxy), --read-only sending no write, and nothing left on the portal, also
// when a run is killed part-way and doctor runs again.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";

import * as keys from "arcgis-keys";

import { runCli, startCli } from "../support/cli.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

let emulator;
let scratch;
before(async () => {
  emulator = await startEmulator();
  scratch = mkdtempSync(join(tmpdir(), "arcgis-keys-doctor-"));
});
after(async () => {
  await emulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(() => emulator.control("/reset", { method: "POST" }));

const signedIn = (portal = emulator.rest, username = "jsmith") => ({
  ARCGIS_PORTAL: portal,
  ARCGIS_USERNAME: username,
  ARCGIS_PASSWORD: DEMO_PASSWORD,
  HOME: scratch,
});

/** Items of `username` in the root folder, where doctor makes its credentials. */
async function rootItems(username = "jsmith") {
  const session = await keys.signIn({ portal: emulator.rest, username, password: DEMO_PASSWORD });
  return (await session.browse()).total;
}

/** The paths the portal saw that change something. */
async function writes() {
  const { entries: log } = await emulator.control("/log");
  const changing = ["/addItem", "/update", "/delete", "/registerApp", "/oauth2/token", "/revokeToken", "/restore", "/createFolder"];
  return log.filter((e) => changing.some((w) => e.path.endsWith(w))).map((e) => e.path);
}

test("doctor reports each point on the friendly emulator, and leaves nothing behind", async () => {
  const before = await rootItems();
  const result = await runCli(["doctor", "--json", "--service-base", emulator.base], { env: signedIn() });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.portal, "ArcGIS Online");
  const readings = Object.fromEntries(report.findings.map((f) => [f.point, f.reading]));
  assert.deepEqual(readings, {
    orgKeyQuery: null,
    oauthTokenForKeys: null,
    searchLagMs: "fresh",
    usageForMembers: "allowed",
    expirationRounding: "endOfUtcDay",
    referrersUpdate: "keysStay",
    omittedAppField: "keep",
    apiKeySelf: "owner",
    apiKeyReads: "anyPersonal",
    personalFlagOnUpdate: "recomputed",
    nonPersonalKey: "forbidden",
    recycledKeys: "stop",
  });
  assert.match(report.findings[0].notTested, /administrator/);
  assert.deepEqual(report.leftBehind, []);
  assert.equal(await rootItems(), before);

  const text = await runCli(["doctor", "--service-base", emulator.base], { env: signedIn() });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ArcGIS Online, as jsmith \(token\)/);
  assert.match(text.stdout, /referrersUpdate\s+keysStay\s+observed/);
  assert.match(text.stdout, /oauthTokenForKeys\s+not tested\s+needs an OAuth sign-in/);
});

test("the strict set is reported as strict, for an administrator too", async () => {
  await emulator.control("/behaviour", {
    method: "PUT",
    body: {
      omittedAppField: "clear",
      referrersUpdate: "keysStop",
      recycledKeys: "keepWorking",
      searchLagMs: 1500,
      orgKeyQuery: "forbidden",
      apiKeySelf: "refused",
      apiKeyReads: "contentPrivilege",
      nonPersonalKey: "invalidToken",
    },
  });
  const result = await runCli(["doctor", "--json", "--service-base", emulator.base], { env: signedIn(emulator.rest, "demo_admin") });
  assert.equal(result.code, 0, result.stderr);
  const findings = Object.fromEntries(JSON.parse(result.stdout).findings.map((f) => [f.point, f]));
  for (const [point, reading] of Object.entries({
    orgKeyQuery: "forbidden",
    searchLagMs: "lags",
    referrersUpdate: "keysStop",
    omittedAppField: "clear",
    apiKeySelf: "refused",
    apiKeyReads: "contentPrivilege",
    nonPersonalKey: "invalidToken",
    recycledKeys: "keepWorking",
  })) {
    assert.equal(findings[point].reading, reading, point);
  }
  assert.equal(findings.searchLagMs.certainty, "measured");
  assert.ok(findings.searchLagMs.measuredMs >= 1500, String(findings.searchLagMs.measuredMs));
  assert.match(findings.usageForMembers.notTested, /administrator/);
});

/**
 * A proxy in front of the emulator that keeps every request and answer as sent, so the
 * test knows every secret the run saw.
 */
async function recordingProxy() {
  const raw = [];
  const server = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString();
    const upstream = await fetch(`${emulator.base}${request.url}`, {
      method: request.method,
      headers: { "content-type": request.headers["content-type"] ?? "text/plain" },
      body: request.method === "GET" ? undefined : body,
      redirect: "manual",
    });
    const answer = await upstream.text();
    raw.push(`${request.url}\n${body}\n${answer}`);
    response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
    response.end(answer);
  });
  await new Promise((resolve) => server.listen({ port: 0, host: "127.0.0.1" }, () => resolve(undefined)));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { base, raw, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Every secret in raw traffic, by kind: secret parameters, secret JSON fields, keys. */
function secretsIn(raw) {
  const found = { parameters: new Set(), fields: new Set(), keys: new Set() };
  for (const text of raw) {
    for (const match of text.matchAll(
      /(?:^|[?&\n])(token|password|client_secret|refresh_token|code|code_verifier|auth_token)=([^&\n]+)/g,
    )) {
      found.parameters.add(decodeURIComponent(match[2].replaceAll("+", " ")));
    }
    for (const match of text.matchAll(/"(token|access_token|refresh_token|client_secret|apiKey)"\s*:\s*"([^"]+)"/g)) {
      found.fields.add(match[2]);
    }
    for (const match of text.matchAll(/AA[PT][TK][A-Za-z0-9_-]{16,}/g)) found.keys.add(match[0]);
  }
  return found;
}

test("a transcript holds every exchange and none of the secrets the run saw", async () => {
  const proxy = await recordingProxy();
  try {
    const file = join(scratch, "transcript.json");
    const result = await runCli(["doctor", "--transcript", file, "--service-base", proxy.base], {
      env: signedIn(`${proxy.base}/sharing/rest`),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, "utf8");
    const transcript = JSON.parse(text);
    const paths = transcript.exchanges.map((e) => new URL(e.url).pathname);
    for (const expected of ["/sharing/rest/oauth2/registerApp", "/sharing/rest/oauth2/token", "/sharing/rest/community/self"]) {
      assert.ok(paths.includes(expected), expected);
    }
    assert.ok(transcript.exchanges.every((e) => e.status !== null && e.answer !== null));
    const found = secretsIn(proxy.raw);
    // The user's token and password, three client secrets, three keys at least.
    assert.ok(found.parameters.size >= 2, `secret parameters seen: ${found.parameters.size}`);
    assert.ok(found.fields.size >= 6, `secret fields seen: ${found.fields.size}`);
    assert.ok(found.keys.size >= 3, `keys seen: ${found.keys.size}`);
    const secrets = [...found.parameters, ...found.fields, ...found.keys].filter((s) => s.length >= 8);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret of ${secret.length} characters is in the transcript`);
    assert.match(text, /\[redacted\]/);
  } finally {
    await proxy.close();
  }
});

test("doctor's options are checked before anything is sent", async () => {
  const session = await keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });
  await emulator.control("/log", { method: "DELETE" });
  for (const [options, field] of [
    [{ readOnly: "yes" }, "readOnly"],
    [{ serviceBase: 1 }, "serviceBase"],
    [{ transcript: {} }, "transcript"],
    ["all", "options"],
  ]) {
    await assert.rejects(
      session.doctor(/** @type {any} */ (options)),
      (error) => error instanceof keys.InputError && error.field === field,
      JSON.stringify(options),
    );
  }
  assert.deepEqual((await emulator.control("/log")).entries, []);
});

test("--read-only sends no write", async () => {
  await keys
    .signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD })
    .then((s) => s.createCredential({ title: "Mine", privileges: ["premium:user:basemaps"] }));
  await emulator.control("/log", { method: "DELETE" });
  const result = await runCli(["doctor", "--read-only", "--json"], { env: signedIn() });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(await writes(), []);
  const findings = Object.fromEntries(JSON.parse(result.stdout).findings.map((f) => [f.point, f]));
  assert.equal(findings.usageForMembers.reading, "allowed");
  assert.match(findings.referrersUpdate.notTested, /--read-only/);
});

test("a run killed part-way leaves credentials the next run deletes", async () => {
  const before = await rootItems();
  await emulator.control("/latency", { method: "PUT", body: { ms: 150 } });
  const killed = startCli(["doctor", "--service-base", emulator.base], { env: signedIn() });
  for (;;) {
    const { entries: log } = await emulator.control("/log");
    if (log.filter((e) => e.path.endsWith("/registerApp")).length >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  killed.kill("SIGKILL");
  await killed.done;
  await emulator.control("/latency", { method: "PUT", body: { ms: 0 } });
  assert.ok((await rootItems()) > before, "the killed run left its credentials");

  const again = await runCli(["doctor", "--service-base", emulator.base], { env: signedIn() });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /Deleted [1-9]\d* throwaway credentials an earlier run left/);
  assert.equal(await rootItems(), before);
});

test("Ctrl-C deletes the throwaway credentials before leaving", async () => {
  const before = await rootItems();
  await emulator.control("/latency", { method: "PUT", body: { ms: 150 } });
  const interrupted = startCli(["doctor", "--service-base", emulator.base], { env: signedIn() });
  for (;;) {
    const { entries: log } = await emulator.control("/log");
    if (log.some((e) => e.path.endsWith("/registerApp"))) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  interrupted.kill("SIGINT");
  const done = await interrupted.done;
  await emulator.control("/latency", { method: "PUT", body: { ms: 0 } });
  assert.equal(done.code, 130, done.stderr);
  assert.match(done.stderr, /Interrupted: deleting the throwaway credentials/);
  assert.equal(await rootItems(), before);
});
