// A "portal" that answers every request with a 307 to another origin, and the sink
// that origin is: if a client follows the redirect, the sink records the body it
// re-sent (a password, a token, a client secret). Both listen on 127.0.0.1 only.
import { createServer } from "node:http";

import { listen } from "./loopback.mjs";

/** Resolves to `{ portal, received, stop() }`; `received` lists what reached the sink. */
export async function startRedirectTrap() {
  const received = [];
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*" };
  const sink = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ method: request.method, url: request.url, body });
      response.writeHead(200, { "content-type": "application/json", ...cors });
      response.end('{"token":"t","expires":9999999999999}');
    });
  });
  const sinkBase = await listen(sink);
  const trap = createServer((request, response) => {
    request.resume();
    response.writeHead(307, { location: `${sinkBase}${request.url}`, ...cors });
    response.end();
  });
  const trapBase = await listen(trap);
  return {
    portal: `${trapBase}/sharing/rest`,
    received,
    stop: () => Promise.all([new Promise((r) => trap.close(r)), new Promise((r) => sink.close(r))]),
  };
}
