//! The fill journal: a state machine over a [`FillRun`] that the service worker saves after
//! every event, so a page reload, a navigation or a service-worker restart resumes where it
//! stopped.
//!
//! The rule that matters: an order is never shipped twice. Before 确定 is pressed the item is
//! moved to `Confirming` (and saved); from then on it can only be settled by the page's answer
//! or by reading the row's status (`check`), never by filling it again blindly. A retry is only
//! handed out after a check has shown the order still waiting, and only once. The one exception
//! is `Withdraw`, sent by the content script itself (the only party that presses 确定) when it
//! stopped before pressing: it records the intent early, while the dialog loads.

pub use super::events::{Action, ApplyRequest, ApplyView, FillEvent, Outcome, Progress, RowStatus};
use super::plan::{FillError, FillItem, FillMode, FillRun, ItemStatus, Phase, RunState, RUN_VERSION};

/// How many times 确定 may be pressed for one order (the second only after a check showed the
/// order still waiting).
pub const MAX_CONFIRMS: u32 = 2;

/// Progress of a run.
pub fn progress(run: &FillRun) -> Progress {
    let mut p = Progress { total: run.items.len(), ..Progress::default() };
    for it in &run.items {
        match it.status {
            ItemStatus::Shipped => p.shipped += 1,
            ItemStatus::Filled => p.filled += 1,
            ItemStatus::Skipped => p.skipped += 1,
            ItemStatus::Failed => p.failed += 1,
            ItemStatus::Unknown => p.unknown += 1,
            ItemStatus::InProgress => p.current = Some(it.package_id.clone()),
            ItemStatus::Pending => {}
        }
    }
    p.done = p.shipped + p.filled + p.skipped + p.failed;
    p
}

fn bad(package_id: &str, from: impl std::fmt::Debug, event: &str) -> FillError {
    FillError::BadTransition { package_id: package_id.to_string(), from: format!("{from:?}"), event: event.to_string() }
}

fn settle(it: &mut FillItem, status: ItemStatus, reason: Option<&str>, message: Option<String>, now: i64) {
    it.status = status;
    it.phase = None;
    it.reason = reason.map(str::to_string);
    it.message = message;
    it.updated_at = now;
}

/// The page answered the ship call with an error: the order stays as it was, failed.
fn page_failed(it: &mut FillItem, message: &str, now: i64) {
    settle(it, ItemStatus::Failed, Some("page-error"), Some(message.to_string()), now);
}

/// A run that a new one is to replace: a finished one stays as it is; an idle one (ready,
/// paused, stopped) is cancelled in its own journal; a working one, or one with an order whose
/// 确定 outcome is not settled, is not replaced at all (the merchant pauses or cancels it first).
pub fn replace(run: FillRun, now_ms: i64) -> Result<FillRun, FillError> {
    if matches!(run.state, RunState::Done | RunState::Cancelled) {
        return Ok(run);
    }
    let busy = run.state == RunState::Running
        || run.items.iter().any(|i| matches!(i.status, ItemStatus::InProgress | ItemStatus::Unknown));
    if busy {
        return Err(FillError::Busy);
    }
    Ok(apply(ApplyRequest { run, event: FillEvent::Cancel, now_ms })?.run)
}

