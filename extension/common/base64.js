// Base64 for the bytes that cross between RedShip's pages and its worker (files in, exports
// out, vault key material in its records): one implementation, used by every part.

/** Bytes (Uint8Array or ArrayBuffer) → base64; built a chunk at a time (a 10 MB file is fine). */
export function toBase64(data) {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Base64 → bytes. */
export function fromBase64(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes → base64url without padding (the vault's records). */
export function toBase64Url(bytes) {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Base64url (padded or not) → bytes. */
export function fromBase64Url(text) {
  return fromBase64(text.replaceAll('-', '+').replaceAll('_', '/'));
}
