//! Decrypts seen on the page, as well as on the request.
//!
//! Nothing public shows the workbench's real decrypt request, so a decrypt is also recognised
//! from what the page shows (SPEC.md, "Unknowns"): the merchant clicks a row's 查看 control and
//! that row's buyer fields turn from masked to plain within [`PageRules::settle_ms`]. The
//! content script only checks masked → not masked (it never reads the plain text) and reports
//! the package, the click's time and whether it turned plain; a toast after the click while the
//! row stays masked is a refusal. This module holds every rule about those reports:
//!
//! - which signal saw a decrypt ([`Via`]), and how the two signals of one decrypt are merged
//!   into one ledger entry ([`MERGE_MS`]) so a decrypt is never counted twice;
//! - which refusal words mean the quota is spent ([`refusal_means_spent`]);
//! - clicks that showed plain text with no decrypt recorded ([`SilentClick`]): the badge shows
//!   `?` until the next decrypt is counted fine;
//! - what the page showed today, for the self-check ([`PageFactsView`]).

use super::dashboard::DashboardView;
use super::ledger::{DayLedger, EventOutcome, LedgerEntry};
use serde::{Deserialize, Serialize};

/// Two signals (request and page) of the same package and verdict at most this far apart are
/// one decrypt. A person does not view one order twice within it, and the page shows the plain
/// text within a few seconds of the answer.
pub const MERGE_MS: i64 = 30_000;
/// How long after a 查看 click the content script waits for the row to turn plain (or a toast).
pub const SETTLE_MS: i64 = 6_000;
/// How long after a row turned plain a decrypt must have been recorded, else the click is silent.
pub const SILENT_MS: i64 = 5_000;
/// Silent clicks kept per day (the oldest go first).
const MAX_SILENT: usize = 50;

/// Refusal words of the platform (SPEC.md): a toast or element showing one of these after a
/// 查看 click is a refusal of that package.
pub const REFUSAL_TEXTS: [&str; 3] = [
    "今日解密次数已用完",
    "触发解密限额，无法解密，请对接平台电子面单或联系平台处理",
    "解密限额接口调用异常，无法解密，请联系平台",
];
/// The open API's code for "the decrypt limit is reached" (`-2000701`).
pub const CODE_LIMIT_REACHED: i64 = -2_000_701;
/// The open API's code for "the limit service failed" (`-2000702`): refused, nothing said of
/// the quota.
pub const CODE_LIMIT_ERROR: i64 = -2_000_702;

/// Which signal saw a decrypt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The page-world hook saw the decrypt answer.
    #[default]
    Request,
    /// The row's buyer fields turned plain (or a toast refused it) after a 查看 click.
    Page,
    /// Both signals saw it (merged into one entry).
    Both,
}

impl Via {
    /// True for [`Via::Request`] (the form left out of stored entries).
    pub fn is_request(&self) -> bool {
        *self == Via::Request
    }

    /// True when an entry seen this way includes a signal of kind `other`.
    pub fn covers(self, other: Via) -> bool {
        self == other || self == Via::Both
    }
}

/// A 查看 click that showed plain text and for which no decrypt got recorded in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SilentClick {
    /// The click's time (epoch ms).
    pub at_ms: i64,
    /// The package of the row.
    pub package_id: String,
}

/// The timings and words the content script needs to read decrypts from the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageRules {
    /// Texts that, shown after a 查看 click, refuse the decrypt.
    pub refusal_texts: Vec<String>,
    /// How long to wait for the row to turn plain (ms).
    pub settle_ms: i64,
    /// How long a plain row may wait for its decrypt to be recorded (ms).
    pub silent_ms: i64,
}

/// The page rules of this build.
pub fn page_rules() -> PageRules {
    PageRules {
        refusal_texts: REFUSAL_TEXTS.iter().map(|s| (*s).to_string()).collect(),
        settle_ms: SETTLE_MS,
        silent_ms: SILENT_MS,
    }
}

/// True when a refusal's `code` or words say the daily quota is spent (not a passing error).
pub fn refusal_means_spent(code: Option<i64>, msg: &str) -> bool {
    code == Some(CODE_LIMIT_REACHED) || REFUSAL_TEXTS[..2].iter().any(|t| msg.contains(t))
}

/// Decrypts seen today, by signal (charged and repeat; refusals apart).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViaCounts {
    /// Seen by the request only.
    pub request: u32,
    /// Seen on the page only.
    pub page: u32,
    /// Seen by both.
    pub both: u32,
}

