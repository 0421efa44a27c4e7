//! The shop's live snapshot, held by the service worker between messages, and the rule of how
//! it is stored: a base record plus small change records.
//!
//! Handing the whole snapshot across the boundary for every list page (in as JSON, out as JSON,
//! resealed whole) made a 50-row page cost the size of the shop: about 250 ms of worker time at
//! 10,000 pending packages. [`LiveSnapshot`] keeps the record where the rules work on it; each
//! change marks the entries it touched, and [`LiveSnapshot::writes`] hands out only those, as a
//! [`SnapshotDelta`] the worker stores beside the base record.
//!
//! Storage form (the worker only writes what it is handed):
//! - the base: a head and shards rewritten in place ([`super::shards`]: the rule of what is
//!   written when, and how a worker stopped between writes opens), or, as 0.2.0 and 0.3 stored
//!   it, a whole [`TransitSnapshot`] whose `seq` names the last change folded in (0.2.0 wrote no
//!   `seq`: it loads as a base with no changes after it), moved into shards by the next change;
//! - change records numbered `seq` = 1, 2 … without gaps, each the current state of the entries
//!   changed since the one before (a pending package, a closed one, or one to forget) and the
//!   paid days added or dropped;
//! - compaction: when the change records since the last one pass [`MAX_DELTAS`], or hold more
//!   entries than a sixteenth of the shop (at least [`MIN_DELTA_ROWS`]), the write of a change is
//!   followed by the base's shards whose range changed, one store write each
//!   ([`LiveSnapshot::next_step`]), and the change records they fold in are deleted. A shard
//!   older than [`BASE_MAX_AGE_MS`] is also written again at the next compaction (and its age
//!   starts one), so the vault's retention (which forgets a shop's records unwritten for days)
//!   never finds a shard older than its change records by more than that;
//! - change records without a base (the base was forgotten) are stale: a change means nothing
//!   without the record it changes.
//!
//! Opening applies the change records in order, each to the entries it is newer than; those at
//! or below every shard's `seq` (left when the worker stopped before their deletion) are named
//! for deletion and skipped.

use super::collect::{ingest_into, IngestRequest, IngestView, TransitSnapshot};
use super::delta::{take_delta, SnapshotDelta};
use super::figures::Figures;
use super::opening::Opening;
use super::reconcile::mark_shipped;
use super::routes::{set_routes, RouteBook, RouteCounts, SetRouteRequest};
use super::rowsignal::{apply_rows, RowSeen, RowsView};
use super::shards::{BaseState, StoredBase};
use super::tally::Tally;
use super::view::{edit_in, EditRequest};
use crate::order::{OrderError, SiteProfile};
use serde::{Deserialize, Serialize};

/// At most this many change records after the base.
pub const MAX_DELTAS: usize = 200;
/// The change records may hold this many entries before a compaction, whatever the shop's size.
pub const MIN_DELTA_ROWS: usize = 2_000;
/// … or this share of the shop's pending packages (1/16): a compaction writes the shards the
/// change records touched, so the bound keeps an over-full last shard (new orders), written with
/// its split in one store write, to about a thousand entries past its cut at 50,000 pending.
pub const DELTA_SHARE: usize = 16;
/// A base written longer ago than this is written again with the next change.
pub const BASE_MAX_AGE_MS: i64 = crate::chinaday::DAY_MS;

/// [`LiveSnapshot::open`] request: the shop's stored records, its base whole or none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenRequest {
    /// The shop.
    pub shop_id: String,
    /// The base record, if any (a 0.2.0 snapshot is one).
    #[serde(default)]
    pub snapshot: Option<TransitSnapshot>,
    /// The change records found, in any order.
    #[serde(default)]
    pub deltas: Vec<SnapshotDelta>,
    /// The shop's routes record, if any.
    #[serde(default)]
    pub routes: Option<RouteBook>,
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
    /// A shard the head names was missing or not the one named: the base was lost (the shop
    /// opened with none, and its next write stores a new one).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub lost: bool,
    /// No base is stored (a new shop, or its base was forgotten or lost): a stored tally
    /// ([`super::tally`]) is not this shop's figures, so the worker deletes it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_base: bool,
}

