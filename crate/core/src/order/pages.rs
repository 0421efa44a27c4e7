//! The pages of the order list RedShip has read that showed orders waiting to ship, and when:
//! what the ship page tells the merchant about how much of the 待发货 list the import is judged
//! against ("已看到 3 页待发货订单，最近 16:42").
//!
//! One small record per shop (`orders/<shop>/pages`), apart from the orders snapshot: the
//! snapshot is rewritten only when an order changed, and this one changes each time a page is
//! read. A page is told apart by its status filter, size and number; a page counts when it was
//! asked for waiting orders only (the 待发货 tab, even empty) or showed at least one. Pages read
//! more than [`PAGES_KEPT_MS`] ago are forgotten: the list has moved on since.

use super::profile::ShipState;
use crate::chinaday::{ChinaDay, CHINA_OFFSET_MS, DAY_MS};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Schema version of [`ListPagesRecord`].
pub const PAGES_VERSION: u32 = 1;
/// How long a page read counts.
pub const PAGES_KEPT_MS: i64 = 24 * 3_600_000;
/// Pages kept at most (the most recent).
const MAX_PAGES: usize = 200;
/// A page read again within this time is not written again (the summary shows minutes).
const RESTAMP_MS: i64 = 30_000;

/// One page read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeenPage {
    /// Status filter, size and number (`4,5|50|2`).
    pub key: String,
    /// When it was last read (epoch ms).
    pub at_ms: i64,
}

/// The record (key `orders/<shop>/pages`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPagesRecord {
    /// Schema version.
    pub v: u32,
    /// Pages read, oldest first.
    #[serde(default)]
    pub pages: Vec<SeenPage>,
}

/// A package of a list answer's summary, as the orders domain answers it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryPackage {
    /// Its state read through the site profile.
    pub state: ShipState,
}

/// A list answer's summary (what `TransitLive.ingest` answers), the part this needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryIn {
    /// The request asked for waiting orders only.
    #[serde(default)]
    pub waiting_only: bool,
    /// Its packages.
    #[serde(default)]
    pub packages: Vec<SummaryPackage>,
}

/// `orderPageSeen` request: a list page the page received.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageSeenRequest {
    /// The list request (`page_no`, `page_size`, `status`), as the page sent it.
    #[serde(default)]
    pub request: Option<Value>,
    /// The answer's summary.
    pub summary: SummaryIn,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// What the ship page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPagesView {
    /// Pages read in the last [`PAGES_KEPT_MS`].
    pub pages: usize,
    /// The last read (epoch ms).
    pub last_ms: Option<i64>,
    /// Its China time `HH:MM`.
    pub last_time: Option<String>,
    /// Its China day `YYYY-MM-DD`.
    pub last_day: Option<String>,
    /// Whether that day is today (China time).
    pub today: bool,
}

fn number(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.trim().chars().take(12).collect(),
        _ => "1".into(),
    }
}

/// The page's key: its status filter (sorted codes), size and number.
fn key(request: Option<&Value>) -> String {
    let mut codes: Vec<String> = match request.and_then(|r| r.get("status")) {
        Some(Value::Array(a)) => a.iter().map(|c| number(Some(c))).collect(),
        Some(v @ (Value::Number(_) | Value::String(_))) => vec![number(Some(v))],
        _ => Vec::new(),
    };
    codes.sort();
    codes.truncate(16);
    let size = request.and_then(|r| r.get("page_size"));
    let page = request.and_then(|r| r.get("page_no"));
    format!("{}|{}|{}", codes.join(","), if size.is_some() { number(size) } else { String::new() }, number(page))
}

/// The record after a list page was read, or `None` when it is unchanged (a page that shows no
/// order waiting outside the 待发货 tab, or one read again within half a minute).
pub fn note(record: Option<ListPagesRecord>, req: &PageSeenRequest) -> Option<ListPagesRecord> {
    let counts = req.summary.waiting_only || req.summary.packages.iter().any(|p| p.state == ShipState::Waiting);
    if !counts {
        return None;
    }
    let mut rec =
        record.filter(|r| r.v == PAGES_VERSION).unwrap_or(ListPagesRecord { v: PAGES_VERSION, pages: vec![] });
    let key = key(req.request.as_ref());
    if rec.pages.iter().any(|p| p.key == key && (0..RESTAMP_MS).contains(&(req.now_ms - p.at_ms))) {
        return None;
    }
    rec.pages.retain(|p| p.key != key && req.now_ms - p.at_ms <= PAGES_KEPT_MS);
    rec.pages.push(SeenPage { key, at_ms: req.now_ms });
    if rec.pages.len() > MAX_PAGES {
        rec.pages.drain(..rec.pages.len() - MAX_PAGES);
    }
    Some(rec)
}

