// Headless Debian Chromium through playwright-core (no browser download), and the
// axe-core scan every screen must pass.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

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
  // Evaluated through the DevTools protocol rather than added as a <script>, which a
  // page's strict Content-Security-Policy would (rightly) block.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => globalThis.axe.run());
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * Records Content-Security-Policy violations in every page of `context` (popups too):
 * the `securitypolicyviolation` events and the console's CSP reports. Returns the list.
 */
export async function recordCspViolations(context) {
  const violations = [];
  await context.exposeBinding("__reportCspViolation", (_source, text) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => globalThis.__reportCspViolation(`${e.violatedDirective}: ${e.blockedURI}`),
      true,
    );
  });
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
