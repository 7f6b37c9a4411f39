// `arcgis-keys check`: every key that breaks a rule; the rules are the core's (checkPolicy).

import { days, oneOf, PORTAL_FLAG, readAll, signIn } from "../common.mjs";
import { printable } from "../printable.mjs";

export const help = `Usage: arcgis-keys check [--expiring 30d] [--max-lifetime 90d] [--require-referrers]
                        [--no-personal] [--slot-gap 14d] [--org]
                        [--format text|json|github] [--portal URL]

Every key that breaks a rule, and why. Always: an expired key, a legacy key (retired:
replace it). --expiring: a key expiring within that many days (a warning); without it,
a key the manager flags: within 30 days once half its life is gone (none made today).
--max-lifetime: a key with longer than that still to live. --require-referrers: a
credential with keys and no referrer restriction. --no-personal: a credential whose keys
act as their owner. --slot-gap: a credential whose two keys expire closer together than
that, leaving no time to rotate one. --org: every credential of the organization (an
administrator only). --format github prints workflow annotations.
Exit 0 when nothing breaks a rule, 1 when something does.`;

export const options = {
  ...PORTAL_FLAG,
  expiring: { type: "string" },
  "max-lifetime": { type: "string" },
  "require-referrers": { type: "boolean" },
  "no-personal": { type: "boolean" },
  "slot-gap": { type: "string" },
  org: { type: "boolean" },
  format: { type: "string", default: "text" },
};

export async function run({ values }, io) {
  const format = oneOf(values.format, "format", ["text", "json", "github"]);
  /** A `--flag 30d` as whole days, or `undefined` when not given. */
  const inDays = (flag) => (values[flag] === undefined ? undefined : days(values[flag], flag));
  const policy = {
    expiringDays: inDays("expiring"),
    maxLifetimeDays: inDays("max-lifetime"),
    requireReferrers: values["require-referrers"] ?? false,
    noPersonal: values["no-personal"] ?? false,
    slotGapDays: inDays("slot-gap"),
  };
  const session = await signIn(values, io.env);
  const ids = (await readAll(session, io, { org: values.org })).map((c) => c.id);
  const findings = await session.checkPolicy({ ids, ...policy });
  if (format === "json") io.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  for (const f of format === "json" ? [] : findings) {
    const where = `"${printable(f.title)}" (${f.id}${values.org ? `, ${printable(f.owner)}'s` : ""})`;
    if (format === "github") {
      // Workflow commands: properties escape `%`, `\r`, `\n`, `:` and `,`; the message `%`, `\r`, `\n`.
      const property = (text) => text.replace(/[%\r\n:,]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
      const message = (text) => text.replace(/[%\r\n]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
      io.stdout.write(`::${f.severity} title=${property(`arcgis-keys ${f.rule}`)}::${message(`${where}: ${f.message}`)}\n`);
    } else {
      io.stdout.write(`${f.severity}: ${where}: ${f.message}\n`);
    }
  }
  if (format === "text" && findings.length === 0) io.stdout.write("Every key passes.\n");
  return findings.length ? 1 : 0;
}
