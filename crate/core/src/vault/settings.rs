//! The vault's settings: how many days masked snapshots and fill journals are kept, and after how
//! many idle minutes a passphrase-locked vault locks itself.
//!
//! Their ranges are decided here and nowhere else. The service worker passes every change
//! through [`apply`] before storing it, the purges read their day counts through [`check_days`],
//! and the options page takes its inputs' bounds (and the numbers in its range messages) from
//! [`LIMITS`], which `vaultInfo` hands out.

use serde::{Deserialize, Serialize};

use super::retention::{DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS};
use super::VaultError;

/// Default idle minutes before auto-lock.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 30;
/// Longest idle time accepted before auto-lock (a day); 0 means never.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;

/// An inclusive range of whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RangeView {
    /// Smallest value accepted.
    pub min: u32,
    /// Largest value accepted.
    pub max: u32,
}

/// Every range a vault setting or a purge accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsView {
    /// Days to keep masked snapshots and fill journals.
    pub retention_days: RangeView,
    /// Idle minutes before auto-lock (0 = never).
    pub auto_lock_minutes: RangeView,
    /// "Free space": delete history older than this many days.
    pub prune_days: RangeView,
}

/// The ranges, for the worker's checks and the options page's inputs.
pub const LIMITS: LimitsView = LimitsView {
    retention_days: RangeView { min: 1, max: MAX_RETENTION_DAYS },
    auto_lock_minutes: RangeView { min: 0, max: MAX_AUTO_LOCK_MINUTES },
    prune_days: RangeView { min: 1, max: MAX_RETENTION_DAYS },
};

/// The settings in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// Days masked snapshots and fill journals are kept.
    pub retention_days: u32,
    /// Idle minutes before auto-lock (0 = never).
    pub auto_lock_minutes: u32,
}

impl Default for SettingsView {
    fn default() -> Self {
        Self { retention_days: DEFAULT_RETENTION_DAYS, auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES }
    }
}

/// Settings with any field absent: a change from the options page (absent fields stay as they
/// are), or the stored record as read back (absent or out-of-range fields take their defaults).
/// Numbers arrive as the page typed them, so a fraction or a negative is refused rather than
/// rounded.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRequest {
    /// Retention days.
    #[serde(default)]
    pub retention_days: Option<f64>,
    /// Auto-lock minutes.
    #[serde(default)]
    pub auto_lock_minutes: Option<f64>,
}

/// `value` as a whole number inside `range`, or `None`.
fn whole_in(value: f64, range: RangeView) -> Option<u32> {
    let ok = value.fract() == 0.0 && value >= f64::from(range.min) && value <= f64::from(range.max);
    // In range and whole, so the conversion is exact.
    ok.then_some(value as u32)
}

/// The settings in effect, given the stored record (or none).
pub fn effective(stored: Option<&SettingsRequest>) -> SettingsView {
    let fallback = SettingsView::default();
    let Some(stored) = stored else { return fallback };
    let pick = |v: Option<f64>, range, default| v.and_then(|v| whole_in(v, range)).unwrap_or(default);
    SettingsView {
        retention_days: pick(stored.retention_days, LIMITS.retention_days, fallback.retention_days),
        auto_lock_minutes: pick(stored.auto_lock_minutes, LIMITS.auto_lock_minutes, fallback.auto_lock_minutes),
    }
}

/// The settings after `change`, or `BadInput` naming the field and its range; nothing is
/// applied when any field is refused.
pub fn apply(current: SettingsView, change: &SettingsRequest) -> Result<SettingsView, VaultError> {
    let mut next = current;
    if let Some(days) = change.retention_days {
        next.retention_days = check(days, LIMITS.retention_days, "retention days")?;
    }
    if let Some(minutes) = change.auto_lock_minutes {
        next.auto_lock_minutes = check(minutes, LIMITS.auto_lock_minutes, "auto-lock minutes (0 = never)")?;
    }
    Ok(next)
}

/// A purge's day count ("free space": history older than this), checked against its range.
pub fn check_days(days: f64) -> Result<u32, VaultError> {
    check(days, LIMITS.prune_days, "days of history to keep")
}

fn check(value: f64, range: RangeView, what: &str) -> Result<u32, VaultError> {
    whole_in(value, range).ok_or_else(|| VaultError::BadInput {
        what: format!("{what} = {value} (allowed: whole numbers {} to {})", range.min, range.max),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(retention: Option<f64>, auto_lock: Option<f64>) -> SettingsRequest {
        SettingsRequest { retention_days: retention, auto_lock_minutes: auto_lock }
    }

    #[test]
    fn defaults_fill_missing_and_out_of_range_stored_fields() {
        assert_eq!(effective(None), SettingsView { retention_days: 30, auto_lock_minutes: 30 });
        let stored: SettingsRequest = serde_json::from_str(r#"{"v":1,"retentionDays":45,"updatedAtMs":1}"#).unwrap();
        assert_eq!(effective(Some(&stored)), SettingsView { retention_days: 45, auto_lock_minutes: 30 });
        let odd = SettingsRequest { retention_days: Some(0.0), auto_lock_minutes: Some(2.5) };
        assert_eq!(effective(Some(&odd)), SettingsView::default());
        let never = SettingsRequest { retention_days: Some(3650.0), auto_lock_minutes: Some(0.0) };
        assert_eq!(effective(Some(&never)), SettingsView { retention_days: 3650, auto_lock_minutes: 0 });
    }

    #[test]
    fn a_change_applies_only_the_fields_it_names() {
        let now = SettingsView { retention_days: 10, auto_lock_minutes: 5 };
        assert_eq!(
            apply(now, &change(Some(90.0), None)).unwrap(),
            SettingsView { retention_days: 90, auto_lock_minutes: 5 }
        );
        assert_eq!(
            apply(now, &change(None, Some(0.0))).unwrap(),
            SettingsView { retention_days: 10, auto_lock_minutes: 0 }
        );
        assert_eq!(apply(now, &SettingsRequest::default()).unwrap(), now);
    }

    #[test]
    fn out_of_range_or_fractional_values_are_refused_whole() {
        let now = SettingsView::default();
        for (retention, auto_lock, named) in [
            (Some(0.0), None, "retention"),
            (Some(3651.0), None, "retention"),
            (Some(1.5), None, "retention"),
            (Some(f64::INFINITY), None, "retention"),
            (None, Some(-1.0), "auto-lock"),
            (None, Some(1441.0), "auto-lock"),
            // A good retention with a bad auto-lock changes neither.
            (Some(60.0), Some(0.5), "auto-lock"),
        ] {
            let err = apply(now, &change(retention, auto_lock)).unwrap_err();
            assert_eq!(err.code(), "BadInput");
            assert!(err.to_string().contains(named), "{err}");
        }
    }

    #[test]
    fn purge_days_share_the_retention_range() {
        assert_eq!(check_days(1.0).unwrap(), 1);
        assert_eq!(check_days(3650.0).unwrap(), 3650);
        for bad in [0.0, 3651.0, 2.5, f64::NAN] {
            assert!(check_days(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_serialize_for_the_options_page() {
        let v = serde_json::to_value(LIMITS).unwrap();
        assert_eq!(v["retentionDays"], serde_json::json!({ "min": 1, "max": 3650 }));
        assert_eq!(v["autoLockMinutes"], serde_json::json!({ "min": 0, "max": 1440 }));
        assert_eq!(v["pruneDays"], serde_json::json!({ "min": 1, "max": 3650 }));
    }
}
