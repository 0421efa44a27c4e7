//! The vault: encrypted, durable local storage for all of RedShip's persisted state.
//!
//! Every logical record (`"ledger/…"`, `"journal/…"`, …) is stored in `chrome.storage.local`
//! as one small AES-256-GCM envelope under an opaque storage key (an HMAC of the logical key),
//! so nothing in storage — neither values nor keys — reveals a package ID, name or number.
//! The service worker owns the I/O; this module decides everything else, and the unlocked key
//! lives only in a [`session::VaultSession`]:
//! - [`keys`]: the data key, its device-key or passphrase wrap, unlock, passphrase changes;
//! - [`nonce`]: why a nonce can never repeat (random session prefix + counter);
//! - [`storage_key`]: opaque storage keys; [`record`]: sealing and opening envelopes;
//! - [`session`]: the live unlocked vault (key + the one nonce sequence) from unlock to lock;
//! - [`pending`]: the locked queue — decrypt events sealed to a public key while locked;
//! - [`migrate`]: schema versions (v1 = the interim plaintext store) and upgrades;
//! - [`backup`]: one passphrase-encrypted, versioned, integrity-checked backup file;
//! - [`quarantine`]: opening a whole store without letting one bad record stop the rest;
//! - [`newer`]: records a newer RedShip wrote, kept untouched after a downgrade;
//! - [`retention`]: which old snapshots and journals to purge;
//! - [`settings`]: retention days and auto-lock minutes, and the ranges they accept.
//!
//! Randomness is always passed in as bytes by the caller (`crypto.getRandomValues`).

pub mod backup;
pub mod codec;
pub mod keys;
pub mod migrate;
pub mod newer;
pub mod nonce;
pub mod pending;
pub mod plaintext;
pub mod quarantine;
pub mod record;
pub mod retention;
pub mod session;
pub mod settings;
pub mod storage_key;

pub use keys::{DataKey, DeviceRecord, KeysRecord};
pub use record::{Envelope, Opener, Sealer};
pub use session::{SessionToken, VaultSession};

use thiserror::Error;

/// Storage key of the keys record ([`keys::KeysRecord`]).
pub const KEYS_STORAGE_KEY: &str = "vault.keys";
/// Storage key of the device key record ([`keys::DeviceRecord`]).
pub const DEVICE_STORAGE_KEY: &str = "vault.device";
/// Current schema version of sealed records. Version 1 was the interim plaintext store.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything that can go wrong in the vault, each with a message a merchant can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VaultError {
    /// The passphrase does not open the vault or backup.
    #[error("WrongPassphrase: the passphrase is wrong; nothing was changed")]
    WrongPassphrase,
    /// A stored record (or file) failed authentication or could not be read.
    #[error("Damaged: record {key} is damaged or was changed outside RedShip")]
    Damaged {
        /// The storage key (or file name) of the damaged item.
        key: String,
    },
    /// A record has a schema version this RedShip does not know.
    #[error("UnknownVersion: record {key} has version {found}, which this RedShip version does not understand")]
    UnknownVersion {
        /// The storage key of the record.
        key: String,
        /// The version found.
        found: u32,
    },
    /// A record written by a newer RedShip sits where this write would go: it is kept untouched
    /// and nothing is written over it (update RedShip to read and change it).
    #[error("NewerRecord: record {key} was written by a newer RedShip (format {found}); it is kept as it is: update RedShip")]
    NewerRecord {
        /// The storage key of the newer record.
        key: String,
        /// The format version it carries.
        found: u32,
    },
    /// The vault is locked; unlock it with the passphrase first.
    #[error("Locked: the vault is locked; unlock it with your passphrase first")]
    Locked,
    /// The vault has no passphrase, so it cannot be locked or unlocked with one.
    #[error("NoPassphrase: no passphrase is set for this vault")]
    NoPassphrase,
    /// The passphrase is too short.
    #[error("PassphraseTooShort: the passphrase must have at least {min} characters")]
    PassphraseTooShort {
        /// Minimum number of characters.
        min: usize,
    },
    /// A record was sealed by another vault's key.
    #[error("WrongKey: this data belongs to a different vault key")]
    WrongKey,
    /// The caller passed too few random bytes.
    #[error("Randomness: {needed} random bytes are needed, {got} were given")]
    Randomness {
        /// Bytes needed.
        needed: usize,
        /// Bytes given.
        got: usize,
    },
    /// The key session has used all its nonces; start a new session.
    #[error("NonceExhausted: this key session has used all its nonces; start a new session")]
    NonceExhausted,
    /// A request value is malformed.
    #[error("BadInput: {what} is not valid")]
    BadInput {
        /// What was wrong, and where.
        what: String,
    },
    /// The backup file is not a RedShip backup or is damaged.
    #[error("BadBackup: {problem:?}: {reason}; the current data was not changed")]
    BadBackup {
        /// Which kind of problem (a stable code the options page translates).
        problem: backup::BackupProblem,
        /// What is wrong with the file, in detail.
        reason: String,
    },
}

impl VaultError {
    /// Stable machine code (the variant name), for JS `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::WrongPassphrase => "WrongPassphrase",
            Self::Damaged { .. } => "Damaged",
            Self::UnknownVersion { .. } => "UnknownVersion",
            Self::NewerRecord { .. } => "NewerRecord",
            Self::Locked => "Locked",
            Self::NoPassphrase => "NoPassphrase",
            Self::PassphraseTooShort { .. } => "PassphraseTooShort",
            Self::WrongKey => "WrongKey",
            Self::Randomness { .. } => "Randomness",
            Self::NonceExhausted => "NonceExhausted",
            Self::BadInput { .. } => "BadInput",
            Self::BadBackup { .. } => "BadBackup",
        }
    }
}

/// Reads fixed-size pieces out of the caller's random bytes.
pub(crate) struct RandomReader<'a> {
    rest: &'a [u8],
}

impl RandomReader<'_> {
    /// Takes the next `N` bytes (length was checked up front by [`take_random`]).
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], VaultError> {
        if self.rest.len() < N {
            return Err(VaultError::Randomness { needed: N, got: self.rest.len() });
        }
        let (head, tail) = self.rest.split_at(N);
        self.rest = tail;
        let mut out = [0u8; N];
        out.copy_from_slice(head);
        Ok(out)
    }
}

/// Checks that at least `needed` random bytes were passed and returns a reader over them.
pub(crate) fn take_random(random: &[u8], needed: usize) -> Result<RandomReader<'_>, VaultError> {
    if random.len() < needed {
        return Err(VaultError::Randomness { needed, got: random.len() });
    }
    Ok(RandomReader { rest: random })
}
