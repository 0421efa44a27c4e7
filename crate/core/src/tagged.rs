//! Reading tagged records (`{"kind": "failed", "message": …}`) through one flat record each,
//! every field optional, then checked against the tag: the helpers those conversions share.
//!
//! Why not serde's internally tagged enums for reading: they first buffer the whole value into a
//! generic tree (the tag may come last) and read the variant from that tree, code generated
//! again for each enum and each JSON reader, tens of KB of the main wasm module that every
//! worker start compiles. A flat record reads in one pass. The conversions accept what the
//! derived form accepted (the tag anywhere, the variant's fields, unknown fields ignored) and word
//! their errors as serde does. Writing stays derived.

/// A tagged record that does not fit its enum: the tag is unknown or a variant's field is
/// missing.
#[derive(Debug)]
pub struct TagError(String);

impl std::fmt::Display for TagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The tag names no variant of `expected`.
pub(crate) fn unknown(tag: &str, expected: &[&str]) -> TagError {
    let list = expected.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    TagError(format!("unknown variant `{tag}`, expected one of {list}"))
}

/// A variant's required field, or the error naming it.
pub(crate) fn need<T>(field: Option<T>, name: &str) -> Result<T, TagError> {
    field.ok_or_else(|| TagError(format!("missing field `{name}`")))
}
