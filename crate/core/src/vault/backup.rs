//! Backup and restore: all records as one file, encrypted with a passphrase.
//!
//! The file is JSON: a readable header (`format`, `v`, `createdMs`, PBKDF2 parameters, a
//! key-check value) and one AES-256-GCM ciphertext of every logical record. The header is the
//! associated data, so editing any of it is detected; the key-check value tells a wrong
//! passphrase ([`VaultError::WrongPassphrase`]) from a damaged file ([`VaultError::BadBackup`]);
//! the body repeats the record count as a last consistency check. Records carry logical keys, not
//! storage keys, so a backup restores under another computer's data key. Import only decodes:
//! the worker writes the restored records (and tombstones for the rest) in one `set`, so a failed
//! import leaves the current state untouched.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec::{aead_open, aead_seal, b64_array, b64_decode, b64_encode, ct_eq, derive, Passphrase, NONCE_LEN};
use super::keys::{Kdf, MAX_PBKDF2_ITERATIONS, MIN_PASSPHRASE_CHARS};
use super::record::{Envelope, Sealer};
use super::storage_key::validate_logical_key;
use super::{take_random, VaultError, SCHEMA_VERSION};

/// The `format` marker of a backup file.
pub const BACKUP_FORMAT: &str = "redship-backup";
/// Backup file layout version.
pub const BACKUP_VERSION: u32 = 1;
/// Random bytes [`export_backup`] needs: salt and nonce.
pub const BACKUP_RANDOM_LEN: usize = 16 + NONCE_LEN;

/// The backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupFile {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// Layout version.
    pub v: u32,
    /// When it was made (epoch ms).
    pub created_ms: i64,
    /// Passphrase derivation parameters.
    pub kdf: Kdf,
    /// Key-check value, base64url.
    pub check: String,
    /// Nonce, base64url.
    pub nonce: String,
    /// Ciphertext with tag, base64url.
    pub ct: String,
}

/// One record in a backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupRecord {
    /// Logical key.
    pub key: String,
    /// When it was last written (epoch ms).
    pub written_ms: i64,
    /// The value.
    pub value: Value,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    schema: u32,
    count: usize,
    records: Vec<BackupRecord>,
}

/// What a backup holds once opened (it crosses from the office module, which opens the file, to
/// the main module's session, which seals the records: `{createdMs, records}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupContents {
    /// When it was made.
    pub created_ms: i64,
    /// Its records, in key order.
    pub records: Vec<BackupRecord>,
}

fn header_aad(f: &BackupFile) -> Vec<u8> {
    format!("{}|{}|{}|{}|{}|{}|{}", f.format, f.v, f.created_ms, f.kdf.alg, f.kdf.iterations, f.kdf.salt, f.check)
        .into_bytes()
}

fn file_keys(passphrase: Passphrase<'_>, kdf: &Kdf) -> Option<([u8; 32], [u8; 16])> {
    if kdf.alg != "pbkdf2-sha256" || kdf.iterations == 0 || kdf.iterations > MAX_PBKDF2_ITERATIONS {
        return None;
    }
    let master = passphrase.master(&b64_decode(&kdf.salt)?, kdf.iterations);
    let mut check = [0u8; 16];
    check.copy_from_slice(&derive(&master, "backup-check")[..16]);
    Some((derive(&master, "backup-seal"), check))
}

/// Writes `records` into one backup file text, encrypted with `passphrase`.
pub fn export_backup<'a>(
    records: &[BackupRecord],
    passphrase: impl Into<Passphrase<'a>>,
    iterations: u32,
    random: &[u8],
    now_ms: i64,
) -> Result<String, VaultError> {
    let passphrase = passphrase.into();
    if passphrase.chars() < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
    }
    if iterations == 0 || iterations > MAX_PBKDF2_ITERATIONS {
        return Err(VaultError::BadInput { what: format!("PBKDF2 iteration count {iterations}") });
    }
    for r in records {
        validate_logical_key(&r.key)?;
    }
    let mut rnd = take_random(random, BACKUP_RANDOM_LEN)?;
    let salt: [u8; 16] = rnd.array()?;
    let nonce: [u8; NONCE_LEN] = rnd.array()?;
    let kdf = Kdf { alg: "pbkdf2-sha256".into(), iterations, salt: b64_encode(&salt) };
    let (key, check) = file_keys(passphrase, &kdf).ok_or(VaultError::BadInput { what: "backup parameters".into() })?;
    let mut sorted = records.to_vec();
    crate::sort::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    let body = Body { schema: SCHEMA_VERSION, count: sorted.len(), records: sorted };
    let plain =
        serde_json::to_vec(&body).map_err(|e| VaultError::BadInput { what: format!("backup contents ({e})") })?;
    let mut file = BackupFile {
        format: BACKUP_FORMAT.into(),
        v: BACKUP_VERSION,
        created_ms: now_ms,
        kdf,
        check: b64_encode(&check),
        nonce: b64_encode(&nonce),
        ct: String::new(),
    };
    file.ct = b64_encode(&aead_seal(&key, &nonce, &header_aad(&file), &plain));
    serde_json::to_string_pretty(&file).map_err(|e| VaultError::BadInput { what: format!("backup file ({e})") })
}

