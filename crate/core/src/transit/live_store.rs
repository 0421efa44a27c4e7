//! Test helper: the worker's storage of a live snapshot as JSON text (what survives a restart),
//! written and read as sw/transit/live.js does: a base's shards one write each, then the head
//! with the deletions in one write, the change records by number.

use super::live::{LiveSnapshot, OpenView, Writes};
use super::shards::{BaseReader, BaseShard, ShardSet, StoredBase};
use serde_json::{from_value, Value};
use std::collections::BTreeMap;

/// A stored shard as the reader takes it: its place, and its packages in the snapshot's form.
pub fn shard(text: &str) -> BaseShard {
    let v: Value = serde_json::from_str(text).expect("shard");
    let place = |k: &str| v[k].as_u64().expect("place");
    BaseShard {
        gen: place("gen"),
        n: u32::try_from(place("n")).expect("n"),
        part: from_value(v.clone()).expect("part"),
    }
}

/// What one `writes` call handed out, owned (so the handle can be asked for the shards).
pub struct Plan {
    pub base: Option<ShardSet>,
    pub delta: Option<(u64, String)>,
    pub drop_through: Option<u64>,
    pub drop_all: bool,
    pub routes: Option<String>,
}

/// Takes the owned parts of `w`.
pub fn plan(w: Writes<'_>) -> Plan {
    Plan {
        base: w.base,
        delta: w.delta.as_ref().map(|d| (d.seq, serde_json::to_string(d).expect("delta"))),
        drop_through: w.drop_through,
        drop_all: w.drop_all,
        routes: w.routes.map(|r| serde_json::to_string(r).expect("routes")),
    }
}

/// The stored records: the record at the base's key (head or whole base), the shards by
/// `<gen>/<n>`, the change records by `seq`, the routes.
#[derive(Default, Clone)]
pub struct Store {
    pub base: Option<String>,
    pub shards: BTreeMap<String, String>,
    pub deltas: BTreeMap<u64, String>,
    pub routes: Option<String>,
}

impl Store {
    /// Stores what `live` changed, as the worker does.
    pub fn save(&mut self, live: &mut LiveSnapshot, now_ms: i64) {
        let p = plan(live.writes(now_ms));
        self.write(live, p);
    }

    /// Stores `p` (and the base's shards `live` hands out) whole.
    pub fn write(&mut self, live: &mut LiveSnapshot, p: Plan) {
        self.write_prefix(live, p, usize::MAX);
    }

    /// Stores the first `steps` writes of `p` only, as a worker stopped after them: a base's
    /// shards are a write each, then the last write holds the head and everything else.
    pub fn write_prefix(&mut self, live: &mut LiveSnapshot, p: Plan, steps: usize) {
        let mut done = 0;
        if let Some(set) = p.base {
            while let Some(shard) = live.next_shard() {
                if done == steps {
                    return;
                }
                assert_eq!((shard.gen, shard.n), (set.gen, done as u32));
                let mut record = serde_json::to_value(&shard.part).expect("shard");
                (record["gen"], record["n"]) = (shard.gen.into(), shard.n.into());
                self.shards.insert(format!("{}/{}", shard.gen, shard.n), record.to_string());
                done += 1;
            }
        }
        if done == steps {
            return;
        }
        if p.base.is_some() {
            let head = live.head_with(|shards, base| serde_json::json!({ "shards": shards, "base": base }));
            self.base = Some(head.expect("head").to_string());
            let found: Vec<String> = self.shards.keys().cloned().collect();
            for name in live.stale_shards(&found) {
                self.shards.remove(name);
            }
        }
        if let Some((seq, d)) = p.delta {
            self.deltas.insert(seq, d);
        }
        if p.drop_all {
            self.deltas.clear();
        } else if let Some(through) = p.drop_through {
            self.deltas.retain(|seq, _| *seq > through);
        }
        if let Some(r) = p.routes {
            self.routes = Some(r);
        }
    }

    /// Opens what is stored, as the worker does (the record at the base's key is a head when it
    /// names shards).
    pub fn open(&self) -> LiveSnapshot {
        self.open_view().0
    }

    /// [`Store::open`] with what opening found.
    pub fn open_view(&self) -> (LiveSnapshot, OpenView) {
        let base = self.base.as_deref().map(|text| {
            let v: Value = serde_json::from_str(text).expect("base");
            match v.get("shards") {
                Some(set) => StoredBase::Head(
                    from_value(set.clone()).expect("set"),
                    from_value(v["base"].clone()).expect("head"),
                ),
                None => StoredBase::Whole(from_value(v).expect("base")),
            }
        });
        let routes = self.routes.as_deref().map(|s| serde_json::from_str(s).expect("routes"));
        let mut reader = BaseReader::begin("shop1", base, routes).expect("begin");
        while let Some((gen, n)) = reader.wanted() {
            reader.add(self.shards.get(&format!("{gen}/{n}")).map(|s| shard(s)));
        }
        // Every change record stored (the worker reads those after `reader.seq()`; the core skips
        // the others, and the tests see it does).
        let deltas = self.deltas.values().map(|s| serde_json::from_str(s).expect("delta")).collect();
        reader.finish(deltas).expect("open")
    }
}
