// Retiring legacy API keys in the standalone manager, against an emulator seeded with
// three retired keys (one with a scope that has no equivalent): replace one, then
// replace all with one injected failure. Each screen is scanned with axe-core and kept
// as a screenshot. The emulator's request log must never show a legacy write.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";

import { artifacts, axeViolations } from "../support/browser.mjs";
import { answerDialog, dateIn, signInWithPassword, useManagerPage } from "../support/manager-page.mjs";

const seed = fileURLToPath(new URL("../support/retire-seed.json", import.meta.url));
/** The seeded legacy key of "Legacy geocoder", revoked on 2026-06-27. */
const OLD_KEY = "AAPKretiredgeocoderkeyfortheretiretest";

const fixture = useManagerPage({ seed });
let emulator;
let page;
beforeEach(() => {
  ({ emulator, page } = fixture);
});

async function screen(name) {
  assert.deepEqual(await axeViolations(page), [], `axe violations on the ${name} screen`);
  await page.screenshot({ path: `${artifacts}retire-${name}.png`, fullPage: true });
}

const control = (name) => page.getByRole("button", { name, exact: true });

async function signIn() {
  await page.goto(`${emulator.base}/`);
  await signInWithPassword(page);
}

/** Does the emulated geocoder accept `key` from a page at `referer`? The answer's error code, or "ok". */
async function geocodes(key, referer) {
  const url = `${emulator.base}/arcgis/rest/services/World/GeocodeServer/findAddressCandidates?SingleLine=x&f=json&token=${key}`;
  const body = await (await fetch(url, { headers: { referer } })).json();
  return body.error ? body.error.code : "ok";
}

async function copyKey(index = 0) {
  const field = page.getByLabel("API key", { exact: true }).nth(index);
  const shown = await field.inputValue();
  await page.getByRole("button", { name: "Copy" }).nth(index).click();
  await page.getByText("Copied to the clipboard.").first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  return shown;
}

test("replace one retired key: prefilled, the new key works, and the retired one is deleted only after the key was shown", async () => {
  await signIn();
  await page.getByText("3 of 3 keys").waitFor();
  assert.equal(await page.locator("tbody tr", { hasText: "Retired" }).count(), 3, "every legacy key says Retired");
  assert.equal(await geocodes(OLD_KEY, "https://stores.example.com/"), 498, "the retired key no longer works");

  await page.getByRole("button", { name: "Legacy geocoder", exact: true }).click();
  await page.getByText("Retired: this legacy API key stopped working on 2026-06-27.").waitFor();
  await control("Replace with an API key credential").click();
  await page.getByRole("heading", { name: "Replacing the retired legacy key “Legacy geocoder”" }).waitFor();
  await page.getByText("premium:user:geocode → Geocode (not stored)").waitFor();
  await screen("replace-one");
  await page.getByLabel("Expiration date").fill(dateIn(90));
  await control("Next").click();
  assert.equal(await page.getByLabel("Referrers").inputValue(), "https://stores.example.com", "referrers copied");
  await control("Next").click();
  assert.ok(await page.getByLabel("Geocode (not stored)").isChecked(), "the scope is mapped");
  await control("Next").click();
  await control("Next").click();
  assert.equal(await page.getByLabel("Title").inputValue(), "Legacy geocoder");
  assert.equal(await page.getByLabel("Tags").inputValue(), "legacy, stores");
  await control("Next").click();
  await control("Generate API key").click();
  await page.getByRole("heading", { name: "Your new API key" }).waitFor();
  const key = await copyKey();
  assert.equal(await geocodes(key, "https://stores.example.com/"), "ok", "the new key works");
  const before = await emulator.control("/log");
  assert.ok(!before.entries.some((e) => e.path.endsWith("/delete")), "nothing is deleted before the key was shown");
  await control("Done").click();

  await page.getByRole("heading", { name: "This credential replaces the retired legacy key “Legacy geocoder”." }).waitFor();
  await screen("replaced");
  await control("Delete “Legacy geocoder”").click();
  await answerDialog(page, "Delete “Legacy geocoder” for good?", "Delete “Legacy geocoder”");
  await page.getByText("The retired key is deleted.").waitFor();
  const { entries } = await emulator.control("/log");
  const deletes = entries.filter((e) => e.path.endsWith("/delete"));
  assert.equal(deletes.length, 1);
  assert.equal(deletes[0].body.permanentDelete, "true");
  await control("All keys").click();
  await page.getByText("3 of 3 keys").waitFor();
  assert.equal(await page.locator("tbody tr", { hasText: "Retired" }).count(), 2);
});

test("replace all: progress, a result per key, one failure leaves its retired key untouched, keys shown once at the end", async () => {
  await signIn();
  await control("Key health").click();
  const retired = page.getByRole("region", { name: "Retired legacy keys", exact: true });
  await retired.getByRole("button", { name: "Replace every retired key" }).click();
  const table = page.getByRole("table", { name: "Retired keys and their replacements" });
  await table.waitFor();
  const row = (title) => table.getByRole("row", { name: new RegExp(`^${title}`) });
  await row("Legacy analysis").getByText("Needs a choice: no equivalent for premium:user:spatialanalysis").waitFor();
  await screen("replace-all");

  // The second registration fails: that retired key must stay, with nothing half made.
  await emulator.control("/faults", {
    method: "POST",
    body: { path: "/oauth2/registerApp", nth: 2, kind: "errorJson", message: "Unable to register" },
  });
  await page.getByLabel("Expiration date of every new key").fill(dateIn(60));
  await control("Replace 2 keys").click();
  await row("Legacy geocoder").getByText("Replaced").waitFor();
  await row("Legacy basemaps")
    .getByText(/Failed, nothing changed: .*Unable to register/)
    .waitFor();
  await page.getByRole("heading", { name: "The new keys" }).waitFor();
  assert.equal(await page.getByLabel("API key", { exact: true }).count(), 1, "one key per replaced credential");
  assert.equal(await control("All keys").count(), 0, "no way out before the keys are copied");
  await screen("replace-all-done");

  const state = await emulator.control("/log");
  const added = state.entries.filter((e) => e.path.endsWith("/addItem")).length;
  const deleted = state.entries.filter((e) => e.path.endsWith("/delete")).length;
  assert.equal(added - deleted, 1, "the failed replacement was rolled back");

  await control("Done").click();
  await answerDialog(page, "Leave without copying the key?", null);
  assert.equal(await page.getByLabel("API key", { exact: true }).count(), 1, "leaving before copying asks, and staying keeps it");
  await copyKey();
  await control("Done").click();
  await control("All keys").click();
  await page.getByText("4 of 4 keys").waitFor();
  assert.equal(await page.locator("tbody tr", { hasText: "Retired" }).count(), 3, "retired keys stay until deleted");
});
