//! Keys: the random data key, how it is wrapped (device key or passphrase), and unlocking.
//!
//! One random 256-bit data key is made at install and never changes; every record is sealed
//! under sub-keys derived from it. What changes is only how it is *wrapped* in the `vault.keys`
//! record, so setting, changing or removing a passphrase rewrites one small record and never
//! re-encrypts the store:
//! - **device** (default): wrapped by a random device key kept in `vault.device` next to the
//!   data. This only stops casual reading or partial copying of the profile's files; anyone with
//!   the whole profile has both halves. The options page says so.
//! - **passphrase**: wrapped by a key from PBKDF2-HMAC-SHA256 (salt and iteration count stored
//!   in the record; 600,000 by default, a parameter so tests run fast). A separate key-check
//!   value tells a wrong passphrase ([`VaultError::WrongPassphrase`]) from a damaged record.
//!
//! The keys record also carries the locked queue's X25519 public key and its secret sealed under
//! the data key (see `pending.rs`).

use crate::tagged::{need, unknown, TagError};
use serde::{Deserialize, Serialize};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroize;

use super::codec::{
    aead_open, aead_seal, b64_array, b64_decode, b64_encode, ct_eq, derive, Passphrase, KEY_LEN, NONCE_LEN,
};
use super::{take_random, VaultError, KEYS_STORAGE_KEY};

/// Version of the `vault.keys` and `vault.device` record layouts.
pub const KEYS_VERSION: u32 = 1;
/// PBKDF2 iterations used unless a caller (a test) asks for fewer.
pub const DEFAULT_PBKDF2_ITERATIONS: u32 = 600_000;
/// Upper bound on a stored iteration count, so a doctored record cannot freeze the worker.
pub const MAX_PBKDF2_ITERATIONS: u32 = 20_000_000;
/// Shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// Random bytes [`create_vault`] needs: data key, device key, wrap nonce, queue secret, nonce.
pub const CREATE_RANDOM_LEN: usize = 32 + 32 + NONCE_LEN + 32 + NONCE_LEN;
/// Random bytes a passphrase wrap needs: salt and nonce.
pub const PASSPHRASE_RANDOM_LEN: usize = 16 + NONCE_LEN;
/// Random bytes a device wrap needs: device key and nonce.
pub const DEVICE_RANDOM_LEN: usize = 32 + NONCE_LEN;
const KDF_ALG: &str = "pbkdf2-sha256";

/// The vault's data key. Sub-keys for sealing and naming are derived from it per purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; KEY_LEN]);

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.key_id())
    }
}

impl DataKey {
    /// Wraps raw key bytes (tests and fuzzing; the extension only ever unwraps a key).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Parses the base64url form produced by [`DataKey::to_b64`].
    pub(crate) fn from_b64(text: &str) -> Result<Self, VaultError> {
        let mut bytes = b64_decode(text).ok_or_else(|| VaultError::BadInput { what: "data key".into() })?;
        let key = <[u8; KEY_LEN]>::try_from(bytes.as_slice()).map(Self);
        bytes.zeroize();
        key.map_err(|_| VaultError::BadInput { what: "data key".into() })
    }

    /// The key as base64url: only for the restart token ([`super::session::SessionToken`]).
    pub(crate) fn to_b64(&self) -> String {
        b64_encode(&self.0)
    }

    /// A short public identifier of this key: which key sealed a record, without revealing it.
    pub fn key_id(&self) -> String {
        b64_encode(&derive(&self.0, "key-id")[..9])
    }

    /// Sub-key that seals records.
    pub(crate) fn record_key(&self) -> [u8; KEY_LEN] {
        derive(&self.0, "record-seal")
    }

    /// Sub-key that names records (opaque storage keys).
    pub(crate) fn name_key(&self) -> [u8; KEY_LEN] {
        derive(&self.0, "storage-name")
    }

    /// Sub-key that seals the locked queue's secret inside the keys record.
    fn queue_wrap_key(&self) -> [u8; KEY_LEN] {
        derive(&self.0, "queue-secret")
    }
}

