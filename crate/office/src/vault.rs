//! The vault's rare actions that need no key of the session's (the data key never leaves the main
//! module): the backup file written from records the worker opened, the backup file opened with
//! its own passphrase (the main module's `VaultSession.restore` then seals what it holds), and
//! the quarantine list the options page shows when something was set aside. Errors are
//! `VaultError`s with `code`.

use std::collections::BTreeMap;

use redship_bind::{from_js, to_js, vault_err};
use redship_core::vault::codec::{Passphrase, Precomputed};
use redship_core::vault::{backup, keys, quarantine};
use serde::Deserialize;
use serde_json::Value;
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

#[derive(Deserialize)]
struct BackupOpenRequest {
    text: String,
    passphrase: String,
    #[serde(default)]
    precomputed: Option<Precomputed>,
}

/// `vaultBackupOpen({text, passphrase, precomputed?})` → `{createdMs, records: [{key,
/// writtenMs, value}]}`: the backup file's records, for `VaultSession.restore`. A wrong
/// passphrase is `WrongPassphrase`, a file that is no backup (or damaged) `BadBackup`.
#[wasm_bindgen(js_name = vaultBackupOpen)]
pub fn vault_backup_open(request: JsValue) -> Result<JsValue, JsValue> {
    let req: BackupOpenRequest = from_js(request)?;
    let pass = Passphrase::with(&req.passphrase, req.precomputed.as_ref());
    to_js(&backup::import_backup(&req.text, pass).map_err(vault_err)?)
}

/// `vaultQuarantineList({storageKey: raw})` → `[{quarantineKey, storageKey, code, found,
/// detectedMs}]`, newest first.
#[wasm_bindgen(js_name = vaultQuarantineList)]
pub fn vault_quarantine_list(all: JsValue) -> Result<JsValue, JsValue> {
    let map: BTreeMap<String, Value> = from_js(all)?;
    let list: Vec<(String, Value)> = map.into_iter().collect();
    to_js(&quarantine::list_quarantine(&list))
}
