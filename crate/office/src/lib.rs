//! RedShip's office module: workbooks in and out — the core's in-house XLSX reader and writer
//! (`redship_core::xlsx`, with its ZIP inflate and deflate), and calamine for `.xls` and `.ods`. The service worker loads it only when a file needs it, so a worker start
//! compiles the small main module alone (crate/wasm). The other rarely used file writers (the
//! backup file, the fill report's CSV) are here too (`files.rs`). Same conversions as the main
//! module (`redship-bind`), same error names, no business logic.

mod files;
pub use files::{ship_report_csv, vault_backup_export};

use redship_bind::ship::{import_request, PreviewForm};
use redship_bind::{export_with, from_js, map_err, take_bytes, to_js};
use redship_core::ship::{self, xlsx_source};
use redship_core::transit::export_xlsx::export_xlsx;
use wasm_bindgen::prelude::*;

/// Sets the module up once (a core panic then logs its message; see `redship_bind::set_up_once`);
/// calling it again does nothing. Returns true when this call set it up.
#[wasm_bindgen]
pub fn init() -> bool {
    redship_bind::set_up_once()
}

/// `shipImport({source: "xlsx", bytes, sheet?, knownOrders, usedNumbers, couriers})` → the
/// same preview view as the main module's, for the workbooks it hands over (`.xlsx`, `.xls` or
/// `.ods`: the bytes say which).
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
