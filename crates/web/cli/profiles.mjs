// Named sign-ins kept for people (`arcgis-keys login`): the portal, the username, the
// OAuth app and its refresh token, never a password. One JSON file in the user's config
// directory, readable by its user only (0600, in a 0700 folder), written whole to a
// temporary file and renamed, so a crash never leaves half a file.
import { chmod, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

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

/** Writes `profiles` whole: a 0600 temporary file, flushed, then renamed over the old. */
export async function writeProfiles(env, profiles) {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = profilesFile(env);
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify({ version: 1, profiles }, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temporary, 0o600);
  await rename(temporary, file).catch(async (error) => {
    await rm(temporary, { force: true });
    throw error;
  });
}

/** The profile a command uses: `--profile`, else `ARCGIS_PROFILE`, else "default". */
export const profileName = (values, env) => values.profile ?? env.ARCGIS_PROFILE ?? "default";

/**
 * @typedef {{ portal: string, username: string, clientId: string, refreshToken: string,
 *   refreshExpires: number, redirectUri: string }} Profile
 */
