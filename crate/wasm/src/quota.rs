//! Bindings for the core's `quota` domain: the decrypt-quota ledger.
//!
//! Conversions only. Every failure reaches JS as an `Error` named `QuotaError` (request shape
//! problems included), so the service worker has one name to catch for this domain. The problems
//! log's merge, needed only when a problem was found, is the office module's
//! (`quotaMergeProblems`, crate/office/src/quota.rs).

use crate::boundary::{from_js_named, js_error, to_js};
use redship_core::quota::{self, QuotaSettings};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

const ERROR_NAME: &str = "QuotaError";

fn quota_err(e: impl std::fmt::Display) -> JsValue {
    js_error(ERROR_NAME, e)
}

fn request<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js_named(value, ERROR_NAME).map_err(named)
}

/// A conversion error as the quota's: `QuotaError`, "quota request: …".
fn named(e: JsValue) -> JsValue {
    let message = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    js_error(ERROR_NAME, format!("quota request: {message}"))
}

/// A request that carries the stored records ([`quota::QuotaInputs`]).
trait WithInputs: DeserializeOwned {
    fn inputs_mut(&mut self) -> &mut quota::QuotaInputs;
}

macro_rules! with_inputs {
    ($($t:ty),*) => {$(
        impl WithInputs for $t {
            fn inputs_mut(&mut self) -> &mut quota::QuotaInputs {
                &mut self.inputs
            }
        }
    )*};
}
with_inputs!(
    quota::RecordEventRequest,
    quota::RecordPageReadsRequest,
    quota::PageEventRequest,
    quota::SilentRequest,
    quota::DashboardRequest
);

/// Reads a request with inputs: its `ledgers` (every stored day ledger, untyped JSON) through
/// their JSON text ([`redship_bind::from_js_text`]), the rest through serde-wasm-bindgen.
fn with_ledgers<T: WithInputs>(value: JsValue) -> Result<T, JsValue> {
    let (rest, ledgers) = redship_bind::take_field(value, "ledgers").map_err(named)?;
    let mut req: T = request(rest)?;
    let ledgers: Option<BTreeMap<String, serde_json::Value>> =
        redship_bind::from_js_text(&ledgers, ERROR_NAME).map_err(named)?;
    req.inputs_mut().ledgers = ledgers.unwrap_or_default();
    Ok(req)
}

/// The default settings record (tier table from SPEC.md, warnings at 75 % and 90 %).
#[wasm_bindgen(js_name = quotaDefaultSettings)]
pub fn quota_default_settings() -> Result<JsValue, JsValue> {
    to_js(&QuotaSettings::default())
}

/// Validates settings the user edited; returns them normalized or throws `QuotaError`.
#[wasm_bindgen(js_name = quotaValidateSettings)]
pub fn quota_validate_settings(settings: JsValue) -> Result<JsValue, JsValue> {
    let value: serde_json::Value = request(settings)?;
    to_js(&QuotaSettings::from_edit(&value).map_err(quota_err)?)
}

/// The storage key of the settings record.
#[wasm_bindgen(js_name = quotaSettingsKey)]
pub fn quota_settings_key() -> String {
    quota::SETTINGS_KEY.to_string()
}

/// The storage key of `shop`'s decrypt-endpoint record (the candidates learned from the page).
#[wasm_bindgen(js_name = quotaEndpointKey)]
pub fn quota_endpoint_key(shop: &str) -> String {
    quota::endpoint_key(shop.trim())
}

/// The ledger keys to load for `shop` at `nowMs` (history window plus one day ahead).
#[wasm_bindgen(js_name = quotaLedgerKeys)]
pub fn quota_ledger_keys(shop: &str, now_ms: f64) -> Result<Vec<String>, JsValue> {
    quota::ledger_keys(shop, ms(now_ms)?).map_err(quota_err)
}

/// Records one observed decrypt: `{settings, ledgers, paidOrders, routes, event, nowMs}` →
/// `{changed, removed, problems, outcome, view}`.
#[wasm_bindgen(js_name = quotaRecordEvent)]
pub fn quota_record_event(req: JsValue) -> Result<JsValue, JsValue> {
    let req: quota::RecordEventRequest = with_ledgers(req)?;
    to_js(&quota::record_event(&req).map_err(quota_err)?)
}

