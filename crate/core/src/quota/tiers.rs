//! The tier table: daily decrypt quota by the shop's busiest day of the last seven.
//!
//! Only the first tier is published (0–200 paid orders → 20 a day); the rest are assumed, so the
//! table is data the user can edit, and a number the workbench itself shows always wins.

use serde::{Deserialize, Serialize};

/// The most rows a tier table may have (the platform publishes five).
const MAX_TIERS: usize = 20;
/// The highest daily quota accepted in a table, far above any known tier.
const MAX_QUOTA: u32 = 1_000_000;

/// One row: shops whose 7-day max daily paid orders is at most `max_paid_orders` (and above the
/// previous row's bound) get `daily_quota` decrypts a day. The last row has no upper bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    /// Inclusive upper bound of the 7-day max daily paid orders; `None` on the open last row.
    pub max_paid_orders: Option<u32>,
    /// Decrypts a day for shops in this tier.
    pub daily_quota: u32,
}

/// An ordered, validated list of tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TierTable(pub Vec<Tier>);

impl Default for TierTable {
    /// 0–200 → 20; 201–500 → 50; 501–1000 → 100; 1001–3000 → 200; above 3000 → 500.
    fn default() -> Self {
        let row = |max: Option<u32>, q: u32| Tier { max_paid_orders: max, daily_quota: q };
        TierTable(vec![
            row(Some(200), 20),
            row(Some(500), 50),
            row(Some(1000), 100),
            row(Some(3000), 200),
            row(None, 500),
        ])
    }
}

impl TierTable {
    /// The daily quota for a 7-day max of `max_paid_orders`. A valid table always has an open
    /// last row; should one not, the last row's quota is used for anything above it.
    pub fn quota_for(&self, max_paid_orders: u32) -> u32 {
        self.0
            .iter()
            .find(|t| t.max_paid_orders.is_none_or(|m| max_paid_orders <= m))
            .or(self.0.last())
            .map_or(0, |t| t.daily_quota)
    }

    /// The 0-based index of the tier for `max_paid_orders`.
    pub fn index_for(&self, max_paid_orders: u32) -> usize {
        self.0
            .iter()
            .position(|t| t.max_paid_orders.is_none_or(|m| max_paid_orders <= m))
            .unwrap_or(self.0.len().saturating_sub(1))
    }

    /// Checks the table: 1 to 20 rows, bounds strictly rising, only the last row open, quotas
    /// from 1 up to 1 000 000 and never falling. The message names the row (1-based).
    pub fn validate(&self) -> Result<(), String> {
        let rows = &self.0;
        if rows.is_empty() {
            return Err("档位表至少要有一行（the tier table has no rows）".into());
        }
        if rows.len() > MAX_TIERS {
            return Err(format!(
                "档位表有 {0} 行，最多 {MAX_TIERS} 行（the tier table has {0} rows; at most {MAX_TIERS}）",
                rows.len()
            ));
        }
        let mut prev_max: Option<u32> = None;
        let mut prev_quota = 0u32;
        for (i, t) in rows.iter().enumerate() {
            let n = i + 1;
            let last = n == rows.len();
            match (t.max_paid_orders, last) {
                (None, false) => {
                    return Err(format!(
                        "第 {n} 档：只有最后一档可以不填订单数（tier row {n}: only the last row may have no upper bound）"
                    ))
                }
                (Some(_), true) => {
                    return Err(format!(
                        "第 {n} 档：最后一档的订单数要留空，表示“以上”（tier row {n}: the last row must have no upper bound）"
                    ))
                }
                (Some(m), false) => {
                    if prev_max.is_some_and(|p| m <= p) {
                        return Err(format!(
                            "第 {n} 档：订单数 {m} 要大于上一档（tier row {n}: upper bound {m} must be above the previous row's）"
                        ));
                    }
                    prev_max = Some(m);
                }
                (None, true) => {}
            }
            if t.daily_quota == 0 || t.daily_quota > MAX_QUOTA {
                return Err(format!(
                    "第 {n} 档：每日解密次数 {0} 要在 1 到 {MAX_QUOTA} 之间（tier row {n}: daily quota {0} must be from 1 to {MAX_QUOTA}）",
                    t.daily_quota
                ));
            }
            if t.daily_quota < prev_quota {
                return Err(format!(
                    "第 {n} 档：每日解密次数 {0} 小于上一档的 {prev_quota}（tier row {n}: daily quota {0} is below the previous row's {prev_quota}）",
                    t.daily_quota
                ));
            }
            prev_quota = t.daily_quota;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_matches_spec() {
        let t = TierTable::default();
        assert!(t.validate().is_ok());
        for (orders, quota) in [
            (0, 20),
            (200, 20),
            (201, 50),
            (500, 50),
            (501, 100),
            (1000, 100),
            (1001, 200),
            (3000, 200),
            (3001, 500),
            (u32::MAX, 500),
        ] {
            assert_eq!(t.quota_for(orders), quota, "{orders} orders");
        }
        assert_eq!(t.index_for(3001), 4);
    }

    #[test]
    fn validation_names_the_row() {
        let mut t = TierTable::default();
        t.0[2].max_paid_orders = Some(400);
        assert!(t.validate().unwrap_err().contains("row 3"));
        let mut t = TierTable::default();
        t.0[4].daily_quota = 10;
        assert!(t.validate().unwrap_err().contains("row 5"));
        let mut t = TierTable::default();
        t.0[1].max_paid_orders = None;
        assert!(t.validate().unwrap_err().contains("row 2"));
        assert!(TierTable(vec![]).validate().is_err());
        let mut t = TierTable::default();
        t.0[0].daily_quota = 0;
        assert!(t.validate().unwrap_err().contains("row 1"));
    }
}
