//! Byte-level helpers shared by the vault: base64url text, HMAC-SHA256 derivations and the one
//! AES-256-GCM call site.
//!
//! Everything the vault puts in `chrome.storage` is JSON, so binary values (nonces, ciphertexts,
//! wrapped keys) travel as unpadded base64url; a small hand-written codec keeps the wasm small.
//! All AES-GCM sealing goes through [`aead_seal`] / [`aead_open`] so the cipher is used one way.

use aes_gcm::aead::{Aead, AeadInOut, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use pbkdf2::hmac::{Hmac, KeyInit as MacKeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// AES-256 key length in bytes.
pub const KEY_LEN: usize = 32;
/// AES-GCM nonce length in bytes (96 bits).
pub const NONCE_LEN: usize = 12;
/// AES-GCM tag length in bytes, appended to every ciphertext.
pub const TAG_LEN: usize = 16;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as unpadded base64url.
pub fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[idx as usize]));
        }
    }
    out
}

/// Decodes unpadded base64url; `None` for any character outside the alphabet, a dangling
/// length, or non-zero padding bits (so every value has exactly one text form).
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => return None,
            };
            n |= u32::from(v) << (18 - 6 * i);
        }
        let full = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let take = chunk.len() - 1;
        // Bits below the last whole byte must be zero, or two texts would decode alike.
        if full[take..].iter().any(|&b| b != 0) && take < 3 {
            return None;
        }
        out.extend_from_slice(&full[..take]);
    }
    Some(out)
}

/// Decodes base64url into a fixed-size array; `None` on bad text or wrong length.
pub fn b64_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    b64_decode(text).and_then(|v| <[u8; N]>::try_from(v.as_slice()).ok())
}

/// HMAC-SHA256 of `parts` (concatenated) under `key`.
pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail; the fallback is never reached.
    let mut mac = match <Hmac<Sha256> as MacKeyInit>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0u8; 32],
    };
    for p in parts {
        mac.update(p);
    }
    let out = mac.finalize().into_bytes();
    let mut arr = [0u8; 32];
    arr.copy_from_slice(&out);
    arr
}

/// Derives an independent 32-byte sub-key from `key` for one `purpose` (HKDF-Expand with a
/// single block), so one data key can serve encryption and naming without the two ever meeting.
pub fn derive(key: &[u8], purpose: &str) -> [u8; 32] {
    hmac(key, &[b"redship/vault/derive/v1\0", purpose.as_bytes(), &[1u8]])
}

/// HKDF-SHA256 (extract then one expand block) for key agreement output. Hand-written on
/// [`hmac`]: the `hkdf` crate did the same in 0.8 KB more of the gzipped main module (README,
/// "Dependencies and why").
pub fn hkdf(salt: &[u8], ikm: &[u8], info: &str) -> [u8; 32] {
    let prk = hmac(salt, &[ikm]);
    hmac(&prk, &[info.as_bytes(), &[1u8]])
}

/// PBKDF2-HMAC-SHA256 of a passphrase into a 32-byte key.
pub fn pbkdf2_key(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, iterations, &mut out);
    out
}

/// A PBKDF2-HMAC-SHA256 result the caller computed already (the service worker uses WebCrypto,
/// which runs 600,000 iterations natively in a fraction of the time wasm needs). It is used only
/// when its salt and iteration count are exactly the ones asked for; otherwise the core derives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Precomputed {
    /// The salt it was derived with, base64url.
    pub salt: String,
    /// The iteration count it was derived with.
    pub iterations: u32,
    /// The 32-byte result, base64url.
    pub key: String,
}

/// A passphrase, optionally with its PBKDF2 result precomputed.
#[derive(Clone, Copy)]
pub struct Passphrase<'a> {
    /// The passphrase as typed (needed for the length rule even when precomputed).
    pub text: &'a str,
    /// A PBKDF2 result for some salt and iteration count.
    pub precomputed: Option<&'a Precomputed>,
}

impl std::fmt::Debug for Passphrase<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

impl<'a> From<&'a str> for Passphrase<'a> {
    fn from(text: &'a str) -> Self {
        Self { text, precomputed: None }
    }
}

impl<'a> Passphrase<'a> {
    /// A passphrase with a precomputed PBKDF2 result.
    pub fn with(text: &'a str, precomputed: Option<&'a Precomputed>) -> Self {
        Self { text, precomputed }
    }

    /// Length in characters.
    pub fn chars(&self) -> usize {
        self.text.chars().count()
    }

    /// PBKDF2-HMAC-SHA256 of the passphrase for `salt` and `iterations` (precomputed if it fits).
    pub fn master(&self, salt: &[u8], iterations: u32) -> [u8; 32] {
        if let Some(p) = self.precomputed {
            if p.iterations == iterations && b64_decode(&p.salt).as_deref() == Some(salt) {
                if let Some(key) = b64_array::<32>(&p.key) {
                    return key;
                }
            }
        }
        pbkdf2_key(self.text, salt, iterations)
    }
}

