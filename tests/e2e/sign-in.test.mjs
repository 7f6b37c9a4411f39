// The emulator's own OAuth sign-in page in headless Chromium: scanned with axe-core,
// and signing in works by keyboard alone. (The manager's screens: manager.test.mjs.)

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { artifacts, axeViolations, launchChromium } from "../support/browser.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

let emulator;
let browser;

before(async () => {
  emulator = await startEmulator();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await emulator?.stop();
});

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

function authorizeUrl(challenge, state) {
  const params = new URLSearchParams({
    client_id: "arcgis-keys-manager",
    response_type: "code",
    redirect_uri: `${emulator.base}/index.html`,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${emulator.rest}/oauth2/authorize?${params}`;
}

test("OAuth sign-in by keyboard alone returns a code that exchanges for a token", async () => {
  const { verifier, challenge } = pkce();
  const page = await browser.newPage();
  await page.goto(authorizeUrl(challenge, "state-123"));
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${artifacts}oauth-sign-in.png` });

  // Keyboard only: Tab to the username, type, Tab to the password, type, Enter.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "username");
  await page.keyboard.type("jsmith");
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await Promise.all([page.waitForURL(/\/index\.html\?/), page.keyboard.press("Enter")]);

  const redirected = new URL(page.url());
  assert.equal(redirected.searchParams.get("state"), "state-123");
  const code = redirected.searchParams.get("code");
  assert.ok(code);
  await page.close();

  const response = await fetch(`${emulator.rest}/oauth2/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: "arcgis-keys-manager",
      code,
      redirect_uri: `${emulator.base}/index.html`,
      code_verifier: verifier,
      f: "json",
    }),
  });
  const tokens = await response.json();
  assert.equal(tokens.username, "jsmith");
  const me = await (
    await fetch(`${emulator.rest}/community/self?f=json`, { method: "POST", body: new URLSearchParams({ token: tokens.access_token }) })
  ).json();
  assert.equal(me.username, "jsmith");
});

test("a wrong password keeps the username, announces the error and stays accessible", async () => {
  const { challenge } = pkce();
  const page = await browser.newPage();
  await page.goto(authorizeUrl(challenge, "s"));
  await page.getByLabel("Username").fill("jsmith");
  await page.getByLabel("Password").fill("not-the-password");
  await Promise.all([page.waitForLoadState(), page.getByRole("button", { name: "Sign in" }).click()]);
  await page.getByRole("alert").waitFor();
  assert.equal(await page.getByRole("alert").textContent(), "Invalid username or password.");
  assert.equal(await page.getByLabel("Username").inputValue(), "jsmith");
  assert.equal(await page.getByLabel("Password").inputValue(), "");
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${artifacts}oauth-sign-in-error.png` });

  await Promise.all([page.waitForURL(/\/index\.html\?/), page.getByRole("button", { name: "Cancel" }).click()]);
  assert.equal(new URL(page.url()).searchParams.get("error"), "access_denied");
  await page.close();
});
