// A "portal" that answers from a script: each path (without its query) maps to a JSON
// text, or to a function that writes the response itself (to stream, compress or
// misbehave). Unknown paths get the portal's 400 error body. For answers the emulator
// would never give: huge, compressed, or hostile. Listens on 127.0.0.1 only.
import { createServer } from "node:http";

import { listen } from "./loopback.mjs";

export const ITEM = "0123456789abcdef0123456789abcdef";

/** The answers a signed-in `jsmith` (org `org1`) needs to read credential `ITEM`. */
export const SIGNED_IN = {
  "/sharing/rest/community/self": '{"username":"jsmith","orgId":"org1","role":"org_admin","privileges":[]}',
  [`/sharing/rest/content/items/${ITEM}`]: `{"id":"${ITEM}","owner":"jsmith","title":"Busy","type":"Application","typeKeywords":["APIToken","Registered App"]}`,
  [`/sharing/rest/content/users/jsmith/items/${ITEM}/registeredAppInfo`]: `{"itemId":"${ITEM}","client_id":"app","client_secret":"s","appType":"multiple"}`,
};

/** Resolves to `{ rest, stop() }`; `rest` is the sharing API's base URL. */
export async function startScriptedPortal(answers) {
  const server = createServer((request, response) => {
    request.resume();
    const answer = answers[request.url.split("?")[0]];
    if (typeof answer === "function") return answer(request, response);
    response.writeHead(200, { "content-type": "application/json" });
    response.end(answer ?? '{"error":{"code":400,"message":"no such path"}}');
  });
  const base = await listen(server);
  return {
    rest: `${base}/sharing/rest`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
