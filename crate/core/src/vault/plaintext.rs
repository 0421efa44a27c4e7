//! A sealed record's plaintext handled as JSON text, never as a `serde_json::Value` tree.
//!
//! The plaintext is `{"k": logical key, "t": written ms, "d": value}` (a tombstone: `"d": null,
//! "gone": true`), exactly what `record::Payload` always wrote, so old and new records open
//! alike. A 10,000-order snapshot is about 5 MB of JSON but several times that as a `Value`
//! tree, and wasm memory never shrinks: [`Plaintext`] builds the payload around the value's text
//! in one buffer sized up front (tag included, encrypted in place), and [`OpenedText`] leaves
//! the opened value as a range of the decrypted buffer for the caller to parse where it wants
//! (the service worker parses it in JS).

use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::codec::TAG_LEN;
use super::record::Opened;
use super::VaultError;

/// A record's plaintext under construction. Push exactly the announced number of bytes of the
/// value's JSON text, then seal it with [`super::Sealer::seal_text`].
#[derive(Debug)]
pub struct Plaintext {
    logical: String,
    buf: Vec<u8>,
    /// Where the value's text starts and how long it was announced to be (`None`: tombstone).
    value: Option<(usize, usize)>,
}

fn bad(logical: &str, why: &str) -> VaultError {
    VaultError::BadInput { what: format!("value of record \"{logical}\" ({why})") }
}

impl Plaintext {
    /// Starts the plaintext of `logical` written at `now_ms` whose value's JSON text is
    /// `value_len` bytes long (`None` seals a tombstone).
    pub fn new(logical: &str, now_ms: i64, value_len: Option<usize>) -> Result<Self, VaultError> {
        let key = serde_json::to_string(logical).map_err(|e| bad(logical, &e.to_string()))?;
        let head = format!("{{\"k\":{key},\"t\":{now_ms},\"d\":");
        let tail = if value_len.is_some() { "}" } else { "null,\"gone\":true}" };
        // One allocation for the whole life of the record: text, closing brace and the tag.
        let mut buf = Vec::with_capacity(head.len() + value_len.unwrap_or(0) + tail.len() + TAG_LEN);
        buf.extend_from_slice(head.as_bytes());
        let value = value_len.map(|len| (buf.len(), len));
        if value.is_none() {
            buf.extend_from_slice(tail.as_bytes());
        }
        Ok(Self { logical: logical.to_owned(), buf, value })
    }

    /// A record holding `value` (or a tombstone), serialized here.
    pub fn of_value(logical: &str, now_ms: i64, value: Option<&Value>) -> Result<Self, VaultError> {
        let Some(value) = value else { return Self::new(logical, now_ms, None) };
        let text = serde_json::to_vec(value).map_err(|e| bad(logical, &e.to_string()))?;
        let mut plain = Self::new(logical, now_ms, Some(text.len()))?;
        plain.push(&text);
        Ok(plain)
    }

    /// Appends the next bytes of the value's JSON text.
    pub fn push(&mut self, text: &[u8]) {
        self.buf.extend_from_slice(text);
    }

    /// The logical key.
    pub fn logical(&self) -> &str {
        &self.logical
    }

    /// The finished plaintext: the value must be exactly the announced length and one valid
    /// JSON value (checked without building it).
    pub(super) fn finish(mut self) -> Result<Vec<u8>, VaultError> {
        if let Some((start, len)) = self.value {
            if self.buf.len() != start + len {
                return Err(bad(&self.logical, "its text is not the length announced"));
            }
            serde_json::from_slice::<&RawValue>(&self.buf[start..])
                .map_err(|e| bad(&self.logical, &format!("not one JSON value: {e}")))?;
            self.buf.push(b'}');
        }
        Ok(self.buf)
    }
}

/// The payload as read back: the value stays text, borrowed from the decrypted buffer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPayload<'a> {
    #[serde(borrow)]
    k: Cow<'a, str>,
    t: i64,
    // `null` (what a tombstone carries) reads as `None`.
    #[serde(borrow, default)]
    d: Option<&'a RawValue>,
    #[serde(default)]
    gone: bool,
}

/// A record opened to its plaintext, its value left as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedText {
    /// The logical key.
    pub logical_key: String,
    /// When it was written (epoch ms).
    pub written_ms: i64,
    /// Whether it is a tombstone (deleted, awaiting removal).
    pub gone: bool,
    plain: Vec<u8>,
    value: Option<Range<usize>>,
}

impl OpenedText {
    /// Reads a decrypted plaintext; `None` when it is not a well-formed payload.
    pub(super) fn parse(plain: Vec<u8>) -> Option<Self> {
        let p: RawPayload<'_> = serde_json::from_slice(&plain).ok()?;
        if p.gone && p.d.is_some() {
            return None;
        }
        // The value's place in the buffer, so the buffer can move into `Self` without a copy.
        let base = plain.as_ptr() as usize;
        let value = p.d.map(|d| {
            let start = d.get().as_ptr() as usize - base;
            start..start + d.get().len()
        });
        let (logical_key, written_ms, gone) = (p.k.into_owned(), p.t, p.gone);
        Some(Self { logical_key, written_ms, gone, plain, value })
    }

    /// The value's JSON text: `None` for a tombstone, `"null"` for a record holding null.
    pub fn value_json(&self) -> Option<&str> {
        if self.gone {
            return None;
        }
        let text = self.value.clone().and_then(|r| std::str::from_utf8(&self.plain[r]).ok());
        Some(text.unwrap_or("null"))
    }

    /// The record with its value parsed (what code that works on `Value`s wants); `None` if the
    /// text does not parse as a `Value` (deeper than serde_json's nesting limit).
    pub fn into_opened(self) -> Option<Opened> {
        let value = match self.value_json() {
            None => None,
            Some(text) => Some(serde_json::from_str(text).ok()?),
        };
        Some(Opened { logical_key: self.logical_key, written_ms: self.written_ms, value })
    }
}
