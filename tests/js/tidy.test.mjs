// The tree stays legible: every Rust source file opens with its `//!` line, and every
// source file (Rust, and the JS the package and the element ship) is named in
// ARCHITECTURE.md's code map. The docs stay true where they quote the code: the
// README's Content-Security-Policy allows every host the key tester calls.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const architecture = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");

/** Files under `dir` (relative to the repository) whose names match `pattern`. */
const files = (dir, pattern) =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => pattern.test(f))
    .map((f) => join(dir, f));

const rust = readdirSync(join(root, "crates")).flatMap((crate) => files(join("crates", crate, "src"), /\.rs$/));
const shippedJs = readdirSync(join(root, "crates")).flatMap((crate) => {
  const dirs = ["js", "cli"].filter((d) => readdirSync(join(root, "crates", crate)).includes(d));
  return dirs.flatMap((d) => files(join("crates", crate, d), /\.m?js$/));
});

test("every Rust source file opens with a //! line saying what it is", () => {
  assert.ok(rust.length > 40, `found the sources (${rust.length})`);
  const bare = rust.filter((file) => !readFileSync(join(root, file), "utf8").startsWith("//!"));
  assert.deepEqual(bare, [], "files without a //! first line");
});

test("every source file is in ARCHITECTURE.md's code map", () => {
  // The map names a file by its path within its crate's src/ (`ops/keys.rs`, `routes/`
  // for a folder's files) or, for shipped JS, within its crate (`js/answers.js`, `cli/`).
  const named = (file) => {
    const inCrate = relative(join(...file.split("/").slice(0, 2)), file);
    const inSrc = inCrate.replace(/^src\//, "");
    const base = inSrc.split("/").pop();
    const folder = inSrc.includes("/") ? `${inSrc.split("/").slice(0, -1).join("/")}/` : null;
    return [inSrc, inCrate, base === "lib.rs" || base === "main.rs" ? file.split("/")[1] : null, folder]
      .filter(Boolean)
      .some((name) => architecture.includes(`\`${name}\``) || architecture.includes(`\`${name}`));
  };
  const missing = [...rust, ...shippedJs].filter((file) => !named(file));
  assert.deepEqual(missing, [], "files the code map does not name");
});

test("the README's Content-Security-Policy allows every location-service host the key tester calls", () => {
  const source = readFileSync(join(root, "crates/core/src/ops/test_key.rs"), "utf8");
  const listed = source.match(/pub const ARCGIS_SERVICE_HOSTS: \[&str; \d+\] =\s*\[([^\]]*)\]/)?.[1];
  assert.ok(listed, "ARCGIS_SERVICE_HOSTS in test_key.rs");
  const hosts = listed
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => source.match(new RegExp(`const ${name}: &str = "([^"]+)"`))?.[1]);
  assert.ok(hosts.length >= 7 && hosts.every(Boolean), `hosts: ${hosts}`);
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const connect = readme.match(/^default-src .*connect-src ([^;\n]*)/m)?.[1].split(" ");
  assert.ok(connect, "the README's CSP has connect-src");
  assert.deepEqual(
    hosts.filter((host) => !connect.includes(host)),
    [],
    "hosts the tester calls that the CSP would block",
  );
});

test("the emulator's --strict-csp sends the README's Content-Security-Policy, word for word", () => {
  const source = readFileSync(join(root, "crates/emulator/src/lib.rs"), "utf8");
  const constant = source.match(/pub const STRICT_SITE_CSP: &str = "((?:[^"\\]|\\\n)*)";/)?.[1];
  assert.ok(constant, "STRICT_SITE_CSP in the emulator's lib.rs");
  const readme = readFileSync(join(root, "README.md"), "utf8").match(/^default-src .*$/m)?.[0];
  assert.equal(constant.replace(/\\\n/g, ""), readme);
});
