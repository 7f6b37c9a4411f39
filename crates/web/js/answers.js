// The portal's answers on their way into the Rust side, and large results on their way
// out, where doing it value by value would be unbounded or slow:
// - src/fetch.rs reads every body through `readText` rather than `response.text()`,
//   which would hold a body of any size (or an inflated gzip bomb) whole before anything
//   could look at it;
// - src/js_value.rs reads a usage series' pairs in one crossing with `numberPairs`, and
//   src/session.rs hands its points back through `usagePoints` (value by value, a
//   million points took a second).
// One module, not one per concern: each snippet is a module the page fetches before the
// wasm can start (see the note in tests/js/wasm-bindgen.test.mjs).

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

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * `[[a, b], …]` with each value a number or its plain decimal text, flattened into
 * one Float64Array; `undefined` when anything has another shape, so that the caller
 * reads it value by value and reports what does not fit.
 */
export function numberPairs(value) {
  if (!Array.isArray(value)) return undefined;
  const flat = new Float64Array(value.length * 2);
  for (let i = 0; i < value.length; i++) {
    const pair = value[i];
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    for (let j = 0; j < 2; j++) {
      const v = pair[j];
      if (typeof v === "number") flat[2 * i + j] = v;
      else if (typeof v === "string" && DECIMAL.test(v)) flat[2 * i + j] = Number(v);
      else return undefined;
    }
  }
  return flat;
}

/** `UsagePoint` objects from three columns of equal length. */
export function usagePoints(at, count, credits) {
  const points = new Array(at.length);
  for (let i = 0; i < at.length; i++) points[i] = { at: at[i], count: count[i], credits: credits[i] };
  return points;
}
