// Reading the popup the way the UI contract exposes it: shared by the quota suites.

export { settle } from './settle.mjs';

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The popup's three numbers, read in one task: three separate reads can straddle a redraw and
 * mix two states (used and limit from before, remaining from after). */
export function numbers(popup) {
  return popup.evaluate(() => {
    const n = (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent);
    return { used: n('quota-used'), limit: n('quota-limit'), remaining: n('quota-remaining') };
  });
}
