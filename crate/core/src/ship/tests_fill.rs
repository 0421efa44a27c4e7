//! Fill plan, journal and report tests: the run's state machine, resume after a reload or a
//! stop, pause and cancel, and the report with its CSV. (The property test is in
//! `tests_fill_props.rs`, the withdrawn intent's in `tests_fill_withdraw.rs`.)

use super::journal::{apply, Action, ApplyRequest, FillEvent, Outcome, RowStatus, MAX_CONFIRMS};
use super::pace::Pace;
use super::plan::{plan, FillError, FillMode, FillRun, ItemStatus, PlanRequest, RunState};
use super::report::{neutralise, report, report_csv, ReportRequest, ReportStatus};
use super::*;

#[path = "tests_fill_withdraw.rs"]
mod withdraw;

/// A package ID for test order `n` (shared with the property test).
pub(super) fn pid(n: u32) -> String {
    format!("P{:015}", 200_000_000_000_000u64 + u64::from(n))
}

/// A planned run of `n` waiting orders, ZTO numbers (shared with the property test).
pub(super) fn new_run(n: u32, mode: FillMode) -> FillRun {
    let rows = (0..n)
        .map(|i| RawEntry {
            row: i as usize + 1,
            package_id: pid(i),
            courier: "中通".into(),
            number: format!("7730{i:08}"),
        })
        .collect();
    let context = ValidationContext {
        known_orders: (0..n).map(|i| KnownOrder { package_id: pid(i), waiting: true, unclear: false }).collect(),
        ..Default::default()
    };
    plan(&PlanRequest { run_id: "r1".into(), mode, rows, context, pace: Pace::Person, now_ms: 1 }).unwrap()
}

pub(super) fn ev(run: &FillRun, event: FillEvent) -> Result<(FillRun, Action), FillError> {
    apply(ApplyRequest { run: run.clone(), event, now_ms: 2 }).map(|v| (v.run, v.action))
}

pub(super) fn next(run: &FillRun) -> (FillRun, Action) {
    ev(run, FillEvent::Next { visible: vec![] }).unwrap()
}

pub(super) fn result(run: &FillRun, id: &str, outcome: Outcome) -> FillRun {
    ev(run, FillEvent::Result { package_id: id.into(), outcome }).unwrap().0
}

pub(super) fn confirming(run: &FillRun, id: &str) -> FillRun {
    ev(run, FillEvent::Confirming { package_id: id.into() }).unwrap().0
}

pub(super) fn fill_id(a: &Action) -> String {
    match a {
        Action::Fill { package_id, .. } => package_id.clone(),
        other => panic!("expected fill, got {other:?}"),
    }
}

#[test]
fn plan_takes_only_fillable_rows() {
    let rows = vec![
        RawEntry { row: 1, package_id: pid(1), courier: "中通".into(), number: "773012345678".into() },
        RawEntry { row: 2, package_id: pid(2), courier: "中通".into(), number: "1".into() },
        RawEntry { row: 3, package_id: pid(1), courier: "中通".into(), number: "773012345678".into() },
    ];
    let context = ValidationContext {
        known_orders: vec![
            KnownOrder { package_id: pid(1), waiting: true, unclear: false },
            KnownOrder { package_id: pid(2), waiting: true, unclear: false },
        ],
        ..Default::default()
    };
    let run = plan(&PlanRequest {
        run_id: "r".into(),
        mode: FillMode::Ship,
        rows: rows.clone(),
        context: context.clone(),
        pace: Pace::Person,
        now_ms: 5,
    })
    .unwrap();
    assert_eq!(run.items.len(), 1);
    assert_eq!(run.items[0].courier_name, "中通快递");
    let bad = plan(&PlanRequest {
        run_id: "r".into(),
        mode: FillMode::Ship,
        rows: rows[1..2].to_vec(),
        context,
        pace: Pace::Fast,
        now_ms: 5,
    });
    assert_eq!(bad, Err(FillError::NothingToFill { errors: 1 }));
}

