//! Boundary plumbing shared by RedShip's two wasm modules (`redship-wasm`, loaded at every
//! service-worker start, and `redship-office`, loaded when a file needs it): value conversion
//! and error mapping. No exports of its own, so linking it adds nothing to either module's API.
//!
//! Values cross through serde-wasm-bindgen (`Serializer::json_compatible`): serde walks the JS
//! objects on the way in and builds plain JS objects on the way out. It replaced a JSON-text
//! crossing (`JSON.stringify` + `serde_json`), measured smaller and faster on the big payloads
//! (README, "Dependencies and why"; `node bench/crossing.mjs`). Some things stay text, on purpose:
//! the vault seals a record as its JSON text ([`jstext`]) and hands opened records to
//! `JSON.parse`, and untyped stored records (the quota's ledgers) are read from their JSON text
//! ([`from_js_text`]), which is faster for them. Byte fields (`Uint8Array`) are taken out of a request ([`take_bytes`]) and
//! crossed as a plain copy. The shapes a domain's values take only to cross (the ship domain's
//! column-wise preview, ID lists joined by line breaks) live here too ([`ship`]), so the core
//! keeps plain types.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub mod jstext;
pub mod ship;
mod ship_preview;
mod transit;
pub use transit::{export_err, export_with, required_snapshot, templates_view, Exporter, TemplatesView};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

static SET_UP: std::sync::Once = std::sync::Once::new();

/// Sets a module up, once per module instance: a panic in the core (a bug) then logs its message
/// to the worker's console before the module traps, instead of an anonymous `unreachable`.
/// Returns true when this call did it, false when it was done already.
pub fn set_up_once() -> bool {
    let mut now = false;
    SET_UP.call_once(|| {
        std::panic::set_hook(Box::new(|info| console_error(&format!("RedShip core panic: {info}"))));
        now = true;
    });
    now
}

/// Builds a JS `Error` whose `name` is a stable identifier (e.g. `ImportError`) and whose
/// `message` is the core error's human text.
pub fn js_error(name: &str, message: impl std::fmt::Display) -> JsValue {
    let err = js_sys::Error::new(&message.to_string());
    err.set_name(name);
    err.into()
}

/// A vault error as JS sees it from either module: an `Error` named `VaultError` with the
/// variant's stable name in `code` (the message is for people).
pub fn vault_err(e: redship_core::vault::VaultError) -> JsValue {
    let err = js_error("VaultError", &e);
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    err
}

/// Maps a core error into a JS `Error` named `name`.
pub fn map_err<E: std::fmt::Display>(name: &'static str) -> impl Fn(E) -> JsValue {
    move |e| js_error(name, e)
}

/// Converts a JS value into a request DTO; a shape mismatch is an error named `name`.
/// `undefined` reads as `null` (an absent optional record).
pub fn from_js_named<T: DeserializeOwned>(value: JsValue, name: &'static str) -> Result<T, JsValue> {
    let value = if value.is_undefined() { JsValue::NULL } else { value };
    serde_wasm_bindgen::from_value(value).map_err(map_err(name))
}

/// Converts a JS value into a request DTO; a shape mismatch is a `RequestError`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js_named(value, "RequestError")
}

/// [`from_js`] for the records that grow with the shop (the order snapshot: 10,000 orders).
/// serde-wasm-bindgen walks the JS object and never holds its text, so a big record needs no
/// reader of its own (the JSON-text crossing read these a slice at a time); the name stays so
/// callers still say which records grow.
pub fn from_js_large<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js(value)
}

/// Reads a JS value through its JSON text (`JSON.stringify`, then `serde_json`), for untyped
/// records (`serde_json::Value` trees of many small objects, such as the quota's day ledgers):
/// serde-wasm-bindgen walks those with several boundary calls per key, the engine stringifies them
/// in one (a 30-day dashboard: 0.72 against 0.30 ms, README "Dependencies and why").
/// `undefined` reads as `null`; a shape mismatch is an error named `name`.
pub fn from_js_text<T: DeserializeOwned>(value: &JsValue, name: &'static str) -> Result<T, JsValue> {
    let text = jstext::stringify(value, name)?.and_then(|t| t.as_string());
    serde_json::from_str(text.as_deref().unwrap_or("null")).map_err(map_err(name))
}

/// Takes the field `field` out of a request object: a shallow copy of the request without it
/// (the caller's object is left alone) and its value (`undefined` when absent or not an object).
pub fn take_field(request: JsValue, field: &str) -> Result<(JsValue, JsValue), JsValue> {
    if !request.is_object() {
        return Ok((request, JsValue::UNDEFINED));
    }
    let value = js_sys::Reflect::get(&request, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
    Ok((without(&request, &[field])?, value))
}

/// Converts a view DTO into a plain JS value: JSON-compatible (maps as objects, not `Map`s;
/// `None` as `null`; 64-bit integers as numbers, an error past 2^53).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(map_err("ViewError"))
}

/// Takes the byte field `field` out of a request object: returns a shallow copy of the request
/// without it (the caller's object is left alone) and its bytes when it is a `Uint8Array` or an
/// `ArrayBuffer`. Any other value (an array of numbers, `null`) stays in the request for serde.
pub fn take_bytes(request: JsValue, field: &str) -> Result<(JsValue, Option<Vec<u8>>), JsValue> {
    if !request.is_object() {
        return Ok((request, None));
    }
    let value = js_sys::Reflect::get(&request, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
    let bytes = if let Some(view) = value.dyn_ref::<js_sys::Uint8Array>() {
        view.to_vec()
    } else if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buffer).to_vec()
    } else {
        return Ok((request, None));
    };
    Ok((without(&request, &[field])?, Some(bytes)))
}

/// A shallow copy of the object `request` without `fields` (the caller's object is left alone).
fn without(request: &JsValue, fields: &[&str]) -> Result<JsValue, JsValue> {
    let rest = js_sys::Object::assign(&js_sys::Object::new(), request.unchecked_ref());
    for field in fields {
        js_sys::Reflect::delete_property(&rest, &JsValue::from_str(field))
            .map_err(|_| js_error("RequestError", "cannot read the request"))?;
    }
    Ok(rest.into())
}

/// The core's GB18030 (GBK) decoder in the extension: the browser's `TextDecoder("gb18030")`,
/// not fatal, so undecodable bytes arrive as U+FFFD and the core names their row. An engine
/// without the legacy encodings gives one U+FFFD, which the core reports as an unknown encoding.
pub fn browser_gb18030(bytes: &[u8]) -> String {
    web_sys::TextDecoder::new_with_label("gb18030")
        .and_then(|d| d.decode_with_u8_array(bytes))
        .unwrap_or_else(|_| char::REPLACEMENT_CHARACTER.to_string())
}
