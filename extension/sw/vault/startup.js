// The vault's start-up reads (used by sw/vault/engine.js only). A worker start reads
// chrome.storage.local once, as early as the worker starts, so the read overlaps the wasm
// compile; and it deciphers only the records the first messages ask for: opening every record
// costs about half a millisecond each in wasm, which a cold start's first answer should not wait
// for. The engine opens the rest shortly after (openAll).
import { core } from '../core.js';

let early = chrome.storage.local.get(null).catch(() => null);

/** Forgets the start-up read: called before every change to chrome.storage.local. */
export function storageChanged() {
  early = null;
}

/** Everything in chrome.storage.local: the start-up read while nothing was written since, else a new read. */
export async function readAll() {
  const got = early && (await early);
  const fresh = early !== null; // no write happened while it was awaited
  early = null;
  return (fresh && got) || chrome.storage.local.get(null);
}

/** The start-up read's sealed records (`raw`: {storageKey: envelope}), opened when asked for. */
export class LazyRecords {
  constructor(dataKey, raw) {
    this.dataKey = dataKey;
    this.raw = raw;
    /** Logical keys asked for already (found or not). */
    this.asked = new Set();
    /** Storage keys written since the read: their envelope here is stale. */
    this.touched = new Set();
  }

  /** The records `[{key, storageKey, writtenMs, value}]` of those `keys` not asked for before. */
  open(keys) {
    const want = keys.filter((k) => !this.asked.has(k));
    if (!want.length) return [];
    const names = core.vaultStorageKeys({ dataKey: this.dataKey, keys: want });
    const entries = {};
    for (const k of want) {
      this.asked.add(k);
      const sk = names[k];
      if (Object.hasOwn(this.raw, sk) && !this.touched.has(sk)) entries[sk] = this.raw[sk];
    }
    if (!Object.keys(entries).length) return [];
    // A tombstone or a bad record reads as missing; quarantine is left to the full scan.
    const opened = core.vaultOpen({ dataKey: this.dataKey, entries, nowMs: Date.now() });
    return opened.records.filter((r) => want.includes(r.key));
  }

  /** Every record not written since: the core's `vaultOpen` answer {records, quarantine, tombstones}. */
  rest() {
    const entries = {};
    for (const [sk, raw] of Object.entries(this.raw)) if (!this.touched.has(sk)) entries[sk] = raw;
    return core.vaultOpen({ dataKey: this.dataKey, entries, nowMs: Date.now() });
  }
}
