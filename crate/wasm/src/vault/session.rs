//! The live unlocked vault as JS holds it: `VaultSession` (core `vault::session::VaultSession`)
//! seals, and its `VaultOpener` only opens and names records. The data key and the nonce
//! counter stay in wasm memory from unlock to `lock()`; no method returns key material, except
//! the restart token the unlock hands out once (`takeRestartToken`, for
//! `chrome.storage.session`). Both handles share the one core session, so after `lock()` every
//! call on either answers a `VaultError` `Locked`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Array, Object};
use redship_core::vault::codec::Precomputed;
use redship_core::vault::{
    self as core_vault, backup, keys, migrate, newer, quarantine, DeviceRecord, Envelope, KeysRecord, Opener,
    SessionToken, VaultError,
};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{
    entries, envelope, field, moves, plaintext, set, verr, with_values, OpenView, PassphraseRequest, RecordView,
};
use crate::boundary::{from_js, from_js_large, js_error, to_js};

type Shared = Rc<RefCell<core_vault::VaultSession>>;

/// The core session, or a `VaultError` when a call is already using it (a JS callback run
/// from inside a call, e.g. a `toJSON`, calling back in).
fn borrow(s: &Shared) -> Result<std::cell::RefMut<'_, core_vault::VaultSession>, JsValue> {
    s.try_borrow_mut().map_err(|_| js_error("VaultError", "the vault session is busy with another call"))
}

fn with_opener<T>(s: &Shared, f: impl FnOnce(&Opener) -> Result<T, JsValue>) -> Result<T, JsValue> {
    let session = borrow(s)?;
    f(session.opener().map_err(verr)?)
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
    #[serde(default)]
    token: Option<SessionToken>,
}

/// The unlocked vault (see the module notes).
#[wasm_bindgen]
pub struct VaultSession(Shared);

/// The read-only side of a [`VaultSession`]: opens and names records, cannot seal.
#[wasm_bindgen]
pub struct VaultOpener(Shared);

#[wasm_bindgen]
impl VaultSession {
    /// `VaultSession.unlock({keys, device} | {keys, passphrase, precomputed?} | {keys, token},
    /// random8)`: the device key, the passphrase (`precomputed` = WebCrypto's PBKDF2 for the
    /// record's salt) or the restart token a passphrase unlock handed out. `random8` starts the
    /// nonce sequence. Throws `VaultError` `WrongPassphrase`, `Locked` (passphrase vault, nothing
    /// given), `WrongKey` (a token of another vault) or `Damaged`.
    pub fn unlock(request: JsValue, random: &[u8]) -> Result<VaultSession, JsValue> {
        let req: UnlockRequest = from_js(request)?;
        let session = match (&req.passphrase, &req.token, &req.device) {
            (Some(p), _, _) => core_vault::VaultSession::unlock_passphrase(
                &req.keys,
                redship_core::vault::codec::Passphrase::with(p, req.precomputed.as_ref()),
                random,
            ),
            (None, Some(t), _) => core_vault::VaultSession::resume(&req.keys, t, random),
            (None, None, Some(d)) => core_vault::VaultSession::unlock_device(&req.keys, d, random),
            (None, None, None) if req.keys.has_passphrase() => Err(VaultError::Locked),
            (None, None, None) => Err(VaultError::Damaged { key: core_vault::DEVICE_STORAGE_KEY.into() }),
        };
        Ok(VaultSession(Rc::new(RefCell::new(session.map_err(verr)?))))
    }

    /// The public id of the session's key.
    #[wasm_bindgen(js_name = keyId)]
    pub fn key_id(&self) -> Result<String, JsValue> {
        Ok(borrow(&self.0)?.key_id().map_err(verr)?.to_string())
    }

    /// `{dataKey, keyId}` to keep in `chrome.storage.session`, once: after a passphrase unlock
    /// or `setPassphrase`; null at every other call.
    #[wasm_bindgen(js_name = takeRestartToken)]
    pub fn take_restart_token(&self) -> Result<JsValue, JsValue> {
        let token = borrow(&self.0)?.take_restart_token().map_err(verr)?;
        to_js(&token)
    }

    /// The read-only opener of this session (locked with it).
    pub fn opener(&self) -> VaultOpener {
        VaultOpener(Rc::clone(&self.0))
    }

    /// Wipes the key; every later call on this session or its openers is `Locked`.
    pub fn lock(&self) -> Result<(), JsValue> {
        borrow(&self.0)?.lock();
        Ok(())
    }

    /// `seal({writes: [{key, value | null}], nowMs, held?})` → `{items: {storageKey: envelope},
    /// storageKeys: [one per write, in order]}`; a null value seals a tombstone, a value is
    /// sealed as its `JSON.stringify` text. `held` (storage key → version) names records a
    /// newer RedShip wrote: never written over. Write `items` in one `set`.
    pub fn seal(&self, request: JsValue) -> Result<JsValue, JsValue> {
        // Only the small parts cross as one JSON text; each value is read on its own, below.
        let head = Object::new();
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
        let mut session = borrow(&self.0)?;
        let sealer = session.sealer().map_err(verr)?;
        let (items, names) = (Object::new(), Array::new());
        for (i, w) in Array::from(&writes).iter().enumerate() {
            let key = field(&w, "key")?
                .as_string()
                .ok_or_else(|| js_error("RequestError", format!("writes[{i}].key: expected text")))?;
            // One value at a time, so a big write never holds every plaintext at once.
            let plain = plaintext(&key, &field(&w, "value")?, head.now_ms)?;
            let (skey, sealed) = newer::seal_beside(sealer, plain, &head.held).map_err(verr)?;
            set(&items, &skey, &envelope(&sealed)?)?;
            names.push(&JsValue::from_str(&skey));
        }
        let out = Object::new();
        set(&out, "items", &items)?;
        set(&out, "storageKeys", &names)?;
        Ok(out.into())
    }

