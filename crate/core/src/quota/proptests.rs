//! Property tests of the ledger's invariants: used is the number of distinct packages charged
//! that day (plus the page's correction), repeats and refusals are free, nothing is negative,
//! the order in which decrypts and the page's numbers arrive does not change the count, and a
//! stored ledger reads back the same.

use super::ledger::{DayLedger, EventOutcome, PageSource};
use crate::chinaday::ChinaDay;
use proptest::prelude::*;
use std::collections::HashSet;

#[derive(Debug, Clone)]
enum Op {
    Decrypt { pkg: u8, ok: bool, at: i64 },
    Shown { used: u32, at: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..30, any::<bool>(), 1i64..600_000).prop_map(|(pkg, ok, at)| Op::Decrypt { pkg, ok, at }),
        1 => (0u32..60, 1i64..600_000).prop_map(|(used, at)| Op::Shown { used, at }),
    ]
}

proptest! {
    #[test]
    fn used_counts_distinct_charged_packages(ops in prop::collection::vec(op(), 0..120)) {
        let day = ChinaDay::parse_iso("2026-11-21").expect("day");
        let mut ledger = DayLedger::new("shop", day);
        let mut charged: HashSet<u8> = HashSet::new();
        // (page used, distinct charged when it was shown)
        let mut page: Option<(u32, usize)> = None;
        // Times only move forward here: a repeated (package, tab, instant) is a retried delivery,
        // tested on its own in the native tests.
        let mut clock = day.start_ms();
        for op in ops {
            let before = ledger.used();
            match op {
                Op::Decrypt { pkg, ok, at } => {
                    clock += at;
                    let id = format!("P{:016}", pkg);
                    let outcome = ledger.record(&id, clock, None, ok, false);
                    let expected = if !ok {
                        EventOutcome::Refused
                    } else if charged.insert(pkg) {
                        EventOutcome::Charged
                    } else {
                        EventOutcome::Repeat
                    };
                    prop_assert_eq!(outcome, expected);
                    if outcome == EventOutcome::Charged {
                        prop_assert_eq!(ledger.used(), before + 1);
                    } else {
                        prop_assert_eq!(ledger.used(), before, "repeats and refusals are free");
                    }
                }
                Op::Shown { used, at } => {
                    clock += at;
                    ledger.apply_page_used(used, PageSource::Board, clock);
                    page = Some((used, charged.len()));
                    prop_assert_eq!(ledger.used(), used);
                }
            }
            let expected = match page {
                Some((shown, base)) => shown as usize + (charged.len() - base),
                None => charged.len(),
            };
            prop_assert_eq!(ledger.used() as usize, expected);
            prop_assert_eq!(ledger.charged_count() as usize, charged.len());
        }
        let key = ledger.key();
        let stored = serde_json::to_value(&ledger).expect("json");
        prop_assert_eq!(DayLedger::load(&key, &stored).expect("reads back"), ledger);
    }

    /// Decrypts of distinct packages and the numbers the page showed, each stamped with when it
    /// was seen, reach the worker in any order (several tabs, slow messages): used ends as the
    /// platform counted, whichever number came last.
    #[test]
    fn any_delivery_order_ends_at_the_platform_count(
        events in (prop::collection::vec(0i64..600_000, 1..40), prop::collection::vec(0i64..600_000, 0..6))
            .prop_flat_map(|(decrypts, shows)| {
                let mut all: Vec<(bool, i64, u32)> = Vec::new();
                for (i, at) in decrypts.iter().enumerate() {
                    all.push((true, *at, u32::try_from(i).unwrap_or(u32::MAX)));
                }
                for at in &shows {
                    // The platform's number at that instant: every decrypt made by then.
                    let used = decrypts.iter().filter(|d| **d <= *at).count();
                    all.push((false, *at, u32::try_from(used).unwrap_or(u32::MAX)));
                }
                Just(all).prop_shuffle()
            })
    ) {
        let day = ChinaDay::parse_iso("2026-11-21").expect("day");
        let mut ledger = DayLedger::new("shop", day);
        let mut decrypts = 0u32;
        for (is_decrypt, at, n) in events {
            if is_decrypt {
                let id = format!("P{:016}", n);
                prop_assert_eq!(ledger.record(&id, day.start_ms() + at, None, true, false), EventOutcome::Charged);
                decrypts += 1;
            } else {
                ledger.apply_page_used(n, PageSource::Api, day.start_ms() + at);
            }
        }
        prop_assert_eq!(ledger.used(), decrypts);
        let key = ledger.key();
        let stored = serde_json::to_value(&ledger).expect("json");
        prop_assert_eq!(DayLedger::load(&key, &stored).expect("reads back"), ledger);
    }

    #[test]
    fn every_instant_falls_in_exactly_one_china_day(ms in 0i64..4_000_000_000_000) {
        let day = ChinaDay::from_ms(ms);
        prop_assert!(day.start_ms() <= ms && ms < day.next_reset_ms());
    }
}

/// One step of a service-worker session: a decrypt (success or refusal) after the clock moved
/// by `step` ms (negative: the clock jumped back), or the page showing a used count.
#[derive(Debug, Clone)]
enum Step {
    Decrypt { pkg: u8, ok: bool, step: i64 },
    Shown { used: u32, step: i64 },
    Dashboard { step: i64 },
}

fn step() -> impl Strategy<Value = Step> {
    let jump = prop_oneof![
        8 => 0i64..3_600_000,
        1 => -30 * 3_600_000i64..0,
        1 => 0i64..40 * 3_600_000,
    ];
    prop_oneof![
        6 => (0u8..25, prop::bool::weighted(0.9), jump.clone()).prop_map(|(pkg, ok, step)| Step::Decrypt { pkg, ok, step }),
        1 => (0u32..30, jump.clone()).prop_map(|(used, step)| Step::Shown { used, step }),
        1 => jump.prop_map(|step| Step::Dashboard { step }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sessions_with_clock_jumps_never_lose_or_double_count(steps in prop::collection::vec(step(), 1..60)) {
        use super::testkit::{day0, pkg, Store, HOUR};
        let mut store = Store::default();
        let mut clock = day0() + 20 * HOUR;
        let mut charged_outcomes = 0usize;
        for s in steps {
            let update = match s {
                Step::Decrypt { pkg: n, ok, step } => {
                    clock += step;
                    let u = store.event("shop", &pkg(u32::from(n)), ok, clock, clock);
                    if u.outcome == Some(EventOutcome::Charged) {
                        charged_outcomes += 1;
                    }
                    u
                }
                Step::Shown { used, step } => {
                    clock += step;
                    store.show("shop", Some(used), None, clock)
                }
                Step::Dashboard { step } => {
                    clock += step;
                    store.view("shop", clock)
                }
            };
            let v = &update.view;
            prop_assert!(update.problems.iter().all(|p| p.action == "ignored"), "{:?}", update.problems);
            prop_assert_eq!(v.remaining, v.limit.saturating_sub(v.used));
            prop_assert_eq!(v.history.len(), 7);
        }
        // Every stored ledger reads back, each package is charged at most once per day, and
        // every charge reported to the caller is in exactly one ledger.
        let mut total = 0usize;
        for (key, value) in &store.map {
            let ledger = DayLedger::load(key, value).expect("stored ledgers stay valid");
            total += ledger.charged_count() as usize;
        }
        prop_assert_eq!(total, charged_outcomes);
    }
}
