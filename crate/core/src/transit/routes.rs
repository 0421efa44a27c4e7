//! Routes: how each pending package ships (`warehouse`, `supplier`, `self`).
//!
//! The seller decides per SKU once and RedShip remembers it; a single order can be switched
//! without changing the SKU's route. Unknown SKUs default to the transit warehouse, the route
//! that needs no decrypt.

use super::collect::{StoredPackage, TransitSnapshot};
use super::Route;
use crate::order::OrderError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema version of [`RouteBook`].
pub const ROUTES_VERSION: u32 = 1;

/// The per-shop route record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteBook {
    /// Schema version.
    pub v: u32,
    /// The shop.
    pub shop_id: String,
    /// Remembered route per SKU ID.
    #[serde(default)]
    pub sku: BTreeMap<String, Route>,
    /// Per-order overrides by package ID (pruned when the package leaves the list).
    #[serde(default)]
    pub order: BTreeMap<String, Route>,
}

impl RouteBook {
    /// An empty book for `shop_id`.
    pub fn new(shop_id: &str) -> Self {
        RouteBook { v: ROUTES_VERSION, shop_id: shop_id.to_string(), sku: BTreeMap::new(), order: BTreeMap::new() }
    }
}

/// Where a package's route comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RouteSource {
    /// Set for this order.
    Order,
    /// Remembered for one of its SKUs.
    Sku,
    /// Nothing set: the transit warehouse.
    Default,
}

/// The route of a package: its override, else its SKUs' remembered routes (if lines differ,
/// `supplier` wins since it needs the decrypt anyway, then `self`), else `warehouse`.
pub fn route_of(book: Option<&RouteBook>, p: &StoredPackage) -> (Route, RouteSource) {
    let Some(book) = book else { return (Route::Warehouse, RouteSource::Default) };
    if let Some(r) = book.order.get(p.package_id.as_str()) {
        return (*r, RouteSource::Order);
    }
    let remembered: Vec<Route> = p.skus.iter().filter_map(|s| book.sku.get(s.sku_id.as_str()).copied()).collect();
    for r in [Route::Supplier, Route::SelfShip, Route::Warehouse] {
        if remembered.contains(&r) {
            return (r, RouteSource::Sku);
        }
    }
    (Route::Warehouse, RouteSource::Default)
}

/// `TransitLive.setRoutes` request (one change).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetRouteRequest {
    /// `sku` (remember for the SKU) or `order` (this package only).
    pub scope: String,
    /// The SKU (scope `sku`).
    #[serde(default)]
    pub sku_id: Option<String>,
    /// The package (scope `order`).
    #[serde(default)]
    pub package_id: Option<String>,
    /// The route; `null` clears the setting.
    #[serde(default)]
    pub route: Option<Route>,
}

/// Applies a route change. The package or SKU must be one the snapshot holds, so a typo
/// cannot create a setting nobody sees. Overrides of packages no longer pending are dropped.
pub fn set_route(
    book: Option<RouteBook>,
    snap: &TransitSnapshot,
    req: &SetRouteRequest,
) -> Result<RouteBook, OrderError> {
    set_routes(book, snap, std::slice::from_ref(req))
}

/// Applies several route changes at once, all or nothing (the first refused one is the error
/// and the book is as it was): one call for the N orders a seller routes together.
pub fn set_routes(
    book: Option<RouteBook>,
    snap: &TransitSnapshot,
    reqs: &[SetRouteRequest],
) -> Result<RouteBook, OrderError> {
    let mut book = book.unwrap_or_else(|| RouteBook::new(&snap.shop_id));
    for req in reqs {
        apply(&mut book, snap, req)?;
    }
    book.order.retain(|id, _| snap.packages.contains_key(id.as_str()));
    Ok(book)
}

fn apply(book: &mut RouteBook, snap: &TransitSnapshot, req: &SetRouteRequest) -> Result<(), OrderError> {
    if book.v != ROUTES_VERSION || book.shop_id != snap.shop_id {
        return Err(OrderError::BadRequest {
            field: "routes",
            reason: format!("路由记录属于店铺 {}（版本 {}），快照是店铺 {}", book.shop_id, book.v, snap.shop_id),
        });
    }
    match req.scope.as_str() {
        "sku" => {
            let sku = req.sku_id.as_deref().map(str::trim).unwrap_or("");
            if sku.is_empty() {
                return Err(OrderError::BadRequest { field: "skuId", reason: "为空".into() });
            }
            if !snap.packages.values().any(|p| p.skus.iter().any(|s| s.sku_id == sku)) {
                return Err(OrderError::BadRequest {
                    field: "skuId", reason: format!("待发货订单中没有 SKU {sku}")
                });
            }
            match req.route {
                Some(r) => book.sku.insert(sku.to_string(), r),
                None => book.sku.remove(sku),
            };
        }
        "order" => {
            let id = req.package_id.as_deref().map(str::trim).unwrap_or("");
            if !snap.packages.contains_key(id) {
                return Err(OrderError::UnknownPackage(id.to_string()));
            }
            match req.route {
                Some(r) => book.order.insert(id.to_string(), r),
                None => book.order.remove(id),
            };
        }
        other => {
            return Err(OrderError::BadRequest {
                field: "scope", reason: format!("“{other}” 应为 sku 或 order")
            });
        }
    }
    Ok(())
}

/// Pending packages per route.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteCounts {
    /// Via the transit warehouse.
    pub warehouse: usize,
    /// Shipped by the supplier.
    pub supplier: usize,
    /// Shipped by the seller.
    #[serde(rename = "self")]
    pub self_ship: usize,
    /// All pending packages (waiting, status clear).
    pub total: usize,
    /// Listed packages whose status is unclear: in no route's count until the page says.
    pub unclear: usize,
}

impl RouteCounts {
    /// Adds one package of route `r`.
    pub fn add(&mut self, r: Route) {
        match r {
            Route::Warehouse => self.warehouse += 1,
            Route::Supplier => self.supplier += 1,
            Route::SelfShip => self.self_ship += 1,
        }
        self.total += 1;
    }
}

/// Counts pending packages per route, and those whose status is unclear apart.
pub fn route_counts(snap: &TransitSnapshot, book: Option<&RouteBook>) -> RouteCounts {
    let mut c = RouteCounts::default();
    for p in snap.packages.values() {
        if p.is_unclear() {
            c.unclear += 1;
        } else {
            c.add(route_of(book, p).0);
        }
    }
    c
}
