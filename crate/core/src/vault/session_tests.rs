//! Tests of the live vault session: one nonce sequence for every caller, lock, restart token.

use super::*;
use crate::vault::backup::{export_backup, import_backup, plan_restore, BackupRecord, BACKUP_RANDOM_LEN};
use crate::vault::keys::{create_vault, CREATE_RANDOM_LEN, PASSPHRASE_RANDOM_LEN};
use crate::vault::migrate::{migrate_v1, V1_PREFIX};
use crate::vault::pending::{seal_pending, PENDING_RANDOM_LEN};
use crate::vault::plaintext::Plaintext;
use crate::vault::record::Envelope;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};

fn rnd(seed: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| seed.wrapping_mul(29).wrapping_add(i as u8).wrapping_mul(89).wrapping_add(3)).collect()
}

fn vault() -> (KeysRecord, DeviceRecord) {
    let (keys, device, _) = create_vault(&rnd(1, CREATE_RANDOM_LEN)).unwrap();
    (keys, device)
}

fn locked_vault() -> (KeysRecord, VaultSession) {
    let (keys, device) = vault();
    let mut s = VaultSession::unlock_device(&keys, &device, &rnd(2, PREFIX_LEN)).unwrap();
    let keys = s.set_passphrase(&keys, "correct horse", 1000, &rnd(3, PASSPHRASE_RANDOM_LEN)).unwrap();
    (keys, s)
}

/// Two domains (a quota ledger and a fill journal) write through the one session in turn, each
/// in its own way (whole values, JSON text, tombstones, writes beside held records), with a
/// migration and a restore in between, and read back through the opener between writes: every
/// nonce of every record differs.
#[test]
fn two_callers_sealing_in_turn_never_repeat_a_nonce() {
    let (keys, device) = vault();
    let mut session = VaultSession::unlock_device(&keys, &device, &rnd(4, PREFIX_LEN)).unwrap();
    let mut nonces = Vec::new();
    let held = BTreeMap::new();
    let mut check = |session: &VaultSession, skey: &str, env: &Envelope| {
        let raw = serde_json::to_value(env).unwrap();
        session.opener().unwrap().open(skey, &raw).unwrap();
        nonces.push(env.n.clone());
    };
    for i in 0..5_000i64 {
        // Caller A: the quota domain seals whole values.
        let (k, env) = session.sealer().unwrap().seal(&format!("quota/店/{i}"), Some(&json!({"used": i})), i).unwrap();
        check(&session, &k, &env);
        // Caller B: the ship domain seals JSON text beside held records, and deletes.
        let plain =
            Plaintext::of_value(&format!("ship/run/{}", i % 7), i, (i % 3 != 0).then_some(&json!([i]))).unwrap();
        let (k, b) = crate::vault::newer::seal_beside(session.sealer().unwrap(), plain, &held).unwrap();
        let env = Envelope { v: b.v, k: b.k, n: b.n, c: crate::vault::codec::b64_encode(&b.ct) };
        check(&session, &k, &env);
        if i % 1000 == 0 {
            let v1 = vec![(format!("{V1_PREFIX}settings"), json!({"v": 1}))];
            for (k, env) in migrate_v1(session.sealer().unwrap(), &v1, i).unwrap().writes {
                check(&session, &k, &env);
            }
        }
    }
    let records = vec![BackupRecord { key: "settings".into(), written_ms: 1, value: json!({"v": 1}) }];
    let file = export_backup(&records, "backup pass", 1000, &rnd(5, BACKUP_RANDOM_LEN), 2).unwrap();
    let contents = import_backup(&file, "backup pass").unwrap();
    for (k, env) in plan_restore(session.sealer().unwrap(), &contents, &["quota/店/1".into()]).unwrap() {
        check(&session, &k, &env);
    }
    let total = nonces.len();
    assert_eq!(total, 2 * 5_000 + 5 + 2);
    assert_eq!(nonces.into_iter().collect::<HashSet<_>>().len(), total, "a nonce repeated");
    assert_eq!(session.sealer().unwrap().nonces().next_counter() as usize, total);
}