/// A decrypt endpoint learned from the page (none is learned by this build).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LearnedEndpoint {
    /// The path.
    pub path: String,
    /// The body's keys (never values).
    pub keys: Vec<String>,
    /// On how many page-seen decrypts it was sent.
    pub seen: u32,
}

/// What the page showed today, for the self-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageFactsView {
    /// Today, `YYYY-MM-DD`.
    pub day: String,
    /// Decrypts by signal.
    pub decrypts: ViaCounts,
    /// Clicks that showed plain text with no decrypt counted.
    pub silent: Vec<SilentClick>,
    /// The learned decrypt endpoint, if any.
    pub decrypt_endpoint: Option<LearnedEndpoint>,
    /// Refusals seen on the page (a toast or the platform's words after a 查看 click).
    pub refusals: u32,
    /// The quota endpoint the board confirmed, if any.
    pub quota_endpoint: Option<String>,
    /// Answers offered as the quota endpoint (path and field names, never values).
    pub quota_offers: Vec<OfferedEndpoint>,
    /// When a board block naming the quota was seen but not read (since the last good read).
    pub board_unread_at_ms: Option<i64>,
}

/// An answer offered as the quota endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferedEndpoint {
    /// The path.
    pub path: String,
    /// Its numeric field names.
    pub keys: Vec<String>,
}

/// Today's page facts from today's ledger.
pub fn page_facts(today: &DayLedger) -> PageFactsView {
    let mut decrypts = ViaCounts::default();
    let mut refusals = 0u32;
    for e in &today.entries {
        if e.outcome == EventOutcome::Refused {
            if e.via.covers(Via::Page) {
                refusals = refusals.saturating_add(1);
            }
            continue;
        }
        let n = match e.via {
            Via::Request => &mut decrypts.request,
            Via::Page => &mut decrypts.page,
            Via::Both => &mut decrypts.both,
        };
        *n = n.saturating_add(1);
    }
    PageFactsView {
        day: today.day.iso(),
        decrypts,
        silent: today.silent.clone(),
        decrypt_endpoint: None,
        refusals,
        quota_endpoint: None,
        quota_offers: Vec::new(),
        board_unread_at_ms: None,
    }
}

/// The badge's text: `?` while a click showed plain text with no decrypt counted (the number
/// may be wrong), else what is left.
pub fn badge_text(view: &DashboardView) -> String {
    if view.page_facts.silent.is_empty() {
        view.remaining.to_string()
    } else {
        "?".into()
    }
}

impl DayLedger {
    /// The entry the same signal already delivered (a content script retrying with the same
    /// package, instant and tab), if any.
    pub(super) fn exact_repeat(&self, package_id: &str, at_ms: i64, tab_id: Option<i64>, via: Via) -> Option<usize> {
        self.entries.iter().position(|e| {
            e.package_id == package_id
                && e.tab_id == tab_id
                && e.via.covers(via)
                && (e.at_ms == at_ms || e.merged_at_ms == Some(at_ms))
        })
    }

    /// The entry the other signal recorded for the same decrypt: same package and verdict,
    /// seen only the other way, at most [`MERGE_MS`] apart. It becomes [`Via::Both`].
    pub(super) fn merge_other(
        &mut self,
        package_id: &str,
        at_ms: i64,
        success: bool,
        via: Via,
    ) -> Option<EventOutcome> {
        let other = match via {
            Via::Request => Via::Page,
            Via::Page => Via::Request,
            Via::Both => return None,
        };
        let e: &mut LedgerEntry = self.entries.iter_mut().find(|e| {
            e.package_id == package_id
                && e.via == other
                && (e.outcome != EventOutcome::Refused) == success
                && (e.at_ms - at_ms).abs() <= MERGE_MS
        })?;
        e.via = Via::Both;
        e.merged_at_ms = Some(at_ms);
        Some(e.outcome)
    }

