//! The module's own entry points (`init`, `version`) and the shared conversions, re-exported
//! from `redship-bind` so each domain file imports them from one place.

use std::sync::Once;
use wasm_bindgen::prelude::*;

pub use redship_bind::{
    context_request, export_err, export_with, from_js, from_js_large, from_js_named, import_request, js_error, map_err,
    required_snapshot, to_js,
};

static INIT: Once = Once::new();

/// Sets the crate up once; calling it again does nothing. The service worker calls it at start.
#[wasm_bindgen]
pub fn init() {
    INIT.call_once(|| {});
}

/// The core's version, so the UI can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
