//! Boundary plumbing shared by RedShip's two wasm modules (`redship-wasm`, loaded at every
//! service-worker start, and `redship-office`, loaded when a file needs it): value conversion
//! and error mapping. No exports of its own, so linking it adds nothing to either module's API.
//!
//! Values cross as JSON text: `JSON.stringify` on the way in and `JSON.parse` on the way out,
//! both native in the engine, with `serde_json` on the Rust side; the order snapshot and every
//! view a slice at a time ([`jstext`]), since wasm memory never shrinks. A big view (10,000 preview
//! rows, a 10,000-order snapshot) then crosses as one string instead of one boundary call per
//! field. serde-wasm-bindgen, the alternative (feature `swb-crossing`, measurement only), now
//! measures smaller and faster on the big payloads (README, "Dependencies and why";
//! `node bench/crossing.mjs`); the switch waits for the vault's raw-JSON view. Byte fields
//! (`Uint8Array`) are taken out of a request before it is stringified ([`take_bytes`]) and
//! crossed as a plain copy.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

pub mod jstext;
mod transit;
pub use transit::{export_err, export_file_out, export_now_ms, export_with, required_snapshot, Exporter};

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

/// Maps a core error into a JS `Error` named `name`.
pub fn map_err<E: std::fmt::Display>(name: &'static str) -> impl Fn(E) -> JsValue {
    move |e| js_error(name, e)
}

/// Converts a JS value into a request DTO; a shape mismatch is an error named `name`.
/// `undefined` reads as `null` (an absent optional record).
#[cfg(not(feature = "swb-crossing"))]
pub fn from_js_named<T: DeserializeOwned>(value: JsValue, name: &'static str) -> Result<T, JsValue> {
    match jstext::stringify(&value, name)? {
        None => serde_json::from_slice(b"null").map_err(map_err(name)),
        Some(text) => serde_json::from_slice(&jstext::utf8_of(&text)).map_err(map_err(name)),
    }
}

/// [`from_js_named`] through serde-wasm-bindgen: the measured alternative to the JSON-text
/// crossing (README, "Dependencies and why"; `node bench/crossing.mjs`), never shipped.
#[cfg(feature = "swb-crossing")]
pub fn from_js_named<T: DeserializeOwned>(value: JsValue, name: &'static str) -> Result<T, JsValue> {
    let value = if value.is_undefined() { JsValue::NULL } else { value };
    serde_wasm_bindgen::from_value(value).map_err(map_err(name))
}

/// Texts longer than this (UTF-16 units) are read a slice at a time by [`from_js_large`].
#[cfg(not(feature = "swb-crossing"))]
const SLICED_FROM_UNITS: u32 = 256 * 1024;

/// [`from_js`] for the records that grow with the shop (the order snapshot: 5 MB of JSON at
/// 10,000 orders): a long text is read a slice at a time, so it is never whole in wasm memory.
/// Only for those types: each type read this way compiles a second deserializer.
#[cfg(not(feature = "swb-crossing"))]
pub fn from_js_large<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    match jstext::stringify(&value, "RequestError")? {
        Some(text) if text.length() > SLICED_FROM_UNITS => jstext::from_text_sliced(text, "RequestError"),
        Some(text) => serde_json::from_slice(&jstext::utf8_of(&text)).map_err(map_err("RequestError")),
        None => serde_json::from_slice(b"null").map_err(map_err("RequestError")),
    }
}

/// [`from_js_large`] through serde-wasm-bindgen, which walks the JS object and never holds its
/// text: the measured alternative, never shipped.
#[cfg(feature = "swb-crossing")]
pub fn from_js_large<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js(value)
}

/// Converts a JS value into a request DTO; a shape mismatch is a `RequestError`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    from_js_named(value, "RequestError")
}

/// Converts a view DTO into a plain JS object (maps as objects, not `Map`s).
#[cfg(not(feature = "swb-crossing"))]
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    jstext::to_js_sliced(value)
}

/// [`to_js`] through serde-wasm-bindgen (JSON-compatible: maps as objects, 64-bit integers as
/// numbers): the measured alternative, never shipped.
#[cfg(feature = "swb-crossing")]
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

