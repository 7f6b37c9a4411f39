// What every command shares: the usage error, sign-in from the environment, reading
// every credential, and flag parsing whose rules are the core's (through the package).
import * as keys from "arcgis-keys";
import { printable } from "./printable.mjs";

/** A mistake in the command itself: exit 2 with one line that says what to fix. */
export class UsageError extends Error {}

export const PORTAL_FLAG = { portal: { type: "string" } };

/** `30d` as a number of days (the core's `parseDays`). */
export function days(text, flag) {
  const count = keys.parseDays(text ?? "");
  if (count === null) throw new UsageError(`--${flag} takes a number of days such as 30d, not "${printable(text ?? "")}"`);
  return count;
}

/** @returns {1 | 2} */
export function slotFlag(text, flag) {
  if (text !== "1" && text !== "2") throw new UsageError(`--${flag} is 1 or 2, not "${printable(text ?? "")}"`);
  return text === "1" ? 1 : 2;
}

export function oneOf(text, flag, choices) {
  if (!choices.includes(text)) throw new UsageError(`--${flag} is one of ${choices.join(", ")}, not "${printable(text)}"`);
  return text;
}

/** A session from the environment: a token, or a username and password. */
export async function signIn(values, env) {
  const portal = values.portal ?? env.ARCGIS_PORTAL ?? undefined;
  if (env.ARCGIS_TOKEN) return keys.fromToken({ portal, token: env.ARCGIS_TOKEN });
  if (env.ARCGIS_USERNAME && env.ARCGIS_PASSWORD) {
    return keys.signIn({ portal, username: env.ARCGIS_USERNAME, password: env.ARCGIS_PASSWORD });
  }
  throw new UsageError("not signed in: set ARCGIS_TOKEN, or ARCGIS_USERNAME and ARCGIS_PASSWORD, in the environment");
}

/**
 * Every credential and legacy key, read whole (app included; the package reads a few at
 * a time, as the manager does), saying so on a TTY; with `org`, every credential of the
 * administrator's organization instead.
 */
export async function readAll(session, io, { org = false } = {}) {
  if (org && !session.isAdmin) {
    throw new UsageError(`--org needs an administrator of the organization, and ${session.username} is not one`);
  }
  const summaries = org
    ? await session.listOrgCredentials()
    : (await Promise.all([session.listCredentials(), session.listLegacyKeys()])).flat();
  if (io.stderr.isTTY && summaries.length) io.stderr.write(`Reading ${summaries.length} credentials…\n`);
  return session.getCredentials(summaries.map((s) => s.id));
}

/** `2027-03-31` for epoch ms (UTC, as every front end shows a date). */
export const date = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Columns padded to their widest cell; control characters in titles shown as spaces. */
export function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map(printable));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return `${all.map(line).join("\n")}\n`;
}
