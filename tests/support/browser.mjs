// Headless Debian Chromium through playwright-core (no browser download), and the
// axe-core scan every screen must pass.
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

/** Where tests save screenshots. */
export const artifacts = new URL("../artifacts/", import.meta.url).pathname;

export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
  });
}

/** axe-core's violations on the page, one line each (empty when the page passes). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => globalThis.axe.run());
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
