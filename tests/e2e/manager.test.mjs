// The standalone manager in headless Chromium against the emulator: the tutorial flow and
// every key operation, with an axe-core scan and a screenshot of each screen. The site is
// served under its strict Content-Security-Policy, and a violation fails the test.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, test } from "node:test";

import * as keys from "arcgis-keys";

import { artifacts, axeViolations } from "../support/browser.mjs";
import { DEMO_PASSWORD } from "../support/emulator.mjs";
import { answerDialog, dateIn, signInAtPortal, signInWithPassword, styleServiceAnswers, useManagerPage } from "../support/manager-page.mjs";

const fixture = useManagerPage({
  // Each test's last screen, kept as an artifact (and the first thing to look at on a failure).
  atEnd: async (t, page) => {
    const slug = t.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .slice(0, 60);
    await page.screenshot({ path: `${artifacts}manager-end-${slug}.png`, fullPage: true });
  },
});
let emulator;
let context;
let page;
beforeEach(() => {
  ({ emulator, context, page } = fixture);
});

/** The screen passes axe-core; its screenshot is saved as `manager-<name>.png`. */
async function screen(name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on the ${name} screen`);
  await page.screenshot({ path: `${artifacts}manager-${name}.png`, fullPage: true });
}

async function signIn(username = "jsmith") {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page, { username });
}

function control(name) {
  return page.getByRole("button", { name, exact: true });
}

async function openKey(title) {
  await page.getByRole("button", { name: title, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
}

/** Waits until the manager's control `selector` has the keyboard focus (inside the shadow root). */
async function focusedOn(selector) {
  await page.waitForFunction((selector) => {
    const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
    return root.activeElement !== null && root.activeElement === root.querySelector(selector);
  }, selector);
}

/** The revealed key, copied with the Copy button and read back from the clipboard. */
async function copyRevealedKey() {
  const shown = await page.getByLabel("API key", { exact: true }).inputValue();
  await control("Copy").click();
  await page.getByText("Copied to the clipboard.").waitFor();
  await control("Copied").waitFor(); // the button says so too
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, shown);
  return copied;
}

/** Fills the create wizard up to its summary, as the tutorial does. */
async function fillWizard({ title, referrer = emulator.base, expires = dateIn(60) }) {
  await control("Create API key").click();
  await page.getByLabel("Expiration date").fill(expires);
  await control("Next").click();
  await page.getByLabel("Referrers").fill(referrer);
  await control("Next").click();
  await page.getByRole("group", { name: "Privileges" }).waitFor();
  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await control("Next").click();
  await page.getByRole("group", { name: "Item access" }).waitFor();
  await page.getByLabel("Store locations").check();
  await control("Next").click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Tags").fill("tutorial, maps");
  await page.getByLabel("Description").fill("From the end-to-end test.");
  await control("Next").click();
  await page.getByRole("heading", { name: /Summary/ }).waitFor();
}

test("the wizard: each step checks on Next and says why once, the stepper jumps to visited steps, the summary links back, and nothing reaches the console", async () => {
  /** @type {string[]} */
  const logged = [];
  page.on("console", (message) => {
    if (["error", "warning"].includes(message.type())) logged.push(message.text());
  });
  await signIn();
  await control("Create API key").click();
  const heading = page.locator("#create-step");
  const errors = page.locator(".wizard .error:visible");
  await page.getByLabel("Expiration date").fill(dateIn(400));
  await control("Next").click();
  await page.getByText("Choose a date at most one year from today.").waitFor();
  assert.equal(await errors.count(), 1, "one message, at the field");
  await page.getByLabel("Expiration date").fill(dateIn(60));
  await control("Next").click();
  await page.getByLabel("Referrers").fill("ftp://files.example.com");
  await control("Next").click();
  assert.equal(await heading.innerText(), "Step 2 of 6: Referrers", "a bad referrer stops the step");
  assert.equal(await errors.count(), 1, "the referrer's rule is said once");
  await page.getByLabel("Referrers").fill(emulator.base);
  await control("Next").click();

  // No privilege and no item: stopped here, at step 3, not at Generate.
  await control("Next").click();
  await page.getByText("Choose at least one privilege or one item.").waitFor();
  assert.equal(await heading.innerText(), "Step 3 of 6: Privileges");
  await screen("create-no-privilege");
  // Items alone are allowed, but one must be chosen.
  await control("No privileges: choose items only").click();
  assert.equal(await heading.innerText(), "Step 4 of 6: Item access");
  await control("Next").click();
  await page.getByText("Choose at least one privilege or one item.").waitFor();
  assert.equal(await heading.innerText(), "Step 4 of 6: Item access");

  // Back to step 3 through the stepper; then on with a privilege.
  const stepper = page.getByRole("list", { name: "Steps" });
  await stepper.getByRole("button", { name: "Privileges" }).click();
  assert.equal(await heading.innerText(), "Step 3 of 6: Privileges");
  assert.ok(await stepper.getByRole("button", { name: "Details" }).isDisabled(), "a step not reached yet cannot be jumped to");
  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await control("Next").click();
  await control("Next").click();
  await control("Next").click();
  await page.getByText("Enter a title.").waitFor();
  assert.equal(await heading.innerText(), "Step 5 of 6: Details", "no title: stopped at its step");
  await page.getByLabel("Title").fill("Stepped key");
  await control("Next").click();
  assert.equal(await heading.innerText(), "Step 6 of 6: Summary");
  await screen("create-summary");

  // The summary's rows link to their steps; the stepper jumps forward through steps that pass.
  await control("Change referrers").click();
  assert.equal(await heading.innerText(), "Step 2 of 6: Referrers");
  await stepper.getByRole("button", { name: "Summary" }).click();
  assert.equal(await heading.innerText(), "Step 6 of 6: Summary");
  await control("Change expiration").click();
  await page.getByLabel("Expiration date").fill(dateIn(-1));
  await stepper.getByRole("button", { name: "Summary" }).click();
  assert.equal(await heading.innerText(), "Step 1 of 6: Expiration", "a jump stops at the first step that fails");
  await page.getByLabel("Expiration date").fill(dateIn(60));
  await stepper.getByRole("button", { name: "Summary" }).click();
  await control("Generate API key").click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  await copyRevealedKey();
  await control("Done").click();
  await page.getByRole("heading", { level: 1, name: "Stepped key" }).waitFor();
  assert.deepEqual(logged, [], "no console error or warning on any step");
});

test("the tutorial flow: sign in, create with every step, copy the key, and the key works", async () => {
  await page.goto(`${emulator.base}/`);
  await page.getByLabel("Portal URL").waitFor();
  assert.equal(await page.getByLabel("Portal URL").inputValue(), emulator.base, "the emulator's own portal is offered");
  await screen("sign-in");
  await signIn();
  await page.getByText("5 of 5 keys").waitFor();
  await screen("list");

  await control("Create API key").click();
  await screen("create-expiration");
  await page.getByLabel("Expiration date").fill(dateIn(400));
  await control("Next").click();
  await page.getByText("Choose a date at most one year from today.").waitFor();
  await page.getByLabel("Expiration date").fill(dateIn(60));
  await control("Next").click();

  await page.getByLabel("Referrers").fill("ftp://nope.example.com");
  await page.getByText(/the scheme must be https or http/).waitFor();
  await control("Next").click();
  assert.match(await page.getByRole("heading", { level: 2 }).first().innerText(), /Referrers/, "an invalid referrer stops the wizard");
  await page.getByLabel("Referrers").fill(emulator.base);
  await screen("create-referrers");
  await control("Next").click();

  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await screen("create-privileges");
  await control("Next").click();

  await page.getByLabel("Store locations").check();
  await page.getByText("1 of 100 items chosen").waitFor();
  await screen("create-item-access");
  await control("Next").click();

  await page.getByLabel("Title").fill("Tutorial key");
  await page.getByLabel("Tags").fill("tutorial, maps");
  await page.getByLabel("Description").fill("Made by following the tutorial.");
  await screen("create-details");
  await control("Next").click();

  const summary = page.locator("dl.summary");
  await summary.waitFor();
  for (const text of [
    "Tutorial key",
    dateIn(60),
    emulator.base,
    "Basemap styles service",
    "Store locations",
    "tutorial, maps",
    "Made by following the tutorial.",
  ]) {
    assert.ok((await summary.innerText()).includes(text), `the summary shows ${text}`);
  }
  await screen("create-summary");
  await control("Generate API key").click();

  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  await screen("reveal");
  const key = await copyRevealedKey();
  assert.equal(await styleServiceAnswers(page, key), "ok", "the copied key works against the emulated basemap styles service");
  await control("Done").click();

  await page.getByRole("heading", { level: 1, name: "Tutorial key" }).waitFor();
  assert.equal(await page.getByLabel("API key", { exact: true }).count(), 0, "the key is gone once dismissed");
  assert.ok(!(await page.content()).includes(key), "the key is nowhere in the page");
  const slot1 = page.getByRole("region", { name: "Key 1" });
  assert.match(await slot1.innerText(), new RegExp(`Active, expires ${dateIn(60)}`));
  await page.locator("dl.summary").getByText("Store locations").waitFor(); // item access, by title
  await screen("detail");
});

test("Sign in with ArcGIS in a popup, the default on the emulator", async () => {
  await page.goto(`${emulator.base}/`);
  assert.equal(await page.getByLabel("App client ID").inputValue(), "arcgis-keys-manager");
  const [popup] = await Promise.all([page.waitForEvent("popup"), control("Sign in with ArcGIS").click()]);
  await Promise.all([popup.waitForEvent("close"), signInAtPortal(popup)]);
  await page.getByRole("heading", { name: "API keys" }).waitFor();
  assert.match(await page.locator(".who").innerText(), /Signed in as jsmith/);
});

test("Sign in with ArcGIS by redirect: back on the manager, signed in, the code gone from the address", async () => {
  await page.goto(`${emulator.base}/`);
  await page.getByLabel("Sign in in a popup window").uncheck();
  await control("Sign in with ArcGIS").click();
  await page.waitForURL(/\/oauth2\/authorize/);
  await signInAtPortal(page);
  await page.getByRole("heading", { name: "API keys" }).waitFor();
  assert.equal(new URL(page.url()).search, "", "the code and state left the address bar");
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "nothing is left in session storage");
});

test("leaving the key before copying asks first, and staying keeps it", async () => {
  await signIn();
  await fillWizard({ title: "Uncopied" });
  await control("Generate API key").click();
  const shown = await page.getByLabel("API key", { exact: true }).inputValue();
  await control("Done").click();
  await answerDialog(page, "Leave without copying the key?", null);
  assert.equal(await page.getByLabel("API key", { exact: true }).inputValue(), shown, "Escape keeps the key on screen");
  await control("Done").click();
  await answerDialog(page, "Leave without copying the key?", "Leave without copying");
  await page.getByRole("heading", { level: 1, name: "Uncopied" }).waitFor();
});

test("secondary key, then invalidate the primary: a rotation", async () => {
  await signIn();
  await openKey("Storefront locator");
  const slot2 = page.getByRole("region", { name: "Key 2" });
  await slot2.getByLabel("Expiration date").fill(dateIn(200));
  await slot2.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  const secondary = await copyRevealedKey();
  await control("Done").click();
  assert.match(await slot2.innerText(), new RegExp(`Active, expires ${dateIn(200)}`));

  const slot1 = page.getByRole("region", { name: "Key 1" });
  await slot1.getByRole("button", { name: "Invalidate" }).click();
  const words = await answerDialog(page, "Invalidate key 1?", "Invalidate key 1");
  assert.match(words, /Key 1 of “Storefront locator” stops working at once/);
  await slot1.getByText("No key").waitFor();
  await page.locator(".toast[role=status]").getByText("Key 1 of “Storefront locator” is invalidated: it no longer works.").waitFor();
  await screen("rotated");
  assert.equal(
    await styleServiceAnswers(page, secondary),
    "error 403",
    "the secondary key is refused here: its referrers do not include the emulator",
  );
});

test("regenerate a slot with a new expiration", async () => {
  await signIn();
  await openKey("Delivery routing");
  const slot1 = page.getByRole("region", { name: "Key 1" });
  await slot1.getByRole("button", { name: "Regenerate" }).click();
  const dialog = page.getByRole("dialog", { name: "Regenerate key 1?" });
  await dialog.getByLabel("New key valid until").fill(dateIn(400));
  await dialog.getByRole("button", { name: "Regenerate key 1" }).click();
  await dialog.getByText("Choose a date at most one year from today.").waitFor(); // refused at its field, in the dialog
  await dialog.getByLabel("New key valid until").fill(dateIn(90));
  await screen("regenerate-dialog");
  await answerDialog(page, "Regenerate key 1?", "Regenerate key 1");
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  assert.match(await page.locator(".reveal").innerText(), new RegExp(`Key 1 of Delivery routing, valid until ${dateIn(90)}`));
  await copyRevealedKey();
  await control("Done").click();
  assert.match(await slot1.innerText(), new RegExp(`Active, expires ${dateIn(90)}`));
});

test("regenerating a live key asks first, and by default never shortens its life", async () => {
  await signIn();
  await openKey("Delivery routing");
  // The settings name the app's client id (public; never its secret) and the owner.
  const summary = await page.locator("dl.summary").innerText();
  assert.match(summary, /Client ID\s+\S{8,}\s+Owner\s+jsmith/);
  const slot1 = page.getByRole("region", { name: "Key 1" });
  const slot2 = page.getByRole("region", { name: "Key 2" });
  // Key 2 has 120 days left: its dialog offers that date, not a month from today.
  const expiry = (await slot2.innerText()).match(/Active, expires (\d{4}-\d{2}-\d{2})/)?.[1];
  assert.ok(expiry && expiry > dateIn(100), `key 2's expiry: ${expiry}`);
  const offered = async (slot, n) => {
    await slot.getByRole("button", { name: "Regenerate" }).click();
    const dialog = page.getByRole("dialog", { name: `Regenerate key ${n}?` });
    const date = await dialog.getByLabel("New key valid until").inputValue();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    return date;
  };
  assert.equal(await offered(slot2, 2), expiry);
  // Key 1 has 12 days left: at least the default month.
  assert.equal(await offered(slot1, 1), dateIn(30));

  await emulator.control("/log", { method: "DELETE" });
  await slot2.getByRole("button", { name: "Regenerate" }).click();
  // It stops a live key: the button says so in the danger colour, and Cancel has the focus.
  const regenerateDialog = page.getByRole("dialog", { name: "Regenerate key 2?" });
  assert.match((await regenerateDialog.getByRole("button", { name: "Regenerate key 2" }).getAttribute("class")) ?? "", /\bdanger\b/);
  const asked = await answerDialog(page, "Regenerate key 2?", null);
  assert.match(asked, /Key 2 of “Delivery routing” stops working as soon as the new key is made/);
  assert.match(asked, new RegExp(`Expires at the end of ${expiry} \\(UTC\\)`), "the new key's date, in the manager's format");
  await focusedOn("#slot-2-regenerate"); // back on the button that opened the dialog
  const { entries } = await emulator.control("/log");
  assert.deepEqual(
    entries.filter((e) => e.method === "POST").map((e) => e.path),
    [],
    "dismissed: nothing was sent",
  );
  assert.match(await slot2.innerText(), new RegExp(`Active, expires ${expiry}`));

  await slot2.getByRole("button", { name: "Regenerate" }).click();
  await answerDialog(page, "Regenerate key 2?", "Regenerate key 2");
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  assert.match(await page.locator(".reveal").innerText(), new RegExp(`Key 2 of Delivery routing, valid until ${expiry}`));
  await copyRevealedKey();
  await control("Done").click();
  assert.match(await slot2.innerText(), new RegExp(`Active, expires ${expiry}`));
});

