#!/usr/bin/env bash
# Prints one hash of everything `scripts/build.sh` reads: the sources it builds (tracked
# files and new ones git does not ignore), the lock files, and the tools' versions. The
# build writes it when it succeeds; `npm start` builds again only when it differs.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  rustc --version
  wasm-bindgen --version 2>/dev/null || true
  node --version
  git ls-files -co --exclude-standard -- crates www scripts/build.sh Cargo.toml Cargo.lock package.json package-lock.json |
    sort | while IFS= read -r file; do
      if [ -f "$file" ]; then sha256sum "$file"; fi
    done
} | sha256sum | cut -d' ' -f1
