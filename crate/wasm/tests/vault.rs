//! Boundary round trips of the vault bindings, in node and (WASM_BINDGEN_USE_BROWSER=1) in
//! headless Chromium: values cross as plain JS objects and errors arrive as `VaultError`s with
//! a `code`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, Uint8Array};
use redship_wasm::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn rnd(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| seed.wrapping_add(i as u8).wrapping_mul(167).wrapping_add(13)).collect()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("json")
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).expect("field")
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o.into()
}

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).expect("stringify").as_string().unwrap_or_default()
}

fn error_code(e: &JsValue) -> (String, String) {
    let err: &js_sys::Error = e.unchecked_ref();
    (err.name().as_string().unwrap_or_default(), get(e, "code").as_string().unwrap_or_default())
}

#[wasm_bindgen_test]
fn records_round_trip_and_hide_contents() {
    let created = vault_create(&rnd(1, 120)).unwrap();
    let unlocked = get(&created, "unlocked");
    let session = vault_session_start(unlocked.clone(), &rnd(2, 8)).unwrap();
    let writes = json(
        r#"[{"key":"quota/小店/2026-11-21","value":{"v":1,"used":["P123456789012345"]}},{"key":"gone","value":null}]"#,
    );
    let sealed =
        vault_seal(obj(&[("session", session), ("writes", writes), ("nowMs", JsValue::from_f64(5.0))])).unwrap();
    let items = get(&sealed, "items");
    let text = stringify(&items);
    assert!(!text.contains("P1234") && !text.contains("小店") && !text.contains("quota"));
    assert_eq!(get(&get(&sealed, "session"), "nextCounter").as_f64(), Some(2.0));
    assert_eq!(js_sys::Array::from(&get(&sealed, "storageKeys")).length(), 2);

    let opened = vault_open(obj(&[
        ("dataKey", get(&unlocked, "dataKey")),
        ("entries", items),
        ("nowMs", JsValue::from_f64(6.0)),
    ]))
    .unwrap();
    let records: js_sys::Array = get(&opened, "records").unchecked_into();
    assert_eq!(records.length(), 1);
    let rec = records.get(0);
    assert_eq!(get(&rec, "key").as_string().as_deref(), Some("quota/小店/2026-11-21"));
    // The value comes back as it was written: the same JSON text, keys in their order.
    assert_eq!(stringify(&get(&rec, "value")), r#"{"v":1,"used":["P123456789012345"]}"#);
    assert_eq!(js_sys::Array::from(&get(&opened, "tombstones")).length(), 1);
}

#[wasm_bindgen_test]
fn passphrase_lock_and_wrong_passphrase() {
    let created = vault_create(&rnd(3, 120)).unwrap();
    let keys = get(&created, "keys");
    let unlocked = get(&created, "unlocked");
    let req = obj(&[
        ("keys", keys),
        ("dataKey", get(&unlocked, "dataKey")),
        ("passphrase", "open sesame!".into()),
        ("iterations", JsValue::from_f64(1000.0)),
    ]);
    let locked = vault_set_passphrase(req, &rnd(4, 28)).unwrap();
    let again = vault_unlock(obj(&[("keys", locked.clone()), ("passphrase", "open sesame!".into())])).unwrap();
    assert_eq!(get(&again, "dataKey").as_string(), get(&unlocked, "dataKey").as_string());
    let err = vault_unlock(obj(&[("keys", locked), ("passphrase", "open sesame?".into())])).unwrap_err();
    assert_eq!(error_code(&err), ("VaultError".into(), "WrongPassphrase".into()));
}

#[wasm_bindgen_test]
fn queue_and_backup_round_trip() {
    let created = vault_create(&rnd(5, 120)).unwrap();
    let keys = get(&created, "keys");
    let unlocked = get(&created, "unlocked");
    let q = vault_queue_seal(
        obj(&[("keys", keys.clone()), ("event", json(r#"{"packageId":"P999"}"#)), ("nowMs", JsValue::from_f64(1.0))]),
        &rnd(6, 60),
    )
    .unwrap();
    assert!(!stringify(&q).contains("P999"));
    let entries = obj(&[(&get(&q, "storageKey").as_string().unwrap_or_default(), get(&q, "envelope"))]);
    let opened = vault_queue_open(obj(&[
        ("keys", keys),
        ("dataKey", get(&unlocked, "dataKey")),
        ("entries", entries),
        ("nowMs", JsValue::from_f64(2.0)),
    ]))
    .unwrap();
    assert!(stringify(&get(&opened, "events")).contains(r#""event":{"packageId":"P999"}"#));

    let records = json(r#"[{"key":"quota/s/2026-11-21","writtenMs":3,"value":{"v":1}}]"#);
    let file = vault_backup_export(
        obj(&[
            ("records", records),
            ("passphrase", "backup pass".into()),
            ("iterations", JsValue::from_f64(1000.0)),
            ("nowMs", JsValue::from_f64(4.0)),
        ]),
        &rnd(7, 28),
    )
    .unwrap();
    let other = vault_create(&rnd(8, 120)).unwrap();
    let session = vault_session_start(get(&other, "unlocked"), &rnd(9, 8)).unwrap();
    let restore = |pass: &str| {
        vault_backup_restore(obj(&[
            ("session", session.clone()),
            ("text", file.clone().into()),
            ("passphrase", pass.into()),
            ("currentKeys", js_sys::Array::new().into()),
        ]))
    };
    assert_eq!(error_code(&restore("wrong pass!").unwrap_err()).1, "WrongPassphrase");
    let restored = restore("backup pass").unwrap();
    assert_eq!(get(&restored, "count").as_f64(), Some(1.0));
    let err = vault_backup_restore(obj(&[
        ("session", session),
        ("text", "not a backup".into()),
        ("passphrase", "x".into()),
        ("currentKeys", js_sys::Array::new().into()),
    ]))
    .unwrap_err();
    assert_eq!(error_code(&err).1, "BadBackup");
}

#[wasm_bindgen_test]
fn bad_random_and_bad_requests_are_named_errors() {
    assert_eq!(error_code(&vault_create(&[1, 2, 3]).unwrap_err()).1, "Randomness");
    let info = vault_info().unwrap();
    assert_eq!(get(&get(&info, "random"), "create").as_f64(), Some(120.0));
    let bad = vault_seal(JsValue::from_str("nope")).unwrap_err();
    let _ = Uint8Array::new_with_length(0);
    assert_eq!(error_code(&bad).0, "RequestError");
}

#[wasm_bindgen_test]
fn big_values_cross_in_slices_and_open_unchanged() {
    let created = vault_create(&rnd(9, 120)).unwrap();
    let unlocked = get(&created, "unlocked");
    let session = vault_session_start(unlocked.clone(), &rnd(4, 8)).unwrap();
    // Longer than several 32 K-unit slices, with surrogate pairs (😀) and CJK at every offset,
    // so some pairs straddle a slice boundary; insertion key order must survive too.
    let text: String = (0..70_000)
        .map(|i| match i % 7 {
            0 => '😀',
            1 => '备',
            _ => 'a',
        })
        .collect();
    let value = obj(&[("z", JsValue::from_str(&text)), ("a", JsValue::from_f64(1.5))]);
    let writes = js_sys::Array::of1(&obj(&[("key", "orders/店/snapshot".into()), ("value", value.clone())]));
    let sealed =
        vault_seal(obj(&[("session", session), ("writes", writes.into()), ("nowMs", JsValue::from_f64(5.0))])).unwrap();
    let opened = vault_open(obj(&[
        ("dataKey", get(&unlocked, "dataKey")),
        ("entries", get(&sealed, "items")),
        ("nowMs", JsValue::from_f64(6.0)),
    ]))
    .unwrap();
    let records: js_sys::Array = get(&opened, "records").unchecked_into();
    assert_eq!(records.length(), 1);
    let back = get(&records.get(0), "value");
    assert_eq!(get(&back, "z").as_string().as_deref(), Some(text.as_str()));
    assert_eq!(get(&back, "a").as_f64(), Some(1.5));
}
