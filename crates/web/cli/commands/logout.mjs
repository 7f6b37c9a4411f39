// `arcgis-keys logout`: revoke a kept sign-in at the portal and forget it.
import * as keys from "arcgis-keys";
import { UsageError } from "../common.mjs";
import { printable } from "../printable.mjs";
import { profileName, readProfiles, writeProfiles } from "../profiles.mjs";

export const help = `Usage: arcgis-keys logout [--profile NAME]

Revokes the sign-in kept as the profile ("default" unless --profile or ARCGIS_PROFILE
names another) at the portal, then removes it from the profiles file.`;

export const options = { profile: { type: "string" } };

export async function run({ values }, io) {
  const name = profileName(values, io.env);
  const profiles = await readProfiles(io.env);
  const profile = profiles[name];
  if (!profile) throw new UsageError(`no profile "${printable(name)}" to log out of`);
  let revoked = true;
  try {
    const session = await keys.fromRefreshToken(profile);
    await session.signOut();
  } catch (error) {
    // A sign-in the portal already refuses is over; anything else is worth saying.
    revoked = error instanceof keys.SignInRequiredError;
    if (!revoked) throw error;
  }
  delete profiles[name];
  await writeProfiles(io.env, profiles);
  io.stderr.write(`Logged out: profile "${printable(name)}" revoked at ${profile.portal} and removed.\n`);
  return 0;
}
