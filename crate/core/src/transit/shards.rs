//! The shop's base record written and read in shards, so no whole-base text (plain or sealed,
//! in wasm or in JS) exists at once: at 50,000 pending packages the base is about 21 MB of JSON,
//! and wasm memory never shrinks after such a peak.
//!
//! Storage form (the worker only writes and reads what it is named; see [`super::live`] for the
//! change records after the base):
//! - the head, at the base's key (`orders/<shop>/snapshot`): `{shards: {gen, count}, base}`,
//!   `base` the snapshot with no pending package (an earlier build refuses the head rather than
//!   read it as a shop with none), `shards` naming those that hold them;
//! - shards `0..count` of generation `gen` (`orders/<shop>/base/<gen>/<n>`), each at most
//!   [`SHARD_PACKAGES`] pending packages, in package-ID order, in the snapshot's own form (its
//!   reader reads them) with `gen` and `n` added.
//!
//! Writing a base (a compaction) takes a new generation, the head's + 1. Its shards are written
//! one at a time, each before the next is asked for, then the head: the one write that switches
//! the base to them (with the old generation's shards and the folded change records deleted in
//! it). A worker stopped before the head leaves the old head and its shards untouched (the new
//! generation's shards are unreferenced: stale, deleted at the next base write, [`Shards::stale`]).
//! The next write after such a stop takes the same new generation again and writes over them.
//!
//! A record at the base's key without `shards` is a whole base (0.2.0's and 0.3's form): it
//! opens as before. A shard the head names that is missing (retention purged it, or the vault
//! quarantined it) or not the one named (another generation, shop or version) loses the base:
//! the shop opens as with none (its change records stale), as when the whole base was forgotten.
//!
//! The shards handed out are cut at package IDs chosen when the base write begins; a change in
//! between (the worker runs one message of a shop at a time, so none is expected) is in a
//! later change record too, and change records hold entries whole, so applying them again over
//! a newer shard still ends at the same state.

use super::collect::TransitSnapshot;
use super::live::{LiveSnapshot, SnapshotDelta};
use super::routes::RouteBook;
use crate::order::OrderError;
use crate::text::IdText;
use serde::{Deserialize, Serialize};

/// Pending packages per shard: about 420 KB of JSON at the seen shapes (560 KB sealed, so the
/// vault engine keeps it sealed rather than as JS objects), 50 shards at 50,000 pending.
pub const SHARD_PACKAGES: usize = 1_000;

/// Which shards hold a base's pending packages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSet {
    /// The generation: a new one for every base written.
    pub gen: u64,
    /// Shards `0..count` (0: no pending package).
    pub count: u32,
}

/// A shard: its place and its packages, in a snapshot of the shop (its stored form is the
/// snapshot's, with `gen` and `n` added).
#[derive(Debug, Clone)]
pub struct BaseShard {
    /// Its generation.
    pub gen: u64,
    /// Its place in the generation.
    pub n: u32,
    /// Its pending packages (and the shop and version).
    pub part: TransitSnapshot,
}

/// A base being written: its shards and the package IDs each starts at.
#[derive(Debug, Clone)]
struct BaseWrite {
    seq: u64,
    cuts: Vec<IdText>,
    next: u32,
}

/// The handle's base: which shards it is stored in, and the one being written.
#[derive(Debug, Clone, Default)]
pub struct Shards {
    set: ShardSet,
    writing: Option<BaseWrite>,
}

impl Shards {
    /// Begins writing `snap` as a new base holding change `seq`: a new generation, cut every
    /// [`SHARD_PACKAGES`] packages. Returns the shards to write.
    pub(super) fn begin(&mut self, snap: &TransitSnapshot, seq: u64) -> ShardSet {
        let mut cuts = Vec::new();
        for (i, id) in snap.packages.keys().enumerate() {
            if i % SHARD_PACKAGES == 0 {
                cuts.push(id.clone());
            }
        }
        let count = u32::try_from(cuts.len()).unwrap_or(u32::MAX);
        self.set = ShardSet { gen: self.set.gen + 1, count };
        self.writing = Some(BaseWrite { seq, cuts, next: 0 });
        self.set
    }

