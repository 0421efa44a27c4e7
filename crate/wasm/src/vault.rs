//! Bindings for the core's `vault` domain: key management, sealing and opening records, the
//! locked queue, backup, quarantine and retention. Conversions only; every decision is in
//! `redship_core::vault`. Random bytes come from the caller (`crypto.getRandomValues`); errors
//! are JS `Error`s named `VaultError` with the variant in `error.code`.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use redship_core::vault::codec::{Passphrase, Precomputed};
use redship_core::vault::plaintext::Plaintext;
use redship_core::vault::record::SealedBytes;
use redship_core::vault::{
    backup, keys, migrate, newer, nonce::NonceSequence, pending, quarantine, retention, storage_key, DataKey,
    DeviceRecord, Envelope, KeysRecord, Session, VaultError, SCHEMA_VERSION,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::boundary::{from_js, from_js_large, js_error, to_js};

fn verr(e: VaultError) -> JsValue {
    let err = js_error("VaultError", &e);
    // `code` is the stable variant name; the message is for people.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(e.code()));
    err
}

fn entries(map: BTreeMap<String, Value>) -> Vec<(String, Value)> {
    map.into_iter().collect()
}

/// An unlocked data key, as the worker keeps it in `chrome.storage.session`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnlockedView {
    data_key: String,
    key_id: String,
}

impl UnlockedView {
    fn of(key: &DataKey) -> Self {
        Self { data_key: key.to_b64(), key_id: key.key_id() }
    }
}

/// A key session (unlocked key + nonce state); the worker passes back the latest one each call.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionView {
    data_key: String,
    key_id: String,
    nonce_prefix: String,
    next_counter: u32,
    #[serde(default)]
    exhausted: bool,
}

impl SessionView {
    fn of(s: &Session) -> Self {
        let n = s.nonces();
        Self {
            data_key: s.key().to_b64(),
            key_id: s.key().key_id(),
            nonce_prefix: redship_core::vault::codec::b64_encode(&n.prefix()),
            next_counter: n.next_counter(),
            exhausted: n.is_exhausted(),
        }
    }

    fn session(&self) -> Result<Session, JsValue> {
        let key = DataKey::from_b64(&self.data_key).map_err(verr)?;
        let prefix = redship_core::vault::codec::b64_array(&self.nonce_prefix)
            .ok_or_else(|| verr(VaultError::BadInput { what: "session nonce prefix".into() }))?;
        Ok(Session::resume(key, NonceSequence::resume(prefix, self.next_counter, self.exhausted)))
    }
}

/// Random-byte counts each call needs, and the vault's constants.
#[wasm_bindgen(js_name = vaultInfo)]
pub fn vault_info() -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "schemaVersion": SCHEMA_VERSION,
        "schemaDate": redship_core::vault::newer::SCHEMA_DATE,
        "defaultIterations": keys::DEFAULT_PBKDF2_ITERATIONS,
        "minPassphraseChars": keys::MIN_PASSPHRASE_CHARS,
        "defaultRetentionDays": retention::DEFAULT_RETENTION_DAYS,
        "limits": redship_core::vault::settings::LIMITS,
        "keysStorageKey": redship_core::vault::KEYS_STORAGE_KEY,
        "deviceStorageKey": redship_core::vault::DEVICE_STORAGE_KEY,
        "prefixes": { "record": storage_key::RECORD_PREFIX, "pending": storage_key::PENDING_PREFIX, "quarantine": storage_key::QUARANTINE_PREFIX, "v1": migrate::V1_PREFIX },
        "random": {
            "create": keys::CREATE_RANDOM_LEN, "passphrase": keys::PASSPHRASE_RANDOM_LEN, "device": keys::DEVICE_RANDOM_LEN,
            "session": redship_core::vault::nonce::PREFIX_LEN, "queue": pending::PENDING_RANDOM_LEN, "backup": backup::BACKUP_RANDOM_LEN
        }
    }))
}

