//! Recording what the page showed, as read: the board's words, the profile's answer, offered
//! answers and their confirmation.

use super::*;
use crate::order::profile::shipped;
use crate::quota::testkit::{day0, Store, HOUR, MIN};

const SHOP: &str = "shop-1";

fn read(source: &str, at: i64) -> PageRead {
    PageRead {
        shop: SHOP.into(),
        at_ms: at,
        source: source.into(),
        day: None,
        text: None,
        path: None,
        fields: BTreeMap::new(),
    }
}

fn board(text: &str, at: i64) -> PageRead {
    PageRead { text: Some(text.into()), ..read("board", at) }
}

fn answer(path: &str, fields: &[(&str, f64)], at: i64) -> PageRead {
    PageRead {
        path: Some(path.into()),
        fields: fields.iter().map(|(k, v)| ((*k).to_string(), *v)).collect(),
        ..read("answer", at)
    }
}

fn record(s: &mut Store, reads: Vec<PageRead>, now: i64) -> QuotaUpdate {
    let req = RecordPageReadsRequest { inputs: s.inputs(SHOP, now), reads, now_ms: now };
    s.apply(record_page_reads(&req, &shipped().quota).expect("recorded"))
}

#[test]
fn the_boards_words_set_todays_numbers() {
    let mut s = Store::default();
    let now = day0() + 10 * HOUR;
    let u = record(&mut s, vec![board("今日已用 3 次，剩余 17 次", now)], now);
    assert_eq!((u.view.used, u.view.limit, u.view.remaining), (3, 20, 17));
    assert_eq!(u.view.page_shown.map(|p| p.source), Some(crate::quota::PageSource::Board));
    assert_eq!(u.view.page_facts.board_unread_at_ms, None);
}

#[test]
fn a_board_that_names_the_quota_but_cannot_be_read_is_kept_for_the_self_check() {
    let mut s = Store::default();
    let now = day0() + 10 * HOUR;
    let u = record(&mut s, vec![board("解密额度：请稍后再试", now)], now);
    assert_eq!(u.view.page_facts.board_unread_at_ms, Some(now));
    assert_eq!(u.view.page_shown, None, "nothing taken as shown");
    // The next good read clears it.
    let u = record(&mut s, vec![board("已用 1 / 20", now + MIN)], now + MIN);
    assert_eq!(u.view.page_facts.board_unread_at_ms, None);
    assert_eq!(u.view.used, 1);
}

#[test]
fn the_profiles_answer_counts_through_its_field_names() {
    let mut s = Store::default();
    let now = day0() + 9 * HOUR;
    let api = PageRead {
        fields: [("usedCount".to_string(), 4.0), ("totalCount".to_string(), 20.0)].into(),
        ..read("api", now)
    };
    let u = record(&mut s, vec![api], now);
    assert_eq!((u.view.used, u.view.limit), (4, 20));
}

#[test]
fn an_offered_answer_counts_only_once_the_board_confirms_it() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    let path = "/api/edith/x/privacy/stat";
    let u = record(&mut s, vec![answer(path, &[("useNum", 2.0), ("allNum", 20.0)], t)], t);
    assert_eq!(u.view.used, 0, "an offer alone changes no count");
    assert_eq!(u.view.page_facts.quota_offers.len(), 1);
    assert_eq!(u.view.page_facts.quota_offers[0].keys, vec!["allNum".to_string(), "useNum".to_string()]);
    assert_eq!(u.view.page_facts.quota_endpoint, None);
    // The board, a minute later, shows the same numbers: the path is the quota endpoint.
    let u = record(&mut s, vec![board("已用 2 / 20", t + MIN)], t + MIN);
    assert_eq!(u.view.page_facts.quota_endpoint.as_deref(), Some(path));
    assert!(u.view.page_facts.quota_offers.is_empty(), "no longer an offer");
    // From then its answers are quota answers.
    let u = record(&mut s, vec![answer(path, &[("useNum", 5.0), ("allNum", 20.0)], t + 2 * MIN)], t + 2 * MIN);
    assert_eq!((u.view.used, u.view.limit), (5, 20));
}

#[test]
fn a_disagreeing_or_late_offer_is_not_confirmed() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    record(&mut s, vec![answer("/api/a", &[("used", 2.0), ("total", 20.0)], t)], t);
    let u = record(&mut s, vec![board("已用 3 / 20", t + MIN)], t + MIN);
    assert_eq!(u.view.page_facts.quota_endpoint, None, "other numbers");
    let u = record(&mut s, vec![board("已用 2 / 20", t + 30 * MIN)], t + 30 * MIN);
    assert_eq!(u.view.page_facts.quota_endpoint, None, "too long after");
    // Two offers saying the same numbers: which one is meant is not known.
    let t2 = t + HOUR;
    record(
        &mut s,
        vec![
            answer("/api/a", &[("used", 4.0), ("total", 20.0)], t2),
            answer("/api/b", &[("usedCount", 4.0), ("limit", 20.0)], t2),
        ],
        t2,
    );
    let u = record(&mut s, vec![board("已用 4 / 20", t2 + MIN)], t2 + MIN);
    assert_eq!(u.view.page_facts.quota_endpoint, None, "a tie teaches nothing");
}

#[test]
fn a_bad_read_is_refused_whole() {
    let s = Store::default();
    let now = day0() + HOUR;
    let req = |reads| RecordPageReadsRequest { inputs: s.inputs(SHOP, now), reads, now_ms: now };
    let words = shipped().quota;
    assert!(record_page_reads(&req(vec![]), &words).is_err());
    assert!(record_page_reads(&req(vec![read("board", now)]), &words).is_err(), "board without text");
    assert!(record_page_reads(&req(vec![read("answer", now)]), &words).is_err(), "answer without path");
    assert!(record_page_reads(&req(vec![read("toast", now)]), &words).is_err());
    let other = PageRead { shop: "shop-2".into(), ..board("已用 1/20", now) };
    assert!(record_page_reads(&req(vec![board("已用 1/20", now), other]), &words).is_err());
}

#[test]
fn the_board_showing_the_last_answer_is_not_taken_again() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    let api =
        PageRead { fields: [("used".to_string(), 2.0), ("daily_quota".to_string(), 20.0)].into(), ..read("api", t) };
    record(&mut s, vec![api], t);
    s.decrypt(SHOP, 7, t + MIN);
    // The board still shows the answer's numbers a minute later: the decrypt since stays counted.
    let u = record(&mut s, vec![board("已用 2 / 20", t + 2 * MIN)], t + 2 * MIN);
    assert_eq!(u.view.used, 3);
    // New numbers on the board are taken.
    let u = record(&mut s, vec![board("已用 5 / 20", t + 3 * MIN)], t + 3 * MIN);
    assert_eq!(u.view.used, 5);
}
