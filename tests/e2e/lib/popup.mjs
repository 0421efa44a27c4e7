// Reading the popup the way the UI contract exposes it, and waiting for a state to settle:
// shared by the quota suites.

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `read` until `ok(value)` or the timeout; returns the last value (assert on it). A read
 * that throws counts as not yet.
 */
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

/** The popup's three numbers, read in one task: three separate reads can straddle a redraw and
 * mix two states (used and limit from before, remaining from after). */
export function numbers(popup) {
  return popup.evaluate(() => {
    const n = (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent);
    return { used: n('quota-used'), limit: n('quota-limit'), remaining: n('quota-remaining') };
  });
}
