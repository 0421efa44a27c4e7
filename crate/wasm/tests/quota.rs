//! The quota bindings: a record-event round trip through plain JS objects, and errors arriving
//! as JS `Error`s named `QuotaError`. Runs in node and, with `WASM_BINDGEN_USE_BROWSER=1`, in
//! headless Chromium.
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// 2026-11-21 12:00 China time.
const NOON: f64 = 1_795_233_600_000.0;

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("get")
}

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("valid JSON")
}

fn event_request(ledgers: &JsValue, package_id: &str, at_ms: f64) -> JsValue {
    let req = parse(&format!(
        r#"{{"settings": null, "paidOrders": [], "nowMs": {at_ms},
            "event": {{"shop": "s1", "packageId": "{package_id}", "outcome": "success",
                       "tabId": 3, "atMs": {at_ms}}}}}"#
    ));
    Reflect::set(&req, &"ledgers".into(), ledgers).expect("set");
    req
}

/// Saves `changed` records into `ledgers` as the service worker does.
fn save(ledgers: &JsValue, update: &JsValue) {
    for rec in Array::from(&get(update, "changed")).iter() {
        Reflect::set(ledgers, &get(&rec, "key"), &get(&rec, "value")).expect("set");
    }
}

fn error_name(err: JsValue) -> (String, String) {
    let err: js_sys::Error = err.dyn_into().expect("a JS Error");
    (String::from(err.name()), String::from(err.message()))
}

#[wasm_bindgen_test]
fn decrypts_round_trip_through_stored_records() {
    let ledgers: JsValue = Object::new().into();
    let first = redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON)).expect("recorded");
    assert_eq!(get(&first, "outcome").as_string().as_deref(), Some("charged"));
    save(&ledgers, &first);
    let keys = redship_wasm::quota_ledger_keys("s1", NOON).expect("keys");
    assert!(keys.contains(&"quota/day/s1/2026-11-21".to_string()));
    let again = redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON + 1000.0))
        .expect("recorded");
    assert_eq!(get(&again, "outcome").as_string().as_deref(), Some("repeat"));
    let view = get(&again, "view");
    assert_eq!(get(&view, "used").as_f64(), Some(1.0));
    assert_eq!(get(&view, "remaining").as_f64(), Some(19.0));
    assert_eq!(get(&view, "limitSource").as_string().as_deref(), Some("default"));
    assert_eq!(get(&view, "resetAtMs").as_f64(), Some(1_795_276_800_000.0));
    let log = Array::from(&get(&view, "log"));
    assert_eq!(log.length(), 2);
    assert_eq!(get(&log.get(1), "charged").as_bool(), Some(false));
    assert_eq!(Array::from(&get(&view, "history")).length(), 7);
}

#[wasm_bindgen_test]
fn settings_default_and_validate() {
    let settings = redship_wasm::quota_default_settings().expect("defaults");
    assert_eq!(get(&settings, "warnPercent").as_f64(), Some(75.0));
    let back = redship_wasm::quota_validate_settings(settings.clone()).expect("valid");
    assert_eq!(get(&back, "criticalPercent").as_f64(), Some(90.0));
    Reflect::set(&settings, &"criticalPercent".into(), &50.into()).expect("set");
    let (name, message) = error_name(redship_wasm::quota_validate_settings(settings).expect_err("invalid"));
    assert_eq!(name, "QuotaError");
    assert!(message.contains("critical threshold 50%"), "{message}");
}

