//! The shop's base record stored as a small head and shards rewritten in place, so no whole-base
//! text (plain or sealed, in wasm or in JS) exists at once, and the base is never stored twice:
//! at 50,000 pending packages the base is about 21 MB of JSON, wasm memory never shrinks after
//! a peak, and a base stored twice doubles what a shop takes on disk (without the
//! `unlimitedStorage` RedShip asks for, it passed chrome.storage.local's 10 MB at 10,000 pending).
//!
//! Storage form (the worker only writes and reads what it is named; [`super::live`] has the
//! change records):
//! - the head, at the base's key (`orders/<shop>/snapshot`): `{shards: {next, list: [{n, lo,
//!   seq, at}]}, base}`, `base` a snapshot holding no entry (shop, version, last change); an
//!   earlier build refuses it (no `packages`) rather than read a shop with none;
//! - shard `n` (`orders/<shop>/snapshot/<n>`, so the vault's retention of `orders/*/snapshot`
//!   covers it): every entry whose package ID is in its range, from its `lo` to the next
//!   shard's: pending packages, closed ones, and those IDs' paid days, in the snapshot's own form
//!   (its reader reads it) with `n` added and `seq` the last change it holds. IDs grow with
//!   time, so new orders fall in the last shard; a shard past twice [`SHARD_ENTRIES`] is split
//!   (new numbers from `next`; its pieces in one write, no bigger together than the shard, so
//!   no entry is stored twice), an empty one is dropped into its neighbour.
//!
//! The head names, per shard, the change `seq` through which it is known folded (S). The rule:
//! S is at most the `seq` of what the shard holds, and every change record after the least S is
//! stored. Opening applies each change record, in order, to the entries of shards whose S is
//! below its `seq` (a change record holds its entries whole, so applying it again over a newer
//! shard ends at the same state). A compaction writes only the shards whose range changed
//! since they were written (or older than [`super::live::BASE_MAX_AGE_MS`], so retention never
//! finds a shard much older than its head), one store write each (the shard and the head, one
//! chrome.storage set: an overwritten key counts once against the quota), each asked for after
//! the previous is stored; the last names every shard at the compaction's `seq`, and the change
//! records through it are deleted. A worker stopped after any write opens to the same state.
//!
//! A whole base (0.2.0's and 0.3's form, at the same key) opens as before; the first change after
//! moves it into shards in ONE write (the shards and the head over the whole base: what is
//! stored stays the same size; the whole base is in memory once, as every compaction held it
//! before). A shard the head names that is missing (retention purged it, the vault quarantined
//! it) or not the one named (another shop, version or number, entries outside its range) loses
//! the base, as a forgotten base always did: the shop opens with none
//! ([`super::live::OpenView::lost`]) and its next write stores a new base in one write, deleting
//! every shard and change record it does not name. A part of a base is never opened, nor written
//! over a whole one.

use super::collect::TransitSnapshot;
use super::delta::SnapshotDelta;
use super::live::LiveSnapshot;
use super::tally::Tally;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::BTreeSet;

/// Entries (pending and closed packages) a shard is cut at: about 420 KB of JSON at the seen
/// shapes, so the vault engine keeps it sealed rather than as JS objects; 50 at 50,000 pending.
pub const SHARD_ENTRIES: usize = 1_000;

/// A shard as the head names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardName {
    /// Its number (its key's last part).
    pub n: u32,
    /// The first package ID of its range ("" for the first shard); the range ends at the next's.
    pub lo: String,
    /// The last change known folded into it.
    pub seq: u64,
    /// When it was written, epoch ms.
    pub at: i64,
    /// Something in its range changed since it was written (never stored).
    #[serde(skip)]
    pub dirty: bool,
}

/// The shards of a base, in range order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardTable {
    /// The number the next new shard takes.
    pub next: u32,
    /// The shards.
    pub list: Vec<ShardName>,
}

/// The record at the base's key when the base is in shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseHead {
    /// The shards it names.
    pub shards: ShardTable,
    /// The shop, version and last change (no entry).
    pub base: TransitSnapshot,
}

/// The record found at the base's key.
#[derive(Debug, Clone)]
pub enum StoredBase {
    /// A whole base (0.2.0's and 0.3's form).
    Whole(TransitSnapshot),
    /// A head.
    Head(BaseHead),
}

/// How the handle's base is stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Form {
    /// None (a new shop, or a lost base): the next write is a base, in one write.
    #[default]
    None,
    /// Whole, as 0.2.0 and 0.3 wrote it: the next write moves it into shards, in one write.
    Whole,
    /// A head and shards.
    Sharded,
}

/// The handle's base: how it is stored, the shards whose range changed since written, the
/// compaction under way.
#[derive(Debug, Clone, Default)]
pub(super) struct BaseState {
    pub(super) form: Form,
    pub(super) table: ShardTable,
    /// The change a compaction under way folds in (its steps remain).
    compacting: Option<u64>,
    /// When a whole base was written (its last change).
    pub(super) whole_at_ms: i64,
    /// The tally the write that completes the compaction under way stores (see [`Step::tally`]).
    pub(super) tally_later: Option<Tally>,
}

