//! Tests of sealing and opening records.

use super::*;
use crate::vault::plaintext::Plaintext;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashSet;

fn key() -> DataKey {
    DataKey::from_bytes([5; 32])
}

fn session() -> Sealer {
    Sealer::new(&key(), [7; PREFIX_LEN])
}

#[test]
fn round_trip_value_null_and_tombstone() {
    let mut s = session();
    let value = json!({"v": 1, "packageId": "P123456789012345", "名字": "张三"});
    let (k, env) = s.seal("ledger/shop/2026-11-21", Some(&value), 42).unwrap();
    let raw = serde_json::to_value(&env).unwrap();
    let opened = open(&key(), &k, &raw).unwrap();
    assert_eq!(opened, Opened { logical_key: "ledger/shop/2026-11-21".into(), written_ms: 42, value: Some(value) });
    let text = raw.to_string();
    assert!(!text.contains("P1234") && !text.contains("ledger") && !text.contains("张三"));

    let (k2, env2) = s.seal("settings", Some(&Value::Null), 1).unwrap();
    assert_eq!(open(&key(), &k2, &serde_json::to_value(env2).unwrap()).unwrap().value, Some(Value::Null));
    let (k3, env3) = s.seal("settings", None, 2).unwrap();
    assert_eq!(open(&key(), &k3, &serde_json::to_value(env3).unwrap()).unwrap().value, None);
}

#[test]
fn moved_record_fails_to_open() {
    let mut s = session();
    let (_ka, env_a) = s.seal("a", Some(&json!(1)), 0).unwrap();
    let (kb, _env_b) = s.seal("b", Some(&json!(2)), 0).unwrap();
    let raw = serde_json::to_value(env_a).unwrap();
    assert!(matches!(open(&key(), &kb, &raw), Err(VaultError::Damaged { .. })));
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
            assert!(open(&key(), &k, &raw).is_err(), "byte {i} mask {mask:#x} went undetected");
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
                assert!(open(&key(), &k, &serde_json::to_value(e).unwrap()).is_err());
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
        open(&key(), &k, &serde_json::to_value(&env).unwrap()).unwrap_err(),
        VaultError::UnknownVersion { key: k.clone(), found: 3 }
    );
    let future = json!({"v": 7, "k": "x", "n": "y", "c": "z", "extra": true});
    assert_eq!(open(&key(), &k, &future).unwrap_err(), VaultError::UnknownVersion { key: k.clone(), found: 7 });
    assert!(matches!(open(&key(), &k, &json!("not an envelope")), Err(VaultError::Damaged { .. })));
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
        let mut s = Sealer::new(&key(), (z ^ (z >> 31)).to_be_bytes());
        for _ in 0..50 {
            let (_, env) = s.seal("n", Some(&json!(0)), 0).unwrap();
            assert!(seen.insert(env.n));
        }
    }
}

/// The payload exactly as records were written before values crossed as JSON text (a `Value`
/// tree serialized by serde): kept here to prove the formats are one.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OldPayload {
    k: String,
    t: i64,
    #[serde(default)]
    d: Value,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    gone: bool,
}

/// Seals the way the old `Session::seal` did: `Value` payload → `to_vec` → AES-GCM.
fn seal_old_way(s: &mut Sealer, logical: &str, value: Option<&Value>, now_ms: i64) -> (String, Value) {
    let skey = s.storage_key(logical).unwrap();
    let payload =
        OldPayload { k: logical.into(), t: now_ms, d: value.cloned().unwrap_or(Value::Null), gone: value.is_none() };
    let nonce = s.nonces.take().unwrap();
    let ct = s.opener.cipher.seal(&nonce, &record_aad(&skey, SCHEMA_VERSION), &serde_json::to_vec(&payload).unwrap());
    let env = Envelope { v: SCHEMA_VERSION, k: s.opener.key_id.clone(), n: b64_encode(&nonce), c: b64_encode(&ct) };
    (skey, serde_json::to_value(env).unwrap())
}

