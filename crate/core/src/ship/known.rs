//! The orders tracking validation knows, from two sources: what the order list pages showed the
//! ship domain (`ship/<shop>/seen`, IDs and state only) and the orders domain's snapshot (pending
//! packages and recently closed ones). Where both know an order, the snapshot wins: it is kept
//! from every answer the page received, the seen record only from list pages.

use super::KnownOrder;
use crate::order::package::is_package_id;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most orders the seen record keeps; the longest unchanged go first.
pub const MAX_SEEN: usize = 5000;

/// An order as either source lists it (and as the seen record stores it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedOrder {
    /// Package ID.
    pub package_id: String,
    /// Waits to ship.
    #[serde(default)]
    pub waiting: bool,
    /// Listed, status unclear.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unclear: bool,
}

/// One row of a list page as the content script reports it: the package and the core's reading
/// of its state through the site profile (`waiting`, `shipped`, `cancelled` or `unclear`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedRow {
    /// Package ID, as reported (checked here).
    pub package_id: String,
    /// The row's state.
    #[serde(default)]
    pub state: String,
}

/// The seen record after a list page: `rows` taken into `old` (the record's entries, oldest
/// first), `unknown` being the package IDs the orders domain does not know (of the rows' and the
/// record's). The record keeps only orders the snapshot does not know, since the snapshot's word
/// wins anyway ([`merge`]) and in a big shop every listed order is known there: the record stays
/// small instead of being resealed whole at every page. An entry whose state changed moves to the
/// end; past [`MAX_SEEN`] the oldest go. `None` when the page changed nothing (nothing to write).
pub fn record_seen(old: &[ListedOrder], rows: &[ListedRow], unknown: &[String]) -> Option<Vec<ListedOrder>> {
    // Sorted and searched rather than hashed: a page's rows are at most a thousand, the record
    // rarely holds more than a few, and this runs in the module every worker start compiles.
    let mut unknown: Vec<&str> = unknown.iter().map(String::as_str).collect();
    crate::sort::sort(&mut unknown);
    let is_unknown = |id: &str| unknown.binary_search(&id).is_ok();
    let mut entries: Vec<Option<ListedOrder>> = old.iter().cloned().map(Some).collect();
    let mut changed = false;
    for row in rows.iter().filter(|r| is_package_id(&r.package_id)) {
        let held = entries.iter().position(|e| e.as_ref().is_some_and(|e| e.package_id == row.package_id));
        if !is_unknown(&row.package_id) {
            // The orders domain knows it, and its word wins: no entry here.
            if let Some(i) = held {
                entries[i] = None;
                changed = true;
            }
            continue;
        }
        let entry = ListedOrder {
            package_id: row.package_id.clone(),
            waiting: row.state == "waiting",
            unclear: row.state == "unclear",
        };
        if let Some(i) = held {
            if entries[i].as_ref() == Some(&entry) {
                continue; // unchanged: it keeps its place
            }
            entries[i] = None;
        }
        entries.push(Some(entry));
        changed = true;
    }
    if !changed {
        return None;
    }
    // Orders the orders domain has come to know since go too (the record is written whole anyway).
    let left: Vec<ListedOrder> = entries.into_iter().flatten().filter(|o| is_unknown(&o.package_id)).collect();
    let skip = left.len().saturating_sub(MAX_SEEN);
    Some(left.into_iter().skip(skip).collect())
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

    fn row(id: &str, state: &str) -> ListedRow {
        ListedRow { package_id: id.into(), state: state.into() }
    }

    fn ids(of: &[&str]) -> Vec<String> {
        of.iter().map(|s| s.to_string()).collect()
    }

    const A: &str = "P100000000000000001";
    const B: &str = "P100000000000000002";
    const C: &str = "P100000000000000003";

    #[test]
    fn the_seen_record_keeps_only_orders_the_snapshot_does_not_know() {
        let unknown = ids(&[A, C]);
        let got = record_seen(
            &[],
            &[row(A, "waiting"), row(B, "waiting"), row(C, "unclear"), row("P12", "waiting")],
            &unknown,
        );
        assert_eq!(got, Some(vec![o(A, true, false), o(C, false, true)]));
    }

    #[test]
    fn an_unchanged_page_writes_nothing_and_a_changed_state_moves_to_the_end() {
        let old = [o(A, true, false), o(B, true, false)];
        let unknown = ids(&[A, B]);
        assert_eq!(record_seen(&old, &[row(A, "waiting"), row(B, "waiting")], &unknown), None);
        let got = record_seen(&old, &[row(A, "shipped")], &unknown);
        assert_eq!(got, Some(vec![o(B, true, false), o(A, false, false)]));
    }

    #[test]
    fn an_order_the_snapshot_came_to_know_leaves_the_record() {
        let old = [o(A, true, false), o(B, true, false)];
        // A is reported and known now: it goes, and so does B, known too.
        let unknown = ids(&[C]);
        assert_eq!(record_seen(&old, &[row(A, "waiting")], &unknown), Some(vec![]));
        // B known now, but the page changes nothing: nothing is written yet.
        let unknown = ids(&[A, C]);
        assert_eq!(record_seen(&old, &[row(A, "waiting")], &unknown), None);
        // A new order is: B goes with that write; a row listed twice counts once.
        assert_eq!(
            record_seen(&old, &[row(C, "waiting"), row(C, "waiting")], &unknown),
            Some(vec![o(A, true, false), o(C, true, false)])
        );
    }

    #[test]
    fn the_record_keeps_the_latest_max_seen_orders() {
        let ids: Vec<String> = (0..MAX_SEEN + 3).map(|i| format!("P{:016}", i)).collect();
        let rows: Vec<ListedRow> = ids.iter().map(|id| row(id, "waiting")).collect();
        let got = record_seen(&[], &rows, &ids).unwrap_or_default();
        assert_eq!(got.len(), MAX_SEEN);
        assert_eq!(got[0].package_id, ids[3]);
        assert_eq!(got[MAX_SEEN - 1].package_id, ids[MAX_SEEN + 2]);
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