test("lifetime presets set the date, say it in the manager's format, and a year is allowed", async () => {
  await signIn();
  await openKey("Prototype");
  // No key yet: rotation is not offered, and the page says why.
  const rotation = page.getByRole("region", { name: "Rotate without downtime" });
  await rotation.getByText("There is no key to rotate yet: generate one below.").waitFor();
  assert.equal(await rotation.getByRole("button").count(), 0, "no Start rotation that cannot work");
  const slot1 = page.getByRole("region", { name: "Key 1" });
  const presets = slot1.getByRole("group", { name: "Lifetime" });
  const names = await presets.getByRole("button").allInnerTexts();
  assert.deepEqual(names, ["7 days", "30 days", "60 days", "90 days", "180 days", "1 year"]);
  // The default month is the pressed preset.
  assert.equal(await presets.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed"), "true");
  await presets.getByRole("button", { name: "90 days" }).click();
  assert.equal(await slot1.getByLabel("Expiration date").inputValue(), dateIn(90));
  await slot1.getByText(`Expires at the end of ${dateIn(90)} (UTC).`).waitFor();
  assert.equal(await presets.getByRole("button", { name: "90 days" }).getAttribute("aria-pressed"), "true");
  assert.equal(await presets.getByRole("button", { name: "30 days" }).getAttribute("aria-pressed"), "false");
  await screen("presets");
  await presets.getByRole("button", { name: "1 year" }).click();
  await slot1.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  assert.match(await page.locator(".reveal").innerText(), new RegExp(`valid until ${dateIn(365)}`));
  await copyRevealedKey();
  await control("Done").click();
  // With a key in one slot, rotation can run.
  await rotation.getByRole("button", { name: "Start rotation" }).waitFor();
});

test("editing privileges warns that both keys stop, and asks in a dialog that names them", async () => {
  await signIn();
  await openKey("Delivery routing");
  await control("Edit settings").click();
  await page.getByLabel("Search privileges").fill("elevation");
  await page.getByLabel("Elevation service (beta)").check();
  const warning = page.getByText("Changing privileges or item access stops both keys at once.");
  await warning.waitFor();
  await screen("edit-privileges");
  await emulator.control("/log", { method: "DELETE" });
  await control("Save changes").click();
  const words = await answerDialog(page, "Save and stop the keys?", null);
  assert.match(words, /the portal stops key 1 and key 2 of “Delivery routing” at once/);
  const { entries } = await emulator.control("/log");
  assert.deepEqual(
    entries.filter((e) => e.path.endsWith("/update")),
    [],
    "cancelled: nothing was saved",
  );
  await control("Save changes").click();
  await answerDialog(page, "Save and stop the keys?", "Save and stop the keys");
  await page.getByText("Saved.").waitFor();
  assert.match(await page.locator("dl.summary").innerText(), /Elevation service \(beta\)/);
  assert.match(await page.getByRole("region", { name: "Key 1" }).innerText(), /No key/);
  assert.match(await page.getByRole("region", { name: "Key 2" }).innerText(), /No key/);
});

test("removing the personal privileges clears the badge, the health group and the no-personal finding", async () => {
  // The reading where the portal keeps the flag unless told: the update must tell it.
  await emulator.control("/behaviour", { method: "PUT", body: { personalFlagOnUpdate: "kept" } });
  const session = await keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });
  const contentBot = (await session.listCredentials()).find((c) => c.title === "Content bot");
  assert.ok(contentBot);
  const noPersonal = async () => {
    // Read again: checkPolicy uses what the session has already read.
    await session.getCredentials([contentBot.id]);
    const findings = await session.checkPolicy({ ids: [contentBot.id], noPersonal: true });
    return findings.filter((f) => f.rule === "no-personal");
  };
  assert.equal((await noPersonal()).length, 1, "before: the policy finds the personal privilege");
  await signIn();
  await openKey("Content bot");
  const badges = page.locator(".badges");
  await badges.getByText("Personal privileges").first().waitFor();
  await control("Edit settings").click();
  await page.getByLabel("Search privileges").fill("content");
  await page.getByLabel("Create, update and delete content").uncheck();
  await control("Save changes").click();
  await answerDialog(page, "Save and stop the keys?", "Save and stop the keys");
  await page.getByText("Saved.").waitFor();
  assert.equal(await badges.getByText("Personal privileges").count(), 0, "the badge went with the privilege");
  await control("All keys").click();
  await control("Key health").click();
  await page.getByRole("heading", { name: "Key health" }).waitFor();
  await page.getByRole("region", { name: "No referrer restriction", exact: true }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Personal privileges", exact: true }).count(), 0);
  assert.deepEqual(await noPersonal(), [], "after: the no-personal policy passes");
});

