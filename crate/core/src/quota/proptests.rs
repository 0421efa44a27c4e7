//! Property tests of the ledger's invariants: used is the number of distinct packages charged
//! that day (plus the page's correction), repeats and refusals are free, nothing is negative,
//! and a stored ledger reads back the same.

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

    #[test]
    fn every_instant_falls_in_exactly_one_china_day(ms in 0i64..4_000_000_000_000) {
        let day = ChinaDay::from_ms(ms);
        prop_assert!(day.start_ms() <= ms && ms < day.next_reset_ms());
    }
}
