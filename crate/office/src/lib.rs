//! RedShip's office module: workbooks in and out — the core's in-house XLSX reader and writer
//! (`redship_core::xlsx`, with its ZIP inflate and deflate), and calamine for `.xls` and `.ods`. The service worker loads it only when a file needs it, so a worker start
//! compiles the small main module alone (crate/wasm). The ship domain's page actions that follow
//! an import are here (`ship.rs`: every tracking-number import, a paste and a CSV too, the
//! revalidation, the fill plan), and every file written: the transit export as CSV or XLSX, the
//! backup file, the fill report's CSV (`files.rs`). Same conversions as the main module (`redship-bind`), same
//! error names, no business logic.

mod files;
mod ship;
pub use files::{ship_report_csv, vault_backup_export};
pub use ship::{ship_fill_plan, ship_import, ship_known_orders, ship_revalidate, ship_sheets};

use redship_bind::export_with;
use redship_core::transit::export_csv::export_csv;
use redship_core::transit::export_xlsx::export_xlsx;
use wasm_bindgen::prelude::*;

/// Sets the module up once (a core panic then logs its message; see `redship_bind::set_up_once`);
/// calling it again does nothing. Returns true when this call set it up.
#[wasm_bindgen]
pub fn init() -> bool {
    redship_bind::set_up_once()
}

/// `transitExportXlsx(snapshot, routes | null, templates | null, {templateId?, routes?,
/// packageIds?, nowMs})` → `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}`,
/// an XLSX workbook read back and leak-scanned before it is returned (`LeakError` names the row
/// and column).
#[wasm_bindgen(js_name = transitExportXlsx)]
pub fn transit_export_xlsx(
    snapshot: JsValue,
    routes: JsValue,
    templates: JsValue,
    request: JsValue,
) -> Result<JsValue, JsValue> {
    export_with(snapshot, routes, templates, request, export_xlsx)
}

/// `transitExportCsv(snapshot, routes | null, templates | null, {templateId?, routes?,
/// packageIds?, nowMs})` → `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}`, a
/// CSV file (UTF-8 with BOM, formula-safe), leak-scanned before it is returned (`LeakError`
/// names the row and column). The worker passes the main module's `TransitLive.exportPart`.
#[wasm_bindgen(js_name = transitExportCsv)]
pub fn transit_export_csv(
    snapshot: JsValue,
    routes: JsValue,
    templates: JsValue,
    request: JsValue,
) -> Result<JsValue, JsValue> {
    export_with(snapshot, routes, templates, request, export_csv)
}
