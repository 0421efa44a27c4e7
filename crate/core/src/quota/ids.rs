//! Package IDs and the storage keys of quota records.
//!
//! The workbench's package IDs are `P` followed by 15 or more digits (SPEC.md). Anything else
//! that reaches the ledger is ignored and reported, never counted: a wrong shape means the page
//! adapter misread the page, and counting it would spend quota nobody spent.

use crate::chinaday::ChinaDay;

/// The storage key of the one [`super::QuotaSettings`] record.
pub const SETTINGS_KEY: &str = "quota/settings";

/// Prefix of every day-ledger key: `quota/day/<shop>/<YYYY-MM-DD>`.
const DAY_PREFIX: &str = "quota/day/";

/// The longest package ID accepted; real ones are about 18 characters.
const MAX_PACKAGE_ID_LEN: usize = 40;

/// The longest shop identifier accepted.
pub const MAX_SHOP_LEN: usize = 100;

/// True when `id` has the workbench's package-ID shape: `P` + at least 15 ASCII digits.
pub fn is_package_id(id: &str) -> bool {
    let Some(digits) = id.strip_prefix('P') else {
        return false;
    };
    id.len() <= MAX_PACKAGE_ID_LEN && digits.len() >= 15 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a shop identifier: non-empty after trimming, at most [`MAX_SHOP_LEN`] characters, no
/// control characters. Returns the trimmed form or a reason.
pub fn check_shop(shop: &str) -> Result<&str, String> {
    let s = shop.trim();
    if s.is_empty() {
        return Err("shop is empty".into());
    }
    if s.chars().count() > MAX_SHOP_LEN {
        return Err(format!("shop `{s}` is longer than {MAX_SHOP_LEN} characters"));
    }
    if s.chars().any(char::is_control) {
        return Err("shop contains control characters".into());
    }
    Ok(s)
}

/// The storage key of the ledger of `shop` on `day`.
pub fn ledger_key(shop: &str, day: ChinaDay) -> String {
    format!("{DAY_PREFIX}{shop}/{}", day.iso())
}

/// Splits a day-ledger key back into `(shop, day)`; `None` when it is not one.
pub fn parse_ledger_key(key: &str) -> Option<(String, ChinaDay)> {
    let rest = key.strip_prefix(DAY_PREFIX)?;
    let (shop, day) = rest.rsplit_once('/')?;
    let parsed = ChinaDay::parse_iso(day)?;
    // Reject keys whose date text is not exactly the canonical form, so one day has one key.
    if parsed.iso() != day || check_shop(shop).ok()? != shop {
        return None;
    }
    Some((shop.to_string(), parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_id_shapes() {
        assert!(is_package_id("P123456789012345"));
        assert!(is_package_id("P7890123456789012345"));
        assert!(!is_package_id("P12345678901234"), "14 digits is too short");
        assert!(!is_package_id("p123456789012345"));
        assert!(!is_package_id("P12345678901234a"));
        assert!(!is_package_id(" P123456789012345"));
        assert!(!is_package_id(&format!("P{}", "1".repeat(60))));
    }

    #[test]
    fn keys_round_trip() {
        let day = ChinaDay::parse_iso("2026-11-21").expect("day");
        let key = ledger_key("shop/with/slash", day);
        assert_eq!(key, "quota/day/shop/with/slash/2026-11-21");
        assert_eq!(parse_ledger_key(&key), Some(("shop/with/slash".to_string(), day)));
        assert_eq!(parse_ledger_key("quota/day/s/2026-11-1"), None);
        assert_eq!(parse_ledger_key("quota/day//2026-11-21"), None);
        assert_eq!(parse_ledger_key(SETTINGS_KEY), None);
    }
}
