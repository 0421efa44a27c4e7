//! Bindings for China-time days: what "today" and "the next reset" are, computed in the core.

use crate::boundary::{from_js, map_err, to_js};
use redship_core::chinaday::ChinaDayView;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

/// Asks for the China day at an instant.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChinaDayRequest {
    /// The instant, epoch milliseconds (the caller's `Date.now()`).
    pub now_ms: f64,
}

/// `chinaDay({nowMs})` → `{day, dayIndex, resetAtMs, msUntilReset}`; a broken clock is a
/// `ClockError`.
#[wasm_bindgen(js_name = chinaDay)]
pub fn china_day(request: JsValue) -> Result<JsValue, JsValue> {
    let req: ChinaDayRequest = from_js(request)?;
    // f64 → i64 saturates; a non-finite or absurd value is then rejected by the core's range.
    let view = ChinaDayView::at(req.now_ms as i64).map_err(map_err("ClockError"))?;
    to_js(&view)
}
