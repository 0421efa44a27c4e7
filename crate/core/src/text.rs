//! Compact texts for records held in memory a long time (a shop's live snapshot holds 50,000
//! packages, each with a dozen short texts).
//!
//! A `String` costs three words and its own block even when empty; most of a package's texts
//! either repeat across the shop (a status, a SKU's name, a masked district) or are short and
//! unique (an order ID, a masked phone). [`Text`] is exact-size and free when empty; [`Shared`]
//! is one block per distinct text, however many packages hold it; [`IdText`] is one block that
//! its clones share (a package ID held as a map key and in the indexes). All three read and
//! write plain JSON strings, as a `String` would: the stored form does not change.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

/// The texts and the pieces of them every type here shares.
macro_rules! text_type {
    ($name:ident, $inner:ty, $make:expr) => {
        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                let make: fn(&str) -> $inner = $make;
                $name(make(s))
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self::from(s.as_str())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::from("")
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                *self.0 == *other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                *self.0 == **other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(TextVisitor).map(|s| Self::from(&*s))
            }
        }
    };
}

/// A text of its exact size, unique to its holder: two words, no block when empty.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Box<str>);
text_type!(Text, Box<str>, |s: &str| Box::from(s));

/// A text that repeats across records, held once: every equal `Shared` made points at the same
/// block (a pool shared by every record; see `intern`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<str>);
text_type!(Shared, Arc<str>, intern);

/// An identifier held in several places (a map key, its record, an index): its clones share one
/// block. Not pooled: IDs are unique, a pool would only grow.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdText(Arc<str>);
text_type!(IdText, Arc<str>, |s: &str| Arc::from(s));

/// Reads a JSON string borrowed when it can be, owned when it must (escapes).
struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_string().into())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
}

/// The pool of [`Shared`] texts. It holds each distinct text once; texts no record holds any
/// more are let go when the pool has doubled since it last looked (so it stays within twice
/// what is held, at O(1) a text on average). Its entries are [`IdText`]s, blocks shared by
/// their clones, as the paid days' IDs are: one set type compiled for both (module size).
struct Pool {
    texts: BTreeSet<IdText>,
    sweep_at: usize,
}

/// The pool looks for texts let go once it holds at least this many.
const SWEEP_MIN: usize = 1024;

static POOL: Mutex<Pool> = Mutex::new(Pool { texts: BTreeSet::new(), sweep_at: SWEEP_MIN });

/// The pooled block holding `s` (made when none does). A pool shared by every record rather
/// than one per snapshot: texts are read by serde, which hands a field no snapshot to look in,
/// and the pool changes no value, only where equal values are kept.
fn intern(s: &str) -> Arc<str> {
    // A panic while the lock was held left the set whole (no step of it can stop half way).
    let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(a) = pool.texts.get(s) {
        return Arc::clone(&a.0);
    }
    if pool.texts.len() >= pool.sweep_at {
        for t in std::mem::take(&mut pool.texts) {
            if Arc::strong_count(&t.0) > 1 {
                pool.texts.insert(t);
            }
        }
        pool.sweep_at = (pool.texts.len() * 2).max(SWEEP_MIN);
    }
    let a: Arc<str> = Arc::from(s);
    pool.texts.insert(IdText(Arc::clone(&a)));
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_and_write_plain_json_strings() {
        for s in ["", "待发货", "a \"quoted\" \\ text\n", "P300000000000000000000001"] {
            let json = serde_json::to_string(s).expect("json");
            let t: Text = serde_json::from_str(&json).expect("text");
            let h: Shared = serde_json::from_str(&json).expect("shared");
            let i: IdText = serde_json::from_str(&json).expect("id");
            assert_eq!((t.as_str(), h.as_str(), i.as_str()), (s, s, s));
            for out in [serde_json::to_string(&t), serde_json::to_string(&h), serde_json::to_string(&i)] {
                assert_eq!(out.expect("out"), json);
            }
        }
        assert!(serde_json::from_str::<Text>("12").is_err());
    }

    #[test]
    fn equal_shared_texts_are_one_block() {
        let a = Shared::from("玫瑰花茶");
        let b: Shared = serde_json::from_str("\"玫瑰花茶\"").expect("shared");
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &Shared::from("手工皂").0));
        let id = IdText::from("P1");
        assert!(Arc::ptr_eq(&id.0, &id.clone().0));
    }

    #[test]
    fn the_pool_lets_go_of_texts_no_one_holds() {
        let kept = Shared::from("kept by this test");
        // Enough texts let go that the pool has looked at least once, whatever other tests hold.
        for k in 0..64 * SWEEP_MIN {
            drop(Shared::from(format!("let go {k}")));
        }
        let pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        assert!(pool.texts.contains("kept by this test"));
        assert!(!pool.texts.contains("let go 0"));
        drop(pool);
        assert_eq!(kept, "kept by this test");
    }
}