test("when the portal stops the keys for new referrers, the page says which, and no privilege is lost", async () => {
  // The strict reading of an open point: a referrers-only update deactivates the keys.
  await emulator.control("/behaviour", { method: "PUT", body: { referrersUpdate: "keysStop", omittedAppField: "clear" } });
  await signIn();
  await openKey("Storefront locator");
  const privilegesBefore = await page.locator("dl.summary").innerText();
  assert.match(await page.getByRole("region", { name: "Key 1" }).innerText(), /Active/);
  await control("Edit settings").click();
  await page.getByLabel("Referrers").fill("https://shop.example.com\nhttps://new.example.com");
  await control("Save changes").click();
  await page.getByText("Saved. The portal stopped key 1: generate new keys for your apps.").waitFor();
  assert.match(await page.getByRole("region", { name: "Key 1" }).innerText(), /No key/, "the slot shows what the portal did");
  const summary = await page.locator("dl.summary").innerText();
  for (const label of ["Geocode (not stored)", "Basemap styles service"]) {
    assert.ok(privilegesBefore.includes(label) && summary.includes(label), `${label} kept`);
  }
  const { entries } = await emulator.control("/log");
  const update = entries.find((e) => e.path.includes("/oauth2/apps/") && e.path.endsWith("/update"));
  assert.ok("privileges" in update.body && "httpReferrers" in update.body, "both lists sent, whatever changed");
});

test("a portal that shows usage to administrators only gets words, not an error", async () => {
  await emulator.control("/behaviour", { method: "PUT", body: { usageForMembers: "forbidden" } });
  await signIn();
  await openKey("Storefront locator");
  const usage = page.getByRole("region", { name: "Usage, last 30 days" });
  await usage.getByText("Usage needs an administrator: this portal shows it to administrators only.").waitFor();
  assert.equal(await usage.getByRole("alert").count(), 0, "not shown as an error");
  await control("All keys").click();
  await control("Key health").click();
  await page.getByText("5 keys; 6 kinds of issue need attention.").waitFor();
  assert.ok(await page.getByText(/Read the settings of/).isHidden(), "the progress line goes once every key is read");
});

test("a portal that refuses an OAuth token for key changes: plain words, and a password sign-in keeps the form", async () => {
  // The strict reading of an open point: only a generateToken token may manage keys.
  await emulator.control("/behaviour", { method: "PUT", body: { oauthTokenForKeys: "forbidden" } });
  await page.goto(`${emulator.base}/`);
  const [popup] = await Promise.all([page.waitForEvent("popup"), control("Sign in with ArcGIS").click()]);
  await Promise.all([popup.waitForEvent("close"), signInAtPortal(popup)]);
  await page.getByRole("heading", { name: "API keys" }).waitFor();
  await openKey("Storefront locator");
  const slot2 = page.getByRole("region", { name: "Key 2" });
  await slot2.getByLabel("Expiration date").fill(dateIn(45));
  await slot2.getByRole("button", { name: "Generate API key" }).click();
  await page.getByText(/this portal may manage API keys only for a username and password sign-in/).waitFor();
  await screen("oauth-refused");
  await control("Sign in with username and password").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Username and password").check();
  await dialog.getByLabel("Username", { exact: true }).fill("jsmith");
  await dialog.getByLabel("Password", { exact: true }).fill("arcgis-demo");
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await slot2.getByLabel("Expiration date").inputValue(), dateIn(45), "what was typed is kept");
  await slot2.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  await copyRevealedKey();
  await control("Done").click();
});