/// A sealed blob: nonce and ciphertext (tag appended), base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// Nonce.
    pub n: String,
    /// Ciphertext with tag.
    pub c: String,
}

/// Passphrase key derivation parameters, stored so they can change without breaking old wraps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Kdf {
    /// Always `pbkdf2-sha256` for now.
    pub alg: String,
    /// PBKDF2 iteration count.
    pub iterations: u32,
    /// Random salt, base64url.
    pub salt: String,
}

/// How the data key is wrapped. Read through [`KeyWrapWire`] (see [`crate::tagged`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "camelCase", try_from = "KeyWrapWire")]
pub enum KeyWrap {
    /// Wrapped by the device key in `vault.device`.
    Device {
        /// The wrapped data key.
        wrapped: Sealed,
    },
    /// Wrapped by a passphrase-derived key.
    Passphrase {
        /// Derivation parameters.
        kdf: Kdf,
        /// Key-check value: tells a wrong passphrase from damage.
        check: String,
        /// The wrapped data key.
        wrapped: Sealed,
    },
}

/// [`KeyWrap`] as stored: `{"mode": …}` plus the mode's fields.
#[derive(Deserialize)]
pub struct KeyWrapWire {
    mode: String,
    kdf: Option<Kdf>,
    check: Option<String>,
    wrapped: Option<Sealed>,
}

impl TryFrom<KeyWrapWire> for KeyWrap {
    type Error = TagError;

    fn try_from(w: KeyWrapWire) -> Result<Self, TagError> {
        Ok(match w.mode.as_str() {
            "device" => KeyWrap::Device { wrapped: need(w.wrapped, "wrapped")? },
            "passphrase" => KeyWrap::Passphrase {
                kdf: need(w.kdf, "kdf")?,
                check: need(w.check, "check")?,
                wrapped: need(w.wrapped, "wrapped")?,
            },
            other => return Err(unknown(other, &["device", "passphrase"])),
        })
    }
}

/// The `vault.keys` record: holds nothing readable without the device key or passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeysRecord {
    /// Layout version ([`KEYS_VERSION`]).
    pub v: u32,
    /// [`DataKey::key_id`] of the wrapped key.
    pub key_id: String,
    /// The wrap.
    pub lock: KeyWrap,
    /// Locked-queue X25519 public key, base64url.
    pub queue_public: String,
    /// Locked-queue X25519 secret, sealed under the data key.
    pub queue_secret: Sealed,
}

/// The `vault.device` record: the device key (only in device mode).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRecord {
    /// Layout version ([`KEYS_VERSION`]).
    pub v: u32,
    /// The device key, base64url.
    pub key: String,
}

impl KeysRecord {
    /// Whether a passphrase protects the data key (so the vault can be locked).
    pub fn has_passphrase(&self) -> bool {
        matches!(self.lock, KeyWrap::Passphrase { .. })
    }

    fn check_version(&self) -> Result<(), VaultError> {
        if self.v != KEYS_VERSION {
            return Err(VaultError::UnknownVersion { key: KEYS_STORAGE_KEY.into(), found: self.v });
        }
        Ok(())
    }
}

fn damaged_keys() -> VaultError {
    VaultError::Damaged { key: KEYS_STORAGE_KEY.into() }
}

fn wrap_aad(mode: &str, key_id: &str) -> Vec<u8> {
    format!("redship/vault/wrap/v{KEYS_VERSION}|{mode}|{key_id}").into_bytes()
}

fn seal_with(key: &[u8; KEY_LEN], nonce: [u8; NONCE_LEN], aad: &[u8], msg: &[u8]) -> Sealed {
    Sealed { n: b64_encode(&nonce), c: b64_encode(&aead_seal(key, &nonce, aad, msg)) }
}

