//! What a live snapshot keeps beside its record ([`super::live`]), never stored: the entries each
//! change touched (the next change record is made of them) and the pending packages by paid time
//! (a list page's reconciling and the transit page's first rows read their window of it, not
//! every package). Every change to a snapshot's packages, closed list or paid days goes through
//! these helpers or marks what it touched.

use super::collect::{StoredPackage, TransitSnapshot};
use std::collections::BTreeSet;

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
    pub(crate) by_paid: Option<BTreeSet<(i64, String)>>,
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
        let index = self.packages.values().filter_map(|p| Some((p.paid_at_ms?, p.package_id.clone()))).collect();
        self.book.by_paid = Some(index);
    }

    /// Pending package IDs paid strictly between `lo` and `hi`: from the index when built
    /// (O(window)), else by reading every package.
    pub(crate) fn paid_between(&self, lo: i64, hi: i64) -> Vec<String> {
        if lo >= hi {
            return Vec::new();
        }
        match &self.book.by_paid {
            Some(index) => index
                .range((lo.saturating_add(1), String::new())..(hi, String::new()))
                .map(|(_, id)| id.clone())
                .collect(),
            None => self
                .packages
                .values()
                .filter(|p| p.paid_at_ms.is_some_and(|t| lo < t && t < hi))
                .map(|p| p.package_id.clone())
                .collect(),
        }
    }

    /// Inserts or replaces a pending package (index and change set kept).
    pub(crate) fn put_package(&mut self, p: StoredPackage) {
        let id = p.package_id.clone();
        let paid = p.paid_at_ms;
        let old = self.packages.insert(id.clone(), p);
        self.unindex(old.as_ref());
        if let (Some(index), Some(t)) = (self.book.by_paid.as_mut(), paid) {
            index.insert((t, id.clone()));
        }
        self.book.touched.insert(id);
    }

    /// Moves package `id` in the paid-time index from `before` to `after`.
    pub(crate) fn reindex(&mut self, id: &str, before: Option<i64>, after: Option<i64>) {
        if let Some(index) = self.book.by_paid.as_mut() {
            if let Some(t) = before {
                index.remove(&(t, id.to_string()));
            }
            if let Some(t) = after {
                index.insert((t, id.to_string()));
            }
        }
    }

    /// Removes a pending package (index and change set kept).
    pub(crate) fn take_package(&mut self, id: &str) -> Option<StoredPackage> {
        let old = self.packages.remove(id);
        if old.is_some() {
            self.book.touched.insert(id.to_string());
        }
        self.unindex(old.as_ref());
        old
    }

    fn unindex(&mut self, old: Option<&StoredPackage>) {
        if let (Some(index), Some(o)) = (self.book.by_paid.as_mut(), old) {
            if let Some(t) = o.paid_at_ms {
                index.remove(&(t, o.package_id.clone()));
            }
        }
    }

    /// Records that package `id`'s entry (pending or closed) changed.
    pub(crate) fn touch(&mut self, id: &str) {
        self.book.touched.insert(id.to_string());
    }
}
