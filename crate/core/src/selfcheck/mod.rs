//! The site self-check (站点自检): what RedShip could and could not read on the workbench today,
//! per shop, in lines a merchant can act on, and a diagnostic report to hand to whoever supports
//! them. Nothing public shows several of ark's requests (SPEC.md "Unknowns"), so a failure to
//! read the page must be said in words where the merchant looks, never only in a console.
//!
//! The worker keeps one [`ListRecord`] per shop (what the order answers showed today) and hands
//! it in with the other domains' facts; [`check`] turns them into lines and [`report`] into text
//! with no buyer data, no order IDs and no tracking numbers in it.

mod lines;
mod list_help;
mod parts;
mod report;
#[cfg(test)]
mod tests;

pub use lines::{
    check, CheckInput, CheckLine, CheckView, DecryptCounts, DialogFacts, Endpoint, Level, Offer, PageFacts,
};
pub use list_help::{
    list_help_line, matches as list_help_matches, seen as list_help_seen, ListHelpCounts, ListHelpRecord, ListHelpSeen,
};
pub use parts::{record_parts, PartsRecord, PartsSeen, Tally};
pub use report::report;

use crate::chinaday::ChinaDay;
use crate::order::facts::{AnswerFacts, StatusSeen};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema version of [`ListRecord`].
pub const RECORD_VERSION: u32 = 1;

/// What the order answers showed today for one shop (counts, names and types only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListRecord {
    /// Schema version.
    pub v: u32,
    /// The China day these counts are for (`YYYY-MM-DD`).
    pub day: String,
    /// Order answers read.
    pub answers: usize,
    /// Packages read.
    pub read: usize,
    /// Packages not readable.
    pub unreadable: usize,
    /// Missing or odd fields: field → packages.
    pub gaps: BTreeMap<String, usize>,
    /// Packages whose status was unclear.
    pub unclear: usize,
    /// Status codes seen with their texts.
    pub statuses: Vec<StatusRecord>,
    /// Field paths and value types of the last package seen.
    pub shape: BTreeMap<String, String>,
    /// The last answer, epoch ms.
    pub last_at_ms: Option<i64>,
    /// The list showed rows with package IDs but no package could be read from the page's
    /// answers (reported by the page); cleared by the next answer that reads packages.
    pub unread: Option<Unread>,
}

/// A status pair seen today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRecord {
    /// The code, when readable.
    pub code: Option<u32>,
    /// The platform's text.
    pub text: String,
    /// `waiting`, `shipped`, `cancelled` or `unclear`.
    pub state: String,
    /// Packages seen with it.
    pub count: usize,
}

/// Rows seen on the page that no answer accounted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Unread {
    /// When the page reported it.
    pub at_ms: i64,
    /// Rows with package IDs the list showed.
    pub rows: usize,
}

fn today(rec: Option<ListRecord>, now_ms: i64) -> ListRecord {
    let day = ChinaDay::from_ms(now_ms).iso();
    match rec {
        Some(r) if r.v == RECORD_VERSION && r.day == day => r,
        _ => ListRecord { v: RECORD_VERSION, day, ..ListRecord::default() },
    }
}

/// Adds one order answer's facts to today's record (a new China day starts a new one).
pub fn record_answer(rec: Option<ListRecord>, facts: &AnswerFacts, now_ms: i64) -> ListRecord {
    let mut r = today(rec, now_ms);
    r.answers += 1;
    r.read += facts.read;
    r.unreadable += facts.unreadable;
    r.unclear += facts.unclear;
    for (field, n) in &facts.gaps {
        *r.gaps.entry(field.clone()).or_default() += n;
    }
    for s in &facts.statuses {
        add_status(&mut r.statuses, s);
    }
    if !facts.shape.is_empty() {
        r.shape.clone_from(&facts.shape);
    }
    if facts.read > 0 {
        r.unread = None;
    }
    r.last_at_ms = Some(now_ms);
    r
}

fn add_status(list: &mut Vec<StatusRecord>, s: &StatusSeen) {
    let state = match serde_json::to_value(s.state) {
        Ok(serde_json::Value::String(x)) => x,
        _ => String::new(),
    };
    if let Some(x) = list.iter_mut().find(|x| x.code == s.code && x.text == s.text) {
        x.count += s.count;
        x.state = state;
    } else if list.len() < 30 {
        list.push(StatusRecord { code: s.code, text: s.text.clone(), state, count: s.count });
    }
}

/// The page reported `rows` rows with package IDs that no answer of the page accounted for.
/// Ignored when an answer read packages after `at_ms` (the report came late).
pub fn record_unread(rec: Option<ListRecord>, rows: usize, at_ms: i64, now_ms: i64) -> ListRecord {
    let mut r = today(rec, now_ms);
    let answered_since = r.last_at_ms.is_some_and(|t| t >= at_ms) && r.read > 0;
    if rows > 0 && !answered_since {
        r.unread = Some(Unread { at_ms, rows });
    }
    r
}