fn open_with(key: &[u8; KEY_LEN], sealed: &Sealed, aad: &[u8]) -> Option<Vec<u8>> {
    let nonce: [u8; NONCE_LEN] = b64_array(&sealed.n)?;
    aead_open(key, &nonce, aad, &b64_decode(&sealed.c)?)
}

fn unwrap_data_key(kek: &[u8; KEY_LEN], sealed: &Sealed, mode: &str, keys: &KeysRecord) -> Result<DataKey, VaultError> {
    let raw = open_with(kek, sealed, &wrap_aad(mode, &keys.key_id)).ok_or_else(damaged_keys)?;
    let bytes: [u8; KEY_LEN] = raw.as_slice().try_into().map_err(|_| damaged_keys())?;
    let key = DataKey(bytes);
    if key.key_id() != keys.key_id {
        return Err(damaged_keys());
    }
    Ok(key)
}

/// Makes a new vault from [`CREATE_RANDOM_LEN`] random bytes: data key wrapped by a new device
/// key, plus the locked-queue key pair.
pub fn create_vault(random: &[u8]) -> Result<(KeysRecord, DeviceRecord, DataKey), VaultError> {
    let mut r = take_random(random, CREATE_RANDOM_LEN)?;
    let data = DataKey(r.array()?);
    let device: [u8; KEY_LEN] = r.array()?;
    let wrap_nonce = r.array()?;
    let queue_secret = StaticSecret::from(r.array::<32>()?);
    let queue_nonce = r.array()?;
    let key_id = data.key_id();
    let keys = KeysRecord {
        v: KEYS_VERSION,
        lock: KeyWrap::Device { wrapped: seal_with(&device, wrap_nonce, &wrap_aad("device", &key_id), &data.0) },
        queue_public: b64_encode(PublicKey::from(&queue_secret).as_bytes()),
        queue_secret: seal_with(
            &data.queue_wrap_key(),
            queue_nonce,
            &wrap_aad("queue", &key_id),
            queue_secret.as_bytes(),
        ),
        key_id,
    };
    Ok((keys, DeviceRecord { v: KEYS_VERSION, key: b64_encode(&device) }, data))
}

/// Unwraps the data key with the device key (device mode only).
pub fn unlock_with_device(keys: &KeysRecord, device: &DeviceRecord) -> Result<DataKey, VaultError> {
    keys.check_version()?;
    let KeyWrap::Device { wrapped } = &keys.lock else {
        return Err(VaultError::Locked);
    };
    if device.v != KEYS_VERSION {
        return Err(VaultError::UnknownVersion { key: "vault.device".into(), found: device.v });
    }
    let device_key: [u8; KEY_LEN] = b64_array(&device.key).ok_or(VaultError::Damaged { key: "vault.device".into() })?;
    unwrap_data_key(&device_key, wrapped, "device", keys)
}

fn passphrase_keys(passphrase: Passphrase<'_>, kdf: &Kdf) -> Result<([u8; KEY_LEN], [u8; 16]), VaultError> {
    if kdf.alg != KDF_ALG || kdf.iterations == 0 || kdf.iterations > MAX_PBKDF2_ITERATIONS {
        return Err(damaged_keys());
    }
    let salt = b64_decode(&kdf.salt).ok_or_else(damaged_keys)?;
    let master = passphrase.master(&salt, kdf.iterations);
    let mut check = [0u8; 16];
    check.copy_from_slice(&derive(&master, "passphrase-check")[..16]);
    Ok((derive(&master, "passphrase-wrap"), check))
}

/// Unwraps the data key with the passphrase. A wrong passphrase is
/// [`VaultError::WrongPassphrase`] and nothing changes.
pub fn unlock_with_passphrase<'a>(
    keys: &KeysRecord,
    passphrase: impl Into<Passphrase<'a>>,
) -> Result<DataKey, VaultError> {
    let passphrase = passphrase.into();
    keys.check_version()?;
    let KeyWrap::Passphrase { kdf, check, wrapped } = &keys.lock else {
        return Err(VaultError::NoPassphrase);
    };
    let (kek, expected) = passphrase_keys(passphrase, kdf)?;
    let stored = b64_decode(check).ok_or_else(damaged_keys)?;
    if !ct_eq(&stored, &expected) {
        return Err(VaultError::WrongPassphrase);
    }
    unwrap_data_key(&kek, wrapped, "passphrase", keys)
}

