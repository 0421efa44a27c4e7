//! The transit bindings in wasm: ingest → view → plan → CSV export (XLSX: crate/office/tests).
//! Runs in node and, with `WASM_BINDGEN_USE_BROWSER=1`, in Chromium.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: f64 = 1_795_233_600_000.0;

/// The site profile RedShip ships, as the worker builds it.
fn site() -> redship_wasm::SiteProfile {
    redship_wasm::SiteProfile::new(include_str!("../../../extension/site-profile.json")).expect("the shipped profile")
}

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("valid JSON")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).expect("get")
}

fn package(n: u32, plain: bool) -> String {
    let user = if plain {
        r#"{"receiver":"张三丰","phone":"13812345678","address":"广东省深圳市南山区科技园路1号","buyerRemark":"电话13912345678"}"#
    } else {
        r#"{"receiver":"张**","phone":"138****1234","address":"广东省深圳市南山区****","buyerRemark":""}"#
    };
    format!(
        r#"{{"packageId":"P2026112100000{n:03}","orderId":"O{n}","paidAt":{paid},"status":4,"statusDesc":"待发货",
            "userInfo":{user},"skus":[{{"skuId":"S{n}","name":"=杯子","spec":"白","quantity":2}}]}}"#,
        paid = NOW as i64 - i64::from(n) * 1000
    )
}

fn ingest_two() -> JsValue {
    let answer = format!(
        r#"{{"code":0,"success":true,"msg":"","data":{{"total":2,"packages":[{},{}]}}}}"#,
        package(1, false),
        package(2, true)
    );
    let req = js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW},"answer":{answer}}}"#));
    let out = redship_wasm::orders_ingest(&site(), JsValue::NULL, req).expect("ingest");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    get(&out, "snapshot")
}

#[wasm_bindgen_test]
fn a_profile_that_cannot_be_read_is_a_profile_error() {
    let err: js_sys::Error = redship_wasm::SiteProfile::new("{}").err().expect("refused").dyn_into().expect("Error");
    assert_eq!(String::from(err.name()), "ProfileError");
    assert_eq!(site().version(), 2);
}