#[test]
fn ship_mode_happy_path_and_report() {
    let mut run = new_run(3, FillMode::Ship);
    let (r, a) = ev(&run, FillEvent::Start).unwrap();
    run = r;
    let mut order = vec![fill_id(&a)];
    run = confirming(&run, &order[0]);
    run = result(&run, &order[0], Outcome::Shipped);
    for _ in 0..2 {
        let (r, a) = next(&run);
        let id = fill_id(&a);
        run = confirming(&r, &id);
        run = result(
            &run,
            &id,
            if id == pid(1) {
                Outcome::Failed { message: "运单号格式不正确".into() }
            } else {
                Outcome::Shipped
            },
        );
        order.push(id);
    }
    assert_eq!(order, vec![pid(0), pid(1), pid(2)]);
    // The last answer closes the run at once; asking again says done.
    assert_eq!(run.state, RunState::Done);
    let (run, a) = next(&run);
    assert_eq!(a, Action::Done);
    let rep = report(&run).unwrap();
    assert_eq!((rep.counts.shipped, rep.counts.failed), (2, 1));
    assert_eq!(rep.rows[1].message.as_deref(), Some("运单号格式不正确"));
    assert_eq!(rep.used.len(), 2);
    let csv = report_csv(&ReportRequest { run, lang: None }).unwrap();
    assert!(csv.starts_with('\u{FEFF}'));
    assert!(csv.contains("失败") && csv.contains("运单号格式不正确"));
}

#[test]
fn shipped_is_final_and_needs_a_recorded_confirm() {
    let run = new_run(1, FillMode::Ship);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    // Success without a recorded 确定 is refused: the journal must know before the click.
    assert!(ev(&run, FillEvent::Result { package_id: id.clone(), outcome: Outcome::Shipped }).is_err());
    let run = result(&confirming(&run, &id), &id, Outcome::Shipped);
    // Same answer again (resent after a restart) is harmless; anything else is refused.
    assert_eq!(result(&run, &id, Outcome::Shipped), run);
    assert!(ev(&run, FillEvent::Confirming { package_id: id.clone() }).is_err());
    assert!(ev(&run, FillEvent::Result { package_id: id.clone(), outcome: Outcome::Failed { message: "x".into() } })
        .is_err());
    // A check report for an order no longer awaiting one (resent after a restart) changes nothing.
    assert_eq!(ev(&run, FillEvent::Checked { package_id: id.clone(), status: RowStatus::Waiting }).unwrap().0, run);
    assert!(matches!(
        ev(&run, FillEvent::Result { package_id: "P9".into(), outcome: Outcome::Shipped }),
        Err(FillError::UnknownItem(_))
    ));
}

#[test]
fn reload_while_confirming_checks_before_anything() {
    let run = new_run(2, FillMode::Ship);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    let saved = confirming(&run, &id);
    // The page reloads: the content script starts fresh and the run is resumed.
    let (run, a) = ev(&saved, FillEvent::Start).unwrap();
    assert_eq!(a, Action::Check { package_id: id.clone() });
    let (_, a) = next(&run);
    assert_eq!(a, Action::Check { package_id: id.clone() }, "asking again still checks");
    // Row shows shipped → shipped, and the next order comes.
    let shipped = ev(&run, FillEvent::Checked { package_id: id.clone(), status: RowStatus::Shipped }).unwrap().0;
    assert_eq!(shipped.items[0].status, ItemStatus::Shipped);
    assert_eq!(fill_id(&next(&shipped).1), pid(1));
    // Row still waiting → one retry, then failure; never a third 确定.
    let mut r = ev(&run, FillEvent::Checked { package_id: id.clone(), status: RowStatus::Waiting }).unwrap().0;
    assert_eq!(fill_id(&next(&r).1), id);
    r = next(&r).0;
    r = confirming(&r, &id);
    r = result(&r, &id, Outcome::NoAnswer);
    assert_eq!(r.items[0].status, ItemStatus::Unknown);
    assert_eq!(next(&r).1, Action::Check { package_id: id.clone() });
    r = ev(&r, FillEvent::Checked { package_id: id.clone(), status: RowStatus::Waiting }).unwrap().0;
    assert_eq!(r.items[0].status, ItemStatus::Failed);
    assert_eq!(r.items[0].confirms, MAX_CONFIRMS);
    assert_eq!(report(&r).unwrap().rows[0].status, ReportStatus::Failed);

    // The row is there but cannot say (a disabled 发货, a cancelled status): failed as unknown,
    // never reported shipped, never filled again.
    let unclear = ev(&run, FillEvent::Checked { package_id: id.clone(), status: RowStatus::Unclear }).unwrap().0;
    assert_eq!(unclear.items[0].status, ItemStatus::Failed);
    assert_eq!(unclear.items[0].reason.as_deref(), Some("unknown"));
    assert!(unclear.items[0].message.as_deref().unwrap_or("").contains("check it on the workbench"));
    assert_eq!(fill_id(&next(&unclear).1), pid(1));
}

