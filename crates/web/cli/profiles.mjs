// Named sign-ins kept for people (`arcgis-keys login`): the portal, the username, the
// OAuth app and its refresh token, never a password. One JSON file in the user's config
// directory, readable by its user only (0600, in a 0700 folder; `files.mjs`).
import { mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writePrivately } from "./files.mjs";

/** The folder: `ARCGIS_KEYS_CONFIG_DIR`, else the platform's config folder. */
export function configDir(env) {
  if (env.ARCGIS_KEYS_CONFIG_DIR) return env.ARCGIS_KEYS_CONFIG_DIR;
  if (process.platform === "win32" && env.APPDATA) return join(env.APPDATA, "arcgis-keys");
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "arcgis-keys");
}

export const profilesFile = (env) => join(configDir(env), "profiles.json");

/**
 * Every profile by name; none when there is no file. A file others can read is refused
 * (it holds refresh tokens), as ssh refuses a readable private key.
 * @returns {Promise<Record<string, Profile>>}
 */
export async function readProfiles(env) {
  const file = profilesFile(env);
  let text;
  try {
    if (process.platform !== "win32" && ((await stat(file)).mode & 0o077) !== 0) {
      // A usage error (exit 2): the fix is the user's.
      throw Object.assign(new Error(`${file} can be read by other users; run "chmod 600 ${file}" (it holds sign-ins)`), {
        usage: true,
      });
    }
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error?.code === "ENOENT") return {};
    throw error;
  }
  const parsed = JSON.parse(text);
  return parsed && typeof parsed.profiles === "object" ? parsed.profiles : {};
}

/** Writes `profiles` whole, in a folder only the user may enter. */
export async function writeProfiles(env, profiles) {
  await mkdir(configDir(env), { recursive: true, mode: 0o700 });
  await writePrivately(profilesFile(env), `${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
}

/** The profile a command uses: `--profile`, else `ARCGIS_PROFILE`, else "default". */
export const profileName = (values, env) => values.profile ?? env.ARCGIS_PROFILE ?? "default";

/**
 * @typedef {{ portal: string, username: string, clientId: string, refreshToken: string,
 *   refreshExpires: number, redirectUri: string }} Profile
 */
