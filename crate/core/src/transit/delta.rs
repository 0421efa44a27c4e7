//! A change record of a shop's live snapshot ([`super::live`]): the entries changed since the
//! record before, as they are now, and how one is taken from the snapshot's marks and applied
//! back to a snapshot on opening. The worker stores each beside the base record, numbered
//! without gaps, until a compaction folds them in.

use super::collect::TransitSnapshot;
use super::stored::{ClosedPackage, Packages};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A change record: the entries changed since the previous one, as they are now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotDelta {
    /// Schema version (the snapshot's).
    pub v: u32,
    /// The shop.
    pub shop_id: String,
    /// Its place after the base (base's `seq` + 1, + 2 …).
    pub seq: u64,
    /// Pending packages changed or added, whole.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "super::stored::read_packages")]
    pub packages: Packages,
    /// Closed packages changed or added.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub closed: BTreeMap<String, ClosedPackage>,
    /// Packages neither pending nor remembered closed any more.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forget: Vec<String>,
    /// `(day, package ID)` added to the paid days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid: Vec<(String, String)>,
    /// Paid days forgotten.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_dropped: Vec<String>,
    /// The snapshot's last change, epoch ms.
    pub updated_at_ms: i64,
}

impl SnapshotDelta {
    /// Entries it holds (what the compaction bound counts).
    pub fn rows(&self) -> usize {
        self.packages.len() + self.closed.len() + self.forget.len() + self.paid.len() + self.days_dropped.len()
    }

    /// The package IDs of its entries (not of the days dropped).
    pub(super) fn ids(&self) -> impl Iterator<Item = &str> {
        let ids = self.packages.keys().map(|k| k.as_str()).chain(self.closed.keys().map(String::as_str));
        ids.chain(self.forget.iter().map(String::as_str)).chain(self.paid.iter().map(|(_, id)| id.as_str()))
    }

    /// Applies it to `snap`: the entries it names for which `newer` holds take the state it holds.
    pub(super) fn apply_where(self, snap: &mut TransitSnapshot, newer: &dyn Fn(&str) -> bool) {
        for (id, p) in self.packages {
            if newer(&id) {
                snap.closed.remove(id.as_str());
                snap.packages.insert(id, p);
            }
        }
        for (id, c) in self.closed {
            if newer(&id) {
                snap.packages.remove(id.as_str());
                snap.closed.insert(id, c);
            }
        }
        for id in self.forget.iter().filter(|id| newer(id)) {
            snap.packages.remove(id.as_str());
            snap.closed.remove(id);
        }
        for (day, id) in self.paid {
            if newer(&id) {
                let id = snap.id_of(&id);
                snap.paid_days.entry(day).or_default().insert(id);
            }
        }
        for day in self.days_dropped {
            if let Some(ids) = snap.paid_days.get_mut(&day) {
                ids.retain(|id| !newer(id));
                if ids.is_empty() {
                    snap.paid_days.remove(&day);
                }
            }
        }
        snap.updated_at_ms = snap.updated_at_ms.max(self.updated_at_ms);
        snap.seq = snap.seq.max(self.seq);
    }
}

/// The change record of what `snap` marked since the last one (and the marks cleared).
pub(super) fn take_delta(snap: &mut TransitSnapshot, seq: u64) -> SnapshotDelta {
    let touched = std::mem::take(&mut snap.book.touched);
    let mut delta = SnapshotDelta {
        v: snap.v,
        shop_id: snap.shop_id.clone(),
        seq,
        packages: Packages::new(),
        closed: BTreeMap::new(),
        forget: Vec::new(),
        paid: std::mem::take(&mut snap.book.paid_added),
        days_dropped: std::mem::take(&mut snap.book.days_dropped).into_iter().collect(),
        updated_at_ms: snap.updated_at_ms,
    };
    for id in touched {
        if let Some((key, p)) = snap.packages.get_key_value(id.as_str()) {
            delta.packages.insert(key.clone(), p.clone());
        } else if let Some(c) = snap.closed.get(&id) {
            delta.closed.insert(id, *c);
        } else {
            delta.forget.push(id);
        }
    }
    delta
}
