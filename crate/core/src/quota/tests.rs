//! Native tests of the quota operations over time: repeats, midnight, clocks that jump back,
//! skipped days, several shops, warnings once a day.

use super::testkit::*;
use super::*;
use crate::chinaday::ChinaDay;
use serde_json::json;

#[test]
fn repeats_are_free_and_refusals_recorded() {
    let mut s = Store::default();
    let t = day0() + 10 * HOUR;
    assert_eq!(s.decrypt("shop", 1, t).outcome, Some(EventOutcome::Charged));
    assert_eq!(s.decrypt("shop", 1, t + MIN).outcome, Some(EventOutcome::Repeat));
    let u = s.decrypt("shop", 2, t + 2 * MIN);
    assert_eq!((u.view.used, u.view.limit, u.view.remaining), (2, 20, 18));
    assert_eq!(u.view.limit_source, LimitSource::Default);
    let charged: Vec<bool> = u.view.log.iter().map(|r| r.charged).collect();
    assert_eq!(charged, vec![true, false, true]);
    // The same answer delivered twice (a retry after a lost reply) is recorded once.
    let u = s.decrypt("shop", 2, t + 2 * MIN);
    assert_eq!((u.outcome, u.view.log.len(), u.view.used), (Some(EventOutcome::Charged), 3, 2));
    let stored = &s.map[&ledger_key("shop", ChinaDay::from_ms(t))];
    assert_eq!(stored["updatedAtMs"], json!(t + 2 * MIN));
    assert_eq!(u.view.reset_at_ms, day0() + 24 * HOUR);
}

#[test]
fn midnight_rolls_to_a_new_day_and_keeps_history() {
    let mut s = Store::default();
    let before = day0() + 24 * HOUR - 30_000; // 23:59:30 China time
    for n in 0..3 {
        s.decrypt("shop", n, before + i64::from(n) * 1000);
    }
    assert_eq!(s.view("shop", before + 5000).view.used, 3);
    let after = day0() + 24 * HOUR + 10_000; // 00:00:10 the next day
    let u = s.view("shop", after);
    assert_eq!((u.view.day.as_str(), u.view.used, u.view.remaining), ("2026-11-22", 0, 20));
    assert!(u.view.log.is_empty());
    let y = &u.view.history[5];
    assert_eq!((y.day.as_str(), y.used, y.limit), ("2026-11-21", 3, 20));
    // The same package decrypted again after midnight is charged again: a new day.
    assert_eq!(s.decrypt("shop", 0, after).outcome, Some(EventOutcome::Charged));
    // A late answer from 23:59:59 still belongs to yesterday.
    s.event("shop", &pkg(9), true, before + 29_000, after + 1000);
    let u = s.view("shop", after + 2000);
    assert_eq!((u.view.used, u.view.history[5].used), (1, 4));
}

#[test]
fn clock_jumping_back_never_reopens_a_day_or_double_counts() {
    let mut s = Store::default();
    let just_after_midnight = day0() + 24 * HOUR + 20 * MIN;
    s.decrypt("shop", 1, just_after_midnight);
    // The clock jumps back 50 minutes, to 23:30 of the day before.
    let back = just_after_midnight - 50 * MIN;
    let u = s.event("shop", &pkg(2), true, back, back);
    assert_eq!(u.view.day, "2026-11-22", "time is held at the latest decrypt");
    assert_eq!(u.view.used, 2);
    assert_eq!(u.view.clock_adjusted, 1);
    assert_eq!(s.event("shop", &pkg(1), true, back + MIN, back + MIN).outcome, Some(EventOutcome::Repeat));
    assert!(!s.map.contains_key(&ledger_key("shop", ChinaDay::parse_iso("2026-11-21").expect("d"))));
    // A small step back (within tolerance) files by the clock as usual.
    let u = s.event("shop", &pkg(3), true, just_after_midnight - MIN, just_after_midnight);
    assert_eq!(u.view.used, 3);
    assert!(u.view.forecast.ms_per_decrypt.is_none_or(|ms| ms >= 0));
}

#[test]
fn days_skipped_while_the_browser_was_closed() {
    let mut s = Store::default();
    for n in 0..5 {
        s.decrypt("shop", n, day0() + 9 * HOUR + i64::from(n) * MIN);
    }
    let later = day0() + 4 * 24 * HOUR + 8 * HOUR;
    let u = s.view("shop", later);
    assert_eq!((u.view.day.as_str(), u.view.used), ("2026-11-25", 0));
    let used: Vec<u32> = u.view.history.iter().map(|b| b.used).collect();
    assert_eq!(used, vec![0, 0, 5, 0, 0, 0, 0]);
    // Eight days later the old day has left the window.
    let u = s.view("shop", day0() + 8 * 24 * HOUR);
    assert!(u.view.history.iter().all(|b| b.used == 0));
}

#[test]
fn shops_are_counted_apart() {
    let mut s = Store::default();
    let t = day0() + 12 * HOUR;
    s.decrypt("a", 1, t);
    s.decrypt("a", 2, t);
    let u = s.decrypt("b", 1, t);
    assert_eq!((u.view.shop.as_str(), u.view.used), ("b", 1));
    assert_eq!(u.changed.len(), 1, "only shop b's ledger is written");
    assert_eq!(s.view("a", t).view.used, 2);
}

