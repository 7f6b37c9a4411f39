// Reading a response body with a bound: src/fetch.rs hands every answer here instead
// of `response.text()`, which would hold a body of any size (or an inflated gzip bomb)
// whole before anything could look at it.

/**
 * The body of `response` as text, decoded as it arrives. Rejects with a message, and
 * cancels the rest of the body, once more than `limit` bytes have arrived after content
 * decoding, or when the declared (compressed) length alone passes `limit`.
 */
export async function readText(response, limit) {
  const tooLarge = () => `the answer is larger than ${limit / 1048576} MiB, the most this client reads`;
  const declared = Number(response.headers.get("content-length"));
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}