/// Applies one event. A rejected event returns an error and the caller keeps the old record.
pub fn apply(req: ApplyRequest) -> Result<ApplyView, FillError> {
    let ApplyRequest { mut run, event, now_ms } = req;
    if run.v != RUN_VERSION {
        return Err(FillError::Version(run.v));
    }
    let before = run.clone();
    let finished = matches!(run.state, RunState::Cancelled | RunState::Done);
    let action = match event {
        FillEvent::Start if finished => return Err(bad("", run.state, "start")),
        FillEvent::Start => {
            run.state = RunState::Running;
            run.stop_reason = None;
            next_action(&mut run, &[], now_ms)
        }
        FillEvent::Pause if finished => return Err(bad("", run.state, "pause")),
        FillEvent::Pause => {
            run.state = RunState::Paused;
            Action::Wait
        }
        FillEvent::Cancel if finished => return Err(bad("", run.state, "cancel")),
        FillEvent::Cancel => {
            run.state = RunState::Cancelled;
            for it in &mut run.items {
                match (it.status, it.phase) {
                    (ItemStatus::Pending, _) | (ItemStatus::InProgress, Some(Phase::Opening)) => {
                        settle(it, ItemStatus::Skipped, Some("cancelled"), Some("已取消（cancelled）".into()), now_ms)
                    }
                    (ItemStatus::InProgress, _) | (ItemStatus::Unknown, _) => settle(
                        it,
                        ItemStatus::Failed,
                        Some("unknown"),
                        Some("已按下确定但未收到页面答复，请在工作台核对该订单（outcome unknown: check this order on the workbench）".into()),
                        now_ms,
                    ),
                    _ => {}
                }
            }
            Action::Done
        }
        FillEvent::Next { visible } => {
            if run.state == RunState::Running {
                next_action(&mut run, &visible, now_ms)
            } else if finished {
                Action::Done
            } else {
                Action::Wait
            }
        }
        FillEvent::Confirming { package_id } => {
            let mode = run.mode;
            let it = item(&mut run, &package_id)?;
            match (it.status, it.phase, mode) {
                (ItemStatus::InProgress, Some(Phase::Opening), FillMode::Ship) => {
                    it.phase = Some(Phase::Confirming);
                    it.confirms += 1;
                    it.updated_at = now_ms;
                    Action::Continue
                }
                (ItemStatus::InProgress, Some(Phase::Confirming), FillMode::Ship) => Action::Continue,
                (s, _, _) => return Err(bad(&package_id, s, "confirming")),
            }
        }
        FillEvent::Withdraw { package_id } => {
            let cancelled = run.state == RunState::Cancelled;
            let it = item(&mut run, &package_id)?;
            withdraw(it, cancelled, now_ms);
            Action::Continue
        }
        FillEvent::Result { package_id, outcome } => {
            let mode = run.mode;
            let it = item(&mut run, &package_id)?;
            apply_result(it, &outcome, mode, now_ms)?;
            Action::Continue
        }
        FillEvent::Checked { package_id, status } => {
            let it = item(&mut run, &package_id)?;
            apply_check(it, status, now_ms)?;
            Action::Continue
        }
        FillEvent::Stop { reason } => {
            if !finished {
                run.state = RunState::Stopped;
                run.stop_reason = Some(reason);
            }
            for it in &mut run.items {
                match (it.status, it.phase) {
                    (ItemStatus::InProgress, Some(Phase::Opening)) => {
                        it.status = ItemStatus::Pending;
                        it.phase = None;
                        it.updated_at = now_ms;
                    }
                    (ItemStatus::InProgress, _) => {
                        it.status = ItemStatus::Unknown;
                        it.phase = None;
                        it.updated_at = now_ms;
                    }
                    _ => {}
                }
            }
            Action::Wait
        }
    };
    // Once every item is final the run is over, even before the content script asks again.
    if (!matches!(run.state, RunState::Cancelled | RunState::Done)) && run.items.iter().all(|i| i.status.is_final()) {
        run.state = RunState::Done;
    }
    let changed = run != before;
    if changed {
        run.updated_at = now_ms;
    }
    let progress = progress(&run);
    Ok(ApplyView { run, action, progress, changed })
}

fn item<'a>(run: &'a mut FillRun, package_id: &str) -> Result<&'a mut FillItem, FillError> {
    run.items
        .iter_mut()
        .find(|i| i.package_id == package_id)
        .ok_or_else(|| FillError::UnknownItem(package_id.to_string()))
}

/// The next thing to do: settle interrupted items first (check what may have been confirmed,
/// re-open what was not), then the first pending item visible on the page, then any pending.
fn next_action(run: &mut FillRun, visible: &[String], now: i64) -> Action {
    let mode = run.mode;
    let fill = |it: &FillItem| Action::Fill {
        package_id: it.package_id.clone(),
        courier_name: it.courier_name.clone(),
        courier_code: it.courier_code.clone(),
        number: it.number.clone(),
        mode,
    };
    if let Some(it) = run.items.iter().find(|i| i.status == ItemStatus::InProgress) {
        return match it.phase {
            Some(Phase::Opening) => fill(it),
            _ => Action::Check { package_id: it.package_id.clone() },
        };
    }
    if let Some(it) = run.items.iter().find(|i| i.status == ItemStatus::Unknown) {
        return Action::Check { package_id: it.package_id.clone() };
    }
    let pick = run
        .items
        .iter()
        .position(|i| i.status == ItemStatus::Pending && visible.contains(&i.package_id))
        .or_else(|| run.items.iter().position(|i| i.status == ItemStatus::Pending));
    match pick {
        Some(k) => {
            let it = &mut run.items[k];
            it.status = ItemStatus::InProgress;
            it.phase = Some(Phase::Opening);
            it.updated_at = now;
            fill(it)
        }
        None => {
            run.state = RunState::Done;
            Action::Done
        }
    }
}

/// Takes back a recorded intent to press 确定: the item is as before `Confirming`. If a cancel
/// came in between (and reported the item unknown), it is now known: cancelled, never pressed.
/// Anywhere else it changes nothing (e.g. resent after a restart): ignoring it only keeps a
/// check that may not be needed, which is always safe.
fn withdraw(it: &mut FillItem, cancelled: bool, now: i64) {
    match (it.status, it.phase) {
        (ItemStatus::InProgress, Some(Phase::Confirming)) => {
            it.phase = Some(Phase::Opening);
            it.confirms = it.confirms.saturating_sub(1);
            it.updated_at = now;
        }
        (ItemStatus::Failed, _) if cancelled && it.reason.as_deref() == Some("unknown") => {
            it.confirms = it.confirms.saturating_sub(1);
            settle(it, ItemStatus::Skipped, Some("cancelled"), Some("已取消（cancelled）".into()), now);
        }
        _ => {}
    }
}