    /// Notes a click that showed plain text for `package_id` at `at_ms` whose decrypt was not
    /// recorded in time. Ignored (false) when a decrypt of that package was recorded since
    /// (shortly before) the click, or the same click is already noted.
    pub fn note_silent(&mut self, package_id: &str, at_ms: i64) -> bool {
        let counted = self.entries.iter().any(|e| {
            e.package_id == package_id
                && e.outcome != EventOutcome::Refused
                && e.at_ms >= at_ms.saturating_sub(MERGE_MS)
        });
        if counted || self.silent.iter().any(|s| s.package_id == package_id && s.at_ms == at_ms) {
            return false;
        }
        self.silent.push(SilentClick { at_ms, package_id: package_id.to_string() });
        if self.silent.len() > MAX_SILENT {
            self.silent.remove(0);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chinaday::ChinaDay;

    const T: i64 = 1_795_233_600_000;

    fn ledger() -> DayLedger {
        DayLedger::new("s", ChinaDay::from_ms(T))
    }

    fn id(n: u32) -> String {
        format!("P{n:016}")
    }

    #[test]
    fn the_two_signals_of_one_decrypt_count_once_whichever_comes_first() {
        let mut l = ledger();
        assert_eq!(l.record_via(&id(1), T, Some(1), true, false, Via::Page), EventOutcome::Charged);
        assert_eq!(l.record_via(&id(1), T + 800, Some(1), true, false, Via::Request), EventOutcome::Charged);
        assert_eq!(l.record_via(&id(2), T + 5000, Some(1), true, false, Via::Request), EventOutcome::Charged);
        assert_eq!(l.record_via(&id(2), T + 4000, Some(1), true, false, Via::Page), EventOutcome::Charged);
        assert_eq!((l.entries.len(), l.charged_count(), l.used()), (2, 2, 2));
        assert!(l.entries.iter().all(|e| e.via == Via::Both));
        // Retries of either signal are recorded once.
        assert_eq!(l.record_via(&id(2), T + 4000, Some(1), true, false, Via::Page), EventOutcome::Charged);
        assert_eq!(l.record_via(&id(1), T + 800, Some(1), true, false, Via::Request), EventOutcome::Charged);
        assert_eq!(l.entries.len(), 2);
    }

    #[test]
    fn a_second_view_later_is_a_free_repeat_and_far_signals_do_not_merge() {
        let mut l = ledger();
        l.record_via(&id(1), T, None, true, false, Via::Request);
        assert_eq!(l.record_via(&id(1), T + MERGE_MS + 1, None, true, false, Via::Page), EventOutcome::Repeat);
        let f = page_facts(&l);
        assert_eq!(f.decrypts, ViaCounts { request: 1, page: 1, both: 0 });
        // A merged entry does not swallow the next view of the same signal.
        let mut l = ledger();
        l.record_via(&id(1), T, None, true, false, Via::Request);
        l.record_via(&id(1), T + 100, None, true, false, Via::Page);
        assert_eq!(l.record_via(&id(1), T + 2000, None, true, false, Via::Request), EventOutcome::Repeat);
        assert_eq!(page_facts(&l).decrypts, ViaCounts { request: 1, page: 0, both: 1 });
    }

    #[test]
    fn a_page_refusal_is_recorded_refused_and_merges_with_the_refused_answer() {
        let mut l = ledger();
        assert_eq!(l.record_via(&id(3), T, None, false, false, Via::Page), EventOutcome::Refused);
        assert_eq!(l.record_via(&id(3), T + 300, None, false, false, Via::Request), EventOutcome::Refused);
        assert_eq!((l.entries.len(), l.used()), (1, 0));
        let f = page_facts(&l);
        assert_eq!((f.refusals, f.decrypts), (1, ViaCounts::default()));
        // A success never merges into a refusal.
        assert_eq!(l.record_via(&id(3), T + 400, None, true, false, Via::Page), EventOutcome::Charged);
    }

    #[test]
    fn refusal_words_and_codes() {
        assert!(refusal_means_spent(None, "今日解密次数已用完"));
        assert!(refusal_means_spent(Some(-2_000_701), ""));
        assert!(refusal_means_spent(None, "触发解密限额，无法解密，请对接平台电子面单或联系平台处理"));
        assert!(!refusal_means_spent(Some(CODE_LIMIT_ERROR), "解密限额接口调用异常，无法解密，请联系平台"));
        assert!(!refusal_means_spent(None, "系统繁忙"));
        assert_eq!(page_rules().refusal_texts.len(), 3);
    }

    #[test]
    fn silent_clicks_are_noted_once_and_cleared_by_the_next_good_count() {
        let mut l = ledger();
        assert!(l.note_silent(&id(5), T));
        assert!(!l.note_silent(&id(5), T), "the same click once");
        assert_eq!(page_facts(&l).silent, vec![SilentClick { at_ms: T, package_id: id(5) }]);
        // A refusal is no good count: the fact stays.
        l.record_via(&id(6), T + 10, None, false, false, Via::Page);
        assert_eq!(l.silent.len(), 1);
        l.record_via(&id(7), T + 20, None, true, false, Via::Request);
        assert!(l.silent.is_empty());
        // A click whose decrypt was recorded already is not silent.
        assert!(!l.note_silent(&id(7), T + 15));
        for n in 0..60 {
            l.note_silent(&id(100 + n), T + i64::from(n));
        }
        assert_eq!(l.silent.len(), MAX_SILENT);
    }
}
