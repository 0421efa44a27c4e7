//! The operations the service worker calls: record a decrypt, record what the page showed,
//! and build the dashboard. Each takes the stored records as plain JSON values plus `now_ms`,
//! and returns the records to save, keys to delete, problems found, and the view.
//!
//! Broken records never stop an operation (that would be a crash loop on every decrypt): a
//! corrupt or unknown-version record is reported as a [`Problem`] naming its key and replaced
//! by a fresh one, and only that record. A bad *request* is rejected whole and changes nothing.
//!
//! The shared working state (loading, resets, saving) is in the private `context` module.
//!
//! Clock: a China day is taken from the clock as given, except when it has jumped back more
//! than [`CLOCK_TOLERANCE_MS`] behind the latest decrypt already recorded (within the loaded
//! window): then time is held at that latest decrypt, so a day never re-opens and nothing is
//! counted twice. Ledgers further than [`LOOKAHEAD_DAYS`] ahead are never loaded, which bounds
//! the harm of a clock that was once set far forward.

use super::api::{
    DashboardRequest, KeyedRecord, PageEventRequest, Problem, ProblemKind, QuotaInputs, QuotaUpdate,
    RecordEventRequest, RecordPageShowsRequest, SilentRequest,
};
use super::context::Ctx;
use super::dashboard::HISTORY_DAYS;
use super::endpoint::{endpoint_key, EndpointRecord, SentRequest};
use super::ids::{check_shop, is_package_id, ledger_key, parse_ledger_key, SETTINGS_KEY};
use super::ledger::{DayLedger, EventOutcome, PageSource};
use super::limit::resolve_limit;
use super::page::{refusal_means_spent, OfferedEndpoint, Via};
use super::{QuotaError, QuotaSettings};
use crate::chinaday::ChinaDay;
use serde_json::Value;
use std::collections::BTreeMap;

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
    Ok((1 - HISTORY_DAYS..=LOOKAHEAD_DAYS).map(|o| ledger_key(shop, today.plus(o))).collect())
}

/// Records one decrypt seen on the request. An unknown package-ID shape or an event older than
/// the history window is ignored and reported; a malformed request is an error and changes nothing.
pub fn record_event(req: &RecordEventRequest) -> Result<QuotaUpdate, QuotaError> {
    let ev = &req.event;
    let mut update = record_seen(&req.inputs, &seen_of(ev)?, req.now_ms)?;
    attach_endpoint(&req.inputs, &ev.shop, &mut update, None);
    Ok(update)
}

fn seen_of(ev: &super::api::DecryptEvent) -> Result<Seen<'_>, QuotaError> {
    let seen = Seen {
        shop: &ev.shop,
        package_id: &ev.package_id,
        success: parse_outcome(&ev.outcome)?,
        tab_id: ev.tab_id,
        at_ms: ev.at_ms,
        quota_spent: ev.quota_spent,
        via: Via::Request,
    };
    Ok(seen)
}

/// Records one decrypt seen on the page (a row turned plain after a 查看 click, or a refusal
/// shown after it); merged with the request's signal of the same decrypt, never counted twice.
pub fn record_page_decrypt(req: &PageEventRequest) -> Result<QuotaUpdate, QuotaError> {
    let ev = &req.page_event;
    let success = parse_outcome(&ev.outcome)?;
    let msg = ev.msg.as_deref().unwrap_or("");
    let seen = Seen {
        shop: &ev.shop,
        package_id: &ev.package_id,
        success,
        tab_id: ev.tab_id,
        at_ms: ev.at_ms,
        quota_spent: !success && refusal_means_spent(ev.code, msg),
        via: Via::Page,
    };
    let mut update = record_seen(&req.inputs, &seen, req.now_ms)?;
    // The requests sent in that moment are candidates of the decrypt endpoint (a decrypt that
    // counted: a charge or a repeat).
    let learn = (success && update.outcome.is_some_and(|o| o != EventOutcome::Refused) && !ev.sent.is_empty())
        .then_some((ev.package_id.as_str(), ev.at_ms, ev.sent.as_slice()));
    attach_endpoint(&req.inputs, &ev.shop, &mut update, learn);
    Ok(update)
}

/// The shop's endpoint record from `inputs`; a broken one (or another shop's) is started
/// afresh, with the problem that says so.
pub(super) fn load_endpoint(inputs: &QuotaInputs, shop: &str) -> (EndpointRecord, Option<Problem>) {
    let key = endpoint_key(shop);
    match inputs.endpoint.as_ref().filter(|v| !v.is_null()) {
        None => (EndpointRecord::new(shop), None),
        Some(v) => match EndpointRecord::load(&key, v) {
            Ok(r) if r.shop == shop => (r, None),
            Ok(_) | Err(_) => {
                let message = format!("`{key}` could not be read and was started afresh");
                (EndpointRecord::new(shop), Some(Problem::new(ProblemKind::Other, vec![], &key, message, "reset")))
            }
        },
    }
}

