// The standalone manager's security properties, in Chromium under its strict CSP:
// hostile text renders as text, and once a key's reveal is dismissed no key, token or
// client secret is left in the DOM, storage, URLs or console output, and no copy of the
// key in the widget's wasm memory.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, test } from "node:test";

import * as keys from "arcgis-keys";

import { artifacts, launchChromium, recordCspViolations } from "../support/browser.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";
import { signInWithPassword } from "../support/manager-page.mjs";

let emulator;
let browser;
let context;
let page;

before(async () => {
  emulator = await startEmulator({ strictCsp: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await emulator?.stop();
});

beforeEach(async () => {
  await emulator.control("/reset", { method: "POST" });
  context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: emulator.base });
  context.cspViolations = await recordCspViolations(context);
  page = await context.newPage();
  page.errors = [];
  page.dialogs = [];
  page.console = [];
  page.requests = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  page.on("dialog", (dialog) => {
    page.dialogs.push(dialog.message());
    dialog.accept();
  });
  page.on("console", (message) => page.console.push(message.text()));
  page.on("request", (request) => page.requests.push(request.url()));
});

afterEach(async () => {
  assert.deepEqual(page.errors, [], "no uncaught errors in the page");
  await context.close();
});

const control = (name) => page.getByRole("button", { name, exact: true });

async function signIn() {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page);
}

/**
 * Whether `key`'s bytes are anywhere in the widget's wasm memory. (That a dropped key's
 * own bytes are zeroed is crates/core/tests/zeroize.rs; this finds copies still held.)
 */
function keyBytesInWasm(key) {
  return page.evaluate(async (key) => {
    // The module the page loaded, by the same URL: `init` hands back its instance.
    const url = "/widget/arcgis_keys_widget.js";
    const widget = await import(url);
    const memory = new Uint8Array((await widget.default()).memory.buffer);
    const bytes = new TextEncoder().encode(key);
    for (let at = memory.indexOf(bytes[0]); at !== -1; at = memory.indexOf(bytes[0], at + 1)) {
      let i = 1;
      while (i < bytes.length && memory[at + i] === bytes[i]) i++;
      if (i === bytes.length) return true;
    }
    return false;
  }, key);
}

test("the CSP recorder sees what the policy blocks (so its silence elsewhere means something)", async () => {
  await page.goto(`${emulator.base}/`);
  await page.getByLabel("Portal URL").waitFor();
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "globalThis.inlineRan = true;";
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => globalThis.inlineRan), undefined, "the inline script did not run");
  // The report arrives asynchronously.
  for (let i = 0; i < 50 && context.cspViolations.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(
    context.cspViolations.some((v) => v.startsWith("script-src")),
    context.cspViolations.join("\n"),
  );
});

test("a title and description with markup render as text, and no script runs", async () => {
  const hostileTitle = "<img src=x onerror=alert(1)>";
  const hostileDescription = "<script>globalThis.pwned = true; alert(2)</script><b>bold?</b>";
  const session = await keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });
  await session.createCredential({ title: hostileTitle, description: hostileDescription, privileges: ["premium:user:geocode:temporary"] });

  await signIn();
  const row = page.getByRole("button", { name: hostileTitle, exact: true });
  await row.waitFor();
  await row.click();
  await page.getByRole("heading", { level: 1, name: hostileTitle }).waitFor();
  await page.getByText(hostileDescription, { exact: true }).waitFor();
  await page.screenshot({ path: `${artifacts}security-markup-as-text.png`, fullPage: true });

  const markup = await page.evaluate(() => {
    const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
    return {
      images: root.querySelectorAll("img").length,
      scripts: root.querySelectorAll("script").length,
      bold: root.querySelectorAll("b").length,
    };
  });
  assert.deepEqual(markup, { images: 0, scripts: 0, bold: 0 }, "no element was made from the text");
  assert.equal(await page.evaluate(() => globalThis.pwned), undefined);
  assert.deepEqual(page.dialogs, [], "no alert ran");
  assert.deepEqual(context.cspViolations, [], "nothing even tried to run");
});

test("after the reveal is dismissed, no key, token or client secret is left anywhere in the page", async () => {
  // The secrets, as the portal sends them to the page.
  const secrets = new Set();
  page.on("response", async (response) => {
    if (!response.url().includes("/sharing/rest/")) return;
    try {
      const body = await response.json();
      for (const value of [
        body.token,
        body.access_token,
        body.refresh_token,
        body.client_secret,
        body.apiKey,
        body.apiToken1,
        body.apiToken2,
      ]) {
        if (typeof value === "string" && value.length > 8) secrets.add(value);
      }
    } catch {
      // Not JSON: nothing to collect.
    }
  });
  await signIn();
  await control("Create API key").click();
  await control("Next").click();
  await page.getByLabel("Referrers").fill(emulator.base);
  await control("Next").click();
  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await control("Next").click();
  await control("Next").click();
  await page.getByLabel("Title").fill("Leaves nothing behind");
  await control("Next").click();
  await control("Generate API key").click();
  const key = await page.getByLabel("API key", { exact: true }).inputValue();
  secrets.add(key);
  assert.equal(await keyBytesInWasm(key), true, "the shown key is in the widget's memory (so the search below can find it)");
  await control("Copy").click();
  await page.getByText("Copied to the clipboard.").waitFor();
  await control("Done").click();
  await page.getByRole("heading", { level: 1, name: "Leaves nothing behind" }).waitFor();
  assert.equal(await keyBytesInWasm(key), false, "no copy of the key is left in the widget's memory");
  // The detail screen read the app again, client secret included (the page holds it in memory).
  await page.getByRole("region", { name: "Key 1" }).waitFor();

  const kinds = [...secrets].map((s) => (s === key ? "key" : "secret"));
  assert.ok(
    kinds.includes("key") && kinds.filter((k) => k === "secret").length >= 2,
    `collected a key, a token and a client secret (${kinds})`,
  );
  const left = await page.evaluate(() => {
    const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
    const values = [.../** @type {NodeListOf<HTMLInputElement>} */ (root.querySelectorAll("input, textarea"))].map((el) => el.value);
    return {
      dom: document.documentElement.outerHTML + root.innerHTML + values.join("\n"),
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      url: location.href + history.length,
      cookies: document.cookie,
    };
  });
  const places = { ...left, requests: page.requests.join("\n"), console: page.console.join("\n") };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `a ${secret === key ? "key" : "token or client secret"} is in ${place}`);
    }
  }
  assert.deepEqual(context.cspViolations, []);
});
