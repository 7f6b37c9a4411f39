// `arcgis-keys scan`: keys committed by mistake.
import * as keys from "arcgis-keys";
import { mask, scan } from "../scan.mjs";

export const help = `Usage: arcgis-keys scan [PATH...] [--live] [--service-base URL]

Finds ArcGIS keys (AAPT..., AAPK..., AATK...) in files and folders (default: the current
folder), skipping .git, node_modules and binary files. Prints file:line:column, the kind,
the slot and the key masked to its first and last four characters. --live asks a location
service whether each key still works (--service-base: one host serving every service).
Exit 1 when any key is found: usable as a pre-commit hook.`;

export const options = { live: { type: "boolean" }, "service-base": { type: "string" } };
export const positionals = Infinity;

export async function run({ values, positionals }, io) {
  const found = await scan(positionals.length ? positionals : ["."], keys.slotOfKey);
  const kinds = { AAPT: "API key", AAPK: "legacy API key", AATK: "token" };
  for (const hit of found) {
    let verdict = "";
    if (values.live) verdict = `\t${await liveness(hit.key, values["service-base"])}`;
    const slot = hit.slot ? `slot ${hit.slot}` : "no slot";
    io.stdout.write(`${hit.file}:${hit.line}:${hit.column}\t${kinds[hit.key.slice(0, 4)]}\t${slot}\t${mask(hit.key)}${verdict}\n`);
  }
  if (found.length === 0) io.stderr.write("No ArcGIS keys found.\n");
  return found.length ? 1 : 0;
}

/** Whether a service still takes `key`: a refusal for the privilege (403) still means a live key. */
async function liveness(key, serviceBase) {
  const verdict = await keys.testKey({ key, privilege: "premium:user:basemaps", serviceBase });
  if (verdict.accepted) return "works";
  if (verdict.code === 498 || verdict.code === 499) return "dead";
  return verdict.code === 403 ? "works (refused for basemaps)" : "unknown";
}
