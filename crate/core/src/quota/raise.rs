//! The raise helper: which of the platform's five reasons fits the shop for 申请提额.
//!
//! The platform's reasons (SPEC.md): 1 the shop drop-ships, suppliers ship; 2 it uses couriers
//! the platform's e-waybill does not support; 3 its warehouse is not connected to the
//! e-waybill; 4 it sells virtual goods; 5 other. The route counts come from the order domain;
//! the reason with the most orders behind it is suggested, ties going to the lower number.

use serde::{Deserialize, Serialize};

/// The workbench route where the application is made (隐私保护).
pub const RAISE_ROUTE: &str = "/app-order/privacy";

/// Recent orders by how they leave the shop (computed outside this domain).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RouteCounts {
    /// Orders routed to a supplier who ships them (代发).
    pub supplier_orders: u32,
    /// Orders shipped with couriers the e-waybill does not support.
    pub unsupported_courier_orders: u32,
    /// Orders shipped from a warehouse without e-waybill access (e.g. a transit warehouse).
    pub warehouse_orders: u32,
    /// Orders for virtual goods.
    pub virtual_goods: u32,
}

/// The suggestion shown next to the quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RaiseSuggestion {
    /// The platform's reason number, 1 to 5.
    pub reason: u8,
    /// The translation key of the reason's explanation (`quotaRaiseReason1` … `5`).
    pub text_key: String,
    /// The orders behind the suggestion (0 for reason 5).
    pub orders: u32,
    /// The workbench route of the application page.
    pub route: String,
}

/// The best-fitting reason for `routes`.
pub fn suggest(routes: &RouteCounts) -> RaiseSuggestion {
    let candidates = [
        (1u8, routes.supplier_orders),
        (2, routes.unsupported_courier_orders),
        (3, routes.warehouse_orders),
        (4, routes.virtual_goods),
    ];
    let (reason, orders) = candidates
        .iter()
        .copied()
        .filter(|&(_, n)| n > 0)
        // max_by_key keeps the last of equals; reverse so ties go to the lower reason number.
        .rev()
        .max_by_key(|&(_, n)| n)
        .unwrap_or((5, 0));
    RaiseSuggestion { reason, text_key: format!("quotaRaiseReason{reason}"), orders, route: RAISE_ROUTE.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_follow_the_routes() {
        assert_eq!(suggest(&RouteCounts::default()).reason, 5);
        let r = suggest(&RouteCounts { supplier_orders: 12, ..Default::default() });
        assert_eq!((r.reason, r.orders, r.route.as_str()), (1, 12, "/app-order/privacy"));
        assert_eq!(r.text_key, "quotaRaiseReason1");
        let r = suggest(&RouteCounts { warehouse_orders: 30, supplier_orders: 2, ..Default::default() });
        assert_eq!(r.reason, 3);
        let r = suggest(&RouteCounts { unsupported_courier_orders: 4, virtual_goods: 4, ..Default::default() });
        assert_eq!(r.reason, 2, "ties go to the lower reason");
        assert_eq!(suggest(&RouteCounts { virtual_goods: 1, ..Default::default() }).reason, 4);
    }
}
