// The <arcgis-api-key-manager> element embedded in host pages (examples/embed): a plain
// HTML "portal" with aggressive CSS of its own, and a Vite app. The host observes the
// element's events and drives it by attributes; styles stay on their own side of the
// shadow boundary; dark mode renders.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";

import { artifacts, axeViolations, launchChromium } from "../support/browser.mjs";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";
import { answerDialog, refuseBrowserDialog, signInWithPassword } from "../support/manager-page.mjs";
import { installPackage, viteBuild } from "../support/site.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let site;
let emulator;
let browser;
let context;
let page;

before(async () => {
  // The plain page with the package where an npm install puts it, the Vite app's
  // production build, and the standalone manager to compare styles with.
  site = mkdtempSync(join(tmpdir(), "arcgis-keys-embed-"));
  cpSync(join(root, "examples/embed"), join(site, "embed"), { recursive: true, filter: (from) => !from.includes("/vite") });
  installPackage(join(site, "embed"));
  cpSync(join(root, "www/dist"), join(site, "standalone"), { recursive: true });
  viteBuild("examples/embed/vite", join(site, "vite"));
  emulator = await startEmulator({ site });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await emulator?.stop();
  rmSync(site, { recursive: true, force: true });
});

beforeEach(async () => {
  await emulator.control("/reset", { method: "POST" });
  context = await browser.newContext();
  page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  // The manager asks in its own dialogs: a browser dialog would be a regression.
  page.on("dialog", (dialog) => refuseBrowserDialog(page, dialog));
});

afterEach(async () => {
  assert.deepEqual(page.errors, [], "no uncaught errors in the page");
  await context.close();
});

const control = (name) => page.getByRole("button", { name, exact: true });
const manager = () => page.locator("arcgis-api-key-manager");

/** What the host page logged, as `[name, detail]` pairs. */
async function hostLog() {
  const entries = await page.locator("#events li").allTextContents(); // not innerText: the host uppercases it
  return entries.map((text) => {
    const space = text.indexOf(" ");
    return [text.slice(0, space).toLowerCase(), JSON.parse(text.slice(space + 1))];
  });
}

/** A token the host page holds for jsmith, from generateToken as a host would get one. */
function hostToken() {
  return page.evaluate(async (password) => {
    const body = new URLSearchParams({ username: "jsmith", password, client: "referer", referer: location.origin, f: "json" });
    return (await (await fetch("/sharing/rest/generateToken", { method: "POST", body })).json()).token;
  }, DEMO_PASSWORD);
}

/** The shortest create: one privilege and a title; returns the revealed key. */
async function createKey(title) {
  await control("Create API key").click();
  await generateInWizard(title);
  return page.getByLabel("API key", { exact: true }).inputValue();
}

/** From the wizard's first step: one privilege, `title`, and Generate. */
async function generateInWizard(title) {
  await control("Next").click();
  await control("Next").click();
  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await control("Next").click();
  await control("Next").click();
  await page.getByLabel("Title").fill(title);
  await control("Next").click();
  await control("Generate API key").click();
}

/** Computed styles of `selector`'s elements, inside the manager when `inside`. */
function styles(selector, inside) {
  return page.evaluate(
    ({ selector, inside }) => {
      const scope = inside ? document.querySelector("arcgis-api-key-manager").shadowRoot : document;
      const properties = [
        "font-family",
        "font-size",
        "color",
        "letter-spacing",
        "text-transform",
        "line-height",
        "background-color",
        "border-top-style",
        "border-radius",
      ];
      return [...scope.querySelectorAll(selector)].map((el) => {
        const style = getComputedStyle(el);
        return Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
      });
    },
    { selector, inside },
  );
}