/// Reads a validation request's two long lists (`knownOrders`, `usedNumbers`: 10,000 entries
/// and more) apart from the rest. Package IDs and numbers are ASCII, so each list's JSON text is
/// a one-byte string, which the engine encodes to UTF-8 several times faster than the two-byte
/// text the whole request becomes with one Chinese courier name in it. `T` reads the rest.
/// An absent or `null` list is empty.
pub fn with_context_lists<T: DeserializeOwned>(request: JsValue) -> Result<(T, ContextLists), JsValue> {
    const LISTS: [&str; 2] = ["knownOrders", "usedNumbers"];
    if !request.is_object() {
        return Ok((from_js(request)?, ContextLists::default()));
    }
    let list = |field: &str| js_sys::Reflect::get(&request, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
    let lists = ContextLists {
        known_orders: from_js::<Option<KnownOrders>>(list(LISTS[0]))?.map(|k| k.0).unwrap_or_default(),
        used_numbers: from_js::<Option<_>>(list(LISTS[1]))?.unwrap_or_default(),
    };
    Ok((from_js(without(&request, &LISTS)?)?, lists))
}

/// `knownOrders` in its JSON form (`redship_core::tracking::known_wire`).
#[derive(serde::Deserialize)]
struct KnownOrders(#[serde(with = "redship_core::tracking::known_wire")] Vec<redship_core::tracking::KnownOrder>);

/// The long lists of a validation context, read by [`with_context_lists`].
#[derive(Default)]
pub struct ContextLists {
    /// `knownOrders`.
    pub known_orders: Vec<redship_core::tracking::KnownOrder>,
    /// `usedNumbers`.
    pub used_numbers: Vec<redship_core::tracking::UsedNumber>,
}

impl ContextLists {
    /// Puts the lists into `context`.
    pub fn into_context(self, context: &mut redship_core::tracking::ValidationContext) {
        context.known_orders = self.known_orders;
        context.used_numbers = self.used_numbers;
    }
}

/// The core's GB18030 (GBK) decoder in the extension: the browser's `TextDecoder("gb18030")`,
/// not fatal, so undecodable bytes arrive as U+FFFD and the core names their row. An engine
/// without the legacy encodings gives one U+FFFD, which the core reports as an unknown encoding.
pub fn browser_gb18030(bytes: &[u8]) -> String {
    web_sys::TextDecoder::new_with_label("gb18030")
        .and_then(|d| d.decode_with_u8_array(bytes))
        .unwrap_or_else(|_| char::REPLACEMENT_CHARACTER.to_string())
}

/// A request that carries a validation context (import, revalidate, fill plan), whose long lists
/// [`context_request`] reads apart.
pub trait WithContext: DeserializeOwned {
    /// The request's validation context.
    fn context_mut(&mut self) -> &mut redship_core::tracking::ValidationContext;
}

impl WithContext for redship_core::tracking::ImportRequest {
    fn context_mut(&mut self) -> &mut redship_core::tracking::ValidationContext {
        &mut self.context
    }
}

impl WithContext for redship_core::tracking::RevalidateRequest {
    fn context_mut(&mut self) -> &mut redship_core::tracking::ValidationContext {
        &mut self.context
    }
}

impl WithContext for redship_core::tracking::plan::PlanRequest {
    fn context_mut(&mut self) -> &mut redship_core::tracking::ValidationContext {
        &mut self.context
    }
}

/// A request with a validation context (`trackingRevalidate`, `fillPlan`; [`import_request`]
/// adds the import's bytes), its long lists read apart ([`with_context_lists`]).
pub fn context_request<T: WithContext>(request: JsValue) -> Result<T, JsValue> {
    let (mut req, lists): (T, _) = with_context_lists(request)?;
    lists.into_context(req.context_mut());
    Ok(req)
}

/// A `trackingImport` request, its `bytes` (a `Uint8Array` or `ArrayBuffer`) copied in directly
/// and its long lists read apart ([`with_context_lists`]).
pub fn import_request(request: JsValue) -> Result<redship_core::tracking::ImportRequest, JsValue> {
    let (request, bytes) = take_bytes(request, "bytes")?;
    let mut req: redship_core::tracking::ImportRequest = context_request(request)?;
    if bytes.is_some() {
        req.bytes = bytes;
    }
    Ok(req)
}