/// `vaultCreate(random)` → `{keys, device, unlocked: {dataKey, keyId}}`.
#[wasm_bindgen(js_name = vaultCreate)]
pub fn vault_create(random: &[u8]) -> Result<JsValue, JsValue> {
    let (keys, device, data) = keys::create_vault(random).map_err(verr)?;
    to_js(&serde_json::json!({ "keys": keys, "device": device, "unlocked": UnlockedView::of(&data) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnlockRequest {
    keys: KeysRecord,
    #[serde(default)]
    device: Option<DeviceRecord>,
    #[serde(default)]
    passphrase: Option<String>,
    #[serde(default)]
    precomputed: Option<Precomputed>,
}

/// `vaultUnlock({keys, device} | {keys, passphrase, precomputed?})` → `{dataKey, keyId}`.
/// `precomputed` = `{salt, iterations, key}`: PBKDF2 done by WebCrypto for the record's salt.
#[wasm_bindgen(js_name = vaultUnlock)]
pub fn vault_unlock(request: JsValue) -> Result<JsValue, JsValue> {
    let req: UnlockRequest = from_js(request)?;
    let data = match (&req.passphrase, &req.device) {
        (Some(p), _) => keys::unlock_with_passphrase(&req.keys, Passphrase::with(p, req.precomputed.as_ref())),
        (None, Some(d)) => keys::unlock_with_device(&req.keys, d),
        (None, None) if req.keys.has_passphrase() => Err(VaultError::Locked),
        (None, None) => Err(VaultError::Damaged { key: redship_core::vault::DEVICE_STORAGE_KEY.into() }),
    }
    .map_err(verr)?;
    to_js(&UnlockedView::of(&data))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PassphraseRequest {
    keys: KeysRecord,
    #[serde(default)]
    data_key: Option<String>,
    #[serde(default)]
    old_passphrase: Option<String>,
    #[serde(default)]
    passphrase: Option<String>,
    #[serde(default)]
    iterations: Option<u32>,
    #[serde(default)]
    old_precomputed: Option<Precomputed>,
    #[serde(default)]
    precomputed: Option<Precomputed>,
}

impl PassphraseRequest {
    fn old(&self) -> Passphrase<'_> {
        Passphrase::with(self.old_passphrase.as_deref().unwrap_or_default(), self.old_precomputed.as_ref())
    }

    fn new_one(&self) -> Passphrase<'_> {
        Passphrase::with(self.passphrase.as_deref().unwrap_or_default(), self.precomputed.as_ref())
    }
}

/// `vaultSetPassphrase({keys, dataKey, passphrase, iterations?, precomputed?}, random)` → new
/// keys record. The salt is `random[0..16]`, so the caller can precompute PBKDF2 for it.
#[wasm_bindgen(js_name = vaultSetPassphrase)]
pub fn vault_set_passphrase(request: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let req: PassphraseRequest = from_js(request)?;
    let data = DataKey::from_b64(req.data_key.as_deref().unwrap_or_default()).map_err(verr)?;
    let iterations = req.iterations.unwrap_or(keys::DEFAULT_PBKDF2_ITERATIONS);
    to_js(&keys::set_passphrase(&req.keys, &data, req.new_one(), iterations, random).map_err(verr)?)
}

/// `vaultChangePassphrase({keys, oldPassphrase, passphrase, iterations?, oldPrecomputed?,
/// precomputed?}, random)` → new keys record; a wrong old passphrase is `WrongPassphrase`.
#[wasm_bindgen(js_name = vaultChangePassphrase)]
pub fn vault_change_passphrase(request: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let req: PassphraseRequest = from_js(request)?;
    let iterations = req.iterations.unwrap_or(keys::DEFAULT_PBKDF2_ITERATIONS);
    let rec = keys::change_passphrase(&req.keys, req.old(), req.new_one(), iterations, random);
    to_js(&rec.map_err(verr)?)
}

/// `vaultRemovePassphrase({keys, passphrase, precomputed?}, random)` → `{keys, device}` (back to
/// device mode).
#[wasm_bindgen(js_name = vaultRemovePassphrase)]
pub fn vault_remove_passphrase(request: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let req: PassphraseRequest = from_js(request)?;
    let (keys, device) = keys::remove_passphrase(&req.keys, req.new_one(), random).map_err(verr)?;
    to_js(&serde_json::json!({ "keys": keys, "device": device }))
}

/// `vaultSessionStart({dataKey}, random8)` → a session with a fresh nonce prefix.
#[wasm_bindgen(js_name = vaultSessionStart)]
pub fn vault_session_start(unlocked: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
    let u: UnlockedView = from_js(unlocked)?;
    let key = DataKey::from_b64(&u.data_key).map_err(verr)?;
    let prefix = random.get(..redship_core::vault::nonce::PREFIX_LEN).and_then(|p| p.try_into().ok());
    let prefix = prefix.ok_or_else(|| {
        verr(VaultError::Randomness { needed: redship_core::vault::nonce::PREFIX_LEN, got: random.len() })
    })?;
    to_js(&SessionView::of(&Session::new(key, prefix)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SealHead {
    session: SessionView,
    now_ms: i64,
    /// Records a newer RedShip wrote (storage key → version): never written over.
    #[serde(default)]
    held: BTreeMap<String, u32>,
}

fn field(obj: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(obj, &JsValue::from_str(name))
        .map_err(|_| js_error("RequestError", format!("expected an object with `{name}`")))
}

fn set(obj: &Object, name: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(obj, &JsValue::from_str(name), value)
        .map(|_| ())
        .map_err(|_| js_error("ViewError", "cannot build the view"))
}

/// The plaintext of one write. The value's JSON text stays a JS string and is copied slice by
/// slice straight into the buffer that is then encrypted in place, so a 5 MB snapshot needs
/// about 5 MB of wasm memory, not a `Value` tree, its clone and three texts.
fn plaintext(key: &str, value: &JsValue, now_ms: i64) -> Result<Plaintext, JsValue> {
    let text = if value.is_null() { None } else { redship_bind::jstext::stringify(value, "RequestError")? };
    let Some(text) = text else { return Plaintext::new(key, now_ms, None).map_err(verr) };
    let mut reader = redship_bind::jstext::JsTextReader::new(text);
    let mut plain = Plaintext::new(key, now_ms, Some(reader.utf8_len())).map_err(verr)?;
    reader.for_each_slice(|bytes| plain.push(bytes));
    Ok(plain)
}

/// The stored envelope `{v, k, n, c}`; `c` is base64-encoded a piece at a time into JS.
fn envelope(sealed: &SealedBytes) -> Result<JsValue, JsValue> {
    let env = Object::new();
    set(&env, "v", &JsValue::from_f64(f64::from(sealed.v)))?;
    set(&env, "k", &JsValue::from_str(&sealed.k))?;
    set(&env, "n", &JsValue::from_str(&sealed.n))?;
    let mut c = redship_bind::jstext::JsTextWriter::new();
    // A multiple of 3 bytes: the pieces' base64 texts join into the whole's.
    for piece in sealed.ct.chunks(48 * 1024) {
        c.push_ascii(&redship_core::vault::codec::b64_encode(piece));
    }
    set(&env, "c", &c.finish()?.into())?;
    Ok(env.into())
}

/// `vaultSeal({session, writes: [{key, value | null}], nowMs})` → `{session, items: {storageKey:
/// envelope}, storageKeys: [one per write, in order]}`; a null value seals a tombstone. Write
/// `items` in one `set`, keep `session`. A value is sealed as its `JSON.stringify` text.
#[wasm_bindgen(js_name = vaultSeal)]
pub fn vault_seal(request: JsValue) -> Result<JsValue, JsValue> {
    // Only the small parts cross as one JSON text; each value is read on its own, below.
    let head = Object::new();
    set(&head, "session", &field(&request, "session")?)?;
    set(&head, "nowMs", &field(&request, "nowMs")?)?;
    let held = field(&request, "held")?;
    if !held.is_undefined() {
        set(&head, "held", &held)?;
    }
    let head: SealHead = from_js(head.into())?;
    let writes = field(&request, "writes")?;
    if !Array::is_array(&writes) {
        return Err(js_error("RequestError", "writes: expected an array of {key, value}"));
    }
    let mut session = head.session.session()?;
    let (items, names) = (Object::new(), Array::new());
    for (i, w) in Array::from(&writes).iter().enumerate() {
        let key = field(&w, "key")?
            .as_string()
            .ok_or_else(|| js_error("RequestError", format!("writes[{i}].key: expected text")))?;
        let plain = plaintext(&key, &field(&w, "value")?, head.now_ms)?;
        let (skey, sealed) = newer::seal_beside(&mut session, plain, &head.held).map_err(verr)?;
        set(&items, &skey, &envelope(&sealed)?)?;
        names.push(&JsValue::from_str(&skey));
    }
    let out = Object::new();
    set(&out, "session", &to_js(&SessionView::of(&session))?)?;
    set(&out, "items", &items)?;
    set(&out, "storageKeys", &names)?;
    Ok(out.into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NamesRequest {
    data_key: String,
    keys: Vec<String>,
}

/// `vaultStorageKeys({dataKey, keys})` → `{logicalKey: storageKey}`.
#[wasm_bindgen(js_name = vaultStorageKeys)]
pub fn vault_storage_keys(request: JsValue) -> Result<JsValue, JsValue> {
    let req: NamesRequest = from_js(request)?;
    let key = DataKey::from_b64(&req.data_key).map_err(verr)?;
    let mut out = BTreeMap::new();
    for k in req.keys {
        let s = storage_key::storage_key(&key, &k).map_err(verr)?;
        out.insert(k, s);
    }
    to_js(&out)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenRequest {
    data_key: String,
    entries: BTreeMap<String, Value>,
    now_ms: i64,
}

/// One opened record; its value is the decrypted JSON text, written out as is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordView<'a> {
    storage_key: &'a str,
    key: &'a str,
    written_ms: i64,
    value: &'a RawValue,
}

/// `vaultOpen`'s answer.
#[derive(Serialize)]
struct OpenView<'a> {
    records: Vec<RecordView<'a>>,
    tombstones: Vec<String>,
    quarantine: Vec<QuarantineMove>,
    newer: Vec<newer::NewerRecord>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuarantineMove {
    storage_key: String,
    quarantine_key: String,
    record: quarantine::QuarantinedRecord,
}

fn moves(list: Vec<(String, quarantine::QuarantinedRecord)>) -> Vec<QuarantineMove> {
    list.into_iter()
        .map(|(k, r)| QuarantineMove { storage_key: r.storage_key.clone(), quarantine_key: k, record: r })
        .collect()
}

/// `vaultOpen({dataKey, entries: {storageKey: raw}, nowMs})` → `{records: [{storageKey, key,
/// writtenMs, value}], tombstones: [storageKey], quarantine: [{storageKey, quarantineKey,
/// record}]}`. Only `r.` entries are opened; one bad record never fails the call.
#[wasm_bindgen(js_name = vaultOpen)]
pub fn vault_open(request: JsValue) -> Result<JsValue, JsValue> {
    // The entries hold every sealed record (a 10,000-order snapshot is 7 MB of base64): read a
    // slice at a time, and the values stay text from decryption to `JSON.parse` in JS.
    let req: OpenRequest = from_js_large(request)?;
    let session = Session::new(DataKey::from_b64(&req.data_key).map_err(verr)?, [0; 8]);
    let scan = quarantine::scan_text(&session, &entries(req.entries), req.now_ms);
    let mut records = Vec::with_capacity(scan.records.len());
    for (storage_key, opened) in &scan.records {
        let text = opened.value_json().unwrap_or("null");
        // The core checked it is one JSON value when it opened the record.
        let value: &RawValue = serde_json::from_str(text).map_err(|e| js_error("VaultError", e))?;
        records.push(RecordView { storage_key, key: &opened.logical_key, written_ms: opened.written_ms, value });
    }
    to_js(&OpenView { records, tombstones: scan.tombstones, quarantine: moves(scan.quarantine), newer: scan.newer })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MigrateRequest {
    session: SessionView,
    entries: BTreeMap<String, Value>,
    now_ms: i64,
}

/// `vaultMigrateV1({session, entries, nowMs})` → `{session, items, remove, skipped: [{storageKey,
/// reason}]}`: write `items` in one `set`, then remove `remove`.
#[wasm_bindgen(js_name = vaultMigrateV1)]
pub fn vault_migrate_v1(request: JsValue) -> Result<JsValue, JsValue> {
    let req: MigrateRequest = from_js(request)?;
    let mut session = req.session.session()?;
    let plan = migrate::migrate_v1(&mut session, &entries(req.entries), req.now_ms).map_err(verr)?;
    let items: BTreeMap<String, Envelope> = plan.writes.into_iter().collect();
    let skipped: Vec<Value> =
        plan.skipped.into_iter().map(|(k, r)| serde_json::json!({ "storageKey": k, "reason": r })).collect();
    to_js(
        &serde_json::json!({ "session": SessionView::of(&session), "items": items, "remove": plan.remove, "skipped": skipped }),
    )
}

mod stores;
// Lets `lib.rs` re-export every vault binding with one `pub use vault::*` (tests use them).
#[allow(unused_imports)]
pub use stores::*;
