//! The test kit of the quota operations: a key-value store driven the way the service worker
//! drives the core (one operation at a time, changed records saved back), and fixed instants.

use super::*;
use crate::chinaday::ChinaDay;
use serde_json::Value;
use std::collections::BTreeMap;

/// One minute in ms.
pub const MIN: i64 = 60_000;
/// One hour in ms.
pub const HOUR: i64 = 60 * MIN;

/// 2026-11-21 00:00 China time.
pub fn day0() -> i64 {
    ChinaDay::parse_iso("2026-11-21").expect("day").start_ms()
}

/// A valid package ID numbered `n`.
pub fn pkg(n: u32) -> String {
    format!("P{:016}", n)
}

/// A stand-in for the service worker's store: ledgers by key, the settings, paid orders.
#[derive(Default)]
pub struct Store {
    pub map: BTreeMap<String, Value>,
    pub settings: Option<Value>,
    pub paid: Vec<PaidOrdersDay>,
}

impl Store {
    /// The inputs the service worker would load for `shop` at `now`.
    pub fn inputs(&self, shop: &str, now: i64) -> QuotaInputs {
        let mut ledgers = BTreeMap::new();
        for k in ledger_keys(shop, now).expect("keys") {
            if let Some(v) = self.map.get(&k) {
                ledgers.insert(k, v.clone());
            }
        }
        QuotaInputs {
            settings: self.settings.clone(),
            ledgers,
            paid_orders: self.paid.clone(),
            routes: RouteCounts::default(),
            endpoint: self.map.get(&super::endpoint::endpoint_key(shop)).cloned(),
        }
    }

    /// Saves an update's records back, as the service worker does.
    pub fn apply(&mut self, u: QuotaUpdate) -> QuotaUpdate {
        for r in &u.changed {
            if r.key == SETTINGS_KEY {
                self.settings = Some(r.value.clone());
            } else {
                self.map.insert(r.key.clone(), r.value.clone());
            }
        }
        for k in &u.removed {
            self.map.remove(k);
        }
        u
    }

    /// Records one observed decrypt (`ok` false = refused as over quota).
    pub fn event(&mut self, shop: &str, id: &str, ok: bool, at: i64, now: i64) -> QuotaUpdate {
        let req = RecordEventRequest {
            inputs: self.inputs(shop, now),
            event: DecryptEvent {
                shop: shop.into(),
                package_id: id.into(),
                outcome: if ok { "success" } else { "refused" }.into(),
                tab_id: Some(7),
                at_ms: at,
                quota_spent: !ok,
            },
            now_ms: now,
        };
        let u = record_event(&req).expect("event accepted");
        self.apply(u)
    }

    /// A successful decrypt of package `n` at `at`, observed and processed at once.
    pub fn decrypt(&mut self, shop: &str, n: u32, at: i64) -> QuotaUpdate {
        self.event(shop, &pkg(n), true, at, at)
    }

    /// The privacy board showing `used` and/or `quota` at `at`.
    pub fn show(&mut self, shop: &str, used: Option<u32>, quota: Option<u32>, at: i64) -> QuotaUpdate {
        let req = RecordPageShowsRequest {
            inputs: self.inputs(shop, at),
            shows: vec![ShownQuota {
                shop: shop.into(),
                day: None,
                at_ms: at,
                used,
                daily_quota: quota,
                source: "board".into(),
            }],
            now_ms: at,
        };
        let u = record_page_shows(&req).expect("shows accepted");
        self.apply(u)
    }

    /// The dashboard at `now`.
    pub fn view(&mut self, shop: &str, now: i64) -> QuotaUpdate {
        let req = DashboardRequest { inputs: self.inputs(shop, now), shop: shop.into(), now_ms: now };
        let u = dashboard(&req).expect("dashboard");
        self.apply(u)
    }
}
