//! What a live snapshot keeps beside its record ([`super::live`]), never stored: the entries each
//! change touched (the next change record is made of them) and the pending packages by paid time
//! (a list page's reconciling and the transit page's first rows read their window of it, not
//! every package), and each touched entry's state before the change (the live figures are
//! adjusted by those entries, not counted again over the shop). Every change to a snapshot's
//! packages, closed list or paid days goes through these helpers, or calls
//! [`TransitSnapshot::will_change`] before it changes an entry in place and marks it after.

use super::collect::TransitSnapshot;
use super::stored::{ClosedPackage, PackageId, StoredPackage};
use std::collections::{BTreeMap, BTreeSet};

/// An entry's state before the change that touched it (what the live figures counted).
#[derive(Debug, Clone)]
pub(crate) enum Prior {
    /// Neither pending nor closed.
    Absent,
    /// Pending, as it was.
    Pending(Box<StoredPackage>),
    /// Closed, as it was.
    Closed(ClosedPackage),
}

/// What a live snapshot keeps beside its record (`super::live`): never stored, and no part of
/// the record's content (two snapshots with the same packages are equal whatever it holds).
#[derive(Debug, Clone, Default)]
pub struct Bookkeeping {
    /// Package IDs whose entry (pending or closed) changed since the last change record.
    pub(crate) touched: BTreeSet<String>,
    /// `(day, package ID)` added to the paid days since the last change record.
    pub(crate) paid_added: Vec<(String, String)>,
    /// Paid days forgotten since the last change record.
    pub(crate) days_dropped: BTreeSet<String>,
    /// Pending packages by paid time, once built ([`TransitSnapshot::index_paid`]): a list
    /// page's reconciling then reads its own time window, not every package.
    pub(crate) by_paid: Option<BTreeSet<(i64, PackageId)>>,
    /// Entries changed since the live figures were last adjusted, as they were before; kept
    /// only by a live handle ([`TransitSnapshot::track_priors`]).
    pub(crate) priors: Option<BTreeMap<String, Prior>>,
}

impl PartialEq for Bookkeeping {
    fn eq(&self, _: &Self) -> bool {
        // Bookkeeping, not content: a snapshot equals another with the same record.
        true
    }
}

impl TransitSnapshot {
    /// Builds the paid-time index (once, when a live handle opens the snapshot); kept up to
    /// date by every change after.
    pub fn index_paid(&mut self) {
        // Inserted one by one, not collected: collecting compiles std's sort and bulk build for
        // this type, 2 KB of the main module (gzipped), for nodes about half as full.
        let mut index = BTreeSet::new();
        for p in self.packages.values() {
            if let Some(t) = p.paid_at_ms {
                index.insert((t, p.package_id.clone()));
            }
        }
        self.book.by_paid = Some(index);
    }

    /// Makes the paid days hold the pending packages' own ID blocks (a record read from JSON
    /// has a copy of each ID in each place): one block per package ID, however many hold it.
    pub fn share_ids(&mut self) {
        for ids in self.paid_days.values_mut() {
            // Inserted one by one, not collected: collecting would compile another copy of std's
            // sort for this type (`crate::sort`).
            for id in std::mem::take(ids) {
                ids.insert(self.packages.get_key_value(id.as_str()).map_or(id, |(k, _)| k.clone()));
            }
        }
    }

    /// Keeps, from now on, each changed entry's state before its change (see [`Prior`]).
    pub(crate) fn track_priors(&mut self) {
        self.book.priors = Some(BTreeMap::new());
    }

    /// Records entry `id`'s state before a change (the first since the priors were taken), when
    /// priors are kept. Call it before changing an entry in place.
    pub(crate) fn will_change(&mut self, id: &str) {
        let Some(priors) = self.book.priors.as_mut() else { return };
        if priors.contains_key(id) {
            return;
        }
        let prior = match (self.packages.get(id), self.closed.get(id)) {
            (Some(p), _) => Prior::Pending(p.clone()),
            (None, Some(c)) => Prior::Closed(*c),
            (None, None) => Prior::Absent,
        };
        priors.insert(id.to_string(), prior);
    }

    /// The priors recorded since the last call (and cleared).
    pub(crate) fn take_priors(&mut self) -> BTreeMap<String, Prior> {
        self.book.priors.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Pending package IDs paid strictly between `lo` and `hi`: from the index when built
    /// (O(window)), else by reading every package.
    pub(crate) fn paid_between(&self, lo: i64, hi: i64) -> Vec<String> {
        if lo >= hi {
            return Vec::new();
        }
        match &self.book.by_paid {
            Some(index) => index
                .range((lo.saturating_add(1), PackageId::default())..(hi, PackageId::default()))
                .map(|(_, id)| id.to_string())
                .collect(),
            None => self
                .packages
                .values()
                .filter(|p| p.paid_at_ms.is_some_and(|t| lo < t && t < hi))
                .map(|p| p.package_id.to_string())
                .collect(),
        }
    }

    /// The package ID `id` as held: the pending map's key when it holds `id` (its block
    /// shared), else a new one.
    pub(crate) fn id_of(&self, id: &str) -> PackageId {
        self.packages.get_key_value(id).map_or_else(|| PackageId::from(id), |(k, _)| k.clone())
    }

    /// Inserts or replaces a pending package (index and change set kept).
    pub(crate) fn put_package(&mut self, p: StoredPackage) {
        self.will_change(&p.package_id);
        let id = p.package_id.clone();
        let paid = p.paid_at_ms;
        let old = self.packages.insert(id.clone(), Box::new(p));
        self.unindex(old.as_deref());
        if let (Some(index), Some(t)) = (self.book.by_paid.as_mut(), paid) {
            index.insert((t, id.clone()));
        }
        self.book.touched.insert(id.to_string());
    }

    /// Moves package `id` in the paid-time index from `before` to `after`.
    pub(crate) fn reindex(&mut self, id: &str, before: Option<i64>, after: Option<i64>) {
        let key = self.id_of(id);
        if let Some(index) = self.book.by_paid.as_mut() {
            if let Some(t) = before {
                index.remove(&(t, key.clone()));
            }
            if let Some(t) = after {
                index.insert((t, key));
            }
        }
    }

    /// Removes a pending package (index and change set kept).
    pub(crate) fn take_package(&mut self, id: &str) -> Option<StoredPackage> {
        self.will_change(id);
        let old = self.packages.remove(id);
        if old.is_some() {
            self.book.touched.insert(id.to_string());
        }
        self.unindex(old.as_deref());
        old.map(|p| *p)
    }

    fn unindex(&mut self, old: Option<&StoredPackage>) {
        if let (Some(index), Some(o)) = (self.book.by_paid.as_mut(), old) {
            if let Some(t) = o.paid_at_ms {
                index.remove(&(t, o.package_id.clone()));
            }
        }
    }

    /// Inserts or replaces a closed entry (prior and change set kept).
    pub(crate) fn put_closed(&mut self, id: &str, c: ClosedPackage) {
        self.will_change(id);
        self.closed.insert(id.to_string(), c);
        self.book.touched.insert(id.to_string());
    }

    /// Removes a closed entry (prior and change set kept); returns whether there was one.
    pub(crate) fn take_closed(&mut self, id: &str) -> bool {
        self.will_change(id);
        let was = self.closed.remove(id).is_some();
        if was {
            self.book.touched.insert(id.to_string());
        }
        was
    }

    /// Records that package `id`'s entry (pending or closed) changed.
    pub(crate) fn touch(&mut self, id: &str) {
        self.book.touched.insert(id.to_string());
    }
}
