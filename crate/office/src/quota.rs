//! The quota domain's rare step: the problems log (`quota/problems`) with what an update found
//! added, needed only when something was wrong (a damaged record, a wrong clock), so kept out of
//! the main module. Errors are `QuotaError`s, as the main module's quota bindings name them.

use redship_bind::{from_js_named, to_js};
use redship_core::quota;
use wasm_bindgen::prelude::*;

const ERROR_NAME: &str = "QuotaError";

/// The problems log with an update's `problems` added: `(stored log | null, problems, nowMs)` →
/// the log to save, or null when nothing new was added (a stored log that cannot be read is
/// started afresh).
#[wasm_bindgen(js_name = quotaMergeProblems)]
pub fn quota_merge_problems(stored: JsValue, found: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
    let stored: Option<serde_json::Value> = from_js_named(stored, ERROR_NAME)?;
    let found: Vec<quota::Problem> = from_js_named(found, ERROR_NAME)?;
    match quota::problems::merge(stored.as_ref(), &found, now_ms as i64) {
        Some(log) => to_js(&log),
        None => Ok(JsValue::NULL),
    }
}
