//! Vault bindings for the locked queue (sealing; opening is `VaultSession.queueOpen`), retention
//! and settings. The backup export and the quarantine list are the office module's
//! (`vaultBackupExport`, `vaultQuarantineList`, crate/office: loaded when needed); restore is
//! `VaultSession.restore`.

use redship_core::vault::{pending, retention, settings, KeysRecord};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::verr;
use crate::boundary::{from_js, to_js};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueueSealRequest {
    keys: KeysRecord,
    event: Value,
    now_ms: i64,
}

/// `vaultQueueSeal({keys, event, nowMs}, random)` → `{storageKey, envelope}`: works while
/// locked (public-key sealing); store it with one `set`.
#[wasm_bindgen(js_name = vaultQueueSeal)]
pub fn vault_queue_seal(request: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let req: QueueSealRequest = from_js(request)?;
    let (storage_key, envelope) = pending::seal_pending(&req.keys, &req.event, req.now_ms, random).map_err(verr)?;
    to_js(&serde_json::json!({ "storageKey": storage_key, "envelope": envelope }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyAge {
    key: String,
    written_ms: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RetentionRequest {
    records: Vec<KeyAge>,
    policy: retention::RetentionPolicy,
    now_ms: i64,
}

/// `vaultRetentionPlan({records: [{key, writtenMs}], policy: {days, patterns}, nowMs})` → the
/// logical keys to delete.
#[wasm_bindgen(js_name = vaultRetentionPlan)]
pub fn vault_retention_plan(request: JsValue) -> Result<JsValue, JsValue> {
    let req: RetentionRequest = from_js(request)?;
    let records: Vec<(String, i64)> = req.records.into_iter().map(|r| (r.key, r.written_ms)).collect();
    to_js(&retention::purge_plan(&records, &req.policy, req.now_ms).map_err(verr)?)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SettingsApplyRequest {
    #[serde(default)]
    stored: Option<settings::SettingsRequest>,
    #[serde(default)]
    change: settings::SettingsRequest,
}

/// `vaultSettings({stored, change?})` → `{retentionDays, autoLockMinutes}`: the settings in effect
/// given the stored record (or null), after `change` (`{retentionDays?, autoLockMinutes?}`); a
/// value out of its range is a `BadInput` `VaultError` and nothing is applied.
#[wasm_bindgen(js_name = vaultSettings)]
pub fn vault_settings(request: JsValue) -> Result<JsValue, JsValue> {
    let req: SettingsApplyRequest = from_js(request)?;
    to_js(&settings::apply(settings::effective(req.stored.as_ref()), &req.change).map_err(verr)?)
}

/// `vaultPruneDays(days)` → the whole number of days a "free space" purge keeps, or a
/// `BadInput` `VaultError` when it is out of range.
#[wasm_bindgen(js_name = vaultPruneDays)]
pub fn vault_prune_days(days: f64) -> Result<u32, JsValue> {
    settings::check_days(days).map_err(verr)
}
