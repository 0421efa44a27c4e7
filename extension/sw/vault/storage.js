// The vault's calls into the browser, with no vault state: its writes to chrome.storage.local
// (one set per change, removals that may fail quietly, moves to the quarantine), random bytes,
// PBKDF2 by WebCrypto, and the `VaultError`s they raise. The engine (vault/engine.js) decides
// what to write; this file only writes it.
import { storageChanged } from './startup.js';
import { toBase64Url as b64url, fromBase64Url as unb64url } from '../../common/base64.js';

/** A `VaultError` whose message starts with its code (pages read the code from the message). */
export function vaultError(code, message) {
  return Object.assign(new Error(`${code}: ${message}`), { name: 'VaultError', code });
}

/** The code of a vault error (`Locked`, `WrongPassphrase`, …), or null. */
export function codeOf(e) {
  if (!e || e.name !== 'VaultError') return null;
  return e.code || (/^(\w+):/.exec(e.message || '') || [])[1] || null;
}

/** `n` random bytes. */
export const random = (n) => crypto.getRandomValues(new Uint8Array(n));

/**
 * PBKDF2-HMAC-SHA256 by WebCrypto (native; 600,000 iterations in wasm would take many seconds),
 * handed to the core as `precomputed`. The core uses it only for exactly this salt and count;
 * the result is the standard PBKDF2, identical to the core's own (checked by the e2e test).
 */
export async function precompute(passphrase, salt, iterations) {
  if (typeof passphrase !== 'string' || typeof salt !== 'string' || !Number.isSafeInteger(iterations) || iterations < 1) return undefined;
  try {
    const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: unb64url(salt), iterations }, base, 256);
    return { salt, iterations, key: b64url(new Uint8Array(bits)) };
  } catch (e) {
    console.warn('RedShip vault: WebCrypto PBKDF2 unavailable; the core derives instead', e);
    return undefined;
  }
}

function storageError(e) {
  const msg = String(e?.message || e);
  if (/quota/i.test(msg)) {
    return vaultError('StorageFull', 'the browser storage for RedShip is full; nothing was saved. Free space in Options → Vault (delete old history) and try again');
  }
  return vaultError('StorageError', `could not save (${msg}); nothing was changed`);
}

/** Writes `items` in one chrome.storage.local.set; a failure is a VaultError (StorageFull, StorageError). */
export async function setAll(items) {
  if (!Object.keys(items).length) return;
  storageChanged();
  try { await chrome.storage.local.set(items); } catch (e) { throw storageError(e); }
}

/** Removes `keys`; a failure is only logged (what is left is cleaned at the next open). */
export async function removeQuietly(keys) {
  if (!keys.length) return;
  storageChanged();
  // Leftovers are harmless: tombstones and migrated v1 keys are cleaned at the next open.
  try { await chrome.storage.local.remove(keys); } catch (e) { console.warn('RedShip vault: cleanup failed', e); }
}

/** The entries of `all` whose key passes `pred`. */
export function pick(all, pred) {
  const out = {};
  for (const [k, v] of Object.entries(all)) if (pred(k)) out[k] = v;
  return out;
}

/** Makes the core's quarantine moves: each bad record written under its quarantine key, then removed. */
export async function moveToQuarantine(moves) {
  if (!moves.length) return;
  await setAll(Object.fromEntries(moves.map((m) => [m.quarantineKey, m.record])));
  await removeQuietly(moves.map((m) => m.storageKey));
}