/// Why a backup file cannot be restored. Its name (`NotBackup`, …, written with `{:?}`) follows
/// `BadBackup:` in the error message, so the options page can say it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupProblem {
    /// Not a RedShip backup file at all (another file was chosen).
    NotBackup,
    /// Made by a newer RedShip than this one.
    Newer,
    /// A RedShip backup whose text is damaged (a part is missing or unreadable).
    Damaged,
    /// The encrypted contents fail their integrity check: damaged or changed after export.
    Changed,
    /// The file holds fewer or other records than it says: cut short or edited.
    Incomplete,
}

fn bad(problem: BackupProblem, reason: &str) -> VaultError {
    VaultError::BadBackup { problem, reason: reason.into() }
}

/// [`BackupProblem::Damaged`], naming the part of the file that is.
fn damaged(part: &str) -> VaultError {
    bad(BackupProblem::Damaged, &format!("the backup file is damaged ({part})"))
}

/// Opens a backup file. Wrong passphrase, a foreign or damaged file: a clear error, nothing else.
pub fn import_backup<'a>(text: &str, passphrase: impl Into<Passphrase<'a>>) -> Result<BackupContents, VaultError> {
    let passphrase = passphrase.into();
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|_| bad(BackupProblem::NotBackup, "this file is not a RedShip backup (not JSON)"))?;
    if value.get("format").and_then(Value::as_str) != Some(BACKUP_FORMAT) {
        return Err(bad(BackupProblem::NotBackup, "this file is not a RedShip backup"));
    }
    match value.get("v").and_then(Value::as_u64) {
        Some(v) if v == u64::from(BACKUP_VERSION) => {}
        Some(v) => {
            let why = format!("this backup was made by a newer RedShip (file version {v})");
            return Err(bad(BackupProblem::Newer, &why));
        }
        None => return Err(damaged("no version")),
    }
    let file: BackupFile = serde_json::from_value(value).map_err(|_| damaged("header"))?;
    let (key, check) = file_keys(passphrase, &file.kdf).ok_or_else(|| damaged("key parameters"))?;
    let stored_check = b64_decode(&file.check).ok_or_else(|| damaged("key check"))?;
    if !ct_eq(&stored_check, &check) {
        return Err(VaultError::WrongPassphrase);
    }
    let nonce: [u8; NONCE_LEN] = b64_array(&file.nonce).ok_or_else(|| damaged("nonce"))?;
    let ct = b64_decode(&file.ct).ok_or_else(|| damaged("contents"))?;
    let plain = aead_open(&key, &nonce, &header_aad(&file), &ct)
        .ok_or_else(|| bad(BackupProblem::Changed, "the backup file is damaged or was changed"))?;
    let body: Body = serde_json::from_slice(&plain).map_err(|_| damaged("contents"))?;
    if body.schema > SCHEMA_VERSION {
        let why = format!("this backup holds data of a newer RedShip (schema {})", body.schema);
        return Err(bad(BackupProblem::Newer, &why));
    }
    if body.count != body.records.len() {
        return Err(bad(BackupProblem::Incomplete, "the backup file is incomplete"));
    }
    for r in &body.records {
        validate_logical_key(&r.key).map_err(|_| damaged("an invalid record key"))?;
    }
    Ok(BackupContents { created_ms: file.created_ms, records: body.records })
}

