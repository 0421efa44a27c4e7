//! A step the worker saved but whose answer never reached the content script (the worker was
//! stopped in between) is sent again, exactly as it was. The journal must take it again and
//! change nothing more: a refusal would end the content script's run with orders left, and
//! applying it twice could count a 确定 that was never pressed.

use super::journal::{Action, FillEvent, Outcome, RowStatus, MAX_CONFIRMS};
use super::plan::{ItemStatus, Phase};
use super::tests_fill_wal::{next, Worker};
use proptest::prelude::*;
use std::collections::HashMap;

/// What the content script saw of one action: how the page answered and what it does next.
#[derive(Debug, Clone)]
struct Turn {
    /// How the page answered a fill (or which status a check read).
    page: u8,
    /// Whether the next step also records the intent for the order said to come next.
    ahead: bool,
    /// Whether the answer to each message of this turn is lost (and the message sent again).
    lost: bool,
}

fn any_turn() -> impl Strategy<Value = Turn> {
    (0..7u8, any::<bool>(), any::<bool>()).prop_map(|(page, ahead, lost)| Turn { page, ahead, lost })
}

/// Sends `events` as one message; when its answer is lost, the worker restarts and the content
/// script sends the same message again, which must be accepted and change nothing.
fn send(
    w: &mut Worker,
    events: Vec<FillEvent>,
    confirm: Option<&str>,
    lost: bool,
) -> Result<(Action, bool, Option<Action>), TestCaseError> {
    let first = w.step(events.clone(), confirm);
    if !lost {
        return Ok((first.action.clone(), first.confirmed, first.ahead.clone()));
    }
    w.restart();
    let saved = w.run().clone();
    let again = w
        .compute(events.clone(), confirm)
        .map_err(|e| TestCaseError::fail(format!("{events:?} sent again was refused: {e}")))?;
    prop_assert!(!again.changed, "{:?} sent again changed the run", events);
    prop_assert_eq!(&again.run, &saved);
    w.save(&again);
    Ok((again.action.clone(), again.confirmed, again.ahead.clone()))
}

/// What the content script reports once it carried out `action`, and whether that settles the
/// order for good (only then does it open the next order ahead, with its intent).
fn carry_out(
    w: &mut Worker,
    action: &Action,
    confirmed: bool,
    t: &Turn,
    presses: &mut HashMap<String, u32>,
) -> Result<(Vec<FillEvent>, bool), TestCaseError> {
    let result = |id: &str, outcome| FillEvent::Result { package_id: id.to_string(), outcome };
    Ok(match action {
        Action::Fill { package_id: id, .. } => {
            let pressed = t.page < 3;
            if pressed && !confirmed {
                // The intent alone (ship.event), saved before 确定.
                send(w, vec![FillEvent::Confirming { package_id: id.clone() }], None, t.lost)?;
            }
            if pressed {
                *presses.entry(id.clone()).or_default() += 1;
            }
            let withdraw = FillEvent::Withdraw { package_id: id.clone() };
            match t.page {
                0 => (vec![result(id, Outcome::Shipped)], true),
                1 => (vec![result(id, Outcome::Failed { message: "页面报错".into() })], true),
                2 => (vec![result(id, Outcome::NoAnswer)], false),
                3 => (
                    vec![
                        withdraw,
                        result(id, Outcome::Skipped { reason: "not-on-list".into(), message: String::new() }),
                    ],
                    false,
                ),
                4 => (vec![withdraw, result(id, Outcome::NoAnswer)], false),
                _ => (vec![withdraw, FillEvent::Stop { reason: "route-changed".into() }], false),
            }
        }
        Action::Check { package_id } => {
            let status = [RowStatus::Shipped, RowStatus::Waiting, RowStatus::Absent, RowStatus::Unclear]
                [usize::from(t.page % 4)];
            (vec![FillEvent::Checked { package_id: package_id.clone(), status }], false)
        }
        _ => (vec![], false),
    })
}

proptest! {
    /// The content script follows the journal (fills, checks, intents, withdraws, stops, the
    /// next order opened ahead), and any of its messages may be saved with its answer lost.
    /// Every one sent again is accepted and changes nothing, and no order counts a 确定 it was not
    /// pressed.
    #[test]
    fn a_step_sent_again_after_its_save_changes_nothing(turns in proptest::collection::vec(any_turn(), 1..80)) {
        let mut w = Worker::started(5);
        let mut presses = HashMap::new(); // 确定 pressed per order
        let (mut action, mut confirmed, mut ahead) = send(&mut w, vec![next()], None, false)?;
        for t in turns {
            if action == Action::Wait {
                // Stopped by a route change: the merchant resumes it from the ship page.
                w.step(vec![FillEvent::Start], None);
                (action, confirmed, ahead) = send(&mut w, vec![next()], None, t.lost)?;
                continue;
            }
            if action == Action::Done {
                break;
            }
            let (mut events, settled) = carry_out(&mut w, &action, confirmed, &t, &mut presses)?;
            let guess = ahead.as_ref().and_then(|a| match a {
                Action::Fill { package_id, .. } if settled && t.ahead => Some(package_id.clone()),
                _ => None,
            });
            events.push(next());
            (action, confirmed, ahead) = send(&mut w, events, guess.as_deref(), t.lost)?;
            // The order opened ahead comes back as a check: its intent was recorded on a try whose
            // answer was lost. Nothing was pressed for it: the page takes it back (content/ship.js).
            if let (Some(g), Action::Check { package_id }) = (&guess, &action) {
                if package_id == g {
                    let withdraw = FillEvent::Withdraw { package_id: g.clone() };
                    (action, confirmed, ahead) = send(&mut w, vec![withdraw, next()], None, t.lost)?;
                }
            }
        }
        for it in &w.run().items {
            // An intent recorded for the order in hand, not acted on yet, is one 确定 ahead.
            let in_hand = u32::from(it.status == ItemStatus::InProgress && it.phase == Some(Phase::Confirming));
            let pressed = presses.get(&it.package_id).copied().unwrap_or(0) + in_hand;
            prop_assert!(it.confirms <= pressed, "{} counts {} 确定, pressed {}", it.package_id, it.confirms, pressed);
            prop_assert!(it.confirms <= MAX_CONFIRMS, "{} confirmed {} times", it.package_id, it.confirms);
            prop_assert!(it.status != ItemStatus::Shipped || it.confirms >= 1, "{} shipped unconfirmed", it.package_id);
        }
    }
}
