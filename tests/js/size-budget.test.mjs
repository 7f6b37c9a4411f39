// The download budget: what a browser fetches may shrink, never grow. The numbers are
// the sizes that landed (gzip -9); lower them when a change makes the download smaller.
import assert from "node:assert/strict";
import { test } from "node:test";

import { packageSizes, siteSizes } from "../support/sizes.mjs";

/** `import "arcgis-keys"` in a browser (wasm and glue), in bytes. */
const API_ENTRY_BUDGET = 171 * 1024;
/** The standalone manager, every file of `www/dist`, in bytes. */
const SITE_BUDGET = 429 * 1024;

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

test("the npm package's browser entry stays within its budget", () => {
  const { wasm, glue } = packageSizes();
  assert.ok(wasm + glue <= API_ENTRY_BUDGET, `${kb(wasm + glue)} (wasm ${kb(wasm)}, glue ${kb(glue)}) > ${kb(API_ENTRY_BUDGET)}`);
});

test("the standalone site stays within its budget", () => {
  const total = siteSizes().reduce((sum, f) => sum + f.bytes, 0);
  assert.ok(total <= SITE_BUDGET, `${kb(total)} > ${kb(SITE_BUDGET)}`);
});
