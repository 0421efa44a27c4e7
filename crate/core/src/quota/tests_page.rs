//! Native tests of decrypts seen on the page through the operations the worker calls: the two
//! signals counted once, page refusals, silent clicks and the `?` badge, and the page facts.

use super::testkit::*;
use super::*;

fn page_event(s: &mut Store, id: &str, ok: bool, at: i64, now: i64, msg: Option<&str>) -> QuotaUpdate {
    page_event_sent(s, id, ok, at, now, msg, vec![])
}

fn page_event_sent(
    s: &mut Store,
    id: &str,
    ok: bool,
    at: i64,
    now: i64,
    msg: Option<&str>,
    sent: Vec<SentRequest>,
) -> QuotaUpdate {
    let req = PageEventRequest {
        inputs: s.inputs("shop", now),
        page_event: PageDecrypt {
            shop: "shop".into(),
            package_id: id.into(),
            outcome: if ok { "success" } else { "refused" }.into(),
            tab_id: Some(7),
            at_ms: at,
            msg: msg.map(Into::into),
            code: None,
            sent,
        },
        now_ms: now,
    };
    let u = record_page_decrypt(&req).expect("page event accepted");
    s.apply(u)
}

fn silent(s: &mut Store, id: &str, at: i64, now: i64) -> QuotaUpdate {
    let req = SilentRequest {
        inputs: s.inputs("shop", now),
        silent: SilentReport { shop: "shop".into(), package_id: id.into(), at_ms: at },
        now_ms: now,
    };
    let u = record_silent(&req).expect("silent accepted");
    s.apply(u)
}

#[test]
fn page_and_request_signals_of_one_decrypt_count_once_and_are_reported_by_signal() {
    let mut s = Store::default();
    let t = day0() + 10 * HOUR;
    // Page first (the click's time), the request's answer a moment later.
    assert_eq!(page_event(&mut s, &pkg(1), true, t, t + 900, None).outcome, Some(EventOutcome::Charged));
    assert_eq!(s.event("shop", &pkg(1), true, t + 400, t + 1000).outcome, Some(EventOutcome::Charged));
    // Seen on the page only (the endpoint is not the guessed one), and by request only.
    page_event(&mut s, &pkg(2), true, t + MIN, t + MIN + 900, None);
    s.decrypt("shop", 3, t + 2 * MIN);
    // A page retry after a lost reply.
    page_event(&mut s, &pkg(2), true, t + MIN, t + 3 * MIN, None);
    let u = s.view("shop", t + 4 * MIN);
    assert_eq!((u.view.used, u.view.log.len()), (3, 3));
    let f = &u.view.page_facts;
    assert_eq!((f.decrypts.request, f.decrypts.page, f.decrypts.both), (1, 1, 1));
    assert_eq!((f.day.as_str(), f.refusals, f.silent.len()), ("2026-11-21", 0, 0));
    let vias: Vec<Via> = u.view.log.iter().map(|r| r.via).collect();
    assert_eq!(vias, vec![Via::Both, Via::Page, Via::Request]);
    assert_eq!(u.view.badge, "17");
}

#[test]
fn a_refusal_shown_on_the_page_is_refused_not_charged_and_caps_the_limit_when_spent() {
    let mut s = Store::default();
    let t = day0() + 11 * HOUR;
    for n in 0..3 {
        page_event(&mut s, &pkg(n), true, t + i64::from(n) * MIN, t + i64::from(n) * MIN, None);
    }
    let u = page_event(&mut s, &pkg(9), false, t + 5 * MIN, t + 5 * MIN, Some("今日解密次数已用完"));
    assert_eq!(u.outcome, Some(EventOutcome::Refused));
    assert_eq!((u.view.used, u.view.limit, u.view.remaining, u.view.badge.as_str()), (3, 3, 0, "0"));
    assert_eq!(u.view.page_facts.refusals, 1);
    // A passing error (-2000702) refuses without saying the quota is spent.
    let u = page_event(
        &mut s,
        &pkg(8),
        false,
        t + 6 * MIN,
        t + 6 * MIN,
        Some("解密限额接口调用异常，无法解密，请联系平台"),
    );
    assert_eq!((u.outcome, u.view.page_facts.refusals), (Some(EventOutcome::Refused), 2));
}