    /// The place of the next shard of the base being written and the package IDs it runs from
    /// (`None`: the first) and below (`None`: the last); `None` once all were handed out.
    fn take_next(&mut self) -> Option<(u32, Option<IdText>, Option<IdText>)> {
        let w = self.writing.as_mut()?;
        let (n, i) = (w.next, w.next as usize);
        if i >= w.cuts.len() {
            return None;
        }
        w.next += 1;
        // The first shard also takes packages added below its cut since the cuts were made.
        let lo = if i == 0 { None } else { w.cuts.get(i).cloned() };
        Some((n, lo, w.cuts.get(i + 1).cloned()))
    }

    /// Ends the base being written once every shard was handed out: the `seq` its head holds.
    fn take_head(&mut self) -> Option<u64> {
        let w = self.writing.as_ref()?;
        let seq = ((w.next as usize) >= w.cuts.len()).then_some(w.seq)?;
        self.writing = None;
        Some(seq)
    }

    /// Those of the stored shards `found` (named `<gen>/<n>`, the keys after the shop's base
    /// prefix) the current base does not name: delete them with the head.
    pub fn stale<'a>(&self, found: &'a [String]) -> Vec<&'a str> {
        found.iter().map(String::as_str).filter(|name| !self.names(name)).collect()
    }

    fn names(&self, name: &str) -> bool {
        // Only the names the worker writes: digits without leading zeros.
        let number =
            |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && (t == "0" || !t.starts_with('0'));
        let Some((gen, n)) = name.split_once('/').filter(|(g, n)| number(g) && number(n)) else { return false };
        gen.parse() == Ok(self.set.gen) && n.parse::<u32>().is_ok_and(|n| n < self.set.count)
    }
}

impl LiveSnapshot {
    /// The next shard of the base [`LiveSnapshot::writes`] named (its packages copied out), or
    /// `None` once all were handed out. The worker stores each before it asks for the next.
    pub fn next_shard(&mut self) -> Option<BaseShard> {
        let (n, lo, hi) = self.shards.take_next()?;
        let snap = &self.snap;
        let mut part = TransitSnapshot::new(&snap.shop_id);
        (part.v, part.updated_at_ms) = (snap.v, snap.updated_at_ms);
        for (id, p) in &snap.packages {
            if lo.as_ref().is_some_and(|c| id < c) {
                continue;
            }
            if hi.as_ref().is_some_and(|c| id >= c) {
                break;
            }
            part.packages.insert(id.clone(), p.clone());
        }
        Some(BaseShard { gen: self.shards.set.gen, n, part })
    }

    /// `f` of the head of that base once its shards are handed out (else `None`): the shards it
    /// names, and the snapshot with no pending package (the head's `base`), stored last with the
    /// deletions. The write is then over.
    pub fn head_with<R>(&mut self, f: impl FnOnce(ShardSet, &TransitSnapshot) -> R) -> Option<R> {
        let seq = self.shards.take_head()?;
        let mut head = TransitSnapshot::new(&self.snap.shop_id);
        (head.v, head.updated_at_ms, head.seq) = (self.snap.v, self.snap.updated_at_ms, seq);
        // Lent to the head for `f` and taken back: no copy of the paid days (50,000 IDs in a big shop).
        head.closed = std::mem::take(&mut self.snap.closed);
        head.paid_days = std::mem::take(&mut self.snap.paid_days);
        let out = f(self.shards.set, &head);
        self.snap.closed = head.closed;
        self.snap.paid_days = head.paid_days;
        Some(out)
    }

    /// Those of the stored shards `found` (`<gen>/<n>`) the base does not name (see
    /// [`Shards::stale`]): deleted with the head.
    pub fn stale_shards<'a>(&self, found: &'a [String]) -> Vec<&'a str> {
        self.shards.stale(found)
    }
}

