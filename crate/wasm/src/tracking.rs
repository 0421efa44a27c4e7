//! Bindings for the core's `tracking` domain: import and preview of tracking numbers, the fill
//! plan, the fill journal and the report. Conversions only; errors reach JS as `ImportError`
//! (reading and validating) or `FillError` (plan, journal, report).
//!
//! Workbooks are read by the office module (crate/office): here they fail with an `ImportError`
//! whose `code` is `NeedsOffice`, and the worker passes the same request on. GBK CSVs are read
//! here, decoded by the browser.

use crate::boundary::{context_request, from_js, import_request, js_error, map_err, to_js};
use redship_core::tracking::{self, couriers, journal, plan, report, wal, ImportError};
use wasm_bindgen::prelude::*;

/// `trackingImport({source: "paste"|"csv"|"xlsx", text?, bytes?, sheet?, knownOrders: {waiting,
/// closed} (package IDs joined by line breaks), usedNumbers: [{number, packageId}], couriers})`
/// → preview view (`counts`, `rows`, source facts).
#[wasm_bindgen(js_name = trackingImport)]
pub fn tracking_import(request: JsValue) -> Result<JsValue, JsValue> {
    let req = import_request(request)?;
    to_js(&tracking::import(&req, &redship_bind::browser_gb18030).map_err(import_err)?)
}

/// An `ImportError`; the one this module cannot read carries `code: "NeedsOffice"`.
fn import_err(e: ImportError) -> JsValue {
    let needs_office = matches!(e, ImportError::NeedsOffice(_));
    let err = js_error("ImportError", e);
    if needs_office {
        let _ = js_sys::Reflect::set(&err, &"code".into(), &"NeedsOffice".into());
    }
    err
}

/// `trackingRevalidate({rows: [{row, packageId, courier, number}], knownOrders, usedNumbers,
/// couriers})` → preview view, after the user fixed or removed rows.
#[wasm_bindgen(js_name = trackingRevalidate)]
pub fn tracking_revalidate(request: JsValue) -> Result<JsValue, JsValue> {
    to_js(&tracking::revalidate(&context_request(request)?))
}

/// `trackingCouriers()` → SPEC.md's default courier list `[{code, name}]`.
#[wasm_bindgen(js_name = trackingCouriers)]
pub fn tracking_couriers() -> Result<JsValue, JsValue> {
    to_js(&couriers::default_couriers())
}

/// `fillPlan({runId, mode: "fill"|"ship", rows, knownOrders, usedNumbers, couriers, nowMs})` →
/// the run record to save (only rows that pass validation now).
#[wasm_bindgen(js_name = fillPlan)]
pub fn fill_plan(request: JsValue) -> Result<JsValue, JsValue> {
    // Its known orders and used numbers (10,000 and more) are read apart, as for the import.
    let req: plan::PlanRequest = context_request(request)?;
    to_js(&plan::plan(&req).map_err(map_err("FillError"))?)
}

/// `fillJournalApply({run, event, nowMs})` → `{run, action, progress, changed}`; save `run`
/// before acting on `action`. A rejected event throws and changes nothing.
#[wasm_bindgen(js_name = fillJournalApply)]
pub fn fill_journal_apply(request: JsValue) -> Result<JsValue, JsValue> {
    let req: journal::ApplyRequest = from_js(request)?;
    to_js(&journal::apply(req).map_err(map_err("FillError"))?)
}

/// `fillJournalStep({run, log?, events, confirm?, lookahead?, nowMs})` → `{run, log, action,
/// progress, changed, confirmed, ahead, checkpoint}`: one step of the run in one call; save
/// `log` (when `changed`) before acting on `action`. A rejected event throws and changes nothing.
#[wasm_bindgen(js_name = fillJournalStep)]
pub fn fill_journal_step(request: JsValue) -> Result<JsValue, JsValue> {
    let req: wal::StepRequest = from_js(request)?;
    to_js(&wal::step(req).map_err(map_err("FillError"))?)
}

/// `fillJournalRecover({run, log?})` → `{run, log}`: the saved run with its write-ahead log
/// folded in (`log`: what a whole save must still fold into the record, or null).
#[wasm_bindgen(js_name = fillJournalRecover)]
pub fn fill_journal_recover(request: JsValue) -> Result<JsValue, JsValue> {
    let req: wal::RecoverRequest = from_js(request)?;
    to_js(&wal::recover(req).map_err(map_err("FillError"))?)
}

/// `fillReport({run})` → report view (`counts`, `rows`, `used`).
#[wasm_bindgen(js_name = fillReport)]
pub fn fill_report(request: JsValue) -> Result<JsValue, JsValue> {
    let req: report::ReportRequest = from_js(request)?;
    to_js(&report::report(&req.run).map_err(map_err("FillError"))?)
}

/// `fillReportCsv({run, lang?})` → CSV text (UTF-8 with BOM, formula-safe).
#[wasm_bindgen(js_name = fillReportCsv)]
pub fn fill_report_csv(request: JsValue) -> Result<String, JsValue> {
    let req: report::ReportRequest = from_js(request)?;
    report::report_csv(&req).map_err(map_err("FillError"))
}
