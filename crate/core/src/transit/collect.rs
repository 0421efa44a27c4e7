//! Collecting: merges the list/detail answers the page receives into one snapshot per shop.
//!
//! Every pending (待发货) package seen is kept once, across pages and days; a package seen
//! shipped or cancelled leaves the list (and is remembered briefly as "closed" so tracking
//! validation can tell "already shipped" from "never seen"); so does one a list page proves
//! gone (see `reconcile`). Buyer fields are masked on the
//! way in, so plaintext from a decrypt on the page never reaches storage.

pub use super::known::{known_orders, known_orders_of, KnownOrder};
pub use super::stored::{ClosedPackage, Edits, PackageEdits, PackageId, Packages, StoredPackage, StoredSku};
use crate::chinaday::{ChinaDay, DAY_MS};
use crate::order::facts::{gather, AnswerFacts};
use crate::order::mask::{mask_buyer, MaskedBuyer};
use crate::order::package::{parse_answer, raw_id, Package};
use crate::order::{OrderError, ShipState, SiteProfile};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Schema version of [`TransitSnapshot`].
pub const SNAPSHOT_VERSION: u32 = 1;
/// Paid-order days kept for the quota tier (today and the 7 before).
const PAID_DAYS_KEPT: i64 = 8;
/// How long a shipped/cancelled package is remembered.
const CLOSED_KEPT_MS: i64 = 7 * DAY_MS;
/// At most this many closed packages are remembered (keeps the record small).
const CLOSED_MAX: usize = 2000;
/// A closed package seen closed again is re-stamped (which alone rewrites the snapshot) at most
/// this often: paging through the shipped tab must not rewrite the whole record on every page.
const CLOSED_RESTAMP_MS: i64 = 3_600_000;

/// The per-shop record: pending packages, recently closed ones, paid orders per China day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitSnapshot {
    /// Schema version.
    pub v: u32,
    /// The shop this is about.
    pub shop_id: String,
    /// Pending packages by package ID.
    #[serde(deserialize_with = "super::stored::read_packages")]
    pub packages: Packages,
    /// Recently closed packages by package ID.
    #[serde(default)]
    pub closed: BTreeMap<String, ClosedPackage>,
    /// Package IDs paid per China day (`YYYY-MM-DD`), last 8 days.
    #[serde(default)]
    pub paid_days: BTreeMap<String, BTreeSet<PackageId>>,
    /// Last change, epoch ms.
    pub updated_at_ms: i64,
    /// The last change record folded into this one (`super::live`); 0 for a record written
    /// whole (as 0.2.0 wrote every snapshot).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    /// What changed since the last change record was taken, and the paid-time index: kept
    /// beside the record by a live handle, never stored.
    #[serde(skip)]
    pub(crate) book: super::marks::Bookkeeping,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl TransitSnapshot {
    /// An empty snapshot for `shop_id`.
    pub fn new(shop_id: &str) -> Self {
        TransitSnapshot {
            v: SNAPSHOT_VERSION,
            shop_id: shop_id.to_string(),
            packages: Packages::new(),
            closed: BTreeMap::new(),
            paid_days: BTreeMap::new(),
            updated_at_ms: 0,
            seq: 0,
            book: super::marks::Bookkeeping::default(),
        }
    }

    /// Checks version and shop; a mismatch is refused rather than silently mixed.
    pub fn check(&self, shop_id: &str) -> Result<(), OrderError> {
        if self.v != SNAPSHOT_VERSION {
            return Err(bad("snapshot.v", format!("不支持的版本 {}", self.v)));
        }
        if self.shop_id != shop_id {
            return Err(bad("shopId", format!("快照属于店铺 {}，请求是店铺 {shop_id}", self.shop_id)));
        }
        Ok(())
    }
}

fn bad(field: &'static str, reason: String) -> OrderError {
    OrderError::BadRequest { field, reason }
}

/// `TransitLive.ingest` request: one answer the page received.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestRequest {
    /// The shop the page is logged into.
    pub shop_id: String,
    /// The answer JSON (`{code, success, msg, data}` or just `data`).
    pub answer: Value,
}

/// A package that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedView {
    /// 1-based position in the answer.
    pub index: usize,
    /// Its package ID if readable.
    pub package_id: Option<String>,
    /// Why.
    pub reason: String,
}

/// What one ingest did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestView {
    /// Packages read.
    pub accepted: usize,
    /// New pending packages.
    pub added: usize,
    /// Pending packages already known, refreshed.
    pub updated: usize,
    /// Packages that left the pending list (shipped, cancelled …).
    pub removed: usize,
    /// Packages that could not be read.
    pub rejected: Vec<RejectedView>,
    /// What the answer showed, for the self-check (counts, missing fields, statuses, shape).
    pub facts: AnswerFacts,
    /// Pending packages now held.
    pub pending: usize,
    /// Whether the snapshot differs from the one passed in: save it only then (an unchanged
    /// list page, seen again, costs no write of the whole record).
    pub changed: bool,
}

