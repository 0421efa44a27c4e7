//! Property test of the fill journal: whatever events arrive, in any order, an order that may
//! have shipped is never handed out for filling again without a check (or a withdraw from the
//! content script, which alone presses 确定, saying it did not), and shipped is final.

use super::journal::{apply, Action, ApplyRequest, FillEvent, Outcome, RowStatus, MAX_CONFIRMS};
use super::plan::{FillMode, ItemStatus};
use super::tests_fill::{new_run, pid};
use proptest::prelude::*;

pub(super) fn any_event(n: u32) -> impl Strategy<Value = FillEvent> {
    let id = (0..n).prop_map(pid);
    prop_oneof![
        Just(FillEvent::Start),
        Just(FillEvent::Pause),
        Just(FillEvent::Next { visible: vec![] }),
        Just(FillEvent::Stop { reason: "x".into() }),
        id.clone().prop_map(|package_id| FillEvent::Confirming { package_id }),
        id.clone().prop_map(|package_id| FillEvent::Withdraw { package_id }),
        (id.clone(), 0..5u8).prop_map(|(package_id, k)| FillEvent::Result {
            package_id,
            outcome: match k {
                0 => Outcome::Shipped,
                1 => Outcome::Filled,
                2 => Outcome::Failed { message: "m".into() },
                3 => Outcome::Skipped { reason: "r".into(), message: String::new() },
                _ => Outcome::NoAnswer,
            },
        }),
        (id, 0..4u8).prop_map(|(package_id, k)| FillEvent::Checked {
            package_id,
            status: [RowStatus::Shipped, RowStatus::Waiting, RowStatus::Absent, RowStatus::Unclear][k as usize],
        }),
    ]
}

proptest! {
    /// Whatever the page and the content script send, an order that may have shipped (a
    /// recorded 确定) is never handed out for filling without a check showing it still waiting
    /// or a withdraw, and never more than MAX_CONFIRMS times; shipped stays shipped.
    #[test]
    fn never_ships_twice(events in proptest::collection::vec(any_event(3), 0..80)) {
        let mut run = new_run(3, FillMode::Ship);
        let mut may_have_shipped = std::collections::HashSet::new();
        for e in events {
            let checked_waiting = matches!(&e, FillEvent::Checked { status: RowStatus::Waiting, .. });
            let withdrawn = match &e { FillEvent::Withdraw { package_id } => Some(package_id.clone()), _ => None };
            let target = match &e { FillEvent::Checked { package_id, .. } => Some(package_id.clone()), _ => None };
            let before = run.clone();
            if let Ok(v) = apply(ApplyRequest { run: run.clone(), event: e, now_ms: 3 }) {
                if let Action::Fill { package_id, .. } = &v.action {
                    prop_assert!(!may_have_shipped.contains(package_id), "refilled {package_id}");
                }
                for (b, a) in before.items.iter().zip(&v.run.items) {
                    if b.status == ItemStatus::Shipped { prop_assert_eq!(a, b); }
                    if a.confirms > b.confirms { may_have_shipped.insert(a.package_id.clone()); }
                    prop_assert!(a.confirms <= MAX_CONFIRMS);
                }
                // The clicker's word that 确定 was not pressed (so it was not shipped by us).
                if let Some(id) = withdrawn {
                    may_have_shipped.remove(&id);
                }
                if checked_waiting {
                    if let Some(id) = target {
                        if v.run.items.iter().any(|i| i.package_id == id && i.status == ItemStatus::Pending) {
                            may_have_shipped.remove(&id);
                        }
                    }
                }
                run = v.run;
            }
        }
    }
}
