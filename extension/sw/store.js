// The service worker's store: typed records by logical key, encrypted by the vault.
// Interface used by every domain (unchanged from the interim plaintext store):
//   get(key) → value | undefined; getMany(keys) → {key: value}; keys(prefix) → [key];
//   written(prefix) → [[key, writtenMs]]
//   put({key: value | null}) → one atomic write (null deletes)
// Values are JSON-compatible objects (the core's records); give each an `updatedAtMs`.
// Behind it (sw/vault/engine.js): every record is AES-256-GCM sealed in wasm under an opaque
// storage key (an HMAC of the logical key), so chrome.storage.local shows no shop, package,
// name or number. While the vault is locked every call rejects with an Error named `VaultError`
// whose message starts with `Locked:`; see sw/vault.js `lockAware` for counting while locked.
// A full disk rejects with `VaultError` `StorageFull:` and nothing is written.
import { index, read, readMany, write } from './vault/engine.js';
import { touch } from './vault/upkeep.js';

/** The record at `key` (a copy), or undefined. */
export async function get(key) {
  return read(key);
}

/** Several records at once: {key: value} (missing keys absent). */
export async function getMany(keys) {
  // One call: after a worker start the records are deciphered together, in one core call.
  return readMany(keys);
}

/** Every logical key starting with `prefix`, sorted. */
export async function keys(prefix = '') {
  const idx = await index();
  return [...idx.keys()].filter((k) => k.startsWith(prefix)).sort();
}

/** `[key, writtenMs]` of every record whose key starts with `prefix` (no record is read). */
export async function written(prefix = '') {
  const idx = await index();
  return [...idx.entries()].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k, v.writtenMs]);
}

let unlimited = null;
/**
 * chrome.storage.local's quota in bytes, or null when the manifest lifts it (`unlimitedStorage`:
 * a big shop's orders pass the 10 MB; then only a full disk stops a write, as StorageFull).
 */
export function quotaBytes() {
  unlimited ??= (chrome.runtime.getManifest().permissions || []).includes('unlimitedStorage');
  return unlimited ? null : chrome.storage.local.QUOTA_BYTES;
}

/** Writes all `changes` in one storage call (atomic); `null` deletes a record. */
export async function put(changes) {
  await write(changes);
  // Writes follow what the user does (decrypts, fills, imports): they reset the auto-lock clock.
  await touch();
}