/// Merges one answer into the shop's snapshot (`None` = first time), reading its packages
/// through `profile`. Returns the new snapshot and what changed. A refused or unreadable answer
/// changes nothing.
pub fn ingest(
    snapshot: Option<TransitSnapshot>,
    req: &IngestRequest,
    profile: &SiteProfile,
    now_ms: i64,
) -> Result<(TransitSnapshot, IngestView), OrderError> {
    let shop = req.shop_id.trim();
    let mut snap = snapshot.unwrap_or_else(|| TransitSnapshot::new(shop));
    let view = ingest_into(&mut snap, req, profile, now_ms)?;
    Ok((snap, view))
}

/// [`ingest`] into a snapshot held in place (a live handle's): the work is the answer's size,
/// not the shop's (reconciling reads the page's paid-time window through the index). An error
/// leaves the snapshot as it was.
pub fn ingest_into(
    snap: &mut TransitSnapshot,
    req: &IngestRequest,
    profile: &SiteProfile,
    now_ms: i64,
) -> Result<IngestView, OrderError> {
    let shop = req.shop_id.trim();
    if shop.is_empty() {
        return Err(bad("shopId", "为空".into()));
    }
    snap.check(shop)?;
    let (packages, rejected) = parse_answer(&req.answer, profile)?;
    let rejected_count = rejected.len();
    let mut view = IngestView {
        accepted: packages.len(),
        added: 0,
        updated: 0,
        removed: 0,
        rejected: rejected
            .into_iter()
            .map(|r| RejectedView { index: r.index, package_id: r.package_id, reason: r.reason })
            .collect(),
        facts: gather(&packages, rejected_count, first_raw(&req.answer)),
        pending: 0,
        changed: false,
    };
    let mut changed = false;
    for p in &packages {
        changed |= merge(snap, p, now_ms, &mut view);
    }
    let paid: Vec<(String, i64)> =
        packages.iter().filter_map(|p| Some((p.package_id.clone(), p.paid_at_ms?))).collect();
    // Every ID the answer mentions, readable or not, stays.
    let present: BTreeSet<&str> = req
        .answer
        .get("packages")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|p| raw_id(p, profile)).collect())
        .unwrap_or_default();
    let removed = view.removed;
    super::reconcile::reconcile_page(snap, &req.answer, &present, &paid, now_ms, &mut view);
    changed |= view.removed != removed;
    changed |= prune(snap, now_ms);
    if changed {
        snap.updated_at_ms = now_ms;
    }
    view.changed = changed;
    view.pending = snap.packages.len();
    Ok(view)
}

/// The answer's first package as it came (list or detail form).
fn first_raw(answer: &Value) -> Option<&Value> {
    let data = answer.get("data").unwrap_or(answer);
    match data.get("packages") {
        Some(Value::Array(a)) => a.first(),
        Some(_) => None,
        None => data.is_object().then_some(data),
    }
}