test("delete needs the title typed out", async () => {
  await signIn();
  await openKey("Prototype");
  const button = page.getByRole("region", { name: "Delete" }).getByRole("button", { name: "Delete" });
  assert.ok(await button.isDisabled(), "Delete waits for the title");
  await page.getByLabel("Type “Prototype” to confirm").fill("Prototype");
  await screen("delete");
  await button.click();
  await page.getByText("4 of 4 keys").waitFor();
  await page.locator(".toast[role=status]").getByText("“Prototype” is deleted.").waitFor(); // said on the list it lands on
  assert.equal(await page.getByRole("button", { name: "Prototype", exact: true }).count(), 0);
});

test("a retired legacy key says so, offers no change, and can be deleted", async () => {
  await signIn();
  await openKey("Legacy basemap key");
  await page.getByText("Retired: this legacy API key stopped working on 2026-06-27.").waitFor();
  await screen("legacy");
  for (const name of ["Reset", "Edit settings", "Generate API key", "Regenerate"]) {
    assert.equal(await page.getByRole("button", { name, exact: true }).count(), 0, `no ${name}`);
  }
  await emulator.control("/log", { method: "DELETE" });
  await page.getByLabel("Type “Legacy basemap key” to confirm").fill("Legacy basemap key");
  await page.getByRole("region", { name: "Delete" }).getByRole("button", { name: "Delete" }).click();
  await page.getByText("4 of 4 keys").waitFor();
  const { entries } = await emulator.control("/log");
  const deletes = entries.filter((e) => e.path.endsWith("/delete"));
  assert.equal(deletes.length, 1);
  assert.equal(deletes[0].body.permanentDelete, "true", "deleted for good, not recycled");
});

const createSteps = [
  { path: "createFolder", step: "creating the folder", folder: true },
  { path: "addItem", step: "adding the item" },
  { path: "registerApp", step: "registering the credential" },
  { path: "/update", step: "setting the key expirations" },
  { path: "/oauth2/token", step: "generating key 1" },
];

for (const { path, step, folder } of createSteps) {
  test(`a failure while ${step} is shown inline and the form is intact`, async () => {
    await signIn();
    await fillWizard({ title: `Failing at ${path}` });
    if (folder) {
      await control("Back").click();
      await page.getByLabel("Folder").selectOption({ label: "New folder…" });
      await page.getByLabel("New folder name").fill("Keys");
      await control("Next").click();
    }
    await emulator.control("/faults", { method: "POST", body: { path, kind: "errorJson", code: 400, message: "Injected failure." } });
    await control("Generate API key").click();
    const alert = page.getByRole("alert").filter({ hasText: `Creating the credential failed while ${step}` });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Injected failure\./);
    assert.match(await alert.innerText(), /(Nothing was created|The new item was deleted again)/, "the rollback is reported");
    await screen(`create-failure-${path.replace("/", "")}`);
    await control("Back").click();
    assert.equal(await page.getByLabel("Title").inputValue(), `Failing at ${path}`, "the title is kept");
    assert.equal(await page.getByLabel("Tags").inputValue(), "tutorial, maps", "the tags are kept");
    await control("Back").click();
    await control("Back").click();
    assert.ok(await page.getByLabel("Basemap styles service").isChecked(), "the privileges are kept");
    await control("Back").click();
    assert.equal(await page.getByLabel("Referrers").inputValue(), emulator.base, "the referrers are kept");
  });
}

test("when the session ends mid-form, signing in again keeps the form and carries on", async () => {
  await signIn();
  await fillWizard({ title: "Survives expiry" });
  await emulator.control("/expire-tokens", { method: "POST", body: {} });
  await control("Generate API key").click();
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await dialog.waitFor();
  await dialog.getByLabel("Username and password").check();
  await screen("sign-in-again");
  await dialog.getByLabel("Password", { exact: true }).fill("arcgis-demo");
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.match(await page.locator("dl.summary").innerText(), /Survives expiry/, "the summary is still there");
  assert.equal(await page.getByText(/Sign in again; what you entered is kept/).count(), 0, "the ended session's error is gone");
  await control("Generate API key").click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
});

test("a list the ended session stopped is read again after signing in, with no stale error", async () => {
  await signIn();
  await page.getByText("5 of 5 keys").waitFor();
  await emulator.control("/expire-tokens", { method: "POST", body: {} });
  // Away and back: the list is read again, and the portal refuses the ended session.
  await control("Create API key").click();
  await control("Cancel").click();
  const dialog = page.getByRole("dialog", { name: "Sign in again" });
  await dialog.waitFor();
  await page
    .getByText(/Sign in again; what you entered is kept/)
    .first()
    .waitFor();
  await dialog.getByLabel("Username and password").check();
  await dialog.getByLabel("Password", { exact: true }).fill("arcgis-demo");
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByText("5 of 5 keys").waitFor();
  assert.equal(await page.getByText(/Sign in again; what you entered is kept/).count(), 0, "no stale error");
});

test("stay signed in in this tab: a reload keeps the session, in session storage only, until signing out", async () => {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page);
  await page.reload();
  await page.getByLabel("Portal URL").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, "by default nothing is kept");

  await page.getByLabel("Stay signed in in this tab").check();
  await signInWithPassword(page);
  await page.reload();
  await page.getByText("5 of 5 keys").waitFor();
  assert.match(await page.locator(".who").innerText(), /Signed in as jsmith/, "the reload kept the session");
  assert.equal(await page.evaluate(() => localStorage.length), 0, "never local storage");
  await control("Sign out").click();
  await page.getByLabel("Portal URL").waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "signing out forgets it");
  await page.reload();
  await page.getByLabel("Portal URL").waitFor();
  assert.ok(!(await page.getByLabel("Stay signed in in this tab").isChecked()));

  // A kept session the portal has since ended is forgotten, and the sign-in form says why.
  await page.getByLabel("Stay signed in in this tab").check();
  await signInWithPassword(page);
  await emulator.control("/expire-tokens", { method: "POST", body: {} });
  await page.reload();
  await page.getByLabel("Portal URL").waitFor();
  await page.getByRole("alert").filter({ hasText: "The session this tab kept has ended at the portal. Sign in again." }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("arcgis-keys:session")), null);
  await screen("sign-in-kept-session-ended");
});

test("a sign-in cancelled at the portal, or a sign-in window closed, is said in plain words", async () => {
  await page.goto(`${emulator.base}/`);
  const alert = page.getByRole("alert").filter({ hasText: /cancelled/ });
  let [popup] = await Promise.all([page.waitForEvent("popup"), control("Sign in with ArcGIS").click()]);
  await Promise.all([popup.waitForEvent("close"), popup.getByRole("button", { name: "Cancel" }).click()]);
  await alert.waitFor();
  assert.equal(
    await alert.innerText(),
    "Sign-in was cancelled: you cancelled it on the portal's sign-in page. Nothing changed; sign in when you are ready.",
  );
  assert.ok(!(await alert.innerText()).includes("access_denied"));

  [popup] = await Promise.all([page.waitForEvent("popup"), control("Sign in with ArcGIS").click()]);
  await popup.close();
  await alert.filter({ hasText: /window was closed/ }).waitFor();
  assert.equal(
    await alert.innerText(),
    "Sign-in was cancelled: the sign-in window was closed before you signed in. Nothing changed; sign in when you are ready.",
  );
  assert.equal(await control("Sign in with ArcGIS").isDisabled(), false, "the form can be used again");
  await screen("sign-in-cancelled");
});