/// The writes that make the store equal to `contents`: every backup record sealed under
/// `session`, plus a tombstone for each current logical key the backup lacks. All go in one
/// `set`, so a restore is all or nothing.
pub fn plan_restore(
    session: &mut Sealer,
    contents: &BackupContents,
    current: &[String],
) -> Result<Vec<(String, Envelope)>, VaultError> {
    let mut out = Vec::with_capacity(contents.records.len());
    let mut restored = std::collections::BTreeSet::new();
    for r in &contents.records {
        out.push(session.seal(&r.key, Some(&r.value), r.written_ms)?);
        restored.insert(r.key.as_str());
    }
    for key in current.iter().filter(|k| !restored.contains(k.as_str())) {
        out.push(session.seal(key, None, contents.created_ms)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn records() -> Vec<BackupRecord> {
        vec![
            BackupRecord { key: "ledger/s/2026-11-21".into(), written_ms: 5, value: json!({"v": 1, "used": ["P123"]}) },
            BackupRecord { key: "settings".into(), written_ms: 6, value: json!({"v": 1, "retentionDays": 30}) },
        ]
    }

    fn file() -> String {
        export_backup(&records(), "backup passphrase", 1000, &[7u8; BACKUP_RANDOM_LEN], 77).unwrap()
    }

    #[test]
    fn round_trip_hides_contents() {
        let text = file();
        assert!(!text.contains("P123") && !text.contains("ledger"));
        let got = import_backup(&text, "backup passphrase").unwrap();
        assert_eq!(got, BackupContents { created_ms: 77, records: records() });
    }

    #[test]
    fn restore_replaces_the_store_in_one_write() {
        use super::super::keys::DataKey;
        use super::super::quarantine::scan;
        let contents = import_backup(&file(), "backup passphrase").unwrap();
        let mut s = Sealer::new(&DataKey::from_bytes([8; 32]), [3; 8]);
        let (old_key, old) = s.seal("old/only-here", Some(&json!(1)), 1).unwrap();
        let writes = plan_restore(&mut s, &contents, &["old/only-here".into(), "settings".into()]).unwrap();
        let mut store: std::collections::BTreeMap<String, Value> =
            [(old_key, serde_json::to_value(old).unwrap())].into();
        for (k, e) in writes {
            store.insert(k, serde_json::to_value(e).unwrap());
        }
        let entries: Vec<(String, Value)> = store.into_iter().collect();
        let opened = scan(s.opener(), &entries, 0);
        assert_eq!(opened.tombstones.len(), 1);
        let got: Vec<BackupRecord> = opened
            .records
            .into_iter()
            .map(|(_, o)| BackupRecord {
                key: o.logical_key,
                written_ms: o.written_ms,
                value: o.value.unwrap_or_default(),
            })
            .collect();
        assert_eq!(got, records());
    }

    #[test]
    fn wrong_passphrase_is_its_own_error() {
        assert_eq!(import_backup(&file(), "other passphrase").unwrap_err(), VaultError::WrongPassphrase);
    }

    #[test]
    fn any_change_is_detected() {
        let text = file();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["createdMs"] = json!(78);
        assert!(matches!(
            import_backup(&v.to_string(), "backup passphrase"),
            Err(VaultError::BadBackup { problem: BackupProblem::Changed, .. })
        ));
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            let mut b = bytes.to_vec();
            b[i] ^= 0x01;
            let Ok(t) = String::from_utf8(b) else { continue };
            assert!(import_backup(&t, "backup passphrase").is_err(), "change at byte {i} went undetected");
        }
    }

    #[test]
    fn foreign_and_future_files_are_refused() {
        let problem = |text: &str| match import_backup(text, "backup passphrase") {
            Err(VaultError::BadBackup { problem, .. }) => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(problem("hello"), BackupProblem::NotBackup);
        assert_eq!(problem("{\"format\":\"other\"}"), BackupProblem::NotBackup);
        let mut v: Value = serde_json::from_str(&file()).unwrap();
        v["v"] = json!(2);
        let err = import_backup(&v.to_string(), "backup passphrase").unwrap_err();
        // The message starts with both codes: the options page reads them to say it in Chinese.
        assert!(err.to_string().starts_with("BadBackup: Newer: "), "{err}");
        assert!(err.to_string().contains("newer"), "{err}");
        v["v"] = json!(1);
        v.as_object_mut().unwrap().remove("nonce");
        assert_eq!(problem(&v.to_string()), BackupProblem::Damaged);
    }
}
