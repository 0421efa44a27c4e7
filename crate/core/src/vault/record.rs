//! Sealed records: the envelope stored in `chrome.storage.local`, the read-only [`Opener`] that
//! opens them and the [`Sealer`] (opener + nonce sequence) that seals them.
//!
//! Envelope (JSON): `{"v": schema, "k": key id, "n": nonce, "c": ciphertext+tag}`. The payload
//! inside is `{"k": logical key, "t": written ms, "d": value}` (or `"gone": true` for a
//! tombstone, which lets one `chrome.storage.local.set` call carry deletions too, keeping a
//! mixed write atomic). The associated data binds the storage key and the schema version, and
//! the logical key inside must hash back to the storage key, so a record moved, swapped,
//! relabelled or edited in any byte fails to open.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec::{b64_array, b64_decode, b64_encode, Cipher, KEY_LEN, NONCE_LEN};
use super::keys::DataKey;
use super::nonce::{NonceSequence, PREFIX_LEN};
use super::plaintext::{OpenedText, Plaintext};
use super::storage_key::storage_key_with;
use super::{VaultError, SCHEMA_VERSION};
use zeroize::Zeroize;

/// A sealed record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Schema version the payload was written with.
    pub v: u32,
    /// Key id of the data key that sealed it.
    pub k: String,
    /// Nonce, base64url.
    pub n: String,
    /// Ciphertext with tag, base64url.
    pub c: String,
}

/// A record opened from storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The logical key.
    pub logical_key: String,
    /// When it was written (epoch ms).
    pub written_ms: i64,
    /// Its value; `None` for a tombstone (deleted, awaiting removal).
    pub value: Option<Value>,
}

fn record_aad(storage_key: &str, version: u32) -> Vec<u8> {
    format!("redship/vault/record|{storage_key}|{version}").into_bytes()
}

/// The read-only side of an unlocked key: opens records and names them, and cannot seal (it
/// holds no nonce state, so handing it to a reader can never repeat a nonce).
#[derive(Debug, Clone)]
pub struct Opener {
    // Sub-keys derived once per session rather than once per record.
    key_id: String,
    cipher: Cipher,
    name_key: SubKey,
}

/// A derived 32-byte sub-key, wiped when dropped.
#[derive(Clone)]
struct SubKey([u8; KEY_LEN]);

impl Drop for SubKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for SubKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SubKey(..)")
    }
}

impl Opener {
    /// The opener of `key`'s records.
    pub fn new(key: &DataKey) -> Self {
        let mut record_key = key.record_key();
        let cipher = Cipher::new(&record_key);
        record_key.zeroize();
        Self { key_id: key.key_id(), cipher, name_key: SubKey(key.name_key()) }
    }

    /// [`DataKey::key_id`] of the key this opener opens.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The storage key of `logical` under this key.
    pub fn storage_key(&self, logical: &str) -> Result<String, VaultError> {
        storage_key_with(&self.name_key.0, logical)
    }
}

/// The writing side of an unlocked key: the opener plus the session's nonce sequence. Not
/// `Clone`: two copies would hand out the same nonces. A sealer starts at counter 0 with a fresh
/// prefix ([`Sealer::new`]) and lives as long as its key session; there is no way to build one
/// at a chosen counter.
#[derive(Debug)]
pub struct Sealer {
    opener: Opener,
    nonces: NonceSequence,
}

impl Sealer {
    /// Starts a session with a fresh random nonce prefix.
    pub fn new(key: &DataKey, prefix: [u8; PREFIX_LEN]) -> Self {
        Self { opener: Opener::new(key), nonces: NonceSequence::new(prefix) }
    }

    /// The read-only side of this session.
    pub fn opener(&self) -> &Opener {
        &self.opener
    }

    /// The nonce state (read only: what the next seal will use).
    pub fn nonces(&self) -> &NonceSequence {
        &self.nonces
    }

    /// Seals `value` (or a tombstone for `None`) under `logical`; returns the storage key and
    /// the envelope to store there.
    pub fn seal(
        &mut self,
        logical: &str,
        value: Option<&Value>,
        now_ms: i64,
    ) -> Result<(String, Envelope), VaultError> {
        let (skey, sealed) = self.seal_text(Plaintext::of_value(logical, now_ms, value)?)?;
        Ok((skey, Envelope { v: sealed.v, k: sealed.k, n: sealed.n, c: b64_encode(&sealed.ct) }))
    }

