#!/usr/bin/env bash
# npm start: set up, build, and serve the standalone manager with the local portal
# emulator on http://127.0.0.1:8787. Extra arguments go to the emulator, for example
# `npm start -- --state demo-state.json` to keep changes across restarts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

port=8787
url="http://127.0.0.1:$port/"
node -e '
  const seed = JSON.parse(require("fs").readFileSync("crates/emulator/seed/demo.json", "utf8"));
  console.log("\narcgis-keys manager with the local portal emulator: " + process.argv[1]);
  console.log("Portal URL (sharing REST API): " + process.argv[1] + "sharing/rest");
  console.log("Demo sign-in (username / password):");
  for (const u of seed.users) console.log(`  ${u.username.padEnd(12)} / ${u.password}   ${u.role} in ${u.orgId}`);
  console.log("Stop with Ctrl-C.\n");
' "$url"

if [ -z "${CI:-}" ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null; then
  (sleep 1 && xdg-open "$url" >/dev/null 2>&1) &
fi

exec target/debug/arcgis-portal-emulator --port "$port" --site www/dist --strict-csp --control "$@"
