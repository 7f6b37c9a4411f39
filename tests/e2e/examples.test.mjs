// The package in Chromium, through its two browser examples served by the emulator:
// the plain HTML page (import map, no bundler) and the Vite build. Each runs every
// operation, and so does a module Web Worker; the HTML page also signs in with ArcGIS by
// popup and by redirect.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { artifacts, axeViolations, launchChromium } from "../support/browser.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";
import { everyOperation, OPERATIONS } from "../support/every-operation.mjs";
import { signInAtPortal } from "../support/manager-page.mjs";
import { startRedirectTrap } from "../support/redirect-trap.mjs";
import { installPackage, viteBuild } from "../support/site.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let site;
let emulator;
let browser;

before(async () => {
  // The site: the HTML example with the package where an npm install puts it, and the
  // Vite example's production build.
  site = mkdtempSync(join(tmpdir(), "arcgis-keys-examples-"));
  cpSync(join(root, "examples/html"), join(site, "html"), { recursive: true });
  installPackage(join(site, "html"));
  viteBuild("examples/vite", join(site, "vite"));
  emulator = await startEmulator({ site });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await emulator?.stop();
  rmSync(site, { recursive: true, force: true });
});

/** A page whose example has loaded the package; `errors` collects uncaught errors. */
async function open(path) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(`${emulator.base}${path}`);
  // The load event does not wait for the module's top-level await (the wasm).
  await page.waitForFunction(() => globalThis.arcgisKeys);
  return { page, errors };
}

/** Runs `everyOperation` inside the page, with the API the page exposes. */
function everyOperationIn(page) {
  const env = { rest: emulator.rest, base: emulator.base, username: "jsmith", password: DEMO_PASSWORD };
  return page.evaluate(`(${everyOperation})(globalThis.arcgisKeys, ${JSON.stringify(env)})`);
}

