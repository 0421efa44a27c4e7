//! The exports that write a file the user asked for, rarely used and so kept out of the main
//! module that every worker start compiles: the vault's backup file and the fill report's CSV.
//! Same conversions and error names as the main module's.

use redship_bind::{from_js, map_err, vault_err};
use redship_core::ship::report;
use redship_core::vault::codec::{Passphrase, Precomputed};
use redship_core::vault::{backup, keys};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BackupExportRequest {
    records: Vec<backup::BackupRecord>,
    passphrase: String,
    #[serde(default)]
    iterations: Option<u32>,
    #[serde(default)]
    precomputed: Option<Precomputed>,
    now_ms: i64,
}

/// `vaultBackupExport({records: [{key, writtenMs, value}], passphrase, iterations?, precomputed?,
/// nowMs}, random)` → the backup file's text (restored by the main module's
/// `VaultSession.restore`). Errors are `VaultError`s with `code`.
#[wasm_bindgen(js_name = vaultBackupExport)]
pub fn vault_backup_export(request: JsValue, random: &[u8]) -> Result<String, JsValue> {
    let req: BackupExportRequest = from_js(request)?;
    let iterations = req.iterations.unwrap_or(keys::DEFAULT_PBKDF2_ITERATIONS);
    let pass = Passphrase::with(&req.passphrase, req.precomputed.as_ref());
    backup::export_backup(&req.records, pass, iterations, random, req.now_ms).map_err(vault_err)
}

/// `shipReportCsv({run, lang?})` → the fill report as CSV text (UTF-8 with BOM, formula-safe).
#[wasm_bindgen(js_name = shipReportCsv)]
pub fn ship_report_csv(request: JsValue) -> Result<String, JsValue> {
    let req: report::ReportRequest = from_js(request)?;
    report::report_csv(&req).map_err(map_err("FillError"))
}
