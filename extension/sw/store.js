// The service worker's store: typed records by logical key, kept in chrome.storage.local.
// Interface used by every domain (the vault replaces the inside with AES-GCM records and opaque
// keys, keeping this interface):
//   get(key) → value | undefined; getMany(keys) → {key: value}; keys(prefix) → [key]
//   put({key: value | null}) → one atomic write (null deletes)
// Values are JSON-compatible objects (the core's records). A small cache spares re-reads while
// the worker lives; it is dropped with the worker, and storage stays the truth.

const cache = new Map();
const PREFIX = 'r:';

/** The record at `key`, or undefined. */
export async function get(key) {
  if (cache.has(key)) return cache.get(key);
  const got = await chrome.storage.local.get(PREFIX + key);
  const value = got[PREFIX + key];
  cache.set(key, value);
  return value;
}

/** Several records at once: {key: value} (missing keys absent). */
export async function getMany(keys) {
  const out = {};
  const missing = keys.filter((k) => !cache.has(k));
  if (missing.length) {
    const got = await chrome.storage.local.get(missing.map((k) => PREFIX + k));
    for (const k of missing) cache.set(k, got[PREFIX + k]);
  }
  for (const k of keys) if (cache.get(k) !== undefined) out[k] = cache.get(k);
  return out;
}

/** Every logical key starting with `prefix`. */
export async function keys(prefix = '') {
  const all = await chrome.storage.local.get(null);
  return Object.keys(all).filter((k) => k.startsWith(PREFIX + prefix)).map((k) => k.slice(PREFIX.length));
}

/** Writes all `changes` in one storage call (atomic); `null` deletes a record. */
export async function put(changes) {
  const sets = {};
  const removes = [];
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined) removes.push(PREFIX + k); else sets[PREFIX + k] = v;
  }
  try {
    if (Object.keys(sets).length) await chrome.storage.local.set(sets);
    if (removes.length) await chrome.storage.local.remove(removes);
  } catch (e) {
    cache.clear();
    throw Object.assign(new Error(`could not save (${e?.message || e}); is the disk full?`), { name: 'StorageError' });
  }
  for (const [k, v] of Object.entries(changes)) cache.set(k, v ?? undefined);
}
