//! The popup's dashboard view: today's numbers, a 7-day history ready to draw as bars, today's
//! log, the forecast, warnings newly due and the raise suggestion.

use super::alerts::{level, Level, Warning};
use super::forecast::{forecast, Forecast};
use super::ledger::{DayLedger, EventOutcome, PageSource};
use super::limit::{resolve_limit, LimitSource, ResolvedLimit};
use super::page::{badge_text, page_facts, PageFactsView, Via};
use super::raise::{suggest, RaiseSuggestion, RouteCounts};
use super::QuotaSettings;
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};

/// Days in the history chart (today included).
pub const HISTORY_DAYS: i64 = 7;

/// One bar of the history chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryBar {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Used that day (0 when nothing was recorded).
    pub used: u32,
    /// That day's limit.
    pub limit: u32,
    /// True for today's bar.
    pub today: bool,
}

/// One observed decrypt today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogRow {
    /// The package.
    pub package_id: String,
    /// When (epoch ms).
    pub at_ms: i64,
    /// True when it spent a unit.
    pub charged: bool,
    /// `charged`, `repeat` or `refused`.
    pub outcome: EventOutcome,
    /// The tab it happened in, when known.
    pub tab_id: Option<i64>,
    /// Which signal saw it: `request`, `page` or `both`.
    pub via: Via,
}

/// The last number the workbench itself showed today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageShownView {
    /// Used as shown.
    pub used: u32,
    /// Where it came from.
    pub source: PageSource,
    /// When (epoch ms).
    pub at_ms: i64,
}

/// Everything the popup shows for one shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardView {
    /// The shop ID.
    pub shop: String,
    /// The user's name for the shop, if any.
    pub shop_label: Option<String>,
    /// Today (China time), `YYYY-MM-DD`.
    pub day: String,
    /// Used today.
    pub used: u32,
    /// Today's limit.
    pub limit: u32,
    /// Where the limit comes from.
    pub limit_source: LimitSource,
    /// Left today (never negative).
    pub remaining: u32,
    /// Badge colour.
    pub level: Level,
    /// When the quota resets: the next 00:00 China time (epoch ms).
    pub reset_at_ms: i64,
    /// The last seven days, oldest first, today last.
    pub history: Vec<HistoryBar>,
    /// Today's decrypts in the order received.
    pub log: Vec<LogRow>,
    /// Repeats and refusals counted but not listed (the log was full).
    pub log_dropped: u32,
    /// Decrypts today whose clock had jumped back.
    pub clock_adjusted: u32,
    /// Corrections the page made to our count today.
    pub corrections: u32,
    /// The last used count the page showed today.
    pub page_shown: Option<PageShownView>,
    /// Run-out time and tomorrow's tier.
    pub forecast: Forecast,
    /// Warnings that became due with this update (each fires once a day).
    pub warnings: Vec<Warning>,
    /// Which reason to apply for more with, when the quota is tight.
    pub raise: Option<RaiseSuggestion>,
    /// What the page showed today (decrypts by signal, silent clicks, refusals).
    pub page_facts: PageFactsView,
    /// The toolbar badge's text: what is left, or `?` while a silent click stands.
    pub badge: String,
}

/// Inputs of [`build`] besides today's ledger.
pub struct DashboardInputs<'a> {
    /// The settings.
    pub settings: &'a QuotaSettings,
    /// Earlier days' ledgers of the same shop (any order; missing days are empty).
    pub earlier: &'a [DayLedger],
    /// Paid orders per day.
    pub paid: &'a [(ChinaDay, u32)],
    /// Route counts for the raise helper.
    pub routes: &'a RouteCounts,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// Composes the view for `today` (whose limit is `limit`), with `warnings` newly due.
pub fn build(
    today: &DayLedger,
    limit: ResolvedLimit,
    warnings: Vec<Warning>,
    inputs: &DashboardInputs<'_>,
) -> DashboardView {
    let settings = inputs.settings;
    let used = today.used();
    let remaining = limit.limit.saturating_sub(used);
    let lvl = level(used, limit.limit, settings);
    let history: Vec<HistoryBar> = (1 - HISTORY_DAYS..=0)
        .map(|offset| {
            let day = today.day.plus(offset);
            if offset == 0 {
                return HistoryBar { day: day.iso(), used, limit: limit.limit, today: true };
            }
            let fresh;
            let ledger = match inputs.earlier.iter().find(|l| l.day == day) {
                Some(l) => l,
                None => {
                    fresh = DayLedger::new(&today.shop, day);
                    &fresh
                }
            };
            let day_limit =
                ledger.limit.map_or_else(|| resolve_limit(settings, ledger, inputs.paid).limit, |s| s.limit);
            HistoryBar { day: day.iso(), used: ledger.used(), limit: day_limit, today: false }
        })
        .collect();
    let log = today
        .entries
        .iter()
        .map(|e| LogRow {
            package_id: e.package_id.clone(),
            at_ms: e.at_ms,
            charged: e.outcome == EventOutcome::Charged,
            outcome: e.outcome,
            tab_id: e.tab_id,
            via: e.via,
        })
        .collect();
    let refused_today = today.entries.iter().any(|e| e.outcome == EventOutcome::Refused);
    let tight_before = history.iter().any(|b| !b.today && b.limit > 0 && b.used >= b.limit);
    let raise = (lvl != Level::Ok || refused_today || tight_before).then(|| suggest(inputs.routes));
    let mut view = DashboardView {
        shop: today.shop.clone(),
        shop_label: settings.shops.get(&today.shop).and_then(|s| s.label.clone()),
        day: today.day.iso(),
        used,
        limit: limit.limit,
        limit_source: limit.source,
        remaining,
        level: lvl,
        reset_at_ms: today.day.next_reset_ms(),
        history,
        log,
        log_dropped: today.dropped,
        clock_adjusted: u32::try_from(today.entries.iter().filter(|e| e.clock_adjusted).count()).unwrap_or(u32::MAX),
        corrections: u32::try_from(today.corrections.len()).unwrap_or(u32::MAX),
        page_shown: today.page_used.as_ref().map(|p| PageShownView { used: p.used, source: p.source, at_ms: p.at_ms }),
        forecast: forecast(today, remaining, inputs.now_ms, settings, inputs.paid),
        warnings,
        raise,
        page_facts: page_facts(today),
        badge: String::new(),
    };
    view.badge = badge_text(&view);
    view
}
