#!/usr/bin/env bash
# Builds the standalone manager into www/dist and the emulator binary.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet -p arcgis-portal-emulator

rm -rf www/dist
mkdir -p www/dist
cp www/index.html www/styles.css www/dist/
