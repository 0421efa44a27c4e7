//! Tests of sealing and opening records.

use super::*;
use serde_json::json;
use std::collections::HashSet;

fn session() -> Session {
    Session::new(DataKey::from_bytes([5; 32]), [7; PREFIX_LEN])
}

#[test]
fn round_trip_value_null_and_tombstone() {
    let mut s = session();
    let value = json!({"v": 1, "packageId": "P123456789012345", "名字": "张三"});
    let (k, env) = s.seal("ledger/shop/2026-11-21", Some(&value), 42).unwrap();
    let raw = serde_json::to_value(&env).unwrap();
    let opened = open(s.key(), &k, &raw).unwrap();
    assert_eq!(opened, Opened { logical_key: "ledger/shop/2026-11-21".into(), written_ms: 42, value: Some(value) });
    let text = raw.to_string();
    assert!(!text.contains("P1234") && !text.contains("ledger") && !text.contains("张三"));

    let (k2, env2) = s.seal("settings", Some(&Value::Null), 1).unwrap();
    assert_eq!(open(s.key(), &k2, &serde_json::to_value(env2).unwrap()).unwrap().value, Some(Value::Null));
    let (k3, env3) = s.seal("settings", None, 2).unwrap();
    assert_eq!(open(s.key(), &k3, &serde_json::to_value(env3).unwrap()).unwrap().value, None);
}

#[test]
fn moved_record_fails_to_open() {
    let mut s = session();
    let (_ka, env_a) = s.seal("a", Some(&json!(1)), 0).unwrap();
    let (kb, _env_b) = s.seal("b", Some(&json!(2)), 0).unwrap();
    let raw = serde_json::to_value(env_a).unwrap();
    assert!(matches!(open(s.key(), &kb, &raw), Err(VaultError::Damaged { .. })));
}

#[test]
fn wrong_key_fails_to_open() {
    let mut s = session();
    let (k, env) = s.seal("a", Some(&json!(1)), 0).unwrap();
    let other = DataKey::from_bytes([6; 32]);
    assert!(open(&other, &k, &serde_json::to_value(env).unwrap()).is_err());
}

#[test]
fn flipping_any_byte_is_detected() {
    let mut s = session();
    let (k, env) = s.seal("journal/run-1", Some(&json!({"rows": [1, 2, 3], "note": "备注"})), 9).unwrap();
    // Every byte of the stored JSON text, flipped in several bit positions.
    let text = serde_json::to_string(&env).unwrap().into_bytes();
    for i in 0..text.len() {
        for mask in [0x01u8, 0x02, 0x20, 0x40] {
            let mut t = text.clone();
            t[i] ^= mask;
            let Ok(raw) = serde_json::from_slice::<Value>(&t) else { continue };
            assert!(open(s.key(), &k, &raw).is_err(), "byte {i} mask {mask:#x} went undetected");
        }
    }
    // Every byte of the decoded nonce and ciphertext, every bit.
    for field in ["n", "c"] {
        let raw_bytes = b64_decode(if field == "n" { &env.n } else { &env.c }).unwrap();
        for i in 0..raw_bytes.len() {
            for bit in 0..8 {
                let mut b = raw_bytes.clone();
                b[i] ^= 1 << bit;
                let mut e = env.clone();
                if field == "n" {
                    e.n = b64_encode(&b)
                } else {
                    e.c = b64_encode(&b)
                }
                assert!(open(s.key(), &k, &serde_json::to_value(e).unwrap()).is_err());
            }
        }
    }
}

#[test]
fn unknown_version_is_reported() {
    let mut s = session();
    let (k, mut env) = s.seal("a", Some(&json!(1)), 0).unwrap();
    env.v = 3;
    assert_eq!(
        open(s.key(), &k, &serde_json::to_value(&env).unwrap()).unwrap_err(),
        VaultError::UnknownVersion { key: k.clone(), found: 3 }
    );
    let future = json!({"v": 7, "k": "x", "n": "y", "c": "z", "extra": true});
    assert_eq!(open(s.key(), &k, &future).unwrap_err(), VaultError::UnknownVersion { key: k.clone(), found: 7 });
    assert!(matches!(open(s.key(), &k, &json!("not an envelope")), Err(VaultError::Damaged { .. })));
}

/// The acceptance test: 1,000,000 real seals through one session, no nonce repeats.
#[test]
fn one_million_encryptions_never_repeat_a_nonce() {
    let mut s = session();
    let value = json!(1);
    let mut seen = HashSet::with_capacity(1_000_000);
    for i in 0..1_000_000u32 {
        let (_, env) = s.seal("n", Some(&value), i64::from(i)).unwrap();
        assert!(seen.insert(env.n), "nonce repeated at encryption {i}");
    }
}

/// Across sessions, prefixes from a real-shaped random source keep nonces apart too.
#[test]
fn fresh_sessions_start_fresh_prefixes() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut seen = HashSet::new();
    for _ in 0..2000 {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let mut s = Session::new(DataKey::from_bytes([5; 32]), (z ^ (z >> 31)).to_be_bytes());
        for _ in 0..50 {
            let (_, env) = s.seal("n", Some(&json!(0)), 0).unwrap();
            assert!(seen.insert(env.n));
        }
    }
}
