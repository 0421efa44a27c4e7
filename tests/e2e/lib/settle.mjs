// Polls until a value is as wanted: the tests' one way to wait for state the extension reaches
// on its own time (no timed assertions: a timeout just returns the last value for the assert).

/** Reads `read()` until `ok(value)` or `timeoutMs`; returns the last value (or the last error). */
export async function settle(read, ok, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let value;
  for (;;) {
    try { value = await read(); } catch (e) { value = e; }
    if (!(value instanceof Error) && ok(value)) return value;
    if (Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