#[test]
fn after_lock_every_call_is_refused_and_the_opener_too() {
    let (keys, mut s) = locked_vault();
    let (skey, env) = s.sealer().unwrap().seal("a", Some(&json!(1)), 1).unwrap();
    let raw = serde_json::to_value(&env).unwrap();
    assert!(s.opener().unwrap().open(&skey, &raw).is_ok());
    s.lock();
    assert!(s.is_locked());
    assert_eq!(s.sealer().unwrap_err(), VaultError::Locked);
    assert_eq!(s.opener().unwrap_err(), VaultError::Locked);
    assert_eq!(s.key_id().unwrap_err(), VaultError::Locked);
    assert_eq!(s.take_restart_token().unwrap_err(), VaultError::Locked);
    assert_eq!(s.open_queue(&keys, &[], 1).unwrap_err(), VaultError::Locked);
    let again = s.set_passphrase(&keys, "another horse", 1000, &rnd(6, PASSPHRASE_RANDOM_LEN));
    assert_eq!(again.unwrap_err(), VaultError::Locked);
    // Locking twice is harmless; the session stays locked.
    s.lock();
    assert!(s.is_locked());
}

#[test]
fn the_restart_token_is_handed_out_once_and_resumes_the_same_key() {
    let (keys, mut first) = locked_vault();
    let token = first.take_restart_token().unwrap().expect("owed after set_passphrase");
    assert_eq!(first.take_restart_token().unwrap(), None, "only once");
    let (skey, env) = first.sealer().unwrap().seal("ledger", Some(&json!({"n": 1})), 1).unwrap();

    // A worker restart: the token resumes the same key with a new nonce prefix.
    let mut second = VaultSession::resume(&keys, &token, &rnd(7, PREFIX_LEN)).unwrap();
    assert_eq!(second.take_restart_token().unwrap(), None, "stored already");
    let raw = serde_json::to_value(&env).unwrap();
    assert_eq!(second.opener().unwrap().open(&skey, &raw).unwrap().value, Some(json!({"n": 1})));
    let (_, env2) = second.sealer().unwrap().seal("ledger", Some(&json!({"n": 2})), 2).unwrap();
    assert_ne!(env.n[..11], env2.n[..11], "a new session has a new prefix");

    // The passphrase unlock owes a token; the key's bytes show in no debug output.
    let mut third = VaultSession::unlock_passphrase(&keys, "correct horse", &rnd(8, PREFIX_LEN)).unwrap();
    let again = third.take_restart_token().unwrap().expect("owed after unlock");
    assert_eq!(again, token);
    let key_text = serde_json::to_value(&token).unwrap()["dataKey"].as_str().unwrap().to_string();
    assert_eq!(key_text.len(), 43);
    for shown in [format!("{token:?}"), format!("{third:?}"), format!("{:?}", third.opener().unwrap())] {
        assert!(!shown.contains(&key_text), "{shown}");
    }
}

#[test]
fn sessions_refuse_other_keys_and_too_little_randomness() {
    let (keys, device) = vault();
    let (other, other_device) = {
        let (k, d, _) = create_vault(&rnd(9, CREATE_RANDOM_LEN)).unwrap();
        (k, d)
    };
    assert!(VaultSession::unlock_device(&keys, &device, &[1, 2]).is_err());
    assert!(matches!(
        VaultSession::unlock_device(&keys, &device, &[1, 2]),
        Err(VaultError::Randomness { needed: PREFIX_LEN, got: 2 })
    ));
    assert!(VaultSession::unlock_device(&keys, &other_device, &rnd(1, PREFIX_LEN)).is_err());
    let (locked, mut s) = locked_vault();
    let token = s.take_restart_token().unwrap().unwrap();
    assert_eq!(VaultSession::resume(&other, &token, &rnd(1, PREFIX_LEN)).unwrap_err(), VaultError::WrongKey);
    assert_eq!(
        VaultSession::unlock_passphrase(&locked, "wrong horse!", &rnd(1, PREFIX_LEN)).unwrap_err(),
        VaultError::WrongPassphrase
    );
    // A device session hands out no token: it needs none.
    let mut d = VaultSession::unlock_device(&keys, &device, &rnd(1, PREFIX_LEN)).unwrap();
    assert_eq!(d.take_restart_token().unwrap(), None);
}

#[test]
fn the_locked_queue_opens_through_the_session() {
    let (keys, s) = locked_vault();
    let (skey, env) = seal_pending(&keys, &json!({"kind": "x"}), 5, &rnd(10, PENDING_RANDOM_LEN)).unwrap();
    let (events, failed) = s.open_queue(&keys, &[(skey, serde_json::to_value(env).unwrap())], 6).unwrap();
    assert!(failed.is_empty());
    assert_eq!(events[0].event, json!({"kind": "x"}));
}
