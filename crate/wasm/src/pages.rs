//! Bindings for the core's `order::pages`: the order list pages RedShip has read that showed
//! orders waiting to ship, and when (the ship page's summary). Conversions only.

use crate::boundary::{from_js, to_js};
use redship_core::order::pages;
use wasm_bindgen::prelude::*;

/// `orderPageSeen(record | null, {request, summary, nowMs})` → `{record, view}`: the shop's
/// list-pages record after a list page was read (`summary` as `TransitLive.ingest` answers it), or
/// `record: null` when it is unchanged; `view` as `orderPagesView` gives it.
#[wasm_bindgen(js_name = orderPageSeen)]
pub fn order_page_seen(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    struct View<'a> {
        record: Option<&'a pages::ListPagesRecord>,
        view: pages::ListPagesView,
    }
    let old: Option<pages::ListPagesRecord> = from_js(record)?;
    let req: pages::PageSeenRequest = from_js(request)?;
    let next = pages::note(old.clone(), &req);
    let view = pages::view(next.as_ref().or(old.as_ref()), req.now_ms);
    to_js(&View { record: next.as_ref(), view })
}

/// `orderPagesView(record | null, nowMs)` → `{pages, lastMs, lastTime, lastDay, today}`: how
/// many 待发货 pages were read in the last day, and the last time (China time).
#[wasm_bindgen(js_name = orderPagesView)]
pub fn order_pages_view(record: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
    let rec: Option<pages::ListPagesRecord> = from_js(record)?;
    to_js(&pages::view(rec.as_ref(), now_ms as i64))
}
