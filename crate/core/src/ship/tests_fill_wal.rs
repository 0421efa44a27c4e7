//! The write-ahead log of a fill run: a step saves only what it changed, and whatever point a
//! crash hits (before the intent is saved, after it but before 确定, after 确定 before the
//! outcome is recorded, between a log and a whole save), the record and its log recover exactly
//! the last completed save — never an order handed out again without a check, never a recorded
//! shipment lost, never a log applied over a newer record.

use super::journal::{Action, FillEvent, Outcome, RowStatus};
use super::live::{LiveRun, LiveStepRequest, LiveStepView};
use super::plan::{FillError, FillMode, FillRun, ItemStatus, Phase, RunState};
use super::tests_fill::{ev, fill_id, new_run, pid};
use super::tests_fill_props::any_event;
use super::wal::{recover, RecoverRequest, RunLog, CHECKPOINT_ITEMS};
use proptest::prelude::*;

/// What the worker saves: the run record and the log beside it.
#[derive(Clone, Debug)]
struct Stored {
    record: FillRun,
    log: Option<RunLog>,
}

/// A step's answer, with the run it leaves (staged until saved).
#[derive(Debug)]
pub(super) struct StepView {
    pub(super) run: FillRun,
    view: LiveStepView,
}

impl std::ops::Deref for StepView {
    type Target = LiveStepView;
    fn deref(&self) -> &LiveStepView {
        &self.view
    }
}

/// The worker: the live run (held as the service worker holds it) and what is in storage.
pub(super) struct Worker {
    live: LiveRun,
    stored: Stored,
}

impl Worker {
    pub(super) fn started(n: u32) -> Self {
        let (run, _) = ev(&new_run(n, FillMode::Ship), FillEvent::Start).unwrap();
        let live = LiveRun::open(RecoverRequest { run: run.clone(), log: None }).unwrap();
        Worker { stored: Stored { record: run, log: None }, live }
    }

    /// The live run.
    pub(super) fn run(&self) -> &FillRun {
        self.live.run()
    }

    /// The live run's log.
    fn log(&self) -> Option<&RunLog> {
        self.live.log()
    }

    /// One step, computed (staged) but not saved yet.
    pub(super) fn compute(&mut self, events: Vec<FillEvent>, confirm: Option<&str>) -> Result<StepView, FillError> {
        let req =
            LiveStepRequest { events, confirm: confirm.map(str::to_string), lookahead: true, random: 0, now_ms: 9 };
        let view = self.live.step(req)?;
        Ok(StepView { run: self.live.staged_run().clone(), view })
    }

    /// Saves a computed step (the log only) and makes it live.
    pub(super) fn save(&mut self, v: &StepView) {
        if v.changed {
            self.stored.log = v.log.clone();
        }
        assert!(self.live.commit(), "a step was staged");
        assert_eq!(self.run(), &v.run);
    }

    pub(super) fn step(&mut self, events: Vec<FillEvent>, confirm: Option<&str>) -> StepView {
        let v = self.compute(events, confirm).unwrap();
        self.save(&v);
        v
    }

    /// The whole save: the record and the log's deletion in one write.
    fn checkpoint(&mut self) {
        self.stored = Stored { record: self.run().clone(), log: None };
        self.live.saved_whole();
    }

    /// A worker restart: memory is gone, the live run comes from storage.
    pub(super) fn restart(&mut self) {
        self.live =
            LiveRun::open(RecoverRequest { run: self.stored.record.clone(), log: self.stored.log.clone() }).unwrap();
    }
}

pub(super) fn next() -> FillEvent {
    FillEvent::Next { visible: vec![] }
}

fn result(id: &str, outcome: Outcome) -> FillEvent {
    FillEvent::Result { package_id: id.into(), outcome }
}

