//! Test helper: the worker's storage of a live snapshot as JSON text by key (what survives a
//! restart), written and read as sw/transit/live.js does: a change's records in one write, then
//! each compaction step in one write (its deletions in it: the vault seals them as tombstones in
//! the same set), the change records read by number after the least shard `seq`. Every write is
//! counted and the bytes stored after it kept, so a test can stop the worker after any write,
//! and no compaction write may store the base twice (checked at each).

use super::live::{LiveSnapshot, OpenView};
use super::opening::Opening;
use super::shards::{BaseHead, StoredBase};
use super::tally::Tally;
use serde_json::{from_str, from_value, Value};
use std::collections::BTreeMap;

pub const SNAP: &str = "orders/shop1/snapshot";
/// The tally's key ([`super::tally`]).
pub const TALLY: &str = "orders/shop1/snapshot.tally";
const DELTA: &str = "orders/shop1/delta/";
const ROUTES: &str = "orders/shop1/routes";

/// Shard `n`'s key.
pub fn shard_key(n: u32) -> String {
    format!("{SNAP}/{n}")
}

/// Change record `seq`'s key.
pub fn delta_key(seq: u64) -> String {
    format!("{DELTA}{seq}")
}

/// The stored records, and what each write did.
#[derive(Default, Clone)]
pub struct Store {
    pub records: BTreeMap<String, String>,
    /// Writes made.
    pub puts: usize,
    /// Stop (make no more writes) once this many were made.
    pub stop_at: Option<usize>,
    /// Bytes stored after each write.
    pub sizes: Vec<usize>,
    /// Shards (stored or deleted) in each compaction step.
    pub step_shards: Vec<usize>,
}

impl Store {
    /// Bytes stored (keys and values).
    pub fn bytes(&self) -> usize {
        self.records.iter().map(|(k, v)| k.len() + v.len()).sum()
    }

    /// Change records stored.
    pub fn deltas(&self) -> usize {
        self.records.keys().filter(|k| k.starts_with(DELTA)).count()
    }

    /// Shards stored.
    pub fn shards(&self) -> usize {
        self.records.keys().filter(|k| k.starts_with(&format!("{SNAP}/"))).count()
    }

    /// One write, all or nothing; false (and nothing written) once stopped.
    fn put(&mut self, changes: Vec<(String, Option<String>)>) -> bool {
        if changes.is_empty() {
            return true;
        }
        if self.stop_at.is_some_and(|s| self.puts >= s) {
            return false;
        }
        for (k, v) in changes {
            match v {
                Some(v) => self.records.insert(k, v),
                None => self.records.remove(&k),
            };
        }
        self.puts += 1;
        self.sizes.push(self.bytes());
        true
    }

    /// Stores what `live` changed, as the worker does; false when stopped before the end.
    pub fn save(&mut self, live: &mut LiveSnapshot, now_ms: i64) -> bool {
        let w = live.writes(now_ms);
        let mut changes = Vec::new();
        if let Some(d) = &w.delta {
            changes.push((delta_key(d.seq), Some(serde_json::to_string(d).expect("delta"))));
        }
        if let Some(r) = w.routes {
            changes.push((ROUTES.to_string(), Some(serde_json::to_string(r).expect("routes"))));
        }
        if let Some(t) = &w.tally {
            changes.push((TALLY.to_string(), Some(serde_json::to_string(t).expect("tally"))));
        }
        let compact = w.compact;
        let change = changes.iter().map(|(_, v)| v.as_ref().map_or(0, String::len)).sum::<usize>();
        if !self.put(changes) {
            return false;
        }
        self.check_tally();
        if !compact {
            return true;
        }
        while let Some(step) = live.next_step(now_ms) {
            self.step_shards.push(step.shards.len());
            let mut changes = Vec::new();
            for (n, part) in &step.shards {
                let text = part.as_ref().map(|p| {
                    let mut v = serde_json::to_value(p).expect("shard");
                    v["n"] = (*n).into();
                    v.to_string()
                });
                changes.push((shard_key(*n), text));
            }
            let named: Vec<String> = step.head.shards.list.iter().map(|s| shard_key(s.n)).collect();
            changes.push((SNAP.to_string(), Some(serde_json::to_string(&step.head).expect("head"))));
            if let Some(t) = &step.tally {
                changes.push((TALLY.to_string(), Some(serde_json::to_string(t).expect("tally"))));
            }
            for k in self.records.keys() {
                let seq = k.strip_prefix(DELTA).and_then(|s| s.parse::<u64>().ok());
                let old_delta = seq.is_some_and(|s| step.drop_all || step.drop_through.is_some_and(|t| s <= t));
                let old_shard = step.drop_all && k.starts_with(&format!("{SNAP}/")) && !named.contains(k);
                if old_delta || old_shard {
                    changes.push((k.clone(), None));
                }
            }
            let before = self.bytes();
            if !self.put(changes) {
                return false;
            }
            // Never the base twice: a compaction's write stores at most the change again (its
            // change record goes with the last write) and the shards' few added bytes.
            let after = self.bytes();
            assert!(step.drop_all || after <= before + change + before / 50 + 4096, "{before} → {after} bytes");
            self.check_tally();
        }
        true
    }

    /// The stored tally, if any, is the figures of what opens now (after any write, so after any
    /// stop too), unless no base is stored: the worker deletes the tally when it opens none.
    fn check_tally(&self) {
        let Some(text) = self.records.get(TALLY) else { return };
        let (mut live, view) = self.open_view();
        if view.no_base {
            return;
        }
        let counts = live.counts();
        assert_eq!(from_str::<Tally>(text).expect("tally"), Tally::of(live.snapshot(), &counts), "the stored tally");
    }

    /// Opens what is stored, as the worker does.
    pub fn open(&self) -> LiveSnapshot {
        self.open_view().0
    }

    /// [`Store::open`] with what opening found.
    pub fn open_view(&self) -> (LiveSnapshot, OpenView) {
        let base = self.records.get(SNAP).map(|text| {
            let v: Value = from_str(text).expect("base");
            match v.get("shards") {
                Some(_) => StoredBase::Head(from_value::<BaseHead>(v).expect("head")),
                None => StoredBase::Whole(from_value(v).expect("whole base")),
            }
        });
        let routes = self.records.get(ROUTES).map(|s| from_str(s).expect("routes"));
        let mut opening = Opening::begin("shop1", base, routes).expect("begin");
        while let Some(n) = opening.wanted() {
            let shard = self.records.get(&shard_key(n)).map(|s| {
                let v: Value = from_str(s).expect("shard");
                (v["n"].as_u64().expect("n") as u32, from_value(v).expect("shard"))
            });
            opening.add(shard);
        }
        // The change records after `after`, by number until one is missing (as the worker reads).
        let mut deltas = Vec::new();
        if let Some(after) = opening.after() {
            let mut seq = after + 1;
            while let Some(text) = self.records.get(&delta_key(seq)) {
                deltas.push(from_str(text).expect("delta"));
                seq += 1;
            }
        }
        opening.finish(deltas).expect("open")
    }
}
