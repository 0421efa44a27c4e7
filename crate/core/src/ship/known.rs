//! The orders tracking validation knows, from two sources: what the order list pages showed the
//! ship domain (`ship/<shop>/seen`, IDs and state only) and the orders domain's snapshot (pending
//! packages and recently closed ones). Where both know an order, the snapshot wins: it is kept
//! from every answer the page received, the seen record only from list pages.

use super::KnownOrder;
use serde::Deserialize;
use std::collections::HashMap;

/// An order as either source lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedOrder {
    /// Package ID.
    pub package_id: String,
    /// Waits to ship.
    #[serde(default)]
    pub waiting: bool,
    /// Listed, status unclear.
    #[serde(default)]
    pub unclear: bool,
}

/// The two sources merged, one entry per package, the snapshot's word winning.
pub fn merge(seen: &[ListedOrder], snapshot: &[ListedOrder]) -> Vec<KnownOrder> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(seen.len() + snapshot.len());
    let mut out: Vec<KnownOrder> = Vec::with_capacity(seen.len() + snapshot.len());
    for o in seen.iter().chain(snapshot) {
        let k = KnownOrder { package_id: o.package_id.clone(), waiting: o.waiting, unclear: !o.waiting && o.unclear };
        match by_id.get(o.package_id.as_str()) {
            Some(&i) => out[i] = k,
            None => {
                by_id.insert(&o.package_id, out.len());
                out.push(k);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(id: &str, waiting: bool, unclear: bool) -> ListedOrder {
        ListedOrder { package_id: id.into(), waiting, unclear }
    }

    #[test]
    fn the_snapshot_wins_where_both_know_an_order() {
        let seen = [o("P1", true, false), o("P2", true, false), o("P3", false, true)];
        let snap = [o("P2", false, false), o("P4", false, true)];
        let got: Vec<(String, bool, bool)> =
            merge(&seen, &snap).into_iter().map(|k| (k.package_id, k.waiting, k.unclear)).collect();
        assert_eq!(
            got,
            vec![
                ("P1".into(), true, false),
                ("P2".into(), false, false),
                ("P3".into(), false, true),
                ("P4".into(), false, true)
            ]
        );
    }
}