#[test]
fn a_step_saves_the_outcome_and_the_next_intent_as_one_small_log() {
    let mut w = Worker::started(40);
    let v = w.step(vec![next()], Some(&pid(0)));
    assert!(v.changed && v.confirmed && !v.checkpoint);
    assert_eq!(fill_id(&v.action), pid(0));
    assert_eq!(v.ahead.as_ref().map(fill_id), Some(pid(1)));
    let v = w.step(vec![result(&pid(0), Outcome::Shipped), next()], Some(&pid(1)));
    let log = v.log.clone().unwrap();
    assert_eq!((log.base, log.seq, v.run.seq), (0, 2, 2));
    assert_eq!(log.items.len(), 2, "only the two orders the steps touched");
    assert_eq!(log.items[0].status, ItemStatus::Shipped);
    assert_eq!(
        (log.items[1].status, log.items[1].phase, log.items[1].confirms),
        (ItemStatus::InProgress, Some(Phase::Confirming), 1)
    );
    // An order not handed out is not confirmed; nothing else changes.
    let other = w.compute(vec![result(&pid(1), Outcome::Shipped), next()], Some(&pid(7))).unwrap();
    assert!(!other.confirmed);
    assert_eq!(fill_id(&other.action), pid(2));
    assert_eq!(other.run.items[2].phase, Some(Phase::Opening));
    // The log asks for a whole save once it holds CHECKPOINT_ITEMS orders.
    let mut asked = None;
    let mut current = 1;
    while asked.is_none() && current < 30 {
        let v = w.step(vec![result(&pid(current), Outcome::Shipped), next()], Some(&pid(current + 1)));
        current += 1;
        asked = v.checkpoint.then(|| v.log.as_ref().unwrap().items.len());
    }
    assert_eq!(asked, Some(CHECKPOINT_ITEMS));
    w.checkpoint();
    let v = w.step(vec![result(&pid(current), Outcome::Shipped), next()], None);
    assert_eq!(v.log.as_ref().unwrap().base, w.stored.record.seq);
    // A stop (or pause, or the run's end) asks for one at once.
    let v = w.step(vec![FillEvent::Stop { reason: "route-changed".into() }], None);
    assert!(v.checkpoint && v.run.state == RunState::Stopped);
}

#[test]
fn a_crash_before_the_intent_is_saved_finds_the_order_never_confirmed() {
    let mut w = Worker::started(3);
    w.step(vec![next()], Some(&pid(0)));
    // The step that records pid(0)'s outcome and pid(1)'s intent is computed, never saved:
    // the content script got no answer, so it never pressed 确定 for pid(1).
    let lost = w.compute(vec![result(&pid(0), Outcome::Shipped), next()], Some(&pid(1))).unwrap();
    assert!(lost.confirmed);
    w.restart();
    assert_eq!(w.run().items[1].status, ItemStatus::Pending);
    // pid(0) was pressed and its outcome not recorded: it is checked before anything else.
    let v = w.step(vec![next()], Some(&pid(1)));
    assert_eq!(v.action, Action::Check { package_id: pid(0) });
    assert!(!v.confirmed);
}

#[test]
fn a_crash_after_the_intent_or_after_confirm_checks_and_never_refills() {
    for pressed in [false, true] {
        let mut w = Worker::started(3);
        w.step(vec![next()], Some(&pid(0)));
        w.step(vec![result(&pid(0), Outcome::Shipped), next()], Some(&pid(1)));
        // Crash: after the intent's save, before 确定 (pressed = false) or after it, before its
        // outcome reached the worker (pressed = true). Nothing of pid(1) is known but the intent.
        w.restart();
        assert_eq!(w.run().items[0].status, ItemStatus::Shipped, "the recorded shipment is kept");
        assert_eq!(w.run().items[1].phase, Some(Phase::Confirming));
        let v = w.step(vec![next()], Some(&pid(1)));
        assert_eq!(v.action, Action::Check { package_id: pid(1) }, "checked, not filled again");
        let row = if pressed { RowStatus::Shipped } else { RowStatus::Waiting };
        let v = w.step(vec![FillEvent::Checked { package_id: pid(1), status: row }, next()], Some(&pid(1)));
        if pressed {
            assert_eq!(v.run.items[1].status, ItemStatus::Shipped);
            assert_eq!(fill_id(&v.action), pid(2));
        } else {
            // Still waiting: handed out once more, with its one retry counted.
            assert_eq!(fill_id(&v.action), pid(1));
            assert_eq!(v.run.items[1].confirms, 2);
        }
        // And once more after a whole save and another restart: the same run.
        let live = w.run().clone();
        w.checkpoint();
        w.restart();
        assert_eq!(w.run(), &live);
    }
}