fn check_passphrase_strength(passphrase: Passphrase<'_>) -> Result<(), VaultError> {
    if passphrase.chars() < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
    }
    Ok(())
}

/// Wraps `data` with `passphrase` ([`PASSPHRASE_RANDOM_LEN`] random bytes: salt, nonce). The
/// data key must be the one `keys` describes (the vault is unlocked).
pub fn set_passphrase<'a>(
    keys: &KeysRecord,
    data: &DataKey,
    passphrase: impl Into<Passphrase<'a>>,
    iterations: u32,
    random: &[u8],
) -> Result<KeysRecord, VaultError> {
    let passphrase = passphrase.into();
    keys.check_version()?;
    check_passphrase_strength(passphrase)?;
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return Err(VaultError::BadInput { what: format!("PBKDF2 iteration count {iterations}") });
    }
    if data.key_id() != keys.key_id {
        return Err(VaultError::WrongKey);
    }
    let mut r = take_random(random, PASSPHRASE_RANDOM_LEN)?;
    let salt: [u8; 16] = r.array()?;
    let nonce = r.array()?;
    let kdf = Kdf { alg: KDF_ALG.into(), iterations, salt: b64_encode(&salt) };
    let (kek, check) = passphrase_keys(passphrase, &kdf)?;
    let wrapped = seal_with(&kek, nonce, &wrap_aad("passphrase", &keys.key_id), &data.0);
    Ok(KeysRecord { lock: KeyWrap::Passphrase { kdf, check: b64_encode(&check), wrapped }, ..keys.clone() })
}

/// Re-wraps the data key under a new passphrase after checking the old one; a wrong old
/// passphrase changes nothing.
pub fn change_passphrase<'a, 'b>(
    keys: &KeysRecord,
    old: impl Into<Passphrase<'a>>,
    new: impl Into<Passphrase<'b>>,
    iterations: u32,
    random: &[u8],
) -> Result<KeysRecord, VaultError> {
    let data = unlock_with_passphrase(keys, old)?;
    set_passphrase(keys, &data, new, iterations, random)
}

/// Goes back to device mode: a new device key ([`DEVICE_RANDOM_LEN`] random bytes) wraps the
/// data key. Needs the passphrase again, so an unattended unlocked browser cannot drop the lock.
pub fn remove_passphrase<'a>(
    keys: &KeysRecord,
    passphrase: impl Into<Passphrase<'a>>,
    random: &[u8],
) -> Result<(KeysRecord, DeviceRecord), VaultError> {
    let data = unlock_with_passphrase(keys, passphrase)?;
    let mut r = take_random(random, DEVICE_RANDOM_LEN)?;
    let device: [u8; KEY_LEN] = r.array()?;
    let wrapped = seal_with(&device, r.array()?, &wrap_aad("device", &keys.key_id), &data.0);
    let record = KeysRecord { lock: KeyWrap::Device { wrapped }, ..keys.clone() };
    Ok((record, DeviceRecord { v: KEYS_VERSION, key: b64_encode(&device) }))
}

/// The locked queue's secret (needs the unlocked data key).
pub(crate) fn queue_secret(keys: &KeysRecord, data: &DataKey) -> Result<StaticSecret, VaultError> {
    if data.key_id() != keys.key_id {
        return Err(VaultError::WrongKey);
    }
    let raw = open_with(&data.queue_wrap_key(), &keys.queue_secret, &wrap_aad("queue", &keys.key_id))
        .ok_or_else(damaged_keys)?;
    let bytes: [u8; 32] = raw.as_slice().try_into().map_err(|_| damaged_keys())?;
    Ok(StaticSecret::from(bytes))
}

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