#[wasm_bindgen_test]
fn answer_text_is_collected_and_summarised() {
    let answer = format!(
        r#"{{"code":0,"success":true,"msg":"","data":{{"total":7,"packages":[{},{}]}}}}"#,
        package(1, false),
        package(2, true)
    );
    let req = js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW},"kind":"orderPage","text":{}}}"#, quoted(&answer)));
    let out = redship_wasm::orders_ingest(&site(), JsValue::NULL, req).expect("ingest");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    let summary = get(&out, "summary");
    assert_eq!(get(&summary, "total").as_f64(), Some(7.0));
    let text = String::from(JSON::stringify(&summary).expect("json"));
    assert_eq!(
        text,
        r#"{"total":7,"packages":[{"packageId":"P2026112100000001","status":4,"state":"waiting"},{"packageId":"P2026112100000002","status":4,"state":"waiting"}],"waitingOnly":false}"#
    );
    let stored = String::from(JSON::stringify(&get(&out, "snapshot")).expect("json"));
    assert!(!stored.contains("13812345678") && !stored.contains("张三丰"), "{stored}");
    // The same answer again: nothing changed, so no snapshot comes back to be saved.
    let same = js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW},"kind":"orderPage","text":{}}}"#, quoted(&answer)));
    let again = redship_wasm::orders_ingest(&site(), get(&out, "snapshot"), same).expect("again");
    assert!(get(&again, "snapshot").is_null());
    assert_eq!(get(&get(&again, "view"), "changed").as_bool(), Some(false));
    assert_eq!(get(&get(&again, "view"), "updated").as_f64(), Some(2.0));
    assert_eq!(get(&get(&out, "view"), "changed").as_bool(), Some(true));
    // Nothing to collect: the snapshot is not read (a bad one would throw) and nothing comes back.
    let refused = js(&format!(
        r#"{{"shopId":"shop1","nowMs":{NOW},"kind":"orderPage","text":{}}}"#,
        quoted(r#"{"success":false,"msg":"系统繁忙"}"#)
    ));
    let out = redship_wasm::orders_ingest(&site(), js(r#"{"broken":true}"#), refused).expect("nothing to collect");
    assert!(get(&out, "snapshot").is_null() && get(&out, "view").is_null() && get(&out, "summary").is_undefined());
    // Gathered detail answers, read as one; the snapshot comes back with both.
    let texts = format!(
        r#"[{},{}]"#,
        quoted(&format!(r#"{{"success":true,"data":{}}}"#, package(4, false))),
        quoted(&format!(r#"{{"success":true,"data":{}}}"#, package(5, false)))
    );
    let req = js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW},"kind":"orderDetail","texts":{texts}}}"#));
    let out = redship_wasm::orders_ingest(&site(), JsValue::NULL, req).expect("details");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    assert_eq!(get(&get(&out, "summary"), "packages").dyn_into::<js_sys::Array>().expect("array").length(), 2);
    // The summary alone (the vault is locked): the same IDs and statuses, or null.
    let detail = format!(r#"{{"success":true,"data":{}}}"#, package(3, true));
    let only =
        redship_wasm::orders_summary(&site(), js(&format!(r#"{{"kind":"orderDetail","text":{}}}"#, quoted(&detail))))
            .expect("summary");
    assert_eq!(
        String::from(JSON::stringify(&only).expect("json")),
        r#"{"total":null,"packages":[{"packageId":"P2026112100000003","status":4,"state":"waiting"}],"waitingOnly":false}"#
    );
    assert!(redship_wasm::orders_summary(&site(), js(r#"{"kind":"orderDetail","text":"<html>"}"#))
        .expect("summary")
        .is_null());
    let err: js_sys::Error = redship_wasm::orders_ingest(
        &site(),
        JsValue::NULL,
        js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW},"kind":"orderPage"}}"#)),
    )
    .expect_err("no text")
    .dyn_into()
    .expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
}

/// `text` as a JSON string literal.
fn quoted(text: &str) -> String {
    String::from(JSON::stringify(&JsValue::from_str(text)).expect("json"))
}

fn snap_again(text: &str) -> JsValue {
    JSON::parse(text).expect("snapshot JSON")
}

#[wasm_bindgen_test]
fn ingest_masks_and_views() {
    let snap = ingest_two();
    let text = String::from(JSON::stringify(&snap).expect("json"));
    assert!(!text.contains("13812345678") && !text.contains("张三丰") && !text.contains("科技园"), "{text}");
    let view = redship_wasm::transit_view(snap, JsValue::NULL, js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW}}}"#)))
        .expect("view");
    let rows: js_sys::Array = get(&view, "rows").dyn_into().expect("array");
    assert_eq!(rows.length(), 2);
    assert_eq!(get(&rows.get(0), "route").as_string().as_deref(), Some("warehouse"));
    assert_eq!(get(&get(&view, "counts"), "total").as_f64(), Some(2.0));
    // The figures each decrypt reads are the view's, without the rows.
    let figures = redship_wasm::transit_figures(
        snap_again(&text),
        JsValue::NULL,
        js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW}}}"#)),
    )
    .expect("figures");
    assert!(get(&figures, "rows").is_undefined());
    for key in ["counts", "paidByDay", "knownOrders"] {
        assert_eq!(JSON::stringify(&get(&figures, key)).ok(), JSON::stringify(&get(&view, key)).ok(), "{key}");
    }
    assert_eq!(get(&figures, "knownOrders").dyn_into::<js_sys::Array>().expect("array").length(), 2);
    let shipped = js(&format!(r#"{{"shopId":"shop1","packageId":"P2026112100000001","nowMs":{NOW}}}"#));
    let out = redship_wasm::orders_shipped(get(&view, "__none"), shipped).expect("shipped on an empty snapshot");
    assert_eq!(get(&get(&out, "view"), "removed").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn shipped_packages_leave_the_list() {
    let snap = ingest_two();
    let req = js(&format!(r#"{{"shopId":"shop1","packageId":"P2026112100000001","nowMs":{NOW}}}"#));
    let out = redship_wasm::orders_shipped(snap, req).expect("shipped");
    assert_eq!(get(&get(&out, "view"), "removed").as_bool(), Some(true));
    let view = redship_wasm::transit_view(
        get(&out, "snapshot"),
        JsValue::NULL,
        js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW}}}"#)),
    )
    .expect("view");
    assert_eq!(get(&get(&view, "counts"), "total").as_f64(), Some(1.0));
    let bad = js(&format!(r#"{{"shopId":"shop1","packageId":"P1","nowMs":{NOW}}}"#));
    let err: js_sys::Error =
        redship_wasm::orders_shipped(JsValue::NULL, bad).expect_err("bad id").dyn_into().expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
}

#[wasm_bindgen_test]
fn shipped_batches_list_the_ids_they_refuse() {
    let snap = ingest_two();
    let req = js(&format!(
        r#"{{"shopId":"shop1","packageIds":["P1","P2026112100000001","P2026112100000002"],"nowMs":{NOW}}}"#
    ));
    let out = redship_wasm::orders_shipped(snap, req).expect("batch");
    let view = get(&out, "view");
    assert_eq!(get(&view, "removed").as_bool(), Some(true));
    assert_eq!(JSON::stringify(&get(&view, "rejected")).expect("json").as_string().as_deref(), Some(r#"["P1"]"#));
    let after = redship_wasm::transit_view(
        get(&out, "snapshot"),
        JsValue::NULL,
        js(&format!(r#"{{"shopId":"shop1","nowMs":{NOW}}}"#)),
    )
    .expect("view");
    assert_eq!(get(&get(&after, "counts"), "total").as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
fn plan_counts_supplier_decrypts() {
    let snap = ingest_two();
    let set = js(r#"{"scope":"sku","skuId":"S1","route":"supplier"}"#);
    let out = redship_wasm::transit_set_route(JsValue::NULL, snap.clone(), set).expect("route");
    let routes = get(&out, "routes");
    let plan = redship_wasm::transit_plan(snap, routes, js(r#"{"shopId":"shop1","remaining":0}"#)).expect("plan");
    assert_eq!(get(&plan, "decryptsNeeded").as_f64(), Some(1.0));
    assert_eq!(get(&plan, "shortBy").as_f64(), Some(1.0));
    assert_eq!(get(&get(&plan, "raise"), "reasonCode").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn csv_export_runs_in_wasm() {
    let snap = ingest_two();
    let req = js(&format!(r#"{{"nowMs":{NOW}}}"#));
    let csv = redship_wasm::transit_export_csv(snap.clone(), JsValue::NULL, JsValue::NULL, req.clone()).expect("csv");
    let bytes: Uint8Array = get(&csv, "bytes").dyn_into().expect("Uint8Array");
    let bytes = bytes.to_vec();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("包裹号,"), "{text}");
    assert!(text.contains("'=杯子") && !text.contains("13912345678"), "{text}");
}

#[wasm_bindgen_test]
fn errors_are_named() {
    let bad = js(r#"{"shopId":"shop1","nowMs":0,"answer":{"success":false,"code":1,"msg":"系统繁忙"}}"#);
    let err: js_sys::Error =
        redship_wasm::orders_ingest(&site(), JsValue::NULL, bad).expect_err("refused").dyn_into().expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
    let snap = ingest_two();
    let req = js(&format!(r#"{{"nowMs":{NOW},"templateId":"nope"}}"#));
    let err: js_sys::Error = redship_wasm::transit_export_csv(snap, JsValue::NULL, JsValue::NULL, req)
        .expect_err("unknown template")
        .dyn_into()
        .expect("Error");
    assert_eq!(String::from(err.name()), "ExportError");
}
