//! The fill plan: on the user's confirmation, the rows are validated once more and those that
//! passed become a [`FillRun`] record (one per run) that the journal then moves along.

use super::pace::Pace;
use super::{RawEntry, ValidationContext};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Schema version of [`FillRun`].
pub const RUN_VERSION: u32 = 1;

/// How far the filler goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FillMode {
    /// Fill the dialog and leave it for the user to press 确定.
    Fill,
    /// Fill and press 确定, then wait for the page's answer.
    Ship,
}

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    /// Planned, not started.
    Ready,
    /// Working.
    Running,
    /// Paused by the user.
    Paused,
    /// Stopped safely because the page changed under it; can be resumed.
    Stopped,
    /// Cancelled by the user (final).
    Cancelled,
    /// Every item finished (final).
    Done,
}

/// Where an item is. `Shipped`, `Filled`, `Skipped` and `Failed` are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ItemStatus {
    /// Not tried yet.
    Pending,
    /// Handed to the content script (see [`Phase`]).
    InProgress,
    /// The page confirmed the shipment.
    Shipped,
    /// Filled and left for the user to confirm.
    Filled,
    /// Not done, on purpose (not on the list, dialog showed another order, cancelled, …).
    Skipped,
    /// The page refused it, or its outcome could not be established.
    Failed,
    /// 确定 was pressed but no answer came: the row's status must be checked, never retried
    /// blindly.
    Unknown,
}

impl ItemStatus {
    /// True for statuses nothing can change.
    pub fn is_final(self) -> bool {
        matches!(self, ItemStatus::Shipped | ItemStatus::Filled | ItemStatus::Skipped | ItemStatus::Failed)
    }
}

/// How far an in-progress item got. Recorded before acting, so a restart knows whether 确定
/// may have been pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// Opening the dialog and filling it; 确定 not pressed.
    Opening,
    /// About to press (or pressed) 确定.
    Confirming,
}

/// One order in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FillItem {
    /// Package ID.
    pub package_id: String,
    /// Platform courier code.
    pub courier_code: String,
    /// Courier name as the dialog shows it (the filler picks the option by this text).
    pub courier_name: String,
    /// Tracking number.
    pub number: String,
    /// Source row, for the report.
    pub row: usize,
    /// Status.
    pub status: ItemStatus,
    /// Phase while in progress.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// How many times 确定 was pressed for it.
    #[serde(default)]
    pub confirms: u32,
    /// Stable reason code for skipped/failed/unknown items.
    #[serde(default)]
    pub reason: Option<String>,
    /// The page's message or a human explanation.
    #[serde(default)]
    pub message: Option<String>,
    /// Last change (epoch ms).
    pub updated_at: i64,
}

/// One run: the record the service worker stores (key: run ID).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FillRun {
    /// Schema version.
    pub v: u32,
    /// Run ID chosen by the service worker.
    pub run_id: String,
    /// Fill or ship.
    pub mode: FillMode,
    /// Run state.
    pub state: RunState,
    /// Why the run stopped (page changed), when it did.
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// Creation time (epoch ms).
    pub created_at: i64,
    /// Last change (epoch ms).
    pub updated_at: i64,
    /// How many saved changes the run has had (see [`super::wal`]): a write-ahead log names the
    /// `seq` it extends, so it is folded into this record once and never into a newer one.
    #[serde(default)]
    pub seq: u64,
    /// How fast ship mode goes from one order to the next (a run saved before paces existed
    /// gets the default).
    #[serde(default)]
    pub pace: Pace,
    /// Items in fill order.
    pub items: Vec<FillItem>,
}

/// `shipFillPlan` request (read from its transport form in crate/bind, `redship_bind::ship`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRequest {
    /// Run ID (non-empty).
    pub run_id: String,
    /// Fill or ship.
    pub mode: FillMode,
    /// The rows as shown in the preview (raw, as edited).
    pub rows: Vec<RawEntry>,
    /// Orders, used numbers and couriers, as for the import.
    pub context: ValidationContext,
    /// The pace of ship mode (the setting in effect when the run is planned).
    pub pace: Pace,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// Errors of planning and of the journal. A rejected event changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FillError {
    /// The request is malformed.
    #[error("填写请求无效：{0}（invalid fill request）")]
    BadRequest(String),
    /// No row can be filled.
    #[error("没有可以填写的行：{errors} 行有错误，请先修正（nothing to fill: {errors} rows have errors)")]
    NothingToFill {
        /// Rows with errors.
        errors: usize,
    },
    /// The run has a schema version this core does not know.
    #[error("填写记录版本 {0} 无法识别（unknown run record version {0})")]
    Version(u32),
    /// A new run was asked for while the current one is still working.
    #[error("还有进行中的填写任务：请先暂停并等它停下，或取消它（a run is still working: pause or cancel it first）")]
    Busy,
    /// The event names an order that is not in the run.
    #[error("订单 {0} 不在本次填写任务中（order {0} is not in this run）")]
    UnknownItem(String),
    /// The run's write-ahead log does not extend the saved run record (see [`super::wal`]).
    #[error("填写记录 {run_id} 的日志（第 {base} 步起）与保存的记录（第 {seq} 步）对不上，无法确定哪些订单已按确定：请在工作台核对后取消该任务（the run's log does not extend its saved record)")]
    LogMismatch {
        /// The run.
        run_id: String,
        /// The `seq` the log extends.
        base: u64,
        /// The saved record's `seq`.
        seq: u64,
    },
    /// The event does not fit the item's or the run's state.
    #[error(
        "订单 {package_id}：当前状态为 {from}，不能 {event}（order {package_id}: {event} not allowed while {from})"
    )]
    BadTransition {
        /// The order (empty for run-level events).
        package_id: String,
        /// Current state.
        from: String,
        /// Event.
        event: String,
    },
}

/// Builds a run from the rows that pass validation now (errors and repeats are left out).
pub fn plan(req: &PlanRequest) -> Result<FillRun, FillError> {
    if req.run_id.trim().is_empty() {
        return Err(FillError::BadRequest("runId 为空".into()));
    }
    let preview = super::validate::validate(req.rows.clone(), &req.context, Default::default());
    let items: Vec<FillItem> = preview
        .rows
        .iter()
        .filter(|r| r.fillable)
        .map(|r| FillItem {
            package_id: r.package_id.clone(),
            courier_code: r.courier_code.clone(),
            courier_name: r.courier_name.clone(),
            number: r.number.clone(),
            row: r.row,
            status: ItemStatus::Pending,
            phase: None,
            confirms: 0,
            reason: None,
            message: None,
            updated_at: req.now_ms,
        })
        .collect();
    if items.is_empty() {
        return Err(FillError::NothingToFill { errors: preview.counts.error });
    }
    Ok(FillRun {
        v: RUN_VERSION,
        run_id: req.run_id.clone(),
        mode: req.mode,
        state: RunState::Ready,
        stop_reason: None,
        created_at: req.now_ms,
        updated_at: req.now_ms,
        seq: 0,
        pace: req.pace,
        items,
    })
}
