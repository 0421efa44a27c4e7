//! The user's quota settings: tier table, warning thresholds, and limits set by hand.
//!
//! One record for all shops ([`super::SETTINGS_KEY`]); a shop may carry its own label and
//! limit. Settings are validated whole: a rejected edit changes nothing.

use super::list_help::ListHelpSettings;
use super::{ids::check_shop, load_versioned, QuotaError, TierTable, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The highest limit a user may type (far above any known tier).
const MAX_USER_LIMIT: u32 = 1_000_000;

/// Per-shop settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShopSettings {
    /// A name the user gives the shop in the popup; the shop ID is shown without one.
    #[serde(default)]
    pub label: Option<String>,
    /// This shop's daily limit as the user knows it; overrides the global [`QuotaSettings::user_limit`].
    #[serde(default)]
    pub user_limit: Option<u32>,
}

/// The quota settings record (`v` = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuotaSettings {
    /// Schema version.
    pub v: u32,
    /// Daily quota by 7-day max daily paid orders.
    pub tiers: TierTable,
    /// Warn when this percentage of today's limit is used (default 75).
    pub warn_percent: u8,
    /// Warn again, more urgently, at this percentage (default 90).
    pub critical_percent: u8,
    /// The daily limit as the user knows it, used when neither the page nor the tier applies.
    #[serde(default)]
    pub user_limit: Option<u32>,
    /// Per-shop settings, keyed by shop ID.
    #[serde(default)]
    pub shops: BTreeMap<String, ShopSettings>,
    /// Help on the order list: on/off and the hint threshold (absent in older records: defaults).
    #[serde(default)]
    pub list_help: ListHelpSettings,
}

impl Default for QuotaSettings {
    fn default() -> Self {
        QuotaSettings {
            v: SCHEMA_VERSION,
            tiers: TierTable::default(),
            warn_percent: 75,
            critical_percent: 90,
            user_limit: None,
            shops: BTreeMap::new(),
            list_help: ListHelpSettings::default(),
        }
    }
}

impl QuotaSettings {
    /// Reads a stored or edited settings value and validates it.
    pub fn load(record: &str, value: &serde_json::Value) -> Result<Self, QuotaError> {
        let s: QuotaSettings = load_versioned(record, value)?;
        s.validate().map_err(|e| QuotaError::CorruptRecord { record: record.to_string(), detail: e.to_string() })?;
        Ok(s)
    }

    /// Reads settings the user edited (e.g. in the options page): any problem, shape or value,
    /// is an [`QuotaError::InvalidSettings`] saying which field.
    pub fn from_edit(value: &serde_json::Value) -> Result<Self, QuotaError> {
        let s = QuotaSettings::deserialize(value).map_err(|e| {
            QuotaError::InvalidSettings(format!(
                "有数字没填或不是整数，请检查（the settings have the wrong shape: {e}）"
            ))
        })?;
        s.validate()?;
        Ok(s)
    }

    /// Checks every field; the error says which one and why.
    pub fn validate(&self) -> Result<(), QuotaError> {
        let bad = |m: String| Err(QuotaError::InvalidSettings(m));
        if self.v != SCHEMA_VERSION {
            return bad(format!("设置版本 {0} 无法识别（version {0} is not {SCHEMA_VERSION}）", self.v));
        }
        self.tiers.validate().map_err(QuotaError::InvalidSettings)?;
        let (w, c) = (self.warn_percent, self.critical_percent);
        if !(1..=99).contains(&w) {
            return bad(format!("提醒比例 {w}% 要在 1 到 99 之间（warning threshold {w}% must be from 1 to 99）"));
        }
        if !(1..=99).contains(&c) {
            return bad(format!("再次提醒比例 {c}% 要在 1 到 99 之间（critical threshold {c}% must be from 1 to 99）"));
        }
        if c <= w {
            return bad(format!(
                "再次提醒比例 {c}% 要大于第一次提醒的 {w}%（critical threshold {c}% must be above the warning threshold {w}%）"
            ));
        }
        check_limit("已知的每日额度", "the daily limit", self.user_limit)?;
        self.list_help.validate().map_err(QuotaError::InvalidSettings)?;
        for (id, shop) in &self.shops {
            if check_shop(id).ok() != Some(id.as_str()) {
                return bad(format!("店铺 ID「{id}」无法使用（shop ID `{id}` is not usable）"));
            }
            let (what_zh, what_en) = (format!("店铺「{id}」的每日额度"), format!("shop `{id}`'s daily limit"));
            check_limit(&what_zh, &what_en, shop.user_limit)?;
            if shop.label.as_ref().is_some_and(|l| l.chars().count() > 100) {
                return bad(format!(
                    "店铺「{id}」的显示名称超过 100 个字（shop `{id}`'s label is longer than 100 characters）"
                ));
            }
        }
        Ok(())
    }