/// Reads the shop's endpoint record (a broken one is named and started afresh), takes the
/// requests of a page-seen decrypt when given, and reports the learned endpoint in the view.
fn attach_endpoint(
    inputs: &QuotaInputs,
    shop: &str,
    update: &mut QuotaUpdate,
    learn: Option<(&str, i64, &[SentRequest])>,
) {
    let shop = shop.trim();
    let key = endpoint_key(shop);
    let (mut record, problem) = load_endpoint(inputs, shop);
    let mut dirty = problem.is_some();
    update.problems.extend(problem);
    if let Some((package_id, at_ms, sent)) = learn {
        dirty |= record.observe(package_id, at_ms, sent);
    }
    if dirty {
        if let Ok(value) = serde_json::to_value(&record) {
            update.changed.push(KeyedRecord { key, value });
        }
    }
    let facts = &mut update.view.page_facts;
    facts.decrypt_endpoint = record.learned();
    facts.quota_endpoint = record.quota_path.clone();
    facts.quota_offers = record
        .quota_offers
        .iter()
        .filter(|o| Some(&o.path) != record.quota_path.as_ref())
        .map(|o| OfferedEndpoint { path: o.path.clone(), keys: o.keys.clone() })
        .collect();
    facts.board_unread_at_ms = record.board_unread_at_ms;
}

/// Notes a 查看 click that showed plain text but whose decrypt was not recorded in time: the
/// badge shows `?` until the next decrypt is counted fine. Ignored when that package's decrypt
/// was recorded after all.
pub fn record_silent(req: &SilentRequest) -> Result<QuotaUpdate, QuotaError> {
    let s = &req.silent;
    check_ms("silent atMs", s.at_ms)?;
    let mut ctx = Ctx::load(&req.inputs, &s.shop, req.now_ms)?;
    let shop = s.shop.clone();
    if !is_package_id(&s.package_id) {
        return Err(QuotaError::InvalidRequest(format!(
            "a silent click with a package ID of unknown shape ({} characters)",
            s.package_id.chars().count()
        )));
    }
    let day = ChinaDay::from_ms(s.at_ms.max(ctx.high_water.saturating_sub(CLOCK_TOLERANCE_MS)));
    if day >= ctx.today.plus(1 - HISTORY_DAYS) && day <= ctx.today.plus(LOOKAHEAD_DAYS) {
        ctx.ledger_mut(day).note_silent(&s.package_id, s.at_ms);
    }
    let mut update = ctx.finish()?;
    attach_endpoint(&req.inputs, &shop, &mut update, None);
    Ok(update)
}

/// One decrypt as either signal saw it.
struct Seen<'a> {
    shop: &'a str,
    package_id: &'a str,
    success: bool,
    tab_id: Option<i64>,
    at_ms: i64,
    quota_spent: bool,
    via: Via,
}

fn parse_outcome(outcome: &str) -> Result<bool, QuotaError> {
    match outcome {
        "success" => Ok(true),
        "refused" => Ok(false),
        other => Err(QuotaError::InvalidRequest(format!("event outcome `{other}` is not `success` or `refused`"))),
    }
}

