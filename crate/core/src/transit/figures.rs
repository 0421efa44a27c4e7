//! The figures a live snapshot keeps between changes ([`super::live`]): pending packages per
//! route and the rows in doubt. The badge, the list help and the self-check ask for them at
//! every list page; counting them reads the whole shop (6 ms each at 50,000 packages), so
//! they are counted once and then adjusted by the entries each change touched: each one's
//! share before the change ([`super::marks`] keeps its prior state) is taken away and its share
//! now added. Routing N orders moves those N between routes; routing a SKU counts again.

use super::collect::{ClosedPackage, StoredPackage, TransitSnapshot};
use super::marks::Prior;
use super::routes::{route_counts, route_of, RouteBook, RouteCounts};
use super::rowsignal::row_unclear;
use super::Route;
use std::collections::BTreeMap;

/// The kept figures, each counted when first asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Figures {
    counts: Option<RouteCounts>,
    row_unclear: Option<usize>,
}

impl Figures {
    /// Pending packages per route (counted over the shop only the first time).
    pub(crate) fn counts(&mut self, snap: &TransitSnapshot, book: Option<&RouteBook>) -> RouteCounts {
        *self.counts.get_or_insert_with(|| route_counts(snap, book))
    }

    /// Rows in doubt ([`row_unclear`]; counted over the shop only the first time).
    pub(crate) fn row_unclear(&mut self, snap: &TransitSnapshot) -> usize {
        *self.row_unclear.get_or_insert_with(|| row_unclear(snap))
    }

    /// The routes changed beyond single orders: the counts are counted again when next asked.
    pub(crate) fn forget_counts(&mut self) {
        self.counts = None;
    }

    /// Package `p`'s route changes from what `before` gives it to what `after` gives it.
    pub(crate) fn rerouted(&mut self, p: &StoredPackage, before: Option<&RouteBook>, after: &RouteBook) {
        if let Some(c) = self.counts.as_mut() {
            Share::pending(p, before).count(c, -1);
            Share::pending(p, Some(after)).count(c, 1);
        }
    }

    /// Adjusts the figures by the entries changed (`priors`: each one's state before), `snap`
    /// being the state after. O(entries changed).
    pub(crate) fn settle(&mut self, snap: &TransitSnapshot, book: Option<&RouteBook>, priors: BTreeMap<String, Prior>) {
        if self.counts.is_none() && self.row_unclear.is_none() {
            return;
        }
        for (id, prior) in priors {
            let before = match &prior {
                Prior::Absent => Share::default(),
                Prior::Pending(p) => Share::pending(p, book),
                Prior::Closed(c) => Share::closed(c),
            };
            let now = match (snap.packages.get(id.as_str()), snap.closed.get(&id)) {
                (Some(p), _) => Share::pending(p, book),
                (None, Some(c)) => Share::closed(c),
                (None, None) => Share::default(),
            };
            if before == now {
                continue;
            }
            if let Some(c) = self.counts.as_mut() {
                before.count(c, -1);
                now.count(c, 1);
            }
            if let Some(n) = self.row_unclear.as_mut() {
                *n = n.saturating_sub(usize::from(before.row)) + usize::from(now.row);
            }
        }
    }
}

/// What one entry adds to the kept figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Share {
    /// Pending with a clear status: counted in this route.
    route: Option<Route>,
    /// Pending with an unclear status.
    unclear: bool,
    /// Its row disagrees with the answers ([`super::rowsignal::row_unclear`]).
    row: bool,
}

impl Share {
    fn pending(p: &StoredPackage, book: Option<&RouteBook>) -> Self {
        let unclear = p.is_unclear();
        Share { route: (!unclear).then(|| route_of(book, p).0), unclear, row: p.no_ship_button && !p.unclear }
    }

    fn closed(c: &ClosedPackage) -> Self {
        Share { route: None, unclear: false, row: c.ship_button }
    }

    /// Adds (`by` = 1) or takes away (`by` = -1) this share of the route counts.
    fn count(self, c: &mut RouteCounts, by: isize) {
        if let Some(r) = self.route {
            *slot(c, r) = slot(c, r).saturating_add_signed(by);
            c.total = c.total.saturating_add_signed(by);
        }
        if self.unclear {
            c.unclear = c.unclear.saturating_add_signed(by);
        }
    }
}

/// The count of route `r`.
fn slot(c: &mut RouteCounts, r: Route) -> &mut usize {
    match r {
        Route::Warehouse => &mut c.warehouse,
        Route::Supplier => &mut c.supplier,
        Route::SelfShip => &mut c.self_ship,
    }
}
