//! Bindings for the core's `selfcheck` domain: today's record of what the order answers showed
//! and the self-check's lines. The diagnostic report, asked for by a button, is the office
//! module's (`selfcheckReport`). Errors are `SelfCheckError`s.

use crate::boundary::{from_js_named, to_js};
use redship_core::order::facts::AnswerFacts;
use redship_core::selfcheck::{self, CheckInput, ListHelpCounts, ListHelpRecord, ListRecord};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

const ERR: &str = "SelfCheckError";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnswerReq {
    facts: AnswerFacts,
    now_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnreadReq {
    rows: usize,
    at_ms: f64,
    now_ms: f64,
}

/// `selfcheckRecordAnswer(record | null, {facts, nowMs})` → today's record with one order
/// answer's facts (`TransitLive.ingest`'s `view.facts`) added.
#[wasm_bindgen(js_name = selfcheckRecordAnswer)]
pub fn selfcheck_record_answer(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let rec: Option<ListRecord> = from_js_named(record, ERR)?;
    let req: AnswerReq = from_js_named(request, ERR)?;
    to_js(&selfcheck::record_answer(rec, &req.facts, req.now_ms as i64))
}

/// `selfcheckRecordUnread(record | null, {rows, atMs, nowMs})` → today's record noting that the
/// list showed `rows` rows with package IDs and no answer read a package.
#[wasm_bindgen(js_name = selfcheckRecordUnread)]
pub fn selfcheck_record_unread(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let rec: Option<ListRecord> = from_js_named(record, ERR)?;
    let req: UnreadReq = from_js_named(request, ERR)?;
    to_js(&selfcheck::record_unread(rec, req.rows, req.at_ms as i64, req.now_ms as i64))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListHelpReq {
    enabled: bool,
    #[serde(default)]
    counts: ListHelpCounts,
    now_ms: f64,
}

/// `selfcheckListHelpSeen(record | null, {enabled, counts: {idsShown, rows, controls, masked},
/// nowMs})` → `{record, changed, draw}`: what the order list's help found, judged.
#[wasm_bindgen(js_name = selfcheckListHelpSeen)]
pub fn selfcheck_list_help_seen(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let rec: Option<ListHelpRecord> = from_js_named(record, ERR)?;
    let req: ListHelpReq = from_js_named(request, ERR)?;
    to_js(&selfcheck::list_help_seen(rec, req.enabled, req.counts, req.now_ms as i64))
}

/// `selfcheckView({profileVersion, coreVersion, lists, couriers, page, dialog, boardReadAtMs,
/// listHelp})`
/// → `{level, lines: [{id, level, textZh, textEn, adviceZh, adviceEn}]}`.
#[wasm_bindgen(js_name = selfcheckView)]
pub fn selfcheck_view(input: JsValue) -> Result<JsValue, JsValue> {
    let input: CheckInput = from_js_named(input, ERR)?;
    to_js(&selfcheck::check(&input))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PartsReq {
    run_id: String,
    seen: Vec<selfcheck::PartsSeen>,
    now_ms: f64,
}

/// `selfcheckDialogParts(record | null, {runId, seen: [{select, options, input, confirm}], nowMs})`
/// → the shop's record of the ship dialog parts the run found, or null when nothing new was seen.
#[wasm_bindgen(js_name = selfcheckDialogParts)]
pub fn selfcheck_dialog_parts(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let rec: Option<selfcheck::PartsRecord> = from_js_named(record, ERR)?;
    let req: PartsReq = from_js_named(request, ERR)?;
    to_js(&selfcheck::record_parts(rec, &req.run_id, &req.seen, req.now_ms as i64))
}
