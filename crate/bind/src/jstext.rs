//! Big texts across the boundary a slice at a time, so they never exist whole in wasm memory
//! (which never shrinks: its size is the high-water mark of every call since start). Values
//! cross through serde-wasm-bindgen; these are for the vault, which seals a record as its JSON
//! text and stores the ciphertext as base64 text.
//!
//! Copying a whole `JSON.stringify` text in at once costs its size three times over (wasm-bindgen
//! sizes the copy at 3 bytes per UTF-16 unit before trimming it: 15 MB for a 5 MB snapshot).
//! Here the text stays a JS string: [`JsTextReader`] pulls it in 32 K units at a time (the vault
//! copies it straight into its sealing buffer), and [`JsTextWriter`] joins ASCII pieces (base64)
//! into one JS string.

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::js_error;

/// UTF-16 units per slice read (at most 96 KB of UTF-8 once in wasm).
const SLICE_UNITS: u32 = 32 * 1024;

/// `JSON.stringify(value)`, left in JS; `None` for `undefined` or a value JSON cannot hold at
/// the top (a function). A `BigInt` or a cycle is an error named `name`.
pub fn stringify(value: &JsValue, name: &'static str) -> Result<Option<JsString>, JsValue> {
    if value.is_undefined() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(value)
        .map_err(|_| js_error(name, "request is not JSON-compatible (BigInt or a cycle)"))?;
    // `JSON.stringify` returns `undefined` (not a string) for a function.
    Ok(JsValue::from(text.clone()).is_string().then_some(text))
}

/// Reads a JS string as UTF-8, one slice at a time.
pub struct JsTextReader {
    text: JsString,
    len: u32,
    pos: u32,
}

impl JsTextReader {
    /// A reader from the start of `text`.
    pub fn new(text: JsString) -> Self {
        let len = text.length();
        Self { text, len, pos: 0 }
    }

    /// The next slice as UTF-8, `None` at the end. A slice never ends inside a surrogate pair
    /// (half a pair would come through as U+FFFD).
    fn next_slice(&mut self) -> Option<String> {
        if self.pos >= self.len {
            return None;
        }
        let mut end = self.len.min(self.pos.saturating_add(SLICE_UNITS));
        if end < self.len && (0xD800..0xDC00).contains(&(self.text.char_code_at(end - 1) as u32)) {
            end -= 1;
        }
        let slice = self.text.slice(self.pos, end).as_string();
        self.pos = end;
        slice
    }

    /// The text's length in UTF-8 bytes (one pass over its slices; the reader is left as new).
    pub fn utf8_len(&mut self) -> usize {
        let mut n = 0;
        while let Some(s) = self.next_slice() {
            n += s.len();
        }
        self.pos = 0;
        n
    }

    /// Calls `f` with each slice of the text as UTF-8, from the start.
    pub fn for_each_slice(&mut self, mut f: impl FnMut(&[u8])) {
        self.pos = 0;
        while let Some(s) = self.next_slice() {
            f(s.as_bytes());
        }
    }
}

/// Joins ASCII pieces (base64) into one JS string, so the whole text is never in wasm memory.
pub struct JsTextWriter {
    out: JsString,
}

impl JsTextWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self { out: JsString::from("") }
    }

    /// Appends ASCII-only text such as base64.
    pub fn push_ascii(&mut self, text: &str) {
        self.out = self.out.concat(&JsString::from(text));
    }

    /// The whole text written, as one JS string.
    pub fn finish(self) -> JsString {
        self.out
    }
}

impl Default for JsTextWriter {
    fn default() -> Self {
        Self::new()
    }
}
