//! Bindings for the core's `transit::rowsignal`: the list rows' 发货 controls, the third signal
//! of "waiting to ship", applied to the shop's snapshot, and how a fill run reports an order
//! whose row had none. Errors are `OrderError`s.

use crate::boundary::{from_js, to_js};
use crate::transit::{ms, snapshot_for};
use redship_core::transit::rowsignal::{self, RowSeen};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowsRequest {
    shop_id: String,
    rows: Vec<RowSeen>,
    now_ms: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RowsAnswer<'a> {
    /// The snapshot to save, or null when unchanged.
    snapshot: Option<&'a redship_core::transit::collect::TransitSnapshot>,
    view: rowsignal::RowsView,
}

/// `ordersRowFacts(snapshot | null, {shopId, rows: [{packageId, shipControl}], nowMs})` →
/// `{snapshot | null, view: {marked, cleared, ignored, changed}}`: what the list's rows showed of
/// their 发货 controls, combined with what the answers said (the core's rule).
#[wasm_bindgen(js_name = ordersRowFacts)]
pub fn orders_row_facts(snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let req: RowsRequest = from_js(request)?;
    let mut snap = snapshot_for(snapshot, &req.shop_id)?;
    let view = rowsignal::apply_rows(&mut snap, &req.rows, ms(req.now_ms));
    to_js(&RowsAnswer { snapshot: view.changed.then_some(&snap), view })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SkipRequest {
    shop_id: String,
    package_id: String,
}

#[derive(Serialize)]
struct SkipAnswer {
    kind: &'static str,
    reason: &'static str,
    message: &'static str,
}

/// `ordersFillSkip(snapshot | null, {shopId, packageId})` → `{kind: 'skipped', reason, message}`:
/// the outcome a fill run records for an order whose row had no 发货 control.
#[wasm_bindgen(js_name = ordersFillSkip)]
pub fn orders_fill_skip(snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let req: SkipRequest = from_js(request)?;
    let snap = snapshot_for(snapshot, &req.shop_id)?;
    let (reason, message) = rowsignal::fill_skip(rowsignal::known(&snap, req.package_id.trim()));
    to_js(&SkipAnswer { kind: "skipped", reason, message })
}
