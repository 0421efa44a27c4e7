//! Withdrawing a recorded intent to press 确定: the content script records `Confirming` while
//! the dialog loads and takes it back when it stops before the click, so the item is exactly as
//! if the intent had never been recorded; late answers settle what a cancel left unknown.

use super::super::journal::{Action, FillEvent, Outcome};
use super::super::plan::{FillMode, ItemStatus, Phase, RunState};
use super::{confirming, ev, fill_id, new_run, next, result};

fn withdraw(id: &str) -> FillEvent {
    FillEvent::Withdraw { package_id: id.into() }
}

#[test]
fn a_withdrawn_intent_leaves_the_item_as_before() {
    let run = new_run(2, FillMode::Ship);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    let opening = run.items[0].clone();
    let run = confirming(&run, &id);
    assert_eq!(run.items[0].confirms, 1);
    let (back, a) = ev(&run, withdraw(&id)).unwrap();
    assert_eq!(a, Action::Continue);
    assert_eq!((back.items[0].status, back.items[0].phase), (ItemStatus::InProgress, Some(Phase::Opening)));
    assert_eq!(back.items[0].confirms, opening.confirms);
    // A stop now re-queues it (not a check), and it is handed out again as before.
    let (stopped, _) = ev(&back, FillEvent::Stop { reason: "dialog-closed".into() }).unwrap();
    assert_eq!(stopped.items[0].status, ItemStatus::Pending);
    let (run, a) = ev(&stopped, FillEvent::Start).unwrap();
    assert_eq!(fill_id(&a), id);
    // The "not opened" answer is reported as before: failed, 确定 not pressed.
    let run = confirming(&run, &id);
    let (run, _) = ev(&run, withdraw(&id)).unwrap();
    let run = result(&run, &id, Outcome::NoAnswer);
    assert_eq!((run.items[0].status, run.items[0].reason.as_deref()), (ItemStatus::Failed, Some("no-answer")));
}

#[test]
fn a_withdraw_without_a_recorded_intent_changes_nothing() {
    let run = new_run(2, FillMode::Ship);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    // Opening (nothing recorded), pending, unknown and shipped items stay as they are (a
    // withdraw resent after a restart); an order not in the run is refused.
    let same = |r: &super::FillRun, id: &str| assert_eq!(&ev(r, withdraw(id)).unwrap().0, r);
    same(&run, &id);
    same(&run, &super::pid(1));
    assert!(ev(&run, withdraw("P000000000000000999")).is_err());
    let run = confirming(&run, &id);
    let (unknown, _) = ev(&run, FillEvent::Stop { reason: "route-changed".into() }).unwrap();
    assert_eq!(unknown.items[0].status, ItemStatus::Unknown);
    same(&unknown, &id);
    let shipped = result(&run, &id, Outcome::Shipped);
    same(&shipped, &id);
    let (_, a) = next(&shipped);
    assert_eq!(fill_id(&a), super::pid(1));
}

#[test]
fn a_cancel_while_confirming_is_settled_by_what_the_page_did() {
    let run = new_run(2, FillMode::Ship);
    let (run, a) = ev(&run, FillEvent::Start).unwrap();
    let id = fill_id(&a);
    let run = confirming(&run, &id);
    let (cancelled, a) = ev(&run, FillEvent::Cancel).unwrap();
    assert_eq!((cancelled.state, a), (RunState::Cancelled, Action::Done));
    assert_eq!(
        (cancelled.items[0].status, cancelled.items[0].reason.as_deref()),
        (ItemStatus::Failed, Some("unknown"))
    );
    // Not pressed after all: cancelled like the rest.
    let (withdrawn, _) = ev(&cancelled, withdraw(&id)).unwrap();
    assert_eq!(
        (withdrawn.items[0].status, withdrawn.items[0].reason.as_deref()),
        (ItemStatus::Skipped, Some("cancelled"))
    );
    assert_eq!(withdrawn.items[0].confirms, 0);
    // Pressed, and the page answered: its answer is the truth.
    let shipped = result(&cancelled, &id, Outcome::Shipped);
    assert_eq!(shipped.items[0].status, ItemStatus::Shipped);
    let refused = result(&cancelled, &id, Outcome::Failed { message: "该运单号已被使用".into() });
    assert_eq!(
        (refused.items[0].status, refused.items[0].message.as_deref()),
        (ItemStatus::Failed, Some("该运单号已被使用"))
    );
    // A withdraw outside a cancelled run does not turn a failed item into anything else.
    let failed = result(&run, &id, Outcome::Failed { message: "x".into() });
    assert_eq!(ev(&failed, withdraw(&id)).unwrap().0, failed);
}
