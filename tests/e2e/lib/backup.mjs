// Opens a RedShip backup file with node's own crypto, following the documented format
// (PBKDF2-SHA256, HMAC-SHA256 sub-keys, AES-256-GCM with the header as associated data): proves
// the worker's WebCrypto PBKDF2 and the core's file are the standard constructions, and lets a
// test read every record a build holds without going through that build.
import assert from 'node:assert/strict';
import { createDecipheriv, createHmac, pbkdf2Sync } from 'node:crypto';

/** The backup body {count, records: [{key, writtenMs, value}], …} of the file `text`. */
export function openBackupIndependently(text, passphrase) {
  const f = JSON.parse(text);
  const b64 = (s) => Buffer.from(s, 'base64url');
  const master = pbkdf2Sync(passphrase, b64(f.kdf.salt), f.kdf.iterations, 32, 'sha256');
  const derive = (purpose) => createHmac('sha256', master).update(Buffer.concat([Buffer.from('redship/vault/derive/v1\0'), Buffer.from(purpose), Buffer.from([1])])).digest();
  assert.equal(derive('backup-check').subarray(0, 16).toString('base64url'), f.check, 'key-check value');
  const ct = b64(f.ct);
  const decipher = createDecipheriv('aes-256-gcm', derive('backup-seal'), b64(f.nonce));
  decipher.setAAD(Buffer.from(`${f.format}|${f.v}|${f.createdMs}|${f.kdf.alg}|${f.kdf.iterations}|${f.kdf.salt}|${f.check}`));
  decipher.setAuthTag(ct.subarray(ct.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString('utf8'));
}