test("the tutorial flow with the keyboard only", async () => {
  await signIn();
  const press = (key) => page.keyboard.press(key);
  const tabTo = async (name) => {
    for (let i = 0; i < 80; i++) {
      await press("Tab");
      const focused = await page.evaluate(() => {
        // Focus inside the element's shadow root shows as the element itself.
        let el = /** @type {HTMLInputElement | null} */ (document.activeElement);
        while (el?.shadowRoot?.activeElement) el = /** @type {HTMLInputElement} */ (el.shadowRoot.activeElement);
        return el?.labels?.[0]?.innerText ?? el?.getAttribute("aria-label") ?? el?.innerText ?? "";
      });
      if (focused.trim() === name) return;
    }
    assert.fail(`Tab never reached ${name}`);
  };
  await tabTo("Create API key");
  await press("Enter");
  // The expiration keeps its default, a month ahead, as the tutorial does.
  await tabTo("Next");
  await press("Enter");
  // The wizard moves the focus to the new step's heading: Tab on from there.
  await focusedOn("#create-step");
  await tabTo("Referrers");
  await page.keyboard.type(emulator.base);
  await tabTo("Next");
  await press("Enter");
  // The wizard moves the focus to the new step's heading: Tab on from there.
  await focusedOn("#create-step");
  await tabTo("Search privileges");
  await page.keyboard.type("basemap");
  await tabTo("Basemap styles service");
  await press("Space");
  await tabTo("Next");
  await press("Enter");
  // The wizard moves the focus to the new step's heading: Tab on from there.
  await focusedOn("#create-step");
  await tabTo("Next");
  await press("Enter");
  // The wizard moves the focus to the new step's heading: Tab on from there.
  await focusedOn("#create-step");
  await tabTo("Title");
  await page.keyboard.type("Keyboard key");
  await tabTo("Next");
  await press("Enter");
  // The wizard moves the focus to the new step's heading: Tab on from there.
  await focusedOn("#create-step");
  await tabTo("Generate API key");
  await press("Enter");
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  await tabTo("Copy");
  await press("Enter");
  await page.getByText("Copied to the clipboard.").waitFor();
  await tabTo("Done");
  await press("Enter");
  await page.getByRole("heading", { level: 1, name: "Keyboard key" }).waitFor();
  assert.match(await page.getByRole("region", { name: "Key 1" }).innerText(), new RegExp(`expires ${dateIn(30)}`));
  // A month-long key made today is not "expiring" (the default once equalled the threshold).
  await control("All keys").click();
  const row = (title) => page.getByRole("row").filter({ hasText: title });
  await row("Keyboard key").waitFor();
  assert.equal(await row("Keyboard key").locator(".badge", { hasText: "Expires within 30 days" }).count(), 0);
  assert.equal(await row("Delivery routing").locator(".badge", { hasText: "Expires within 30 days" }).count(), 1, "12 days left");
});

/** Adds `count` plain items to jsmith's root folder through the REST API. */
async function addItems(count) {
  const form = (fields) => ({ method: "POST", body: new URLSearchParams({ ...fields, f: "json" }) });
  const { token } = await (
    await fetch(
      `${emulator.rest}/generateToken`,
      form({ username: "jsmith", password: "arcgis-demo", client: "referer", referer: emulator.base }),
    )
  ).json();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(
        `${emulator.rest}/content/users/jsmith/addItem`,
        form({ token, title: `Layer ${String(i).padStart(3, "0")}`, type: "Feature Service" }),
      ),
    ),
  );
}

test("item access browses past the first 100 items of a folder", async () => {
  await addItems(105);
  await signIn();
  await fillWizard({ title: "Many items" });
  await control("Back").click();
  await control("Back").click();
  const picker = page.getByRole("group", { name: "Item access" });
  await picker.getByLabel("Layer 000").waitFor();
  // A page holds 100 items of any kind; the API keys among them are not offered.
  assert.ok((await picker.getByRole("checkbox").count()) < 106, "one page of items at first");
  await picker.getByRole("button", { name: "Show more items" }).click();
  await picker.getByLabel("Layer 104").check();
  assert.equal(await picker.getByRole("checkbox").count(), 106, "the 105 layers and the seeded Store locations");
  assert.equal(await picker.getByRole("button", { name: "Show more items" }).count(), 0, "nothing more to show");
  await page.getByText("2 of 100 items chosen").waitFor();
});

test("item access stops at 100 chosen items and says so; removing one frees a place", async () => {
  await addItems(105);
  await signIn();
  await fillWizard({ title: "A hundred items" });
  await control("Back").click();
  await control("Back").click();
  const picker = page.getByRole("group", { name: "Item access" });
  await picker.getByLabel("Layer 000").waitFor();
  await picker.getByRole("button", { name: "Show more items" }).click();
  await picker.getByLabel("Layer 104").waitFor();
  // "Store locations" is already chosen by fillWizard: 99 layers make 100.
  for (let i = 0; i < 99; i++) await picker.getByLabel(`Layer ${String(i).padStart(3, "0")}`).check();
  await page.getByText("100 of 100 items chosen").waitFor();
  const limit = page.getByText("100 items are chosen, the most a credential may access: remove one to choose another.");
  await limit.waitFor();
  const hundredAndFirst = picker.getByLabel("Layer 099");
  assert.ok(await hundredAndFirst.isDisabled(), "the 101st item cannot be chosen");
  assert.ok(!(await hundredAndFirst.isChecked()));
  await screen("create-item-access-full");
  await page.getByRole("button", { name: "Remove Layer 000" }).click();
  await page.getByText("99 of 100 items chosen").waitFor();
  await limit.waitFor({ state: "hidden" });
  await hundredAndFirst.check();
  await page.getByText("100 of 100 items chosen").waitFor();
});

test("focus lands where each action leaves the user: the new key, its card, the edit button, the list", async () => {
  await signIn();
  await focusedOn("h1");
  await openKey("Storefront locator");
  await focusedOn("h1"); // a key's page starts at its heading
  const slot2 = page.getByRole("region", { name: "Key 2" });
  await slot2.getByLabel("Expiration date").fill(dateIn(30));
  await slot2.getByRole("button", { name: "Generate API key" }).click();
  await focusedOn(".reveal h2"); // the new key is heard first
  await copyRevealedKey();
  await control("Done").click();
  await focusedOn("#slot-2-regenerate"); // back on the card of the key just made

  const slot1 = page.getByRole("region", { name: "Key 1" });
  await slot1.getByRole("button", { name: "Invalidate" }).click();
  await answerDialog(page, "Invalidate key 1?", "Invalidate key 1");
  await focusedOn("#slot-1-expiration"); // the Invalidate button is gone; Generate's date takes it

  await control("Edit settings").click();
  await page.getByLabel("Description").fill("Focus test.");
  await control("Save changes").click();
  await page.getByText("Saved.").waitFor();
  await focusedOn("#edit-settings"); // the form closed under the focus

  await page.getByLabel("Type “Storefront locator” to confirm").fill("Storefront locator");
  await page.getByRole("region", { name: "Delete" }).getByRole("button", { name: "Delete" }).click();
  await page.getByText("4 of 4 keys").waitFor();
  await focusedOn("h1");
  assert.equal(
    await page.evaluate(() => document.querySelector("arcgis-api-key-manager").shadowRoot.activeElement.textContent),
    "API keys",
  );
});

test("an administrator's list shows each key's own expiry from the organization's expiry query, where the item's date differs", async () => {
  const form = (fields) => ({ method: "POST", body: new URLSearchParams({ ...fields, f: "json" }) });
  const admin = await keys.signIn({ portal: emulator.rest, username: "demo_admin", password: DEMO_PASSWORD });
  const created = await admin.createCredential({
    title: "Moved date",
    privileges: ["premium:user:basemaps"],
    keys: [{ slot: 1, expires: Date.parse(`${dateIn(30)}T12:00:00Z`) }],
  });
  // The item's date moved later after the key was made: the key keeps its own.
  const { token } = await (
    await fetch(
      `${emulator.rest}/generateToken`,
      form({ username: "demo_admin", password: DEMO_PASSWORD, client: "referer", referer: emulator.base }),
    )
  ).json();
  const moved = Date.parse(`${dateIn(90)}T12:00:00Z`);
  await fetch(
    `${emulator.rest}/content/users/demo_admin/items/${created.credential.id}/update`,
    form({ token, apiToken1ExpirationDate: String(moved) }),
  );
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page, { username: "demo_admin" });
  const row = page.getByRole("row").filter({ hasText: "Moved date" });
  await row.getByText(dateIn(30)).waitFor();
  assert.ok(!(await row.innerText()).includes(dateIn(90)), "the key's own date, not the item's");
  const { entries } = await emulator.control("/log");
  assert.ok(
    entries.some((e) => e.path.endsWith("/portals/self/apiTokens")),
    "the expiry query was asked",
  );
});

