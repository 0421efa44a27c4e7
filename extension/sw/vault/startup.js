// The vault's start-up reads (used by sw/vault/engine.js only). A worker start reads
// chrome.storage.local once, as early as the worker starts, so the read overlaps the wasm
// compile; and it deciphers only the records the first messages ask for: opening every record
// costs about half a millisecond each in wasm, which a cold start's first answer should not wait
// for. The engine opens the rest shortly after (openAll).
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
  /** `opener`: the core's read-only VaultOpener of the unlocked session. */
  constructor(opener, raw) {
    this.opener = opener;
    this.raw = raw;
    /** Logical keys asked for already (found or not). */
    this.asked = new Set();
    /** Storage keys written since the read: their envelope here is stale. */
    this.touched = new Set();
    /** Storage keys opened already (their records are in the engine's index). */
    this.opened = new Set();
  }

  /**
   * Those of `keys` not asked for before: `{records: [{key, storageKey, writtenMs, value}],
   * quarantine}` (the core's moves for the bad ones, for the caller to make at once).
   */
  open(keys) {
    const none = { records: [], quarantine: [] };
    const want = keys.filter((k) => !this.asked.has(k));
    if (!want.length) return none;
    const names = this.opener.storageKeys(want);
    const entries = {};
    for (const k of want) {
      this.asked.add(k);
      const sk = names[k];
      if (Object.hasOwn(this.raw, sk) && !this.touched.has(sk)) entries[sk] = this.raw[sk];
    }
    if (!Object.keys(entries).length) return none;
    // A tombstone or a bad record reads as missing. A bad one is moved aside now, not by the full
    // scan: a record that read as missing is often written anew before that scan, and the new
    // write would replace the damaged one unseen.
    const opened = this.opener.open({ entries, nowMs: Date.now() });
    for (const q of opened.quarantine) this.touched.add(q.storageKey);
    for (const r of opened.records) this.opened.add(r.storageKey);
    return { records: opened.records.filter((r) => want.includes(r.key)), quarantine: opened.quarantine };
  }

  /**
   * Every record not written or opened since, a batch at a time: the opener's `open` answers
   * {records, quarantine, tombstones, newer}. Batches of at most BATCH_CHARS sealed characters
   * (a bigger record alone), so a big shop's base shards never cross into wasm all at once.
   */
  *rest() {
    const entries = {};
    for (const [sk, raw] of Object.entries(this.raw)) if (!this.touched.has(sk) && !this.opened.has(sk)) entries[sk] = raw;
    for (const batch of batches(entries)) yield this.opener.open({ entries: batch, nowMs: Date.now() });
  }
}

/** Sealed characters opened per core call when many records are opened at once. */
export const BATCH_CHARS = 2 * 1024 * 1024;

/** `entries` ({storageKey: envelope}) in groups of at most BATCH_CHARS sealed characters. */
export function* batches(entries) {
  let group = {};
  let chars = 0;
  for (const [sk, raw] of Object.entries(entries)) {
    const n = typeof raw?.c === 'string' ? raw.c.length : 0;
    if (chars && chars + n > BATCH_CHARS) {
      yield group;
      group = {};
      chars = 0;
    }
    group[sk] = raw;
    chars += n;
  }
  if (chars || Object.keys(group).length) yield group;
}
