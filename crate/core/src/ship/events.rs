//! The fill journal's vocabulary: events from the page and the content script, the outcomes
//! the page can give, the next action handed to the content script, and progress. `Outcome` and
//! `FillEvent` are read through flat records (`events_wire`), written as derived.

use super::plan::{FillMode, FillRun};
use serde::{Deserialize, Serialize};

/// What the page said about an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "super::events_wire::OutcomeWire")]
pub enum Outcome {
    /// Success toast, or the row's status changed to shipped.
    Shipped,
    /// Filled and left for the user (mode `fill`).
    Filled,
    /// Error toast: the page's message.
    Failed {
        /// The page's message.
        message: String,
    },
    /// Not done on purpose, e.g. `not-on-list`, `dialog-mismatch`, `not-waiting`,
    /// `courier-missing-in-dialog`.
    Skipped {
        /// Stable reason code.
        reason: String,
        /// Human explanation.
        #[serde(default)]
        message: String,
    },
    /// No answer in time.
    NoAnswer,
}

/// The row's status as read from the list (answer to a `check` action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RowStatus {
    /// The row shows the order shipped (no 发货 button, or status 已发货).
    Shipped,
    /// The row still offers 发货.
    Waiting,
    /// The order is not on the list.
    Absent,
    /// The order is on the list but the list does not say whether it shipped: its 发货 is
    /// there but disabled, or its status is neither waiting nor shipped (cancelled, say).
    /// Taking that as shipped would report an order shipped that may not be.
    Unclear,
}

/// An event from the ship page or the content script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", try_from = "super::events_wire::FillEventWire")]
pub enum FillEvent {
    /// Start, or resume after a pause, stop, reload or restart.
    Start,
    /// Pause after the current item.
    Pause,
    /// Cancel: pending items become skipped.
    Cancel,
    /// The content script is idle and asks for work; `visible` lists the package IDs on the
    /// list page it shows, so it is served one of those first.
    #[serde(rename_all = "camelCase")]
    Next {
        /// Package IDs visible on the current list page.
        #[serde(default)]
        visible: Vec<String>,
    },
    /// About to press 确定 for this order (mode `ship`); must be saved before the click.
    #[serde(rename_all = "camelCase")]
    Confirming {
        /// The order.
        package_id: String,
    },
    /// 确定 was not pressed after all: the content script records `Confirming` early (while the
    /// dialog loads, so the save is off the critical path) and takes it back when it stops
    /// before the click. Only the party that presses 确定 sends it.
    #[serde(rename_all = "camelCase")]
    Withdraw {
        /// The order.
        package_id: String,
    },
    /// The page's answer for the item in progress.
    #[serde(rename_all = "camelCase")]
    Result {
        /// The order.
        package_id: String,
        /// What happened.
        outcome: Outcome,
    },
    /// The row's status, read in answer to a `check` action.
    #[serde(rename_all = "camelCase")]
    Checked {
        /// The order.
        package_id: String,
        /// What the row shows.
        status: RowStatus,
    },
    /// The page changed under the filler (dialog closed, route changed, list re-sorted).
    Stop {
        /// What changed.
        reason: String,
    },
}

/// What the content script should do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Action {
    /// Open this order's dialog and fill it (press 确定 when `mode` is `ship`).
    #[serde(rename_all = "camelCase")]
    Fill {
        /// The order.
        package_id: String,
        /// Courier name to pick in the dropdown.
        courier_name: String,
        /// Courier code (for the report and checks).
        courier_code: String,
        /// The number to enter.
        number: String,
        /// Fill or ship.
        mode: FillMode,
    },
    /// Read this order's row status and report `checked`; do not fill.
    #[serde(rename_all = "camelCase")]
    Check {
        /// The order.
        package_id: String,
    },
    /// Nothing to do now (paused, stopped or not started).
    Wait,
    /// The run is over.
    Done,
    /// The event was recorded; the content script goes on (asks `next` when idle).
    Continue,
}

/// Progress for the ship page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Items.
    pub total: usize,
    /// Items in a final status.
    pub done: usize,
    /// Shipped.
    pub shipped: usize,
    /// Filled.
    pub filled: usize,
    /// Skipped.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Waiting for a status check.
    pub unknown: usize,
    /// The item in progress.
    pub current: Option<String>,
}

/// `shipJournalApply` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyRequest {
    /// The stored run.
    pub run: FillRun,
    /// The event.
    pub event: FillEvent,
    /// Now (epoch ms).
    pub now_ms: i64,
}

/// `shipJournalApply` answer: the run to save, what to do next, progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyView {
    /// The run after the event (save it before acting on `action`).
    pub run: FillRun,
    /// Next step for the content script.
    pub action: Action,
    /// Progress.
    pub progress: Progress,
    /// True when the run record changed (so the service worker saves it).
    pub changed: bool,
}
