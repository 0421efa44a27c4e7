//! The request and answer shapes of the quota operations (see [`super::service`]).
//!
//! Requests carry the stored records as plain JSON values so that a broken record reaches the
//! core, where it is named and reset, instead of failing the whole call at the boundary. The
//! three requests that carry [`QuotaInputs`] are read through `super::wire` (one pass, no
//! `flatten` buffer).

use super::dashboard::DashboardView;
use super::ledger::EventOutcome;
use super::limit::PaidOrdersDay;
use super::raise::RouteCounts;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A record to save: the storage key and its new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyedRecord {
    /// Storage key.
    pub key: String,
    /// The record.
    pub value: Value,
}

/// Which kind of [`Problem`]: a stable code the options page words in the user's language (a
/// Chinese-speaking merchant should not have to read the technical `message`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ProblemKind {
    /// The quota settings record could not be read; the defaults are in use.
    SettingsReset,
    /// One day's ledger (`args`: the day) could not be read and was started afresh.
    LedgerReset,
    /// A record under the quota's keys that is no ledger was removed.
    UnknownRecord,
    /// A decrypt whose package ID has an unknown shape was not counted.
    EventBadId,
    /// A decrypt dated outside the days kept (`args`: its day) was not counted.
    EventOutOfDays,
    /// The workbench's date differs from the computer's (`args`: the workbench's day, the
    /// clock's day); the page's numbers were taken as today's.
    ClockDiffers,
    /// Numbers the page showed for a day outside the days kept (`args`: the day) were not used.
    PageOutOfDays,
    /// Anything else (and problems logged before kinds existed): only `message` says what.
    #[default]
    Other,
}

/// Something wrong found in the stored records or the page's data; the operation went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// What kind of problem.
    #[serde(default)]
    pub kind: ProblemKind,
    /// The values its wording needs (days as `YYYY-MM-DD`), in order.
    #[serde(default)]
    pub args: Vec<String>,
    /// The storage key (or `event` / `page`) concerned.
    pub record: String,
    /// What was wrong, in technical detail (the worker's console, support).
    pub message: String,
    /// `reset` (replaced by a fresh record), `removed` (key deleted), `ignored` or `adjusted`.
    pub action: String,
}

impl Problem {
    /// A problem of `kind` (its wording's values `args`) about `record`: what was wrong in
    /// `message`, and the `action` taken.
    pub fn new(kind: ProblemKind, args: Vec<String>, record: &str, message: String, action: &str) -> Self {
        Self { kind, args, record: record.into(), message, action: action.into() }
    }
}

/// The result of every operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaUpdate {
    /// Records to save.
    pub changed: Vec<KeyedRecord>,
    /// Keys to delete.
    pub removed: Vec<String>,
    /// Problems found (already dealt with as `action` says).
    pub problems: Vec<Problem>,
    /// How a recorded decrypt was counted (`None` when it was ignored or for other calls).
    pub outcome: Option<EventOutcome>,
    /// The dashboard of the shop after the operation.
    pub view: DashboardView,
}

/// What the page observed for one decrypt answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DecryptEvent {
    /// The shop.
    pub shop: String,
    /// The package decrypted.
    pub package_id: String,
    /// `success` or `refused`.
    pub outcome: String,
    /// The tab, when known.
    #[serde(default)]
    pub tab_id: Option<i64>,
    /// When the answer arrived (epoch ms).
    pub at_ms: i64,
    /// For a refusal: true when the platform said the quota is spent (今日解密次数已用完).
    #[serde(default)]
    pub quota_spent: bool,
}

/// What the page showed after one 查看 click: the row turned plain (`success`) or a refusal was
/// shown while it stayed masked (`refused`, with the words shown). Never any buyer text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDecrypt {
    /// The shop.
    pub shop: String,
    /// The package of the row.
    pub package_id: String,
    /// `success` or `refused`.
    pub outcome: String,
    /// The tab, when known.
    #[serde(default)]
    pub tab_id: Option<i64>,
    /// When the 查看 control was clicked (epoch ms): the decrypt happened after it.
    pub at_ms: i64,
    /// For a refusal: the words the page showed.
    #[serde(default)]
    pub msg: Option<String>,
    /// For a refusal: the platform's code, when the page showed one.
    #[serde(default)]
    pub code: Option<i64>,
    /// For a success: the requests the page sent in that moment (path and body keys only), the
    /// candidates of the decrypt endpoint.
    #[serde(default)]
    pub sent: Vec<super::endpoint::SentRequest>,
}

/// A 查看 click that showed plain text with no decrypt recorded in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SilentReport {
    /// The shop.
    pub shop: String,
    /// The package of the row.
    pub package_id: String,
    /// When the 查看 control was clicked (epoch ms).
    pub at_ms: i64,
}

/// Numbers the workbench itself showed (privacy board or quota answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShownQuota {
    /// The shop.
    pub shop: String,
    /// The day the page said the numbers are for (`YYYY-MM-DD`); else the day of `at_ms`.
    #[serde(default)]
    pub day: Option<String>,
    /// When it was seen (epoch ms).
    pub at_ms: i64,
    /// Used as shown.
    #[serde(default)]
    pub used: Option<u32>,
    /// Daily quota as shown.
    #[serde(default)]
    pub daily_quota: Option<u32>,
    /// `board` or `api`.
    pub source: String,
}

/// Records the operations share. `settings` null → defaults; `ledgers` maps storage keys
/// (as from [`super::ledger_keys`]) to stored values, missing or null when there is none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct QuotaInputs {
    /// The settings record.
    pub settings: Option<Value>,
    /// Stored day ledgers by key.
    pub ledgers: BTreeMap<String, Value>,
    /// Paid orders per China day.
    pub paid_orders: Vec<PaidOrdersDay>,
    /// Route counts for the raise helper.
    pub routes: RouteCounts,
    /// The shop's endpoint record (`quota/endpoint/<shop>`), when there is one.
    pub endpoint: Option<Value>,
}

/// `quotaRecordEvent`'s request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct RecordEventRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// The observed decrypt.
    pub event: DecryptEvent,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `quotaRecordPageDecrypt`'s request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct PageEventRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// What the page showed.
    pub page_event: PageDecrypt,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `quotaRecordSilent`'s request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct SilentRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// The silent click.
    pub silent: SilentReport,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// The numbers the page showed for one shop, once read (see [`super::reads`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct RecordPageShowsRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// What the page showed, oldest first; all for the same shop.
    pub shows: Vec<ShownQuota>,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `quotaDashboard`'s request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct DashboardRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// The shop.
    pub shop: String,
    /// Now (epoch ms).
    pub now_ms: i64,
}
