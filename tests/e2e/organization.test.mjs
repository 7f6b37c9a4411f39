// The Organization view in headless Chromium, as the demo administrator: every member's
// keys with their owners, the owner filter, a policy applied and exported, a member's key
// invalidated (and then refused by the emulated service), the organization's health; and
// a member refused the view. Another organization's keys never appear.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, test } from "node:test";

import * as keys from "arcgis-keys";

import { artifacts, axeViolations } from "../support/browser.mjs";
import { DEMO_PASSWORD } from "../support/emulator.mjs";
import { answerDialog, signInWithPassword, styleServiceAnswers, useManagerPage } from "../support/manager-page.mjs";

const fixture = useManagerPage();
let emulator;
let page;
beforeEach(() => {
  ({ emulator, page } = fixture);
});

const basemaps = "premium:user:basemaps";

/** The screen passes axe-core; its screenshot is saved as `organization-<name>.png`. */
async function screen(name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on the ${name} screen`);
  await page.screenshot({ path: `${artifacts}organization-${name}.png`, fullPage: true });
}

function control(name) {
  return page.getByRole("button", { name, exact: true });
}

/** The titles of the rows the list shows, sorted. */
async function titles() {
  return (await page.locator("table.keys tbody th").allTextContents()).map((t) => t.trim()).sort();
}

/** The Organization view as the demo administrator, every row's app read. */
async function openOrganization() {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page, { username: "demo_admin" });
  await control("Organization").click();
  await page.getByRole("heading", { level: 1, name: "Organization's API keys" }).waitFor();
  await page.getByRole("row").filter({ hasText: "Fleet tracker" }).waitFor();
  // The apps (referrers, privileges) are read for the rows on screen: wait for them all.
  await page.waitForFunction(() => {
    const root = document.querySelector("arcgis-api-key-manager").shadowRoot;
    const cells = [...root.querySelectorAll("table.keys tbody td")];
    return cells.length > 0 && !cells.some((td) => td.textContent.includes("…"));
  });
}

test("the Organization view: every member's keys and owners, the owner filter, a policy with its reasons, the export, and a member's key invalidated", async () => {
  const member = await keys.signIn({ portal: emulator.rest, username: "mlopez", password: DEMO_PASSWORD });
  const kiosk = await member.createCredential({ title: "Kiosk map", privileges: [basemaps], keys: [{ slot: 1 }] });
  const outsider = await keys.signIn({ portal: emulator.rest, username: "other_user", password: DEMO_PASSWORD });
  await outsider.createCredential({ title: "Another org's key", privileges: [basemaps], keys: [{ slot: 1 }] });

  await openOrganization();
  const listed = await titles();
  for (const title of ["Storefront locator", "Field survey app", "Tourism map", "Fleet tracker", "Data loader", "Sandbox", "Kiosk map"]) {
    assert.ok(listed.includes(title), `${title} is listed: ${listed}`);
  }
  // Every member's retired legacy keys too, as their own lists show them.
  for (const title of ["Legacy basemap key", "Legacy demographics map", "Legacy analysis tool"]) {
    assert.ok(listed.includes(title), `the retired ${title} is listed: ${listed}`);
  }
  assert.match(
    await page.getByRole("row").filter({ hasText: "Legacy basemap key" }).innerText(),
    /jsmith[\s\S]*Retired|Retired[\s\S]*jsmith/,
  );
  for (const title of ["Other org map app", "Another org's key"]) {
    assert.ok(!listed.includes(title), `another organization's ${title} never appears`);
  }
  assert.match(await page.getByRole("row").filter({ hasText: "Fleet tracker" }).innerText(), /tnguyen/, "the owner column");
  assert.equal(await page.getByRole("columnheader", { name: "Owner" }).count(), 1);

  await page.getByLabel("Owner", { exact: true }).selectOption("tnguyen");
  assert.deepEqual(await titles(), ["Data loader", "Fleet tracker", "Sandbox"], "one member's keys");
  await page.getByLabel("Owner", { exact: true }).selectOption("");
  assert.deepEqual(await titles(), listed, "every member's again");

  // The policy: a wrong number keeps what was typed and says what to enter.
  const lifetime = page.getByLabel("Longest a key may still live (days; empty for no limit)");
  await lifetime.fill("half a year");
  await page.getByText("Enter a whole number of days from 1 to 3650.").waitFor();
  assert.equal(await lifetime.inputValue(), "half a year", "nothing typed is wiped");
  assert.equal(await lifetime.getAttribute("aria-invalid"), "true");
  await lifetime.fill("180");
  await page.getByLabel("The two keys must expire at least this many days apart (empty for no rule)").fill("14");
  await page.getByLabel("Keys must be restricted to referrers").check();
  await page.getByLabel("Keys must not have personal privileges").check();
  const policyOf = async (title) => page.getByRole("row").filter({ hasText: title }).locator("td").nth(5).innerText();
  assert.match(await policyOf("Data loader"), /key 1 lives until \d{4}-\d{2}-\d{2}, longer than 180d from today/);
  assert.match(await policyOf("Data loader"), /act as their owner/);
  assert.match(await policyOf("Tourism map"), /expire 2 days apart, less than 14d/);
  assert.match(await policyOf("Fleet tracker"), /no referrer restriction/);
  assert.match(await policyOf("Field survey app"), /key 1 expired on/);
  assert.equal(await policyOf("Kiosk map"), "its keys work from any site: no referrer restriction");
  await page.getByLabel("Show").selectOption("policy");
  const breaking = await titles();
  assert.ok(breaking.includes("Data loader") && breaking.includes("Tourism map") && !breaking.includes("Sandbox"), `${breaking}`);
  await screen("policy");

  const [csv] = await Promise.all([page.waitForEvent("download"), control("Export CSV").click()]);
  assert.equal(csv.suggestedFilename(), "organization-api-keys.csv");
  const lines = readFileSync(await csv.path(), "utf8")
    .trim()
    .split("\r\n");
  assert.ok(lines[0].endsWith(",attention,policy"), lines[0]);
  assert.equal(lines.length, breaking.length + 1, "the keys shown, each with its reasons");
  assert.ok(
    lines.some((l) => /,Data loader,credential,tnguyen,.*max-lifetime: key 1 lives until/.test(l)),
    lines.join("\n"),
  );
  await page.getByLabel("Show").selectOption("all");
  const [json] = await Promise.all([page.waitForEvent("download"), control("Export JSON").click()]);
  const exported = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.deepEqual(exported.map((k) => k.title).sort(), listed);
  assert.ok(new Set(exported.map((k) => k.owner)).has("mlopez"));
  assert.ok(exported.every((k) => Array.isArray(k.policy)));

  // Remembered in this browser only when asked, and forgotten when the box is cleared.
  const kept = () => page.evaluate(() => localStorage.getItem("arcgis-keys.policy"));
  assert.equal(await kept(), null);
  await page.getByLabel("Remember this policy in this browser").check();
  assert.match(await kept(), /max-lifetime=180&require-referrers=1&no-personal=1&slot-gap=14/);
  await page.getByLabel("Remember this policy in this browser").uncheck();
  assert.equal(await kept(), null);

  // An administrator stops a member's leaked key, in words that name the member.
  assert.equal(await styleServiceAnswers(page, kiosk.keys[0].key), "ok");
  await control("Kiosk map").click();
  await page.getByRole("heading", { level: 1, name: "Kiosk map" }).waitFor();
  await page.getByRole("region", { name: "Key 1" }).getByRole("button", { name: "Invalidate" }).click();
  const words = await answerDialog(page, "Invalidate key 1?", "Invalidate key 1");
  assert.match(words, /This key belongs to mlopez: tell them, as their apps stop with it\./);
  await page.getByRole("region", { name: "Key 1" }).getByText("No key").waitFor();
  assert.notEqual(await styleServiceAnswers(page, kiosk.keys[0].key), "ok", "the invalidated key fails at the service");
  await control("Organization's keys").click();
  await page.getByRole("heading", { level: 1, name: "Organization's API keys" }).waitFor();
});

