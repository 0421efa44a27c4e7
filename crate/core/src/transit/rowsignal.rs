//! The third "waiting to ship" signal: whether the order's row on the workbench list shows a 发货
//! control. The code and the text come with the page's answers (`order::profile`); the row is a
//! DOM fact the list's content script reports (package ID and "has a 发货 control", nothing
//! else). When the row disagrees with what the answers say, the order is "status unclear":
//! never shipped by a run, shown apart on the transit page, refused by the import, counted by
//! the self-check.
//!
//! The rule ([`combine`]):
//! - the answers call it waiting, its row has no 发货 control at all → unclear
//!   ([`StoredPackage::no_ship_button`]);
//! - the answers call it shipped or cancelled, its row still offers 发货 → unclear
//!   (`ClosedPackage::ship_button`: only its ID is kept, so the transit page counts it but has
//!   no row to show);
//! - anything else agrees. A row seen later that agrees again clears the fact; so does the order
//!   leaving the pending list. A new answer about the order does not: the row is drawn from the
//!   answer, so only the row can say it changed its mind.
//!
//! The filler meets the same fact when it comes to press an order's 发货 and there is none:
//! [`fill_skip`] says how the run reports that.

use super::collect::{StoredPackage, TransitSnapshot};
use crate::order::package::is_package_id;
use serde::{Deserialize, Serialize};

/// Why a listed package's status is unclear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UnclearWhy {
    /// Its status code and text disagree, or neither is known.
    Status,
    /// The answers call it waiting, but its row on the list has no 发货 button.
    NoShipButton,
}

impl StoredPackage {
    /// Listed, but not known to wait: never shipped by a run, out of default exports.
    pub fn is_unclear(&self) -> bool {
        self.unclear || self.no_ship_button
    }

    /// Why [`Self::is_unclear`], when it is (the code and text first: that one the row cannot fix).
    pub fn unclear_why(&self) -> Option<UnclearWhy> {
        if self.unclear {
            Some(UnclearWhy::Status)
        } else if self.no_ship_button {
            Some(UnclearWhy::NoShipButton)
        } else {
            None
        }
    }
}

/// What the answers say of a package, as the snapshot holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Known {
    /// Pending, its code and text saying it waits.
    Waiting,
    /// Pending, its code and text unclear.
    StatusUnclear,
    /// Seen shipped or cancelled (or gone from the list).
    Closed,
    /// Never seen in an answer.
    Unknown,
}

/// The three signals together, for one package: does the row's 发货 control agree with the
/// answers? `Some(true)`: the row makes it unclear; `Some(false)`: the row agrees; `None`: the
/// row says nothing the answers do not (status already unclear, or never seen).
pub fn combine(known: Known, ship_control: bool) -> Option<bool> {
    match known {
        Known::Waiting | Known::Closed => Some(ship_control != (known == Known::Waiting)),
        Known::StatusUnclear | Known::Unknown => None,
    }
}

/// What the snapshot says of `package_id`.
pub fn known(snap: &TransitSnapshot, package_id: &str) -> Known {
    match (snap.packages.get(package_id), snap.closed.contains_key(package_id)) {
        (Some(p), _) if p.unclear => Known::StatusUnclear,
        (Some(_), _) => Known::Waiting,
        (None, true) => Known::Closed,
        (None, false) => Known::Unknown,
    }
}

/// One row the list showed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowSeen {
    /// The package ID the row shows (rows showing several are not reported).
    pub package_id: String,
    /// The row has a 发货 control (enabled or not).
    pub ship_control: bool,
}

/// What [`apply_rows`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowsView {
    /// Packages the rows made unclear now.
    pub marked: usize,
    /// Packages whose row agrees again (their row fact cleared).
    pub cleared: usize,
    /// Rows ignored: no valid package ID, or a package the answers never showed.
    pub ignored: usize,
    /// Whether the snapshot changed (save it only then).
    pub changed: bool,
}

