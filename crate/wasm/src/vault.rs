//! Bindings for the core's `vault` domain: key management, the live unlocked session
//! (`VaultSession` and its read-only `VaultOpener`, in `vault/session.rs`: sealing and opening
//! records happen there, and the data key never crosses into JS after unlock), the locked
//! queue, backup, quarantine and retention. Conversions only; every decision is in
//! `redship_core::vault`. Random bytes come from the caller (`crypto.getRandomValues`); errors
//! are JS `Error`s named `VaultError` with the variant in `error.code`.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use redship_core::vault::codec::{Passphrase, Precomputed};
use redship_core::vault::plaintext::Plaintext;
use redship_core::vault::record::SealedBytes;
use redship_core::vault::{
    backup, keys, migrate, newer, pending, quarantine, retention, storage_key, KeysRecord, SCHEMA_VERSION,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::boundary::{from_js, js_error, to_js};

use redship_bind::vault_err as verr;

fn entries(map: BTreeMap<String, Value>) -> Vec<(String, Value)> {
    map.into_iter().collect()
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

/// `vaultCreate(random)` → `{keys, device}` (store both; `VaultSession.unlock({keys, device})`
/// then opens it). The new data key itself stays in wasm and is dropped here.
#[wasm_bindgen(js_name = vaultCreate)]
pub fn vault_create(random: &[u8]) -> Result<JsValue, JsValue> {
    let (keys, device, _data) = keys::create_vault(random).map_err(verr)?;
    to_js(&serde_json::json!({ "keys": keys, "device": device }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PassphraseRequest {
    keys: KeysRecord,
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
    set(&env, "c", &c.finish().into())?;
    Ok(env.into())
}

/// One opened record without its value: the value, decrypted JSON text, is added by
/// `JSON.parse` ([`with_values`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordView<'a> {
    storage_key: &'a str,
    key: &'a str,
    written_ms: i64,
}

/// Sets `value` on each record of the view's `records` array from its JSON text (`None`: a
/// null value). The text goes to the engine's `JSON.parse` as it is, never through a tree in wasm.
fn with_values<'a>(view: &JsValue, texts: impl Iterator<Item = Option<&'a str>>) -> Result<(), JsValue> {
    let records = Array::from(&field(view, "records")?);
    for (i, text) in texts.enumerate() {
        let value = match text {
            Some(text) => {
                js_sys::JSON::parse(text).map_err(|_| js_error("VaultError", "an opened record is not JSON"))?
            }
            None => JsValue::NULL,
        };
        set(records.get(i as u32).unchecked_ref(), "value", &value)?;
    }
    Ok(())
}

/// `VaultOpener.open`'s answer.
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

mod session;
mod stores;
// Lets `lib.rs` re-export every vault binding with one `pub use vault::*` (tests use them).
pub use session::{VaultOpener, VaultSession};
#[allow(unused_imports)]
pub use stores::*;
