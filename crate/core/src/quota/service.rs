//! The operations the service worker calls: record a decrypt, record what the page showed,
//! and build the dashboard. Each takes the stored records as plain JSON values plus `now_ms`,
//! and returns the records to save, keys to delete, problems found, and the view.
//!
//! Broken records never stop an operation (that would be a crash loop on every decrypt): a
//! corrupt or unknown-version record is reported as a [`Problem`] naming its key and replaced
//! by a fresh one, and only that record. A bad *request* is rejected whole and changes nothing.
//!
//! Clock: a China day is taken from the clock as given, except when it has jumped back more
//! than [`CLOCK_TOLERANCE_MS`] behind the latest decrypt already recorded (within the loaded
//! window): then time is held at that latest decrypt, so a day never re-opens and nothing is
//! counted twice. Ledgers further than [`LOOKAHEAD_DAYS`] ahead are never loaded, which bounds
//! the harm of a clock that was once set far forward.

use super::alerts::take_due;
use super::api::{
    DashboardRequest, KeyedRecord, Problem, QuotaInputs, QuotaUpdate, RecordEventRequest,
    RecordPageShowsRequest,
};
use super::dashboard::{build, DashboardInputs, HISTORY_DAYS};
use super::ids::{check_shop, is_package_id, ledger_key, parse_ledger_key, SETTINGS_KEY};
use super::ledger::{DayLedger, EventOutcome, PageSource};
use super::limit::{parse_paid_orders, resolve_limit};
use super::raise::RouteCounts;
use super::{QuotaError, QuotaSettings};
use crate::chinaday::ChinaDay;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How far the clock may run behind the latest recorded decrypt before it counts as a jump.
pub const CLOCK_TOLERANCE_MS: i64 = 5 * 60_000;
/// Days after today whose ledgers are loaded (to notice a clock that jumped back at midnight).
pub const LOOKAHEAD_DAYS: i64 = 1;
/// The highest number the page may show for used or quota.
const MAX_SHOWN: u32 = 1_000_000;
/// Accepted instants: 1970 up to about the year 5000.
const MAX_MS: i64 = 100_000_000_000_000;

/// The keys of the ledgers an operation for `shop` at `now_ms` wants loaded: the history
/// window plus [`LOOKAHEAD_DAYS`], oldest first.
pub fn ledger_keys(shop: &str, now_ms: i64) -> Result<Vec<String>, QuotaError> {
    let shop = check_shop(shop).map_err(QuotaError::InvalidRequest)?;
    check_ms("nowMs", now_ms)?;
    let today = ChinaDay::from_ms(now_ms);
    Ok((1 - HISTORY_DAYS..=LOOKAHEAD_DAYS)
        .map(|o| ledger_key(shop, today.plus(o)))
        .collect())
}

/// Records one observed decrypt. An unknown package-ID shape or an event older than the
/// history window is ignored and reported; a malformed request is an error and changes nothing.
pub fn record_event(req: &RecordEventRequest) -> Result<QuotaUpdate, QuotaError> {
    let ev = &req.event;
    let success = match ev.outcome.as_str() {
        "success" => true,
        "refused" => false,
        other => {
            return Err(QuotaError::InvalidRequest(format!(
                "event outcome `{other}` is not `success` or `refused`"
            )))
        }
    };
    check_ms("event atMs", ev.at_ms)?;
    let mut ctx = Ctx::load(&req.inputs, &ev.shop, req.now_ms)?;
    let mut outcome = None;
    if !is_package_id(&ev.package_id) {
        // The value is not echoed: a misread page could have handed us buyer text.
        ctx.problem(
            "event",
            format!(
                "a decrypt with a package ID of unknown shape ({} characters) was ignored",
                ev.package_id.chars().count()
            ),
            "ignored",
        );
    } else {
        let held = ev.at_ms < ctx.high_water.saturating_sub(CLOCK_TOLERANCE_MS);
        let day = if held {
            ChinaDay::from_ms(ctx.high_water)
        } else {
            ChinaDay::from_ms(ev.at_ms)
        };
        if day < ctx.today.plus(1 - HISTORY_DAYS) || day > ctx.today.plus(LOOKAHEAD_DAYS) {
            ctx.problem(
                "event",
                format!(
                    "a decrypt of {} dated {} is outside the days kept and was ignored",
                    ev.package_id,
                    day.iso()
                ),
                "ignored",
            );
        } else {
            let settings = ctx.settings.clone();
            let paid = ctx.paid.clone();
            let ledger = ctx.ledger_mut(day);
            let counted = ledger.record(&ev.package_id, ev.at_ms, ev.tab_id, success, held);
            if counted == EventOutcome::Refused && ev.quota_spent {
                // The platform says none is left. Our count of what this browser spent is exact,
                // so the limit we assumed was too high: today's limit is what was used. A number
                // the page shows later (used and quota) still wins over this.
                let limit = resolve_limit(&settings, ledger, &paid).limit;
                let used = ledger.used();
                if used < limit {
                    ledger.apply_page_quota(used, PageSource::Refusal, ev.at_ms);
                }
            }
            outcome = Some(counted);
        }
    }
    let mut update = ctx.finish()?;
    update.outcome = outcome;
    Ok(update)
}

