//! Bindings for opening a shop's stored transit records (`TransitOpening`, the core's
//! `transit::shards::BaseReader`): the record at the base's key, then the base's shards one at a
//! time, then the change records, into a `TransitLive`. The whole base never crosses at once.
//!
//! Errors are JS `Error`s named `OrderError`.

use crate::boundary::{from_js, from_js_large, js_error};
use crate::order::order_err;
use crate::transit_live::TransitLive;
use redship_core::transit::live::SnapshotDelta;
use redship_core::transit::shards::{BaseReader, BaseShard, ShardSet, StoredBase};
use wasm_bindgen::prelude::*;

/// A shop's stored records being opened: the base's shards are added one at a time, so the
/// whole base never crosses at once.
#[wasm_bindgen]
pub struct TransitOpening {
    reader: Option<BaseReader>,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The number at `key` of `obj` (a head's or a shard's place), if it is one.
fn place(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).as_f64()
}

/// Sets `obj[key] = value`, and `obj[key2] = value2`.
pub(crate) fn put(
    obj: &JsValue,
    (key, value): (&str, JsValue),
    (key2, value2): (&str, JsValue),
) -> Result<(), JsValue> {
    js_sys::Reflect::set(obj, &JsValue::from_str(key), &value)?;
    js_sys::Reflect::set(obj, &JsValue::from_str(key2), &value2).map(|_| ())
}

/// `{a: x, b: y}` (a shard's place, a head's shards).
pub(crate) fn pair(a: &str, x: f64, b: &str, y: f64) -> Result<JsValue, JsValue> {
    let out: JsValue = js_sys::Object::new().into();
    put(&out, (a, x.into()), (b, y.into()))?;
    Ok(out)
}

/// A head `{shards: {gen, count}, base}`: the shards it names and its snapshot; `None` for a
/// whole base (no `shards`).
fn head_of(record: &JsValue) -> Option<(ShardSet, JsValue)> {
    let shards = get(record, "shards");
    let (gen, count) = (place(&shards, "gen")?, place(&shards, "count")?);
    Some((ShardSet { gen: gen as u64, count: count as u32 }, get(record, "base")))
}

#[wasm_bindgen]
impl TransitOpening {
    /// `TransitOpening.begin(shopId, snapshot | null, routes | null)`: the shop, the record at
    /// its base's key (a head `{shards: {gen, count}, base}`, or a whole base as 0.2.0 and 0.3
    /// wrote it) and its routes record. Another shop's or version's record is an `OrderError`.
    pub fn begin(shop_id: &str, record: JsValue, routes: JsValue) -> Result<TransitOpening, JsValue> {
        let (shards, record) = match head_of(&record) {
            Some((shards, base)) => (Some(shards), base),
            None => (None, record),
        };
        let snap: Option<redship_core::transit::collect::TransitSnapshot> = from_js_large(record)?;
        let base = snap.map(|s| match shards {
            Some(set) => StoredBase::Head(set, s),
            None => StoredBase::Whole(s),
        });
        let reader = BaseReader::begin(shop_id, base, from_js(routes)?).map_err(order_err)?;
        Ok(TransitOpening { reader: Some(reader) })
    }

    /// The last change record the base holds: read those numbered after it for `finish`.
    #[wasm_bindgen(getter)]
    pub fn seq(&self) -> f64 {
        self.reader.as_ref().map_or(0.0, |r| r.seq() as f64)
    }

    /// `{gen, n}` of the next shard to read and `add`, or null when there is none left.
    pub fn next(&self) -> Result<JsValue, JsValue> {
        match self.reader.as_ref().and_then(BaseReader::wanted) {
            Some((gen, n)) => pair("gen", gen as f64, "n", f64::from(n)),
            None => Ok(JsValue::NULL),
        }
    }

    /// `add(record | null)`: the shard `next` named, as stored (null: not stored; that, or a
    /// record not the one named, loses the base: the shop opens as with none).
    pub fn add(&mut self, record: JsValue) -> Result<(), JsValue> {
        // A shard is the snapshot's form with its place added (read as `begin` reads a base).
        let (gen, n) = (place(&record, "gen"), place(&record, "n"));
        let part = from_js_large(record)?;
        let shard = match (gen, n, part) {
            (Some(gen), Some(n), Some(part)) => Some(BaseShard { gen: gen as u64, n: n as u32, part }),
            _ => None,
        };
        self.reader.as_mut().ok_or_else(finished)?.add(shard);
        Ok(())
    }

    /// `finish([change record])` → the live snapshot: the change records found after `seq`
    /// applied to the base (those at or below it are skipped, and go with the next base write).
    pub fn finish(&mut self, deltas: JsValue) -> Result<TransitLive, JsValue> {
        let deltas: Vec<SnapshotDelta> = from_js(deltas)?;
        let (live, opened) = self.reader.take().ok_or_else(finished)?.finish(deltas).map_err(order_err)?;
        Ok(TransitLive { live, applied: opened.applied })
    }
}

fn finished() -> JsValue {
    js_error("OrderError", "TransitOpening: already finished")
}
