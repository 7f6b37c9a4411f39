// `arcgis-keys rotate`: a rotation without downtime, in two runs (generate, then retire
// once the new key is deployed), each safe to run again. What each run does is the
// core's rule (`session.rotate`, `session.retire`) over the record it keeps on the
// credential; this file proves the key can be delivered before asking for it, delivers
// it, and says what the portal holds afterwards.
import { randomBytes } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

import * as keys from "arcgis-keys";
import { date, oneOf, PORTAL_FLAG, signIn, slotFlag, UsageError } from "../common.mjs";
import { printable } from "../printable.mjs";

export const help = `Usage: arcgis-keys rotate <id> --phase generate [--expires 90d|YYYY-MM-DD] [--replace 1|2]
                        [--out FILE [--force]] [--format raw|env|json] [--env-name NAME] [--show]
       arcgis-keys rotate <id> --phase retire [--keep 1|2]

generate puts a new key in the free slot and writes it to --out (a new file, mode 0600,
renamed into place once written; an existing file only with --force), or to stdout when
stdout is open and not a terminal (--show allows a terminal). Where the key goes is
checked before the portal is asked for it; a key that still cannot be delivered is
invalidated at once. With both slots live it refuses, naming each key, unless --replace
names the key to stop. The rotation is recorded on the credential (no secret), so running
generate again changes nothing once the key was delivered, and makes again only a key
that never was. --expires: days from now or a date, meaning the end of that day, UTC, at
most a year ahead; default 30 days, or the replaced key's expiry if later.
retire invalidates the other key once the new one is deployed: the recorded rotation's
old key, or the one that is not --keep. It refuses to leave no live key, or to keep a key
that was never delivered.`;

export const options = {
  ...PORTAL_FLAG,
  phase: { type: "string" },
  expires: { type: "string" },
  replace: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
  format: { type: "string", default: "raw" },
  "env-name": { type: "string", default: "ARCGIS_API_KEY" },
  show: { type: "boolean" },
  keep: { type: "string" },
};
export const positionals = 1;

/** What the rotation record says made the key. */
const BY = "arcgis-keys command line";

export async function run({ values, positionals: [id] }, io) {
  if (!id) throw new UsageError("rotate needs a credential id: arcgis-keys rotate <id> --phase generate|retire");
  const phase = oneOf(values.phase, "phase", ["generate", "retire"]);
  return phase === "generate" ? generate(id, values, io) : retire(id, values, io);
}

async function generate(id, values, io) {
  const format = oneOf(values.format, "format", ["raw", "env", "json"]);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(values["env-name"])) {
    throw new UsageError(`--env-name must be a variable name, not "${printable(values["env-name"])}"`);
  }
  const replace = values.replace === undefined ? undefined : slotFlag(values.replace, "replace");
  // The core's date rule: the end of that day, UTC, at most a year ahead.
  const expires = values.expires === undefined ? undefined : keys.parseExpiry(values.expires);
  const session = await signIn(values, io.env);
  // A rotation whose key was delivered already needs no output: say so before asking for one.
  const before = await session.getCredential(id);
  if (before.rotation?.step === "deploy" && replace === undefined) return deployFirst(id, before, io);
  const output = keyOutput(values, io);
  try {
    let rotated;
    try {
      rotated = await session.rotate(id, { replace, expires, by: BY });
    } catch (error) {
      if (error?.credential) io.stderr.write(`${holds(error.credential)}\n`);
      throw error;
    }
    const { credential, slot } = rotated;
    if (rotated.step === "deploy") return deployFirst(id, credential, io);
    const text = {
      raw: `${rotated.key}\n`,
      env: `${values["env-name"]}=${rotated.key}\n`,
      json: `${JSON.stringify({ id, slot, key: rotated.key, expires: rotated.expires })}\n`,
    }[format];
    try {
      output.deliver(text);
    } catch (error) {
      io.stderr.write(
        `arcgis-keys rotate: the new key ${slot} could not be delivered to ${output.where} (${error?.code ?? error?.message}).\n`,
      );
      await stopUndelivered(session, id, slot, io);
      return 3;
    }
    try {
      await session.confirmDelivery(id);
    } catch (error) {
      io.stderr.write(
        `arcgis-keys rotate: key ${slot} was delivered to ${output.where}, but recording that on the credential failed ` +
          `(${firstLine(error)}). Run this command again: it replaces this key with one it can record.\n`,
      );
      return 3;
    }
    if (rotated.replacedLive) io.stderr.write(`Key ${slot}'s previous key, named with --replace, stopped working.\n`);
    if (rotated.step === "redo") {
      io.stderr.write(`Key ${slot} was made by an earlier run that did not deliver it: made again, and that key stopped.\n`);
    }
    const until = rotated.expires === null ? "its expiry could not be read back" : `expiring at the end of ${date(rotated.expires)} (UTC)`;
    io.stderr.write(`Generated key ${slot} of "${printable(credential.title)}", ${until}.\n`);
    if (rotated.retire !== null) {
      io.stderr.write(`Once it is deployed: arcgis-keys rotate ${id} --phase retire (stops key ${rotated.retire})\n`);
    }
    return 0;
  } finally {
    output.discard();
  }
}