/// Records numbers the workbench showed; the page wins over our count.
pub fn record_page_shows(req: &RecordPageShowsRequest) -> Result<QuotaUpdate, QuotaError> {
    let first = req
        .shows
        .first()
        .ok_or_else(|| QuotaError::InvalidRequest("no page numbers".into()))?;
    let mut parsed = Vec::with_capacity(req.shows.len());
    for (i, s) in req.shows.iter().enumerate() {
        let n = i + 1;
        let bad = |m: String| QuotaError::InvalidRequest(format!("page numbers {n}: {m}"));
        if s.shop.trim() != first.shop.trim() {
            return Err(bad(format!(
                "shop `{}` differs from `{}`",
                s.shop, first.shop
            )));
        }
        let source = match s.source.as_str() {
            "board" => PageSource::Board,
            "api" => PageSource::Api,
            other => return Err(bad(format!("source `{other}` is not `board` or `api`"))),
        };
        check_ms("atMs", s.at_ms).map_err(|e| bad(e.to_string()))?;
        let day = match &s.day {
            Some(text) => Some(
                ChinaDay::parse_iso(text)
                    .filter(|d| d.iso() == *text)
                    .ok_or_else(|| bad(format!("day `{text}` is not YYYY-MM-DD")))?,
            ),
            None => None,
        };
        if s.used.is_none() && s.daily_quota.is_none() {
            return Err(bad("neither used nor dailyQuota given".into()));
        }
        for (what, v) in [("used", s.used), ("dailyQuota", s.daily_quota)] {
            if v.is_some_and(|v| v > MAX_SHOWN) {
                return Err(bad(format!(
                    "{what} {} is above {MAX_SHOWN}",
                    v.unwrap_or(0)
                )));
            }
        }
        parsed.push((s, source, day));
    }
    let mut ctx = Ctx::load(&req.inputs, &first.shop, req.now_ms)?;
    for (s, source, day) in parsed {
        let day = day.unwrap_or_else(|| ChinaDay::from_ms(s.at_ms.max(ctx.high_water)));
        if day < ctx.today.plus(1 - HISTORY_DAYS) || day > ctx.today.plus(LOOKAHEAD_DAYS) {
            ctx.problem(
                "page",
                format!("numbers shown for {} are outside the days kept", day.iso()),
                "ignored",
            );
            continue;
        }
        let ledger = ctx.ledger_mut(day);
        if let Some(q) = s.daily_quota {
            ledger.apply_page_quota(q, source, s.at_ms);
        }
        if let Some(u) = s.used {
            ledger.apply_page_used(u, source, s.at_ms);
        }
    }
    ctx.finish()
}

/// Builds the dashboard of `shop`; fires (and remembers) warnings newly due.
pub fn dashboard(req: &DashboardRequest) -> Result<QuotaUpdate, QuotaError> {
    Ctx::load(&req.inputs, &req.shop, req.now_ms)?.finish()
}

/// Checks stored quota records without changing anything (for the options page): one
/// [`Problem`] per record that an operation would reset or remove.
pub fn check_records(records: &BTreeMap<String, Value>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (key, value) in records.iter().filter(|(_, v)| !v.is_null()) {
        let (message, action) = if key == SETTINGS_KEY {
            match QuotaSettings::load(key, value) {
                Ok(_) => continue,
                Err(e) => (e.to_string(), "reset"),
            }
        } else if parse_ledger_key(key).is_none() {
            (format!("`{key}` is not a quota ledger key"), "removed")
        } else {
            match DayLedger::load(key, value) {
                Ok(_) => continue,
                Err(e) => (e.to_string(), "reset"),
            }
        };
        problems.push(Problem {
            record: key.clone(),
            message,
            action: action.into(),
        });
    }
    problems
}

fn check_ms(what: &str, ms: i64) -> Result<(), QuotaError> {
    if (0..=MAX_MS).contains(&ms) {
        Ok(())
    } else {
        Err(QuotaError::InvalidRequest(format!(
            "{what} {ms} is not a plausible time"
        )))
    }
}

fn to_value<T: Serialize>(key: &str, t: &T) -> Result<Value, QuotaError> {
    serde_json::to_value(t).map_err(|e| QuotaError::CorruptRecord {
        record: key.into(),
        detail: e.to_string(),
    })
}

/// One operation's working state.
struct Ctx {
    shop: String,
    settings: QuotaSettings,
    paid: Vec<(ChinaDay, u32)>,
    routes: RouteCounts,
    ledgers: BTreeMap<ChinaDay, DayLedger>,
    dirty: BTreeSet<ChinaDay>,
    changed: Vec<KeyedRecord>,
    removed: Vec<String>,
    problems: Vec<Problem>,
    /// The latest decrypt recorded in the loaded window (epoch ms), or `i64::MIN`.
    high_water: i64,
    /// Now, held at `high_water` when the clock has jumped back.
    now: i64,
    today: ChinaDay,
}

