//! Retention: which old masked snapshots and fill journals to purge automatically.
//!
//! Only record families the caller names are ever purged automatically. A family is a
//! logical-key pattern matched as a prefix, where `*` stands for one path segment (no `/`):
//! `orders/*/snapshot` matches `orders/<shop>/snapshot`, `ship/run/` every run journal; everything else (the ledger history) is pruned only when the
//! user consents. Age is measured from when the record was last written.

use serde::{Deserialize, Serialize};

use super::VaultError;

/// Default retention in days.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;
/// Longest retention accepted (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3650;
const DAY_MS: i64 = 86_400_000;

/// What to purge automatically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetentionPolicy {
    /// Keep records this many days (1..=3650).
    pub days: u32,
    /// Logical-key patterns of purgeable families (`*` = one segment, matched as a prefix).
    pub patterns: Vec<String>,
}

/// Checks a policy's day count against the retention range ([`super::settings::LIMITS`]).
pub fn validate_days(days: u32) -> Result<(), VaultError> {
    let range = super::settings::LIMITS.retention_days;
    if days < range.min || days > range.max {
        return Err(VaultError::BadInput {
            what: format!("retention of {days} days (allowed: {} to {})", range.min, range.max),
        });
    }
    Ok(())
}

/// Logical keys among `records` (logical key, written ms) older than the policy allows.
pub fn purge_plan(records: &[(String, i64)], policy: &RetentionPolicy, now_ms: i64) -> Result<Vec<String>, VaultError> {
    validate_days(policy.days)?;
    let cutoff = now_ms.saturating_sub(i64::from(policy.days) * DAY_MS);
    let mut out: Vec<String> = records
        .iter()
        .filter(|(k, t)| *t < cutoff && policy.patterns.iter().any(|p| !p.is_empty() && matches_prefix(k, p)))
        .map(|(k, _)| k.clone())
        .collect();
    crate::sort::sort(&mut out);
    Ok(out)
}

/// Whether `key` starts with something `pattern` matches (`*` = any run of non-`/` characters).
pub fn matches_prefix(key: &str, pattern: &str) -> bool {
    match pattern.split_once('*') {
        None => key.starts_with(pattern),
        Some((head, rest)) => {
            let Some(after) = key.strip_prefix(head) else { return false };
            // `*` consumes 0..n characters up to the next `/`; try each split point.
            let seg_end = after.find('/').unwrap_or(after.len());
            (0..=seg_end).filter(|&i| after.is_char_boundary(i)).any(|i| matches_prefix(&after[i..], rest))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_records_of_named_families_go() {
        let now = 100 * DAY_MS;
        let policy = RetentionPolicy { days: 30, patterns: vec!["orders/*/snapshot".into(), "journal/".into()] };
        let records = vec![
            ("orders/小店/snapshot".to_string(), now - 31 * DAY_MS),
            ("orders/小店/routes".to_string(), now - 31 * DAY_MS),
            ("orders/b/snapshot".to_string(), now - 29 * DAY_MS),
            ("journal/c".to_string(), now - 30 * DAY_MS - 1),
            ("ledger/d".to_string(), now - 300 * DAY_MS),
        ];
        assert_eq!(
            purge_plan(&records, &policy, now).unwrap(),
            vec!["journal/c".to_string(), "orders/小店/snapshot".to_string()]
        );
        assert!(purge_plan(&records, &RetentionPolicy { days: 0, patterns: vec![] }, now).is_err());
    }

    #[test]
    fn patterns_match_one_segment_per_star() {
        assert!(matches_prefix("ship/a/seen", "ship/*/seen"));
        assert!(matches_prefix("ship/小店/seen", "ship/*/seen"));
        assert!(!matches_prefix("ship/run/x/seen", "ship/*/seen"));
        assert!(matches_prefix("ship/run/17", "ship/run/"));
        assert!(!matches_prefix("orders/a/routes", "orders/*/snapshot"));
        assert!(matches_prefix("a/b", "*/b"));
    }
}