/// The records to store after a change, before it is acknowledged, in one write.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Writes<'a> {
    /// A change record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<SnapshotDelta>,
    /// A compaction follows this write: [`LiveSnapshot::next_step`] until it gives none, each
    /// stored before the next is asked for.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub compact: bool,
    /// The routes record, whole, when it changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routes: Option<&'a RouteBook>,
    /// The shop's tally after this change ([`super::tally`]), in this write when it stores the
    /// change (a change record, or only the routes record); else the write that completes the
    /// base carries it ([`super::shards::Step::tally`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
}

impl Writes<'_> {
    /// Nothing to store.
    pub fn is_empty(&self) -> bool {
        self.delta.is_none() && self.routes.is_none() && !self.compact
    }
}

/// What a batch of shipped packages did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippedView {
    /// Whether any was pending.
    pub removed: bool,
    /// IDs refused (not package IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
}

/// A shop's snapshot and routes, live.
#[derive(Debug, Clone)]
pub struct LiveSnapshot {
    snap: TransitSnapshot,
    routes: Option<RouteBook>,
    routes_changed: bool,
    /// How the base is stored, its shards changed since written, the compaction under way.
    base: BaseState,
    /// Change records since the base, and the entries they hold.
    deltas: usize,
    delta_rows: usize,
    /// Route counts and rows in doubt, kept between changes (see [`Figures`]).
    figures: Figures,
}

impl LiveSnapshot {
    /// Opens the shop's stored records when the base is whole (or none): the base (or an empty
    /// snapshot) with its change records applied in order. A record of another shop or version
    /// is refused. A base in shards opens through [`Opening`].
    pub fn open(req: OpenRequest) -> Result<(Self, OpenView), OrderError> {
        Opening::begin(&req.shop_id, req.snapshot.map(StoredBase::Whole), req.routes)?.finish(req.deltas)
    }

    /// The live snapshot of an opened base (see [`Opening::finish`]), `applied` change records
    /// holding `rows` entries after it.
    pub(super) fn assemble(
        mut snap: TransitSnapshot,
        routes: Option<RouteBook>,
        base: BaseState,
        (applied, rows): (usize, usize),
    ) -> Self {
        snap.share_ids();
        snap.index_paid();
        snap.track_priors();
        LiveSnapshot {
            snap,
            routes,
            routes_changed: false,
            base,
            deltas: applied,
            delta_rows: rows,
            figures: Figures::default(),
        }
    }

    /// The base's state and the snapshot, for a compaction's steps.
    pub(super) fn base_parts(&mut self) -> (&mut BaseState, &TransitSnapshot) {
        (&mut self.base, &self.snap)
    }

    /// The snapshot (for the views, figures and exports).
    pub fn snapshot(&self) -> &TransitSnapshot {
        &self.snap
    }

    /// The routes record, if any.
    pub fn routes(&self) -> Option<&RouteBook> {
        self.routes.as_ref()
    }

    /// Merges one answer (see [`super::collect::ingest`]); O(answer).
    pub fn ingest(
        &mut self,
        req: &IngestRequest,
        profile: &SiteProfile,
        now_ms: i64,
    ) -> Result<IngestView, OrderError> {
        let view = ingest_into(&mut self.snap, req, profile, now_ms);
        // Even a refused answer may have changed entries before it was refused.
        self.settle();
        view
    }

    /// The page shipped these packages: they leave the list. IDs that are not package IDs are
    /// listed, the others still leave.
    pub fn shipped(&mut self, package_ids: &[String], now_ms: i64) -> ShippedView {
        let mut view = ShippedView::default();
        for id in package_ids {
            match mark_shipped(&mut self.snap, id, now_ms) {
                Ok(removed) => view.removed |= removed,
                Err(_) => view.rejected.push(id.clone()),
            }
        }
        self.settle();
        view
    }

    /// The list's rows and their 发货 controls (see [`super::rowsignal`]).
    pub fn rows(&mut self, rows: &[RowSeen], now_ms: i64) -> RowsView {
        let view = apply_rows(&mut self.snap, rows, now_ms);
        self.settle();
        view
    }

    /// Adjusts the kept figures by the entries changed since the last call. O(entries changed).
    fn settle(&mut self) {
        let priors = self.snap.take_priors();
        self.figures.settle(&self.snap, self.routes.as_ref(), priors);
    }

