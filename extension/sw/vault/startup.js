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
    return { records: opened.records.filter((r) => want.includes(r.key)), quarantine: opened.quarantine };
  }

  /**
   * Every record not written since, in parts: the small ones together, then each big one
   * (`isBig(envelope)`) alone. Each part is opened when the iterator is advanced (records written
   * meanwhile are left out), as the opener's `open` answer {records, quarantine, tombstones}.
   * Opening a big shop's records in one call put its whole orders base into wasm memory at every
   * worker start (after a start at 10,000 orders: 16.5 MB against 8.5 before it).
   */
  *restInParts(isBig) {
    const small = [];
    const bigOnes = [];
    for (const [sk, raw] of Object.entries(this.raw)) (isBig(raw) ? bigOnes : small).push(sk);
    for (const part of [small, ...bigOnes.map((sk) => [sk])]) {
      const entries = {};
      for (const sk of part) if (!this.touched.has(sk)) entries[sk] = this.raw[sk];
      if (Object.keys(entries).length) yield this.opener.open({ entries, nowMs: Date.now() });
    }
  }
}
