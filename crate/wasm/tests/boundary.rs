//! The boundary itself: a DTO round trip and a core error arriving as a JS `Error` with its
//! stable `name`. Runs in node and, with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium.
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

#[wasm_bindgen_test]
fn big_requests_cross_a_slice_at_a_time() {
    // 6,000 rows with CJK text and emoji: well over the 256 K units from which `from_js` reads
    // the JSON text in slices, so slice edges fall inside multi-byte characters.
    let rows: Vec<String> = (0..6000u64)
        .map(|i| {
            format!(
                r#"{{"row":{i},"packageId":"P{:015}","courier":"中通快递😀{}","number":"7730{:08}"}}"#,
                100_000_000_000_000u64 + i,
                "备".repeat((i % 7) as usize),
                i
            )
        })
        .collect();
    let text = format!(r#"{{"rows":[{}],"knownOrders":{{}},"usedNumbers":[],"couriers":[]}}"#, rows.join(","));
    assert!(text.encode_utf16().count() > 256 * 1024);
    let req = js_sys::JSON::parse(&text).expect("json");
    let view = redship_wasm::ship_revalidate(req).expect("view");
    let counts = get(&view, "counts");
    assert_eq!(get(&counts, "total").as_f64(), Some(6000.0));
    // The preview comes by column: numbers as one text, a line per row; each row's courier cell
    // as written by its position in `written`.
    let rows = get(&view, "rows");
    let numbers = get(&rows, "number").as_string().expect("numbers");
    assert_eq!(numbers.lines().count(), 6000);
    assert_eq!(numbers.lines().nth(5999), Some("773000005999"));
    let at = Reflect::get_u32(&get(&rows, "written"), 5999).expect("written").as_f64().expect("position");
    let written = Reflect::get_u32(&get(&view, "written"), at as u32).expect("text");
    assert_eq!(written.as_string(), Some(format!("中通快递😀{}", "备".repeat(5999 % 7))));
}
