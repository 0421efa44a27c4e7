//! The transit export's boundary pieces, shared because the CSV export lives in the main module
//! and the XLSX export in the office module: the request DTO, the error names and the file view.

use redship_core::transit::collect::TransitSnapshot;
use redship_core::transit::table::{ExportFile, ExportRequest};
use redship_core::transit::{ExportError, Route};
use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::{from_js_large, js_error, to_js};

/// `transitExportCsv` / `transitExportXlsx` request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitExportRequest {
    /// Template ID; the selected one when absent.
    #[serde(default)]
    pub template_id: Option<String>,
    /// Routes to include; warehouse only when absent.
    #[serde(default)]
    pub routes: Option<Vec<Route>>,
    /// Only these packages.
    #[serde(default)]
    pub package_ids: Option<Vec<String>>,
    /// Now, epoch ms (file name, XLSX creation time).
    pub now_ms: f64,
}

impl TransitExportRequest {
    /// The core's request and the time in whole milliseconds.
    pub fn into_core(self) -> (ExportRequest, i64) {
        // Saturating cast; nonsense times only give odd file names.
        let now = self.now_ms as i64;
        (ExportRequest { template_id: self.template_id, routes: self.routes, package_ids: self.package_ids }, now)
    }
}

/// An export error: `LeakError` when plaintext buyer data would have left, else `ExportError`.
pub fn export_err(e: ExportError) -> JsValue {
    match e {
        ExportError::Leak(leak) => js_error("LeakError", leak),
        other => js_error("ExportError", other),
    }
}

/// `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}`.
pub fn file_view(file: &ExportFile) -> Result<JsValue, JsValue> {
    let out = to_js(file)?;
    js_sys::Reflect::set(&out, &"bytes".into(), &js_sys::Uint8Array::from(file.bytes.as_slice()))
        .map_err(|_| js_error("ViewError", "cannot attach the file bytes"))?;
    Ok(out)
}

/// The order snapshot a call needs (read with [`from_js_large`], as every snapshot is, so the
/// module has one reader for it); `null` or `undefined` is a `RequestError`.
pub fn required_snapshot(value: JsValue) -> Result<TransitSnapshot, JsValue> {
    from_js_large::<Option<TransitSnapshot>>(value)?
        .ok_or_else(|| js_error("RequestError", "缺少订单快照（no order snapshot given）"))
}
