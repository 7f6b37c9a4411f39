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
  // The rule is the package's: a new key in the free slot, recorded on the credential, so
  // running this again after a failure never stops a key that was delivered.
  const rotated = await session.rotate(id, { expires: Date.now() + Number(values.days) * DAY_MS, by: "examples/node/rotate.mjs" });
  const title = rotated.credential.title;
  if (rotated.key === null) {
    console.error(`Key ${rotated.slot} of "${title}" was made and delivered by an earlier run.`);
  } else {
    console.log(rotated.key);
    await session.confirmDelivery(id);
    const until = rotated.expires === null ? "" : `, expiring ${new Date(rotated.expires).toISOString()}`;
    console.error(`Key ${rotated.slot} of "${title}"${until}.`);
  }

  if (rotated.retire !== null) {
    if (!values.yes) {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      await prompt.question(`Deploy key ${rotated.slot}, then press Enter to invalidate key ${rotated.retire}. `);
      prompt.close();
    }
    await session.retire(id);
    console.error(`Key ${rotated.retire} no longer works.`);
  }
  await session.signOut();
} catch (error) {
  if (!(error instanceof ArcGISKeysError)) throw error;
  // The key, if one was issued, is already on standard output: nothing is lost.
  console.error(`rotate: ${error.message}`);
  process.exit(1);
}
