//! The quota level (badge colour) and the warnings due, each at most once a day per shop.
//!
//! Thresholds are percentages of today's limit (default 75 % and 90 %) plus "none left". The
//! ledger of the day remembers what has fired, so reloading the popup, restarting the service
//! worker or a second tab never repeats a warning, and a new day starts fresh.

use super::ledger::DayLedger;
use super::QuotaSettings;
use serde::{Deserialize, Serialize};

/// The `warned` marker of the "none left" warning.
pub const EMPTY_MARK: u8 = 100;

/// How close the shop is to its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Below the warning threshold.
    Ok,
    /// At or above the warning threshold.
    Warn,
    /// At or above the critical threshold.
    Critical,
    /// Nothing left today.
    Empty,
}

/// A warning newly due (the ledger has now marked it fired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// The threshold crossed: a percentage, or 100 for "none left".
    pub threshold: u8,
    /// The level it belongs to.
    pub level: Level,
    /// Used when it fired.
    pub used: u32,
    /// The limit when it fired.
    pub limit: u32,
    /// Left when it fired.
    pub remaining: u32,
    /// The message's translation key (a chrome.i18n name, e.g. `quotaWarningCritical`).
    pub text_key: String,
}

/// True when `used` is at least `pct` percent of `limit` (exact integer arithmetic).
fn reached(used: u32, limit: u32, pct: u8) -> bool {
    u64::from(used) * 100 >= u64::from(pct) * u64::from(limit)
}

/// The level for `used` of `limit`.
pub fn level(used: u32, limit: u32, settings: &QuotaSettings) -> Level {
    if used >= limit {
        Level::Empty
    } else if reached(used, limit, settings.critical_percent) {
        Level::Critical
    } else if reached(used, limit, settings.warn_percent) {
        Level::Warn
    } else {
        Level::Ok
    }
}

/// The warnings crossed and not yet fired today, lowest first; marks them fired in `ledger`.
/// When several are crossed at once (e.g. a page correction), all are returned: the caller
/// shows the last, most severe one.
pub fn take_due(ledger: &mut DayLedger, limit: u32, settings: &QuotaSettings) -> Vec<Warning> {
    let used = ledger.used();
    let remaining = limit.saturating_sub(used);
    let candidates = [
        (settings.warn_percent, Level::Warn, used < limit && reached(used, limit, settings.warn_percent)),
        (settings.critical_percent, Level::Critical, used < limit && reached(used, limit, settings.critical_percent)),
        (EMPTY_MARK, Level::Empty, used >= limit),
    ];
    let mut due = Vec::new();
    for (threshold, level, crossed) in candidates {
        // Reaching zero left also counts as having passed the percentage thresholds: they are
        // marked so that they do not fire later today after the empty warning.
        let passed = crossed || (used >= limit && threshold != EMPTY_MARK);
        if passed && ledger.mark_warned(threshold) && crossed {
            due.push(Warning {
                threshold,
                level,
                used,
                limit,
                remaining,
                text_key: format!("quotaWarning{}", level_key(level)),
            });
        }
    }
    due
}

fn level_key(level: Level) -> &'static str {
    match level {
        Level::Ok => "Ok",
        Level::Warn => "Warn",
        Level::Critical => "Critical",
        Level::Empty => "Empty",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chinaday::ChinaDay;

    fn ledger_with(n: u32) -> DayLedger {
        let mut l = DayLedger::new("s", ChinaDay(20_000));
        for i in 0..n {
            l.record(&format!("P{:015}", i), 0, None, true, false);
        }
        l
    }

    #[test]
    fn levels() {
        let s = QuotaSettings::default();
        assert_eq!(level(14, 20, &s), Level::Ok);
        assert_eq!(level(15, 20, &s), Level::Warn);
        assert_eq!(level(18, 20, &s), Level::Critical);
        assert_eq!(level(20, 20, &s), Level::Empty);
        assert_eq!(level(0, 0, &s), Level::Empty);
    }

    #[test]
    fn each_threshold_once() {
        let s = QuotaSettings::default();
        let mut l = ledger_with(15);
        let due = take_due(&mut l, 20, &s);
        assert_eq!(due.iter().map(|w| w.threshold).collect::<Vec<_>>(), vec![75]);
        assert!(take_due(&mut l, 20, &s).is_empty());
        let mut l = ledger_with(20);
        let due = take_due(&mut l, 20, &s);
        assert_eq!(due.iter().map(|w| w.threshold).collect::<Vec<_>>(), vec![100]);
        assert_eq!(due[0].text_key, "quotaWarningEmpty");
        assert_eq!(l.warned, vec![75, 90, 100]);
    }
}
