//! Big JSON texts across the boundary a slice at a time, so they never exist whole in wasm
//! memory (which never shrinks: its size is the high-water mark of every call since start).
//!
//! Copying a whole `JSON.stringify` text in at once costs its size three times over (wasm-bindgen
//! sizes the copy at 3 bytes per UTF-16 unit before trimming it: 15 MB for a 5 MB snapshot), and
//! writing a whole output text grows it by doubling. Here the text stays a JS string:
//! [`JsTextReader`] pulls it in 32 K units at a time (serde reads from it, or the vault copies it
//! straight into its sealing buffer), and [`JsTextWriter`] hands output to JS 64 KB at a time,
//! joined and parsed by the engine. `from_js_large` uses the reader for big records, `to_js`
//! always writes through the writer.

use std::io::{self, Read, Write};

use js_sys::JsString;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

use crate::{js_error, map_err};

/// UTF-16 units per slice read (at most 96 KB of UTF-8 once in wasm).
const SLICE_UNITS: u32 = 32 * 1024;
/// Bytes of output gathered before they go to JS.
const OUT_BYTES: usize = 64 * 1024;

#[wasm_bindgen]
extern "C" {
    // js_sys's `JSON::parse` takes `&str` (a text in wasm memory); this one takes a JS string.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_js_string(text: &JsString) -> Result<JsValue, JsValue>;

    // web_sys's `encode_with_input` takes `&str`; this one encodes a JS string in place.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsString) -> js_sys::Uint8Array;
}

/// A JS string as UTF-8 bytes: the engine's `TextEncoder`, then one copy into wasm memory.
/// (wasm-bindgen's own `String::from` walks the text unit by unit in JS first: for a request
/// with 10,000 known orders that walk was a tenth of the import.)
pub fn utf8_of(text: &JsString) -> Vec<u8> {
    TextEncoder::new().encode(text).to_vec()
}

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
    buf: Vec<u8>,
    at: usize,
}

impl JsTextReader {
    /// A reader from the start of `text`.
    pub fn new(text: JsString) -> Self {
        let len = text.length();
        Self { text, len, pos: 0, buf: Vec::new(), at: 0 }
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

impl Read for JsTextReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.buf.len() {
            match self.next_slice() {
                Some(s) => {
                    self.buf = s.into_bytes();
                    self.at = 0;
                }
                None => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Deserializes a JSON text kept in JS, read a slice at a time; a shape mismatch is an error
/// named `name`.
pub fn from_text_sliced<T: DeserializeOwned>(text: JsString, name: &'static str) -> Result<T, JsValue> {
    // serde_json reads byte by byte; the BufReader makes that a copy out of its buffer.
    serde_json::from_reader(io::BufReader::with_capacity(8 * 1024, JsTextReader::new(text))).map_err(map_err(name))
}

/// Collects UTF-8 output and hands it to JS in pieces, joined into one JS string.
pub struct JsTextWriter {
    out: JsString,
    buf: Vec<u8>,
}

impl JsTextWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self { out: JsString::from(""), buf: Vec::with_capacity(OUT_BYTES + 1024) }
    }

    /// Sends what is buffered up to the last whole character.
    fn send(&mut self) -> io::Result<()> {
        let whole = match std::str::from_utf8(&self.buf) {
            Ok(s) => s.len(),
            // A character cut at the end waits for its other bytes; anything else is invalid.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, "output is not UTF-8")),
        };
        if let Ok(piece) = std::str::from_utf8(&self.buf[..whole]) {
            self.out = self.out.concat(&JsString::from(piece));
        }
        self.buf.drain(..whole);
        Ok(())
    }

    /// Appends ASCII-only text such as base64 (no buffering needed).
    pub fn push_ascii(&mut self, text: &str) {
        self.out = self.out.concat(&JsString::from(text));
    }

    /// The whole text written, as one JS string.
    pub fn finish(mut self) -> Result<JsString, JsValue> {
        self.send().map_err(map_err("ViewError"))?;
        Ok(self.out)
    }
}

impl Default for JsTextWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for JsTextWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    // serde_json writes every comma, quote and number through `write_all`; the default one loops
    // over `write` (a tenth of a 10,000-row preview's serialising went to that loop).
    #[inline]
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= OUT_BYTES {
            self.send()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Serializes a view into a plain JS object through JSON text handed over in pieces.
pub fn to_js_sliced<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let mut w = JsTextWriter::new();
    serde_json::to_writer(&mut w, value).map_err(map_err("ViewError"))?;
    parse_js_string(&w.finish()?).map_err(|_| js_error("ViewError", "view is not valid JSON"))
}
