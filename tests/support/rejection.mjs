// The error a promise rejects with, for tests that assert on it.
import assert from "node:assert/strict";

/**
 * The rejection of `promise`, which must reject.
 * @param {Promise<unknown>} promise
 * @returns {Promise<any>}
 */
export async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}
