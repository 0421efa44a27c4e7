//! The ship domain's page actions, all of which follow a user's import: reading the paste or the
//! file (`shipImport`, `shipSheets`), the preview revalidated after an edit (`shipRevalidate`),
//! the fill plan when a run starts (`shipFillPlan`), and the known orders all three validate
//! against (`shipKnownOrders`). Kept out of the main module every worker start compiles: the
//! parsers, header ranking, encodings and validation run only here. Errors are `ImportError`s
//! (reading, validating) or `FillError`s (the plan); a request of the wrong shape a
//! `RequestError`.

use redship_bind::ship::{import_request, plan_request, revalidate_request, PreviewForm};
use redship_bind::{from_js, map_err, take_bytes, to_js};
use redship_core::ship::{self, plan, xlsx_source};
use wasm_bindgen::prelude::*;

/// `shipImport({source: "paste"|"csv"|"xlsx", text?, bytes?, sheet?, knownOrders: {waiting,
/// closed} (package IDs joined by line breaks), usedNumbers: [{number, packageId}], couriers})`
/// → preview view (`counts`, `rows`, source facts). Workbooks (`.xlsx`, `.xls` or `.ods`) come as
/// `xlsx`: the bytes say which; a GBK CSV is decoded by the browser.
#[wasm_bindgen(js_name = shipImport)]
pub fn ship_import(request: JsValue) -> Result<JsValue, JsValue> {
    let req = import_request(request)?;
    to_js(&PreviewForm(&ship::import(&req, &redship_bind::browser_gb18030).map_err(map_err("ImportError"))?))
}

/// `shipSheets({bytes})` → the workbook's sheet names, for the sheet picker.
#[wasm_bindgen(js_name = shipSheets)]
pub fn ship_sheets(request: JsValue) -> Result<JsValue, JsValue> {
    let bytes = match take_bytes(request, "bytes")? {
        (_, Some(bytes)) => bytes,
        // Not a Uint8Array: an array of numbers, or a request without bytes (a RequestError).
        (request, None) => from_js::<xlsx_source::SheetsRequest>(request)?
            .bytes
            .ok_or_else(|| redship_bind::js_error("ImportError", "缺少 bytes（no bytes given）"))?,
    };
    to_js(&xlsx_source::sheet_names(&bytes).map_err(map_err("ImportError"))?)
}

/// `shipRevalidate({rows: [{row, packageId, courier, number}], knownOrders, usedNumbers,
/// couriers})` → preview view, after the user fixed or removed rows.
#[wasm_bindgen(js_name = shipRevalidate)]
pub fn ship_revalidate(request: JsValue) -> Result<JsValue, JsValue> {
    to_js(&PreviewForm(&ship::revalidate(&revalidate_request(request)?)))
}

/// `shipFillPlan({runId, mode: "fill"|"ship", rows, knownOrders, usedNumbers, couriers, nowMs})` →
/// the run record to save (only rows that pass validation now); the main module's journal
/// (`shipJournalApply`, `ShipJournal`) runs it.
#[wasm_bindgen(js_name = shipFillPlan)]
pub fn ship_fill_plan(request: JsValue) -> Result<JsValue, JsValue> {
    let req = plan_request(request)?;
    to_js(&plan::plan(&req).map_err(map_err("FillError"))?)
}

/// `shipKnownOrders(seen, known)` → `{knownOrders: {waiting, closed, unclear}}` (the
/// validation's compact form): the ship domain's seen list and the orders domain's known orders
/// (`[{packageId, waiting, unclear?}]` each) merged, the orders domain's word winning.
#[wasm_bindgen(js_name = shipKnownOrders)]
pub fn ship_known_orders(seen: JsValue, known: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct View {
        #[serde(with = "redship_bind::ship::known_orders")]
        known_orders: Vec<ship::KnownOrder>,
    }
    let seen: Vec<ship::known::ListedOrder> = from_js::<Option<_>>(seen)?.unwrap_or_default();
    let known: Vec<ship::known::ListedOrder> = from_js::<Option<_>>(known)?.unwrap_or_default();
    to_js(&View { known_orders: ship::known::merge(&seen, &known) })
}
