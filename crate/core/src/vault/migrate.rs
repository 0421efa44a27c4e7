//! Schema versions and migrations.
//!
//! - **v1** — the interim plaintext store (`sw/store.js` before the vault): each logical record
//!   stored in clear under `r:` + its logical key, e.g. `r:quota/<shop>/<day>`.
//! - **v2** (current, [`SCHEMA_VERSION`]) — sealed envelopes under opaque `r.` keys.
//!
//! [`migrate_v1`] turns every v1 entry into a sealed v2 record. The worker writes all of them in
//! one `set`, then removes the v1 keys. If it is killed in between, the v1 entries are simply
//! migrated again at the next start (the sealed keys are the same, so it overwrites, never
//! duplicates); nothing reads v1 entries once the vault is running. A v1 entry whose value is not
//! a JSON object or whose key is unusable is reported, not dropped silently.

use serde_json::Value;

use super::record::{Envelope, Sealer};
use super::storage_key::validate_logical_key;
use super::{VaultError, SCHEMA_VERSION};

/// Storage-key prefix of the v1 plaintext store.
pub const V1_PREFIX: &str = "r:";

/// What a migration writes and removes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MigrationPlan {
    /// Sealed records to write (storage key, envelope), all in one `set`.
    pub writes: Vec<(String, Envelope)>,
    /// v1 storage keys to remove after the write succeeded.
    pub remove: Vec<String>,
    /// v1 entries that could not be migrated: (storage key, reason). They are left in place.
    pub skipped: Vec<(String, String)>,
}

/// Whether any v1 entry is present in `storage_keys`.
pub fn needs_migration<'a>(mut storage_keys: impl Iterator<Item = &'a str>) -> bool {
    storage_keys.any(|k| k.starts_with(V1_PREFIX))
}

/// Seals every v1 entry among `entries` (other keys are ignored) as a current-schema record.
/// `now_ms` is the written time unless the value carries `updatedAtMs`.
pub fn migrate_v1(session: &mut Sealer, entries: &[(String, Value)], now_ms: i64) -> Result<MigrationPlan, VaultError> {
    let mut plan = MigrationPlan::default();
    let mut v1: Vec<&(String, Value)> = entries.iter().filter(|(k, _)| k.starts_with(V1_PREFIX)).collect();
    crate::sort::sort_by(&mut v1, |a, b| a.0.cmp(&b.0));
    for (storage_key, value) in v1 {
        let logical = &storage_key[V1_PREFIX.len()..];
        if let Err(e) = validate_logical_key(logical) {
            plan.skipped.push((storage_key.clone(), e.to_string()));
            continue;
        }
        let written = value.get("updatedAtMs").and_then(Value::as_i64).unwrap_or(now_ms);
        let (key, envelope) = session.seal(logical, Some(value), written)?;
        debug_assert_eq!(envelope.v, SCHEMA_VERSION);
        plan.writes.push((key, envelope));
        plan.remove.push(storage_key.clone());
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::super::keys::DataKey;
    use super::super::quarantine::scan;
    use super::*;

    const FIXTURE: &str = include_str!("fixtures/v1_store.json");

    fn fixture() -> Vec<(String, Value)> {
        let map: serde_json::Map<String, Value> = serde_json::from_str(FIXTURE).unwrap();
        map.into_iter().collect()
    }

    #[test]
    fn v1_fixture_migrates_and_reads_back_identically() {
        let mut session = Sealer::new(&DataKey::from_bytes([4; 32]), [2; 8]);
        let mut entries = fixture();
        entries.push(("vault.keys".into(), serde_json::json!({"v": 1})));
        assert!(needs_migration(entries.iter().map(|(k, _)| k.as_str())));
        let plan = migrate_v1(&mut session, &entries, 1_763_800_000_000).unwrap();
        assert_eq!(plan.writes.len(), 5);
        assert_eq!(plan.remove.len(), 5);
        assert!(plan.skipped.is_empty());

        // What storage holds afterwards: no shop, package, name or number in clear.
        let after: Vec<(String, Value)> =
            plan.writes.iter().map(|(k, e)| (k.clone(), serde_json::to_value(e).unwrap())).collect();
        let text = serde_json::to_string(&after).unwrap();
        for secret in ["小红薯", "P7823", "SF1234", "张", "138", "quota/", "ship/"] {
            assert!(!text.contains(secret), "{secret} left in clear");
        }
        assert!(!needs_migration(after.iter().map(|(k, _)| k.as_str())));

        let opened = scan(session.opener(), &after, 0);
        assert!(opened.quarantine.is_empty());
        let mut back: Vec<(String, Value)> = opened
            .records
            .into_iter()
            .map(|(_, o)| (format!("{V1_PREFIX}{}", o.logical_key), o.value.unwrap_or(Value::Null)))
            .collect();
        back.sort_by(|a, b| a.0.cmp(&b.0));
        let mut original = fixture();
        original.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(back, original);
    }

    #[test]
    fn migrating_twice_overwrites_the_same_keys() {
        let mut session = Sealer::new(&DataKey::from_bytes([4; 32]), [2; 8]);
        let a = migrate_v1(&mut session, &fixture(), 0).unwrap();
        let b = migrate_v1(&mut session, &fixture(), 0).unwrap();
        let keys = |p: &MigrationPlan| p.writes.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&a), keys(&b));
        assert_ne!(a.writes[0].1.n, b.writes[0].1.n, "a fresh nonce every time");
    }

    #[test]
    fn unusable_v1_keys_are_reported() {
        let mut session = Sealer::new(&DataKey::from_bytes([4; 32]), [2; 8]);
        let plan = migrate_v1(&mut session, &[("r:".into(), serde_json::json!({}))], 0).unwrap();
        assert_eq!(plan.skipped.len(), 1);
        assert!(plan.writes.is_empty() && plan.remove.is_empty());
    }
}
