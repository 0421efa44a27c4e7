//! The service worker's live fill run, held between steps: the run record with its write-ahead
//! log folded in, and that log ([`super::wal`]).
//!
//! Handing the whole run across the boundary at every step (in as JSON, out as JSON) made a
//! step cost the size of the run, not what it changed: about 3 ms an order at 200 orders and
//! 13 ms at 1,000, on the path to every 确定. [`LiveRun`] keeps the run where the journal works
//! on it, so a step takes in its events and gives out the log, the action and the progress.
//!
//! A step is staged, not applied: the worker saves the step's log first and only then makes it
//! live ([`LiveRun::commit`]). A save that fails leaves the live run as it was, so the content
//! script's repeat of the step meets the same run, as it does when the worker is stopped between
//! the save and the answer.

use super::events::{Action, FillEvent, Progress};
use super::plan::{FillError, FillRun, RunState};
use super::report::{report, ReportView};
use super::wal::{advance, recover, RecoverRequest, RunLog};
use serde::{Deserialize, Serialize};

/// `ShipJournal.step` request: a step of the live run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveStepRequest {
    /// Events to apply in order (at least one).
    pub events: Vec<FillEvent>,
    /// An order the content script is opening: if the events hand it out (ship mode), its
    /// intent to press 确定 is recorded in the same step.
    #[serde(default)]
    pub confirm: Option<String>,
    /// Also name the order expected after the one handed out (see [`LiveStepView::ahead`]).
    #[serde(default)]
    pub lookahead: bool,
    /// A random value (any `u32`, evenly spread) for the pace's wait ([`super::pace`]).
    #[serde(default)]
    pub random: u32,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `ShipJournal.step` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveStepView {
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
    /// How long (ms, from the step) the content script waits before pressing 确定 for the order
    /// handed out: the run's pace ([`super::pace::wait_before`]); 0 for anything else.
    pub wait_ms: u32,
}

/// The live run and its log, and the last step not yet made live. The log always extends the
/// run as it is (`log.seq == run.seq`): [`recover`] folds it in, a step advances both, a whole
/// save drops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRun {
    run: FillRun,
    log: Option<RunLog>,
    staged: Option<(FillRun, Option<RunLog>)>,
}

impl LiveRun {
    /// The live run of a saved record and the log found beside it (the log folded in, as
    /// [`recover`] does).
    pub fn open(req: RecoverRequest) -> Result<Self, FillError> {
        let r = recover(req)?;
        Ok(LiveRun { run: r.run, log: r.log, staged: None })
    }

    /// Works out a step on the live run and stages it; the live run is unchanged until
    /// [`Self::commit`]. A step refused changes nothing; a new step drops one left staged.
    pub fn step(&mut self, req: LiveStepRequest) -> Result<LiveStepView, FillError> {
        self.staged = None;
        let (run, view) = advance(&self.run, self.log.as_ref(), req)?;
        self.staged = Some((run, view.log.clone()));
        Ok(view)
    }

    /// Makes the staged step live (its log was saved). False when nothing was staged.
    pub fn commit(&mut self) -> bool {
        match self.staged.take() {
            Some((run, log)) => {
                self.run = run;
                self.log = log;
                true
            }
            None => false,
        }
    }

    /// The live run was saved whole and its log deleted: the next change starts a new log.
    pub fn saved_whole(&mut self) {
        self.log = None;
    }

    /// The live run.
    pub fn run(&self) -> &FillRun {
        &self.run
    }

    /// The run as the staged step leaves it (the live run when nothing is staged).
    pub fn staged_run(&self) -> &FillRun {
        self.staged.as_ref().map_or(&self.run, |(run, _)| run)
    }

    /// The live run's log: what a whole save must still fold into the record.
    pub fn log(&self) -> Option<&RunLog> {
        self.log.as_ref()
    }

    /// The live run's state.
    pub fn state(&self) -> RunState {
        self.run.state
    }

    /// The live run's report.
    pub fn report(&self) -> Result<ReportView, FillError> {
        report(&self.run)
    }
}
