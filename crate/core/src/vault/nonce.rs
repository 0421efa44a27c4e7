//! Record nonces: a per-session random prefix plus a counter, so a nonce never repeats.
//!
//! Why not plain random nonces? The core cannot draw randomness; the caller passes bytes in.
//! With one fresh random 96-bit nonce per write, uniqueness rests entirely on every single draw
//! being good. Instead a nonce is `prefix (8 random bytes) || counter (4 bytes, big-endian)`:
//! - the prefix is drawn once per *key session* (each service-worker start / unlock) from
//!   `crypto.getRandomValues`, and the counter starts at 0; the sequence lives inside the live
//!   session ([`super::session::VaultSession`]) and never leaves it, so every caller of that
//!   session draws from the one counter;
//! - within a session the counter only goes up, so two writes of one session can never share a
//!   nonce, whatever the RNG does; the counter is never persisted, so a killed worker cannot
//!   resume an old counter — the next session simply has a new prefix;
//! - across sessions, a repeat needs two equal 64-bit prefixes: with 10^5 sessions over a
//!   vault's life that chance is about 3·10^-10;
//! - a session refuses to go past 2^32 writes ([`VaultError::NonceExhausted`]) instead of
//!   wrapping around; the caller starts a new session.
//!
//! The unit tests draw 1,000,000 nonces through this exact construction and check none repeats.

use super::codec::NONCE_LEN;
use super::VaultError;

/// Length of the random per-session prefix.
pub const PREFIX_LEN: usize = 8;

/// The nonce state of one key session: random prefix and next counter value. Not `Clone`, and
/// it cannot be rebuilt at a chosen counter: the only sequence of a session is the one inside
/// its [`super::record::Sealer`], so no caller can hand back an older counter.
#[derive(Debug, PartialEq, Eq)]
pub struct NonceSequence {
    prefix: [u8; PREFIX_LEN],
    next: u32,
    exhausted: bool,
}

impl NonceSequence {
    /// Starts a sequence from a fresh random prefix (from the caller's CSPRNG).
    pub fn new(prefix: [u8; PREFIX_LEN]) -> Self {
        Self { prefix, next: 0, exhausted: false }
    }

    /// A sequence near its end, for the test that it never wraps.
    #[cfg(test)]
    fn at(prefix: [u8; PREFIX_LEN], next: u32) -> Self {
        Self { prefix, next, exhausted: false }
    }

    /// The prefix of this session.
    pub fn prefix(&self) -> [u8; PREFIX_LEN] {
        self.prefix
    }

    /// The counter value the next nonce will use.
    pub fn next_counter(&self) -> u32 {
        self.next
    }

    /// Whether every counter value of this session has been used.
    pub fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// Takes the next nonce; fails once all 2^32 counter values of this prefix are used.
    pub fn take(&mut self) -> Result<[u8; NONCE_LEN], VaultError> {
        if self.exhausted {
            return Err(VaultError::NonceExhausted);
        }
        let mut nonce = [0u8; NONCE_LEN];
        nonce[..PREFIX_LEN].copy_from_slice(&self.prefix);
        nonce[PREFIX_LEN..].copy_from_slice(&self.next.to_be_bytes());
        match self.next.checked_add(1) {
            Some(n) => self.next = n,
            None => self.exhausted = true,
        }
        Ok(nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn counter_never_wraps() {
        let mut seq = NonceSequence::at([9; 8], u32::MAX - 1);
        assert!(seq.take().is_ok());
        assert!(seq.take().is_ok());
        assert!(matches!(seq.take(), Err(VaultError::NonceExhausted)));
    }

    #[test]
    fn one_million_nonces_never_repeat() {
        let mut seq = NonceSequence::new([0xAB; 8]);
        let mut seen = HashSet::with_capacity(1_000_000);
        for _ in 0..1_000_000 {
            let n = seq.take().expect("nonce");
            assert!(seen.insert(n), "nonce repeated");
        }
    }
}