test("list: search, filter and sort, and the empty state once the last key is deleted", async () => {
  await signIn();
  // The registered apps arrive after the items: privileges and the app's badges join the rows.
  await page.locator("tbody tr", { hasText: "Legacy basemap key" }).getByText("Retired").waitFor();
  await page.locator("tbody tr", { hasText: "Storefront locator" }).getByText("Basemaps, Geocoding").waitFor();
  await page.getByLabel("Search keys").fill("rout");
  await page.getByText("1 of 5 keys").waitFor();
  await page.getByLabel("Search keys").fill("");
  await page.getByLabel("Show").selectOption("legacy");
  await page.getByText("1 of 5 keys").waitFor();
  await page.getByLabel("Show").selectOption("attention");
  const attention = await page.locator("tbody th").allInnerTexts();
  assert.deepEqual(attention.sort(), ["Content bot", "Delivery routing", "Legacy basemap key", "Prototype"]);
  await page.getByLabel("Show").selectOption("all");
  await page.getByLabel("Sort by").selectOption("title");
  const titles = await page.locator("tbody th").allInnerTexts();
  assert.deepEqual(
    titles,
    [...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
  );
  await control("Sign out").click();
  await signIn("other_user");
  await openKey("Other org map app");
  await page.getByLabel("Type “Other org map app” to confirm").fill("Other org map app");
  await page.getByRole("region", { name: "Delete" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("heading", { name: "No API keys yet" }).waitFor();
  await screen("empty");
});

test("the health view groups keys by what needs attention, charts expiries, and exports the inventory", async () => {
  const clientSecrets = [];
  page.on("response", async (response) => {
    if (!response.url().includes("registeredAppInfo")) return;
    const secret = (await response.json().catch(() => ({}))).client_secret;
    if (secret) clientSecrets.push(secret);
  });
  await signIn();
  await control("Key health").click();
  await page.getByRole("heading", { name: "Key health" }).waitFor();
  await page.getByText("5 keys; 6 kinds of issue need attention.").waitFor();
  const group = async (name) => (await page.getByRole("region", { name, exact: true }).locator(".title").allTextContents()).sort();
  const headings = await page.locator("section.concern h2").allTextContents();
  assert.match(headings.join("|"), /^Retired legacy keys/, "retired keys come first");
  assert.deepEqual(await group("Retired legacy keys"), ["Legacy basemap key"]);
  assert.deepEqual(await group("Expired"), ["Content bot"]);
  assert.deepEqual(await group("Expiring within 30 days"), ["Delivery routing"]);
  assert.deepEqual(await group("No key generated"), ["Prototype"]);
  assert.deepEqual(await group("No referrer restriction"), ["Content bot", "Prototype"]);
  assert.deepEqual(await group("Personal privileges"), ["Content bot"]);
  assert.equal(await page.getByRole("region", { name: "Expiring within 7 days" }).count(), 0);
  await page.getByRole("img", { name: "Keys expiring, by month" }).waitFor();
  // Seed: Content bot's key 1 has expired; four active slots expire within the year.
  const counts = await page.locator("#timeline-counts").innerText();
  assert.match(counts, /^Slots expiring: expired: 1, /);
  const ahead = [...counts.matchAll(/\d{4}-\d{2}: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.equal(ahead, 3, counts);
  await screen("health");

  const [csv] = await Promise.all([page.waitForEvent("download"), control("Export CSV").click()]);
  assert.equal(csv.suggestedFilename(), "api-keys.csv");
  const text = readFileSync(await csv.path(), "utf8");
  const lines = text.trim().split("\r\n");
  assert.equal(lines[0], "id,title,kind,owner,folder,tags,created,modified,key1,key2,referrers,privileges,attention");
  assert.equal(lines.length, 6, text);
  assert.match(text, /,Content bot,credential,jsmith,.*expired \d{4}-\d{2}-\d{2}/);
  const [json] = await Promise.all([page.waitForEvent("download"), control("Export JSON").click()]);
  const inventory = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.deepEqual(inventory.map((k) => k.title).sort(), [
    "Content bot",
    "Delivery routing",
    "Legacy basemap key",
    "Prototype",
    "Storefront locator",
  ]);
  assert.ok(
    inventory.every((k) => Array.isArray(k.privileges) && Array.isArray(k.referrers)),
    "every app was read",
  );
  assert.ok(clientSecrets.length >= 4, `client secrets seen on the wire: ${clientSecrets.length}`);
  for (const secret of clientSecrets) {
    assert.ok(!text.includes(secret) && !JSON.stringify(inventory).includes(secret), "no client secret is exported");
  }

  // Each action opens the key's page at the control that settles it.
  const landsOn = async (action, title, selector) => {
    await page.getByRole("button", { name: `${action}: ${title}` }).click();
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await focusedOn(selector);
    await control("All keys").click();
    await control("Key health").click();
  };
  // Both of its slots hold keys: the page says why rotation cannot start, and what to do.
  await landsOn("Rotate", "Delivery routing", "#rotation-unavailable");
  await landsOn("Regenerate", "Content bot", "#slot-1-expiration");
  await landsOn("Generate a key", "Prototype", "#slot-1-expiration");
  await landsOn("Review privileges", "Content bot", "#privilege-search");
  await landsOn("Review", "Legacy basemap key", "#delete-confirm");
  await page.getByRole("button", { name: "Add referrers: Prototype" }).click();
  await focusedOn("#edit-referrers");
  assert.ok(await page.getByLabel("Referrers").isVisible(), "the edit form is open");
  await page.keyboard.type("https://maps.example.com");
  await control("Save changes").click();
  await page.getByText("Saved.").waitFor();
  await control("All keys").click();
  await control("Key health").click();
  await page.getByText("5 keys; 6 kinds of issue need attention.").waitFor();
  assert.deepEqual(await group("No referrer restriction"), ["Content bot"], "settled in one visit");
});

test("the key tester: a new key is accepted (and counted in usage), and a wrong key or referrer is rejected with why", async () => {
  await signIn();
  await fillWizard({ title: "Tested key" });
  await control("Generate API key").click();
  const tester = page.getByRole("region", { name: "Test a key" });
  assert.equal(
    await tester.getByLabel("Privilege to test").inputValue(),
    "premium:user:basemaps",
    "only privileges with a service are offered",
  );
  assert.equal(await tester.getByLabel("Location services at").inputValue(), emulator.base, "the local portal serves its services");
  await tester.getByRole("button", { name: "Test key" }).click();
  await tester.getByText("Accepted: the service answered with this key.").waitFor();
  await screen("tester");
  const key = await copyRevealedKey();
  await control("Done").click();
  await page.getByRole("heading", { level: 1, name: "Tested key" }).waitFor();
  // The accepted test call is the credential's one use so far.
  const usage = page.getByRole("region", { name: "Usage, last 30 days" });
  await usage.getByText("1 request in the last 30 days.").waitFor();
  await usage.getByRole("img", { name: `Requests per day, ${dateIn(-29)} to ${dateIn(0)}` }).waitFor();
  assert.match(await usage.locator("#usage-counts").innerText(), new RegExp(`^Requests by day: ${dateIn(0)}: 1\\.$`));
  assert.equal(await usage.getByRole("list", { name: "Requests by operation" }).getByRole("listitem").count(), 1);
  await screen("usage");

  // A pasted key is masked until asked for.
  const field = tester.getByLabel("API key to test");
  await field.fill(`${key.slice(0, -4)}AAAA`);
  assert.equal(await field.getAttribute("type"), "password");
  const show = tester.getByRole("button", { name: "Show key" });
  await show.click();
  assert.equal(await field.getAttribute("type"), "text");
  assert.equal(await show.getAttribute("aria-pressed"), "true");
  await show.click();
  assert.equal(await field.getAttribute("type"), "password");
  await tester.getByRole("button", { name: "Test key" }).click();
  await tester.getByText(/^Rejected \(498\): .*generate a new one\.$/).waitFor();
  const warning = tester.getByText(/^This page's address, .*, is not among the key's referrers/);
  assert.equal(await warning.isVisible(), false, "no referrers: any page may use the key");

  // A service host the page's Content-Security-Policy does not allow: the words name it,
  // say what blocked it, and hold no browser's raw error.
  const services = tester.getByLabel("Location services at");
  await services.fill("http://127.0.0.1:9");
  await tester.getByRole("button", { name: "Test key" }).click();
  const blocked = tester.getByText(/^Not tested: the service at http:\/\/127\.0\.0\.1:9 could not be reached\./);
  await blocked.waitFor();
  assert.match(await blocked.innerText(), /add http:\/\/127\.0\.0\.1:9 to connect-src/);
  assert.doesNotMatch(await blocked.innerText(), /TypeError|portal/);
  // That block is this test's doing: each violation recorded is about that host, then gone.
  assert.ok(context.cspViolations.length > 0, "the policy blocked it");
  assert.ok(
    context.cspViolations.every((v) => v.includes("http://127.0.0.1:9/")),
    context.cspViolations.join("\n"),
  );
  context.cspViolations.splice(0);
  await services.fill(emulator.base);

  // A referrer this page is not: the tester warns before testing, and the refusal says why.
  await control("Edit settings").click();
  await page.getByLabel("Referrers").last().fill("https://elsewhere.example.com");
  await control("Save changes").click();
  await page.getByText("Saved.").waitFor();
  await warning.waitFor();
  assert.match(await warning.innerText(), new RegExp(`^This page's address, ${emulator.base}, is not among`));
  await screen("tester-referrer-warning");
  await field.fill(key);
  await tester.getByRole("button", { name: "Test key" }).click();
  await tester.getByText(/^Rejected \(403\): .*This page's address is not among the key's referrers/).waitFor();

  // The tester offers what the credential holds now: a privilege added is offered at once.
  await control("Edit settings").click();
  await page.getByLabel("Search privileges").fill("elevation");
  await page.getByLabel("Elevation service (beta)").check();
  await control("Save changes").click();
  await answerDialog(page, "Save and stop the keys?", "Save and stop the keys");
  await page.getByText(/^Saved\./).waitFor();
  const offered = await tester.getByLabel("Privilege to test").locator("option").allInnerTexts();
  assert.ok(offered.includes("Elevation service (beta)"), `offered: ${offered}`);
});

test("a rotation a CI job started shows on the key's page and finishes there; one started here is what the next job finds", async () => {
  const api = await keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });
  const { credential, keys: issued } = await api.createCredential({
    title: "Rotated by CI",
    privileges: ["premium:user:basemaps"],
    referrers: [emulator.base],
    keys: [{ slot: 1, expires: Date.now() + 20 * 86_400_000 }],
  });
  // The CI job's generate step: the key made, delivered, and recorded on the credential.
  const job = await api.rotate(credential.id, { by: "arcgis-keys command line" });
  await api.confirmDelivery(credential.id);
  await signIn();
  await openKey("Rotated by CI");
  const rotation = page.getByRole("region", { name: "Rotate without downtime" });
  await rotation.getByText(`Rotation in progress since ${dateIn(0)}: key 2 is the new key.`, { exact: false }).waitFor();
  await rotation.getByLabel("Every app uses key 2 now").check();
  await rotation.getByRole("button", { name: "Invalidate key 1 and finish" }).click();
  await rotation.getByText("Rotation finished: key 1 no longer works, key 2 carries on.").waitFor();
  assert.equal(await styleServiceAnswers(page, issued[0].key), "error 498", "the old key stopped");
  assert.equal(await styleServiceAnswers(page, job.key), "ok", "the key CI delivered works");
  assert.equal((await api.getCredential(credential.id)).rotation.inProgress, null, "the record is closed");

  // The reverse: a rotation started here is recorded, delivered once shown.
  await rotation.getByLabel("Expiration date").fill(dateIn(90));
  await rotation.getByRole("button", { name: "Start rotation" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  await copyRevealedKey();
  await control("Done").click();
  await page
    .getByRole("region", { name: "Key 1" })
    .getByText(`Made ${dateIn(0)} with arcgis-keys`)
    .waitFor();
  const recorded = await api.getCredential(credential.id);
  assert.equal(recorded.rotation.step, "deploy", "the next CI job makes no key");
  assert.equal(recorded.rotation.inProgress.by, "arcgis-keys manager");
  assert.equal(recorded.rotation.inProgress.slot, 1);
  // The date chosen here is the end of that day, UTC, on the portal: the instant the JS API
  // and the command line store for the same date.
  assert.equal(recorded.slots[0].expires, keys.parseExpiry(dateIn(90)));
  assert.equal(new Date(recorded.slots[0].expires).toISOString(), `${dateIn(90)}T23:59:59.999Z`);
  await api.deleteCredential(credential.id);
});

test("guided rotation: the new key, then (after closing the page) invalidating the old one", async () => {
  await signIn();
  await openKey("Storefront locator");
  const rotation = page.getByRole("region", { name: "Rotate without downtime" });
  await rotation.getByLabel("Expiration date").fill(dateIn(120));
  await rotation.getByRole("button", { name: "Start rotation" }).click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  assert.match(await page.locator(".reveal").innerText(), /The new key 2 of Storefront locator: deploy it/);
  const key = await copyRevealedKey();
  await control("Done").click();
  await rotation.getByText(`Rotation in progress since ${dateIn(0)}: key 2 is the new key.`, { exact: false }).waitFor();
  await screen("rotation");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.match(stored, /Storefront locator/, "the rotation is remembered");
  assert.ok(!stored.includes(key), "but never its key");

  // The page is closed between the two steps.
  await page.close();
  page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error.message));
  fixture.page = page; // checked after the test like the first one
  await signIn();
  const banner = page.getByRole("region", { name: "Rotations to finish" });
  await banner.getByRole("button", { name: "Finish rotation: Storefront locator" }).click();
  await page.getByRole("heading", { level: 1, name: "Storefront locator" }).waitFor();
  await focusedOn("#rotation-deployed");
  const resumed = page.getByRole("region", { name: "Rotate without downtime" });
  await resumed.getByRole("button", { name: "Invalidate key 1 and finish" }).click();
  await resumed.getByText("Confirm that every app uses key 2 first.").waitFor();
  await resumed.getByLabel("Every app uses key 2 now").check();
  await resumed.getByRole("button", { name: "Invalidate key 1 and finish" }).click();
  await resumed.getByText("Rotation finished: key 1 no longer works, key 2 carries on.").waitFor();
  assert.match(await page.getByRole("region", { name: "Key 1" }).innerText(), /No key/);
  assert.match(await page.getByRole("region", { name: "Key 2" }).innerText(), new RegExp(`Active, expires ${dateIn(120)}`));
  await control("All keys").click();
  await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Rotations to finish" }).count(), 0);
  assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing is left in local storage");
});

test("the health view finds keys with no requests in 90 days", async () => {
  // A hundred days on, for the portal and the browser alike: the seed's keys are old now.
  const later = 100 * 86_400_000;
  await emulator.control("/clock", { method: "POST", body: { advanceMs: later } });
  await context.clock.install({ time: Date.now() + later });
  await signIn();

  // One of them is used today: Prototype, which has no referrer restriction.
  await openKey("Prototype");
  await page.getByRole("region", { name: "Key 1" }).getByRole("button", { name: "Generate API key" }).click();
  const tester = page.getByRole("region", { name: "Test a key" });
  await tester.getByRole("button", { name: "Test key" }).click();
  await tester.getByText("Accepted: the service answered with this key.").waitFor();
  await copyRevealedKey();
  await control("Done").click();
  await control("All keys").click();

  await control("Key health").click();
  const unused = page.getByRole("region", { name: "Unused for 90 days", exact: true });
  await unused.waitFor();
  const titles = (await unused.locator(".title").allTextContents()).sort();
  assert.ok(titles.includes("Storefront locator"), titles.join());
  assert.ok(!titles.includes("Prototype"), "a key used today is not unused");
  await screen("health-unused");
  await unused.getByRole("button", { name: "Review: Storefront locator" }).click();
  await focusedOn("#delete-confirm");
});

test("every screen at 1280 and 390 px, light and dark: no sideways scroll, dates whole, axe clean, screenshots kept", async () => {
  await signIn();
  /** Screens by name, each opened from the list. */
  const screens = {
    list: async () => {},
    detail: async () => openKey("Delivery routing"),
    create: async () => {
      await control("Create API key").click();
      await page.getByLabel("Expiration date").waitFor();
    },
    health: async () => {
      await control("Key health").click();
      await page.getByRole("heading", { level: 1, name: "Key health" }).waitFor();
    },
  };
  for (const [width, height] of [
    [1280, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    for (const colorScheme of /** @type {const} */ (["light", "dark"])) {
      await page.emulateMedia({ colorScheme });
      for (const [name, open] of Object.entries(screens)) {
        const back = page.getByRole("button", { name: /^(All keys|Cancel)$/ });
        if (await back.count()) await back.first().click();
        await page.getByRole("heading", { name: "API keys", exact: true }).waitFor();
        await open();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} at ${width} px (${colorScheme}) scrolls sideways by ${overflow} px`);
        // A date cell holds one line: its date never breaks at a hyphen.
        const broken = await page.evaluate(() => {
          const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
          const lines = (cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          };
          return [...root.querySelectorAll("td.date")].filter((cell) => lines(cell) > 1).length;
        });
        assert.equal(broken, 0, `${name} at ${width} px: date cells on more than one line`);
        assert.deepEqual(await axeViolations(page), [], `axe on ${name} at ${width} px, ${colorScheme}`);
        await page.screenshot({ path: `${artifacts}layout-${name}-${width}-${colorScheme}.png`, fullPage: true });
      }
    }
  }
});

test("the look: Calcite's palettes and focus ring, a host's theme through the custom properties, icons hidden from assistive technology", async () => {
  await signIn();
  await openKey("Delivery routing");
  /** What the manager draws, read inside its shadow root. */
  const look = () =>
    page.evaluate(() => {
      const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
      const style = (selector) => getComputedStyle(root.querySelector(selector));
      const icons = [...root.querySelectorAll("svg.icon")];
      return {
        background: style(".arcgis-keys").backgroundColor,
        text: style(".arcgis-keys").color,
        heading: style("h1").fontSize,
        button: style(".slot button:not(.secondary):not(.danger)").backgroundColor,
        icons: icons.length,
        // Each icon is hidden, and sits in a control or status that has words of its own.
        unlabelled: icons.filter((icon) => icon.getAttribute("aria-hidden") !== "true" || !icon.parentElement.textContent.trim()).length,
      };
    });
  const light = await look();
  assert.deepEqual(
    { background: light.background, text: light.text, heading: light.heading, button: light.button },
    { background: "rgb(248, 248, 248)", text: "rgb(21, 21, 21)", heading: "24px", button: "rgb(0, 122, 194)" },
    "Calcite's light background, text-1, brand and 24 px title",
  );
  assert.ok(light.icons >= 5, `icons on the key's page: ${light.icons}`);
  assert.equal(light.unlabelled, 0, "every icon is aria-hidden beside words");

  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await look();
  assert.deepEqual(
    { background: dark.background, text: dark.text, button: dark.button },
    { background: "rgb(53, 53, 53)", text: "rgb(255, 255, 255)", button: "rgb(0, 154, 242)" },
    "Calcite's dark background, text-1 and brand",
  );
  assert.deepEqual(await axeViolations(page), [], "axe in the dark palette");
  await page.emulateMedia({ colorScheme: "light" });

  // A host themes the manager through its custom properties and nothing else.
  await page.evaluate(() => document.querySelector("arcgis-api-key-manager").style.setProperty("--arcgis-keys-brand", "rgb(1, 2, 3)"));
  assert.equal((await look()).button, "rgb(1, 2, 3)", "the host's brand colour reaches the buttons");

  // The keyboard's focus ring: Calcite's 2 px, offset 2 px, in the brand colour.
  await page.keyboard.press("Tab");
  const ring = await page.evaluate(() => {
    const focused = document.querySelector("arcgis-api-key-manager").shadowRoot.activeElement;
    const style = getComputedStyle(focused);
    return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineOffset} ${style.outlineColor}`;
  });
  assert.equal(ring, "solid 2px 2px rgb(1, 2, 3)");
  await page.screenshot({ path: `${artifacts}manager-look-themed.png`, fullPage: true });
});

test("item access: search across folders, the chosen items listed with remove, the count against the limit", async () => {
  await signIn();
  await control("Create API key").click();
  await control("Next").click();
  await control("Next").click();
  await page.getByLabel("Search privileges").fill("basemap");
  await page.getByLabel("Basemap styles service").check();
  await control("Next").click();
  const picker = page.getByRole("group", { name: "Item access" });
  await picker.getByLabel("Store locations").check();
  await picker.getByText("1 of 100 items chosen").waitFor();
  const chosen = picker.getByRole("list", { name: "Chosen items" });
  assert.deepEqual(await chosen.getByRole("listitem").locator("span").allTextContents(), ["Store locations"]);

  // "delivery" is a layer in a folder and a key: only the layer is offered.
  await picker.getByLabel("Search your items").fill("delivery");
  await picker.getByLabel("Search your items").press("Enter");
  await picker.getByLabel("Delivery zones").waitFor();
  assert.equal(await picker.getByLabel("Delivery routing").count(), 0, "keys are not offered as items");
  assert.equal(await page.locator("#create-step").innerText(), "Step 4 of 6: Item access", "Enter searched, it did not submit");
  await picker.getByLabel("Delivery zones").check();
  await picker.getByText("2 of 100 items chosen").waitFor();
  await screen("item-search");
  await picker.getByLabel("Search your items").fill("nothing-like-this");
  await picker.getByRole("button", { name: "Search", exact: true }).click();
  await picker.getByText("None of your items matches these words.").waitFor();

  await chosen.getByRole("button", { name: "Remove Store locations" }).click();
  await picker.getByText("1 of 100 items chosen").waitFor();
  assert.deepEqual(await chosen.getByRole("listitem").locator("span").allTextContents(), ["Delivery zones"]);
  await picker.getByLabel("Search your items").fill("");
  await picker.getByRole("button", { name: "Search", exact: true }).click();
  await picker.getByLabel("Store locations").waitFor(); // back to browsing the folder
  assert.equal(await picker.getByLabel("Store locations").isChecked(), false);
});

test("a connection lost while signed in is said as the network's doing, not a wrong address, and the slot stays as it was", async () => {
  await signIn();
  await openKey("Storefront locator");
  // Chromium retries a dropped request once per idle reused connection: drop every try.
  for (let i = 0; i < 8; i++) await emulator.control("/faults", { method: "POST", body: { path: "/oauth2/revokeToken", kind: "drop" } });
  const slot1 = page.getByRole("region", { name: "Key 1" });
  await slot1.getByRole("button", { name: "Invalidate" }).click();
  await answerDialog(page, "Invalidate key 1?", "Invalidate key 1");
  const alert = slot1.getByRole("alert");
  await alert.getByText(/The connection to the portal was lost on the way; try again\./).waitFor();
  assert.doesNotMatch(await alert.innerText(), /portal address/, "no advice to check an address that worked");
  assert.match(await slot1.innerText(), /Active, expires/, "the key is still shown as it is");
  await emulator.control("/faults", { method: "DELETE" });
});
