#!/usr/bin/env bash
# npm start: set up, build, and serve the standalone manager with the local portal
# emulator on http://127.0.0.1:8787. Extra arguments go to the emulator, for example
# `npm start -- --state demo-state.json` to keep changes across restarts, or
# `npm start -- --port 9102`. The build is skipped while its inputs are unchanged
# (scripts/inputs-hash.sh), and the address printed is the one the emulator listens on.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1mstart:\033[0m %s\n' "$*"; }

step "checking the tools (installs what is missing)"
bash scripts/setup.sh
if [ -f target/build-inputs.sha256 ] && [ -d dist ] && [ -d www/dist ] && [ -x target/debug/arcgis-portal-emulator ] &&
  [ "$(bash scripts/inputs-hash.sh)" = "$(cat target/build-inputs.sha256)" ]; then
  step "nothing changed since the last build: serving it"
else
  step "building the package, the site and the emulator (a few minutes the first time)"
  bash scripts/build.sh
fi

step "starting the portal emulator"
# The emulator's first line is `listening on http://HOST:PORT`: the address to print.
coproc EMULATOR { exec target/debug/arcgis-portal-emulator --port 8787 --site www/dist --strict-csp --control "$@"; }
emulator_pid=$EMULATOR_PID
if ! IFS= read -r listening <&"${EMULATOR[0]}"; then
  wait "$emulator_pid"
  exit $?
fi
url="${listening#listening on }/"
echo "$listening"
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

# The rest of what the emulator says (its control token), as it says it; Ctrl-C stops both.
cat <&"${EMULATOR[0]}" &
trap 'kill "$emulator_pid" 2>/dev/null || true' INT TERM
wait "$emulator_pid"