/// What opening found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenView {
    /// Pending packages held.
    pub pending: usize,
    /// Change records applied.
    pub applied: usize,
    /// `seq` of change records already folded into the base: delete them.
    pub stale: Vec<u64>,
}

/// The record found at the base's key.
#[derive(Debug, Clone)]
pub enum StoredBase {
    /// A whole base (0.2.0's and 0.3's form).
    Whole(TransitSnapshot),
    /// A head: the shards it names, and its snapshot with no pending package.
    Head(ShardSet, TransitSnapshot),
}

/// Opens a shop's stored records a shard at a time: the head (or whole base), the shards it
/// names one by one ([`BaseReader::wanted`], [`BaseReader::add`]), then the change records
/// after its `seq` ([`BaseReader::seq`], [`BaseReader::finish`]).
#[derive(Debug)]
pub struct BaseReader {
    snap: TransitSnapshot,
    routes: Option<RouteBook>,
    has_base: bool,
    shards: Shards,
    next: u32,
}

impl BaseReader {
    /// Starts from the record at the base's key (if any) and the routes record. A record of
    /// another shop or version is refused.
    pub fn begin(shop_id: &str, base: Option<StoredBase>, routes: Option<RouteBook>) -> Result<Self, OrderError> {
        let shop = shop_id.trim();
        let has_base = base.is_some();
        let mut set = ShardSet::default();
        let snap = match base {
            None => TransitSnapshot::new(shop),
            Some(StoredBase::Whole(snap)) => snap,
            Some(StoredBase::Head(shards, mut snap)) => {
                set = shards;
                // A head holds no package; any found are not the base's.
                snap.packages.clear();
                snap
            }
        };
        snap.check(shop)?;
        if let Some(book) = routes.as_ref().filter(|b| b.shop_id != shop) {
            return Err(OrderError::BadRequest {
                field: "routes",
                reason: format!("路由记录属于店铺 {}，请求是店铺 {shop}", book.shop_id),
            });
        }
        let shards = Shards { set, writing: None };
        Ok(BaseReader { snap, routes, has_base, shards, next: 0 })
    }

    /// The last change record the base holds: the change records to read are numbered after it.
    pub fn seq(&self) -> u64 {
        self.snap.seq
    }

    /// The `(gen, n)` of the next shard to add, or `None` when the base is whole.
    pub fn wanted(&self) -> Option<(u64, u32)> {
        (self.next < self.shards.set.count).then_some((self.shards.set.gen, self.next))
    }

    /// Adds the shard [`BaseReader::wanted`] named (`None`: not stored). A missing shard, or one
    /// of another generation, place, shop or version, loses the base (see the module notes):
    /// the shop never opens part of a base, or a base mixed with another's.
    pub fn add(&mut self, shard: Option<BaseShard>) {
        let Some((gen, n)) = self.wanted() else { return };
        let (v, shop) = (self.snap.v, self.snap.shop_id.as_str());
        match shard.filter(|s| (s.gen, s.n, s.part.v) == (gen, n, v) && s.part.shop_id == shop) {
            Some(shard) => {
                self.snap.packages.extend(shard.part.packages);
                self.next += 1;
            }
            None => {
                // The next base still takes a new generation: the lost one's shards may remain.
                self.snap = TransitSnapshot::new(&self.snap.shop_id);
                self.has_base = false;
                self.next = self.shards.set.count;
            }
        }
    }

    /// The live snapshot: the base with the change records found (`deltas`, in any order)
    /// applied after it (see [`LiveSnapshot::open`]).
    pub fn finish(self, deltas: Vec<SnapshotDelta>) -> Result<(LiveSnapshot, OpenView), OrderError> {
        LiveSnapshot::assemble(self.snap, self.routes, self.has_base, self.shards, deltas)
    }
}