#[test]
fn stop_pause_cancel_and_skips() {
    let run = new_run(4, FillMode::Fill);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    // Filling is not confirming: fill mode refuses `confirming`.
    assert!(ev(&run, FillEvent::Confirming { package_id: id.clone() }).is_err());
    // The route changed before the dialog was filled: back to pending, run stopped.
    let (stopped, a) = ev(&run, FillEvent::Stop { reason: "route-changed".into() }).unwrap();
    assert_eq!((stopped.state, a), (RunState::Stopped, Action::Wait));
    assert_eq!(stopped.items[0].status, ItemStatus::Pending);
    assert_eq!(next(&stopped).1, Action::Wait);
    let (run, a) = ev(&stopped, FillEvent::Start).unwrap();
    assert_eq!(fill_id(&a), id);
    let run = result(&run, &id, Outcome::Filled);
    // The dialog showed another order: skipped with that reason.
    let (run, a) = next(&run);
    let id2 = fill_id(&a);
    let run = result(
        &run,
        &id2,
        Outcome::Skipped { reason: "dialog-mismatch".into(), message: "对话框显示的是另一个订单".into() },
    );
    assert_eq!(run.items[1].reason.as_deref(), Some("dialog-mismatch"));
    let (paused, a) = ev(&run, FillEvent::Pause).unwrap();
    assert_eq!((paused.state, a), (RunState::Paused, Action::Wait));
    let (cancelled, _) = ev(&paused, FillEvent::Cancel).unwrap();
    let rep = report(&cancelled).unwrap();
    assert_eq!((rep.counts.filled, rep.counts.skipped, rep.counts.pending), (1, 3, 0));
    assert!(ev(&cancelled, FillEvent::Start).is_err());
}

#[test]
fn visible_orders_are_served_first() {
    let run = new_run(5, FillMode::Ship);
    let run = ev(&run, FillEvent::Pause).unwrap().0;
    let run = FillRun { state: RunState::Running, ..run };
    let (_, a) = ev(&run, FillEvent::Next { visible: vec![pid(3), pid(4)] }).unwrap();
    assert_eq!(fill_id(&a), pid(3));
}

#[test]
fn csv_cells_are_neutralised() {
    assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
    assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(neutralise("+1"), "'+1");
    assert_eq!(neutralise("P123"), "P123");
    let mut run = new_run(1, FillMode::Ship);
    run.items[0].status = ItemStatus::Failed;
    run.items[0].message = Some("=cmd|' /C calc'!A0".into());
    let csv = report_csv(&ReportRequest { run, lang: Some("en".into()) }).unwrap();
    assert!(csv.contains("'=cmd"), "{csv}");
    assert!(csv.contains("Order ID") && csv.contains("failed"));
}

#[test]
fn wrong_version_is_refused() {
    let mut run = new_run(1, FillMode::Ship);
    run.v = 99;
    assert_eq!(ev(&run, FillEvent::Start).unwrap_err(), FillError::Version(99));
    assert!(report(&run).is_err());
}

#[test]
fn a_busy_run_is_not_replaced_an_idle_one_is_cancelled() {
    use crate::ship::journal::replace;
    let ready = new_run(3, FillMode::Ship);
    assert_eq!(replace(ready.clone(), 9).expect("idle").state, RunState::Cancelled);
    let (started, _) = ev(&ready, FillEvent::Start).expect("start");
    assert_eq!(replace(started.clone(), 9), Err(FillError::Busy), "working");
    let (paused, _) = ev(&started, FillEvent::Pause).expect("pause");
    // Paused with its first order handed out: busy until that order settles, as before.
    let handed_out = paused.items.iter().any(|i| i.status == ItemStatus::InProgress);
    assert_eq!(replace(paused.clone(), 9).is_err(), handed_out);
    let (cancelled, _) = ev(&paused, FillEvent::Cancel).expect("cancel");
    assert_eq!(replace(cancelled.clone(), 9), Ok(cancelled), "a finished run stays as it is");
}
