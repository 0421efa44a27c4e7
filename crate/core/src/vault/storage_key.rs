//! Opaque storage keys: where a logical record lives in `chrome.storage.local`.
//!
//! A logical key such as `ledger/shop-123/2026-11-21` may itself name a shop or a package, so it
//! is never stored in clear. The storage key is `r.` + base64url of the first 128 bits of
//! HMAC-SHA256 under a naming sub-key of the data key: stable (the same record is always found
//! in the same place, so one record is updated alone), unguessable without the key, and
//! collision-free in practice. The logical key is kept *inside* the sealed payload, so a scan
//! can recover it, and opening checks that it hashes back to the storage key it was found under.
//!
//! The other namespaces the vault writes: `vault.*` (keys), `p.*` (locked queue, random names),
//! `x.*` (quarantined raw records).

use super::codec::{b64_encode, hmac, KEY_LEN};
use super::keys::DataKey;
use super::VaultError;

/// Prefix of sealed record storage keys.
pub const RECORD_PREFIX: &str = "r.";
/// Prefix of locked-queue entries.
pub const PENDING_PREFIX: &str = "p.";
/// Prefix of quarantined records.
pub const QUARANTINE_PREFIX: &str = "x.";
/// Prefix of the vault's own key records.
pub const VAULT_PREFIX: &str = "vault.";
/// Longest logical key accepted, in bytes.
pub const MAX_LOGICAL_KEY_BYTES: usize = 512;

/// What a `chrome.storage.local` key is, by namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespace {
    /// A sealed record (`r.`).
    Record,
    /// A locked-queue entry (`p.`).
    Pending,
    /// A quarantined record (`x.`).
    Quarantine,
    /// The vault's key records (`vault.`).
    Vault,
    /// Anything else: left by the interim plaintext store (schema v1).
    Other,
}

/// Classifies a storage key by its namespace.
pub fn namespace(storage_key: &str) -> Namespace {
    if storage_key.starts_with(RECORD_PREFIX) {
        Namespace::Record
    } else if storage_key.starts_with(PENDING_PREFIX) {
        Namespace::Pending
    } else if storage_key.starts_with(QUARANTINE_PREFIX) {
        Namespace::Quarantine
    } else if storage_key.starts_with(VAULT_PREFIX) {
        Namespace::Vault
    } else {
        Namespace::Other
    }
}

/// Checks a logical key: non-empty, at most [`MAX_LOGICAL_KEY_BYTES`], no control characters.
pub fn validate_logical_key(logical: &str) -> Result<(), VaultError> {
    if logical.is_empty() || logical.len() > MAX_LOGICAL_KEY_BYTES || logical.chars().any(char::is_control) {
        let shown: String = logical.chars().take(40).filter(|c| !c.is_control()).collect();
        return Err(VaultError::BadInput {
            what: format!("record key \"{shown}\" (must be 1–{MAX_LOGICAL_KEY_BYTES} bytes, no control characters)"),
        });
    }
    Ok(())
}

/// The opaque storage key for `logical` under `key`.
pub fn storage_key(key: &DataKey, logical: &str) -> Result<String, VaultError> {
    storage_key_with(&key.name_key(), logical)
}

/// [`storage_key`] with the naming sub-key already derived (a session caches it).
pub(crate) fn storage_key_with(name_key: &[u8; KEY_LEN], logical: &str) -> Result<String, VaultError> {
    validate_logical_key(logical)?;
    let mac = hmac(name_key, &[b"redship/vault/name/v1\0", logical.as_bytes()]);
    Ok(format!("{RECORD_PREFIX}{}", b64_encode(&mac[..16])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_keys_are_stable_opaque_and_keyed() {
        let a = DataKey::from_bytes([1; 32]);
        let b = DataKey::from_bytes([2; 32]);
        let logical = "ledger/shop-小红书/P2025110112345678";
        let ka = storage_key(&a, logical).unwrap();
        assert_eq!(ka, storage_key(&a, logical).unwrap());
        assert_ne!(ka, storage_key(&b, logical).unwrap());
        assert_ne!(ka, storage_key(&a, "ledger/shop-小红书/P2025110112345679").unwrap());
        assert!(!ka.contains("ledger") && !ka.contains("P2025"));
        assert_eq!(ka.len(), 2 + 22);
        assert_eq!(namespace(&ka), Namespace::Record);
    }

    #[test]
    fn bad_logical_keys_are_refused() {
        let k = DataKey::from_bytes([1; 32]);
        assert!(matches!(storage_key(&k, ""), Err(VaultError::BadInput { .. })));
        assert!(matches!(storage_key(&k, "a\nb"), Err(VaultError::BadInput { .. })));
        assert!(storage_key(&k, &"x".repeat(513)).is_err());
    }
}
