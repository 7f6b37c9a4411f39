// A test's own HTTP server on 127.0.0.1 and a free port.

/**
 * Starts `server` listening on 127.0.0.1; resolves to its base URL (`http://127.0.0.1:PORT`).
 * @param {import("node:http").Server} server
 * @returns {Promise<string>}
 */
export function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      resolve(`http://127.0.0.1:${port}`);
    }),
  );
}
