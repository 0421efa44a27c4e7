//! Boundary round trips of the vault bindings, in node and (WASM_BINDGEN_USE_BROWSER=1) in
//! headless Chromium: values cross as plain JS objects, errors arrive as `VaultError`s with a
//! `code`, and the unlocked key never reaches JS (only the once-handed restart token holds it).
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use redship_core::vault::codec::b64_encode;
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

/// A device-mode vault made from `rnd(seed, 120)`: its data key is the first 32 of those bytes.
fn device_vault(seed: u8) -> (JsValue, VaultSession) {
    let created = vault_create(&rnd(seed, 120)).unwrap();
    let keys = get(&created, "keys");
    let session =
        VaultSession::unlock(obj(&[("keys", keys.clone()), ("device", get(&created, "device"))]), &rnd(seed, 8));
    (keys, session.unwrap())
}

/// The data key of `device_vault(seed)` in the forms JS could hold it: base64url, base64, hex.
fn key_forms(seed: u8) -> Vec<String> {
    let key = &rnd(seed, 120)[..32];
    let b64url = b64_encode(key);
    let b64 = b64url.replace('-', "+").replace('_', "/");
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    vec![b64url, b64, hex]
}

fn holds_key(text: &str, seed: u8) -> bool {
    key_forms(seed).iter().any(|k| text.contains(k.as_str()))
}

/// Calls `obj[name](...args)` as JS would.
fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(obj, name).dyn_into().expect("a method");
    f.apply(obj, &args.iter().collect::<Array>())
}

#[wasm_bindgen_test]
fn records_round_trip_and_hide_contents() {
    let (_keys, session) = device_vault(1);
    let writes = json(
        r#"[{"key":"quota/小店/2026-11-21","value":{"v":1,"used":["P123456789012345"]}},{"key":"gone","value":null}]"#,
    );
    let sealed = session.seal(obj(&[("writes", writes), ("nowMs", JsValue::from_f64(5.0))])).unwrap();
    let items = get(&sealed, "items");
    let text = stringify(&items);
    assert!(!text.contains("P1234") && !text.contains("小店") && !text.contains("quota"));
    assert!(get(&sealed, "session").is_undefined(), "no nonce state crosses");
    assert_eq!(js_sys::Array::from(&get(&sealed, "storageKeys")).length(), 2);

    let opened = session.opener().open(obj(&[("entries", items), ("nowMs", JsValue::from_f64(6.0))])).unwrap();
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
    let (keys, session) = device_vault(3);
    let req = obj(&[("keys", keys), ("passphrase", "open sesame!".into()), ("iterations", JsValue::from_f64(1000.0))]);
    let locked = session.set_passphrase(req, &rnd(4, 28)).unwrap();
    let unlock =
        |pass: &str| VaultSession::unlock(obj(&[("keys", locked.clone()), ("passphrase", pass.into())]), &rnd(5, 8));
    let again = unlock("open sesame!").unwrap();
    assert_eq!(again.key_id().unwrap(), session.key_id().unwrap());
    let err = unlock("open sesame?").err().unwrap();
    assert_eq!(error_code(&err), ("VaultError".into(), "WrongPassphrase".into()));
    let nothing = VaultSession::unlock(obj(&[("keys", locked.clone())]), &rnd(5, 8)).err().unwrap();
    assert_eq!(error_code(&nothing).1, "Locked");
    // The token the unlock handed out resumes the same key after a worker restart.
    let token = again.take_restart_token().unwrap();
    let resumed = VaultSession::unlock(obj(&[("keys", locked), ("token", token)]), &rnd(6, 8)).unwrap();
    assert_eq!(resumed.key_id().unwrap(), session.key_id().unwrap());
}

