// Files only their user may read (profiles, transcripts): written whole to a new 0600
// file beside the target, flushed, then renamed over it, so a crash never leaves half
// a file and no other user ever sees the contents.
import { randomBytes } from "node:crypto";
import { chmod, open, rename, rm } from "node:fs/promises";

/** Writes `text` to `path` as described above. */
export async function writePrivately(path, text) {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // Whatever the umask did to the new file.
  await chmod(temporary, 0o600);
  await rename(temporary, path).catch(async (error) => {
    await rm(temporary, { force: true });
    throw error;
  });
}
