//! Forecast: when today's quota runs out at today's pace, and tomorrow's tier.
//!
//! Pace is measured from today's first charged decrypt to now, over the decrypts after it, so
//! a morning of no work does not look like a slow day; a single decrypt, or less than
//! [`MIN_PACE_WINDOW_MS`] of work, predicts nothing.
//! Tomorrow's limit is the tier of the seven days ending today (today's orders so far count).

use super::ledger::{DayLedger, EventOutcome};
use super::limit::{estimated_limit, LimitSource};
use super::QuotaSettings;
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};

/// Pace is not extrapolated from less than this much work (a burst of three decrypts in a
/// second says nothing about the afternoon).
pub const MIN_PACE_WINDOW_MS: i64 = 15 * 60_000;

/// Tomorrow's expected limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TomorrowView {
    /// Tomorrow, `YYYY-MM-DD`.
    pub day: String,
    /// The 7-day max daily paid orders the tier is based on, when any were seen.
    pub max_paid_orders: Option<u32>,
    /// The 1-based row of the tier table, when based on orders.
    pub tier: Option<u32>,
    /// Expected decrypts a day.
    pub limit: u32,
    /// Where the estimate comes from (`tier`, `user` or `default`).
    pub source: LimitSource,
}

/// The forecast shown in the popup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Forecast {
    /// When the quota runs out at today's pace, if before the reset; otherwise `None`.
    pub eta_ms: Option<i64>,
    /// Average milliseconds between charged decrypts today, when measurable.
    pub ms_per_decrypt: Option<i64>,
    /// Tomorrow's expected limit.
    pub tomorrow: TomorrowView,
}

/// Computes the forecast for `ledger`'s day at `now_ms` with `remaining` units left.
pub fn forecast(
    ledger: &DayLedger,
    remaining: u32,
    now_ms: i64,
    settings: &QuotaSettings,
    paid: &[(ChinaDay, u32)],
) -> Forecast {
    let mut times: Vec<i64> =
        ledger.entries.iter().filter(|e| e.outcome == EventOutcome::Charged).map(|e| e.at_ms).collect();
    crate::sort::sort(&mut times);
    // A clock that jumped back must not make elapsed time negative.
    let now = times.last().map_or(now_ms, |&t| now_ms.max(t));
    let mut ms_per_decrypt = None;
    let mut eta_ms = None;
    if let (Some(&first), n) = (times.first(), times.len()) {
        let elapsed = now - first;
        if n >= 2 && elapsed >= MIN_PACE_WINDOW_MS {
            let intervals = i64::try_from(n - 1).unwrap_or(i64::MAX);
            let per = elapsed / intervals;
            ms_per_decrypt = Some(per);
            if remaining > 0 {
                let eta = i128::from(now) + i128::from(remaining) * i128::from(elapsed) / i128::from(intervals);
                let reset = i128::from(ledger.day.next_reset_ms());
                if eta < reset {
                    eta_ms = i64::try_from(eta).ok();
                }
            }
        }
    }
    let next = ledger.day.plus(1);
    let est = estimated_limit(settings, &ledger.shop, paid, next);
    let tier = est.max_paid_orders.map(|m| u32::try_from(settings.tiers.index_for(m) + 1).unwrap_or(u32::MAX));
    Forecast {
        eta_ms,
        ms_per_decrypt,
        tomorrow: TomorrowView {
            day: next.iso(),
            max_paid_orders: est.max_paid_orders,
            tier,
            limit: est.limit,
            source: est.source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn eta_at_todays_pace() {
        let day = ChinaDay::parse_iso("2026-11-21").expect("day");
        let start = day.start_ms() + 9 * HOUR;
        let mut l = DayLedger::new("s", day);
        for i in 0..5 {
            l.record(&format!("P{:015}", i), start + i * HOUR, None, true, false);
        }
        let s = QuotaSettings::default();
        // 5 decrypts 09:00..13:00, now 13:00 → 1 an hour; 15 left → past midnight: none.
        let f = forecast(&l, 15, start + 4 * HOUR, &s, &[]);
        assert_eq!(f.ms_per_decrypt, Some(HOUR));
        assert_eq!(f.eta_ms, None);
        // 5 left → 18:00.
        let f = forecast(&l, 5, start + 4 * HOUR, &s, &[]);
        assert_eq!(f.eta_ms, Some(start + 9 * HOUR));
        // Clock jumped back to 08:00: measured from the latest decrypt, never negative.
        let f = forecast(&l, 5, start - HOUR, &s, &[]);
        assert_eq!(f.eta_ms, Some(start + 9 * HOUR));
        assert_eq!(forecast(&l, 0, start + 4 * HOUR, &s, &[]).eta_ms, None);
        // A burst right now predicts nothing.
        let mut burst = DayLedger::new("s", day);
        for i in 0..3 {
            burst.record(&format!("P{:015}", i), start + i * 1000, None, true, false);
        }
        let f = forecast(&burst, 5, start + 60_000, &s, &[]);
        assert_eq!((f.eta_ms, f.ms_per_decrypt), (None, None));
    }

    #[test]
    fn tomorrow_counts_today() {
        let day = ChinaDay::parse_iso("2026-11-21").expect("day");
        let l = DayLedger::new("s", day);
        let s = QuotaSettings::default();
        let f = forecast(&l, 20, day.start_ms(), &s, &[(day, 1200), (day.plus(-7), 4000)]);
        assert_eq!(f.tomorrow.day, "2026-11-22");
        assert_eq!((f.tomorrow.limit, f.tomorrow.tier), (200, Some(4)));
        assert_eq!(f.tomorrow.source, LimitSource::Tier);
        let f = forecast(&l, 20, day.start_ms(), &s, &[]);
        assert_eq!((f.tomorrow.limit, f.tomorrow.source), (20, LimitSource::Default));
    }
}
