//! The working state of one quota operation: stored records read (broken ones named and
//! reset), the clock held when it jumped back, and at the end the records to save and the view.

use super::alerts::take_due;
use super::api::{KeyedRecord, Problem, ProblemKind, QuotaInputs, QuotaUpdate};
use super::dashboard::{build, DashboardInputs};
use super::ids::{check_shop, parse_ledger_key, SETTINGS_KEY};
use super::ledger::{DayLedger, LimitSnapshot};
use super::limit::{parse_paid_orders, resolve_limit};
use super::raise::RouteCounts;
use super::service::{check_ms, CLOCK_TOLERANCE_MS, LOOKAHEAD_DAYS};
use super::{QuotaError, QuotaSettings};
use crate::chinaday::ChinaDay;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn to_value<T: Serialize>(key: &str, t: &T) -> Result<Value, QuotaError> {
    serde_json::to_value(t).map_err(|e| QuotaError::CorruptRecord { record: key.into(), detail: e.to_string() })
}

/// One operation's working state.
pub(super) struct Ctx {
    shop: String,
    pub(super) settings: QuotaSettings,
    pub(super) paid: Vec<(ChinaDay, u32)>,
    routes: RouteCounts,
    ledgers: BTreeMap<ChinaDay, DayLedger>,
    dirty: BTreeSet<ChinaDay>,
    changed: Vec<KeyedRecord>,
    removed: Vec<String>,
    problems: Vec<Problem>,
    /// The latest decrypt recorded in the loaded window (epoch ms), or `i64::MIN`.
    pub(super) high_water: i64,
    /// Now, held at `high_water` when the clock has jumped back.
    now: i64,
    pub(super) today: ChinaDay,
}

impl Ctx {
    pub(super) fn load(inputs: &QuotaInputs, shop: &str, now_ms: i64) -> Result<Self, QuotaError> {
        let shop = check_shop(shop).map_err(QuotaError::InvalidRequest)?.to_string();
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
                    ctx.problem(Problem::new(ProblemKind::SettingsReset, vec![], SETTINGS_KEY, e.to_string(), "reset"));
                    let fresh = to_value(SETTINGS_KEY, &ctx.settings)?;
                    ctx.changed.push(KeyedRecord { key: SETTINGS_KEY.into(), value: fresh });
                }
            },
        }
        let clock_today = ctx.today;
        for (key, value) in inputs.ledgers.iter().filter(|(_, v)| !v.is_null()) {
            let Some((shop, day)) = parse_ledger_key(key) else {
                let message = format!("`{key}` is not a quota ledger key");
                ctx.problem(Problem::new(ProblemKind::UnknownRecord, vec![], key, message, "removed"));
                ctx.removed.push(key.clone());
                continue;
            };
            let ledger = match DayLedger::load(key, value) {
                Ok(l) => l,
                Err(e) => {
                    ctx.problem(Problem::new(ProblemKind::LedgerReset, vec![day.iso()], key, e.to_string(), "reset"));
                    let fresh = DayLedger::new(&shop, day);
                    if shop != ctx.shop {
                        ctx.changed.push(KeyedRecord { key: key.clone(), value: to_value(key, &fresh)? });
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

    pub(super) fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    pub(super) fn ledger_mut(&mut self, day: ChinaDay) -> &mut DayLedger {
        self.dirty.insert(day);
        let shop = self.shop.clone();
        self.ledgers.entry(day).or_insert_with(|| DayLedger::new(&shop, day))
    }

    /// Fires today's warnings, snapshots limits, serializes what changed and builds the view.
    pub(super) fn finish(mut self) -> Result<QuotaUpdate, QuotaError> {
        let today = self.today;
        let mut today_ledger = self.ledgers.remove(&today).unwrap_or_else(|| DayLedger::new(&self.shop, today));
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
            ledger.limit = Some(LimitSnapshot { limit: r.limit, source: r.source });
            ledger.updated_at_ms = self.now;
            let key = ledger.key();
            self.changed.push(KeyedRecord { value: to_value(&key, &*ledger)?, key });
        }
        let earlier: Vec<DayLedger> = self.ledgers.into_values().filter(|l| l.day < today).collect();
        let inputs = DashboardInputs {
            settings: &self.settings,
            earlier: &earlier,
            paid: &self.paid,
            routes: &self.routes,
            now_ms: self.now,
        };
        let view = build(&today_ledger, limit, warnings, &inputs);
        Ok(QuotaUpdate { changed: self.changed, removed: self.removed, problems: self.problems, outcome: None, view })
    }
}
