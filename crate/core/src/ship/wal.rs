//! The fill run's write-ahead log: what a step changed, saved small and at once, so the intent
//! to press 确定 is durable before the click without sealing the whole run record (which grows
//! with the run) on every step.
//!
//! The service worker keeps the run in memory and, per step, saves only a [`RunLog`]: the latest
//! version of every item changed since the run record was last saved whole, plus the run's own
//! fields, under `seq`. Now and then (the core says when: [`LiveStepView::checkpoint`]) it saves
//! the whole run and deletes the log in the same atomic write. After a restart [`recover`] folds the
//! log into the record: a log extends exactly one record (`base` = that record's `seq`), so it
//! is applied once and never over a newer record, and applying it again changes nothing (items
//! are replaced, not counted). A crash therefore finds either the record alone or the record
//! and a log that together say exactly what the last completed save said.

use super::events::{Action, ApplyRequest, FillEvent, Outcome};
use super::journal::{apply, progress};
use super::live::{LiveStepRequest, LiveStepView};
use super::pace::wait_before;
use super::plan::{FillError, FillItem, FillMode, FillRun, RunState};
use serde::{Deserialize, Serialize};

/// Schema version of [`RunLog`].
pub const LOG_VERSION: u32 = 1;

/// A log holding this many items is folded into the run record (a whole save).
pub const CHECKPOINT_ITEMS: usize = 16;

/// What changed since the run record was last saved whole (key `ship/wal/<runId>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunLog {
    /// Schema version.
    pub v: u32,
    /// The run.
    pub run_id: String,
    /// The `seq` of the run record this log extends.
    pub base: u64,
    /// The run's `seq` after the last change in the log.
    pub seq: u64,
    /// The run's state after the last change.
    pub state: RunState,
    /// The run's stop reason after the last change.
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// The run's last change (epoch ms).
    pub updated_at: i64,
    /// The latest version of every item changed since `base`.
    pub items: Vec<FillItem>,
}

/// `ShipJournal.open` request: the saved run record and the log found beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverRequest {
    /// The saved run.
    pub run: FillRun,
    /// The saved log, if any.
    #[serde(default)]
    pub log: Option<RunLog>,
}

/// The live run recovered: the record with its log folded in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverView {
    /// The live run: the record with the log folded in.
    pub run: FillRun,
    /// The log that still has to be folded into the record by a whole save (none when the
    /// record already holds everything, e.g. a log left from before the last whole save).
    pub log: Option<RunLog>,
}

/// Applies a step's events (and the confirm intent) to the live `run`, whose log is `log`: the
/// run after the step, and the answer with the log to save. [`super::live::LiveRun`] keeps
/// `log.seq == run.seq`; a log that does not extend the run is still refused here.
pub(super) fn advance(
    run: &FillRun,
    log: Option<&RunLog>,
    req: LiveStepRequest,
) -> Result<(FillRun, LiveStepView), FillError> {
    let LiveStepRequest { events, confirm, lookahead, random, now_ms } = req;
    if let Some(l) = log {
        check_log(run, l)?;
        if l.seq != run.seq {
            return Err(mismatch(run, l));
        }
    }
    let visible = events.iter().rev().find_map(|e| match e {
        FillEvent::Next { visible } => Some(visible.clone()),
        _ => None,
    });
    let before = run;
    let mut run = run.clone();
    let mut action = None;
    for event in events {
        let v = apply(ApplyRequest { run, event, now_ms })?;
        run = v.run;
        action = Some(v.action);
    }
    let action = action.ok_or_else(|| FillError::BadRequest("步骤没有事件（a step needs an event）".into()))?;
    let confirmed = match (&action, &confirm) {
        (Action::Fill { package_id, mode: FillMode::Ship, .. }, Some(c)) => package_id == c,
        _ => false,
    };
    if let (true, Some(package_id)) = (confirmed, confirm) {
        run = apply(ApplyRequest { run, event: FillEvent::Confirming { package_id }, now_ms })?.run;
    }
    let changed = run != *before;
    let log = if changed {
        run.seq = before.seq + 1;
        Some(merge(log.cloned(), before, &run))
    } else {
        log.cloned()
    };
    let ahead = match (&action, lookahead) {
        (Action::Fill { package_id, mode: FillMode::Ship, .. }, true) => {
            next_after(&run, package_id, visible.unwrap_or_default(), now_ms)
        }
        _ => None,
    };
    let checkpoint = log.as_ref().is_some_and(|l| l.items.len() >= CHECKPOINT_ITEMS || l.state != RunState::Running);
    let progress = progress(&run);
    let wait_ms = match &action {
        Action::Fill { package_id, .. } => wait_before(&run, package_id, random, now_ms),
        _ => 0,
    };
    Ok((run, LiveStepView { log, action, progress, changed, confirmed, ahead, checkpoint, wait_ms }))
}

