//! Opening a shop's stored records a shard at a time ([`Opening`]): the record at the base's
//! key (a head, or a whole base as 0.2.0 and 0.3 stored it), each shard the head names, then the
//! change records after the least shard `seq`, each applied to the entries of the shards it is
//! newer than. A shard missing or not the one named loses the base (see [`super::shards`]).

use super::collect::TransitSnapshot;
use super::delta::SnapshotDelta;
use super::live::{LiveSnapshot, OpenView};
use super::routes::RouteBook;
use super::shards::{place, range, BaseState, Form, ShardTable, StoredBase};
use crate::order::OrderError;

/// Opens a shop's stored records a shard at a time: the record at the base's key, the shards
/// its head names one by one ([`Opening::wanted`], [`Opening::add`]), then the change records
/// after [`Opening::after`] ([`Opening::finish`]).
#[derive(Debug)]
pub struct Opening {
    snap: TransitSnapshot,
    routes: Option<RouteBook>,
    state: BaseState,
    next: usize,
    lost: bool,
}

/// Whether a head's table can name a base: ranges from "" up, numbers below `next`, once each.
fn table_ok(t: &ShardTable) -> bool {
    let ordered = t.list.windows(2).all(|w| w[0].lo < w[1].lo);
    let first = t.list.first().is_some_and(|s| s.lo.is_empty());
    let once = |i: usize, n: u32| n < t.next && t.list[..i].iter().all(|s| s.n != n);
    first && ordered && t.list.iter().enumerate().all(|(i, s)| once(i, s.n))
}

impl Opening {
    /// Starts from the record at the base's key (if any) and the routes record. A record of
    /// another shop or version is refused.
    pub fn begin(shop_id: &str, base: Option<StoredBase>, routes: Option<RouteBook>) -> Result<Self, OrderError> {
        let shop = shop_id.trim();
        let mut state = BaseState::default();
        let mut lost = false;
        let snap = match base {
            None => TransitSnapshot::new(shop),
            Some(StoredBase::Whole(snap)) => {
                (state.form, state.whole_at_ms) = (Form::Whole, snap.updated_at_ms);
                snap
            }
            Some(StoredBase::Head(head)) => {
                let mut snap = head.base;
                // A head holds no entry; any found are not the base's.
                snap.packages.clear();
                snap.closed.clear();
                snap.paid_days.clear();
                if table_ok(&head.shards) {
                    (state.form, state.table) = (Form::Sharded, head.shards);
                } else {
                    lost = true;
                }
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
        let mut opening = Opening { snap, routes, state, next: 0, lost: false };
        if lost {
            opening.lose();
        }
        Ok(opening)
    }

    /// The number of the next shard to read and [`Opening::add`], or `None` when none is left.
    pub fn wanted(&self) -> Option<u32> {
        self.state.table.list.get(self.next).filter(|_| self.state.form == Form::Sharded).map(|s| s.n)
    }

    /// The change records to read are those numbered after this (`None`: none, no base).
    pub fn after(&self) -> Option<u64> {
        match self.state.form {
            Form::None => None,
            Form::Whole => Some(self.snap.seq),
            Form::Sharded => Some(self.state.table.list.iter().map(|s| s.seq).min().unwrap_or(self.snap.seq)),
        }
    }

    /// Adds the shard [`Opening::wanted`] named, as stored (`None`: not stored) with the number
    /// it holds. Any shard not the one named loses the base (see the module notes).
    pub fn add(&mut self, shard: Option<(u32, TransitSnapshot)>) {
        let Some(want) = self.wanted() else { return };
        let (lo, hi) = range(&self.state.table.list, self.next);
        let inside = |id: &str| id >= lo && hi.is_none_or(|h| id < h);
        let fits = |p: &TransitSnapshot| {
            let firsts = [p.packages.keys().next().map(|k| k.as_str()), p.closed.keys().next().map(String::as_str)];
            let lasts =
                [p.packages.keys().next_back().map(|k| k.as_str()), p.closed.keys().next_back().map(String::as_str)];
            let days = p.paid_days.values().all(|ids| ids.iter().all(|id| inside(id)));
            firsts.into_iter().chain(lasts).flatten().all(inside) && days
        };
        let (v, shop) = (self.snap.v, self.snap.shop_id.as_str());
        let ok = |(n, p): &(u32, TransitSnapshot)| *n == want && p.v == v && p.shop_id == shop && fits(p);
        match shard.filter(ok) {
            Some((_, p)) => {
                self.snap.packages.extend(p.packages);
                self.snap.closed.extend(p.closed);
                for (day, ids) in p.paid_days {
                    self.snap.paid_days.entry(day).or_default().extend(ids);
                }
                self.next += 1;
            }
            None => self.lose(),
        }
    }

    /// The base is lost: the shop opens with none.
    fn lose(&mut self) {
        let shop = std::mem::take(&mut self.snap.shop_id);
        self.snap = TransitSnapshot::new(&shop);
        self.state = BaseState::default();
        self.lost = true;
    }

    /// The live snapshot: the base with the change records found (`deltas`, in any order)
    /// applied, each to the entries of the shards it is newer than.
    pub fn finish(mut self, mut deltas: Vec<SnapshotDelta>) -> Result<(LiveSnapshot, OpenView), OrderError> {
        if self.wanted().is_some() {
            // Not every shard was added: never a part of a base.
            self.lose();
        }
        let shop = self.snap.shop_id.clone();
        crate::sort::sort_by(&mut deltas, |a, b| a.seq.cmp(&b.seq));
        let after = self.after();
        let (mut applied, mut rows, mut stale) = (0, 0, Vec::new());
        let state = &mut self.state;
        for d in deltas {
            if d.v != self.snap.v || d.shop_id != shop {
                return Err(OrderError::BadRequest {
                    field: "delta",
                    reason: format!("变更记录 {} 属于店铺 {}（版本 {}）", d.seq, d.shop_id, d.v),
                });
            }
            if after.is_none_or(|a| d.seq <= a) {
                stale.push(d.seq);
                continue;
            }
            applied += 1;
            rows += d.rows();
            let seq = d.seq;
            // Each entry takes the record's state when its shard is older than the record (a
            // whole base: every entry); the shards it changes are written at the next compaction.
            let list = &mut state.table.list;
            let sharded = state.form == Form::Sharded;
            if sharded {
                let dropped = !d.days_dropped.is_empty();
                for s in list.iter_mut().filter(|s| dropped && s.seq < seq) {
                    s.dirty = true;
                }
                for id in d.ids() {
                    let i = place(list, id);
                    list[i].dirty |= list[i].seq < seq;
                }
            }
            let list = &state.table.list;
            let newer = |id: &str| !sharded || list[place(list, id)].seq < seq;
            d.apply_where(&mut self.snap, &newer);
        }
        let no_base = self.state.form == Form::None;
        let view = OpenView { pending: self.snap.packages.len(), applied, stale, lost: self.lost, no_base };
        let live = LiveSnapshot::assemble(self.snap, self.routes, self.state, (applied, rows));
        Ok((live, view))
    }
}
