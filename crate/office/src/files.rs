//! The exports that write a text the user asked for, rarely used and so kept out of the main
//! module that every worker start compiles: the fill report's CSV and the self-check's
//! diagnostic report (the backup file: `vault.rs`). Same conversions and error names as the main
//! module's.

use redship_bind::{from_js, from_js_named, map_err};
use redship_core::selfcheck::{self, CheckInput};
use redship_core::ship::report;
use redship_core::transit::table::china_time;
use wasm_bindgen::prelude::*;

/// `shipReportCsv({run, lang?})` → the fill report as CSV text (UTF-8 with BOM, formula-safe).
#[wasm_bindgen(js_name = shipReportCsv)]
pub fn ship_report_csv(request: JsValue) -> Result<String, JsValue> {
    let req: report::ReportRequest = from_js(request)?;
    report::report_csv(&req).map_err(map_err("FillError"))
}

/// `selfcheckReport(input, nowMs)` → the diagnostic report's text (no buyer data, no order IDs,
/// no tracking numbers); `input` as the main module's `selfcheckView` takes it. Errors are
/// `SelfCheckError`s.
#[wasm_bindgen(js_name = selfcheckReport)]
pub fn selfcheck_report(input: JsValue, now_ms: f64) -> Result<String, JsValue> {
    let input: CheckInput = from_js_named(input, "SelfCheckError")?;
    Ok(selfcheck::report(&input, &china_time(now_ms as i64)))
}