#[wasm_bindgen_test]
fn errors_arrive_named_quota_error() {
    let (name, message) =
        error_name(redship_wasm::quota_record_event(parse(r#"{"nowMs": "soon"}"#)).expect_err("bad shape"));
    assert_eq!(name, "QuotaError");
    assert!(message.starts_with("quota request"), "{message}");
    let ledgers: JsValue = Object::new().into();
    let req = event_request(&ledgers, "P1234567890123456", NOON);
    Reflect::set(&get(&req, "event"), &"outcome".into(), &"perhaps".into()).expect("set");
    let (name, message) = error_name(redship_wasm::quota_record_event(req).expect_err("bad outcome"));
    assert_eq!(name, "QuotaError");
    assert!(message.contains("`perhaps`"), "{message}");
}

#[wasm_bindgen_test]
fn a_corrupt_record_is_reported_and_reset_not_thrown() {
    let ledgers = parse(r#"{"quota/day/s1/2026-11-21": {"v": 9}}"#);
    let update = redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON))
        .expect("recorded despite the broken record");
    let problems = Array::from(&get(&update, "problems"));
    assert_eq!(problems.length(), 1);
    let problem = problems.get(0);
    assert_eq!(get(&problem, "record").as_string().as_deref(), Some("quota/day/s1/2026-11-21"));
    assert_eq!(get(&problem, "action").as_string().as_deref(), Some("reset"));
    assert_eq!(get(&get(&update, "view"), "used").as_f64(), Some(1.0));
    let checked = redship_wasm::quota_check_records(parse(r#"{"quota/settings": {"v": 1}}"#)).expect("checked");
    assert_eq!(Array::from(&checked).length(), 1);
}

#[wasm_bindgen_test]
fn page_decrypts_merge_with_the_request_and_silent_clicks_show_a_question_mark() {
    let ledgers: JsValue = Object::new().into();
    let page = |id: &str, at: f64| {
        let req = parse(&format!(
            r#"{{"nowMs": {at}, "pageEvent": {{"shop": "s1", "packageId": "{id}", "outcome": "success",
                 "tabId": 3, "atMs": {at}}}}}"#
        ));
        Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
        req
    };
    let first = redship_wasm::quota_record_page_decrypt(page("P1234567890123456", NOON)).expect("recorded");
    assert_eq!(get(&first, "outcome").as_string().as_deref(), Some("charged"));
    save(&ledgers, &first);
    // The request's answer of the same decrypt: merged, not counted again.
    let merged =
        redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON + 500.0)).expect("ok");
    save(&ledgers, &merged);
    let facts = get(&get(&merged, "view"), "pageFacts");
    assert_eq!(get(&get(&facts, "decrypts"), "both").as_f64(), Some(1.0));
    assert_eq!(get(&get(&merged, "view"), "used").as_f64(), Some(1.0));
    assert!(get(&facts, "decryptEndpoint").is_null());
    // A click that showed plain text, never recorded: `?`.
    let req = parse(&format!(
        r#"{{"nowMs": {}, "silent": {{"shop": "s1", "packageId": "P2234567890123456", "atMs": {}}}}}"#,
        NOON + 9000.0,
        NOON + 1000.0
    ));
    Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
    let silent = redship_wasm::quota_record_silent(req).expect("noted");
    assert_eq!(get(&get(&silent, "view"), "badge").as_string().as_deref(), Some("?"));
    assert_eq!(redship_wasm::quota_endpoint_key(" s1 "), "quota/endpoint/s1");
    let rules = redship_wasm::quota_page_rules().expect("rules");
    assert_eq!(Array::from(&get(&rules, "refusalTexts")).length(), 3);
    let (name, _) = error_name(redship_wasm::quota_record_silent(parse(r#"{"nowMs": 1}"#)).expect_err("no silent"));
    assert_eq!(name, "QuotaError");
}

#[wasm_bindgen_test]
fn list_help_answers_for_the_ids_asked_and_judges_what_the_list_found() {
    let ledgers: JsValue = Object::new().into();
    let first = redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON)).expect("recorded");
    save(&ledgers, &first);
    let req = parse(&format!(r#"{{"shop": "s1", "nowMs": {}}}"#, NOON + 1000.0));
    Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
    let ids = vec!["P9234567890123456".to_string(), "P1234567890123456".to_string()];
    let help = redship_wasm::quota_list_help(req, ids).expect("list help");
    let decrypted = Array::from(&get(&help, "decrypted"));
    assert_eq!(decrypted.length(), 1);
    assert_eq!(decrypted.get(0).as_string().as_deref(), Some("P1234567890123456"));
    assert_eq!(get(&help, "remaining").as_f64(), Some(19.0));
    assert_eq!((get(&help, "enabled").as_bool(), get(&help, "hintAt").as_f64()), (Some(true), Some(2.0)));
    let (name, _) = error_name(redship_wasm::quota_list_help(parse(r#"{"nowMs": 1}"#), vec![]).expect_err("no shop"));
    assert_eq!(name, "QuotaError");
    // The list's counts, judged: IDs shown but no row found → not drawn.
    let found = parse(&format!(
        r#"{{"enabled": true, "counts": {{"idsShown": 9, "rows": 0, "controls": 0, "masked": 0}}, "nowMs": {NOON}}}"#
    ));
    let seen = redship_wasm::selfcheck_list_help_seen(JsValue::NULL, found).expect("seen");
    assert_eq!((get(&seen, "draw").as_bool(), get(&seen, "changed").as_bool()), (Some(false), Some(true)));
    assert_eq!(get(&get(&seen, "record"), "matched").as_bool(), Some(false));
}

/// The ledgers cross as JSON text, the rest of the request through serde-wasm-bindgen: a
/// request without ledgers reads as none, ledgers of the wrong shape are a `QuotaError` naming
/// the request, and the caller's object keeps its ledgers.
#[wasm_bindgen_test]
fn ledgers_cross_as_text() {
    let req = parse(&format!(r#"{{"shop": "s1", "nowMs": {NOON}}}"#));
    let view = get(&redship_wasm::quota_dashboard(req).expect("dashboard"), "view");
    assert_eq!(get(&view, "used").as_f64(), Some(0.0));
    let ledgers: JsValue = Object::new().into();
    let update =
        redship_wasm::quota_record_event(event_request(&ledgers, "P1234567890123456", NOON)).expect("recorded");
    save(&ledgers, &update);
    let req = parse(&format!(r#"{{"shop": "s1", "nowMs": {NOON}}}"#));
    Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
    let view = get(&redship_wasm::quota_dashboard(req.clone()).expect("dashboard"), "view");
    assert_eq!(get(&view, "used").as_f64(), Some(1.0));
    assert!(get(&req, "ledgers").is_object());
    let bad = parse(&format!(r#"{{"shop": "s1", "nowMs": {NOON}, "ledgers": ["quota/day/s1/2026-11-21"]}}"#));
    let (name, message) = error_name(redship_wasm::quota_dashboard(bad).unwrap_err());
    assert_eq!(name, "QuotaError");
    assert!(message.starts_with("quota request: "), "{message}");
}

/// A shop named in Chinese (the replica's, and most real ones) crosses whole both ways: in the
/// ledger's key and record on the way in, in the view on the way out, which is a plain JS value
/// (an absent number as `null`, not `undefined`).
#[wasm_bindgen_test]
fn chinese_shop_names_cross_whole() {
    let shop = "小红薯的杂货铺";
    let ledgers: JsValue = Object::new().into();
    let req = parse(&format!(
        r#"{{"settings": null, "paidOrders": [], "nowMs": {NOON},
            "event": {{"shop": "{shop}", "packageId": "P1234567890123456", "outcome": "success",
                       "tabId": null, "atMs": {NOON}}}}}"#
    ));
    Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
    let update = redship_wasm::quota_record_event(req).expect("recorded");
    save(&ledgers, &update);
    let key = format!("quota/day/{shop}/2026-11-21");
    assert!(get(&ledgers, &key).is_object(), "the ledger is saved under its shop's name");
    let req = parse(&format!(r#"{{"shop": "{shop}", "nowMs": {}}}"#, NOON + 1000.0));
    Reflect::set(&req, &"ledgers".into(), &ledgers).expect("set");
    let view = get(&redship_wasm::quota_dashboard(req).expect("dashboard"), "view");
    assert_eq!(get(&view, "shop").as_string().as_deref(), Some(shop));
    assert_eq!(get(&view, "used").as_f64(), Some(1.0));
    assert!(get(&view, "pageShown").is_null(), "None is null");
    let row = Array::from(&get(&view, "log")).get(0);
    assert!(get(&row, "tabId").is_null());
    assert_eq!(get(&row, "via").as_string().as_deref(), Some("request"));
    assert!(get(&view, "forecast").is_object());
}
