//! The transit bindings in wasm: the live snapshot (`TransitLive`): ingest → writes → reopen,
//! view → plan → the part an export holds (the CSV and XLSX writers: crate/office/tests).
//! Runs in node and, with `WASM_BINDGEN_USE_BROWSER=1`, in Chromium.
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: f64 = 1_795_233_600_000.0;

/// The site profile RedShip ships, as the worker builds it.
fn site() -> redship_wasm::SiteProfile {
    redship_wasm::SiteProfile::new(js(include_str!("../../../extension/site-profile.json")))
        .expect("the shipped profile")
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

fn answer_of(packages: &[String]) -> String {
    format!(
        r#"{{"code":0,"success":true,"msg":"","data":{{"total":{},"packages":[{}]}}}}"#,
        packages.len(),
        packages.join(",")
    )
}

fn open(shop: &str) -> redship_wasm::TransitLive {
    let mut opening = redship_wasm::TransitOpening::begin(shop, JsValue::NULL, JsValue::NULL).expect("begin");
    opening.finish(js("[]")).expect("open")
}

fn now() -> JsValue {
    js(&format!(r#"{{"nowMs":{NOW}}}"#))
}

/// A live snapshot holding packages 1 (masked on the page) and 2 (decrypted on the page).
fn live_two() -> redship_wasm::TransitLive {
    let mut live = open("shop1");
    let answer = answer_of(&[package(1, false), package(2, true)]);
    let out = live.ingest(&site(), js(&format!(r#"{{"nowMs":{NOW},"answer":{answer}}}"#))).expect("ingest");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    live
}

#[wasm_bindgen_test]
fn a_profile_that_cannot_be_read_is_a_profile_error() {
    let err: js_sys::Error =
        redship_wasm::SiteProfile::new(js("{}")).err().expect("refused").dyn_into().expect("Error");
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
    let page = js(&format!(r#"{{"nowMs":{NOW},"kind":"orderPage","text":{}}}"#, quoted(&answer)));
    let mut live = open("shop1");
    let out = live.ingest(&site(), page).expect("ingest");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    let summary = get(&out, "summary");
    assert_eq!(get(&summary, "total").as_f64(), Some(7.0));
    let text = String::from(JSON::stringify(&summary).expect("json"));
    assert_eq!(
        text,
        r#"{"total":7,"packages":[{"packageId":"P2026112100000001","status":4,"state":"waiting"},{"packageId":"P2026112100000002","status":4,"state":"waiting"}],"waitingOnly":false}"#
    );
    // The shop's first write is its base: a shard and its head, masked.
    let writes = live.writes(NOW).expect("writes");
    assert!(get(&writes, "delta").is_undefined() && get(&writes, "compact").as_bool() == Some(true));
    let step = live.next_step(NOW).expect("step");
    let stored = String::from(JSON::stringify(&step).expect("json"));
    assert!(!stored.contains("13812345678") && !stored.contains("张三丰"), "{stored}");
    assert!(stored.contains(r#""P2026112100000002""#) && get(&step, "dropAll").as_bool() == Some(true));
    assert!(live.next_step(NOW).expect("no more").is_null());
    // The same answer again: nothing changed, so nothing is to be written.
    let same = js(&format!(r#"{{"nowMs":{NOW},"kind":"orderPage","text":{}}}"#, quoted(&answer)));
    let again = live.ingest(&site(), same).expect("again");
    assert_eq!(get(&get(&again, "view"), "changed").as_bool(), Some(false));
    assert_eq!(get(&get(&again, "view"), "updated").as_f64(), Some(2.0));
    assert!(live.writes(NOW).expect("writes").is_null());
    // Nothing to collect: nothing changes and no view comes back.
    let refused = js(&format!(
        r#"{{"nowMs":{NOW},"kind":"orderPage","text":{}}}"#,
        quoted(r#"{"success":false,"msg":"系统繁忙"}"#)
    ));
    let out = live.ingest(&site(), refused).expect("nothing to collect");
    assert!(get(&out, "view").is_null() && get(&out, "summary").is_undefined());
    // Gathered detail answers, read as one; the next write is a change record with both.
    let texts = format!(
        r#"[{},{}]"#,
        quoted(&format!(r#"{{"success":true,"data":{}}}"#, package(4, false))),
        quoted(&format!(r#"{{"success":true,"data":{}}}"#, package(5, false)))
    );
    let out = live
        .ingest(&site(), js(&format!(r#"{{"nowMs":{NOW},"kind":"orderDetail","texts":{texts}}}"#)))
        .expect("details");
    assert_eq!(get(&get(&out, "view"), "added").as_f64(), Some(2.0));
    assert_eq!(get(&get(&out, "summary"), "packages").dyn_into::<js_sys::Array>().expect("array").length(), 2);
    let writes = live.writes(NOW).expect("writes");
    assert!(get(&writes, "compact").is_undefined());
    let delta = get(&writes, "delta");
    assert_eq!(get(&delta, "seq").as_f64(), Some(2.0));
    assert_eq!(
        js_sys::Object::keys(&get(&delta, "packages").dyn_into::<js_sys::Object>().expect("object")).length(),
        2
    );
    // The summary alone (the vault is locked): the same IDs and statuses, or null.
    let detail = format!(r#"{{"success":true,"data":{}}}"#, package(3, true));
    let only =
        redship_wasm::order_summary(&site(), js(&format!(r#"{{"kind":"orderDetail","text":{}}}"#, quoted(&detail))))
            .expect("summary");
    assert_eq!(
        String::from(JSON::stringify(&only).expect("json")),
        r#"{"total":null,"packages":[{"packageId":"P2026112100000003","status":4,"state":"waiting"}],"waitingOnly":false}"#
    );
    assert!(redship_wasm::order_summary(&site(), js(r#"{"kind":"orderDetail","text":"<html>"}"#))
        .expect("summary")
        .is_null());
    let err: js_sys::Error = live
        .ingest(&site(), js(&format!(r#"{{"nowMs":{NOW},"kind":"orderPage"}}"#)))
        .expect_err("no text")
        .dyn_into()
        .expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
}

/// Stores a compaction's steps as the worker does: each shard by number, the head.
fn store_steps(live: &mut redship_wasm::TransitLive, shards: &js_sys::Map, head: &mut JsValue) {
    loop {
        let step = live.next_step(NOW).expect("step");
        if step.is_null() {
            return;
        }
        for entry in get(&step, "shards").dyn_into::<js_sys::Array>().expect("array").iter() {
            shards.set(&get(&entry, "n"), &get(&entry, "record"));
        }
        *head = get(&step, "head");
    }
}

#[wasm_bindgen_test]
fn what_it_hands_out_to_store_opens_the_same_shop_again() {
    let mut live = live_two();
    let (shards, mut head) = (js_sys::Map::new(), JsValue::NULL);
    live.writes(NOW).expect("base");
    store_steps(&mut live, &shards, &mut head);
    live.shipped(js(&format!(r#"{{"packageIds":["P2026112100000001"],"nowMs":{NOW}}}"#))).expect("shipped");
    live.set_routes(js(r#"[{"scope":"sku","skuId":"S2","route":"self"}]"#)).expect("routes");
    let writes = live.writes(NOW).expect("writes");
    let (delta, routes) = (get(&writes, "delta"), get(&writes, "routes"));
    assert!(!delta.is_undefined() && !routes.is_undefined());
    // Opened as the worker opens: the head, each shard it names, the change records after.
    let mut opening = redship_wasm::TransitOpening::begin("shop1", head.clone(), routes.clone()).expect("begin");
    while let Some(n) = opening.wanted() {
        opening.add(shards.get(&n.into())).expect("add");
    }
    assert_eq!(opening.after(), Some(1.0));
    let mut again = opening.finish(js_sys::Array::of1(&delta).into()).expect("finish");
    assert_eq!(get(&again.opened().expect("opened"), "applied").as_f64(), Some(1.0));
    assert_eq!(again.pending(), 1);
    let view =
        |l: &mut redship_wasm::TransitLive| String::from(JSON::stringify(&l.view(now()).expect("view")).expect("json"));
    assert_eq!(view(&mut again), view(&mut live));
    assert!(view(&mut again).contains(r#""route":"self""#));
    // A shard missing: the base is lost, never opened in part.
    let mut lost = redship_wasm::TransitOpening::begin("shop1", head.clone(), JsValue::NULL).expect("begin");
    lost.add(JsValue::NULL).expect("add");
    let lost = lost.finish(js("[]")).expect("finish");
    assert_eq!((lost.pending(), get(&lost.opened().expect("opened"), "lost").as_bool()), (0, Some(true)));
    // A record of another shop is refused, whole or a head.
    let other = js(r#"{"v":1,"shopId":"shop1","packages":{},"updatedAtMs":0}"#);
    let err = redship_wasm::TransitOpening::begin("shop2", other, JsValue::NULL).err().expect("refused");
    assert_eq!(String::from(err.dyn_into::<js_sys::Error>().expect("Error").name()), "OrderError");
    let err = redship_wasm::TransitOpening::begin("shop2", head, JsValue::NULL).err().expect("refused");
    assert_eq!(String::from(err.dyn_into::<js_sys::Error>().expect("Error").name()), "OrderError");
}

/// `text` as a JSON string literal.
fn quoted(text: &str) -> String {
    String::from(JSON::stringify(&JsValue::from_str(text)).expect("json"))
}

#[wasm_bindgen_test]
fn ingest_masks_and_views() {
    let mut live = live_two();
    let view = live.view(now()).expect("view");
    let text = String::from(JSON::stringify(&view).expect("json"));
    assert!(!text.contains("13812345678") && !text.contains("张三丰") && !text.contains("科技园"), "{text}");
    let rows: js_sys::Array = get(&view, "rows").dyn_into().expect("array");
    assert_eq!(rows.length(), 2);
    assert_eq!(get(&rows.get(0), "route").as_string().as_deref(), Some("warehouse"));
    assert_eq!(get(&get(&view, "counts"), "total").as_f64(), Some(2.0));
    // The figures each decrypt reads are the view's, without the rows.
    let paid = live.paid_by_day(now()).expect("paid by day");
    assert_eq!(JSON::stringify(&paid).ok(), JSON::stringify(&get(&view, "paidByDay")).ok());
    let counts = live.counts().expect("counts");
    assert_eq!(JSON::stringify(&counts).ok(), JSON::stringify(&get(&view, "counts")).ok());
    let len = |v: JsValue| v.dyn_into::<js_sys::Array>().expect("array").length();
    assert_eq!(len(live.known_orders(JsValue::UNDEFINED).expect("known")), 2);
    // A validation's rows: only theirs, as the rows spell them (lower case), unknown ones left out.
    let rows = js(r#"["p2026112100000002","P2026112100000099"]"#);
    let some = live.known_orders(rows).expect("known of rows");
    assert_eq!(len(some.clone()), 1);
    assert_eq!(get(&js_sys::Array::from(&some).get(0), "packageId").as_string().as_deref(), Some("P2026112100000002"));
    let unknown = live.unknown_of(js(r#"["P2026112100000001","P2026112100000099"]"#)).expect("unknown");
    assert_eq!(JSON::stringify(&unknown).ok().map(String::from).as_deref(), Some(r#"["P2026112100000099"]"#));
    assert_eq!(live.row_unclear(), 0);
    // The first rows only when asked: the page draws them before the rest.
    let first = live.view(js(&format!(r#"{{"nowMs":{NOW},"limit":1}}"#))).expect("view");
    assert_eq!(get(&first, "rows").dyn_into::<js_sys::Array>().expect("array").length(), 1);
    assert_eq!(get(&first, "totalRows").as_f64(), Some(2.0));
    let mut empty = open("shop1");
    let out = empty.shipped(js(&format!(r#"{{"packageIds":["P2026112100000001"],"nowMs":{NOW}}}"#))).expect("shipped");
    assert_eq!(get(&out, "removed").as_bool(), Some(false));
}

#[wasm_bindgen_test]
fn shipped_batches_list_the_ids_they_refuse() {
    let mut live = live_two();
    let req = js(&format!(r#"{{"packageIds":["P1","P2026112100000001","P2026112100000002"],"nowMs":{NOW}}}"#));
    let view = live.shipped(req).expect("batch");
    assert_eq!(get(&view, "removed").as_bool(), Some(true));
    assert_eq!(JSON::stringify(&get(&view, "rejected")).expect("json").as_string().as_deref(), Some(r#"["P1"]"#));
    assert_eq!(get(&get(&live.view(now()).expect("view"), "counts"), "total").as_f64(), Some(0.0));
    let skip = live.fill_skip("P2026112100000001").expect("skip");
    assert_eq!(get(&skip, "kind").as_string().as_deref(), Some("skipped"));
}

#[wasm_bindgen_test]
fn routes_set_at_once_and_the_plan_counts_supplier_decrypts() {
    let mut live = live_two();
    let counts = live
        .set_routes(js(r#"[{"scope":"order","packageId":"P2026112100000001","route":"self"},
                           {"scope":"order","packageId":"P2026112100000002","route":"supplier"}]"#))
        .expect("routes");
    assert_eq!((get(&counts, "self").as_f64(), get(&counts, "supplier").as_f64()), (Some(1.0), Some(1.0)));
    // All or nothing: an unknown package refuses the batch.
    let err: js_sys::Error = live
        .set_routes(js(r#"[{"scope":"order","packageId":"P2026112100000001","route":"supplier"},
                           {"scope":"order","packageId":"P2026112100000099","route":"supplier"}]"#))
        .expect_err("unknown package")
        .dyn_into()
        .expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
    let plan = live.plan(js(r#"{"remaining":0}"#)).expect("plan");
    assert_eq!(get(&plan, "decryptsNeeded").as_f64(), Some(1.0));
    assert_eq!(get(&plan, "shortBy").as_f64(), Some(1.0));
    assert_eq!(get(&get(&plan, "raise"), "reasonCode").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn the_export_part_holds_only_its_packages() {
    let mut live = live_two();
    live.set_routes(js(r#"[{"scope":"order","packageId":"P2026112100000002","route":"supplier"}]"#)).expect("route");
    let part = live.export_part(js(r#"{"routes":["warehouse"]}"#)).expect("part");
    let packages = get(&get(&part, "snapshot"), "packages");
    let ids = js_sys::Object::keys(&packages.dyn_into::<js_sys::Object>().expect("object"));
    assert_eq!(ids.to_vec(), vec![JsValue::from_str("P2026112100000001")]);
    assert!(!get(&part, "routes").is_null());
    // Masked on the way in: the part holds no plaintext buyer data.
    let text = JSON::stringify(&part).expect("json").as_string().unwrap_or_default();
    assert!(!text.contains("13912345678"), "{text}");
}

#[wasm_bindgen_test]
fn errors_are_named() {
    let mut live = open("shop1");
    let bad = js(r#"{"nowMs":0,"answer":{"success":false,"code":1,"msg":"系统繁忙"}}"#);
    let err: js_sys::Error = live.ingest(&site(), bad).expect_err("refused").dyn_into().expect("Error");
    assert_eq!(String::from(err.name()), "OrderError");
    let live = live_two();
    let err: js_sys::Error =
        live.export_part(js(r#"{"routes":["nowhere"]}"#)).expect_err("unknown route").dyn_into().expect("Error");
    assert_eq!(String::from(err.name()), "RequestError");
}
