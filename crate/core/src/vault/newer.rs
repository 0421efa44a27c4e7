//! Records written by a newer RedShip, met after a downgrade (an older folder copied back).
//!
//! Every sealed record carries its format version in the clear (`"v"` of the envelope), so a
//! record from a newer format is recognised without opening it. Such a record is neither read
//! nor quarantined nor written over: it stays exactly where and as it is, so that updating
//! RedShip again finds it intact, and the popup says to update. Before this rule an older build
//! quarantined it, and since the record then read as missing, the next decrypt started today's
//! quota ledger afresh in its place.
//!
//! Future formats must keep `"v"` a top-level number of the stored value for this to hold.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::plaintext::Plaintext;
use super::record::{SealedBytes, Sealer};
use super::storage_key::{namespace, Namespace};
use super::{VaultError, SCHEMA_VERSION};

/// The date (China day) the current record format, [`SCHEMA_VERSION`], was introduced: what the
/// options page shows next to the version.
pub const SCHEMA_DATE: &str = "2026-11-21";

/// A record this build cannot read because a newer build wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewerRecord {
    /// Where it is stored.
    pub storage_key: String,
    /// The format version it carries.
    pub found: u32,
}

/// The newer format version `raw` carries, if it carries one above this build's.
pub fn newer_version(raw: &Value) -> Option<u32> {
    let v = raw.get("v")?.as_u64()?;
    (v > u64::from(SCHEMA_VERSION)).then(|| u32::try_from(v).unwrap_or(u32::MAX))
}

/// Every sealed (`r.`) record among `entries` that a newer build wrote, by storage key.
pub fn newer_records(entries: &[(String, Value)]) -> Vec<NewerRecord> {
    let mut out: Vec<NewerRecord> = entries
        .iter()
        .filter(|(k, _)| namespace(k) == Namespace::Record)
        .filter_map(|(k, raw)| newer_version(raw).map(|found| NewerRecord { storage_key: k.clone(), found }))
        .collect();
    crate::sort::sort_by(&mut out, |a, b| a.storage_key.cmp(&b.storage_key));
    out
}

/// Seals `plain` unless its storage key holds a newer record (`held`: storage key → version
/// found): then [`VaultError::NewerRecord`], and no nonce is spent.
pub fn seal_beside(
    session: &mut Sealer,
    plain: Plaintext,
    held: &BTreeMap<String, u32>,
) -> Result<(String, SealedBytes), VaultError> {
    let key = session.storage_key(plain.logical())?;
    if let Some(&found) = held.get(&key) {
        return Err(VaultError::NewerRecord { key, found });
    }
    session.seal_text(plain)
}

#[cfg(test)]
mod tests {
    use super::super::keys::DataKey;
    use super::super::quarantine::scan;
    use super::*;
    use serde_json::json;

    fn session() -> Sealer {
        Sealer::new(&DataKey::from_bytes([6; 32]), [3; 8])
    }

    #[test]
    fn only_versions_above_this_one_are_newer() {
        assert_eq!(newer_version(&json!({"v": SCHEMA_VERSION + 1, "x": 1})), Some(SCHEMA_VERSION + 1));
        assert_eq!(newer_version(&json!({"v": SCHEMA_VERSION})), None);
        assert_eq!(newer_version(&json!({"v": 1})), None);
        assert_eq!(newer_version(&json!({"v": "3"})), None);
        assert_eq!(newer_version(&json!("%%%")), None);
        assert_eq!(newer_version(&json!({"v": u64::MAX})), Some(u32::MAX));
    }

    #[test]
    fn a_newer_record_is_neither_opened_nor_quarantined_and_never_written_over() {
        let mut s = session();
        let (ka, ea) = s.seal("quota/店/2026-12-06", Some(&json!({"used": 7})), 10).unwrap();
        let (kb, eb) = s.seal("status", Some(&json!({"n": 1})), 10).unwrap();
        // What a newer build leaves: another format, fields this build does not know.
        let future = json!({"v": SCHEMA_VERSION + 1, "k": eb.k, "n": eb.n, "c": eb.c, "z": "new"});
        let entries = vec![
            (ka.clone(), serde_json::to_value(&ea).unwrap()),
            (kb.clone(), future.clone()),
            ("x.r.other".to_string(), json!({"v": 9})),
        ];
        let newer = newer_records(&entries);
        assert_eq!(newer, vec![NewerRecord { storage_key: kb.clone(), found: SCHEMA_VERSION + 1 }]);

        let opened = scan(s.opener(), &entries, 99);
        assert!(opened.quarantine.is_empty(), "kept in place, not moved aside");
        assert_eq!(opened.newer, newer);
        assert_eq!(opened.records.len(), 1);
        assert_eq!(opened.records[0].0, ka);

        // The write that would replace it is refused, and spends no nonce.
        let held: BTreeMap<String, u32> = newer.iter().map(|n| (n.storage_key.clone(), n.found)).collect();
        let before = s.nonces().next_counter();
        let refused = seal_beside(&mut s, Plaintext::of_value("status", 20, Some(&json!({"n": 0}))).unwrap(), &held);
        assert!(matches!(refused, Err(VaultError::NewerRecord { ref key, .. }) if *key == kb), "{refused:?}");
        assert_eq!(s.nonces().next_counter(), before);
        // Other records are written as usual.
        let other = Plaintext::of_value("quota/店/2026-12-06", 20, Some(&json!({"used": 8}))).unwrap();
        assert_eq!(seal_beside(&mut s, other, &held).unwrap().0, ka);
    }
}
