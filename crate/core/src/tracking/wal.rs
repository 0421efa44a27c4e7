//! The fill run's write-ahead log: what a step changed, saved small and at once, so the intent
//! to press 确定 is durable before the click without sealing the whole run record (which grows
//! with the run) on every step.
//!
//! The service worker keeps the run in memory and, per step, saves only a [`RunLog`]: the latest
//! version of every item changed since the run record was last saved whole, plus the run's own
//! fields, under `seq`. Now and then (the core says when: [`StepView::checkpoint`]) it saves the
//! whole run and deletes the log in the same atomic write. After a restart [`recover`] folds the
//! log into the record: a log extends exactly one record (`base` = that record's `seq`), so it
//! is applied once and never over a newer record, and applying it again changes nothing (items
//! are replaced, not counted). A crash therefore finds either the record alone or the record
//! and a log that together say exactly what the last completed save said.

use super::events::{Action, ApplyRequest, FillEvent, Outcome, Progress};
use super::journal::{apply, progress};
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

/// `fillJournalStep` request: the live run (the record with its log folded in) and its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRequest {
    /// The live run.
    pub run: FillRun,
    /// Its log since the last whole save (none: the live run is the saved record).
    #[serde(default)]
    pub log: Option<RunLog>,
    /// Events to apply in order (at least one).
    pub events: Vec<FillEvent>,
    /// An order the content script is opening: if the events hand it out (ship mode), its
    /// intent to press 确定 is recorded in the same step.
    #[serde(default)]
    pub confirm: Option<String>,
    /// Also name the order expected after the one handed out (see [`StepView::ahead`]).
    #[serde(default)]
    pub lookahead: bool,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `fillJournalStep` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    /// The live run after the step.
    pub run: FillRun,
    /// The log to save before acting on `action` (when `changed`).
    pub log: Option<RunLog>,
    /// What the content script does next.
    pub action: Action,
    /// Progress.
    pub progress: Progress,
    /// True when the run changed (the log must be saved).
    pub changed: bool,
    /// True when `confirm`'s intent to press 确定 was recorded.
    pub confirmed: bool,
    /// The fill action expected once the order handed out is settled (ship mode, with
    /// `lookahead`): only a hint, computed on a copy that is never saved.
    pub ahead: Option<Action>,
    /// True when the run should now be saved whole and the log deleted (off the critical path).
    pub checkpoint: bool,
}

/// `fillJournalRecover` request: the saved run record and the log found beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverRequest {
    /// The saved run.
    pub run: FillRun,
    /// The saved log, if any.
    #[serde(default)]
    pub log: Option<RunLog>,
}

/// `fillJournalRecover` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverView {
    /// The live run: the record with the log folded in.
    pub run: FillRun,
    /// The log that still has to be folded into the record by a whole save (none when the
    /// record already holds everything, e.g. a log left from before the last whole save).
    pub log: Option<RunLog>,
}

/// Applies a step's events (and the confirm intent) to the live run; returns the log to save.
pub fn step(req: StepRequest) -> Result<StepView, FillError> {
    let StepRequest { run, log, events, confirm, lookahead, now_ms } = req;
    if let Some(l) = &log {
        check_log(&run, l)?;
        if l.seq != run.seq {
            return Err(mismatch(&run, l));
        }
    }
    let visible = events.iter().rev().find_map(|e| match e {
        FillEvent::Next { visible } => Some(visible.clone()),
        _ => None,
    });
    let before = run.clone();
    let mut run = run;
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
    let changed = run != before;
    let log = if changed {
        run.seq = before.seq + 1;
        Some(merge(log, &before, &run))
    } else {
        log
    };
    let ahead = match (&action, lookahead) {
        (Action::Fill { package_id, mode: FillMode::Ship, .. }, true) => {
            next_after(&run, package_id, visible.unwrap_or_default(), now_ms)
        }
        _ => None,
    };
    let checkpoint = log.as_ref().is_some_and(|l| l.items.len() >= CHECKPOINT_ITEMS || l.state != RunState::Running);
    Ok(StepView { progress: progress(&run), run, log, action, changed, confirmed, ahead, checkpoint })
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
