//! Opening a whole store so that one bad record never stops the rest.
//!
//! [`scan`] opens every sealed record found in `chrome.storage.local`. A record that fails
//! authentication or has an unknown schema version is *quarantined*: the worker moves its raw
//! bytes, untouched, to `x.` + its storage key (so a later RedShip or the user can still decide
//! about it) and deletes the original, so it is never tried again — no crash loop. The options
//! page lists quarantined records from [`list_quarantine`]. A record a newer RedShip wrote is
//! the exception: it is listed in `newer` and left where it is, untouched ([`super::newer`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::newer::{newer_records, newer_version, NewerRecord};
use super::plaintext::OpenedText;
use super::record::{Opened, Opener};
use super::storage_key::{namespace, Namespace, QUARANTINE_PREFIX};
use super::VaultError;

/// Layout version of a quarantined record.
pub const QUARANTINE_VERSION: u32 = 1;

/// A record held aside, as stored under `x.<storage key>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuarantinedRecord {
    /// Layout version.
    pub v: u32,
    /// Where it was found.
    pub storage_key: String,
    /// Why: `Damaged` or `UnknownVersion`.
    pub code: String,
    /// The version found, for `UnknownVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<u32>,
    /// When it was set aside (epoch ms).
    pub detected_ms: i64,
    /// The untouched raw value (still ciphertext).
    pub raw: Value,
}

/// The view of one quarantined record for the options page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuarantineView {
    /// The `x.` key it is kept under (to delete it).
    pub quarantine_key: String,
    /// Where it was found.
    pub storage_key: String,
    /// Why it was set aside.
    pub code: String,
    /// The version found, for `UnknownVersion`.
    pub found: Option<u32>,
    /// When it was set aside.
    pub detected_ms: i64,
}

/// The result of opening a store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scan {
    /// Live records with their storage keys.
    pub records: Vec<(String, Opened)>,
    /// Storage keys holding tombstones (deleted; remove them).
    pub tombstones: Vec<String>,
    /// Records to quarantine: store each under its key, then remove the original.
    pub quarantine: Vec<(String, QuarantinedRecord)>,
    /// Records a newer RedShip wrote: left in place, untouched, never written over.
    pub newer: Vec<NewerRecord>,
}

/// The result of opening a store with every value kept as JSON text ([`scan_text`]).
#[derive(Debug, Default)]
pub struct ScanText {
    /// Live records with their storage keys, by logical key.
    pub records: Vec<(String, OpenedText)>,
    /// Storage keys holding tombstones (deleted; remove them).
    pub tombstones: Vec<String>,
    /// Records to quarantine: store each under its key, then remove the original.
    pub quarantine: Vec<(String, QuarantinedRecord)>,
    /// Records a newer RedShip wrote: left in place, untouched, never written over.
    pub newer: Vec<NewerRecord>,
}

/// Opens every `r.` record in `entries` with `session`'s key; other namespaces are ignored.
pub fn scan(session: &Opener, entries: &[(String, Value)], now_ms: i64) -> Scan {
    let (records, tombstones, quarantine) = scan_by(
        entries,
        now_ms,
        |k, raw| session.open(k, raw).map(|o| o.value.is_some().then_some(o)),
        |o| &o.logical_key,
    );
    Scan { records, tombstones, quarantine, newer: newer_records(entries) }
}

/// [`scan`] with the values left as JSON text: what the extension opens its store with, so a
/// 10,000-order snapshot is decrypted in place and handed on without ever becoming a tree.
pub fn scan_text(session: &Opener, entries: &[(String, Value)], now_ms: i64) -> ScanText {
    let (records, tombstones, quarantine) = scan_by(
        entries,
        now_ms,
        |k, raw| session.open_raw_text(k, raw).map(|o| (!o.gone).then_some(o)),
        |o| &o.logical_key,
    );
    ScanText { records, tombstones, quarantine, newer: newer_records(entries) }
}

type Scanned<R> = (Vec<(String, R)>, Vec<String>, Vec<(String, QuarantinedRecord)>);

/// The scan itself: `open` gives a live record, `None` for a tombstone, or why it failed.
fn scan_by<R>(
    entries: &[(String, Value)],
    now_ms: i64,
    open: impl Fn(&str, &Value) -> Result<Option<R>, VaultError>,
    logical_key: impl Fn(&R) -> &str,
) -> Scanned<R> {
    let (mut records, mut tombstones, mut quarantine) = (Vec::new(), Vec::new(), Vec::new());
    let readable = |raw: &Value| newer_version(raw).is_none();
    for (k, raw) in entries.iter().filter(|(k, raw)| namespace(k) == Namespace::Record && readable(raw)) {
        match open(k, raw) {
            Ok(None) => tombstones.push(k.clone()),
            Ok(Some(opened)) => records.push((k.clone(), opened)),
            Err(err) => quarantine.push(quarantine_entry(k, &err, raw, now_ms)),
        }
    }
    crate::sort::sort_by(&mut records, |a, b| logical_key(&a.1).cmp(logical_key(&b.1)));
    (records, tombstones, quarantine)
}