fn apply_result(it: &mut FillItem, outcome: &Outcome, mode: FillMode, now: i64) -> Result<(), FillError> {
    let target = match outcome {
        Outcome::Shipped => ItemStatus::Shipped,
        Outcome::Filled => ItemStatus::Filled,
        Outcome::Failed { .. } => ItemStatus::Failed,
        Outcome::Skipped { .. } => ItemStatus::Skipped,
        Outcome::NoAnswer => ItemStatus::Unknown,
    };
    // A cancel (or a check that found nothing) leaves an item whose outcome is unknown failed.
    let unknown = it.status == ItemStatus::Unknown
        || (it.status == ItemStatus::Failed && it.reason.as_deref() == Some("unknown"));
    if unknown {
        // A late answer from the page settles an unknown item: the page's answer is the truth.
        match outcome {
            Outcome::Shipped => settle(it, ItemStatus::Shipped, None, None, now),
            Outcome::Failed { message } => page_failed(it, message, now),
            Outcome::NoAnswer => {}
            _ => return Err(bad(&it.package_id, it.status, "result")),
        }
        return Ok(());
    }
    if it.status.is_final() {
        // A repeated report of the same answer (a step saved, its answer lost to a worker restart,
        // sent again) changes nothing; so does "no answer", which never contradicts a final one.
        let same = it.status == target || matches!(outcome, Outcome::NoAnswer);
        return if same { Ok(()) } else { Err(bad(&it.package_id, it.status, "result")) };
    }
    if it.status != ItemStatus::InProgress {
        return Err(bad(&it.package_id, it.status, "result"));
    }
    let confirming = it.phase == Some(Phase::Confirming);
    match outcome {
        // Shipped only after the journal recorded the intent to press 确定.
        Outcome::Shipped if mode == FillMode::Ship && confirming => settle(it, ItemStatus::Shipped, None, None, now),
        Outcome::Filled if mode == FillMode::Fill && !confirming => settle(it, ItemStatus::Filled, None, None, now),
        Outcome::Failed { message } => page_failed(it, message, now),
        Outcome::Skipped { reason, message } if !confirming => {
            settle(it, ItemStatus::Skipped, Some(reason), (!message.is_empty()).then(|| message.clone()), now)
        }
        Outcome::NoAnswer if confirming => {
            it.status = ItemStatus::Unknown;
            it.phase = None;
            it.updated_at = now;
        }
        Outcome::NoAnswer => settle(
            it,
            ItemStatus::Failed,
            Some("no-answer"),
            Some("页面没有响应，未按确定（the page did not respond; 确定 was not pressed）".into()),
            now,
        ),
        _ => return Err(bad(&it.package_id, (it.status, it.phase, mode), "result")),
    }
    Ok(())
}

fn apply_check(it: &mut FillItem, status: RowStatus, now: i64) -> Result<(), FillError> {
    let checkable = it.status == ItemStatus::Unknown
        || (it.status == ItemStatus::InProgress && it.phase == Some(Phase::Confirming));
    if !checkable {
        // Nothing awaits a check: this report was applied already (a step saved, its answer lost
        // to a worker restart, sent again) and the order has moved on, e.g. settled, or handed
        // out again after a check found it waiting. Applying it twice could count a second 确定
        // never pressed; refusing it would stop the content script's run. It changes nothing.
        return Ok(());
    }
    match status {
        RowStatus::Shipped => settle(it, ItemStatus::Shipped, Some("checked"), Some("按列表状态确认已发货（confirmed by the row's status）".into()), now),
        RowStatus::Waiting if it.confirms < MAX_CONFIRMS => {
            it.status = ItemStatus::Pending;
            it.phase = None;
            it.updated_at = now;
        }
        RowStatus::Waiting => settle(
            it,
            ItemStatus::Failed,
            Some("no-answer"),
            Some("多次确定后订单仍是待发货，请在工作台手动核对并发货（still waiting after confirming twice: check and ship it by hand）".into()),
            now,
        ),
        RowStatus::Absent | RowStatus::Unclear => {
            let message = if status == RowStatus::Absent {
                "结果未知：列表中找不到该订单，请在工作台核对（outcome unknown: the order is not on the list, check it on the workbench）"
            } else {
                "结果未知：列表无法确认该订单是否已发货，请在工作台核对（outcome unknown: the list does not show whether it shipped, check it on the workbench）"
            };
            settle(it, ItemStatus::Failed, Some("unknown"), Some(message.into()), now);
        }
    }
    Ok(())
}
