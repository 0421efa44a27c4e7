//! A fast hasher for maps keyed by short texts that come from the user's own files and the
//! extension's own storage (package IDs, tracking numbers): the import builds several maps of
//! 10,000 keys per call, where std's SipHash (built to resist crafted keys from the network)
//! was a tenth of the validation time. FxHash's word-at-a-time multiply-and-rotate.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (as in rustc): fast, not resistant to crafted collisions.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_hash_apart_and_look_up() {
        let mut m: FastMap<&str, usize> = FastMap::default();
        for (i, k) in ["P100000000000001", "P100000000000002", "SF1234567890123", "", "a"].iter().enumerate() {
            m.insert(k, i);
        }
        assert_eq!(m.len(), 5);
        assert_eq!(m.get("P100000000000002"), Some(&1));
        assert_eq!(m.get(""), Some(&3));
        assert_eq!(m.get("P100000000000003"), None);
    }
}