/// Applies the rows the list showed to the shop's snapshot (see the module's rule).
pub fn apply_rows(snap: &mut TransitSnapshot, rows: &[RowSeen], now_ms: i64) -> RowsView {
    let mut v = RowsView::default();
    for r in rows {
        let id = r.package_id.trim();
        let verdict = if is_package_id(id) { combine(known(snap, id), r.ship_control) } else { None };
        let Some(unclear) = verdict else {
            v.ignored += 1;
            continue;
        };
        let flag = match (snap.packages.get(id), snap.closed.get(id)) {
            (Some(p), _) => p.no_ship_button,
            (None, Some(c)) => c.ship_button,
            (None, None) => continue,
        };
        if flag == unclear {
            continue;
        }
        snap.will_change(id);
        if let Some(p) = snap.packages.get_mut(id) {
            p.no_ship_button = unclear;
        } else if let Some(c) = snap.closed.get_mut(id) {
            c.ship_button = unclear;
        }
        if unclear {
            v.marked += 1;
        } else {
            v.cleared += 1;
        }
        snap.touch(id);
    }
    v.changed = v.marked + v.cleared > 0;
    if v.changed {
        snap.updated_at_ms = now_ms;
    }
    v
}

/// Packages whose row disagrees with the answers now: pending ones without 发货, and closed ones
/// whose row still offers it.
pub fn row_unclear(snap: &TransitSnapshot) -> usize {
    let pending = snap.packages.values().filter(|p| p.no_ship_button && !p.unclear).count();
    pending + snap.closed.values().filter(|c| c.ship_button).count()
}