#[test]
fn the_page_wins_and_the_correction_is_recorded() {
    let mut s = Store::default();
    let t = day0() + 12 * HOUR;
    for n in 0..3 {
        s.decrypt("shop", n, t);
    }
    let u = s.show("shop", Some(5), Some(50), t + MIN);
    assert_eq!((u.view.used, u.view.limit, u.view.limit_source), (5, 50, LimitSource::Board));
    assert_eq!(u.view.corrections, 1);
    let u = s.decrypt("shop", 10, t + 2 * MIN);
    assert_eq!(u.view.used, 6);
    let u = s.show("shop", Some(6), None, t + 3 * MIN);
    assert_eq!((u.view.used, u.view.corrections), (6, 1), "agreement is no correction");
    let u = s.show("shop", Some(2), None, t + 4 * MIN);
    assert_eq!((u.view.used, u.view.corrections), (2, 2), "the page wins downwards too");
    assert_eq!(u.view.page_shown.map(|p| p.used), Some(2));
    // Numbers the page fetched before a decrypt that reached us first still count that decrypt.
    s.decrypt("shop", 11, t + 6 * MIN);
    let u = s.show("shop", Some(2), None, t + 5 * MIN);
    assert_eq!((u.view.used, u.view.corrections), (3, 2));
}

#[test]
fn a_decrypt_seen_before_the_page_number_but_delivered_after_it_counts_once() {
    // Tab A sees package 2 decrypted at t+10; tab B's page then shows its quota, 2, which
    // counts that decrypt; B's message reaches the worker before A's.
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    s.decrypt("shop", 1, t);
    let u = s.show("shop", Some(2), None, t + 20);
    assert_eq!(u.view.used, 2);
    let u = s.event("shop", &pkg(2), true, t + 10, t + 30);
    assert_eq!((u.outcome, u.view.used), (Some(EventOutcome::Charged), 2), "in the page's number already");
    // One seen after the page's number adds to it, as before.
    assert_eq!(s.decrypt("shop", 3, t + 40).view.used, 3);
    // And a stored ledger with such a charge reads back (its invariants hold).
    assert_eq!(s.view("shop", t + 50).view.used, 3);
}

#[test]
fn a_page_number_delivered_after_a_later_one_is_stale() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    for n in 0..3 {
        s.decrypt("shop", n, t + i64::from(n));
    }
    let u = s.show("shop", Some(3), None, t + 20);
    assert_eq!((u.view.used, u.view.corrections), (3, 0));
    // Tab B's number from before the third decrypt reaches the worker last.
    let u = s.show("shop", Some(2), None, t + 1);
    assert_eq!(
        (u.view.used, u.view.corrections, u.view.page_shown.map(|p| p.at_ms)),
        (3, 0, Some(t + 20)),
        "the later number stands"
    );
    // A number from much earlier means the clock was set back: it is taken (and the three
    // decrypts, stamped after it by the old clock, add to it).
    let back = t + 20 - 10 * MIN;
    let u = s.show("shop", Some(0), None, back);
    assert_eq!(u.view.page_shown.map(|p| (p.used, p.at_ms)), Some((0, back)));
    assert_eq!(u.view.used, 3);
}

#[test]
fn limit_from_tier_then_user_setting() {
    let mut s = Store::default();
    let t = day0() + 12 * HOUR;
    let settings = QuotaSettings { user_limit: Some(30), ..Default::default() };
    s.settings = Some(serde_json::to_value(&settings).expect("json"));
    assert_eq!(s.view("shop", t).view.limit_source, LimitSource::User);
    s.paid = vec![PaidOrdersDay { day: "2026-11-18".into(), paid_orders: 700 }];
    let v = s.view("shop", t).view;
    assert_eq!((v.limit, v.limit_source), (100, LimitSource::Tier));
    assert_eq!(v.forecast.tomorrow.limit, 100);
}

#[test]
fn warnings_fire_once_a_day_per_shop() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    let mut fired = Vec::new();
    for n in 0..20 {
        let u = s.decrypt("shop", n, t + i64::from(n) * MIN);
        fired.extend(u.view.warnings.iter().map(|w| (n, w.threshold)));
    }
    assert_eq!(fired, vec![(14, 75), (17, 90), (19, 100)]);
    assert!(s.view("shop", t + HOUR).view.warnings.is_empty());
    assert_eq!(s.decrypt("other", 1, t).view.warnings.len(), 0);
    // Refused at zero: recorded, free, and the badge stays at 0.
    let u = s.event("shop", &pkg(99), false, t + 2 * HOUR, t + 2 * HOUR);
    assert_eq!(u.outcome, Some(EventOutcome::Refused));
    assert_eq!((u.view.used, u.view.remaining, u.view.level), (20, 0, Level::Empty));
    assert_eq!(u.view.log.last().map(|r| r.charged), Some(false));
    assert!(u.view.raise.is_some());
    // Next day the thresholds fire again.
    let next = t + 24 * HOUR;
    let mut fired = Vec::new();
    for n in 0..15 {
        fired.extend(s.decrypt("shop", n, next + i64::from(n)).view.warnings.iter().map(|w| w.threshold));
    }
    assert_eq!(fired, vec![75]);
}