    /// The limit the user set for `shop`: its own, else the global one.
    pub fn user_limit_for(&self, shop: &str) -> Option<u32> {
        self.shops.get(shop).and_then(|s| s.user_limit).or(self.user_limit)
    }
}

/// `what_zh` / `what_en` name the field in both languages.
fn check_limit(what_zh: &str, what_en: &str, limit: Option<u32>) -> Result<(), QuotaError> {
    match limit {
        Some(l) if l == 0 || l > MAX_USER_LIMIT => Err(QuotaError::InvalidSettings(format!(
            "{what_zh} {l} 要在 1 到 {MAX_USER_LIMIT} 之间（{what_en} {l} must be from 1 to {MAX_USER_LIMIT}）"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_round_trip_and_validate() {
        let s = QuotaSettings::default();
        let v = serde_json::to_value(&s).expect("serialize");
        assert_eq!(v["warnPercent"], json!(75));
        assert_eq!(v["tiers"][0], json!({"maxPaidOrders": 200, "dailyQuota": 20}));
        assert_eq!(QuotaSettings::load("quota/settings", &v), Ok(s));
    }

    #[test]
    fn bad_settings_say_what() {
        let s = QuotaSettings { critical_percent: 70, ..Default::default() };
        assert!(s.validate().unwrap_err().to_string().contains("critical threshold 70%"));
        let mut s = QuotaSettings::default();
        s.shops.insert("s1".into(), ShopSettings { label: None, user_limit: Some(0) });
        assert!(s.validate().unwrap_err().to_string().contains("shop `s1`"));
        let v = json!({"v": 1, "tiers": [], "warnPercent": 75, "criticalPercent": 90});
        let e = QuotaSettings::load("quota/settings", &v).unwrap_err();
        assert!(e.to_string().contains("`quota/settings`"), "{e}");
        assert_eq!(s.user_limit_for("other"), None);
        let edit = json!({"v": 1, "tiers": [{"maxPaidOrders": null, "dailyQuota": 30}],
            "warnPercent": 80, "criticalPercent": 95, "shops": {"s1": {"userLimit": 40}}});
        let s = QuotaSettings::from_edit(&edit).expect("valid edit");
        assert_eq!((s.tiers.quota_for(9999), s.user_limit_for("s1")), (30, Some(40)));
        let e = QuotaSettings::from_edit(&json!({"v": 1, "tiers": "x"})).unwrap_err();
        assert!(matches!(e, QuotaError::InvalidSettings(_)), "{e}");
    }

    #[test]
    fn what_the_user_sees_is_chinese_first() {
        // The options page shows these as they are: Chinese first, the English in brackets.
        let s = QuotaSettings { critical_percent: 70, ..Default::default() };
        let e = s.validate().unwrap_err().to_string();
        assert!(e.starts_with("额度设置无效：再次提醒比例 70%") && e.contains("75%"), "{e}");
        let edit = json!({"v": 1, "tiers": [{"maxPaidOrders": null, "dailyQuota": null}],
            "warnPercent": 80, "criticalPercent": 95});
        let e = QuotaSettings::from_edit(&edit).unwrap_err().to_string();
        assert!(e.starts_with("额度设置无效：有数字没填"), "{e}");
        let mut s = QuotaSettings::default();
        s.tiers.0[1].daily_quota = 10;
        let e = s.validate().unwrap_err().to_string();
        assert!(e.starts_with("额度设置无效：第 2 档：每日解密次数 10 小于上一档的 20"), "{e}");
    }
}
