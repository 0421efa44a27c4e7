//! One shop's decrypts on one China day, as the platform counts them.
//!
//! The platform charges one unit per package per China day; a second view of the same package
//! that day is free, and a refused view is free. The ledger keeps every observed decrypt (so
//! the popup can list them) and the latest numbers the workbench itself showed, which win over
//! our own count: `used = shown + charged since it was shown`, and each disagreement is kept
//! as a correction.

use super::ids::{is_package_id, ledger_key, parse_ledger_key};
use super::limit::LimitSource;
use super::page::{SilentClick, Via};
use super::service::CLOCK_TOLERANCE_MS;
use super::{load_versioned, QuotaError, SCHEMA_VERSION};
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Beyond this many entries a day, repeats and refusals are only counted (charged decrypts
/// are always kept: dedupe needs them). Keeps one record small whatever the page does.
pub const MAX_LOGGED: usize = 2000;
/// Corrections kept per day (the oldest go first).
const MAX_CORRECTIONS: usize = 50;

/// How the platform counted one observed decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventOutcome {
    /// The first successful decrypt of this package today: one unit spent.
    Charged,
    /// The package was already decrypted today: free.
    Repeat,
    /// The platform refused the decrypt: nothing spent.
    Refused,
}

/// Where a page-shown number came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSource {
    /// The privacy board (隐私保护) page.
    Board,
    /// The quota API answer the page received.
    Api,
    /// A decrypt refused because the quota was spent: the limit has been reached.
    Refusal,
}

/// One observed decrypt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LedgerEntry {
    /// The package (`P` + 15 or more digits).
    pub package_id: String,
    /// When the page received the answer (epoch ms, as the browser's clock said).
    pub at_ms: i64,
    /// The browser tab it happened in, when known.
    #[serde(default)]
    pub tab_id: Option<i64>,
    /// How it was counted.
    pub outcome: EventOutcome,
    /// True when the clock had jumped back and the event was filed under the latest day seen.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clock_adjusted: bool,
    /// Which signal saw it: the request (left out when stored), the page, or both.
    #[serde(default, skip_serializing_if = "Via::is_request")]
    pub via: Via,
    /// When merged: the other signal's time (so a retry of it is known as a repeat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_at_ms: Option<i64>,
}

/// The used count the workbench last showed, and our own count at that moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageUsed {
    /// Used as the page showed it.
    pub used: u32,
    /// Our charged count when it was shown; charges after that add to `used`.
    pub base_charged: u32,
    /// Where it came from.
    pub source: PageSource,
    /// When it was shown (epoch ms).
    pub at_ms: i64,
}

/// The daily quota the workbench last showed for this day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PageQuota {
    /// The daily quota as shown.
    pub daily_quota: u32,
    /// Where it came from.
    pub source: PageSource,
    /// When it was shown (epoch ms).
    pub at_ms: i64,
}

/// A moment the page's used count differed from ours; the page won.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Correction {
    /// When (epoch ms).
    pub at_ms: i64,
    /// Where the page's number came from.
    pub source: PageSource,
    /// What we had counted.
    pub counted: u32,
    /// What the page showed (and what used became).
    pub shown: u32,
}

/// The limit that applied when the ledger was last written, for the history chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitSnapshot {
    /// The daily limit.
    pub limit: u32,
    /// Where it came from.
    pub source: LimitSource,
}

/// The ledger record of one shop on one China day (`v` = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DayLedger {
    /// Schema version.
    pub v: u32,
    /// The shop ID.
    pub shop: String,
    /// The China day, stored as `YYYY-MM-DD`.
    #[serde(with = "iso_day")]
    pub day: ChinaDay,
    /// Observed decrypts in the order the service worker received them.
    #[serde(default)]
    pub entries: Vec<LedgerEntry>,
    /// Repeats and refusals counted but not logged because the log was full.
    #[serde(default)]
    pub dropped: u32,
    /// The used count the page last showed.
    #[serde(default)]
    pub page_used: Option<PageUsed>,
    /// The daily quota the page last showed.
    #[serde(default)]
    pub page_quota: Option<PageQuota>,
    /// Disagreements between our count and the page's.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// Warning thresholds already fired today (percent; 100 = none left).
    #[serde(default)]
    pub warned: Vec<u8>,
    /// The limit that applied when last written.
    #[serde(default)]
    pub limit: Option<LimitSnapshot>,
    /// 查看 clicks that showed plain text with no decrypt recorded (cleared by the next good count).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silent: Vec<SilentClick>,
    /// When the record was last written (epoch ms), so retention can purge old days by age.
    #[serde(default)]
    pub updated_at_ms: i64,
}