test("plain HTML page: sign in, create a key, rotate, and every operation", async () => {
  const { page, errors } = await open("/html/index.html");
  assert.deepEqual(await axeViolations(page), []);
  await page.getByLabel("Username").fill("jsmith");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Credentials of jsmith" }).waitFor();
  await page.getByRole("cell", { name: "Storefront locator", exact: true }).waitFor();

  await page.getByLabel("Title").fill("From the HTML page");
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByText(/^Created "From the HTML page"\. Key 1: AAPT/).waitFor();
  assert.equal(await page.getByLabel("Title").inputValue(), "", "the form is ready for the next one");

  await page.getByRole("button", { name: "Rotate From the HTML page" }).click();
  await page.getByText('Rotated "From the HTML page": key 2 is live, key 1 no longer works.').waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${artifacts}example-html.png`, fullPage: true });

  assert.deepEqual(await everyOperationIn(page), OPERATIONS);
  assert.deepEqual(errors, []);
  await page.close();
});

test("in Chromium a portal that redirects gets no secret either", async () => {
  const trap = await startRedirectTrap();
  const { page, errors } = await open("/html/index.html");
  try {
    const outcome = await page.evaluate(async (portal) => {
      try {
        await globalThis.arcgisKeys.signIn({ portal, username: "jsmith", password: "hunter2-secret" });
        return "signed in";
      } catch (error) {
        return error.name;
      }
    }, trap.portal);
    assert.equal(outcome, "NetworkError");
    assert.deepEqual(trap.received, [], "nothing reached the redirect's target");
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await trap.stop();
  }
});

test("plain HTML page: Sign in with ArcGIS in a popup", async () => {
  const { page, errors } = await open("/html/index.html");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.getByRole("button", { name: "Sign in with ArcGIS" }).click()]);
  await popup.waitForLoadState();
  assert.match(popup.url(), /\/oauth2\/authorize\?.*code_challenge_method=S256/);
  await Promise.all([popup.waitForEvent("close"), signInAtPortal(popup)]);
  await page.getByRole("heading", { name: "Credentials of jsmith" }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("an OAuth session renews its token itself when the portal ends it, and signing out revokes it", async () => {
  const { page, errors } = await open("/html/index.html");
  const redirectUri = `${emulator.base}/html/callback.html`;
  const [popup] = await Promise.all([
    page.waitForEvent("popup"),
    page.evaluate(
      ([portal, uri]) => {
        globalThis.signedIn = globalThis.arcgisKeys.beginOAuth({ portal, clientId: "arcgis-keys-manager", redirectUri: uri });
      },
      [emulator.rest, redirectUri],
    ),
  ]);
  await Promise.all([popup.waitForEvent("close"), signInAtPortal(popup)]);
  assert.equal(await page.evaluate(async () => (await globalThis.signedIn).username), "jsmith");

  await emulator.control("/expire-tokens", { method: "POST", body: {} });
  await emulator.control("/log", { method: "DELETE" });
  const listed = await page.evaluate(async () => (await (await globalThis.signedIn).listCredentials()).length);
  assert.ok(listed > 0);
  const calls = (await emulator.control("/log")).entries.map((e) => e.path.replace(/^\/sharing\/rest/, ""));
  assert.deepEqual(calls.slice(0, 3), ["/search", "/oauth2/token", "/search"], "refused, refreshed, retried");

  const afterSignOut = await page.evaluate(async () => {
    const session = await globalThis.signedIn;
    await session.signOut();
    return session.listCredentials().catch((e) => e.name);
  });
  assert.equal(afterSignOut, "SignInRequiredError");
  const revoked = (await emulator.control("/log")).entries.filter((e) => e.path.endsWith("/oauth2/revokeToken"));
  assert.equal(revoked.length, 2, "the refresh token and the access token");
  assert.deepEqual(errors, []);
  await page.close();
});

test("plain HTML page: Sign in with ArcGIS by redirect; the code leaves the address bar", async () => {
  const { page, errors } = await open("/html/index.html");
  const redirectUri = `${emulator.base}/html/callback.html`;
  await Promise.all([
    page.waitForURL(/\/oauth2\/authorize\?/),
    page.evaluate(
      ([portal, uri]) => globalThis.arcgisKeys.beginOAuth({ portal, clientId: "arcgis-keys-manager", redirectUri: uri, popup: false }),
      [emulator.rest, redirectUri],
    ),
  ]);
  await signInAtPortal(page);
  await page.getByText("Signed in as jsmith.").waitFor();
  assert.equal(new URL(page.url()).search, "", "no code or state in the URL");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "nothing left in session storage");
  assert.deepEqual(errors, []);
  await page.close();
});

test("in a module Web Worker: every operation", async () => {
  const { page, errors } = await open("/html/index.html");
  const env = { rest: emulator.rest, base: emulator.base, username: "jsmith", password: DEMO_PASSWORD };
  const source = `
    import * as keys from "${emulator.base}/html/node_modules/arcgis-keys/dist/web/index.js";
    try {
      postMessage({ ran: await (${everyOperation})(keys, ${JSON.stringify(env)}), global: String(globalThis) });
    } catch (error) {
      postMessage({ error: String(error) });
    }`;
  const result = await page.evaluate(
    (code) =>
      new Promise((resolve) => {
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => resolve({ error: event.message });
      }),
    source,
  );
  assert.equal(result.error, undefined);
  assert.match(result.global, /DedicatedWorkerGlobalScope/);
  assert.deepEqual(result.ran, OPERATIONS);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a redirect page nobody is waiting for says so", async () => {
  const { page } = await open("/html/index.html");
  const message = await page.evaluate(() => globalThis.arcgisKeys.completeOAuth().catch((e) => `${e.name}: ${e.message}`));
  assert.match(message, /^ArcGISKeysError: .*no sign-in is waiting/);
  await page.close();
});

test("Vite build: sign in, list, and every operation", async () => {
  const { page, errors } = await open("/vite/index.html");
  await page.getByLabel("Username").fill("jsmith");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(/^jsmith: \d+ credentials\.$/).waitFor();
  assert.ok((await page.getByRole("listitem").count()) > 0);
  assert.deepEqual(await axeViolations(page), []);
  await page.screenshot({ path: `${artifacts}example-vite.png`, fullPage: true });

  assert.deepEqual(await everyOperationIn(page), OPERATIONS);
  assert.deepEqual(errors, []);
  await page.close();
});