test("plain host page: a key created through the element, and the host hears every event without a secret", async () => {
  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  assert.deepEqual(await axeViolations(page), [], "axe on the host page with the sign-in screen");
  await signInWithPassword(page);
  await page.screenshot({ path: `${artifacts}embed-host.png`, fullPage: true });

  const key = await createKey("Embedded key");
  await page.getByRole("heading", { name: "Embedded key is ready" }).waitFor();
  await control("Done").click(); // not copied: the manager asks first
  await answerDialog(page, "Leave without copying the key?", "Leave without copying");
  await page.getByRole("heading", { level: 1, name: "Embedded key" }).waitFor();

  // With expose-keys, the host asked for keys: the next one comes with its event. The
  // attribute is live: set now, in the same session, on the same screen.
  await page.evaluate(() => document.querySelector("arcgis-api-key-manager").setAttribute("expose-keys", ""));
  await page.getByRole("region", { name: "Key 2" }).getByRole("button", { name: "Generate API key" }).click();
  const second = await page.getByLabel("API key", { exact: true }).inputValue();
  await control("Done").click();
  await answerDialog(page, "Leave without copying the key?", "Leave without copying");
  const slot1 = page.getByRole("region", { name: "Key 1" });
  await slot1.getByRole("button", { name: "Invalidate" }).click();
  await answerDialog(page, "Invalidate key 1?", "Invalidate key 1");
  await slot1.getByText("No key").waitFor();
  await page.getByLabel(/Type .* to confirm/).fill("Embedded key");
  await control("Delete").click();
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
  await control("Sign out").click();
  await page.getByLabel("Portal URL").waitFor();

  const log = await hostLog();
  const names = log.map(([name]) => name);
  assert.deepEqual(names, ["signedin", "keycreated", "keyrotated", "keyrotated", "keydeleted", "signedout"]);
  const [signedIn, created, generated, invalidated, deleted] = log.map(([, detail]) => detail);
  assert.equal(signedIn.username, "jsmith");
  assert.equal(signedIn.portal, `${emulator.base}/sharing/rest`);
  assert.equal(created.title, "Embedded key");
  assert.equal(created.slot, 1);
  assert.ok(created.expires > Date.now());
  assert.equal("key" in created, false, "without expose-keys, no key in the event");
  assert.ok(!JSON.stringify(log).includes(key), "the first key never reached the host");
  assert.deepEqual([generated.change, generated.slot, generated.key], ["generated", 2, second], "expose-keys: the key comes along");
  assert.deepEqual([invalidated.change, invalidated.slot, "key" in invalidated], ["invalidated", 1, false]);
  assert.deepEqual(deleted, { id: created.id, title: "Embedded key" });
});

test("attributes: view switches the screen, token signs in, portal starts over, and removal unmounts", async () => {
  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  const token = await hostToken();
  await page.evaluate((token) => document.querySelector("arcgis-api-key-manager").setAttribute("token", token), token);
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
  assert.equal(await manager().getAttribute("token"), null, "the token attribute is removed once read");
  const markup = await page.evaluate(
    () => document.documentElement.outerHTML + document.querySelector("arcgis-api-key-manager").shadowRoot.innerHTML,
  );
  assert.ok(!markup.includes(token), "the token is nowhere in the DOM");
  assert.equal(await page.evaluate(() => document.querySelector("arcgis-api-key-manager").token), undefined);

  // The host's own control keeps the focus while the host changes the view.
  await page.evaluate(() => {
    const button = Object.assign(document.createElement("button"), { id: "host-control", textContent: "Host control" });
    document.body.append(button);
    button.focus();
  });
  await manager().evaluate((element) => element.setAttribute("view", "create"));
  await page.getByRole("heading", { name: "Create API key credentials" }).waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.evaluate(() => document.activeElement?.id), "host-control", "the view changed without taking the focus");
  await manager().evaluate((element) => (element.view = "health"));
  await page.getByRole("heading", { name: "Key health" }).waitFor();
  await manager().evaluate((element) => (element.view = "list"));
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();

  await manager().evaluate((element) => element.setAttribute("portal", "https://example.com/portal"));
  await page.getByLabel("Portal URL").waitFor();
  assert.equal(await page.getByLabel("Portal URL").inputValue(), "https://example.com/portal");

  const [before, after] = await page.evaluate(async () => {
    const element = document.querySelector("arcgis-api-key-manager");
    const count = () => element.shadowRoot.childElementCount;
    const before = count();
    element.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return [before, count()];
  });
  assert.deepEqual([before, after], [1, 0], "removing the element unmounts the manager");
  await page.evaluate(() =>
    document.querySelector("section").append(Object.assign(document.createElement("arcgis-api-key-manager"), { portal: location.origin })),
  );
  await page.getByLabel("Portal URL").waitFor();
  assert.equal(await page.getByLabel("Portal URL").inputValue(), emulator.base, "a new element mounts afresh");
});