impl DayLedger {
    /// An empty ledger.
    pub fn new(shop: &str, day: ChinaDay) -> Self {
        DayLedger {
            v: SCHEMA_VERSION,
            shop: shop.to_string(),
            day,
            entries: Vec::new(),
            dropped: 0,
            page_used: None,
            page_quota: None,
            corrections: Vec::new(),
            warned: Vec::new(),
            limit: None,
            silent: Vec::new(),
            updated_at_ms: 0,
        }
    }

    /// This ledger's storage key.
    pub fn key(&self) -> String {
        ledger_key(&self.shop, self.day)
    }

    /// Reads a stored ledger saved under `key` and checks its invariants; the error names `key`.
    pub fn load(key: &str, value: &serde_json::Value) -> Result<Self, QuotaError> {
        let ledger: DayLedger = load_versioned(key, value)?;
        ledger.check().map_err(|detail| QuotaError::CorruptRecord { record: key.to_string(), detail })?;
        if let Some((shop, day)) = parse_ledger_key(key) {
            if shop != ledger.shop || day != ledger.day {
                return Err(QuotaError::CorruptRecord {
                    record: key.to_string(),
                    detail: format!("holds shop `{}` day {}", ledger.shop, ledger.day.iso()),
                });
            }
        }
        Ok(ledger)
    }

    /// The invariants a stored ledger must keep.
    fn check(&self) -> Result<(), String> {
        let mut charged = HashSet::new();
        for (i, e) in self.entries.iter().enumerate() {
            if !is_package_id(&e.package_id) {
                return Err(format!("entry {}: `{}` is not a package ID", i + 1, e.package_id));
            }
            if e.outcome == EventOutcome::Charged && !charged.insert(e.package_id.as_str()) {
                return Err(format!("entry {}: package {} charged twice", i + 1, e.package_id));
            }
        }
        if let Some(p) = &self.page_used {
            if p.base_charged as usize > charged.len() {
                return Err("page correction counts more charges than the log has".into());
            }
        }
        Ok(())
    }

