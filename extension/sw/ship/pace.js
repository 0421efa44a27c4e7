// sw/ship/pace.js — ship mode's pace: the setting (record `ship/settings` {v, pace,
// updatedAtMs}), read and changed through the core (which paces exist, which is the default,
// what an unknown one is), and told to open pages when it changes; and the random value each
// step hands the core for the wait before the next 确定.
import { core } from '../core.js';
import { register, broadcast } from '../router.js';
import * as store from '../store.js';

const KEY = 'ship/settings';

/** The pace setting in effect: {pace, default, choices: [{pace, minMs, maxMs}]}. */
export async function paceSettings() {
  return core.shipPaceSettings({ stored: (await store.get(KEY)) ?? null });
}

/** A random u32 (the core spreads it evenly over the pace's bounds). */
export const randomU32 = () => crypto.getRandomValues(new Uint32Array(1))[0];

// Pages: without `pace`, the setting; with it, the setting changed (a pace the core refuses
// throws and nothing is saved). A run keeps the pace it started with.
register('ship.settings', async (p) => {
  if (p.pace === undefined || p.pace === null) return paceSettings();
  const next = core.shipPaceSettings({ stored: (await store.get(KEY)) ?? null, change: { pace: p.pace } });
  await store.put({ [KEY]: { v: 1, pace: next.pace, updatedAtMs: Date.now() } });
  broadcast('ship.settings', next);
  return next;
});
