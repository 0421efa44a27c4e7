//! Bindings for the base in shards (the core's `transit::shards`): opening a shop's stored
//! records a shard at a time (`TransitOpening`: the record at the base's key, then each shard its
//! head names, then the change records, into a `TransitLive`), and a compaction's store writes
//! handed out one at a time (`TransitLive.nextStep`). The whole base never crosses at once.
//!
//! Errors are JS `Error`s named `OrderError` or `RequestError`.

use crate::boundary::{from_js, from_js_large, js_error, to_js};
use crate::order::order_err;
use crate::transit_live::TransitLive;
use redship_core::transit::collect::TransitSnapshot;
use redship_core::transit::delta::SnapshotDelta;
use redship_core::transit::opening::Opening;
use redship_core::transit::shards::{BaseHead, StoredBase};
use redship_core::transit::tally::Tally;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A shop's stored records being opened (see the module header).
#[wasm_bindgen]
pub struct TransitOpening {
    opening: Option<Opening>,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn finished() -> JsValue {
    js_error("OrderError", "TransitOpening: already finished")
}

#[wasm_bindgen]
impl TransitOpening {
    /// `TransitOpening.begin(shopId, record | null, routes | null)`: the shop, the record at its
    /// base's key (a head `{shards, base}`, or a whole base as 0.2.0 and 0.3 wrote it) and its
    /// routes record. Another shop's or version's record is an `OrderError`.
    pub fn begin(shop_id: &str, record: JsValue, routes: JsValue) -> Result<TransitOpening, JsValue> {
        let base = if record.is_null() || record.is_undefined() {
            None
        } else if get(&record, "shards").is_undefined() {
            Some(StoredBase::Whole(from_js_large(record)?))
        } else {
            Some(StoredBase::Head(from_js::<BaseHead>(record)?))
        };
        let opening = Opening::begin(shop_id, base, from_js(routes)?).map_err(order_err)?;
        Ok(TransitOpening { opening: Some(opening) })
    }

    /// The number of the next shard to read and `add`, or null when none is left.
    pub fn wanted(&self) -> Option<u32> {
        self.opening.as_ref().and_then(Opening::wanted)
    }

    /// `add(record | null)`: the shard `wanted` named, as stored (null: not stored; that, or a
    /// record not the one named, loses the base: the shop opens with none, `opened().lost`).
    pub fn add(&mut self, record: JsValue) -> Result<(), JsValue> {
        let n = get(&record, "n").as_f64();
        let part: Option<TransitSnapshot> = from_js_large(record)?;
        let shard = n.zip(part).map(|(n, p)| (n as u32, p));
        self.opening.as_mut().ok_or_else(finished)?.add(shard);
        Ok(())
    }

    /// Read the change records numbered after this for `finish` (null: none, there is no base).
    pub fn after(&self) -> Option<f64> {
        self.opening.as_ref().and_then(Opening::after).map(|s| s as f64)
    }

    /// `finish([change record])` → the live snapshot: the change records found after `after`.
    pub fn finish(&mut self, deltas: JsValue) -> Result<TransitLive, JsValue> {
        let deltas: Vec<SnapshotDelta> = from_js(deltas)?;
        let (live, opened) = self.opening.take().ok_or_else(finished)?.finish(deltas).map_err(order_err)?;
        Ok(TransitLive::of(live, opened))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StepOut<'a> {
    head: &'a BaseHead,
    #[serde(skip_serializing_if = "Option::is_none")]
    drop_through: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    drop_all: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tally: Option<&'a Tally>,
}

#[wasm_bindgen]
impl TransitLive {
    /// `nextStep(nowMs)` → `{shards: [{n, record | null}], head, dropThrough?, dropAll?, tally?}` or
    /// null: the next store write of the compaction `writes` began (`compact`), one write holding
    /// the shards (null: delete) and the head; then the change records up to `dropThrough`
    /// (every one, and every shard the head does not name, when `dropAll`) are deleted. Store
    /// each before asking for the next.
    #[wasm_bindgen(js_name = nextStep)]
    pub fn next_step(&mut self, now_ms: f64) -> Result<JsValue, JsValue> {
        let Some(step) = self.live.next_step(now_ms as i64) else { return Ok(JsValue::NULL) };
        let out = to_js(&StepOut {
            head: &step.head,
            drop_through: step.drop_through,
            drop_all: step.drop_all,
            tally: step.tally.as_ref(),
        })?;
        let shards = js_sys::Array::new();
        for (n, part) in &step.shards {
            let entry = js_sys::Object::new();
            let record = match part {
                Some(p) => {
                    let record = to_js(p)?;
                    js_sys::Reflect::set(&record, &"n".into(), &(*n).into())?;
                    record
                }
                None => JsValue::NULL,
            };
            js_sys::Reflect::set(&entry, &"n".into(), &(*n).into())?;
            js_sys::Reflect::set(&entry, &"record".into(), &record)?;
            shards.push(&entry);
        }
        js_sys::Reflect::set(&out, &"shards".into(), &shards)?;
        Ok(out)
    }
}