    /// Distinct packages charged today according to our own observations.
    pub fn charged_count(&self) -> u32 {
        let n = self.entries.iter().filter(|e| e.outcome == EventOutcome::Charged).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// True when `package_id` was already charged today.
    pub fn is_charged(&self, package_id: &str) -> bool {
        self.entries.iter().any(|e| e.outcome == EventOutcome::Charged && e.package_id == package_id)
    }

    /// Used today: our charged count, unless the page showed a number, which wins; charges seen
    /// after it add to it. Never negative.
    pub fn used(&self) -> u32 {
        let charged = self.charged_count();
        match &self.page_used {
            Some(p) => p.used.saturating_add(charged.saturating_sub(p.base_charged)),
            None => charged,
        }
    }

    /// The time of the latest entry (the clock's high-water mark for this day).
    pub fn latest_at_ms(&self) -> Option<i64> {
        self.entries.iter().map(|e| e.at_ms).max()
    }

    /// Records one decrypt seen on the request (see [`DayLedger::record_via`]).
    pub fn record(
        &mut self,
        package_id: &str,
        at_ms: i64,
        tab_id: Option<i64>,
        success: bool,
        clock_adjusted: bool,
    ) -> EventOutcome {
        self.record_via(package_id, at_ms, tab_id, success, clock_adjusted, Via::Request)
    }

    /// Records one observed decrypt, seen `via` one signal, and returns how it was counted.
    /// `package_id` must already be checked with [`is_package_id`]. The same delivery twice
    /// (same package, tab, instant and signal: a content script retrying after a lost reply) is
    /// recorded once, and the other signal of the same decrypt is merged into its entry
    /// ([`super::page::MERGE_MS`]). A charge seen at or before the page's last used count is
    /// taken as counted in it. A good count clears the silent clicks.
    pub fn record_via(
        &mut self,
        package_id: &str,
        at_ms: i64,
        tab_id: Option<i64>,
        success: bool,
        clock_adjusted: bool,
        via: Via,
    ) -> EventOutcome {
        if let Some(i) = self.exact_repeat(package_id, at_ms, tab_id, via) {
            return self.entries[i].outcome;
        }
        if let Some(outcome) = self.merge_other(package_id, at_ms, success, via) {
            if success {
                self.silent.clear();
            }
            return outcome;
        }
        let outcome = match (success, self.is_charged(package_id)) {
            (false, _) => EventOutcome::Refused,
            (true, true) => EventOutcome::Repeat,
            (true, false) => EventOutcome::Charged,
        };
        if success {
            self.silent.clear();
        }
        if outcome != EventOutcome::Charged && self.entries.len() >= MAX_LOGGED {
            self.dropped = self.dropped.saturating_add(1);
            return outcome;
        }
        self.entries.push(LedgerEntry {
            package_id: package_id.to_string(),
            at_ms,
            tab_id,
            outcome,
            clock_adjusted,
            via,
            merged_at_ms: None,
        });
        // A decrypt seen before the number the page showed, but delivered after it (from another
        // tab, or behind a slow message), is already in that number: count it once. A time the
        // ledger had to adjust says nothing about the order, so such a decrypt adds.
        if outcome == EventOutcome::Charged && !clock_adjusted {
            if let Some(p) = self.page_used.as_mut().filter(|p| at_ms <= p.at_ms) {
                p.base_charged = p.base_charged.saturating_add(1);
            }
        }
        outcome
    }

    /// Takes the used count the page showed at `at_ms`. Charges we recorded after that instant
    /// (another tab, a slow message) are not in the page's number, so they still add to it.
    /// A number seen up to [`CLOCK_TOLERANCE_MS`] before the one held is ignored (a late
    /// delivery). Returns true when it differed from ours (a correction is recorded) or was not
    /// yet known.
    pub fn apply_page_used(&mut self, shown: u32, source: PageSource, at_ms: i64) -> bool {
        // A number seen shortly before the one held, delivered after it (from another tab), is
        // stale: the later one has fewer decrypts after it whose times could be off. Much older
        // means the clock was set back, and then the new number is the one to take.
        if self
            .page_used
            .as_ref()
            .is_some_and(|p| at_ms < p.at_ms && at_ms >= p.at_ms.saturating_sub(CLOCK_TOLERANCE_MS))
        {
            return false;
        }
        let later = self.entries.iter().filter(|e| e.outcome == EventOutcome::Charged && e.at_ms > at_ms).count();
        let later = u32::try_from(later).unwrap_or(u32::MAX);
        let base_charged = self.charged_count().saturating_sub(later);
        // What we had counted for the same moment, to see whether the page disagrees.
        let counted = self.used().saturating_sub(later);
        let before = self.page_used.clone();
        self.page_used = Some(PageUsed { used: shown, base_charged, source, at_ms });
        if counted != shown {
            self.corrections.push(Correction { at_ms, source, counted, shown });
            if self.corrections.len() > MAX_CORRECTIONS {
                self.corrections.remove(0);
            }
        }
        counted != shown || before.is_none()
    }

    /// Takes the daily quota the page showed. Returns true when it changed.
    pub fn apply_page_quota(&mut self, daily_quota: u32, source: PageSource, at_ms: i64) -> bool {
        let changed = self.page_quota.as_ref().is_none_or(|q| q.daily_quota != daily_quota);
        self.page_quota = Some(PageQuota { daily_quota, source, at_ms });
        changed
    }

    /// Marks threshold `pct` fired; false when it already had.
    pub fn mark_warned(&mut self, pct: u8) -> bool {
        if self.warned.contains(&pct) {
            return false;
        }
        self.warned.push(pct);
        crate::sort::sort(&mut self.warned);
        true
    }
}

/// Serde for [`ChinaDay`] as `YYYY-MM-DD` text, so stored records read like the UI.
mod iso_day {
    use crate::chinaday::ChinaDay;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &ChinaDay, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&day.iso())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ChinaDay, D::Error> {
        let text = String::deserialize(d)?;
        ChinaDay::parse_iso(&text)
            .filter(|day| day.iso() == text)
            .ok_or_else(|| D::Error::custom(format!("`{text}` is not a YYYY-MM-DD day")))
    }
}
