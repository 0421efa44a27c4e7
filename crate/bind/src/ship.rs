//! The ship domain's transport forms: the shapes its requests and its preview take to cross the
//! boundary cheaply. The core (`redship_core::ship`) keeps plain types and never sees them.
//!
//! - `knownOrders`: the package IDs of each state joined by line breaks ([`known_orders`]);
//! - the requests that carry a validation context, read in one pass ([`ImportForm`],
//!   [`RevalidateForm`], [`PlanForm`]);
//! - the preview by column, with one-digit verdicts ([`PreviewForm`], in `ship_preview.rs`).

use redship_core::ship::pace::Pace;
use redship_core::ship::plan::{FillMode, PlanRequest};
use redship_core::ship::{
    CourierEntry, ImportRequest, ImportSource, KnownOrder, RawEntry, RevalidateRequest, UsedNumber, ValidationContext,
};
use serde::{Deserialize, Deserializer};
use wasm_bindgen::JsValue;

pub use crate::ship_preview::PreviewForm;
use crate::{from_js, take_bytes};

/// Defines a request's reading form: its own fields, then the [`ValidationContext`]'s fields at
/// the top level, without `#[serde(flatten)]`, which would first copy the whole request (10,000
/// known orders) into serde's generic buffer and then read it a second time. One definition of
/// how the context is read, for the three requests that carry it.
macro_rules! context_form {
    ($(#[$doc:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($(#[$fm])* $field: $ty,)*
            #[serde(default, with = "known_orders")]
            known_orders: Vec<KnownOrder>,
            #[serde(default, deserialize_with = "null_as_empty")]
            used_numbers: Vec<UsedNumber>,
            #[serde(default)]
            couriers: Vec<CourierEntry>,
        }
    };
}

/// A list sent as `null` (the worker has none yet) reads as empty.
fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The context read by a [`context_form!`] form.
fn context(
    known_orders: Vec<KnownOrder>,
    used_numbers: Vec<UsedNumber>,
    couriers: Vec<CourierEntry>,
) -> ValidationContext {
    ValidationContext { known_orders, used_numbers, couriers }
}

context_form! {
    /// A `shipImport` request as it crosses: `{source, text?, bytes?, sheet?, knownOrders,
    /// usedNumbers, couriers}` (`bytes` as an array of numbers here; a `Uint8Array` is taken
    /// out first by [`import_request`]).
    ImportForm {
        source: ImportSource,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        bytes: Option<Vec<u8>>,
        #[serde(default)]
        sheet: Option<String>,
    }
}

impl From<ImportForm> for ImportRequest {
    fn from(f: ImportForm) -> Self {
        let context = context(f.known_orders, f.used_numbers, f.couriers);
        Self { source: f.source, text: f.text, bytes: f.bytes, sheet: f.sheet, context }
    }
}

context_form! {
    /// A `shipRevalidate` request as it crosses: `{rows, knownOrders, usedNumbers, couriers}`.
    RevalidateForm {
        rows: Vec<RawEntry>,
    }
}

impl From<RevalidateForm> for RevalidateRequest {
    fn from(f: RevalidateForm) -> Self {
        Self { rows: f.rows, context: context(f.known_orders, f.used_numbers, f.couriers) }
    }
}

context_form! {
    /// A `shipFillPlan` request as it crosses: `{runId, mode, rows, pace?, nowMs, knownOrders,
    /// usedNumbers, couriers}`.
    PlanForm {
        run_id: String,
        mode: FillMode,
        rows: Vec<RawEntry>,
        #[serde(default)]
        pace: Pace,
        now_ms: i64,
    }
}

impl From<PlanForm> for PlanRequest {
    fn from(f: PlanForm) -> Self {
        let context = context(f.known_orders, f.used_numbers, f.couriers);
        Self { run_id: f.run_id, mode: f.mode, rows: f.rows, context, pace: f.pace, now_ms: f.now_ms }
    }
}

