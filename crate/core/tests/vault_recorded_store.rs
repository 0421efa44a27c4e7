//! Known answers for the vault's crypto, bit for bit: the store RedShip 0.1.0 wrote after a day
//! of work (`tests/fixtures/update/c31608f.json`, recorded from that build) must open with its
//! passphrase through today's code — PBKDF2, the HKDF-Expand sub-keys, the constant-time check,
//! the HMAC storage names and AES-GCM — to exactly the records the recording lists; and an event
//! sealed to that vault's queue key with fixed randomness (X25519 then HKDF-SHA256) must give the
//! same bytes as when this test was written. A change of crypto crate that alters one bit fails here.

use redship_core::vault::pending::{seal_pending, PENDING_RANDOM_LEN};
use redship_core::vault::quarantine::scan;
use redship_core::vault::{KeysRecord, VaultSession};
use serde_json::{json, Value};

const RECORDED: &str = include_str!("../../../tests/fixtures/update/c31608f.json");

// A helper of the tests below (clippy sees only `#[test]` functions as tests): a panic is a failed test.
#[allow(clippy::unwrap_used)]
fn recorded() -> (Value, KeysRecord, Vec<(String, Value)>) {
    let fixture: Value = serde_json::from_str(RECORDED).unwrap();
    let storage = fixture["storage"].as_object().unwrap();
    let keys: KeysRecord = serde_json::from_value(storage["vault.keys"].clone()).unwrap();
    let entries = storage.iter().filter(|(k, _)| k.starts_with("r.")).map(|(k, v)| (k.clone(), v.clone())).collect();
    (fixture, keys, entries)
}

#[test]
fn the_store_the_old_build_wrote_opens_to_the_recorded_records() {
    let (fixture, keys, entries) = recorded();
    let passphrase = fixture["passphrase"].as_str().unwrap();
    assert!(VaultSession::unlock_passphrase(&keys, "not the passphrase", &[5; 64]).is_err());
    let session = VaultSession::unlock_passphrase(&keys, passphrase, &[5; 64]).unwrap();
    assert_eq!(session.key_id().unwrap(), keys.key_id);
    let opener = session.opener().unwrap();

    let opened = scan(opener, &entries, fixture["recordedAtMs"].as_i64().unwrap());
    assert!(opened.quarantine.is_empty() && opened.newer.is_empty() && opened.tombstones.is_empty());
    let expected = fixture["expect"]["records"].as_object().unwrap();
    assert_eq!(opened.records.len(), expected.len());
    for (storage_key, record) in &opened.records {
        assert_eq!(&opener.storage_key(&record.logical_key).unwrap(), storage_key, "{}", record.logical_key);
        assert_eq!(record.value.as_ref(), expected.get(&record.logical_key), "{}", record.logical_key);
    }
}

#[test]
fn an_event_sealed_to_the_recorded_queue_key_gives_the_known_bytes() {
    let (fixture, keys, _) = recorded();
    let random: Vec<u8> = (0..PENDING_RANDOM_LEN).map(|i| (i as u8).wrapping_mul(29).wrapping_add(3)).collect();
    let event = json!({"shop": "小红薯的杂货铺", "packageId": "P742000000000009"});
    let (storage_key, envelope) = seal_pending(&keys, &event, 1_796_522_500_000, &random).unwrap();
    assert_eq!(storage_key, KNOWN_KEY);
    assert_eq!(serde_json::to_value(&envelope).unwrap(), serde_json::from_str::<Value>(KNOWN_ENVELOPE).unwrap());

    // The recorded vault's own queue secret (unwrapped with its passphrase) opens it.
    let session = VaultSession::unlock_passphrase(&keys, fixture["passphrase"].as_str().unwrap(), &[5; 64]).unwrap();
    let stored = vec![(storage_key, serde_json::to_value(&envelope).unwrap())];
    let (events, failed) = session.open_queue(&keys, &stored, 0).unwrap();
    assert!(failed.is_empty());
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event, event);
}

// Computed by the hand-written helpers before the crypto crates replaced them (2026-12-06).
const KNOWN_KEY: &str = "p._xw5VnOQrcrnBCE-W3iVsg";
const KNOWN_ENVELOPE: &str = concat!(
    r#"{"v":1,"e":"yEY0-v95ksJbUui9z7y6yrxYt_ZoL6hUYHR_bv0sflA","n":"o8Dd-hc0UW6LqMXi","c":"#,
    r#""kJCeGyKtVYyM7a9IdibHwBWfgpFBej8aCncPopkUsZ1nykvWcoasnacFCRmdpdT0R3bqZyFSwKShjo_Sm4wvUSB4c7teVMAgu3cRNz8Ezolz"#,
    r#"Wg58tHOg2FfxMfBwg5Cx0PgPIf3Jow"}"#
);
