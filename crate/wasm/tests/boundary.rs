//! The boundary itself: a DTO round trip and a core error arriving as a JS `Error` with its
//! stable `name`. Runs in node and, with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium.
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn request(now_ms: f64) -> JsValue {
    let obj = Object::new();
    Reflect::set(&obj, &"nowMs".into(), &now_ms.into()).expect("set");
    obj.into()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("get")
}

#[wasm_bindgen_test]
fn init_is_idempotent_and_version_is_reported() {
    // Whatever ran first in this module instance set it up; no later call does it again.
    redship_wasm::init();
    assert!(!redship_wasm::init(), "a second init sets nothing up again");
    assert_eq!(redship_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn china_day_round_trips_as_a_plain_object() {
    // 2026-11-21 23:59:59 China time.
    let view = redship_wasm::china_day(request(1_795_276_799_000.0)).expect("view");
    assert!(view.is_object());
    assert_eq!(get(&view, "day").as_string().as_deref(), Some("2026-11-21"));
    assert_eq!(get(&view, "msUntilReset").as_f64(), Some(1_000.0));
    assert_eq!(get(&view, "resetAtMs").as_f64(), Some(1_795_276_800_000.0));
}

#[wasm_bindgen_test]
fn core_error_arrives_as_named_js_error() {
    let err = redship_wasm::china_day(request(12.0)).expect_err("broken clock");
    let err: js_sys::Error = err.dyn_into().expect("a JS Error");
    assert_eq!(String::from(err.name()), "ClockError");
    assert!(String::from(err.message()).contains("outside 2000"));
}

#[wasm_bindgen_test]
fn malformed_request_is_a_request_error() {
    let err = redship_wasm::china_day(JsValue::from_str("not an object")).expect_err("bad shape");
    let err: js_sys::Error = err.dyn_into().expect("a JS Error");
    assert_eq!(String::from(err.name()), "RequestError");
}