/// One store write of a compaction: shards to store (`Some`) or delete (`None`) by number, and
/// the head, in one write.
#[derive(Debug, Clone)]
pub struct Step {
    /// The shards.
    pub shards: Vec<(u32, Option<TransitSnapshot>)>,
    /// The head.
    pub head: BaseHead,
    /// Delete the change records up to this `seq` (after the write).
    pub drop_through: Option<u64>,
    /// Delete every change record and every shard the head does not name: the first base of a
    /// handle opened without one (what is stored then belongs to a lost base).
    pub drop_all: bool,
    /// The shop's tally, stored in this write: the one that completes a base whose change went
    /// in no change record (a first base).
    pub tally: Option<Tally>,
}

/// The entries of a map (or set) in order whose key is from `lo` below `hi`. Read from the start
/// rather than by the map's `range`, which would compile its search once more per map type for
/// this alone (module size); a shard's part is read once per write.
fn within<'a, K: Borrow<str> + ?Sized + 'a, T: 'a>(
    items: impl Iterator<Item = T> + 'a,
    key: impl Fn(&T) -> &K + 'a + Copy,
    lo: &'a str,
    hi: Option<&'a str>,
) -> impl Iterator<Item = T> + 'a {
    let below = move |t: &T| hi.is_none_or(|h| key(t).borrow() < h);
    items.skip_while(move |t| key(t).borrow() < lo).take_while(below)
}

/// The position of the shard whose range holds `id`.
pub(super) fn place(list: &[ShardName], id: &str) -> usize {
    list.partition_point(|s| s.lo.as_str() <= id).saturating_sub(1)
}

/// The range of shard `i`: its `lo` and the next's.
pub(super) fn range(list: &[ShardName], i: usize) -> (&str, Option<&str>) {
    (list[i].lo.as_str(), list.get(i + 1).map(|s| s.lo.as_str()))
}

/// The IDs of the entries (pending and closed) from `lo` below `hi`, in order.
fn ids_in<'a>(snap: &'a TransitSnapshot, lo: &'a str, hi: Option<&'a str>) -> Vec<&'a str> {
    let mut pending = within(snap.packages.keys(), |k| *k, lo, hi).map(|k| k.as_str()).peekable();
    let mut closed = within(snap.closed.keys(), |k| *k, lo, hi).map(String::as_str).peekable();
    let mut out = Vec::new();
    loop {
        let id = match (pending.peek(), closed.peek()) {
            (Some(a), Some(b)) if a <= b => pending.next(),
            (Some(_), Some(_)) | (None, Some(_)) => closed.next(),
            (Some(_), None) => pending.next(),
            (None, None) => break,
        };
        out.extend(id);
    }
    out
}

/// The entries of `snap` from `lo` below `hi` (and their paid days), as a shard holding `seq`.
fn part(snap: &TransitSnapshot, lo: &str, hi: Option<&str>, seq: u64) -> TransitSnapshot {
    let mut p = TransitSnapshot::new(&snap.shop_id);
    (p.v, p.updated_at_ms, p.seq) = (snap.v, snap.updated_at_ms, seq);
    for (k, v) in within(snap.packages.iter(), |(k, _)| *k, lo, hi) {
        p.packages.insert(k.clone(), v.clone());
    }
    for (k, v) in within(snap.closed.iter(), |(k, _)| *k, lo, hi) {
        p.closed.insert(k.clone(), *v);
    }
    for (day, ids) in &snap.paid_days {
        let mut held = BTreeSet::new();
        for id in within(ids.iter(), |id| *id, lo, hi) {
            held.insert(id.clone());
        }
        if !held.is_empty() {
            p.paid_days.insert(day.clone(), held);
        }
    }
    p
}

impl BaseState {
    /// Whether the next change compacts whatever the bounds: a first base, or a whole one.
    pub(super) fn must_compact(&self) -> bool {
        self.form != Form::Sharded
    }

    /// Whether a base is stored.
    pub(super) fn has_base(&self) -> bool {
        self.form != Form::None
    }

    /// When the oldest part of the stored base was written.
    pub(super) fn oldest_ms(&self) -> i64 {
        match self.form {
            Form::Sharded => self.table.list.iter().map(|s| s.at).min().unwrap_or(i64::MAX),
            _ => self.whole_at_ms,
        }
    }

    /// Marks the shards the change record `d` touches as changed since written.
    pub(super) fn touched(&mut self, d: &SnapshotDelta) {
        if self.form != Form::Sharded {
            return;
        }
        let list = &mut self.table.list;
        // A dropped day's IDs may be in any shard.
        let all = !d.days_dropped.is_empty();
        for s in list.iter_mut().filter(|_| all) {
            s.dirty = true;
        }
        for id in d.ids() {
            let i = place(list, id);
            list[i].dirty = true;
        }
    }

