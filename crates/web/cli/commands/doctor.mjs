// `arcgis-keys doctor`: which reading of each open point this portal follows.
import { PORTAL_FLAG, signIn, table } from "../common.mjs";
import { writePrivately } from "../files.mjs";

export const help = `Usage: arcgis-keys doctor [--json] [--transcript FILE] [--read-only] [--portal URL]

Asks your portal how it behaves where no public source says (what an app update keeps,
whether new referrers stop keys, how long search lags, what an API key may do, …), on
throwaway credentials it makes for the purpose: tagged "arcgis-keys-doctor", named and
described as such, holding only a basemap privilege or a read-only personal one. Only
their keys are stopped; a location service is called once. They are deleted for good at
the end, on Ctrl-C (a second Ctrl-C leaves at once) and on failure; a run that was killed
is cleaned up by the next.
A probe this session cannot run is "not tested", with the reason (the OAuth probe needs
"arcgis-keys login"; the usage probe a member; the apiTokens probe an administrator).

--json         the report as JSON
--transcript   every request and answer, secrets redacted, as JSON in FILE (to attach
               to a bug report)
--read-only    only the probes that change nothing
--service-base one host that serves every location service (the emulator)`;

export const options = {
  ...PORTAL_FLAG,
  json: { type: "boolean" },
  transcript: { type: "string" },
  "read-only": { type: "boolean" },
  "service-base": { type: "string" },
};

export async function run({ values }, io) {
  const session = await signIn(values, io.env);
  // Ctrl-C: the run stops at its next step and deletes what it made; a second Ctrl-C
  // leaves at once (the next run deletes what is left).
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) {
      io.stderr.write("Stopped: the next doctor run deletes what is left.\n");
      process.exit(130);
    }
    interrupted = true;
    io.stderr.write("Interrupted: deleting the throwaway credentials…\n");
    session.interrupt();
  };
  process.on("SIGINT", interrupt);
  let report;
  try {
    report = await session.doctor({
      readOnly: values["read-only"] ?? false,
      serviceBase: values["service-base"],
      transcript: values.transcript !== undefined,
    });
  } finally {
    process.removeListener("SIGINT", interrupt);
  }
  if (interrupted) {
    for (const left of report.leftBehind) io.stderr.write(`Not deleted: ${left}\n`);
    io.stderr.write(report.leftBehind.length ? "" : "Deleted them.\n");
    return 130;
  }
  if (values.transcript !== undefined) {
    await writePrivately(values.transcript, `${JSON.stringify({ portal: session.portal, exchanges: report.transcript }, null, 2)}\n`);
  }
  const { transcript: _, ...shown } = report;
  if (values.json) {
    io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  } else {
    io.stdout.write(`${report.portal}, as ${session.username} (${session.signedInWith})\n\n`);
    const rows = report.findings.map((f) => [
      f.point,
      f.reading ?? "not tested",
      f.reading ? (f.certainty ?? "") : "",
      f.reading ? (f.evidence ?? "") : (f.notTested ?? ""),
    ]);
    io.stdout.write(table(["POINT", "READING", "HOW SURE", "EVIDENCE"], rows));
  }
  if (report.swept > 0) io.stderr.write(`Deleted ${report.swept} throwaway credentials an earlier run left.\n`);
  for (const left of report.leftBehind) io.stderr.write(`Not deleted: ${left}\n`);
  return report.leftBehind.length ? 3 : 0;
}