#[test]
fn a_silent_click_shows_a_question_mark_until_the_next_good_count() {
    let mut s = Store::default();
    let t = day0() + 12 * HOUR;
    s.decrypt("shop", 1, t);
    let u = silent(&mut s, &pkg(2), t + MIN, t + MIN + 5000);
    assert_eq!(u.view.badge, "?");
    assert_eq!(u.view.page_facts.silent, vec![SilentClick { at_ms: t + MIN, package_id: pkg(2) }]);
    assert_eq!(u.view.used, 1, "the numbers are kept; the badge says they may be wrong");
    // Still there on the next dashboard; a refusal does not clear it.
    assert_eq!(s.view("shop", t + 2 * MIN).view.badge, "?");
    page_event(&mut s, &pkg(3), false, t + 3 * MIN, t + 3 * MIN, Some("系统繁忙"));
    assert_eq!(s.view("shop", t + 3 * MIN).view.badge, "?");
    // The held decrypt arrives after all: counted, and the `?` goes.
    let u = page_event(&mut s, &pkg(2), true, t + MIN, t + 4 * MIN, None);
    assert_eq!((u.view.used, u.view.badge.as_str()), (2, "18"));
    assert!(u.view.page_facts.silent.is_empty());
    // A silent report arriving after its decrypt was counted is ignored.
    let u = silent(&mut s, &pkg(2), t + MIN, t + 5 * MIN);
    assert_eq!(u.view.badge, "18");
    // A bad package ID is refused whole.
    let req = SilentRequest {
        inputs: s.inputs("shop", t),
        silent: SilentReport { shop: "shop".into(), package_id: "王**".into(), at_ms: t },
        now_ms: t,
    };
    assert!(matches!(record_silent(&req), Err(QuotaError::InvalidRequest(m)) if !m.contains('王')));
}

#[test]
fn stored_entries_without_a_signal_read_as_request_and_old_records_still_load() {
    let mut s = Store::default();
    let t = day0() + 13 * HOUR;
    s.decrypt("shop", 1, t);
    let key = ledger_key("shop", crate::chinaday::ChinaDay::from_ms(t));
    let stored = s.map[&key].clone();
    assert!(stored["entries"][0].get("via").is_none(), "the request form is left out");
    assert!(stored.get("silent").is_none());
    assert_eq!(DayLedger::load(&key, &stored).expect("loads").entries[0].via, Via::Request);
    page_event(&mut s, &pkg(2), true, t + MIN, t + MIN, None);
    assert_eq!(s.map[&key]["entries"][1]["via"], "page");
}

#[test]
fn the_decrypt_endpoint_is_learned_from_two_page_seen_decrypts_and_reported() {
    let mut s = Store::default();
    let t = day0() + 14 * HOUR;
    let moved = || {
        vec![
            SentRequest {
                path: "/api/x/open".into(),
                keys: vec!["package_id".into(), "action_type".into()],
                id_keys: vec!["package_id".into()],
            },
            SentRequest { path: "/api/quota".into(), keys: vec![], id_keys: vec![] },
        ]
    };
    let u = page_event_sent(&mut s, &pkg(1), true, t, t, None, moved());
    assert_eq!(u.view.page_facts.decrypt_endpoint, None);
    // A refusal teaches nothing.
    page_event_sent(&mut s, &pkg(2), false, t + MIN, t + MIN, Some("系统繁忙"), moved());
    let u = page_event_sent(&mut s, &pkg(3), true, t + 2 * MIN, t + 2 * MIN, None, moved());
    let learned = u.view.page_facts.decrypt_endpoint.expect("learned");
    assert_eq!((learned.path.as_str(), learned.seen), ("/api/x/open", 2));
    assert_eq!(learned.keys, vec!["action_type".to_string(), "package_id".to_string()]);
    // Every later answer reports it; a broken record is named and started afresh.
    assert!(s.view("shop", t + 3 * MIN).view.page_facts.decrypt_endpoint.is_some());
    s.map.insert(endpoint_key("shop"), serde_json::json!({"v": 1, "shop": 5}));
    let u = s.view("shop", t + 4 * MIN);
    assert_eq!((u.view.page_facts.decrypt_endpoint.as_ref(), u.problems.len()), (None, 1));
    assert_eq!(u.problems[0].record, "quota/endpoint/shop");
}
