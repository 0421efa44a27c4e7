//! The locked queue: decrypt events recorded while the vault is locked, readable only after
//! unlocking.
//!
//! While locked the service worker has no data key, yet every decrypt must still be counted and
//! nothing it stores may reveal the package. Any symmetric key able to write such entries could
//! also read them, and a key kept only in `chrome.storage.session` is gone after a browser
//! restart (while still locked). So the queue uses public-key sealing (ECIES over X25519):
//! - at vault creation an X25519 key pair is made; the public key sits in `vault.keys`, the
//!   secret is sealed under the data key (see `keys.rs`);
//! - each event is sealed to the public key with a fresh ephemeral key pair: shared secret →
//!   HKDF-SHA256 → a one-time AES-256-GCM key (so nonce reuse cannot arise), AAD binding the
//!   entry's storage key; the ephemeral secret is dropped at once;
//! - entries live under random names (`p.` + 128 random bits), one `set` per event, so appending
//!   never needs to read anything; only the number of queued events is visible;
//! - on unlock, [`open_pending`] recovers the events in order; the worker replays them into the
//!   ledger and, in the same `set`, writes the ledger and deletes the entries.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use x25519_dalek::{PublicKey, StaticSecret};

use super::codec::{aead_open, aead_seal, b64_array, b64_decode, b64_encode, hkdf, KEY_LEN, NONCE_LEN};
use super::keys::{queue_secret, DataKey, KeysRecord};
use super::quarantine::{quarantine_entry, QuarantinedRecord};
use super::storage_key::PENDING_PREFIX;
use super::{take_random, VaultError};

/// Version of the queue entry layout.
pub const PENDING_VERSION: u32 = 1;
/// Random bytes [`seal_pending`] needs: ephemeral secret, nonce, entry name.
pub const PENDING_RANDOM_LEN: usize = 32 + NONCE_LEN + 16;

/// One sealed queue entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingEnvelope {
    /// Layout version.
    pub v: u32,
    /// Ephemeral public key, base64url.
    pub e: String,
    /// Nonce, base64url.
    pub n: String,
    /// Ciphertext with tag, base64url.
    pub c: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PendingPayload {
    t: i64,
    d: Value,
}

/// An event recovered from the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEvent {
    /// Where it was stored (to delete after replay).
    pub storage_key: String,
    /// When it was queued (epoch ms).
    pub at_ms: i64,
    /// The event as the caller queued it.
    pub event: Value,
}

/// A queue entry that failed to open: its `x.` key and the record that sets it aside.
pub type QuarantineEntry = (String, QuarantinedRecord);

fn pending_aad(storage_key: &str) -> Vec<u8> {
    format!("redship/vault/pending/v{PENDING_VERSION}|{storage_key}").into_bytes()
}

fn one_time_key(shared: &[u8; 32], eph: &[u8; 32], recipient: &[u8; 32]) -> [u8; KEY_LEN] {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(eph);
    salt[32..].copy_from_slice(recipient);
    hkdf(&salt, shared, "redship/vault/pending-key/v1")
}

/// Seals `event` to the queue public key in `keys` (no data key needed: works while locked).
/// Returns the storage key and the entry.
pub fn seal_pending(
    keys: &KeysRecord,
    event: &Value,
    now_ms: i64,
    random: &[u8],
) -> Result<(String, PendingEnvelope), VaultError> {
    let recipient: [u8; 32] =
        b64_array(&keys.queue_public).ok_or(VaultError::Damaged { key: super::KEYS_STORAGE_KEY.into() })?;
    let mut r = take_random(random, PENDING_RANDOM_LEN)?;
    let eph_secret = StaticSecret::from(r.array::<32>()?);
    let nonce: [u8; NONCE_LEN] = r.array()?;
    let name: [u8; 16] = r.array()?;
    let eph_public = PublicKey::from(&eph_secret);
    let shared = eph_secret.diffie_hellman(&PublicKey::from(recipient));
    if !shared.was_contributory() {
        return Err(VaultError::Damaged { key: super::KEYS_STORAGE_KEY.into() });
    }
    let key = one_time_key(shared.as_bytes(), eph_public.as_bytes(), &recipient);
    let skey = format!("{PENDING_PREFIX}{}", b64_encode(&name));
    let plain = serde_json::to_vec(&PendingPayload { t: now_ms, d: event.clone() })
        .map_err(|e| VaultError::BadInput { what: format!("queued event ({e})") })?;
    let ct = aead_seal(&key, &nonce, &pending_aad(&skey), &plain);
    Ok((
        skey,
        PendingEnvelope {
            v: PENDING_VERSION,
            e: b64_encode(eph_public.as_bytes()),
            n: b64_encode(&nonce),
            c: b64_encode(&ct),
        },
    ))
}

