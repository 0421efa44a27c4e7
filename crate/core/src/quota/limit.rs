//! Today's daily limit, and where it comes from.
//!
//! In order: the number the workbench itself showed for the day (privacy board or quota
//! answer); else the tier of the highest daily paid-order count of the seven days before it, as
//! far as the extension has seen orders; else the limit the user set; else the first tier.

use super::ledger::{DayLedger, PageSource};
use super::{QuotaError, QuotaSettings};
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};

/// Paid orders the extension has seen for one China day (computed outside this domain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaidOrdersDay {
    /// `YYYY-MM-DD`, China time.
    pub day: String,
    /// Paid orders that day.
    pub paid_orders: u32,
}

/// Parses the paid-order counts; the error names the entry (1-based). The same day listed
/// twice keeps the larger count (the extension can only under-see orders).
pub fn parse_paid_orders(days: &[PaidOrdersDay]) -> Result<Vec<(ChinaDay, u32)>, QuotaError> {
    let mut out: Vec<(ChinaDay, u32)> = Vec::with_capacity(days.len());
    for (i, d) in days.iter().enumerate() {
        let day = ChinaDay::parse_iso(&d.day).filter(|x| x.iso() == d.day).ok_or_else(|| {
            QuotaError::InvalidRequest(format!("paidOrders entry {}: day `{}` is not YYYY-MM-DD", i + 1, d.day))
        })?;
        match out.iter_mut().find(|(x, _)| *x == day) {
            Some(slot) => slot.1 = slot.1.max(d.paid_orders),
            None => out.push((day, d.paid_orders)),
        }
    }
    Ok(out)
}

/// Where a limit came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LimitSource {
    /// The privacy board showed it.
    Board,
    /// The quota API answer carried it.
    Api,
    /// A decrypt was refused as over quota: the limit is what had been used.
    Refusal,
    /// The tier of the 7-day max daily paid orders.
    Tier,
    /// The user's setting.
    User,
    /// Nothing known: the first tier of the table.
    Default,
}

/// A resolved daily limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedLimit {
    /// Decrypts a day.
    pub limit: u32,
    /// Where it came from.
    pub source: LimitSource,
    /// The 7-day max daily paid orders seen, when any day of the window had data.
    pub max_paid_orders: Option<u32>,
}

/// The highest paid-order count over the seven days ending with `last` (inclusive).
pub fn window_max(paid: &[(ChinaDay, u32)], last: ChinaDay) -> Option<u32> {
    let first = last.plus(-6);
    paid.iter().filter(|(d, _)| *d >= first && *d <= last).map(|(_, n)| *n).max()
}

/// The limit for `day` when the page has not shown one: the tier of the seven days before it,
/// else the user's limit, else the first tier.
pub fn estimated_limit(settings: &QuotaSettings, shop: &str, paid: &[(ChinaDay, u32)], day: ChinaDay) -> ResolvedLimit {
    let max_paid_orders = window_max(paid, day.plus(-1));
    if let Some(max) = max_paid_orders {
        return ResolvedLimit { limit: settings.tiers.quota_for(max), source: LimitSource::Tier, max_paid_orders };
    }
    match settings.user_limit_for(shop) {
        Some(limit) => ResolvedLimit { limit, source: LimitSource::User, max_paid_orders },
        None => ResolvedLimit { limit: settings.tiers.quota_for(0), source: LimitSource::Default, max_paid_orders },
    }
}

/// The limit for the ledger's day: what the page showed, else [`estimated_limit`].
pub fn resolve_limit(settings: &QuotaSettings, ledger: &DayLedger, paid: &[(ChinaDay, u32)]) -> ResolvedLimit {
    match &ledger.page_quota {
        Some(q) => ResolvedLimit {
            limit: q.daily_quota,
            source: match q.source {
                PageSource::Board => LimitSource::Board,
                PageSource::Api => LimitSource::Api,
                PageSource::Refusal => LimitSource::Refusal,
            },
            max_paid_orders: window_max(paid, ledger.day.plus(-1)),
        },
        None => estimated_limit(settings, &ledger.shop, paid, ledger.day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::ledger::PageSource;

    fn day(s: &str) -> ChinaDay {
        ChinaDay::parse_iso(s).expect("day")
    }

    #[test]
    fn order_of_sources() {
        let mut settings = QuotaSettings::default();
        let today = day("2026-11-21");
        let mut ledger = DayLedger::new("s", today);
        let r = resolve_limit(&settings, &ledger, &[]);
        assert_eq!((r.limit, r.source), (20, LimitSource::Default));
        settings.user_limit = Some(35);
        let r = resolve_limit(&settings, &ledger, &[]);
        assert_eq!((r.limit, r.source), (35, LimitSource::User));
        // Today's own orders and orders 8 days ago do not count for today's tier.
        let paid = vec![(today, 5000), (today.plus(-8), 5000), (today.plus(-7), 450)];
        let r = resolve_limit(&settings, &ledger, &paid);
        assert_eq!((r.limit, r.source, r.max_paid_orders), (50, LimitSource::Tier, Some(450)));
        ledger.apply_page_quota(120, PageSource::Board, 0);
        let r = resolve_limit(&settings, &ledger, &paid);
        assert_eq!((r.limit, r.source), (120, LimitSource::Board));
    }

    #[test]
    fn paid_orders_parse_and_name_the_entry() {
        let ok = [
            PaidOrdersDay { day: "2026-11-20".into(), paid_orders: 3 },
            PaidOrdersDay { day: "2026-11-20".into(), paid_orders: 9 },
        ];
        assert_eq!(parse_paid_orders(&ok), Ok(vec![(day("2026-11-20"), 9)]));
        let bad = [PaidOrdersDay { day: "20-11-2026".into(), paid_orders: 3 }];
        let e = parse_paid_orders(&bad).unwrap_err().to_string();
        assert!(e.contains("entry 1") && e.contains("20-11-2026"), "{e}");
    }
}