    /// Begins a compaction folding in change `seq`: its steps follow ([`LiveSnapshot::next_step`]).
    pub(super) fn begin(&mut self, seq: u64, now_ms: i64) {
        self.compacting = Some(seq);
        let old = now_ms.saturating_sub(super::live::BASE_MAX_AGE_MS);
        for s in self.table.list.iter_mut().filter(|s| s.at < old) {
            s.dirty = true;
        }
    }

    fn head(&self, snap: &TransitSnapshot, seq: u64) -> BaseHead {
        let mut base = TransitSnapshot::new(&snap.shop_id);
        (base.v, base.updated_at_ms, base.seq) = (snap.v, snap.updated_at_ms, seq);
        BaseHead { shards: self.table.clone(), base }
    }

    /// The whole base in shards, in one step (a first base, or a whole one moved into shards).
    fn cut_all(&mut self, snap: &TransitSnapshot, seq: u64, now_ms: i64) -> Step {
        let ids = ids_in(snap, "", None);
        let mut los: Vec<String> = ids.iter().step_by(SHARD_ENTRIES).skip(1).map(|id| id.to_string()).collect();
        los.insert(0, String::new());
        let drop_all = self.form == Form::None;
        // Numbers from 0: a lost base's shards of the same numbers are written over.
        self.table = ShardTable { next: 0, list: Vec::new() };
        let mut shards = Vec::new();
        for (i, lo) in los.iter().enumerate() {
            let hi = los.get(i + 1).map(String::as_str);
            let n = self.table.next;
            self.table.next += 1;
            self.table.list.push(ShardName { n, lo: lo.clone(), seq, at: now_ms, dirty: false });
            shards.push((n, Some(part(snap, lo, hi, seq))));
        }
        (self.form, self.compacting) = (Form::Sharded, None);
        let tally = self.tally_later.take();
        Step { shards, head: self.head(snap, seq), drop_through: Some(seq), drop_all, tally }
    }

    /// The next step of the compaction under way, or `None` when there is none.
    pub(super) fn next_step(&mut self, snap: &TransitSnapshot, now_ms: i64) -> Option<Step> {
        let seq = self.compacting?;
        if self.form != Form::Sharded {
            return Some(self.cut_all(snap, seq, now_ms));
        }
        let mut shards = Vec::new();
        if let Some(i) = self.table.list.iter().position(|s| s.dirty) {
            self.write_shard(snap, i, seq, now_ms, &mut shards);
        }
        let (mut drop_through, mut tally) = (None, None);
        if self.table.list.iter().all(|s| !s.dirty) {
            // Every shard holds every change through `seq` now: named so, the records go.
            for s in &mut self.table.list {
                s.seq = s.seq.max(seq);
            }
            self.compacting = None;
            drop_through = Some(seq);
            tally = self.tally_later.take();
        }
        Some(Step { shards, head: self.head(snap, seq), drop_through, drop_all: false, tally })
    }

    /// Writes shard `i` as it is now: dropped into a neighbour when empty, split when past
    /// twice [`SHARD_ENTRIES`], else rewritten in place.
    fn write_shard(
        &mut self,
        snap: &TransitSnapshot,
        i: usize,
        seq: u64,
        now_ms: i64,
        out: &mut Vec<(u32, Option<TransitSnapshot>)>,
    ) {
        let list = &mut self.table.list;
        let (lo, hi) = range(list, i);
        let ids = ids_in(snap, lo, hi);
        if ids.is_empty() && list.len() > 1 {
            let gone = list.remove(i);
            // The neighbour takes its range and is written with it (so its S holds for it).
            let j = if i == 0 {
                list[0].lo = String::new();
                0
            } else {
                i - 1
            };
            out.push((gone.n, None));
            return self.write_shard(snap, j, seq, now_ms, out);
        }
        let mut cuts: Vec<String> = Vec::new();
        if ids.len() > 2 * SHARD_ENTRIES {
            // Pieces of about SHARD_ENTRIES each (a page of 500 new orders on a full last shard
            // makes three of 833, not two and a sliver).
            let size = ids.len().div_ceil(ids.len().div_ceil(SHARD_ENTRIES));
            cuts = ids.iter().step_by(size).skip(1).map(|id| id.to_string()).collect();
        }
        let added = cuts.len();
        for (k, lo) in cuts.into_iter().enumerate() {
            let n = self.table.next;
            self.table.next += 1;
            self.table.list.insert(i + 1 + k, ShardName { n, lo, seq, at: now_ms, dirty: false });
        }
        let list = &mut self.table.list;
        (list[i].seq, list[i].at, list[i].dirty) = (seq, now_ms, false);
        for k in i..=i + added {
            let (lo, hi) = range(list, k);
            out.push((list[k].n, Some(part(snap, lo, hi, seq))));
        }
    }
}

impl LiveSnapshot {
    /// The next store write of the compaction [`LiveSnapshot::writes`] began (`compact`), or
    /// `None` once it is over. The worker stores each before it asks for the next.
    pub fn next_step(&mut self, now_ms: i64) -> Option<Step> {
        let (state, snap) = self.base_parts();
        state.next_step(snap, now_ms)
    }
}
