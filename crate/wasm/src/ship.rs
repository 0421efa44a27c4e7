//! Bindings for the core's `ship` domain that a fill run needs: the journal (a step, the live run,
//! its report), the used numbers, the couriers and the pace. Conversions only; errors reach JS as
//! `FillError`s.
//!
//! What only follows a user's import — reading a paste or a file, the preview's revalidation,
//! the fill plan and the known orders they validate against — is the office module's
//! (crate/office/src/ship.rs), loaded only then: the parsers and the validation are kept out of
//! the module every worker start compiles.

use crate::boundary::{from_js, map_err, to_js};
use redship_core::ship::{couriers, journal, known, live, pace, plan, used, wal};
use wasm_bindgen::prelude::*;

/// `shipDialogCourier({code, name, shown: [names]})` → the name among `shown` (what a ship
/// dialog offers) under which it offers the planned courier, or null (not offered, or ambiguous).
#[wasm_bindgen(js_name = shipDialogCourier)]
pub fn ship_dialog_courier(request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    struct Req {
        code: String,
        name: String,
        shown: Vec<String>,
    }
    let req: Req = from_js(request)?;
    to_js(&couriers::name_in_dialog(&req.code, &req.name, &req.shown))
}

/// `shipJournalApply({run, event, nowMs})` → `{run, action, progress, changed}`; save `run`
/// before acting on `action`. A rejected event throws and changes nothing.
#[wasm_bindgen(js_name = shipJournalApply)]
pub fn ship_journal_apply(request: JsValue) -> Result<JsValue, JsValue> {
    let req: journal::ApplyRequest = from_js(request)?;
    to_js(&journal::apply(req).map_err(map_err("FillError"))?)
}

/// `shipJournalReplace({run, nowMs})` → the run to keep when a new run starts: unchanged when
/// finished, cancelled when idle; a `FillError` (`Busy`) when it is still working.
#[wasm_bindgen(js_name = shipJournalReplace)]
pub fn ship_journal_replace(request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        run: plan::FillRun,
        now_ms: f64,
    }
    let req: Req = from_js(request)?;
    to_js(&journal::replace(req.run, req.now_ms as i64).map_err(map_err("FillError"))?)
}

/// `shipUsedMerge(record | null, {run, nowMs})` → the shop's used-numbers record with the run's
/// shipped and filled numbers folded in, or null when the run adds nothing.
#[wasm_bindgen(js_name = shipUsedMerge)]
pub fn ship_used_merge(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        run: plan::FillRun,
        now_ms: f64,
    }
    let rec: Option<used::UsedRecord> = from_js(record)?;
    let req: Req = from_js(request)?;
    to_js(&used::merge(rec.as_ref(), &req.run, req.now_ms as i64))
}

/// `shipSeenRecord(entries | null, rowIds, rowStates, unknown)` → the seen record's entries after
/// a list page (`[{packageId, waiting, unclear?}]`), or null when the page changes nothing. The
/// page's rows cross as two string arrays (package IDs and their states, side by side);
/// `unknown`: the package IDs (of the rows' and the entries') the orders domain does not know.
#[wasm_bindgen(js_name = shipSeenRecord)]
pub fn ship_seen_record(
    entries: JsValue,
    row_ids: Vec<String>,
    row_states: Vec<String>,
    unknown: Vec<String>,
) -> Result<JsValue, JsValue> {
    if row_ids.len() != row_states.len() {
        let (ids, states) = (row_ids.len(), row_states.len());
        return Err(redship_bind::js_error(
            "FillError",
            format!("{ids} package IDs but {states} states (rows side by side)"),
        ));
    }
    let entries: Vec<known::ListedOrder> = from_js::<Option<_>>(entries)?.unwrap_or_default();
    let rows: Vec<known::ListedRow> =
        row_ids.into_iter().zip(row_states).map(|(package_id, state)| known::ListedRow { package_id, state }).collect();
    to_js(&known::record_seen(&entries, &rows, &unknown))
}

/// The service worker's live fill run (core `ship::live`), held in wasm memory between
/// steps so a step crosses only its events and its answer, not the whole run.
#[wasm_bindgen]
pub struct ShipJournal(live::LiveRun);

#[wasm_bindgen]
impl ShipJournal {
    /// `ShipJournal.open({run, log?})`: the saved run record with the write-ahead log found
    /// beside it folded in. A log that does not extend the record throws a `FillError`.
    pub fn open(request: JsValue) -> Result<ShipJournal, JsValue> {
        let req: wal::RecoverRequest = from_js(request)?;
        Ok(ShipJournal(live::LiveRun::open(req).map_err(map_err("FillError"))?))
    }

    /// `step({events, confirm?, lookahead?, random?, nowMs})` → `{log, action, progress, changed,
    /// confirmed, ahead, checkpoint, waitMs}` (`random`: any u32 for the pace's wait; `waitMs`:
    /// how long to wait before pressing 确定 for the order handed out): staged, not live; save `log` (when `changed`), then
    /// `commit()`. A rejected event throws and changes nothing.
    pub fn step(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: live::LiveStepRequest = from_js(request)?;
        to_js(&self.0.step(req).map_err(map_err("FillError"))?)
    }

    /// Makes the staged step live (its log was saved); false when nothing was staged.
    pub fn commit(&mut self) -> bool {
        self.0.commit()
    }

    /// The live run was saved whole and its log deleted.
    #[wasm_bindgen(js_name = savedWhole)]
    pub fn saved_whole(&mut self) {
        self.0.saved_whole();
    }

    /// The live run (`staged`: as the staged step leaves it), to save whole or read.
    pub fn run(&self, staged: bool) -> Result<JsValue, JsValue> {
        to_js(if staged { self.0.staged_run() } else { self.0.run() })
    }

    /// The live run's log (what a whole save must still fold into the record), or null.
    pub fn log(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.log())
    }

    /// The live run's state (`running`, `paused`, …).
    pub fn state(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.state())
    }

    /// The live run's report view (`runId`, `mode`, `state`, `stopReason`, `counts`, `rows`,
    /// `used`, `progress`, `pace`).
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.0.report().map_err(map_err("FillError"))?)
    }
}

/// `shipPaceSettings({stored, change?})` → `{pace, default, choices: [{pace, minMs, maxMs}]}`:
/// ship mode's pace in effect given the stored record (`ship/settings`, or null), after `change`
/// (`{pace?: "person"|"fast"}`); an unknown pace is a `FillError` and nothing is applied.
#[wasm_bindgen(js_name = shipPaceSettings)]
pub fn ship_pace_settings(request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Deserialize)]
    struct Req {
        #[serde(default)]
        stored: Option<pace::PaceSettingsRequest>,
        #[serde(default)]
        change: pace::PaceSettingsRequest,
    }
    let req: Req = from_js(request)?;
    let current = pace::effective(req.stored.as_ref()).pace;
    to_js(&pace::apply(current, &req.change).map_err(map_err("FillError"))?)
}
