// `arcgis-keys export`: the manager's inventory.
import { writeFileSync } from "node:fs";
import { PORTAL_FLAG, readAll, signIn, UsageError } from "../common.mjs";

export const help = `Usage: arcgis-keys export --csv|--json [--out FILE] [--portal URL]

The inventory, one row per key, as the manager exports it: id, title, kind, owner,
folder, tags, created, modified, each key's state, referrers, privileges, attention.
No secret is in it. CSV cells a spreadsheet would run as formulas are defused.`;

export const options = { ...PORTAL_FLAG, json: { type: "boolean" }, csv: { type: "boolean" }, out: { type: "string" } };

export async function run({ values }, io) {
  if (values.json === values.csv) throw new UsageError("export needs --csv or --json");
  const session = await signIn(values, io.env);
  const ids = (await readAll(session, io)).map((c) => c.id);
  const text = await session.exportInventory({ format: values.json ? "json" : "csv", ids });
  if (values.out !== undefined) writeFileSync(values.out, text);
  else io.stdout.write(text);
  return 0;
}