#[test]
fn a_log_is_folded_once_and_never_over_a_newer_record() {
    let mut w = Worker::started(4);
    w.step(vec![next()], Some(&pid(0)));
    let old = w.stored.clone(); // the log says pid(0) is being confirmed
    w.step(vec![result(&pid(0), Outcome::Shipped), next()], Some(&pid(1)));
    w.restart();
    let once = w.run().clone();
    // Folding the same record and log again gives the same run (items are replaced).
    w.restart();
    assert_eq!(w.run(), &once);
    // After the whole save, the older log left beside the newer record is ignored: pid(0) stays
    // shipped instead of going back to "confirming".
    w.checkpoint();
    let r = recover(RecoverRequest { run: w.stored.record.clone(), log: old.log.clone() }).unwrap();
    assert_eq!((r.run.clone(), r.log), (once.clone(), None));
    assert_eq!(r.run.items[0].status, ItemStatus::Shipped);
    // A log that extends another record (a save in between is missing) is refused.
    let mut skipped = w.stored.record.clone();
    skipped.seq -= 1;
    let newer = w.compute(vec![result(&pid(1), Outcome::Shipped), next()], None).unwrap().log.clone();
    let err = recover(RecoverRequest { run: skipped, log: newer }).unwrap_err();
    assert!(matches!(err, FillError::LogMismatch { .. }), "{err}");
    assert!(err.to_string().starts_with("填写记录"));
    // A log of another run, or of an unknown version, is refused too.
    let mut foreign = old.log.clone().unwrap();
    foreign.run_id = "r2".into();
    assert!(recover(RecoverRequest { run: old.record.clone(), log: Some(foreign) }).is_err());
    let mut future = old.log.unwrap();
    future.v = 9;
    assert_eq!(recover(RecoverRequest { run: old.record, log: Some(future) }).unwrap_err(), FillError::Version(9));
}

#[test]
fn a_step_without_events_is_refused_and_changes_nothing() {
    let mut w = Worker::started(3);
    w.step(vec![next()], Some(&pid(0)));
    let (run, log) = (w.run().clone(), w.log().cloned());
    assert!(matches!(w.compute(vec![], None), Err(FillError::BadRequest(_))));
    assert!(!w.live.commit(), "nothing was staged");
    assert_eq!((w.run(), w.log()), (&run, log.as_ref()));
}

#[derive(Debug, Clone)]
enum Op {
    Step(Vec<FillEvent>, Option<u32>, bool),
    /// A step computed whose save failed: the worker lives on, the step is not made live.
    Unsaved(Vec<FillEvent>, Option<u32>),
    Checkpoint,
    Restart,
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (proptest::collection::vec(any_event(4), 1..3), proptest::option::of(0..4u32), any::<bool>())
            .prop_map(|(events, confirm, saved)| Op::Step(events, confirm, saved)),
        2 => (proptest::collection::vec(any_event(4), 1..3), proptest::option::of(0..4u32))
            .prop_map(|(events, confirm)| Op::Unsaved(events, confirm)),
        1 => Just(Op::Checkpoint),
        2 => Just(Op::Restart),
    ]
}

proptest! {
    /// Whatever the steps, whole saves and crashes (a crash may also hit a step computed but not
    /// saved), a restart recovers exactly the run of the last completed save; a step whose save
    /// failed leaves the live run as that save left it.
    #[test]
    fn a_restart_recovers_the_last_save(ops in proptest::collection::vec(any_op(), 0..60)) {
        let mut w = Worker::started(4);
        let mut saved = w.run().clone();
        for op in ops {
            match op {
                Op::Step(events, confirm, persisted) => {
                    let Ok(v) = w.compute(events, confirm.map(pid).as_deref()) else { continue };
                    prop_assert!(v.log.as_ref().is_none_or(|l| l.seq == v.run.seq));
                    if persisted {
                        w.save(&v);
                        saved = w.run().clone();
                    } else {
                        // Computed, then the worker died before the save.
                        w.restart();
                        prop_assert_eq!(w.run(), &saved);
                    }
                }
                Op::Unsaved(events, confirm) => {
                    let _ = w.compute(events, confirm.map(pid).as_deref());
                    prop_assert_eq!(w.run(), &saved);
                }
                Op::Checkpoint => w.checkpoint(),
                Op::Restart => {
                    w.restart();
                    prop_assert_eq!(w.run(), &saved);
                }
            }
        }
        w.restart();
        prop_assert_eq!(w.run(), &saved);
    }
}