/// How a fill run reports an order whose row had no 发货 control when the filler came to it:
/// `(reason, message)` of the skip. An order the answers called closed has simply shipped (or
/// been cancelled) since the import; any other was in the run because it was thought waiting,
/// so its row contradicts that: status unclear.
pub fn fill_skip(known: Known) -> (&'static str, &'static str) {
    if known == Known::Closed {
        ("not-waiting", "该订单没有「发货」按钮：已发货或已取消（no 发货 button: shipped or cancelled）")
    } else {
        (
            "status-unclear",
            "状态不明：列表中它是待发货，但这一行没有「发货」按钮；未发货，请在工作台核对（status unclear: listed as waiting, but its row has no 发货 button; not shipped, check it on the workbench）",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::profile::shipped;
    use crate::transit::collect::{ingest, known_orders, IngestRequest};
    use crate::transit::fixtures::{id, page, pkg, HOUR, NOW};
    use crate::transit::routes::route_counts;
    use serde_json::Value;

    fn feed(snap: Option<TransitSnapshot>, answer: Value) -> TransitSnapshot {
        ingest(snap, &IngestRequest { shop_id: "shop1".into(), answer }, &shipped(), NOW).expect("ingest").0
    }

    fn row(n: u32, ship_control: bool) -> RowSeen {
        RowSeen { package_id: id(n), ship_control }
    }

    fn listed() -> TransitSnapshot {
        // 1, 2 wait; 3's code and text disagree; 4 shipped; 5 cancelled.
        let mut odd = pkg(3, 2, NOW - HOUR, "S");
        odd["statusDesc"] = "已发货".into();
        feed(
            None,
            page(vec![
                pkg(1, 2, NOW - HOUR, "S"),
                pkg(2, 2, NOW - HOUR, "S"),
                odd,
                pkg(4, 6, NOW - HOUR, "S"),
                pkg(5, 998, NOW - HOUR, "S"),
            ]),
        )
    }

    #[test]
    fn the_rule_for_each_known_state() {
        assert_eq!(combine(Known::Waiting, false), Some(true));
        assert_eq!(combine(Known::Waiting, true), Some(false));
        assert_eq!(combine(Known::Closed, true), Some(true));
        assert_eq!(combine(Known::Closed, false), Some(false));
        for ship in [true, false] {
            assert_eq!(combine(Known::StatusUnclear, ship), None);
            assert_eq!(combine(Known::Unknown, ship), None);
        }
    }

    #[test]
    fn a_waiting_order_without_its_button_is_unclear_until_its_row_shows_one_again() {
        let mut s = listed();
        let v = apply_rows(&mut s, &[row(1, false), row(2, true), row(4, false), row(5, false)], NOW + 1);
        assert_eq!((v.marked, v.cleared, v.changed), (1, 0, true));
        let p = &s.packages[id(1).as_str()];
        assert!(p.is_unclear() && !p.unclear);
        assert_eq!(p.unclear_why(), Some(UnclearWhy::NoShipButton));
        assert!(!s.packages[id(2).as_str()].is_unclear());
        assert_eq!(s.updated_at_ms, NOW + 1);
        // Never shipped by a run: validation sees it unclear, not waiting; exports and the
        // planner leave it out; the transit counts and the self-check count it.
        let k = known_orders(&s).into_iter().find(|k| k.package_id == id(1)).expect("known");
        assert!(!k.waiting && k.unclear);
        let c = route_counts(&s, None);
        assert_eq!((c.unclear, c.total), (2, 1));
        assert_eq!(row_unclear(&s), 1);
        // The same rows again change nothing (no rewrite of the record).
        let again = apply_rows(&mut s, &[row(1, false)], NOW + 2);
        assert!(!again.changed);
        assert_eq!(s.updated_at_ms, NOW + 1);
        // A new answer still calling it waiting does not clear it: only the row can.
        let mut s = feed(Some(s), page(vec![pkg(1, 2, NOW - HOUR, "S")]));
        assert!(s.packages[id(1).as_str()].no_ship_button);
        let v = apply_rows(&mut s, &[row(1, true)], NOW + 3);
        assert_eq!((v.marked, v.cleared), (0, 1));
        assert!(!s.packages[id(1).as_str()].is_unclear());
        assert_eq!(row_unclear(&s), 0);
    }

    #[test]
    fn the_flag_goes_with_the_order_when_it_leaves_the_list() {
        let mut s = listed();
        apply_rows(&mut s, &[row(1, false)], NOW);
        let s = feed(Some(s), page(vec![pkg(1, 6, NOW - HOUR, "S")]));
        assert!(!s.packages.contains_key(id(1).as_str()));
        assert_eq!(row_unclear(&s), 0);
    }

    #[test]
    fn a_closed_order_whose_row_offers_ship_is_unclear_too() {
        let mut s = listed();
        let v = apply_rows(&mut s, &[row(4, true)], NOW);
        assert_eq!(v.marked, 1);
        let k = known_orders(&s).into_iter().find(|k| k.package_id == id(4)).expect("known");
        assert!(!k.waiting && k.unclear);
        assert_eq!(row_unclear(&s), 1);
        // Seen closed again (a re-stamp): the row's fact stays until the row says otherwise.
        let mut s = feed(Some(s), page(vec![pkg(4, 7, NOW - HOUR, "S")]));
        assert!(s.closed[&id(4)].ship_button);
        apply_rows(&mut s, &[row(4, false)], NOW);
        assert!(!s.closed[&id(4)].ship_button);
        assert_eq!(row_unclear(&s), 0);
    }

    #[test]
    fn status_unclear_unknown_and_odd_rows_are_ignored() {
        let mut s = listed();
        let odd = RowSeen { package_id: "not an id".into(), ship_control: false };
        let v = apply_rows(&mut s, &[row(3, false), row(3, true), row(99, false), odd], NOW);
        assert_eq!((v.ignored, v.changed), (4, false));
        assert_eq!(s.packages[id(3).as_str()].unclear_why(), Some(UnclearWhy::Status));
        assert!(!s.packages[id(3).as_str()].no_ship_button);
    }

    #[test]
    fn the_filler_reports_a_missing_button_as_unclear_unless_the_order_closed() {
        let s = listed();
        assert_eq!(fill_skip(known(&s, &id(1))).0, "status-unclear");
        assert!(fill_skip(known(&s, &id(1))).1.contains("status unclear"));
        assert_eq!(fill_skip(known(&s, &id(3))).0, "status-unclear");
        assert_eq!(fill_skip(known(&s, &id(99))).0, "status-unclear");
        assert_eq!(fill_skip(known(&s, &id(4))).0, "not-waiting");
    }
}