fn record_seen(inputs: &QuotaInputs, ev: &Seen<'_>, now_ms: i64) -> Result<QuotaUpdate, QuotaError> {
    check_ms("event atMs", ev.at_ms)?;
    let mut ctx = Ctx::load(inputs, ev.shop, now_ms)?;
    let mut outcome = None;
    if !is_package_id(ev.package_id) {
        // The value is not echoed: a misread page could have handed us buyer text.
        let message = format!(
            "a decrypt with a package ID of unknown shape ({} characters) was ignored",
            ev.package_id.chars().count()
        );
        ctx.problem(Problem::new(ProblemKind::EventBadId, vec![], "event", message, "ignored"));
    } else {
        let held = ev.at_ms < ctx.high_water.saturating_sub(CLOCK_TOLERANCE_MS);
        let day = if held { ChinaDay::from_ms(ctx.high_water) } else { ChinaDay::from_ms(ev.at_ms) };
        if day < ctx.today.plus(1 - HISTORY_DAYS) || day > ctx.today.plus(LOOKAHEAD_DAYS) {
            let message =
                format!("a decrypt of {} dated {} is outside the days kept and was ignored", ev.package_id, day.iso());
            ctx.problem(Problem::new(ProblemKind::EventOutOfDays, vec![day.iso()], "event", message, "ignored"));
        } else {
            let settings = ctx.settings.clone();
            let paid = ctx.paid.clone();
            let ledger = ctx.ledger_mut(day);
            let counted = ledger.record_via(ev.package_id, ev.at_ms, ev.tab_id, ev.success, held, ev.via);
            if counted == EventOutcome::Refused && ev.quota_spent {
                // The platform says none is left. Our count of what this browser spent is exact,
                // so the limit we assumed was too high: today's limit is what was used. A number
                // the page shows later (used and quota) still wins over this.
                let limit = resolve_limit(&settings, ledger, &paid).limit;
                let used = ledger.used();
                // A quota the page itself showed at or after this refusal (a late report of the
                // refusal, e.g. its toast, arriving after the privacy board) stays: it is newer.
                let shown_since =
                    ledger.page_quota.as_ref().is_some_and(|q| q.source != PageSource::Refusal && q.at_ms >= ev.at_ms);
                if used < limit && !shown_since {
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
    let first = req.shows.first().ok_or_else(|| QuotaError::InvalidRequest("no page numbers".into()))?;
    let mut parsed = Vec::with_capacity(req.shows.len());
    for (i, s) in req.shows.iter().enumerate() {
        let n = i + 1;
        let bad = |m: String| QuotaError::InvalidRequest(format!("page numbers {n}: {m}"));
        if s.shop.trim() != first.shop.trim() {
            return Err(bad(format!("shop `{}` differs from `{}`", s.shop, first.shop)));
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
                return Err(bad(format!("{what} {} is above {MAX_SHOWN}", v.unwrap_or(0))));
            }
        }
        parsed.push((s, source, day));
    }
    let mut ctx = Ctx::load(&req.inputs, &first.shop, req.now_ms)?;
    for (s, source, day) in parsed {
        let by_clock = ChinaDay::from_ms(s.at_ms.max(ctx.high_water));
        let day = match day {
            // The platform's date is right unless the computer's clock is far from it.
            Some(d) if near_day(d, s.at_ms) => d,
            Some(d) => {
                // The page's numbers were fetched just now, so they are the platform's today;
                // a clock that is off would otherwise file them under a day nobody looks at.
                let message = format!(
                    "the workbench says it is {} but the computer's clock says {}: its numbers were taken as today's; please check the clock",
                    d.iso(),
                    by_clock.iso()
                );
                let args = vec![d.iso(), by_clock.iso()];
                ctx.problem(Problem::new(ProblemKind::ClockDiffers, args, "page", message, "adjusted"));
                by_clock
            }
            None => by_clock,
        };
        if day < ctx.today.plus(1 - HISTORY_DAYS) || day > ctx.today.plus(LOOKAHEAD_DAYS) {
            let message = format!("numbers shown for {} are outside the days kept", day.iso());
            ctx.problem(Problem::new(ProblemKind::PageOutOfDays, vec![day.iso()], "page", message, "ignored"));
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
    let mut update = ctx.finish()?;
    attach_endpoint(&req.inputs, &first.shop, &mut update, None);
    Ok(update)
}

/// Builds the dashboard of `shop`; fires (and remembers) warnings newly due.
pub fn dashboard(req: &DashboardRequest) -> Result<QuotaUpdate, QuotaError> {
    let mut update = Ctx::load(&req.inputs, &req.shop, req.now_ms)?.finish()?;
    attach_endpoint(&req.inputs, &req.shop, &mut update, None);
    Ok(update)
}

/// Checks stored quota records without changing anything (for the options page): one
/// [`Problem`] per record that an operation would reset or remove.
pub fn check_records(records: &BTreeMap<String, Value>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (key, value) in records.iter().filter(|(_, v)| !v.is_null()) {
        let problem = if key == SETTINGS_KEY {
            match QuotaSettings::load(key, value) {
                Ok(_) => continue,
                Err(e) => Problem::new(ProblemKind::SettingsReset, vec![], key, e.to_string(), "reset"),
            }
        } else if let Some((_, day)) = parse_ledger_key(key) {
            match DayLedger::load(key, value) {
                Ok(_) => continue,
                Err(e) => Problem::new(ProblemKind::LedgerReset, vec![day.iso()], key, e.to_string(), "reset"),
            }
        } else {
            let message = format!("`{key}` is not a quota ledger key");
            Problem::new(ProblemKind::UnknownRecord, vec![], key, message, "removed")
        };
        problems.push(problem);
    }
    problems
}

/// How far outside the platform's day the clock may be and still be believed (a few seconds of
/// skew at midnight are normal; hours mean a wrong clock).
const DAY_SKEW_MS: i64 = 10 * 60_000;

/// True when `at_ms` lies within `day` give or take [`DAY_SKEW_MS`].
fn near_day(day: ChinaDay, at_ms: i64) -> bool {
    day.start_ms() - DAY_SKEW_MS <= at_ms && at_ms < day.next_reset_ms() + DAY_SKEW_MS
}

pub(super) fn check_ms(what: &str, ms: i64) -> Result<(), QuotaError> {
    if (0..=MAX_MS).contains(&ms) {
        Ok(())
    } else {
        Err(QuotaError::InvalidRequest(format!("{what} {ms} is not a plausible time")))
    }
}
