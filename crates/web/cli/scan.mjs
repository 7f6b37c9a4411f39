// `arcgis-keys scan`: ArcGIS keys in files, for pre-commit hooks and CI. A key is found
// also when written with JSON or JS escapes (`\u0041`, `\/`) or split over adjacent
// string literals (`"AAPT…" + "…"`, across lines too): the text is read through those
// first, and each hit is reported where it starts in the file.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Folders never entered. */
const SKIPPED = new Set([".git", "node_modules"]);
/** Files larger than this are not read. */
const MAX_BYTES = 16 << 20;
/** An API key (`AAPT`), a legacy API key (`AAPK`) or a token (`AATK`): the prefix and at least 60 key characters (real ones have over 100). */
const KEY = /(?<![A-Za-z0-9_-])(?:AAPT|AAPK|AATK)[A-Za-z0-9_-]{60,}/g;
/** What is read through: a join of two string literals, a `\uXXXX` escape, `\/`. */
const JOINS_AND_ESCAPES = /(["'`])\s*\+\s*\1|\\u([0-9a-fA-F]{4})|\\\//g;

/** `key` shown by its first and last four characters only. */
export const mask = (key) => `${key.slice(0, 4)}…${key.slice(-4)}`;

/** The files under `paths` (files or folders), skipping `SKIPPED` and symbolic links. */
function* files(path) {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) throw Object.assign(new Error(`${path}: no such file or folder`), { usage: true });
  if (stat.isSymbolicLink()) return;
  if (stat.isFile()) {
    if (stat.size <= MAX_BYTES) yield path;
    return;
  }
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path).sort()) {
    if (!SKIPPED.has(entry)) yield* files(join(path, entry));
  }
}

/** `text` with joins and escapes read through, and where each of its characters came from. */
function normalize(text) {
  let out = "";
  const from = [];
  let last = 0;
  for (const match of text.matchAll(JOINS_AND_ESCAPES)) {
    for (let i = last; i < match.index; i++) from.push(i);
    out += text.slice(last, match.index);
    const replacement = match[2] ? String.fromCharCode(Number.parseInt(match[2], 16)) : match[0] === "\\/" ? "/" : "";
    for (let i = 0; i < replacement.length; i++) from.push(match.index);
    out += replacement;
    last = match.index + match[0].length;
  }
  for (let i = last; i < text.length; i++) from.push(i);
  return { out: out + text.slice(last), from };
}

/** Line and column (1-based) of offset `at` in `text`. */
function position(text, at) {
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  return { line, column: at - before.lastIndexOf("\n") };
}

/**
 * Every key in the files under `paths`: `{ file, line, column, key, slot }`, `slot` read
 * from the key by `slotOf` (the core's rule). Binary files (a NUL byte early on) are skipped.
 */
export async function scan(paths, slotOf) {
  const found = [];
  for (const root of paths) {
    for (const file of files(root)) {
      const bytes = readFileSync(file);
      if (bytes.subarray(0, 8000).includes(0)) continue;
      const text = bytes.toString("utf8");
      if (!/AAP|AAT|\\u/.test(text)) continue;
      const { out, from } = normalize(text);
      for (const match of out.matchAll(KEY)) {
        const where = position(text, from[match.index]);
        found.push({ file: relative(".", file) || file, ...where, key: match[0], slot: slotOf(match[0]) });
      }
    }
  }
  return found;
}