#[wasm_bindgen_test]
fn queue_and_backup_round_trip() {
    let (keys, session) = device_vault(5);
    let q = vault_queue_seal(
        obj(&[("keys", keys.clone()), ("event", json(r#"{"packageId":"P999"}"#)), ("nowMs", JsValue::from_f64(1.0))]),
        &rnd(6, 60),
    )
    .unwrap();
    assert!(!stringify(&q).contains("P999"));
    let entries = obj(&[(&get(&q, "storageKey").as_string().unwrap_or_default(), get(&q, "envelope"))]);
    let opened =
        session.queue_open(obj(&[("keys", keys), ("entries", entries), ("nowMs", JsValue::from_f64(2.0))])).unwrap();
    assert!(stringify(&get(&opened, "events")).contains(r#""event":{"packageId":"P999"}"#));

    // The backup file is written and opened by the office module (crate/office's tests cross
    // those calls); here the core opens one, and the session seals what it holds.
    let records = [redship_core::vault::backup::BackupRecord {
        key: "quota/s/2026-11-21".into(),
        written_ms: 3,
        value: serde_json::json!({"v": 1}),
    }];
    let file = redship_core::vault::backup::export_backup(&records, "backup pass", 1000, &rnd(7, 28), 4)
        .expect("backup written");
    let contents = redship_core::vault::backup::import_backup(&file, "backup pass").expect("opened");
    let contents = json(&serde_json::to_string(&contents).expect("contents"));
    let (_other_keys, other) = device_vault(8);
    let current = js_sys::Array::of1(&"settings".into());
    let restored = other.restore(obj(&[("contents", contents), ("currentKeys", current.into())])).unwrap();
    assert_eq!(get(&restored, "count").as_f64(), Some(1.0));
    assert_eq!(get(&restored, "createdMs").as_f64(), Some(4.0));
    // The backup's record and a tombstone for the key it lacks, sealed: no plaintext in them.
    let items = stringify(&get(&restored, "items"));
    assert_eq!(js_sys::Object::keys(&get(&restored, "items").into()).length(), 2, "{items}");
    assert!(!items.contains("quota/s/2026-11-21"), "{items}");
    let bad = other.restore(obj(&[("contents", json("5")), ("currentKeys", js_sys::Array::new().into())]));
    assert_eq!(error_code(&bad.unwrap_err()).0, "RequestError");
}

#[wasm_bindgen_test]
fn bad_random_and_bad_requests_are_named_errors() {
    assert_eq!(error_code(&vault_create(&[1, 2, 3]).unwrap_err()).1, "Randomness");
    let info = vault_info().unwrap();
    assert_eq!(get(&get(&info, "random"), "create").as_f64(), Some(120.0));
    let (_keys, session) = device_vault(2);
    let bad = session.seal(JsValue::from_str("nope")).unwrap_err();
    let _ = Uint8Array::new_with_length(0);
    assert_eq!(error_code(&bad).0, "RequestError");
    let created = vault_create(&rnd(2, 120)).unwrap();
    let short =
        VaultSession::unlock(obj(&[("keys", get(&created, "keys")), ("device", get(&created, "device"))]), &[1]);
    assert_eq!(error_code(&short.err().unwrap()).1, "Randomness");
}

/// Everything JS can reach of an unlocked session — the handle's own properties and methods,
/// its JSON form, what sealing, opening, naming and the passphrase calls return, and the errors
/// after lock — holds the key in no form; only the restart token does, and only once.
#[wasm_bindgen_test]
fn the_key_is_not_readable_from_js() {
    let seed = 21;
    let (keys, session) = device_vault(seed);
    let js: JsValue = session.into();
    // No method or property on the handle gives the key.
    let proto = Object::get_prototype_of(&js);
    let names: Vec<String> = Object::get_own_property_names(&proto).iter().filter_map(|n| n.as_string()).collect();
    for expected in ["seal", "opener", "lock", "keyId", "takeRestartToken"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    for name in &names {
        let lower = name.to_lowercase();
        assert!(name == "keyId" || !(lower.contains("key") || lower.contains("secret")), "{name} in {names:?}");
    }
    let own: Vec<String> = Object::keys(js.unchecked_ref::<Object>()).iter().filter_map(|n| n.as_string()).collect();
    assert_eq!(own, vec!["__wbg_ptr".to_string()], "the handle is a pointer, nothing more");

    let mut seen = vec![stringify(&js), format!("{:?}", js)];
    seen.push(call(&js, "keyId", &[]).unwrap().as_string().unwrap());
    seen.push(stringify(&call(&js, "takeRestartToken", &[]).unwrap()));
    let writes = json(r#"[{"key":"settings","value":{"v":1}},{"key":"orders/店/snapshot","value":[1,2,3]}]"#);
    let sealed = call(&js, "seal", &[obj(&[("writes", writes), ("nowMs", JsValue::from_f64(1.0))])]).unwrap();
    seen.push(stringify(&sealed));
    let opener = call(&js, "opener", &[]).unwrap();
    seen.push(stringify(&opener));
    let open_req = obj(&[("entries", get(&sealed, "items")), ("nowMs", JsValue::from_f64(2.0))]);
    let opened = call(&opener, "open", std::slice::from_ref(&open_req)).unwrap();
    assert_eq!(Array::from(&get(&opened, "records")).length(), 2);
    seen.push(stringify(&opened));
    seen.push(stringify(&call(&opener, "storageKeys", &[json(r#"["settings"]"#)]).unwrap()));
    let pass =
        obj(&[("keys", keys), ("passphrase", "a long passphrase".into()), ("iterations", JsValue::from_f64(1000.0))]);
    seen.push(stringify(&call(&js, "setPassphrase", &[pass, Uint8Array::from(&rnd(3, 28)[..]).into()]).unwrap()));
    for text in &seen {
        assert!(!holds_key(text, seed), "the key crossed into JS: {text}");
    }

    // The one exception: the token for chrome.storage.session, handed out once after the
    // passphrase was set (and it is the key, so the check above can see a key when one crosses).
    let token = stringify(&call(&js, "takeRestartToken", &[]).unwrap());
    assert!(holds_key(&token, seed), "{token}");
    assert_eq!(call(&js, "takeRestartToken", &[]).unwrap(), JsValue::NULL);

    // After lock the handle and its opener refuse, and say so without the key.
    call(&js, "lock", &[]).unwrap();
    for err in [
        call(&js, "seal", &[obj(&[("writes", json("[]")), ("nowMs", JsValue::from_f64(3.0))])]),
        call(&opener, "open", &[open_req]),
        call(&js, "takeRestartToken", &[]),
    ] {
        let err = err.unwrap_err();
        assert_eq!(error_code(&err), ("VaultError".into(), "Locked".into()));
        assert!(!holds_key(&format!("{:?}", err), seed));
    }
}

#[wasm_bindgen_test]
fn big_values_cross_in_slices_and_open_unchanged() {
    let (_keys, session) = device_vault(9);
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
    let sealed = session.seal(obj(&[("writes", writes.into()), ("nowMs", JsValue::from_f64(5.0))])).unwrap();
    let opened =
        session.opener().open(obj(&[("entries", get(&sealed, "items")), ("nowMs", JsValue::from_f64(6.0))])).unwrap();
    let records: js_sys::Array = get(&opened, "records").unchecked_into();
    assert_eq!(records.length(), 1);
    let back = get(&records.get(0), "value");
    assert_eq!(get(&back, "z").as_string().as_deref(), Some(text.as_str()));
    assert_eq!(get(&back, "a").as_f64(), Some(1.5));
}
