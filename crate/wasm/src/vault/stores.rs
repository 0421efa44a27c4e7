//! Vault bindings for the locked queue, backup and restore, the quarantine list, retention and settings.

use std::collections::BTreeMap;

use redship_core::vault::codec::{Passphrase, Precomputed};
use redship_core::vault::{backup, keys, pending, quarantine, retention, settings, DataKey, Envelope, KeysRecord};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{entries, moves, verr, SessionView};
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
struct QueueOpenRequest {
    keys: KeysRecord,
    data_key: String,
    entries: BTreeMap<String, Value>,
    now_ms: i64,
}

/// `vaultQueueOpen({keys, dataKey, entries, nowMs})` → `{events: [{storageKey, atMs, event}],
/// quarantine: [...]}`, oldest event first.
#[wasm_bindgen(js_name = vaultQueueOpen)]
pub fn vault_queue_open(request: JsValue) -> Result<JsValue, JsValue> {
    let req: QueueOpenRequest = from_js(request)?;
    let key = DataKey::from_b64(&req.data_key).map_err(verr)?;
    let (events, failed) = pending::open_pending(&req.keys, &key, &entries(req.entries), req.now_ms).map_err(verr)?;
    let events: Vec<Value> = events
        .into_iter()
        .map(|e| serde_json::json!({ "storageKey": e.storage_key, "atMs": e.at_ms, "event": e.event }))
        .collect();
    to_js(&serde_json::json!({ "events": events, "quarantine": moves(failed) }))
}

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

/// `vaultBackupExport({records: [{key, writtenMs, value}], passphrase, iterations?, precomputed?, nowMs},
/// random)` → the backup file's text.
#[wasm_bindgen(js_name = vaultBackupExport)]
pub fn vault_backup_export(request: JsValue, random: &[u8]) -> Result<String, JsValue> {
    let req: BackupExportRequest = from_js(request)?;
    let iterations = req.iterations.unwrap_or(keys::DEFAULT_PBKDF2_ITERATIONS);
    let pass = Passphrase::with(&req.passphrase, req.precomputed.as_ref());
    backup::export_backup(&req.records, pass, iterations, random, req.now_ms).map_err(verr)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestoreRequest {
    session: SessionView,
    text: String,
    passphrase: String,
    #[serde(default)]
    precomputed: Option<Precomputed>,
    current_keys: Vec<String>,
}

/// `vaultBackupRestore({session, text, passphrase, precomputed?, currentKeys})` → `{session, items, createdMs,
/// count}`: `items` (restored records + tombstones for keys the backup lacks) go in one `set`.
/// Wrong passphrase or a damaged file fails before anything is produced.
#[wasm_bindgen(js_name = vaultBackupRestore)]
pub fn vault_backup_restore(request: JsValue) -> Result<JsValue, JsValue> {
    let req: RestoreRequest = from_js(request)?;
    let contents =
        backup::import_backup(&req.text, Passphrase::with(&req.passphrase, req.precomputed.as_ref())).map_err(verr)?;
    let mut session = req.session.session()?;
    let items: BTreeMap<String, Envelope> =
        backup::plan_restore(&mut session, &contents, &req.current_keys).map_err(verr)?.into_iter().collect();
    to_js(
        &serde_json::json!({ "session": SessionView::of(&session), "items": items, "createdMs": contents.created_ms, "count": contents.records.len() }),
    )
}

/// `vaultQuarantineList({storageKey: raw})` → `[{quarantineKey, storageKey, code, found,
/// detectedMs}]`, newest first.
#[wasm_bindgen(js_name = vaultQuarantineList)]
pub fn vault_quarantine_list(all: JsValue) -> Result<JsValue, JsValue> {
    let map: BTreeMap<String, Value> = from_js(all)?;
    to_js(&quarantine::list_quarantine(&entries(map)))
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
