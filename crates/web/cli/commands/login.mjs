// `arcgis-keys login`: "Sign in with ArcGIS" for a person at a terminal, kept as a
// profile. In the browser, with PKCE and a loopback redirect to a one-shot server on
// 127.0.0.1; with --no-browser, the out-of-band code the portal shows, pasted back.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import * as keys from "arcgis-keys";
import { UsageError } from "../common.mjs";
import { printable } from "../printable.mjs";
import { profileName, profilesFile, readProfiles, writeProfiles } from "../profiles.mjs";

export const help = `Usage: arcgis-keys login [--portal URL] [--client-id ID] [--profile NAME] [--no-browser]

Signs in through the portal's own sign-in page (SAML and other enterprise logins work)
and keeps the sign-in as a profile ("default" unless --profile or ARCGIS_PROFILE names
another) in a file only you can read: the portal, your username and a refresh token,
never a password. Later commands use it without asking, and renew it before it ends.

--client-id (or ARCGIS_CLIENT_ID): your OAuth app's client ID; register the redirect
URLs http://127.0.0.1 and urn:ietf:wg:oauth:2.0:oob for it.
--no-browser: for a machine without one: open the printed address anywhere, sign in,
and paste the code the portal shows.
BROWSER=none prints the address instead of opening a browser.`;

export const options = {
  portal: { type: "string" },
  profile: { type: "string" },
  "client-id": { type: "string" },
  "no-browser": { type: "boolean" },
};

const OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob";
/** How long the browser sign-in may take. */
const WAIT_MS = 5 * 60 * 1000;

export async function run({ values }, io) {
  const clientId = values["client-id"] ?? io.env.ARCGIS_CLIENT_ID;
  if (!clientId) {
    throw new UsageError("login needs your OAuth app's client ID: --client-id ID, or ARCGIS_CLIENT_ID");
  }
  const portal = values.portal ?? io.env.ARCGIS_PORTAL ?? undefined;
  const name = profileName(values, io.env);
  const { session, redirectUri } = values["no-browser"] ? await outOfBand(portal, clientId, io) : await loopback(portal, clientId, io);
  const kept = session.keptSignIn();
  if (!kept) throw new Error("the portal gave no refresh token, so the sign-in cannot be kept");
  const profiles = await readProfiles(io.env);
  profiles[name] = { ...kept, redirectUri };
  await writeProfiles(io.env, profiles);
  io.stderr.write(
    `Signed in to ${session.portal} as ${printable(session.username)}; kept as profile "${printable(name)}" in ${profilesFile(io.env)}.\n`,
  );
  return 0;
}

/** The code typed back from the portal's page. */
async function outOfBand(portal, clientId, io) {
  const pending = await keys.beginNativeOAuth({ portal, clientId, redirectUri: OUT_OF_BAND });
  io.stderr.write(`Open this address in a browser, sign in, and paste the code it shows:\n\n  ${pending.url}\n\nCode: `);
  const lines = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
  const code = await new Promise((resolve) => {
    lines.once("line", resolve);
    lines.once("close", () => resolve(""));
  });
  lines.close();
  if (!code.trim()) throw new UsageError("no code was pasted");
  return { session: await pending.complete(code.trim()), redirectUri: OUT_OF_BAND };
}

/** The browser comes back to a server on 127.0.0.1 that answers one sign-in, then stops. */
async function loopback(portal, clientId, io) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => resolve(undefined));
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  try {
    const pending = await keys.beginNativeOAuth({ portal, clientId, redirectUri });
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no sign-in arrived within 5 minutes")), WAIT_MS);
      server.on("request", (request, response) => {
        const url = new URL(request.url ?? "/", redirectUri);
        if (url.pathname !== "/callback") {
          response.writeHead(404).end();
          return;
        }
        const signedIn = url.searchParams.has("code");
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        response.end(
          `<!doctype html><html lang="en"><meta charset="utf-8"><title>arcgis-keys</title><main><h1>${
            signedIn ? "Signed in" : "Not signed in"
          }</h1><p>You can close this tab and return to the terminal.</p></main></html>`,
        );
        clearTimeout(timer);
        resolve(url.search);
      });
    });
    io.stderr.write(`Sign in in your browser:\n\n  ${pending.url}\n\n`);
    openBrowser(pending.url, io.env);
    const query = await answer;
    return { session: await pending.complete(query), redirectUri };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** Opens `url` with the platform's opener, unless BROWSER=none; never fails the login. */
function openBrowser(url, env) {
  if (env.BROWSER === "none") return;
  const [command, ...args] = env.BROWSER
    ? [env.BROWSER]
    : process.platform === "darwin"
      ? ["open"]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", ""]
        : ["xdg-open"];
  try {
    spawn(command, [...args, url], { stdio: "ignore", detached: true })
      .on("error", () => {})
      .unref();
  } catch {
    // The address is printed: the user can open it.
  }
}
