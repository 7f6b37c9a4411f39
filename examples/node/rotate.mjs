#!/usr/bin/env node
// @ts-check
// Rotates an API key credential without downtime: generates a key in the free slot,
// waits while you deploy it, then invalidates the old one.
//
//   ARCGIS_USERNAME=… ARCGIS_PASSWORD=… node rotate.mjs <credential id> [--days 90] [--yes]
//
// ARCGIS_PORTAL picks the portal (default: ArcGIS Online). The new key is the only thing
// written to standard output, so `KEY=$(node rotate.mjs …)` captures it; progress goes to
// standard error. `--yes` invalidates the old key without waiting for Enter.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";

import { ArcGISKeysError, signIn } from "arcgis-keys";

const DAY_MS = 24 * 60 * 60 * 1000;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { days: { type: "string", default: "90" }, yes: { type: "boolean", default: false } },
});
const [id] = positionals;
const { ARCGIS_PORTAL, ARCGIS_USERNAME, ARCGIS_PASSWORD } = process.env;
if (!id || !ARCGIS_USERNAME || !ARCGIS_PASSWORD) {
  console.error("usage: ARCGIS_USERNAME=… ARCGIS_PASSWORD=… node rotate.mjs <credential id> [--days 90] [--yes]");
  process.exit(2);
}

try {
  const session = await signIn({ portal: ARCGIS_PORTAL, username: ARCGIS_USERNAME, password: ARCGIS_PASSWORD });
  const credential = await session.getCredential(id);
  // Rotate out of the slot whose key is live (slot 1 the first time) into the other one.
  const live = credential.slots.find((slot) => slot.active) ?? credential.slots[0];
  const next = live.slot === 1 ? 2 : 1;
  const issued = await session.generateKey(id, { slot: next, expires: Date.now() + Number(values.days) * DAY_MS });
  console.error(`Key ${next} of "${credential.title}" expires ${new Date(issued.expires).toISOString()}.`);
  console.log(issued.key);

  if (!values.yes) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    await prompt.question(`Deploy key ${next}, then press Enter to invalidate key ${live.slot}. `);
    prompt.close();
  }
  if (live.active) {
    await session.invalidateKey(id, live.slot);
    console.error(`Key ${live.slot} no longer works.`);
  }
  await session.signOut();
} catch (error) {
  if (!(error instanceof ArcGISKeysError)) throw error;
  // The key, if one was issued, is already on standard output: nothing is lost.
  console.error(`rotate: ${error.message}`);
  process.exit(1);
}
