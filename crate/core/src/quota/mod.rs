//! The decrypt-quota ledger: what the page spends, what is left, and when it runs out.
//!
//! The platform counts one decrypt per package per China day (UTC+8) against a daily quota
//! tiered by the shop's busiest day of the last seven. This module keeps that count exactly as
//! the platform does, from the decrypt answers the page receives, and lets the numbers the
//! workbench itself shows win over our own.
//!
//! Style: stateless and record based. The service worker loads small serde records
//! ([`DayLedger`] per shop and China day, one [`QuotaSettings`]), calls one of the operations in
//! [`service`] with `now_ms`, and saves the records returned as changed. Time never comes from
//! the machine here, so midnight, clock jumps and skipped days are all plain inputs in tests.
//!
//! Submodules, one concern each: [`ids`] (package IDs, storage keys), [`tiers`] (tier table),
//! [`settings`], [`api`] (request and answer shapes), [`problems`] (the problems log), [`ledger`] (one day's events and page corrections), [`limit`] (today's limit and
//! where it comes from), [`page`] (decrypts seen on the page, and the `?` of silent clicks), [`endpoint`] (the decrypt and quota endpoints learned from the page), [`shown`] (numbers read from the page's words and answers' fields), [`reads`] (recording them), [`forecast`] (pace, tomorrow's tier), [`list_help`] (the marks and hint on the order list), [`alerts`] (level and
//! once-a-day warnings), [`raise`] (which reason to apply with), [`mod@dashboard`] (the popup's
//! view) and [`service`] (the operations the service worker calls).

pub mod alerts;
pub mod api;
mod context;
pub mod dashboard;
pub mod endpoint;
pub mod forecast;
pub mod ids;
pub mod ledger;
pub mod limit;
pub mod list_help;
pub mod page;
pub mod problems;
pub mod raise;
pub mod reads;
pub mod service;
pub mod settings;
pub mod shown;
pub mod tiers;
mod wire;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_input;
#[cfg(test)]
mod tests_list_help;
#[cfg(test)]
mod tests_page;

pub use alerts::{Level, Warning};
pub use api::{
    DashboardRequest, DecryptEvent, KeyedRecord, PageDecrypt, PageEventRequest, Problem, ProblemKind, QuotaInputs,
    QuotaUpdate, RecordEventRequest, RecordPageShowsRequest, ShownQuota, SilentReport, SilentRequest,
};
pub use dashboard::{DashboardView, HistoryBar, LogRow};
pub use endpoint::{endpoint_key, EndpointRecord, SentRequest};
pub use forecast::{Forecast, TomorrowView};
pub use ids::{is_package_id, ledger_key, parse_ledger_key, SETTINGS_KEY};
pub use ledger::{DayLedger, EventOutcome, LedgerEntry, PageSource};
pub use limit::{LimitSource, PaidOrdersDay, ResolvedLimit};
pub use list_help::{list_help, viewed_today, ListHelpSettings, ListHelpView, DEFAULT_HINT_AT, MAX_HINT_AT, MAX_IDS};
pub use page::{page_rules, PageFactsView, PageRules, SilentClick, Via, ViaCounts};
pub use raise::{RaiseSuggestion, RouteCounts};
pub use reads::{record_page_reads, PageRead, RecordPageReadsRequest};
pub use service::{
    check_records, dashboard, ledger_keys, record_event, record_page_decrypt, record_page_shows, record_silent,
};
pub use settings::{QuotaSettings, ShopSettings};
pub use shown::{read_board, read_fields, QuotaWords, ReadQuota, Roles};
pub use tiers::{Tier, TierTable};

/// The schema version of every quota record this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything that can go wrong in the quota domain. Each message names what and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    /// A stored record could not be read: its JSON does not have the expected shape.
    #[error("quota record `{record}` is corrupt: {detail}")]
    CorruptRecord {
        /// The storage key (or a description) of the record.
        record: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A stored record carries a schema version this build does not know.
    #[error("quota record `{record}` has unknown version {found} (this build reads version {SCHEMA_VERSION})")]
    UnknownVersion {
        /// The storage key of the record.
        record: String,
        /// The version found in the record (`null` or text when it was not a number).
        found: String,
    },
    /// The quota settings the user entered are not usable.
    #[error("额度设置无效：{0}")]
    InvalidSettings(String),
    /// A request from the extension is not usable.
    #[error("quota request: {0}")]
    InvalidRequest(String),
}

/// Reads a stored record: checks its `v` first (so a newer record is named as such, not as
/// corrupt), then its shape. `record` names it in the error (its storage key).
pub(crate) fn load_versioned<T: serde::de::DeserializeOwned>(
    record: &str,
    value: &serde_json::Value,
) -> Result<T, QuotaError> {
    let Some(obj) = value.as_object() else {
        return Err(QuotaError::CorruptRecord { record: record.to_string(), detail: "not a JSON object".into() });
    };
    match obj.get("v") {
        Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
        Some(v) => return Err(QuotaError::UnknownVersion { record: record.to_string(), found: v.to_string() }),
        None => {
            return Err(QuotaError::CorruptRecord { record: record.to_string(), detail: "no version field `v`".into() })
        }
    }
    T::deserialize(value).map_err(|e| QuotaError::CorruptRecord { record: record.to_string(), detail: e.to_string() })
}
