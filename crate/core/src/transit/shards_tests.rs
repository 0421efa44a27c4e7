//! Tests of the base in shards: a compaction writes only the shards that changed, one per write;
//! a worker stopped after any write reopens to the state stored; the base is never stored twice
//! (a whole base moves into shards in one write); shards split and drop; a missing or foreign
//! shard loses the base rather than opening a part of it.

use super::collect::{IngestRequest, TransitSnapshot};
use super::fixtures::{id, page, pkg, NOW};
use super::live::{LiveSnapshot, MAX_DELTAS};
use super::live_store::{shard_key, Store, SNAP};
use super::rowsignal::RowSeen;
use super::shards::{BaseHead, SHARD_ENTRIES};
use crate::chinaday::DAY_MS;
use crate::order::profile::shipped;

/// An answer holding packages `from..from + n`, paid a second apart (no list request: nothing
/// is reconciled away).
fn answer(from: u32, n: u32) -> IngestRequest {
    let pk = (from..from + n).map(|k| pkg(k, 4, NOW - i64::from(k) * 1000, "S1")).collect();
    IngestRequest { shop_id: "shop1".into(), answer: page(pk) }
}

fn head(store: &Store) -> BaseHead {
    serde_json::from_str(&store.records[SNAP]).expect("head")
}

/// Changes one row fact of package `k` (a change record of one entry).
fn touch(live: &mut LiveSnapshot, k: u32, flag: bool) {
    live.rows(&[RowSeen { package_id: id(k), ship_control: flag }], NOW);
}

/// Changes package `k` until the change records' number compacts, saving each.
fn compact_on(live: &mut LiveSnapshot, store: &mut Store, k: u32) {
    for i in 0..3 * MAX_DELTAS {
        touch(live, k, i % 2 == 0);
        let puts = store.puts;
        store.save(live, NOW);
        if store.puts > puts + 1 {
            return;
        }
    }
    panic!("no compaction");
}

/// A shop of `n` packages (IDs 1..=n), stored.
fn shop(n: u32) -> (LiveSnapshot, Store) {
    let mut store = Store::default();
    let mut live = store.open();
    live.ingest(&answer(1, n), &shipped(), NOW).expect("ingest");
    store.save(&mut live, NOW);
    (live, store)
}

#[test]
fn a_compaction_writes_only_the_shards_that_changed_one_per_write() {
    let (mut live, mut store) = shop(4_500);
    assert_eq!(store.shards(), 5, "cut every {SHARD_ENTRIES} entries");
    assert!(store.records[SNAP].len() < 2_000, "the head is small: {}", store.records[SNAP].len());
    let before = store.records.clone();
    let steps = store.step_shards.len();
    compact_on(&mut live, &mut store, 2_500);
    assert_eq!(&store.step_shards[steps..], &[1], "one shard written, in one step");
    for n in [0, 1, 3, 4] {
        assert_eq!(store.records[&shard_key(n)], before[&shard_key(n)], "shard {n} untouched");
    }
    assert_ne!(store.records[&shard_key(2)], before[&shard_key(2)]);
    assert_eq!(store.deltas(), 0);
    assert!(head(&store).shards.list.iter().all(|s| s.seq == live.snapshot().seq), "every shard named current");
    same(&store, &live);

    // Two shards changed: two writes, one shard each.
    touch(&mut live, 10, false);
    store.save(&mut live, NOW);
    let steps = store.step_shards.len();
    compact_on(&mut live, &mut store, 4_400);
    assert_eq!(&store.step_shards[steps..], &[1, 1]);
    same(&store, &live);
}

#[test]
fn new_orders_fill_the_last_shard_which_splits_and_an_empty_shard_is_dropped() {
    let (mut live, mut store) = shop(2_500);
    assert_eq!(store.shards(), 3);
    for from in (2_501..5_000).step_by(500) {
        live.ingest(&answer(from, 500), &shipped(), NOW).expect("ingest");
        store.save(&mut live, NOW);
    }
    compact_on(&mut live, &mut store, 4_900);
    let h = head(&store);
    assert!(h.shards.list.len() >= 5 && h.shards.next as usize == h.shards.list.len(), "{:?}", h.shards);
    assert_eq!(store.shards(), h.shards.list.len());
    same(&store, &live);

    // Shard 0's packages ship; a week later they are forgotten: the shard goes, its neighbour
    // takes its range.
    let gone: Vec<String> = (1..=1_000).map(id).collect();
    live.shipped(&gone, NOW);
    store.save(&mut live, NOW);
    live.ingest(&answer(9_000, 1), &shipped(), NOW + 8 * DAY_MS).expect("ingest");
    store.save(&mut live, NOW + 8 * DAY_MS);
    compact_on(&mut live, &mut store, 9_000);
    let h2 = head(&store);
    assert_eq!(h2.shards.list.len(), h.shards.list.len() - 1);
    assert!(!store.records.contains_key(&shard_key(0)) && h2.shards.list[0].lo.is_empty());
    same(&store, &live);
}

/// A change made to a live snapshot.
type Change = Box<dyn Fn(&mut LiveSnapshot)>;

