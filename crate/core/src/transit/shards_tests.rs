//! Tests of the base written in shards: split and merged back exactly, a worker stopped at any
//! write of a base still opens a consistent snapshot, the shards of a generation no head names
//! are deleted with the next head, a whole base (0.2.0's and 0.3's form) still opens, a missing
//! shard loses the base rather than opening part of it.

use super::collect::IngestRequest;
use super::fixtures::{pkg, HOUR, NOW};
use super::live::{LiveSnapshot, BASE_MAX_AGE_MS};
use super::live_store::{plan, shard, Store};
use super::shards::{BaseReader, BaseShard, StoredBase, SHARD_PACKAGES};
use crate::order::profile::shipped;
use serde_json::{json, Value};

const SHOP_SIZE: u32 = 2 * SHARD_PACKAGES as u32 + 500;

/// A 待发货 list answer of packages `from..from+n`.
fn list_page(from: u32, n: u32) -> IngestRequest {
    let pk: Vec<Value> = (from..from + n).map(|k| pkg(k, 4, NOW - i64::from(k) * 60_000, "S1")).collect();
    let answer = json!({"total": pk.len(), "request": {"page_no": 1, "page_size": n, "status": [4]}, "packages": pk});
    IngestRequest { shop_id: "shop1".into(), answer }
}

/// A shop of `SHOP_SIZE` pending packages, its base stored, and one change record after it.
fn stored_shop() -> (Store, LiveSnapshot) {
    let mut store = Store::default();
    let mut live = store.open();
    for from in (1..=SHOP_SIZE).step_by(500) {
        live.ingest(&list_page(from, 500), &shipped(), NOW).expect("ingest");
    }
    store.save(&mut live, NOW);
    live.ingest(&list_page(SHOP_SIZE + 1, 3), &shipped(), NOW).expect("ingest");
    store.save(&mut live, NOW);
    (store, live)
}

