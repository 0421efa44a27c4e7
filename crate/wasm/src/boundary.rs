//! Shared boundary plumbing: the idempotent `init()`, value conversion and error mapping.

use serde::{de::DeserializeOwned, Serialize};
use std::sync::Once;
use wasm_bindgen::prelude::*;

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

/// Builds a JS `Error` whose `name` is a stable identifier (e.g. `ImportError`) and whose
/// `message` is the core error's human text.
pub fn js_error(name: &str, message: impl std::fmt::Display) -> JsValue {
    let err = js_sys::Error::new(&message.to_string());
    err.set_name(name);
    err.into()
}

/// Maps a core error into a JS `Error` named `name`.
pub fn map_err<E: std::fmt::Display>(name: &'static str) -> impl Fn(E) -> JsValue {
    move |e| js_error(name, e)
}

/// Converts a JS value into a request DTO; a shape mismatch is a `RequestError`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(map_err("RequestError"))
}

/// Converts a view DTO into a plain JS object (maps as objects, not `Map`s).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).map_err(map_err("ViewError"))
}
