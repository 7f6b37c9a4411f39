// Reading a usage answer of 1,000,000 points through the npm package in Node: the
// portal is a loopback server that answers one large usage report (as a busy
// organization's would be), so the time is the client's parsing alone. Prints
// Markdown for bench/report.md. A benchmark, not a test: it asserts nothing.
import * as keys from "arcgis-keys";

import { ITEM, SIGNED_IN, startScriptedPortal } from "../tests/support/scripted-portal.mjs";

const POINTS = 1_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One series of `POINTS` hourly counts, timestamps and values as strings, as the Python API documents them. */
function usageAnswer() {
  const start = 1_700_000_000_000;
  const num = Array.from({ length: POINTS }, (_, i) => `["${start + i * 3_600_000}","${i % 17}"]`).join(",");
  return `{"startTime":${start},"endTime":${start + POINTS * 3_600_000},"period":"1h","data":[{"appId":"app","stype":"geocode","etype":"geocodecnt","num":[${num}]}]}`;
}

async function main() {
  const big = usageAnswer();
  const portal = await startScriptedPortal({ ...SIGNED_IN, "/sharing/rest/portals/org1/usage": big });
  try {
    const session = await keys.fromToken({ portal: portal.rest, token: "t" });
    const times = [];
    let points = 0;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const series = await session.usage(ITEM, { start: 0, end: Date.now(), period: "hour" });
      times.push(performance.now() - started);
      points = series.reduce((sum, s) => sum + s.points.length, 0);
    }
    console.log("## Usage parsing (npm package, Node)");
    console.log();
    console.log(`One usage answer of ${(big.length / 1e6).toFixed(1)} MB from a loopback portal, ${RUNS} runs.`);
    console.log();
    console.log("| points read | median | max | target |");
    console.log("|---|---|---|---|");
    console.log(`| ${points.toLocaleString("en")} | ${median(times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms | < 1000 ms |`);
  } finally {
    await portal.stop();
  }
}

await main();