#[test]
fn a_base_is_split_into_shards_and_merged_back_exactly() {
    let (store, live) = stored_shop();
    assert_eq!(store.shards.keys().collect::<Vec<_>>(), ["1/0", "1/1", "1/2"]);
    for text in store.shards.values() {
        let part = shard(text).part;
        assert!(part.packages.len() <= SHARD_PACKAGES && !part.packages.is_empty());
    }
    let head = store.base.as_deref().expect("head");
    assert!(head.contains(r#""packages":{}"#) && !head.contains("陶瓷杯"), "the head holds no package");
    assert_eq!(store.deltas.len(), 1);
    let reopened = store.open();
    assert_eq!(reopened.snapshot(), live.snapshot());
    assert_eq!(reopened.snapshot().packages.len(), SHOP_SIZE as usize + 3);
}

#[test]
fn a_worker_stopped_at_any_write_of_a_base_opens_a_consistent_snapshot() {
    let (store, _) = stored_shop();
    let before = store.open().snapshot().clone();
    let later = NOW + BASE_MAX_AGE_MS + HOUR;
    let mut k = 0;
    loop {
        // The change that brings a base write (the stored base is a day old), stopped after k
        // writes: the shards one by one, then the head with the deletions.
        let mut live = store.open();
        live.ingest(&list_page(SHOP_SIZE + 100, 20), &shipped(), later).expect("ingest");
        let w = plan(live.writes(later));
        assert_eq!(w.base.map(|b| (b.gen, b.count)), Some((2, 3)));
        let mut stopped = store.clone();
        stopped.write_prefix(&mut live, w, k);
        let opened = stopped.open();
        let whole = k > 3;
        if whole {
            assert_eq!(opened.snapshot(), live.snapshot(), "all written: the new base");
            assert_eq!(stopped.shards.keys().collect::<Vec<_>>(), ["2/0", "2/1", "2/2"], "the old generation went");
            assert!(stopped.deltas.is_empty());
        } else {
            assert_eq!(opened.snapshot(), &before, "stopped after {k} shards: the old base and its change record");
            assert_eq!(stopped.shards.len(), 3 + k);
        }
        // The next change after the stop writes its base and leaves no unreferenced shard.
        let mut again = opened;
        again.ingest(&list_page(SHOP_SIZE + 200, 5), &shipped(), later + HOUR).expect("ingest");
        let w = plan(again.writes(later + 2 * BASE_MAX_AGE_MS));
        let gen = if whole { 3 } else { 2 };
        assert_eq!(w.base.map(|b| b.gen), Some(gen));
        stopped.write(&mut again, w);
        let names: Vec<String> = (0..3).map(|n| format!("{gen}/{n}")).collect();
        assert_eq!(stopped.shards.keys().cloned().collect::<Vec<_>>(), names);
        assert_eq!(stopped.open().snapshot(), again.snapshot());
        if whole {
            break;
        }
        k += 1;
    }
}

#[test]
fn a_whole_base_as_earlier_builds_wrote_it_opens_and_is_written_again_in_shards() {
    let (_, live) = stored_shop();
    // Today's build and 0.2.0 stored the snapshot whole at the base's key.
    let whole = serde_json::to_string(live.snapshot()).expect("whole");
    let store = Store { base: Some(whole), ..Store::default() };
    let mut opened = store.open();
    assert_eq!(opened.snapshot(), live.snapshot());
    let mut store = store;
    opened.ingest(&list_page(SHOP_SIZE + 50, 2), &shipped(), NOW + HOUR).expect("ingest");
    let w = plan(opened.writes(NOW + 2 * BASE_MAX_AGE_MS));
    assert_eq!(w.base.map(|b| (b.gen, b.count)), Some((1, 3)), "the first generation");
    store.write(&mut opened, w);
    let head: Value = serde_json::from_str(store.base.as_deref().expect("head")).expect("head");
    assert_eq!(head["shards"], json!({"gen": 1, "count": 3}), "the whole base gave way to a head");
    assert_eq!(store.open().snapshot(), opened.snapshot());
}

#[test]
fn a_missing_shard_loses_the_base_and_the_next_base_clears_what_is_left() {
    let (mut store, _) = stored_shop();
    store.shards.remove("1/1");
    let mut opened = store.open();
    assert!(opened.snapshot().packages.is_empty(), "never part of a base");
    opened.ingest(&list_page(1, 5), &shipped(), NOW + HOUR).expect("ingest");
    let w = plan(opened.writes(NOW + HOUR));
    assert!(w.drop_all, "the change records of the lost base go");
    assert_eq!(w.base.map(|b| (b.gen, b.count)), Some((2, 1)), "a generation the lost head did not name");
    store.write(&mut opened, w);
    assert_eq!(store.shards.keys().collect::<Vec<_>>(), ["2/0"]);
    assert!(store.deltas.is_empty());
    assert_eq!(store.open().snapshot().packages.len(), 5);
}

#[test]
fn a_shard_of_another_shop_or_generation_loses_the_base() {
    let (store, _) = stored_shop();
    let head: Value = serde_json::from_str(store.base.as_deref().expect("head")).expect("head");
    let shard = |name: &str| shard(&store.shards[name]);
    let begin = || {
        let (set, snap) =
            (serde_json::from_value(head["shards"].clone()), serde_json::from_value(head["base"].clone()));
        BaseReader::begin("shop1", Some(StoredBase::Head(set.expect("set"), snap.expect("base"))), None).expect("begin")
    };
    assert_eq!((begin().seq(), begin().wanted()), (1, Some((1, 0))), "the change records to read follow 1");
    let open = |first: BaseShard| {
        let mut reader = begin();
        reader.add(Some(first));
        let lost = reader.wanted().is_none();
        while let Some((gen, n)) = reader.wanted() {
            reader.add(Some(shard(&format!("{gen}/{n}"))));
        }
        (lost, reader.finish(vec![]).expect("finish").0.snapshot().packages.len())
    };
    assert_eq!(
        open(shard("1/0")),
        (false, SHOP_SIZE as usize),
        "the shards named: the whole base (its change record not given)"
    );
    let mut other = shard("1/0");
    other.part.shop_id = "other".into();
    assert_eq!(open(other), (true, 0), "another shop's shard: no base");
    let mut old = shard("1/0");
    old.part.v += 1;
    assert_eq!(open(old), (true, 0), "another version's: no base");
    assert_eq!(open(shard("1/1")), (true, 0), "another place's: no base");
}
