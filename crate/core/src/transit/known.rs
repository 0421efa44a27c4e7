//! The packages a snapshot knows, pending or recently closed, as tracking-number validation
//! reads them (its "already shipped" against "never seen").

use super::collect::TransitSnapshot;
use serde::Serialize;

/// A package RedShip knows, for tracking-number validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KnownOrder<'a> {
    /// `P…`.
    pub package_id: &'a str,
    /// True while it waits to ship; false once seen shipped/cancelled.
    pub waiting: bool,
    /// Listed, but its status is unclear: never shipped by a run.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unclear: bool,
}

/// Package `id`'s entry as a known order, when it is pending or recently closed.
fn known_order<'a>(snap: &'a TransitSnapshot, id: &str) -> Option<KnownOrder<'a>> {
    if let Some((k, p)) = snap.packages.get_key_value(id) {
        return Some(KnownOrder { package_id: k, waiting: !p.is_unclear(), unclear: p.is_unclear() });
    }
    let (k, c) = snap.closed.get_key_value(id)?;
    Some(KnownOrder { package_id: k, waiting: false, unclear: c.ship_button })
}

/// The known orders among `ids` (as a validation writes them: normalised like its rows are, see
/// [`crate::ship::normalize::normal_code`]), sorted: what validating those rows reads of
/// [`known_orders`], in O(IDs) rather than the shop.
pub fn known_orders_of<'a>(snap: &'a TransitSnapshot, ids: &[String]) -> Vec<KnownOrder<'a>> {
    let mut out: Vec<KnownOrder<'a>> =
        ids.iter().filter_map(|id| known_order(snap, &crate::ship::normalize::normal_code(id))).collect();
    crate::sort::sort_by(&mut out, |a, b| a.package_id.cmp(b.package_id));
    out.dedup_by(|a, b| a.package_id == b.package_id);
    out
}

/// All known packages: pending ones (`waiting`, or `unclear`) and recently closed ones.
pub fn known_orders(snap: &TransitSnapshot) -> Vec<KnownOrder<'_>> {
    let mut out: Vec<KnownOrder<'_>> = snap
        .packages
        .values()
        .map(|p| KnownOrder { package_id: p.package_id.as_str(), waiting: !p.is_unclear(), unclear: p.is_unclear() })
        .chain(snap.closed.iter().map(|(k, c)| KnownOrder { package_id: k, waiting: false, unclear: c.ship_button }))
        .collect();
    crate::sort::sort_by(&mut out, |a, b| a.package_id.cmp(b.package_id));
    out
}