    /// The storage key of `logical` under this session's key.
    pub fn storage_key(&self, logical: &str) -> Result<String, VaultError> {
        self.opener.storage_key(logical)
    }

    /// Seals a plaintext built from the value's JSON text; returns the storage key and the
    /// record with its ciphertext still as bytes (the caller base64-encodes it, in pieces if it
    /// is big: pieces of a multiple of 3 bytes encode to pieces of the same text).
    pub fn seal_text(&mut self, plain: Plaintext) -> Result<(String, SealedBytes), VaultError> {
        let skey = self.storage_key(plain.logical())?;
        let mut buf = plain.finish()?;
        let nonce = self.nonces.take()?;
        // In place: the buffer was sized for the tag, so the record exists once in memory.
        self.opener.cipher.seal_in_place(&nonce, &record_aad(&skey, SCHEMA_VERSION), &mut buf);
        let k = self.opener.key_id.clone();
        Ok((skey, SealedBytes { v: SCHEMA_VERSION, k, n: b64_encode(&nonce), ct: buf }))
    }
}

/// A sealed record whose ciphertext is still bytes: [`Envelope`] once `c = base64url(ct)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedBytes {
    /// Schema version.
    pub v: u32,
    /// Key id.
    pub k: String,
    /// Nonce, base64url.
    pub n: String,
    /// Ciphertext with tag.
    pub ct: Vec<u8>,
}

/// Opens the raw JSON found at `storage_key`. Anything that does not authenticate is
/// [`VaultError::Damaged`]; a newer or unknown schema is [`VaultError::UnknownVersion`].
pub fn open(key: &DataKey, storage_key_found: &str, raw: &Value) -> Result<Opened, VaultError> {
    Opener::new(key).open(storage_key_found, raw)
}

impl Opener {
    /// [`open`] with this opener's cached sub-keys (what a whole-store scan uses).
    pub fn open(&self, storage_key_found: &str, raw: &Value) -> Result<Opened, VaultError> {
        let damaged = || VaultError::Damaged { key: storage_key_found.to_string() };
        self.open_raw_text(storage_key_found, raw)?.into_opened().ok_or_else(damaged)
    }

    /// [`Opener::open`] with the value left as JSON text (a big record never becomes a tree).
    pub fn open_raw_text(&self, storage_key_found: &str, raw: &Value) -> Result<OpenedText, VaultError> {
        let damaged = || VaultError::Damaged { key: storage_key_found.to_string() };
        let env = Envelope::deserialize(raw).map_err(|_| match raw.get("v").and_then(Value::as_u64) {
            Some(v) if v != u64::from(SCHEMA_VERSION) => VaultError::UnknownVersion {
                key: storage_key_found.to_string(),
                found: u32::try_from(v).unwrap_or(u32::MAX),
            },
            _ => damaged(),
        })?;
        let ct = b64_decode(&env.c).ok_or_else(damaged)?;
        self.open_text(storage_key_found, SealedBytes { v: env.v, k: env.k, n: env.n, ct })
    }

    /// Opens a record whose ciphertext is already decoded, decrypting it in place; the value
    /// stays JSON text. Errors as [`open`].
    pub fn open_text(&self, storage_key_found: &str, sealed: SealedBytes) -> Result<OpenedText, VaultError> {
        let damaged = || VaultError::Damaged { key: storage_key_found.to_string() };
        if sealed.v != SCHEMA_VERSION {
            return Err(VaultError::UnknownVersion { key: storage_key_found.to_string(), found: sealed.v });
        }
        if sealed.k != self.key_id {
            return Err(damaged());
        }
        let nonce: [u8; NONCE_LEN] = b64_array(&sealed.n).ok_or_else(damaged)?;
        let mut buf = sealed.ct;
        if !self.cipher.open_in_place(&nonce, &record_aad(storage_key_found, sealed.v), &mut buf) {
            return Err(damaged());
        }
        let opened = OpenedText::parse(buf).ok_or_else(damaged)?;
        if storage_key_with(&self.name_key.0, &opened.logical_key).ok().as_deref() != Some(storage_key_found) {
            return Err(damaged());
        }
        Ok(opened)
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
