//! Fuzzes stored-envelope decoding with a fixed key: whatever JSON sits under a storage key
//! (corrupt, swapped, truncated, from another version) must open to a typed `VaultError`,
//! never a panic. A record sealed here and then altered in any byte must never open to a
//! different value than was sealed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::vault::quarantine::{list_quarantine, scan};
use redship_core::vault::record::open;
use redship_core::vault::{DataKey, Opener, Sealer};
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let key = DataKey::from_bytes([7u8; 32]);
    // 1. Any JSON under any storage key.
    if let Ok(raw) = serde_json::from_slice::<Value>(data) {
        let _ = open(&key, "r.fuzz", &raw);
        let opener = Opener::new(&key);
        let mut entries = vec![("r.fuzz".to_string(), raw.clone())];
        if let Some(obj) = raw.as_object() {
            entries.extend(obj.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let found = scan(&opener, &entries, 0);
        let quarantined: Vec<(String, Value)> =
            found.quarantine.iter().filter_map(|(k, r)| serde_json::to_value(r).ok().map(|v| (k.clone(), v))).collect();
        let _ = list_quarantine(&quarantined);
        let _ = list_quarantine(&entries);
    }
    // 2. A genuine record with its envelope text mutated by the input.
    let mut session = Sealer::new(&key, [2u8; 8]);
    let value = json!({"v": 1, "used": 3, "note": "张**"});
    let Ok((skey, env)) = session.seal("quota/shop/2026-11-21", Some(&value), 1) else { return };
    let mut text = serde_json::to_string(&env).expect("envelope serialises").into_bytes();
    if text.is_empty() || data.is_empty() {
        return;
    }
    for (i, b) in data.iter().enumerate().take(8) {
        let at = (usize::from(*b) * 31 + i * 7) % text.len();
        text[at] ^= data[(i + 1) % data.len()] | 1;
    }
    if let Ok(raw) = serde_json::from_slice::<Value>(&text) {
        if let Ok(opened) = open(&key, &skey, &raw) {
            // Base64 may have slack bits, JSON may have whitespace: only the meaning must hold.
            assert_eq!(opened.value.as_ref(), Some(&value), "an altered envelope opened to other data");
            assert_eq!(opened.logical_key, "quota/shop/2026-11-21");
        }
    }
});