    /// `migrateV1({entries, nowMs})` → `{items, remove, skipped: [{storageKey, reason}]}`: write
    /// `items` in one `set`, then remove `remove`.
    #[wasm_bindgen(js_name = migrateV1)]
    pub fn migrate_v1(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: EntriesRequest = from_js(request)?;
        let mut session = borrow(&self.0)?;
        let plan =
            migrate::migrate_v1(session.sealer().map_err(verr)?, &entries(req.entries), req.now_ms).map_err(verr)?;
        let items: BTreeMap<String, Envelope> = plan.writes.into_iter().collect();
        let skipped: Vec<Value> =
            plan.skipped.into_iter().map(|(k, r)| serde_json::json!({ "storageKey": k, "reason": r })).collect();
        to_js(&serde_json::json!({ "items": items, "remove": plan.remove, "skipped": skipped }))
    }

    /// `restore({contents: {createdMs, records}, currentKeys})` → `{items, createdMs, count}`:
    /// the backup's records, as the office module's `vaultBackupOpen` read them from the file
    /// (a wrong passphrase or a damaged file fails there, before anything is produced), sealed
    /// with this session's key; `items` (restored records + tombstones for keys the backup
    /// lacks) go in one `set`.
    pub fn restore(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: RestoreRequest = from_js(request)?;
        let contents = req.contents;
        let mut session = borrow(&self.0)?;
        let plan = backup::plan_restore(session.sealer().map_err(verr)?, &contents, &req.current_keys);
        let items: BTreeMap<String, Envelope> = plan.map_err(verr)?.into_iter().collect();
        to_js(&serde_json::json!({ "items": items, "createdMs": contents.created_ms, "count": contents.records.len() }))
    }

    /// `setPassphrase({keys, passphrase, iterations?, precomputed?}, random)` → the new keys
    /// record (the salt is `random[0..16]`, so the caller can precompute PBKDF2 for it). The
    /// session then hands out its restart token once (`takeRestartToken`).
    #[wasm_bindgen(js_name = setPassphrase)]
    pub fn set_passphrase(&self, request: JsValue, random: &[u8]) -> Result<JsValue, JsValue> {
        let req: PassphraseRequest = from_js(request)?;
        let iterations = req.iterations.unwrap_or(keys::DEFAULT_PBKDF2_ITERATIONS);
        let record = borrow(&self.0)?.set_passphrase(&req.keys, req.new_one(), iterations, random);
        to_js(&record.map_err(verr)?)
    }

    /// `queueOpen({keys, entries, nowMs})` → `{events: [{storageKey, atMs, event}], quarantine}`,
    /// oldest event first.
    #[wasm_bindgen(js_name = queueOpen)]
    pub fn queue_open(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: QueueOpenRequest = from_js(request)?;
        let opened = borrow(&self.0)?.open_queue(&req.keys, &entries(req.entries), req.now_ms);
        let (events, failed) = opened.map_err(verr)?;
        let events: Vec<Value> = events
            .into_iter()
            .map(|e| serde_json::json!({ "storageKey": e.storage_key, "atMs": e.at_ms, "event": e.event }))
            .collect();
        to_js(&serde_json::json!({ "events": events, "quarantine": moves(failed) }))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SealHead {
    now_ms: i64,
    /// Records a newer RedShip wrote (storage key → version): never written over.
    #[serde(default)]
    held: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EntriesRequest {
    entries: BTreeMap<String, Value>,
    now_ms: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueueOpenRequest {
    keys: KeysRecord,
    entries: BTreeMap<String, Value>,
    now_ms: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RestoreRequest {
    contents: backup::BackupContents,
    current_keys: Vec<String>,
}

#[wasm_bindgen]
impl VaultOpener {
    /// `open({entries: {storageKey: raw}, nowMs})` → `{records: [{storageKey, key, writtenMs,
    /// value}], tombstones: [storageKey], quarantine: [{storageKey, quarantineKey, record}],
    /// newer}`. Only `r.` entries are opened; one bad record never fails the call.
    pub fn open(&self, request: JsValue) -> Result<JsValue, JsValue> {
        // The entries hold every sealed record (a 10,000-order snapshot is 7 MB of base64); the
        // values stay text from decryption to `JSON.parse` in JS.
        let req: EntriesRequest = from_js_large(request)?;
        let scan = with_opener(&self.0, |o| Ok(quarantine::scan_text(o, &entries(req.entries), req.now_ms)))?;
        let records: Vec<RecordView> = scan
            .records
            .iter()
            .map(|(storage_key, o)| RecordView { storage_key, key: &o.logical_key, written_ms: o.written_ms })
            .collect();
        let view = to_js(&OpenView {
            records,
            tombstones: scan.tombstones,
            quarantine: moves(scan.quarantine),
            newer: scan.newer,
        })?;
        with_values(&view, scan.records.iter().map(|(_, o)| o.value_json()))?;
        Ok(view)
    }

    /// `storageKeys([logicalKey])` → `{logicalKey: storageKey}`.
    #[wasm_bindgen(js_name = storageKeys)]
    pub fn storage_keys(&self, keys: JsValue) -> Result<JsValue, JsValue> {
        let keys: Vec<String> = from_js(keys)?;
        let out = with_opener(&self.0, |o| {
            let mut out = BTreeMap::new();
            for k in keys {
                let s = o.storage_key(&k).map_err(verr)?;
                out.insert(k, s);
            }
            Ok(out)
        })?;
        to_js(&out)
    }
}