/// What the ship page shows of the record at `now_ms`.
pub fn view(record: Option<&ListPagesRecord>, now_ms: i64) -> ListPagesView {
    let recent: Vec<i64> = record
        .filter(|r| r.v == PAGES_VERSION)
        .map(|r| r.pages.iter().map(|p| p.at_ms).filter(|t| now_ms - t <= PAGES_KEPT_MS).collect())
        .unwrap_or_default();
    let last_ms = recent.iter().max().copied();
    let minutes = |ms: i64| (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 60_000;
    ListPagesView {
        pages: recent.len(),
        last_ms,
        last_time: last_ms.map(|t| format!("{:02}:{:02}", minutes(t) / 60, minutes(t) % 60)),
        last_day: last_ms.map(|t| ChinaDay::from_ms(t).iso()),
        today: last_ms.is_some_and(|t| ChinaDay::from_ms(t) == ChinaDay::from_ms(now_ms)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_765_000_000_000; // 2025-12-06 13:46:40 China time

    fn seen(page: u32, states: &[&str], waiting_only: bool, now_ms: i64) -> PageSeenRequest {
        let packages: Vec<Value> = states.iter().map(|s| json!({"packageId": "P1", "status": 4, "state": s})).collect();
        let summary =
            serde_json::from_value(json!({"total": 9, "waitingOnly": waiting_only, "packages": packages})).unwrap();
        PageSeenRequest { request: Some(json!({"page_no": page, "page_size": 50, "status": [5, 4]})), summary, now_ms }
    }

    #[test]
    fn pages_with_waiting_orders_are_counted_once_each_with_the_last_time() {
        let r = note(None, &seen(1, &["waiting", "shipped"], false, NOW)).unwrap();
        assert_eq!(r.pages, vec![SeenPage { key: "4,5|50|1".into(), at_ms: NOW }]);
        assert_eq!(
            note(Some(r.clone()), &seen(1, &["waiting"], false, NOW + 10_000)),
            None,
            "read again at once: unchanged"
        );
        let r = note(Some(r), &seen(2, &["waiting"], false, NOW + 60_000)).unwrap();
        let r = note(Some(r), &seen(1, &["waiting"], false, NOW + 120_000)).unwrap();
        assert_eq!(r.pages.len(), 2, "page 1 read again is still one page");
        assert_eq!(note(Some(r.clone()), &seen(3, &["shipped", "cancelled"], false, NOW)), None, "no waiting order");
        let r = note(Some(r), &seen(3, &[], true, NOW + 180_000)).unwrap();
        let v = view(Some(&r), NOW + 200_000);
        assert_eq!((v.pages, v.last_ms, v.today), (3, Some(NOW + 180_000), true));
        assert_eq!(v.last_time.as_deref(), Some("13:49"));
        assert_eq!(v.last_day.as_deref(), Some("2025-12-06"));
    }

    #[test]
    fn old_pages_are_forgotten_and_nothing_read_says_so() {
        let r = note(None, &seen(1, &["waiting"], false, NOW)).unwrap();
        let later = NOW + PAGES_KEPT_MS + 1;
        assert_eq!(view(Some(&r), later).pages, 0);
        let r = note(Some(r), &seen(2, &["waiting"], false, later)).unwrap();
        assert_eq!(r.pages.len(), 1, "the old page left the record");
        assert_eq!(
            view(None, NOW),
            ListPagesView { pages: 0, last_ms: None, last_time: None, last_day: None, today: false }
        );
        let v = view(Some(&r), later + DAY_MS + 1);
        assert!(!v.today && v.pages == 0);
    }

    #[test]
    fn the_record_keeps_the_most_recent_pages_only() {
        let mut r = None;
        for n in 0..(MAX_PAGES as u32 + 20) {
            r = Some(note(r, &seen(n + 1, &["waiting"], false, NOW + i64::from(n))).unwrap());
        }
        let r = r.unwrap();
        assert_eq!(r.pages.len(), MAX_PAGES);
        assert_eq!(r.pages[0].key, "4,5|50|21");
    }
}