test("churn: views, portals, removal and re-adding while every request is slow never trap the manager", async () => {
  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  const token = await hostToken();
  await emulator.control("/latency", { method: "PUT", body: { ms: 300 } });
  try {
    // 50 rounds: each starts reads (list, health, the wizard's folders, a key's page)
    // and leaves before they answer.
    await page.evaluate(async (token) => {
      const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      for (let round = 0; round < 50; round++) {
        let element = document.querySelector("arcgis-api-key-manager");
        element.setAttribute("token", token);
        await pause(round % 3 === 0 ? 350 : 20);
        for (const view of /** @type {const} */ (["health", "create", "list", "health"])) {
          element.view = view;
          await pause(round % 4 === 0 ? 120 : 5);
        }
        if (round % 5 === 0) element.setAttribute("portal", "https://example.com/portal");
        if (round % 2 === 0) {
          element.remove();
          element = Object.assign(document.createElement("arcgis-api-key-manager"), { portal: location.origin });
          document.querySelector("section").append(element);
        }
        await pause(10);
      }
    }, token);
    // Let every slow answer land on whatever is, or is not, still there.
    await page.waitForTimeout(1_500);
  } finally {
    await emulator.control("/latency", { method: "PUT", body: { ms: 0 } });
  }
  assert.deepEqual(page.errors, [], "no trap, no uncaught error");
  // And the manager still works.
  await page.evaluate((token) => {
    const element = document.querySelector("arcgis-api-key-manager");
    element.view = "list";
    element.setAttribute("token", token);
  }, token);
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
});

