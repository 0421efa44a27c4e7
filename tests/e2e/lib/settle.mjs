// Polling for e2e tests: waits for a state the extension reaches by itself (a redraw, a saved
// record), without asserting on time. The caller asserts on the value returned.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `ok(value)` or the timeout; returns the last value (assert on it). */
export async function settle(read, ok, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let value;
  for (;;) {
    try { value = await read(); } catch (e) { value = e; }
    if (!(value instanceof Error) && ok(value)) return value;
    if (Date.now() > end) return value;
    await sleep(150);
  }
}
