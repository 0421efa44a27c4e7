//! What the page showed of today's quota, as read: a board block's words, or an answer's
//! numeric fields. The numbers are taken out here ([`super::shown`], through the site profile's
//! words), the quota endpoint is offered and confirmed ([`super::endpoint`]), and what reads as
//! used and total is recorded like any numbers the workbench showed (the page wins over our
//! count). A block that names the quota but cannot be read is kept for the self-check.

use super::api::{DashboardRequest, KeyedRecord, QuotaUpdate, RecordPageShowsRequest, ShownQuota};
use super::endpoint::endpoint_key;
use super::ids::ledger_key;
use super::ledger::{DayLedger, PageSource};
use super::service::{dashboard, load_endpoint, record_page_shows};
use super::shown::{read_board, read_fields, QuotaWords, ReadQuota};
use super::{QuotaError, QuotaInputs};
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One thing the page showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageRead {
    /// The shop.
    pub shop: String,
    /// When it was seen (epoch ms).
    pub at_ms: i64,
    /// `board` (a block of the page's text), `api` (the profile's quota answer) or `answer`
    /// (a small answer from another path whose field names look like a quota).
    pub source: String,
    /// The day the answer said its numbers are for (`YYYY-MM-DD`), if it did.
    #[serde(default)]
    pub day: Option<String>,
    /// `board`: the block's text (read here, never stored).
    #[serde(default)]
    pub text: Option<String>,
    /// `answer`: the path (no query).
    #[serde(default)]
    pub path: Option<String>,
    /// `api` and `answer`: the answer data's numeric fields.
    #[serde(default)]
    pub fields: BTreeMap<String, f64>,
}

/// `quotaRecordPageReads`' request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "super::wire::QuotaWire")]
pub struct RecordPageReadsRequest {
    /// Stored records and inputs.
    #[serde(flatten)]
    pub inputs: QuotaInputs,
    /// What the page showed, oldest first; all for the same shop.
    pub reads: Vec<PageRead>,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// True when today's ledger holds the quota answer's numbers `q` as the page's latest.
fn shows_last_answer(inputs: &QuotaInputs, shop: &str, q: ReadQuota, now_ms: i64) -> bool {
    let key = ledger_key(shop, ChinaDay::from_ms(now_ms));
    let Some(ledger) = inputs.ledgers.get(&key).and_then(|v| DayLedger::load(&key, v).ok()) else {
        return false;
    };
    let used = ledger.page_used.as_ref().is_some_and(|p| p.source == PageSource::Api && p.used == q.used);
    let quota =
        ledger.page_quota.as_ref().is_some_and(|p| p.source == PageSource::Api && p.daily_quota == q.daily_quota);
    used && quota
}

/// Reads what the page showed through `words` and records it.
pub fn record_page_reads(req: &RecordPageReadsRequest, words: &QuotaWords) -> Result<QuotaUpdate, QuotaError> {
    let first = req.reads.first().ok_or_else(|| QuotaError::InvalidRequest("nothing read".into()))?;
    let shop = first.shop.trim().to_string();
    let key = endpoint_key(&shop);
    let (mut record, problem) = load_endpoint(&req.inputs, &shop);
    let mut dirty = problem.is_some();
    let mut shows = Vec::new();
    for (i, r) in req.reads.iter().enumerate() {
        let bad = |m: String| QuotaError::InvalidRequest(format!("page read {}: {m}", i + 1));
        if r.shop.trim() != shop {
            return Err(bad(format!("shop `{}` differs from `{shop}`", r.shop)));
        }
        let show = |source: &str, used: u32, daily_quota: u32| ShownQuota {
            shop: shop.clone(),
            day: r.day.clone(),
            at_ms: r.at_ms,
            used: Some(used),
            daily_quota: Some(daily_quota),
            source: source.into(),
        };
        match r.source.as_str() {
            "board" => {
                let text = r.text.as_deref().ok_or_else(|| bad("a board read without its text".into()))?;
                match read_board(text, words) {
                    Some(q) => {
                        dirty |= record.confirm_quota(q, r.at_ms);
                        // The board shows the quota answer the page received: the same numbers
                        // as that answer were recorded at its own, earlier time; taken again
                        // now they would hide decrypts counted since.
                        if !shows_last_answer(&req.inputs, &shop, q, req.now_ms) {
                            shows.push(show("board", q.used, q.daily_quota));
                        }
                    }
                    None => dirty |= record.note_board_unread(r.at_ms),
                }
            }
            "api" => {
                if let Some(q) = read_fields(&r.fields, words) {
                    shows.push(show("api", q.used, q.daily_quota));
                }
            }
            "answer" => {
                let path = r.path.as_deref().ok_or_else(|| bad("an answer read without its path".into()))?;
                let Some(q) = read_fields(&r.fields, words) else { continue };
                if record.quota_path.as_deref() == Some(path) {
                    shows.push(show("api", q.used, q.daily_quota));
                } else {
                    let keys: Vec<String> = r.fields.keys().cloned().collect();
                    dirty |= record.offer_quota(path, &keys, q, r.at_ms);
                }
            }
            other => return Err(bad(format!("source `{other}` is not `board`, `api` or `answer`"))),
        }
    }
    let mut inputs = req.inputs.clone();
    inputs.endpoint = serde_json::to_value(&record).ok();
    let mut update = if shows.is_empty() {
        dashboard(&DashboardRequest { inputs, shop: shop.clone(), now_ms: req.now_ms })?
    } else {
        record_page_shows(&RecordPageShowsRequest { inputs, shows, now_ms: req.now_ms })?
    };
    update.problems.extend(problem);
    if dirty {
        if let Ok(value) = serde_json::to_value(&record) {
            update.changed.push(KeyedRecord { key, value });
        }
    }
    Ok(update)
}

#[cfg(test)]
#[path = "reads_tests.rs"]
mod tests;