test("a key issued while the host changes the view is shown anyway, and the host hears of it", async () => {
  await page.goto(`${emulator.base}/embed/index.html`);
  await signInWithPassword(page);
  await emulator.control("/latency", { method: "PUT", body: { ms: 400 } });
  try {
    // A second key for Storefront locator: the view changes while it is generated.
    await page.getByRole("button", { name: "Storefront locator", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Storefront locator" }).waitFor();
    const slot2 = page.getByRole("region", { name: "Key 2" });
    await slot2.getByRole("button", { name: "Generate API key" }).click();
    await manager().evaluate((element) => (element.view = "health"));
    await page.getByRole("heading", { name: "Key health" }).waitFor();
    await page.getByRole("heading", { name: "Your new API key" }).waitFor();
    assert.match(await page.locator(".reveal").innerText(), /Key 2 of Storefront locator/);
    await control("Copy").click();
    await page
      .getByText("Copied to the clipboard.")
      .waitFor()
      .catch(() => {});
    await control("Done").click();
    await page.getByRole("heading", { name: "Your new API key" }).waitFor({ state: "detached" });

    // A new credential: the view changes while the create transaction runs.
    await manager().evaluate((element) => (element.view = "create"));
    await generateInWizard("Created while leaving");
    await manager().evaluate((element) => (element.view = "list"));
    await page.getByRole("heading", { name: "Your new API key" }).waitFor();
    assert.match(await page.locator(".reveal").innerText(), /Key 1 of Created while leaving/);
  } finally {
    await emulator.control("/latency", { method: "PUT", body: { ms: 0 } });
  }
  const log = await hostLog();
  assert.ok(
    log.some(([name, detail]) => name === "keyrotated" && detail.change === "generated" && detail.slot === 2),
    "the host heard of key 2",
  );
  assert.ok(
    log.some(([name, detail]) => name === "keycreated" && detail.title === "Created while leaving"),
    "and of the new credential",
  );
});

test("every error the manager shows reaches the host as an error event: the sign-in form, a host's token, the OAuth return", async () => {
  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Username and password").check();
  await page.getByLabel("Username", { exact: true }).fill("jsmith");
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await control("Sign in").click();
  const shown = page.getByRole("alert");
  await shown.waitFor();
  const errors = async () => (await hostLog()).filter(([name]) => name === "error").map(([, detail]) => detail.message);
  assert.deepEqual(await errors(), [await shown.innerText()], "the form's refusal, in the words shown");

  await manager().evaluate((element) => {
    element.token = "not-a-token";
  });
  await page.waitForFunction(() => document.querySelectorAll('#events li[data-event="error"]').length === 2);

  // "Sign in with ArcGIS" through a full-page redirect, cancelled at the portal: the
  // manager finishes the return on load and says why.
  await page.getByLabel("ArcGIS (OAuth)").check();
  await page.getByLabel("Sign in in a popup window").uncheck();
  await Promise.all([page.waitForURL(/\/oauth2\/authorize/), control("Sign in with ArcGIS").click()]);
  await Promise.all([page.waitForURL(/\/embed\/index\.html\?/), page.getByRole("button", { name: "Cancel" }).click()]);
  await page.waitForFunction(() => document.querySelectorAll('#events li[data-event="error"]').length === 1);
  const [returned] = await errors();
  assert.equal(returned, await page.getByRole("alert").innerText(), "the OAuth return's refusal, as shown");
  assert.match(returned, /^Sign-in was cancelled: you cancelled it on the portal's sign-in page\./, "in words, not the protocol's");
});

test("host CSS does not reach the manager, and the manager's CSS does not reach the host", async () => {
  const inside = ["h1", "label", "input", "button", ".hint"].join(", ");
  // The standalone manager offering the same portal and app as the host does.
  await page.goto(`${emulator.base}/standalone/index.html?portal=${emulator.base}&client_id=arcgis-keys-manager`);
  await page.getByLabel("Portal URL").waitFor();
  const alone = await styles(inside, true);

  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  const embedded = await styles(inside, true);
  const hostWithManager = await styles("h1, h2, button, #events", false);
  // The host's theme reaches the manager through the documented custom property only.
  const brand = await page.evaluate(
    () =>
      getComputedStyle(document.querySelector("arcgis-api-key-manager").shadowRoot.querySelector("button[type=submit]")).backgroundColor,
  );

  await page.goto(`${emulator.base}/embed/index.html?bare`);
  await page.locator("#events").waitFor({ state: "attached" });
  const hostAlone = await styles("h1, h2, button, #events", false);

  const withoutBrand = (list) => list.map(({ "background-color": _, ...rest }) => rest);
  assert.deepEqual(withoutBrand(embedded), withoutBrand(alone), "the manager looks the same inside the aggressive host");
  assert.equal(brand, "rgb(43, 107, 63)", "--arcgis-keys-brand set by the host colours the primary button");
  assert.deepEqual(hostWithManager, hostAlone, "the host's own elements look the same with the manager on the page");
});

test("dark mode: the system's choice, and theme= overrides it", async () => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`${emulator.base}/embed/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  const background = () =>
    page.evaluate(
      () => getComputedStyle(document.querySelector("arcgis-api-key-manager").shadowRoot.querySelector(".arcgis-keys")).backgroundColor,
    );
  assert.equal(await background(), "rgb(53, 53, 53)"); // Calcite's dark background
  await signInWithPassword(page);
  assert.deepEqual(await axeViolations(page), [], "axe on the list in dark mode");
  await manager().screenshot({ path: `${artifacts}embed-dark.png` });
  await manager().evaluate((element) => element.setAttribute("theme", "light"));
  assert.equal(await background(), "rgb(248, 248, 248)");
  await page.emulateMedia({ colorScheme: "light" });
  await manager().evaluate((element) => element.setAttribute("theme", "dark"));
  assert.equal(await background(), "rgb(53, 53, 53)"); // Calcite's dark background
});

test("Vite app: the element from a bundler creates a key and the app hears of it", async () => {
  await page.goto(`${emulator.base}/vite/index.html`);
  await page.getByLabel("Portal URL").waitFor();
  await signInWithPassword(page);
  await page.getByText("Signed in as jsmith.").waitFor();
  await createKey("From Vite");
  await page.getByText(/^Created From Vite \([0-9a-f]{32}\), key 1\.$/).waitFor();
  assert.deepEqual(await axeViolations(page), [], "axe on the Vite page with the reveal");
  await page.screenshot({ path: `${artifacts}embed-vite.png`, fullPage: true });
});
