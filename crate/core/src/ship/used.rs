//! Tracking numbers already used on orders, per shop: the record the validation reads so a
//! number is never entered on a second order (SPEC.md: a reused number is 虚假发货), and the rule
//! that folds a fill run's shipped and filled numbers into it. One rule, whether the run is the
//! live one (validation while it works) or one being saved whole or replaced.

use super::plan::{FillRun, ItemStatus};
use serde::{Deserialize, Serialize};

/// Schema version of [`UsedRecord`].
pub const USED_VERSION: u32 = 1;

/// A number entered on an order by RedShip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsedEntry {
    /// The tracking number.
    pub number: String,
    /// The package it was entered on.
    pub package_id: String,
    /// True once the page confirmed the shipment (false: filled, left for the merchant).
    #[serde(default)]
    pub shipped: bool,
}

/// `ship/<shop>/used`: every number RedShip entered on an order of the shop.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsedRecord {
    /// Schema version.
    #[serde(default)]
    pub v: u32,
    /// Last change, epoch ms.
    #[serde(default)]
    pub updated_at_ms: i64,
    /// The numbers, oldest first.
    #[serde(default)]
    pub numbers: Vec<UsedEntry>,
}

/// The record with `run`'s shipped and filled numbers folded in (a filled number that has since
/// shipped is marked shipped), or `None` when the run adds nothing to it.
pub fn merge(record: Option<&UsedRecord>, run: &FillRun, now_ms: i64) -> Option<UsedRecord> {
    let mut numbers = record.map(|r| r.numbers.clone()).unwrap_or_default();
    let mut changed = false;
    for it in &run.items {
        let shipped = match it.status {
            ItemStatus::Shipped => true,
            ItemStatus::Filled => false,
            _ => continue,
        };
        match numbers.iter_mut().find(|u| u.package_id == it.package_id && u.number == it.number) {
            Some(u) if shipped && !u.shipped => {
                u.shipped = true;
                changed = true;
            }
            Some(_) => {}
            None => {
                numbers.push(UsedEntry { number: it.number.clone(), package_id: it.package_id.clone(), shipped });
                changed = true;
            }
        }
    }
    changed.then_some(UsedRecord { v: USED_VERSION, updated_at_ms: now_ms, numbers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ship::plan::{FillItem, FillMode, RunState, RUN_VERSION};

    fn run(items: &[(&str, &str, ItemStatus)]) -> FillRun {
        let mut r: FillRun = serde_json::from_value(serde_json::json!({
            "v": RUN_VERSION, "runId": "r1", "mode": "ship", "state": "running", "createdAt": 0, "updatedAt": 0, "items": []
        }))
        .expect("run");
        r.mode = FillMode::Ship;
        r.state = RunState::Running;
        r.items = items
            .iter()
            .enumerate()
            .map(|(i, (id, no, st))| {
                let mut it: FillItem = serde_json::from_value(serde_json::json!({
                    "packageId": id, "courierCode": "zto", "courierName": "中通快递", "number": no, "row": i + 1, "status": "pending", "updatedAt": 0
                }))
                .expect("item");
                it.status = *st;
                it
            })
            .collect();
        r
    }

    #[test]
    fn shipped_and_filled_numbers_are_folded_in_once() {
        let r = run(&[
            ("P1", "A1", ItemStatus::Shipped),
            ("P2", "A2", ItemStatus::Filled),
            ("P3", "A3", ItemStatus::Failed),
        ]);
        let rec = merge(None, &r, 5).expect("changed");
        let got: Vec<(&str, bool)> = rec.numbers.iter().map(|u| (u.number.as_str(), u.shipped)).collect();
        assert_eq!(got, vec![("A1", true), ("A2", false)]);
        assert_eq!(merge(Some(&rec), &r, 6), None, "nothing new: no rewrite");
        // The filled one shipped since: marked, not added again.
        let later = run(&[("P2", "A2", ItemStatus::Shipped)]);
        let rec2 = merge(Some(&rec), &later, 7).expect("changed");
        assert_eq!(rec2.numbers.len(), 2);
        assert!(rec2.numbers[1].shipped);
        // A shipped entry never goes back to filled.
        assert_eq!(merge(Some(&rec2), &run(&[("P2", "A2", ItemStatus::Filled)]), 8), None);
    }
}