/// Opens the way the old `Session::open` did, into the old payload.
fn open_old_way(s: &Sealer, skey: &str, env: &Envelope) -> OldPayload {
    let nonce: [u8; NONCE_LEN] = b64_array(&env.n).unwrap();
    let plain = s.opener.cipher.open(&nonce, &record_aad(skey, env.v), &b64_decode(&env.c).unwrap()).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

fn sealed_from_text(s: &mut Sealer, logical: &str, text: Option<&str>, now_ms: i64) -> (String, Envelope) {
    let mut plain = Plaintext::new(logical, now_ms, text.map(str::len)).unwrap();
    if let Some(t) = text {
        // In two pieces, as the wasm binding pushes a big value slice by slice.
        let cut = t.len() / 2;
        plain.push(&t.as_bytes()[..cut]);
        plain.push(&t.as_bytes()[cut..]);
    }
    let (k, b) = s.seal_text(plain).unwrap();
    // Base64 in pieces of a multiple of 3 bytes, as the binding streams it out.
    let c: String = b.ct.chunks(3 * 5).map(b64_encode).collect();
    assert_eq!(c, b64_encode(&b.ct));
    (k, Envelope { v: b.v, k: b.k, n: b.n, c })
}

#[test]
fn records_sealed_the_old_way_open_as_text_and_as_values() {
    let mut s = session();
    let value = json!({"v": 1, "rows": [1, 2.5, -3], "名字": "张\"三\"", "nested": {"b": null, "a": true}});
    let (k, raw) = seal_old_way(&mut s, "orders/小店/snapshot", Some(&value), 7);
    assert_eq!(open(&key(), &k, &raw).unwrap().value, Some(value.clone()));
    let env: Envelope = serde_json::from_value(raw).unwrap();
    let b = SealedBytes { v: env.v, k: env.k, n: env.n, ct: b64_decode(&env.c).unwrap() };
    let text = s.opener().open_text(&k, b).unwrap();
    assert_eq!((text.logical_key.as_str(), text.written_ms, text.gone), ("orders/小店/snapshot", 7, false));
    assert_eq!(serde_json::from_str::<Value>(text.value_json().unwrap()).unwrap(), value);

    let (k, raw) = seal_old_way(&mut s, "gone/one", None, 8);
    assert_eq!(open(&key(), &k, &raw).unwrap().value, None);
    let env: Envelope = serde_json::from_value(raw).unwrap();
    let b = SealedBytes { v: env.v, k: env.k, n: env.n, ct: b64_decode(&env.c).unwrap() };
    assert_eq!(s.opener().open_text(&k, b).unwrap().value_json(), None);
}

#[test]
fn records_sealed_from_text_open_the_old_way_and_keep_their_text() {
    let mut s = session();
    // Key order and number spelling are the caller's (JSON.stringify's), not a re-serialization.
    let text = r#"{"z":1,"a":[1e3,"备注 \u0001"],"m":{"y":null,"x":false}}"#;
    let (k, env) = sealed_from_text(&mut s, "ship/run/1", Some(text), 9);
    let old = open_old_way(&s, &k, &env);
    assert_eq!((old.k.as_str(), old.t, old.gone), ("ship/run/1", 9, false));
    assert_eq!(old.d, serde_json::from_str::<Value>(text).unwrap());
    let b = SealedBytes { v: env.v, k: env.k.clone(), n: env.n.clone(), ct: b64_decode(&env.c).unwrap() };
    assert_eq!(s.opener().open_text(&k, b).unwrap().value_json(), Some(text));

    let (k, env) = sealed_from_text(&mut s, "ship/run/2", None, 10);
    let old = open_old_way(&s, &k, &env);
    assert!(old.gone && old.d.is_null());
    assert_eq!(open(&key(), &k, &serde_json::to_value(&env).unwrap()).unwrap().value, None);

    let (k, env) = sealed_from_text(&mut s, "settings", Some("null"), 11);
    assert_eq!(open(&key(), &k, &serde_json::to_value(&env).unwrap()).unwrap().value, Some(Value::Null));
    // The same value sealed through `seal` and through text is the same plaintext.
    assert_eq!(
        Plaintext::of_value("a", 1, Some(&json!({"b": [1, "c"]}))).unwrap().finish().unwrap(),
        br#"{"k":"a","t":1,"d":{"b":[1,"c"]}}"#.to_vec()
    );
}

#[test]
fn text_that_is_not_one_json_value_or_not_its_length_is_refused_without_spending_a_nonce() {
    let mut s = session();
    for (announced, pushed) in [(5, "{\"a\":"), (3, "1 2"), (0, ""), (4, "tru"), (3, "123 ")] {
        let mut plain = Plaintext::new("k", 1, Some(announced)).unwrap();
        plain.push(pushed.as_bytes());
        let err = s.seal_text(plain).unwrap_err();
        assert_eq!(err.code(), "BadInput", "{pushed:?}");
    }
    assert_eq!(s.nonces().next_counter(), 0);
}