/// The record with the log folded in. A log older than the record (left by a whole save that
/// came after it) is dropped; one that extends another record is refused.
pub fn recover(req: RecoverRequest) -> Result<RecoverView, FillError> {
    let RecoverRequest { mut run, log } = req;
    let Some(log) = log else {
        return Ok(RecoverView { run, log: None });
    };
    check_log(&run, &log)?;
    if log.seq <= run.seq {
        return Ok(RecoverView { run, log: None });
    }
    if log.base != run.seq {
        return Err(mismatch(&run, &log));
    }
    for changed in &log.items {
        let it = run
            .items
            .iter_mut()
            .find(|i| i.package_id == changed.package_id)
            .ok_or_else(|| FillError::UnknownItem(changed.package_id.clone()))?;
        *it = changed.clone();
    }
    run.seq = log.seq;
    run.state = log.state;
    run.stop_reason = log.stop_reason.clone();
    run.updated_at = log.updated_at;
    Ok(RecoverView { run, log: Some(log) })
}

fn check_log(run: &FillRun, log: &RunLog) -> Result<(), FillError> {
    if log.v != LOG_VERSION {
        return Err(FillError::Version(log.v));
    }
    if log.run_id != run.run_id {
        return Err(FillError::BadRequest(format!(
            "日志属于任务 {}，不是 {}（the log belongs to another run）",
            log.run_id, run.run_id
        )));
    }
    Ok(())
}

fn mismatch(run: &FillRun, log: &RunLog) -> FillError {
    FillError::LogMismatch { run_id: run.run_id.clone(), base: log.base, seq: run.seq }
}

/// `log` (or a new one extending `before`) with every item that differs in `after`.
fn merge(log: Option<RunLog>, before: &FillRun, after: &FillRun) -> RunLog {
    let mut log = log.unwrap_or_else(|| RunLog {
        v: LOG_VERSION,
        run_id: before.run_id.clone(),
        base: before.seq,
        seq: before.seq,
        state: before.state,
        stop_reason: before.stop_reason.clone(),
        updated_at: before.updated_at,
        items: Vec::new(),
    });
    for (b, a) in before.items.iter().zip(&after.items) {
        if a == b {
            continue;
        }
        match log.items.iter_mut().find(|i| i.package_id == a.package_id) {
            Some(slot) => *slot = a.clone(),
            None => log.items.push(a.clone()),
        }
    }
    log.seq = after.seq;
    log.state = after.state;
    log.stop_reason = after.stop_reason.clone();
    log.updated_at = after.updated_at;
    log
}

/// The fill action the journal would hand out once `current` is settled: asked of a copy that
/// settles it (as failed: any final outcome serves), then asks `next`.
fn next_after(run: &FillRun, current: &str, visible: Vec<String>, now_ms: i64) -> Option<Action> {
    let settle =
        FillEvent::Result { package_id: current.to_string(), outcome: Outcome::Failed { message: "lookahead".into() } };
    let settled = apply(ApplyRequest { run: run.clone(), event: settle, now_ms }).ok()?.run;
    let next = apply(ApplyRequest { run: settled, event: FillEvent::Next { visible }, now_ms }).ok()?;
    matches!(next.action, Action::Fill { .. }).then_some(next.action)
}