/// The `x.` key and record that set `raw` (found at `storage_key`, failing with `err`) aside.
pub fn quarantine_entry(storage_key: &str, err: &VaultError, raw: &Value, now_ms: i64) -> (String, QuarantinedRecord) {
    let found = match err {
        VaultError::UnknownVersion { found, .. } => Some(*found),
        _ => None,
    };
    let record = QuarantinedRecord {
        v: QUARANTINE_VERSION,
        storage_key: storage_key.to_string(),
        code: err.code().to_string(),
        found,
        detected_ms: now_ms,
        raw: raw.clone(),
    };
    (format!("{QUARANTINE_PREFIX}{storage_key}"), record)
}

/// Lists quarantined records (newest first) from all storage entries. An `x.` entry that does
/// not parse is still listed, as damaged, so the user can delete it.
pub fn list_quarantine(entries: &[(String, Value)]) -> Vec<QuarantineView> {
    let mut out: Vec<QuarantineView> = entries
        .iter()
        .filter(|(k, _)| namespace(k) == Namespace::Quarantine)
        .map(|(k, raw)| match serde_json::from_value::<QuarantinedRecord>(raw.clone()) {
            Ok(q) => QuarantineView {
                quarantine_key: k.clone(),
                storage_key: q.storage_key,
                code: q.code,
                found: q.found,
                detected_ms: q.detected_ms,
            },
            Err(_) => QuarantineView {
                quarantine_key: k.clone(),
                storage_key: k.trim_start_matches(QUARANTINE_PREFIX).to_string(),
                code: "Damaged".into(),
                found: None,
                detected_ms: 0,
            },
        })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| {
        b.detected_ms.cmp(&a.detected_ms).then_with(|| a.quarantine_key.cmp(&b.quarantine_key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::keys::DataKey;
    use super::super::record::Sealer;
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_records_are_set_aside_and_the_rest_opens() {
        let mut s = Sealer::new(&DataKey::from_bytes([3; 32]), [1; 8]);
        let (ka, ea) = s.seal("a", Some(&json!({"n": 1})), 10).unwrap();
        let (kb, mut eb) = s.seal("b", Some(&json!({"n": 2})), 10).unwrap();
        let (kc, mut ec) = s.seal("c", Some(&json!({"n": 3})), 10).unwrap();
        let (kd, ed) = s.seal("d", None, 10).unwrap();
        eb.c.replace_range(0..1, if eb.c.starts_with('A') { "B" } else { "A" });
        ec.v = 1; // an older unknown format (a newer one is kept in place: see `newer`)
        let entries: Vec<(String, Value)> = vec![
            (ka.clone(), serde_json::to_value(&ea).unwrap()),
            (kb.clone(), serde_json::to_value(&eb).unwrap()),
            (kc.clone(), serde_json::to_value(&ec).unwrap()),
            (kd.clone(), serde_json::to_value(&ed).unwrap()),
            ("vault.keys".into(), json!({})),
            ("r.garbage".into(), json!("%%%")),
        ];
        // The text scan sorts every entry the same way, with the value as its JSON text.
        let text = scan_text(s.opener(), &entries, 99);
        let scan = scan(s.opener(), &entries, 99);
        assert_eq!(text.records.len(), 1);
        assert_eq!(text.records[0].1.value_json(), Some(r#"{"n":1}"#));
        assert_eq!((&text.tombstones, &text.quarantine), (&scan.tombstones, &scan.quarantine));
        assert_eq!(scan.records.len(), 1);
        assert_eq!(scan.records[0].1.value, Some(json!({"n": 1})));
        assert_eq!(scan.tombstones, vec![kd]);
        let codes: Vec<(String, String, Option<u32>)> =
            scan.quarantine.iter().map(|(k, q)| (k.clone(), q.code.clone(), q.found)).collect();
        assert_eq!(
            codes,
            vec![
                (format!("x.{kb}"), "Damaged".into(), None),
                (format!("x.{kc}"), "UnknownVersion".into(), Some(1)),
                ("x.r.garbage".into(), "Damaged".into(), None),
            ]
        );
        let stored: Vec<(String, Value)> = scan
            .quarantine
            .iter()
            .map(|(k, q)| (k.clone(), serde_json::to_value(q).unwrap()))
            .chain([("x.bad".to_string(), json!(1))])
            .collect();
        let list = list_quarantine(&stored);
        assert_eq!(list.len(), 4);
        assert_eq!(list[0].detected_ms, 99);
        assert_eq!(list[3].quarantine_key, "x.bad");
    }
}
