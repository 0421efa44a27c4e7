// The locked queue's replay: what a domain records while the vault is locked is sealed into the
// queue (engine.js `queueEvent`) and, once the vault opens, handed back here to the handler its
// domain registered, one entry at a time.
import { moveToQuarantine, removeQuietly } from './storage.js';

const replayers = new Map();

/** Registers how events of `kind` are replayed after unlocking: `fn(payload, {origin, atMs})`. */
export function onReplay(kind, fn) {
  if (replayers.has(kind)) throw new Error(`replay for ${kind} registered twice`);
  replayers.set(kind, fn);
}

/**
 * Replays the locked queue's `entries` (sealed events, {storageKey: envelope}) through the
 * registered handlers, opened by the unlocked `vault` (the core's VaultSession) under `keys`.
 */
export async function replayQueue(vault, keys, entries) {
  if (!Object.keys(entries).length) return;
  const out = vault.queueOpen({ keys, entries, nowMs: Date.now() });
  await moveToQuarantine(out.quarantine);
  for (const ev of out.events) {
    const fn = replayers.get(ev.event?.kind);
    if (!fn) { console.warn('RedShip vault: no replay for', ev.event?.kind); continue; }
    try {
      await fn(ev.event.payload, { origin: 'replay', atMs: ev.atMs, tabId: null, frameId: 0, url: '' });
      // One entry at a time: a worker killed mid-replay replays only what is left (handlers are
      // idempotent per order and day, so a repeat never counts twice).
      await removeQuietly([ev.storageKey]);
    } catch (e) {
      console.warn('RedShip vault: replay failed; kept for the next unlock', e);
    }
  }
}
