//! The module's own entry points (`init`, `version`) and the shared conversions, re-exported
//! from `redship-bind` so each domain file imports them from one place.

use wasm_bindgen::prelude::*;

pub use redship_bind::{export_err, from_js, from_js_large, from_js_named, js_error, map_err, to_js};

/// Sets the module up once (a core panic then logs its message; see `redship_bind::set_up_once`);
/// calling it again does nothing. The service worker calls it at start. Returns true when this
/// call set it up.
#[wasm_bindgen]
pub fn init() -> bool {
    redship_bind::set_up_once()
}

/// The core's version, so the UI can show what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