/// Records what the page showed of today's quota, read through the site profile's words:
/// `{settings, ledgers, paidOrders, routes, endpoint, reads: [{shop, atMs, source: 'board' |
/// 'api' | 'answer', day?, text? (board), path? (answer), fields? (api, answer: name → number)}],
/// nowMs}` → the update (`view.pageFacts`: `quotaEndpoint`, `quotaOffers`, `boardUnreadAtMs`).
#[wasm_bindgen(js_name = quotaRecordPageReads)]
pub fn quota_record_page_reads(site: &crate::SiteProfile, req: JsValue) -> Result<JsValue, JsValue> {
    let req: quota::RecordPageReadsRequest = with_ledgers(req)?;
    to_js(&quota::record_page_reads(&req, &site.core().quota).map_err(quota_err)?)
}

/// Records what the page showed after one 查看 click (the row turned plain, or a refusal):
/// `{settings, ledgers, paidOrders, routes, endpoint, pageEvent: {shop, packageId, outcome, tabId,
/// atMs, msg?, code?, sent?: [{path, keys, idKeys}]}, nowMs}` → the update, as `quotaRecordEvent`
/// (`view.pageFacts.decryptEndpoint`: the endpoint learned, if any).
#[wasm_bindgen(js_name = quotaRecordPageDecrypt)]
pub fn quota_record_page_decrypt(req: JsValue) -> Result<JsValue, JsValue> {
    let req: quota::PageEventRequest = with_ledgers(req)?;
    to_js(&quota::record_page_decrypt(&req).map_err(quota_err)?)
}

/// Notes a 查看 click that showed plain text with no decrypt recorded:
/// `{settings, ledgers, paidOrders, routes, silent: {shop, packageId, atMs}, nowMs}` → the update.
#[wasm_bindgen(js_name = quotaRecordSilent)]
pub fn quota_record_silent(req: JsValue) -> Result<JsValue, JsValue> {
    let req: quota::SilentRequest = with_ledgers(req)?;
    to_js(&quota::record_silent(&req).map_err(quota_err)?)
}

/// The words and timings the content script reads decrypts from the page with:
/// `{refusalTexts, settleMs, silentMs}`.
#[wasm_bindgen(js_name = quotaPageRules)]
pub fn quota_page_rules() -> Result<JsValue, JsValue> {
    to_js(&quota::page_rules())
}

/// The dashboard of one shop: `{settings, ledgers, paidOrders, routes, shop, nowMs}`.
#[wasm_bindgen(js_name = quotaDashboard)]
pub fn quota_dashboard(req: JsValue) -> Result<JsValue, JsValue> {
    let req: quota::DashboardRequest = with_ledgers(req)?;
    to_js(&quota::dashboard(&req).map_err(quota_err)?)
}

/// The order list's help: `({settings, ledgers, paidOrders, routes, shop, nowMs}, packageIds)` →
/// `{enabled, shop, day, used, limit, remaining, hintAt, hint, decrypted}` (read-only; the same
/// numbers as `quotaDashboard`).
#[wasm_bindgen(js_name = quotaListHelp)]
pub fn quota_list_help(req: JsValue, package_ids: Vec<String>) -> Result<JsValue, JsValue> {
    let req: quota::DashboardRequest = with_ledgers(req)?;
    to_js(&quota::list_help(&req, &package_ids).map_err(quota_err)?)
}

/// The packages whose buyer was viewed today (charged or a free repeat, each once), from the
/// dashboard's request: `{settings, ledgers, …, shop, nowMs}` → `[packageId]`. Read-only.
#[wasm_bindgen(js_name = quotaViewedToday)]
pub fn quota_viewed_today(req: JsValue) -> Result<Vec<String>, JsValue> {
    let req: quota::DashboardRequest = with_ledgers(req)?;
    quota::viewed_today(&req).map_err(quota_err)
}

/// Checks stored quota records `{key: value}` without changing them; returns the problems.
#[wasm_bindgen(js_name = quotaCheckRecords)]
pub fn quota_check_records(records: JsValue) -> Result<JsValue, JsValue> {
    // Untyped stored records: read through their JSON text, as the ledgers are.
    let records: BTreeMap<String, serde_json::Value> =
        redship_bind::from_js_text(&records, ERROR_NAME).map_err(named)?;
    to_js(&quota::check_records(&records))
}

/// JS numbers are f64: accept only whole milliseconds.
fn ms(value: f64) -> Result<i64, JsValue> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Ok(value as i64)
    } else {
        Err(quota_err(format!("quota request: nowMs {value} is not a whole number of milliseconds")))
    }
}
