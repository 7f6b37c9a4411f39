// `arcgis-keys whoami`: who the commands act as, on which portal, signed in how.
import { PORTAL_FLAG, signIn } from "../common.mjs";
import { printable } from "../printable.mjs";

export const help = `Usage: arcgis-keys whoami [--json] [--portal URL] [--profile NAME]

The user the commands act as (for an API key, its credential's owner), the portal, how
the session signed in (apiKey, oauth or token) and whether the user is an administrator.`;

export const options = { ...PORTAL_FLAG, json: { type: "boolean" } };

export async function run({ values }, io) {
  const session = await signIn(values, io.env);
  const who = { username: session.username, portal: session.portal, signedInWith: session.signedInWith, isAdmin: session.isAdmin };
  io.stdout.write(
    values.json
      ? `${JSON.stringify(who)}\n`
      : `${printable(who.username)} on ${who.portal} (${who.signedInWith}${who.isAdmin ? ", administrator" : ""})\n`,
  );
  return 0;
}