/** The recorded rotation's key was delivered: nothing to make, one thing to do. */
function deployFirst(id, credential, io) {
  const record = credential.rotation?.inProgress;
  const slot = record?.slot ?? credential.rotation?.fill;
  const when = record ? ` on ${date(record.started)} by ${printable(record.by)}` : "";
  io.stderr.write(
    `Key ${slot} of "${printable(credential.title)}" was made${when} and delivered: nothing was made now.\n` +
      `Deploy key ${slot}, then: arcgis-keys rotate ${id} --phase retire\n`,
  );
  return 0;
}

/** A key nobody received is stopped at once; the user hears what the credential holds. */
async function stopUndelivered(session, id, slot, io) {
  try {
    const credential = await session.invalidateKey(id, slot);
    io.stderr.write(`Key ${slot} was invalidated at once: nobody holds it. ${holds(credential)}\n`);
  } catch (error) {
    io.stderr.write(
      `Key ${slot} could not be invalidated (${firstLine(error)}): nobody holds it, so stop it with ` +
        `arcgis-keys invalidate ${id} --slot ${slot} --yes\n`,
    );
  }
}

async function retire(id, values, io) {
  const keep = values.keep === undefined ? undefined : slotFlag(values.keep, "keep");
  const session = await signIn(values, io.env);
  const retired = await session.retire(id, { keep });
  const title = printable(retired.credential.title);
  const other = retired.kept === 1 ? 2 : 1;
  if (retired.retired === null) {
    io.stderr.write(`Key ${other} of "${title}" holds no key: nothing to retire; key ${retired.kept} stays live.\n`);
  } else {
    io.stderr.write(`Invalidated key ${retired.retired} of "${title}"; key ${retired.kept} stays live.\n`);
  }
  return 0;
}

/** What the credential holds now, as the portal says. */
function holds(credential) {
  const slots = (credential.slots ?? []).map((s) =>
    s.active ? `key ${s.slot} live${s.expires === null ? "" : ` until ${date(s.expires)}`}` : `key ${s.slot} empty`,
  );
  return `"${printable(credential.title)}" now holds: ${slots.join(", ")}.`;
}

const firstLine = (error) => String(error?.message ?? error).split("\n")[0];

// ---- Where the key goes ---------------------------------------------------------------

/**
 * Where a new key goes, proven before the portal is asked for one: a file made now beside
 * `--out` (mode 0600, renamed over it once written), or a stdout that is open, is not
 * /dev/null (Node gives a closed stdout that), and is a terminal only with --show.
 * @returns {{ where: string, deliver(text: string): void, discard(): void }}
 */
function keyOutput(values, io) {
  return values.out === undefined ? stdoutOutput(io, values.show) : fileOutput(values.out, values.force);
}

const WHY = {
  ENOENT: "its folder does not exist",
  ENOTDIR: "a part of its path is a file",
  EACCES: "no permission to write there",
  EPERM: "no permission to write there",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

function fileOutput(path, force) {
  const target = resolve(path);
  const cannot = (error) => new UsageError(`cannot write --out ${path}: ${WHY[error.code] ?? error.code}`);
  let existing;
  try {
    existing = statSync(target);
  } catch (error) {
    if (error.code !== "ENOENT") throw cannot(error);
  }
  if (existing?.isDirectory()) throw new UsageError(`--out ${path} is a folder: name a file in it`);
  if (existing && !force) throw new UsageError(`--out ${path} exists: pass --force to replace it`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd;
  try {
    fd = openSync(temp, "wx", 0o600);
  } catch (error) {
    throw cannot(error);
  }
  let renamed = false;
  return {
    where: path,
    deliver(text) {
      writeAll(fd, text);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(temp, target);
      renamed = true;
    },
    discard() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      if (!renamed) {
        try {
          unlinkSync(temp);
        } catch {
          // Already gone.
        }
      }
    },
  };
}

function stdoutOutput(io, show) {
  let out;
  try {
    out = fstatSync(1);
  } catch {
    throw new UsageError("stdout is closed: the new key would be lost. Pass --out FILE");
  }
  const devNull = statSync("/dev/null", { throwIfNoEntry: false });
  if (devNull && out.isCharacterDevice() && out.rdev === devNull.rdev) {
    throw new UsageError("stdout is closed or /dev/null: the new key would be lost. Pass --out FILE, or pipe stdout");
  }
  if (io.stdout.isTTY && !show) {
    throw new UsageError("the new key would be printed on a terminal: pass --out FILE, pipe stdout, or add --show");
  }
  return { where: "stdout", deliver: (text) => writeAll(1, text), discard() {} };
}

/** Writes all of `text` to `fd` before returning, or throws (EPIPE, ENOSPC, …). */
function writeAll(fd, text) {
  const bytes = Buffer.from(text);
  let written = 0;
  let waits = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      // A non-blocking pipe that is full for now: wait for the reader, a little at a time.
      if (error.code !== "EAGAIN" || ++waits > 200) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
