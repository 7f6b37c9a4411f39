// What every command shares: the usage error, sign-in from the environment, reading
// every credential, and flag parsing whose rules are the core's (through the package).
import * as keys from "arcgis-keys";
import { printable } from "./printable.mjs";
import { profileName, readProfiles, writeProfiles } from "./profiles.mjs";

/** A mistake in the command itself: exit 2 with one line that says what to fix. */
export class UsageError extends Error {}

export const PORTAL_FLAG = { portal: { type: "string" }, profile: { type: "string" } };

/** A kept sign-in is renewed when less than this much of its refresh token's life is left. */
const RENEW_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

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

/**
 * A session, and how it was made: `--profile` when named; else, from the environment,
 * an administrator's API key (`ARCGIS_API_KEY`, with `ARCGIS_USERNAME` where the portal
 * does not name the key's owner: CI's first choice), a token, or a username and
 * password; else the profile `ARCGIS_PROFILE` or "default" that `login` kept.
 */
export async function signIn(values, env) {
  const portal = values.portal ?? env.ARCGIS_PORTAL ?? undefined;
  if (values.profile === undefined) {
    if (env.ARCGIS_API_KEY) {
      return keys.fromApiKey({ portal, key: env.ARCGIS_API_KEY, username: env.ARCGIS_USERNAME || undefined });
    }
    if (env.ARCGIS_TOKEN) return keys.fromToken({ portal, token: env.ARCGIS_TOKEN });
    if (env.ARCGIS_USERNAME && env.ARCGIS_PASSWORD) {
      return keys.signIn({ portal, username: env.ARCGIS_USERNAME, password: env.ARCGIS_PASSWORD });
    }
  }
  const name = profileName(values, env);
  const profile = (await readProfiles(env))[name];
  if (!profile) {
    throw new UsageError(
      values.profile === undefined && env.ARCGIS_PROFILE === undefined
        ? 'not signed in: run "arcgis-keys login", or set ARCGIS_API_KEY (CI), ARCGIS_TOKEN, or ARCGIS_USERNAME and ARCGIS_PASSWORD'
        : `no profile "${printable(name)}": run "arcgis-keys login --profile ${printable(name)}"`,
    );
  }
  return fromProfile(name, profile, env);
}

/** A session from a kept sign-in, renewed (and kept again) when its end is near. */
async function fromProfile(name, profile, env) {
  const session = await keys.fromRefreshToken(profile).catch((error) => {
    if (error instanceof keys.SignInRequiredError) {
      throw new Error(`the sign-in kept as profile "${printable(name)}" has ended; run "arcgis-keys login --profile ${printable(name)}"`);
    }
    throw error;
  });
  if (profile.refreshExpires - Date.now() < RENEW_WITHIN_MS) {
    await session.renewSignIn({ redirectUri: profile.redirectUri });
    const profiles = await readProfiles(env);
    profiles[name] = { ...session.keptSignIn(), redirectUri: profile.redirectUri };
    await writeProfiles(env, profiles);
  }
  return session;
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
