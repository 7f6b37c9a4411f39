#!/usr/bin/env bash
# npm run bench: measures and writes bench/report.md. Counts and sizes, not timed tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh
cargo build --quiet --release -p arcgis-portal-emulator
mkdir -p bench
report=bench/report.md
{
  echo "# arcgis-keys benchmark report"
  echo
  echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%M:%SZ)."
  echo
  echo "## Round trips per workflow"
  echo
  echo "Read from the emulator's request log; sequential levels are requests that could not overlap."
  echo
  cargo run --quiet -p arcgis-keys --example round_trips
  echo
  node bench/js-api.mjs
  echo
  node bench/usage.mjs
  echo
  node bench/manager.mjs
} > "$report"
cat "$report"
echo
echo "bench: wrote $report"