/// Constant-time equality for MACs and key-check values (`subtle`: unequal lengths are unequal,
/// and the compare does not stop at the first differing byte).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// An AES-256-GCM key with its schedule computed once (a session seals many records).
#[derive(Clone)]
pub struct Cipher(Aes256Gcm);

impl Cipher {
    /// Prepares `key`.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self(Aes256Gcm::new(&(*key).into()))
    }

    /// Encrypts; returns ciphertext with the 16-byte tag appended.
    pub fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], msg: &[u8]) -> Vec<u8> {
        // Encryption only fails beyond GCM's 64 GiB message limit; the empty result then makes
        // the later open fail loudly instead of panicking here.
        self.0.encrypt(&Nonce::from(*nonce), Payload { msg, aad }).unwrap_or_default()
    }

    /// Decrypts; `None` when the tag does not verify.
    pub fn open(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
        self.0.decrypt(&Nonce::from(*nonce), Payload { msg: ct, aad }).ok()
    }

    /// Encrypts `buf` in place and appends the tag (reserve [`TAG_LEN`] spare bytes to keep it
    /// from reallocating): a big record then needs one buffer, not plaintext plus ciphertext.
    pub fn seal_in_place(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut Vec<u8>) {
        // As in `seal`: only beyond GCM's 64 GiB limit, and an empty result then fails to open.
        if self.0.encrypt_in_place(&Nonce::from(*nonce), aad, buf).is_err() {
            buf.clear();
        }
    }

    /// Decrypts ciphertext+tag in place, leaving the plaintext; `false` when the tag does not
    /// verify (the buffer's contents are then unspecified).
    pub fn open_in_place(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut Vec<u8>) -> bool {
        self.0.decrypt_in_place(&Nonce::from(*nonce), aad, buf).is_ok()
    }
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(..)")
    }
}

/// AES-256-GCM encryption; returns ciphertext with the 16-byte tag appended.
pub fn aead_seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], aad: &[u8], msg: &[u8]) -> Vec<u8> {
    Cipher::new(key).seal(nonce, aad, msg)
}

/// AES-256-GCM decryption; `None` when the tag does not verify (wrong key, nonce, AAD or bytes).
pub fn aead_open(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], aad: &[u8], ct: &[u8]) -> Option<Vec<u8>> {
    Cipher::new(key).open(nonce, aad, ct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..70 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = b64_encode(&data);
            assert_eq!(b64_decode(&text), Some(data));
        }
        assert_eq!(b64_encode(b"\xfb\xff"), "-_8");
        assert_eq!(b64_decode("A"), None);
        assert_eq!(b64_decode("AB=="), None);
        assert_eq!(b64_decode("AB"), None, "non-zero padding bits are rejected");
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn hkdf_matches_rfc5869_case_3() {
        // RFC 5869 A.3: SHA-256, IKM = 22 × 0x0b, empty salt and info; the first 32 bytes of OKM.
        let okm = hkdf(&[], &[0x0b; 22], "");
        let hex: String = okm.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
    }

    #[test]
    fn ct_eq_needs_every_byte_and_the_length() {
        assert!(ct_eq(b"check value 16 b", b"check value 16 b"));
        assert!(!ct_eq(b"check value 16 b", b"check value 16 c"));
        assert!(!ct_eq(b"check value 16 b", b"check value 16 "));
        assert!(ct_eq(b"", b""));
    }

    #[test]
    fn precomputed_pbkdf2_is_used_only_for_its_own_parameters() {
        let salt = [3u8; 16];
        let real = pbkdf2_key("pass word", &salt, 50);
        let pre = Precomputed { salt: b64_encode(&salt), iterations: 50, key: b64_encode(&[9u8; 32]) };
        assert_eq!(Passphrase::with("pass word", Some(&pre)).master(&salt, 50), [9u8; 32]);
        assert_eq!(Passphrase::with("pass word", Some(&pre)).master(&salt, 51), pbkdf2_key("pass word", &salt, 51));
        assert_eq!(
            Passphrase::with("pass word", Some(&pre)).master(&[4u8; 16], 50),
            pbkdf2_key("pass word", &[4u8; 16], 50)
        );
        assert_eq!(Passphrase::from("pass word").master(&salt, 50), real);
    }

    #[test]
    fn pbkdf2_matches_rfc7914_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", 1), first 32 bytes.
        let key = pbkdf2_key("passwd", b"salt", 1);
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    #[test]
    fn aead_detects_wrong_aad() {
        let key = [7u8; 32];
        let nonce = [1u8; 12];
        let ct = aead_seal(&key, &nonce, b"a", b"hello");
        assert_eq!(aead_open(&key, &nonce, b"a", &ct).as_deref(), Some(&b"hello"[..]));
        assert_eq!(aead_open(&key, &nonce, b"b", &ct), None);
    }
}
