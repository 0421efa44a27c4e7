//! The shop's tally: the figures other domains read of its orders (paid orders per China day,
//! pending orders per route), stored beside the snapshot in the same store write as every
//! change, so a worker start need not open the whole snapshot to answer the popup: opening a
//! shop's records deciphers and parses every shard (about 0.4 s at 10,000 pending, measured
//! 2026-12-07), and the quota dashboard needs only these few numbers.
//!
//! The tally is always the figures of what is stored: it is written in the store write that
//! stores the change (with the change record, or with the routes record alone, or with the
//! write that completes a first base: the core hands it in that write), never ahead of it;
//! opening a shop with no base stored names it stale ([`super::live::OpenView::no_base`]).
//! While a handle is open its own figures are read instead.
//! Its paid days are every day the snapshot keeps: the quota's rules window them themselves.

use super::collect::{PaidDay, TransitSnapshot};
use super::routes::RouteCounts;
use serde::Serialize;

/// The stored tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct Tally {
    /// Paid orders per China day the snapshot keeps, oldest first.
    pub paid_by_day: Vec<PaidDay>,
    /// Pending packages via the transit warehouse.
    pub warehouse: usize,
    /// Pending packages shipped by the supplier.
    pub supplier: usize,
}

impl Tally {
    /// The tally of `snap` with route counts `counts`.
    pub fn of(snap: &TransitSnapshot, counts: &RouteCounts) -> Tally {
        Tally {
            paid_by_day: snap
                .paid_days
                .iter()
                .map(|(day, ids)| PaidDay { day: day.clone(), paid_orders: ids.len() })
                .collect(),
            warehouse: counts.warehouse,
            supplier: counts.supplier,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transit::collect::{paid_by_day, TransitSnapshot};

    #[test]
    fn holds_every_paid_day_kept_and_the_route_counts() {
        let now = 1_795_233_600_000; // 2026-11-21 08:00 China time
        let mut snap = TransitSnapshot::new("小店");
        for (day, n) in [("2026-11-10", 4), ("2026-11-14", 2), ("2026-11-21", 3)] {
            let ids = (0..n).map(|i| snap.id_of(&format!("P{day}{i}"))).collect();
            snap.paid_days.insert(day.to_string(), ids);
        }
        let counts = RouteCounts { warehouse: 5, supplier: 2, ..RouteCounts::default() };
        let tally = Tally::of(&snap, &counts);
        assert_eq!(tally.paid_by_day.len(), 3, "the quota's rules window the days");
        assert_eq!(tally.paid_by_day[1..], paid_by_day(&snap, now)[..], "the days the handle reports");
        assert_eq!((tally.warehouse, tally.supplier), (5, 2));
        let text = serde_json::to_string(&tally).expect("writes");
        assert_eq!(serde_json::from_str::<Tally>(&text).expect("reads"), tally);
    }
}
