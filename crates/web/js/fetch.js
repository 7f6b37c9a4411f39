// Reading a response body with a bound: src/fetch.rs hands every answer here instead
// of `response.text()`, which would hold a body of any size (or an inflated gzip bomb)
// whole before anything could look at it.

const MiB = 1048576;

/**
 * The body of `response` as text. Rejects with a message once more than `limit` bytes
 * have arrived after content decoding (the rest is cancelled), or at once when the
 * declared (compressed) length alone passes `limit`. The bytes are counted in a
 * `TransformStream` the engine pipes, and decoded by the engine's own `text()`.
 * @param {Response} response
 * @param {number} limit
 * @returns {Promise<string>}
 */
export function readText(response, limit) {
  const tooLarge = `the answer is larger than ${limit / MiB} MiB, the most this client reads`;
  if (Number(response.headers.get("content-length")) > limit) {
    response.body?.cancel().catch(() => {});
    return Promise.reject(tooLarge);
  }
  if (!response.body) return Promise.resolve("");
  let read = 0;
  const counted = new TransformStream({
    transform(chunk, controller) {
      read += chunk.byteLength;
      if (read > limit) controller.error(tooLarge);
      else controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counted)).text();
}