/// A `shipImport` request, its `bytes` (a `Uint8Array` or `ArrayBuffer`) copied in directly.
pub fn import_request(request: JsValue) -> Result<ImportRequest, JsValue> {
    let (request, bytes) = take_bytes(request, "bytes")?;
    let mut req: ImportRequest = from_js::<ImportForm>(request)?.into();
    if bytes.is_some() {
        req.bytes = bytes;
    }
    Ok(req)
}

/// A `shipRevalidate` request.
pub fn revalidate_request(request: JsValue) -> Result<RevalidateRequest, JsValue> {
    Ok(from_js::<RevalidateForm>(request)?.into())
}

/// A `shipFillPlan` request.
pub fn plan_request(request: JsValue) -> Result<PlanRequest, JsValue> {
    Ok(from_js::<PlanForm>(request)?.into())
}

/// The known orders' form: `{"waiting": "P…\nP…", "closed": "P…", "unclear": "P…"}`, the
/// package IDs of each state joined by line breaks (any may be missing). A shop's 10,000 known
/// orders cross on every import and every edit of the preview; as objects (`{"packageId": …,
/// "waiting": …}` each) reading them was a fifth of a 10,000-row import, as texts it is a copy
/// and a split. Blank lines are skipped; an ID in both lists is closed. Use with
/// `#[serde(with = "redship_bind::ship::known_orders")]`.
pub mod known_orders {
    use redship_core::ship::KnownOrder;
    use serde::de::{self, MapAccess, SeqAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::borrow::Cow;
    use std::fmt;

    #[derive(Default, Serialize, Deserialize)]
    #[serde(default, deny_unknown_fields)]
    struct Texts<'a> {
        #[serde(borrow)]
        waiting: Cow<'a, str>,
        #[serde(borrow)]
        closed: Cow<'a, str>,
        #[serde(borrow)]
        unclear: Cow<'a, str>,
    }

    /// Reads the texts into orders, waiting ones first. `null` reads as none; the old form, a
    /// list of `{packageId, waiting}` objects, is refused by name (only a map is read:
    /// serde-wasm-bindgen would read a struct's fields from an array by name, finding none).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<KnownOrder>, D::Error> {
        let t = d.deserialize_option(TextsVisitor)?;
        let ids = |text: &str, waiting: bool, unclear: bool| -> Vec<KnownOrder> {
            text.lines()
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| KnownOrder { package_id: id.to_owned(), waiting, unclear })
                .collect()
        };
        let mut out = ids(&t.waiting, true, false);
        out.extend(ids(&t.unclear, false, true));
        out.extend(ids(&t.closed, false, false));
        Ok(out)
    }

    /// Reads `knownOrders`: a map of the three texts, or `null`.
    struct TextsVisitor;

    impl<'de> Visitor<'de> for TextsVisitor {
        type Value = Texts<'de>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("knownOrders as {waiting, closed, unclear}: package IDs joined by line breaks")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Texts::default())
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Texts::default())
        }

        // `deserialize_any`, not `deserialize_map`: serde-wasm-bindgen reads any JS iterable as a
        // map of pairs, so an array would fail there with a message about pairs, not this form.
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(de::Error::custom(
                "knownOrders: the old list of {packageId, waiting} objects is no longer read; send \
                 {waiting, closed, unclear}, package IDs joined by line breaks",
            ))
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Texts::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }

    /// Writes the orders as the three texts.
    pub fn serialize<S: Serializer>(orders: &[KnownOrder], s: S) -> Result<S::Ok, S::Error> {
        let join = |waiting: bool, unclear: bool| -> String {
            let ids: Vec<&str> = orders
                .iter()
                .filter(|o| o.waiting == waiting && o.unclear == unclear)
                .map(|o| o.package_id.as_str())
                .collect();
            ids.join("\n")
        };
        Texts {
            waiting: Cow::Owned(join(true, false)),
            closed: Cow::Owned(join(false, false)),
            unclear: Cow::Owned(join(false, true)),
        }
        .serialize(s)
    }
}

#[cfg(test)]
#[path = "ship_tests.rs"]
mod tests;
