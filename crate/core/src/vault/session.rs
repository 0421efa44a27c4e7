//! The live unlocked vault: one value holding the data key and the session's only nonce
//! sequence, from unlock until lock.
//!
//! Before, the worker kept the data key and the nonce counter itself and handed them back on
//! every seal, so "a nonce never repeats" rested on JS always passing the latest counter. Now the
//! key and the [`Sealer`] live here, behind the boundary's `VaultSession` handle: every caller
//! seals through the same sequence, readers get the [`Opener`] (which cannot seal), and after
//! [`VaultSession::lock`] the key is wiped and every call answers [`VaultError::Locked`].
//!
//! Worker restarts. A passphrase-protected vault stays unlocked across service-worker restarts
//! (as before) through a [`SessionToken`] the worker keeps in `chrome.storage.session` (memory
//! only, gone with the browser). The token is the raw data key: nothing else survives a worker
//! restart to wrap it with. It is handed out once, by the unlock that made it
//! ([`VaultSession::take_restart_token`]), never by a live session asked later. A device-mode
//! vault needs no token: it unwraps its key with the device key at every start.
//!
//! Randomness (the nonce prefix) is passed in by the caller, as everywhere in the vault.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroize;

use super::codec::Passphrase;
use super::keys::{self, DataKey, DeviceRecord, KeysRecord};
use super::nonce::PREFIX_LEN;
use super::pending::{self, PendingEvent, QuarantineEntry};
use super::record::{Opener, Sealer};
use super::{take_random, VaultError};

/// What keeps a passphrase vault unlocked across worker restarts: the data key (base64url) and
/// its key id, in the layout earlier builds kept in `chrome.storage.session`. Wiped when dropped.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionToken {
    data_key: String,
    key_id: String,
}

impl Drop for SessionToken {
    fn drop(&mut self) {
        self.data_key.zeroize();
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionToken({})", self.key_id)
    }
}

/// The unlocked state: the key (for the keys record and the locked queue) and its sealer.
#[derive(Debug)]
struct Unlocked {
    key: DataKey,
    sealer: Sealer,
    /// Whether [`VaultSession::take_restart_token`] may still hand out the token.
    token_due: bool,
}

/// The live vault session. Every method answers [`VaultError::Locked`] once it is locked.
#[derive(Debug)]
pub struct VaultSession {
    unlocked: Option<Unlocked>,
}

fn prefix_of(random: &[u8]) -> Result<[u8; PREFIX_LEN], VaultError> {
    take_random(random, PREFIX_LEN)?.array()
}

impl VaultSession {
    /// A session of `key`, which must be the key `keys` describes ([`VaultError::WrongKey`]
    /// otherwise); [`PREFIX_LEN`] random bytes start its nonce sequence.
    pub fn start(key: DataKey, keys: &KeysRecord, random: &[u8]) -> Result<Self, VaultError> {
        if key.key_id() != keys.key_id {
            return Err(VaultError::WrongKey);
        }
        let sealer = Sealer::new(&key, prefix_of(random)?);
        Ok(Self { unlocked: Some(Unlocked { key, sealer, token_due: false }) })
    }

    /// Unlocks a device-mode vault with its device key.
    pub fn unlock_device(keys: &KeysRecord, device: &DeviceRecord, random: &[u8]) -> Result<Self, VaultError> {
        Self::start(keys::unlock_with_device(keys, device)?, keys, random)
    }

    /// Unlocks with the passphrase; the session then owes the worker its restart token.
    pub fn unlock_passphrase<'a>(
        keys: &KeysRecord,
        passphrase: impl Into<Passphrase<'a>>,
        random: &[u8],
    ) -> Result<Self, VaultError> {
        let mut s = Self::start(keys::unlock_with_passphrase(keys, passphrase)?, keys, random)?;
        s.live_mut()?.token_due = true;
        Ok(s)
    }

    /// Resumes after a worker restart from the token the unlock handed out. A token of another
    /// key (the vault was made anew) is [`VaultError::WrongKey`].
    pub fn resume(keys: &KeysRecord, token: &SessionToken, random: &[u8]) -> Result<Self, VaultError> {
        if token.key_id != keys.key_id {
            return Err(VaultError::WrongKey);
        }
        Self::start(DataKey::from_b64(&token.data_key)?, keys, random)
    }

    fn live(&self) -> Result<&Unlocked, VaultError> {
        self.unlocked.as_ref().ok_or(VaultError::Locked)
    }

    fn live_mut(&mut self) -> Result<&mut Unlocked, VaultError> {
        self.unlocked.as_mut().ok_or(VaultError::Locked)
    }

    /// Wipes the key and every sub-key; from now on every call is [`VaultError::Locked`].
    pub fn lock(&mut self) {
        self.unlocked = None;
    }

    /// Whether [`VaultSession::lock`] was called.
    pub fn is_locked(&self) -> bool {
        self.unlocked.is_none()
    }

    /// The public id of the session's key.
    pub fn key_id(&self) -> Result<&str, VaultError> {
        Ok(self.live()?.sealer.opener().key_id())
    }

    /// The restart token, once: right after a passphrase unlock or after
    /// [`VaultSession::set_passphrase`]; `None` at every later call and for a device-mode or
    /// resumed session (which need none, or have it stored already).
    pub fn take_restart_token(&mut self) -> Result<Option<SessionToken>, VaultError> {
        let live = self.live_mut()?;
        if !std::mem::take(&mut live.token_due) {
            return Ok(None);
        }
        Ok(Some(SessionToken { data_key: live.key.to_b64(), key_id: live.key.key_id() }))
    }

    /// The read-only side: open records, name them.
    pub fn opener(&self) -> Result<&Opener, VaultError> {
        Ok(self.live()?.sealer.opener())
    }

    /// The writing side; every caller seals through this one nonce sequence.
    pub fn sealer(&mut self) -> Result<&mut Sealer, VaultError> {
        Ok(&mut self.live_mut()?.sealer)
    }

    /// Wraps the session's key with a first passphrase (see [`keys::set_passphrase`]); the
    /// session then owes the worker its restart token, since it now stays unlocked only by it.
    pub fn set_passphrase<'a>(
        &mut self,
        keys: &KeysRecord,
        passphrase: impl Into<Passphrase<'a>>,
        iterations: u32,
        random: &[u8],
    ) -> Result<KeysRecord, VaultError> {
        let live = self.live_mut()?;
        let record = keys::set_passphrase(keys, &live.key, passphrase, iterations, random)?;
        live.token_due = true;
        Ok(record)
    }

    /// Opens the locked queue's events (see [`pending::open_pending`]).
    pub fn open_queue(
        &self,
        keys: &KeysRecord,
        entries: &[(String, Value)],
        now_ms: i64,
    ) -> Result<(Vec<PendingEvent>, Vec<QuarantineEntry>), VaultError> {
        pending::open_pending(keys, &self.live()?.key, entries, now_ms)
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