/// Merges one package; returns whether the snapshot changed.
fn merge(snap: &mut TransitSnapshot, p: &Package, now_ms: i64, view: &mut IngestView) -> bool {
    let mut changed = false;
    let id = snap.id_of(&p.package_id);
    if let Some(paid) = p.paid_at_ms {
        let day = ChinaDay::from_ms(paid).iso();
        if snap.paid_days.entry(day.clone()).or_default().insert(id.clone()) {
            snap.book.paid_added.push((day, p.package_id.clone()));
            changed = true;
        }
    }
    if matches!(p.state, ShipState::Shipped | ShipState::Cancelled) {
        if snap.take_package(&p.package_id).is_some() {
            view.removed += 1;
            changed = true;
        }
        let stamp = ClosedPackage {
            status: p.status_code.unwrap_or(super::reconcile::GONE),
            at_ms: now_ms,
            ship_button: false,
        };
        match snap.closed.get(&p.package_id).copied() {
            Some(c) if c.status == stamp.status && now_ms - c.at_ms < CLOSED_RESTAMP_MS => {}
            Some(c) => {
                // The row's fact stays: the row is drawn from answers like this one.
                snap.put_closed(&p.package_id, ClosedPackage { ship_button: c.ship_button, ..stamp });
                changed = true;
            }
            None => {
                snap.put_closed(&p.package_id, stamp);
                changed = true;
            }
        }
        return changed;
    }
    if snap.take_closed(&p.package_id) {
        changed = true;
    }
    let buyer = mask_buyer(&p.user_info);
    let skus: Vec<StoredSku> = p
        .skus
        .iter()
        .map(|s| StoredSku {
            sku_id: s.sku_id.as_str().into(),
            name: s.name.as_str().into(),
            spec: s.spec.as_str().into(),
            quantity: s.quantity,
        })
        .collect();
    snap.will_change(&p.package_id);
    match snap.packages.get_mut(p.package_id.as_str()) {
        Some(old) => {
            view.updated += 1;
            let before = old.clone();
            set(&mut old.order_id, &p.order_id);
            // A detail answer may lack the time: keep what we had then.
            old.paid_at_ms = p.paid_at_ms.or(old.paid_at_ms);
            old.status = p.status_code;
            set(&mut old.status_desc, &p.status_desc);
            old.unclear = p.state == ShipState::Unclear;
            set(&mut old.after_sale_status_desc, &p.after_sale_status_desc);
            // A detail answer may lack lines or the remark: keep what we had then.
            if !skus.is_empty() {
                old.skus = skus;
            }
            merge_buyer(&mut old.buyer, buyer);
            let (paid_before, paid_after) = (before.paid_at_ms, old.paid_at_ms);
            if *old != before {
                snap.reindex(&p.package_id, paid_before, paid_after);
                snap.touch(&p.package_id);
                changed = true;
            }
        }
        None => {
            view.added += 1;
            snap.put_package(StoredPackage {
                package_id: id,
                order_id: p.order_id.as_str().into(),
                paid_at_ms: p.paid_at_ms,
                status: p.status_code,
                status_desc: p.status_desc.as_str().into(),
                unclear: p.state == ShipState::Unclear,
                no_ship_button: false,
                after_sale_status_desc: p.after_sale_status_desc.as_str().into(),
                buyer,
                skus,
                first_seen_ms: now_ms,
                edits: Edits::default(),
            });
            changed = true;
        }
    }
    changed
}

fn merge_buyer(old: &mut MaskedBuyer, new: MaskedBuyer) {
    keep_known(&mut old.receiver, new.receiver);
    keep_known(&mut old.phone, new.phone);
    keep_known(&mut old.address, new.address);
    keep_known(&mut old.remark, new.remark);
}

/// `new` replaces `old` unless it is empty (a detail answer may lack the field).
fn keep_known<T: std::ops::Deref<Target = str>>(old: &mut T, new: T) {
    if !new.is_empty() {
        *old = new;
    }
}

/// `to` becomes `from` (its block is kept when the text is the same).
fn set<T: for<'a> From<&'a str> + PartialEq<str>>(to: &mut T, from: &str) {
    if *to != *from {
        *to = T::from(from);
    }
}

/// Forgets paid days and closed packages past keeping; returns whether any went. Reads the
/// closed list (at most [`CLOSED_MAX`] entries) and the paid days (a week's), never the pending
/// packages: its cost does not grow with the shop.
fn prune(snap: &mut TransitSnapshot, now_ms: i64) -> bool {
    let oldest = ChinaDay::from_ms(now_ms).plus(-(PAID_DAYS_KEPT - 1)).iso();
    let old_days: Vec<String> = snap.paid_days.range(..oldest).map(|(d, _)| d.clone()).collect();
    let mut gone: Vec<String> =
        snap.closed.iter().filter(|(_, c)| now_ms - c.at_ms > CLOSED_KEPT_MS).map(|(k, _)| k.clone()).collect();
    let left = snap.closed.len() - gone.len();
    if left > CLOSED_MAX {
        let mut by_age: Vec<(i64, String)> = snap
            .closed
            .iter()
            .filter(|(_, c)| now_ms - c.at_ms <= CLOSED_KEPT_MS)
            .map(|(k, c)| (c.at_ms, k.clone()))
            .collect();
        crate::sort::sort(&mut by_age);
        gone.extend(by_age.into_iter().take(left - CLOSED_MAX).map(|(_, k)| k));
    }
    let changed = !old_days.is_empty() || !gone.is_empty();
    for day in old_days {
        snap.paid_days.remove(&day);
        snap.book.days_dropped.insert(day);
    }
    for k in gone {
        snap.take_closed(&k);
    }
    changed
}

/// Paid orders on one China day (for the quota tier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct PaidDay {
    /// `YYYY-MM-DD`, China time.
    pub day: String,
    /// Distinct packages paid that day that RedShip has seen.
    pub paid_orders: usize,
}

/// Paid-order counts per China day, oldest first, last 8 days relative to `now_ms`.
pub fn paid_by_day(snap: &TransitSnapshot, now_ms: i64) -> Vec<PaidDay> {
    let oldest = ChinaDay::from_ms(now_ms).plus(-(PAID_DAYS_KEPT - 1)).iso();
    snap.paid_days
        .iter()
        .filter(|(d, _)| **d >= oldest)
        .map(|(d, ids)| PaidDay { day: d.clone(), paid_orders: ids.len() })
        .collect()
}