    /// Orders whose list row disagrees with the answers about 发货 (see [`super::rowsignal`]).
    pub fn row_unclear(&mut self) -> usize {
        self.figures.row_unclear(&self.snap)
    }

    /// Those of `ids` the snapshot holds neither pending nor closed (other lists of orders keep
    /// only these: where both know an order, the snapshot's word wins). O(ids).
    pub fn unknown<'a>(&self, ids: &'a [String]) -> Vec<&'a str> {
        ids.iter()
            .map(|id| id.trim())
            .filter(|id| !self.snap.packages.contains_key(*id) && !self.snap.closed.contains_key(*id))
            .collect()
    }

    /// The seller's edit of one package; refused edits change nothing. Edits are in no figure.
    pub fn edit(&mut self, req: &EditRequest, now_ms: i64) -> Result<(), OrderError> {
        edit_in(&mut self.snap, req, now_ms)
    }

    /// Route changes, all or nothing (see [`set_routes`]); returns the counts after. Routing N
    /// orders adjusts the counts by those N when they are known, rather than counting the shop.
    pub fn set_routes(&mut self, reqs: &[SetRouteRequest]) -> Result<RouteCounts, OrderError> {
        let book = set_routes(self.routes.clone(), &self.snap, reqs)?;
        let orders_only = reqs.iter().all(|r| r.scope == "order");
        if orders_only {
            let mut ids: Vec<&str> = reqs.iter().filter_map(|r| r.package_id.as_deref().map(str::trim)).collect();
            crate::sort::sort(&mut ids);
            ids.dedup();
            for p in ids.iter().filter_map(|id| self.snap.packages.get(*id)) {
                self.figures.rerouted(p, self.routes.as_ref(), &book);
            }
        } else {
            self.figures.forget_counts();
        }
        self.routes = Some(book);
        self.routes_changed = true;
        Ok(self.counts())
    }

    /// Pending packages per route.
    pub fn counts(&mut self) -> RouteCounts {
        self.figures.counts(&self.snap, self.routes.as_ref())
    }

    /// The records to store for what changed since the last call (empty when nothing did), in
    /// one write, then the compaction's steps when it says so. The worker stores them before it
    /// acknowledges the change; if that fails it drops the handle and opens the stored records
    /// again.
    pub fn writes(&mut self, now_ms: i64) -> Writes<'_> {
        let routes_changed = std::mem::take(&mut self.routes_changed);
        let marks = &self.snap.book;
        let marked = !(marks.touched.is_empty() && marks.paid_added.is_empty() && marks.days_dropped.is_empty());
        let (mut delta, mut compact) = (None, false);
        if marked {
            let seq = self.snap.seq + 1;
            let d = take_delta(&mut self.snap, seq);
            self.snap.seq = seq;
            self.base.touched(&d);
            let rows = self.delta_rows + d.rows();
            let bound = MIN_DELTA_ROWS.max(self.snap.packages.len() / DELTA_SHARE);
            let old = now_ms - self.base.oldest_ms() > BASE_MAX_AGE_MS;
            if self.base.must_compact() || old || self.deltas >= MAX_DELTAS || rows > bound {
                // Compaction: the base takes every change so far; the change records go.
                self.base.begin(seq, now_ms);
                (self.deltas, self.delta_rows, compact) = (0, 0, true);
            } else {
                (self.deltas, self.delta_rows) = (self.deltas + 1, rows);
            }
            // Stored even when a compaction follows: the change is kept from this write on,
            // whichever of the compaction's writes a stopped worker made. Without a base it
            // would mean nothing (stale): the first base, in one write, holds it.
            delta = self.base.has_base().then_some(d);
        }
        let tally = (delta.is_some() || compact || routes_changed).then(|| {
            let counts = self.counts();
            Tally::of(&self.snap, &counts)
        });
        // Never ahead of what is stored: without a change record, a first base stores the change.
        let (tally, later) = if delta.is_some() || !compact { (tally, None) } else { (None, tally) };
        self.base.tally_later = later;
        Writes { delta, compact, routes: if routes_changed { self.routes.as_ref() } else { None }, tally }
    }
}