/// One run of changes over a shop, saved as the worker does, stopped after `stop` writes. The
/// states it reached, and for the write it stopped at, which state the records stored hold.
fn scenario(stop: Option<usize>) -> (Store, TransitSnapshot) {
    let mut store = Store { stop_at: stop, ..Store::default() };
    let mut live = store.open();
    let mut kept = live.snapshot().clone();
    let profile = shipped();
    let changes: Vec<Change> = vec![
        Box::new(|l| drop(l.ingest(&answer(1, 2_050), &shipped(), NOW))),
        Box::new(|l| drop(l.shipped(&[id(5), id(1_500)], NOW))),
        Box::new(|l| touch(l, 10, false)),
        Box::new(|l| touch(l, 2_010, false)),
        // Past the entries bound: a compaction, the last shard split.
        Box::new(|l| drop(l.ingest(&answer(2_051, 2_100), &shipped(), NOW))),
        Box::new(|l| touch(l, 10, true)),
        // Two days on: every shard is old, and the paid days move.
        Box::new(|l| drop(l.ingest(&answer(4_151, 250), &shipped(), NOW + 2 * DAY_MS))),
        Box::new(|l| drop(l.shipped(&[id(4_200)], NOW + 2 * DAY_MS))),
        Box::new(|l| drop(l.ingest(&answer(4_401, 2_100), &shipped(), NOW + 2 * DAY_MS))),
    ];
    let _ = &profile;
    for change in changes {
        let puts = store.puts;
        change(&mut live);
        let done = store.save(&mut live, NOW + 3 * DAY_MS);
        // The change is kept once its first write is made (its change record is in it).
        if store.puts > puts {
            kept = live.snapshot().clone();
        }
        if !done {
            break;
        }
    }
    (store, kept)
}

#[test]
fn a_worker_stopped_after_any_write_reopens_to_the_state_stored_and_goes_on() {
    let (full, last) = scenario(None);
    assert!(full.open().snapshot() == &last);
    for stop in 1..full.puts {
        let (mut store, kept) = scenario(Some(stop));
        let (mut live, view) = store.open_view();
        assert!(!view.lost, "stopped after write {stop}: {view:?}");
        assert!(live.snapshot() == &kept, "stopped after write {stop}: {view:?}");
        // Going on from there: a change and a compaction, then the records reopen to it.
        store.stop_at = None;
        compact_on(&mut live, &mut store, 7);
        same(&store, &live);
    }
    // Never the base twice: Store::save checks every compaction write (see live_store.rs).
    assert!(full.step_shards.len() >= 4);
}

#[test]
fn a_whole_base_moves_into_shards_in_one_write_that_stores_no_more() {
    // The 0.3 form: a whole base with `seq`, and change records after it.
    let (live, _) = shop(3_000);
    let mut whole = live.snapshot().clone();
    whole.seq = 0;
    let mut old = Store::default();
    old.records.insert(SNAP.into(), serde_json::to_string(&whole).expect("whole"));
    let mut live = old.open();
    assert_eq!(live.snapshot(), &whole);
    touch(&mut live, 1_200, false);
    let before = old.bytes();
    old.save(&mut live, NOW);
    assert_eq!(old.step_shards, vec![3], "every shard in the one write over the whole base");
    assert!(old.sizes.iter().all(|&s| s < before + before / 50), "{:?} from {before}", old.sizes);
    same(&old, &live);
}

#[test]
fn a_missing_or_foreign_shard_loses_the_base_and_the_next_base_replaces_every_record() {
    let (mut live, mut store) = shop(2_500);
    touch(&mut live, 3, false);
    store.save(&mut live, NOW);
    for broken in 0..3 {
        let mut s = store.clone();
        match broken {
            0 => drop(s.records.remove(&shard_key(1))),
            1 => {
                let zero = s.records[&shard_key(0)].clone();
                s.records.insert(shard_key(1), zero);
            }
            _ => {
                let other = s.records[&shard_key(2)].replace("\"shop1\"", "\"shop2\"");
                s.records.insert(shard_key(2), other);
            }
        }
        let (mut fresh, view) = s.open_view();
        assert!(view.lost && view.pending == 0, "case {broken}: never a part of the base");
        fresh.ingest(&answer(7_000, 3), &shipped(), NOW).expect("ingest");
        s.save(&mut fresh, NOW);
        assert_eq!((s.shards(), s.deltas()), (1, 0), "case {broken}: every record of the lost base deleted");
        same(&s, &fresh);
    }
}

/// The stored records open to `live`'s state (and not as a lost base).
fn same(store: &Store, live: &LiveSnapshot) {
    let (open, view) = store.open_view();
    assert!(!view.lost, "{view:?}");
    let (a, b) = (open.snapshot(), live.snapshot());
    assert!(a.closed == b.closed, "closed");
    assert!(a.paid_days == b.paid_days, "paid days {:?} {:?}", a.paid_days.keys(), b.paid_days.keys());
    assert_eq!((a.seq, a.updated_at_ms), (b.seq, b.updated_at_ms));
    assert!(
        open.snapshot() == live.snapshot(),
        "{view:?}: {} against {} pending",
        view.pending,
        live.snapshot().packages.len()
    );
}
