#!/usr/bin/env bash
# npm test: set up what is missing, then run every check and test suite of the repo.
# Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh --browser

step "cargo fmt"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "JavaScript format and lint (biome)"
node_modules/.bin/biome ci --error-on-warnings .

step "wasm crates on wasm32-unknown-unknown"
cargo build --quiet --target wasm32-unknown-unknown -p arcgis-keys
# The browser crates' wasm-only code (the web crate's tests, the widget's glue): lint it there.
cargo clippy --quiet --target wasm32-unknown-unknown -p arcgis-keys-web -p arcgis-keys-widget --features arcgis-keys-web/doctor --all-targets -- -D warnings

step "cargo test"
cargo test --workspace

step "build the package, the site and the emulator"
bash scripts/build.sh

step "JavaScript types (tsc --checkJs over the shipped JS and the tests)"
node_modules/.bin/tsc -p .

step "JavaScript, wasm-bindgen and browser tests"
mkdir -p tests/artifacts
node --test --test-concurrency=1 tests/js/*.test.mjs tests/e2e/*.test.mjs
