// `arcgis-keys list`: every credential and legacy key, a row each.
import { days, PORTAL_FLAG, readAll, signIn, table, UsageError } from "../common.mjs";

export const help = `Usage: arcgis-keys list [--json|--csv] [--expiring 30d] [--portal URL]

Every API key credential and legacy key: title, id, each slot's state and expiry, the
number of privileges, and what needs attention. --expiring keeps those with a key
expiring within that many days (or expired). --json and --csv print the inventory rows
of "export". No secret is printed.`;

export const options = { ...PORTAL_FLAG, json: { type: "boolean" }, csv: { type: "boolean" }, expiring: { type: "string" } };

export async function run({ values }, io) {
  if (values.json && values.csv) throw new UsageError("--json and --csv: choose one");
  const expiringDays = values.expiring === undefined ? undefined : days(values.expiring, "expiring");
  const session = await signIn(values, io.env);
  let credentials = await readAll(session, io);
  if (expiringDays !== undefined) {
    // The core's rule for "expiring within N days, or expired" (checkPolicy's).
    const findings = await session.checkPolicy({ ids: credentials.map((c) => c.id), expiringDays });
    const due = new Set(findings.filter((f) => f.rule === "expiring" || f.rule === "expired").map((f) => f.id));
    credentials = credentials.filter((c) => due.has(c.id));
  }
  const ids = credentials.map((c) => c.id);
  if (values.json || values.csv) {
    io.stdout.write(await session.exportInventory({ format: values.json ? "json" : "csv", ids }));
    return 0;
  }
  // The inventory's own words for each slot and what needs attention.
  const rows = JSON.parse(await session.exportInventory({ format: "json", ids })).map((row, i) => [
    row.title,
    row.id,
    row.key1,
    row.key2,
    String(credentials[i].privileges.length + credentials[i].itemAccess.length),
    row.attention.join(", "),
  ]);
  io.stdout.write(table(["TITLE", "ID", "KEY 1", "KEY 2", "PRIVILEGES", "ATTENTION"], rows));
  return 0;
}