test("the organization's health groups every member's keys by what needs attention, with their owners", async () => {
  await openOrganization();
  await control("Organization health").click();
  await page.getByRole("heading", { level: 1, name: "Organization health" }).waitFor();
  await page.getByText(/^\d+ keys; \d+ kinds of issue need attention\.$/).waitFor();
  const group = async (name) => (await page.getByRole("region", { name, exact: true }).locator(".title").allTextContents()).sort();
  assert.deepEqual(await group("Expired"), ["Content bot (jsmith)", "Field survey app (mlopez)"]);
  assert.deepEqual(await group("Expiring within 7 days"), ["Fleet tracker (tnguyen)"]);
  assert.ok((await group("No key generated")).includes("Sandbox (tnguyen)"));
  await screen("health");
  await control("Organization's keys").click();
  await page.getByRole("heading", { level: 1, name: "Organization's API keys" }).waitFor();
});

test("a member is never offered the Organization view, and asking for it by the element's view says why", async () => {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page, { username: "jsmith" });
  await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
  assert.equal(await control("Organization").count(), 0, "no way in for a member");
  await page.evaluate(() => document.querySelector("arcgis-api-key-manager").setAttribute("view", "organization"));
  await page
    .getByRole("alert")
    .getByText("Only an administrator of the organization can see every member's keys, and this account is not one.", { exact: false })
    .waitFor();
  const { entries } = await emulator.control("/log");
  assert.ok(!entries.some((e) => /orgid/i.test(e.query?.q ?? e.body?.q ?? "")), "nothing of the organization was searched");
  await screen("refused");
  await control("My keys").click();
  await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
});
