//! Tests of key creation, wrapping and unlocking.

use super::*;

fn rnd(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| seed.wrapping_mul(31).wrapping_add(i as u8).wrapping_mul(97)).collect()
}

fn new_vault() -> (KeysRecord, DeviceRecord, DataKey) {
    create_vault(&rnd(1, CREATE_RANDOM_LEN)).unwrap()
}

#[test]
fn device_mode_round_trip() {
    let (keys, device, data) = new_vault();
    assert!(!keys.has_passphrase());
    assert_eq!(unlock_with_device(&keys, &device).unwrap(), data);
    let text = serde_json::to_string(&keys).unwrap();
    assert!(!text.contains(&data.to_b64()));
}

#[test]
fn too_little_randomness_is_refused() {
    assert!(matches!(create_vault(&[0; 10]), Err(VaultError::Randomness { needed: CREATE_RANDOM_LEN, got: 10 })));
}

#[test]
fn passphrase_round_trip_and_wrong_passphrase() {
    let (keys, _device, data) = new_vault();
    let locked = set_passphrase(&keys, &data, "correct horse", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    assert!(locked.has_passphrase());
    assert_eq!(unlock_with_passphrase(&locked, "correct horse").unwrap(), data);
    assert_eq!(unlock_with_passphrase(&locked, "wrong horse!").unwrap_err(), VaultError::WrongPassphrase);
    assert!(matches!(unlock_with_device(&locked, &_device), Err(VaultError::Locked)));
    // The iteration count travels in the record.
    let KeyWrap::Passphrase { kdf, .. } = &locked.lock else { panic!("mode") };
    assert_eq!(kdf.iterations, 1000);
}

#[test]
fn short_passphrase_is_refused() {
    let (keys, _d, data) = new_vault();
    let err = set_passphrase(&keys, &data, "short", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap_err();
    assert_eq!(err, VaultError::PassphraseTooShort { min: MIN_PASSPHRASE_CHARS });
}

#[test]
fn change_passphrase_rewraps_same_key() {
    let (keys, _d, data) = new_vault();
    let a = set_passphrase(&keys, &data, "first passphrase", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    assert_eq!(
        change_passphrase(&a, "not the one", "second passphrase", 1000, &rnd(3, 28)).unwrap_err(),
        VaultError::WrongPassphrase
    );
    let b =
        change_passphrase(&a, "first passphrase", "second passphrase", 1000, &rnd(3, PASSPHRASE_RANDOM_LEN)).unwrap();
    assert_eq!(unlock_with_passphrase(&b, "second passphrase").unwrap(), data);
    assert_eq!(unlock_with_passphrase(&b, "first passphrase").unwrap_err(), VaultError::WrongPassphrase);
    assert_eq!(b.queue_secret, keys.queue_secret, "nothing else is re-encrypted");
}

#[test]
fn remove_passphrase_goes_back_to_device_mode() {
    let (keys, _d, data) = new_vault();
    let a = set_passphrase(&keys, &data, "first passphrase", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    assert_eq!(
        remove_passphrase(&a, "bad passphrase", &rnd(4, DEVICE_RANDOM_LEN)).unwrap_err(),
        VaultError::WrongPassphrase
    );
    let (b, dev) = remove_passphrase(&a, "first passphrase", &rnd(4, DEVICE_RANDOM_LEN)).unwrap();
    assert_eq!(unlock_with_device(&b, &dev).unwrap(), data);
}

#[test]
fn damaged_wrap_is_not_a_wrong_passphrase() {
    let (keys, _d, data) = new_vault();
    let mut a = set_passphrase(&keys, &data, "first passphrase", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    if let KeyWrap::Passphrase { wrapped, .. } = &mut a.lock {
        let mut bytes = b64_decode(&wrapped.c).unwrap();
        bytes[3] ^= 1;
        wrapped.c = b64_encode(&bytes);
    }
    assert!(matches!(unlock_with_passphrase(&a, "first passphrase"), Err(VaultError::Damaged { .. })));
}

#[test]
fn queue_secret_matches_public_key() {
    let (keys, _d, data) = new_vault();
    let secret = queue_secret(&keys, &data).unwrap();
    assert_eq!(b64_encode(PublicKey::from(&secret).as_bytes()), keys.queue_public);
    let other = DataKey::from_bytes([9; 32]);
    assert!(matches!(queue_secret(&keys, &other), Err(VaultError::WrongKey)));
}

#[test]
fn default_iterations_meet_owasp_floor() {
    const { assert!(DEFAULT_PBKDF2_ITERATIONS >= 600_000) };
}

#[test]
fn precomputed_derivation_unlocks_and_a_wrong_one_is_refused() {
    use super::super::codec::{pbkdf2_key, Passphrase, Precomputed};
    let (keys, _d, data) = new_vault();
    let locked = set_passphrase(&keys, &data, "correct horse", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    let KeyWrap::Passphrase { kdf, .. } = &locked.lock else { panic!("mode") };
    let salt = b64_decode(&kdf.salt).unwrap();
    let pre = |pass: &str| Precomputed {
        salt: kdf.salt.clone(),
        iterations: 1000,
        key: b64_encode(&pbkdf2_key(pass, &salt, 1000)),
    };
    let right = pre("correct horse");
    assert_eq!(unlock_with_passphrase(&locked, Passphrase::with("correct horse", Some(&right))).unwrap(), data);
    let wrong = pre("wrong horse!");
    assert_eq!(
        unlock_with_passphrase(&locked, Passphrase::with("whatever", Some(&wrong))).unwrap_err(),
        VaultError::WrongPassphrase
    );
}

#[test]
fn both_wraps_read_back_as_written_and_a_bad_one_says_what_is_wrong() {
    let (keys, _d, data) = new_vault();
    let locked = set_passphrase(&keys, &data, "correct horse", 1000, &rnd(2, PASSPHRASE_RANDOM_LEN)).unwrap();
    for record in [&keys, &locked] {
        let text = serde_json::to_string(record).unwrap();
        assert_eq!(&serde_json::from_str::<KeysRecord>(&text).unwrap(), record, "{text}");
    }
    // The mode anywhere in the object, unknown fields ignored.
    let wrap = serde_json::json!({"wrapped": {"n": "a", "c": "b"}, "later": 1, "mode": "device"});
    let read: KeyWrap = serde_json::from_value(wrap).unwrap();
    assert_eq!(read, KeyWrap::Device { wrapped: Sealed { n: "a".into(), c: "b".into() } });
    let err = |v: serde_json::Value| serde_json::from_value::<KeyWrap>(v).unwrap_err().to_string();
    assert!(err(serde_json::json!({"mode": "token"})).contains("unknown variant `token`"));
    assert!(
        err(serde_json::json!({"mode": "passphrase", "wrapped": {"n": "a", "c": "b"}})).contains("missing field `kdf`")
    );
    assert!(err(serde_json::json!({"wrapped": {"n": "a", "c": "b"}})).contains("missing field `mode`"));
}