/// Opens one queue entry with the queue secret.
fn open_one(
    secret: &StaticSecret,
    recipient: &[u8; 32],
    storage_key: &str,
    raw: &Value,
) -> Result<PendingEvent, VaultError> {
    let damaged = || VaultError::Damaged { key: storage_key.to_string() };
    let env: PendingEnvelope = serde_json::from_value(raw.clone()).map_err(|_| damaged())?;
    if env.v != PENDING_VERSION {
        return Err(VaultError::UnknownVersion { key: storage_key.to_string(), found: env.v });
    }
    let eph: [u8; 32] = b64_array(&env.e).ok_or_else(damaged)?;
    let nonce: [u8; NONCE_LEN] = b64_array(&env.n).ok_or_else(damaged)?;
    let shared = secret.diffie_hellman(&PublicKey::from(eph));
    if !shared.was_contributory() {
        return Err(damaged());
    }
    let key = one_time_key(shared.as_bytes(), &eph, recipient);
    let plain = aead_open(&key, &nonce, &pending_aad(storage_key), &b64_decode(&env.c).ok_or_else(damaged)?)
        .ok_or_else(damaged)?;
    let payload: PendingPayload = serde_json::from_slice(&plain).map_err(|_| damaged())?;
    Ok(PendingEvent { storage_key: storage_key.to_string(), at_ms: payload.t, event: payload.d })
}

/// Opens every queue entry in `entries` (other namespaces are ignored), oldest first. Entries
/// that fail come back as quarantine entries; the rest are still replayed.
pub fn open_pending(
    keys: &KeysRecord,
    data: &DataKey,
    entries: &[(String, Value)],
    now_ms: i64,
) -> Result<(Vec<PendingEvent>, Vec<QuarantineEntry>), VaultError> {
    let secret = queue_secret(keys, data)?;
    let recipient: [u8; 32] = PublicKey::from(&secret).to_bytes();
    let mut events = Vec::new();
    let mut failed = Vec::new();
    for (k, raw) in entries.iter().filter(|(k, _)| k.starts_with(PENDING_PREFIX)) {
        match open_one(&secret, &recipient, k, raw) {
            Ok(ev) => events.push(ev),
            Err(e) => failed.push(quarantine_entry(k, &e, raw, now_ms)),
        }
    }
    crate::sort::sort_by(&mut events, |a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.storage_key.cmp(&b.storage_key)));
    Ok((events, failed))
}

#[cfg(test)]
mod tests {
    use super::super::keys::{create_vault, CREATE_RANDOM_LEN};
    use super::*;
    use serde_json::json;

    fn rnd(seed: u8, len: usize) -> Vec<u8> {
        (0..len).map(|i| seed.wrapping_add(i as u8).wrapping_mul(151).wrapping_add(7)).collect()
    }

    #[test]
    fn queued_events_reveal_nothing_and_replay_in_order() {
        let (keys, _d, data) = create_vault(&rnd(1, CREATE_RANDOM_LEN)).unwrap();
        let ev1 = json!({"shop": "小店", "packageId": "P111122223333444"});
        let ev2 = json!({"shop": "小店", "packageId": "P999988887777666"});
        let (k2, e2) = seal_pending(&keys, &ev2, 200, &rnd(3, PENDING_RANDOM_LEN)).unwrap();
        let (k1, e1) = seal_pending(&keys, &ev1, 100, &rnd(2, PENDING_RANDOM_LEN)).unwrap();
        let stored = vec![
            (k2.clone(), serde_json::to_value(&e2).unwrap()),
            (k1.clone(), serde_json::to_value(&e1).unwrap()),
            ("r.other".into(), json!(1)),
        ];
        let text = serde_json::to_string(&stored).unwrap();
        assert!(!text.contains("P1111") && !text.contains("小店"));
        let (events, failed) = open_pending(&keys, &data, &stored, 0).unwrap();
        assert!(failed.is_empty());
        assert_eq!(
            events.iter().map(|e| (e.storage_key.clone(), e.at_ms, e.event.clone())).collect::<Vec<_>>(),
            vec![(k1, 100, ev1), (k2, 200, ev2)]
        );
    }

    #[test]
    fn tampered_or_moved_entries_are_reported_not_fatal() {
        let (keys, _d, data) = create_vault(&rnd(1, CREATE_RANDOM_LEN)).unwrap();
        let (k1, e1) = seal_pending(&keys, &json!(1), 1, &rnd(2, PENDING_RANDOM_LEN)).unwrap();
        let (_k2, e2) = seal_pending(&keys, &json!(2), 2, &rnd(3, PENDING_RANDOM_LEN)).unwrap();
        let stored = vec![
            (k1.clone(), serde_json::to_value(&e1).unwrap()),
            ("p.moved".into(), serde_json::to_value(&e2).unwrap()),
        ];
        let (events, failed) = open_pending(&keys, &data, &stored, 5).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(failed.len(), 1);
        assert_eq!((failed[0].0.as_str(), failed[0].1.code.as_str()), ("x.p.moved", "Damaged"));
    }

    #[test]
    fn another_vault_cannot_read_the_queue() {
        let (keys, _d, _data) = create_vault(&rnd(1, CREATE_RANDOM_LEN)).unwrap();
        let (_k, _d2, other) = create_vault(&rnd(9, CREATE_RANDOM_LEN)).unwrap();
        assert!(matches!(open_pending(&keys, &other, &[], 0), Err(VaultError::WrongKey)));
    }
}
