// The fixture every test of the standalone manager shares: one emulator (strict CSP,
// an optional seed) and one Chromium for the file; per test a fresh portal, a context
// that records CSP violations and may use the clipboard, and a page that records
// uncaught errors. After each test: no uncaught error, no CSP violation, and no legacy
// write in the request log (legacy keys are retired).
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach } from "node:test";

import { launchChromium, recordCspViolations } from "./browser.mjs";
import { DEMO_PASSWORD, startEmulator } from "./emulator.mjs";

/**
 * Registers the hooks and returns the fixture, whose `emulator`, `browser`, `context`
 * and `page` are set while a test runs. `atEnd(t, page)` runs first after each test
 * (a screenshot, say).
 * @param {{ seed?: string, atEnd?: (t: { name: string }, page: import("playwright-core").Page) => unknown }} [options]
 */
export function useManagerPage({ seed, atEnd } = {}) {
  const fixture = { emulator: null, browser: null, context: null, page: null };
  before(async () => {
    fixture.emulator = await startEmulator({ strictCsp: true, seed });
    fixture.browser = await launchChromium();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.emulator?.stop();
  });
  beforeEach(async () => {
    const { emulator, browser } = fixture;
    await emulator.control("/reset", { method: "POST" });
    await emulator.control("/faults", { method: "DELETE" });
    const context = await browser.newContext();
    context.cspViolations = await recordCspViolations(context);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: emulator.base });
    const page = await context.newPage();
    page.errors = [];
    page.on("pageerror", (error) => page.errors.push(error.message));
    page.on("dialog", (dialog) => refuseBrowserDialog(page, dialog));
    Object.assign(fixture, { context, page });
  });
  afterEach(async (t) => {
    const { emulator, context, page } = fixture;
    await atEnd?.(t, page);
    assert.deepEqual(page.errors, [], "no uncaught errors in the page");
    assert.deepEqual(context.cspViolations, [], "no Content-Security-Policy violations");
    const { entries } = await emulator.control("/log");
    const legacyWrites = entries.filter((e) => e.body.appType === "apikey" || e.path.endsWith("/resetApiKey"));
    assert.deepEqual(legacyWrites, [], "no legacy write was sent");
    await context.close();
  });
  return fixture;
}

/**
 * Signs in with the manager's own password form, on whatever page shows the manager
 * (the standalone site or an embedding), and waits for the list of keys.
 * @param {import("playwright-core").Page} page
 * @param {{ username?: string }} [options]
 */
export async function signInWithPassword(page, { username = "jsmith" } = {}) {
  await page.getByLabel("Username and password").check();
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
}

/**
 * Fills and submits the emulator's OAuth sign-in page (in a popup or after a redirect).
 * @param {import("playwright-core").Page} portalPage
 */
export async function signInAtPortal(portalPage) {
  await portalPage.getByLabel("Username").fill("jsmith");
  await portalPage.getByLabel("Password").fill(DEMO_PASSWORD);
  await portalPage.getByRole("button", { name: "Sign in" }).click();
}

/**
 * `days` from now as `<input type="date">` writes it.
 * @param {number} days
 */
export function dateIn(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Calls the emulated basemap styles service from `page` with `key`: "ok", or the error's code.
 * @param {import("playwright-core").Page} page
 * @param {string} key
 */
export async function styleServiceAnswers(page, key) {
  return page.evaluate(async (key) => {
    const response = await fetch(`/arcgis/rest/services/styles/v2/styles/self?token=${encodeURIComponent(key)}`);
    const body = await response.json();
    return body.error ? `error ${body.error.code}` : "ok";
  }, key);
}

/**
 * Waits for the manager's confirmation dialog headed `heading`, and presses `action`
 * in it (or Escape, when `action` is null). Returns the dialog's words, read first.
 * @param {import("playwright-core").Page} page
 * @param {string} heading
 * @param {string | null} action
 */
export async function answerDialog(page, heading, action) {
  const dialog = page.getByRole("dialog", { name: heading });
  await dialog.waitFor();
  const words = await dialog.innerText();
  if (action === null) await page.keyboard.press("Escape");
  else await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
  return words;
}

/**
 * The manager asks in its own dialogs: a browser `alert`, `confirm` or `prompt` is
 * recorded as a page error (and dismissed). Leaving with a key not yet copied is the
 * one browser question it may ask (`beforeunload`), and leaving is accepted.
 * @param {import("playwright-core").Page & { errors: string[] }} page
 * @param {import("playwright-core").Dialog} dialog
 */
export function refuseBrowserDialog(page, dialog) {
  if (dialog.type() === "beforeunload") return dialog.accept();
  page.errors.push(`a browser ${dialog.type()}: ${dialog.message()}`);
  return dialog.dismiss();
}
