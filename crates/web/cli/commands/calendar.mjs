// `arcgis-keys calendar`: every live key's expiry as an iCalendar file.
import { writeFileSync } from "node:fs";
import { calendar } from "../calendar.mjs";
import { PORTAL_FLAG, readAll, signIn } from "../common.mjs";

export const help = `Usage: arcgis-keys calendar [--out FILE] [--portal URL]

An iCalendar (.ics) file with one event on the day each live key expires, and alarms 30
and 7 days before. No secret is in it. Without --out it goes to stdout.`;

export const options = { ...PORTAL_FLAG, out: { type: "string" } };

export async function run({ values }, io) {
  const session = await signIn(values, io.env);
  const text = calendar(await readAll(session, io), Date.now());
  if (values.out !== undefined) writeFileSync(values.out, text);
  else io.stdout.write(text);
  return 0;
}