impl Ctx {
    fn load(inputs: &QuotaInputs, shop: &str, now_ms: i64) -> Result<Self, QuotaError> {
        let shop = check_shop(shop)
            .map_err(QuotaError::InvalidRequest)?
            .to_string();
        check_ms("nowMs", now_ms)?;
        let paid = parse_paid_orders(&inputs.paid_orders)?;
        let mut ctx = Ctx {
            shop,
            settings: QuotaSettings::default(),
            paid,
            routes: inputs.routes.clone(),
            ledgers: BTreeMap::new(),
            dirty: BTreeSet::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            problems: Vec::new(),
            high_water: i64::MIN,
            now: now_ms,
            today: ChinaDay::from_ms(now_ms),
        };
        match inputs.settings.as_ref().filter(|v| !v.is_null()) {
            None => {}
            Some(v) => match QuotaSettings::load(SETTINGS_KEY, v) {
                Ok(s) => ctx.settings = s,
                Err(e) => {
                    ctx.problem(SETTINGS_KEY, e.to_string(), "reset");
                    let fresh = to_value(SETTINGS_KEY, &ctx.settings)?;
                    ctx.changed.push(KeyedRecord {
                        key: SETTINGS_KEY.into(),
                        value: fresh,
                    });
                }
            },
        }
        let clock_today = ctx.today;
        for (key, value) in inputs.ledgers.iter().filter(|(_, v)| !v.is_null()) {
            let Some((shop, day)) = parse_ledger_key(key) else {
                ctx.problem(key, format!("`{key}` is not a quota ledger key"), "removed");
                ctx.removed.push(key.clone());
                continue;
            };
            let ledger = match DayLedger::load(key, value) {
                Ok(l) => l,
                Err(e) => {
                    ctx.problem(key, e.to_string(), "reset");
                    let fresh = DayLedger::new(&shop, day);
                    if shop != ctx.shop {
                        ctx.changed.push(KeyedRecord {
                            key: key.clone(),
                            value: to_value(key, &fresh)?,
                        });
                        continue;
                    }
                    ctx.dirty.insert(day);
                    fresh
                }
            };
            if shop != ctx.shop || day > clock_today.plus(LOOKAHEAD_DAYS) {
                continue;
            }
            if let Some(t) = ledger.latest_at_ms() {
                ctx.high_water = ctx.high_water.max(t);
            }
            ctx.ledgers.insert(day, ledger);
        }
        if now_ms < ctx.high_water.saturating_sub(CLOCK_TOLERANCE_MS) {
            ctx.now = ctx.high_water;
            ctx.today = ChinaDay::from_ms(ctx.high_water);
        }
        Ok(ctx)
    }

    fn problem(&mut self, record: &str, message: String, action: &str) {
        self.problems.push(Problem {
            record: record.into(),
            message,
            action: action.into(),
        });
    }

    fn ledger_mut(&mut self, day: ChinaDay) -> &mut DayLedger {
        self.dirty.insert(day);
        let shop = self.shop.clone();
        self.ledgers
            .entry(day)
            .or_insert_with(|| DayLedger::new(&shop, day))
    }

    /// Fires today's warnings, snapshots limits, serializes what changed and builds the view.
    fn finish(mut self) -> Result<QuotaUpdate, QuotaError> {
        let today = self.today;
        let mut today_ledger = self
            .ledgers
            .remove(&today)
            .unwrap_or_else(|| DayLedger::new(&self.shop, today));
        let limit = resolve_limit(&self.settings, &today_ledger, &self.paid);
        let warnings = take_due(&mut today_ledger, limit.limit, &self.settings);
        if !warnings.is_empty() {
            self.dirty.insert(today);
        }
        for day in &self.dirty {
            let ledger = if *day == today {
                &mut today_ledger
            } else {
                match self.ledgers.get_mut(day) {
                    Some(l) => l,
                    None => continue,
                }
            };
            let r = resolve_limit(&self.settings, ledger, &self.paid);
            ledger.limit = Some(super::ledger::LimitSnapshot {
                limit: r.limit,
                source: r.source,
            });
            ledger.updated_at_ms = self.now;
            let key = ledger.key();
            self.changed.push(KeyedRecord {
                value: to_value(&key, &*ledger)?,
                key,
            });
        }
        let earlier: Vec<DayLedger> = self
            .ledgers
            .into_values()
            .filter(|l| l.day < today)
            .collect();
        let inputs = DashboardInputs {
            settings: &self.settings,
            earlier: &earlier,
            paid: &self.paid,
            routes: &self.routes,
            now_ms: self.now,
        };
        let view = build(&today_ledger, limit, warnings, &inputs);
        Ok(QuotaUpdate {
            changed: self.changed,
            removed: self.removed,
            problems: self.problems,
            outcome: None,
            view,
        })
    }
}
