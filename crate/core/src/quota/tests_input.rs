//! Native tests of the quota operations on their inputs: the page's numbers winning, where the
//! limit comes from, refusals, broken stored records, unknown package IDs and bad requests.

use super::testkit::*;
use super::*;
use crate::chinaday::ChinaDay;
use serde_json::json;

#[test]
fn refusal_when_the_platform_says_spent_caps_the_limit_at_used() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    s.decrypt("shop", 1, t);
    let u = s.event("shop", &pkg(2), false, t + MIN, t + MIN);
    assert_eq!((u.view.used, u.view.limit, u.view.remaining), (1, 1, 0));
    assert_eq!((u.view.limit_source, u.view.level), (LimitSource::Refusal, Level::Empty));
    // The quota answer the page receives next wins over the guess.
    let u = s.show("shop", Some(3), Some(3), t + 2 * MIN);
    assert_eq!((u.view.used, u.view.limit, u.view.limit_source), (3, 3, LimitSource::Board));
}

#[test]
fn a_refusal_reported_after_the_board_showed_the_quota_does_not_undo_it() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    s.decrypt("shop", 1, t);
    // The board shows 1 used of 40 at t + 2 min; the page's own report of a refusal made at
    // t + 1 min (its toast, seen late) arrives after it.
    let u = s.show("shop", Some(1), Some(40), t + 2 * MIN);
    assert_eq!((u.view.limit, u.view.limit_source), (40, LimitSource::Board));
    let u = s.event("shop", &pkg(2), false, t + MIN, t + 3 * MIN);
    assert_eq!((u.view.used, u.view.limit, u.view.limit_source), (1, 40, LimitSource::Board), "the newer board stands");
}

#[test]
fn corrupt_and_unknown_version_records_are_named_and_reset_alone() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    s.decrypt("shop", 1, t - 24 * HOUR);
    s.decrypt("shop", 1, t);
    let today_key = ledger_key("shop", ChinaDay::from_ms(t));
    s.map.insert(today_key.clone(), json!({"v": 7, "shop": "shop"}));
    let u = s.view("shop", t);
    assert_eq!(u.problems.len(), 1);
    assert_eq!(u.problems[0].record, today_key);
    assert!(u.problems[0].message.contains("unknown version 7"), "{}", u.problems[0].message);
    assert_eq!(u.problems[0].action, "reset");
    let today = ChinaDay::from_ms(t).iso();
    assert_eq!((u.problems[0].kind, u.problems[0].args.clone()), (ProblemKind::LedgerReset, vec![today.clone()]));
    assert_eq!(u.view.used, 0);
    assert_eq!(u.view.history[5].used, 1, "yesterday is untouched");
    // The reset record was saved: the next call finds nothing wrong (no crash loop).
    assert!(s.view("shop", t).problems.is_empty());

    s.map.insert(today_key.clone(), json!({"v": 1, "shop": "shop", "day": "2026-11-21", "entries": 3}));
    let e = DayLedger::load(&today_key, &s.map[&today_key]).unwrap_err();
    let checked = check_records(&s.map);
    assert_eq!(checked.len(), 1);
    assert_eq!((checked[0].kind, checked[0].args.clone()), (ProblemKind::LedgerReset, vec![today]));
    assert!(checked[0].message.contains(&today_key), "{}", checked[0].message);
    assert!(matches!(e, QuotaError::CorruptRecord { ref record, .. } if *record == today_key), "{e}");
    s.map.insert("quota/day/shop/21.11.2026".into(), json!({}));
    s.settings = Some(json!("garbage"));
    let mut req = DashboardRequest { inputs: s.inputs("shop", t), shop: "shop".into(), now_ms: t };
    req.inputs.ledgers.insert("quota/day/shop/21.11.2026".into(), json!({}));
    let u = s.apply(dashboard(&req).expect("dashboard"));
    let names: Vec<&str> = u.problems.iter().map(|p| p.record.as_str()).collect();
    assert_eq!(names, vec![SETTINGS_KEY, today_key.as_str(), "quota/day/shop/21.11.2026"]);
    let kinds: Vec<ProblemKind> = u.problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [ProblemKind::SettingsReset, ProblemKind::LedgerReset, ProblemKind::UnknownRecord]);
    assert_eq!(u.removed, vec!["quota/day/shop/21.11.2026".to_string()]);
    assert_eq!(s.settings, Some(serde_json::to_value(QuotaSettings::default()).expect("json")));
}

#[test]
fn unknown_package_shapes_are_ignored_and_reported() {
    let mut s = Store::default();
    let t = day0() + 9 * HOUR;
    let u = s.event("shop", "张三 13800001234", true, t, t);
    assert_eq!(u.outcome, None);
    assert!(u.changed.is_empty());
    assert_eq!(u.problems[0].action, "ignored");
    assert_eq!((u.problems[0].kind, u.problems[0].args.len()), (ProblemKind::EventBadId, 0));
    assert!(!u.problems[0].message.contains("张三"), "the value is not echoed");
}

#[test]
fn bad_requests_are_rejected_whole() {
    let s = Store::default();
    let t = day0();
    let mut req = RecordEventRequest {
        inputs: s.inputs("shop", t),
        event: DecryptEvent {
            shop: "shop".into(),
            package_id: pkg(1),
            outcome: "maybe".into(),
            tab_id: None,
            at_ms: t,
            quota_spent: false,
        },
        now_ms: t,
    };
    assert!(record_event(&req).unwrap_err().to_string().contains("`maybe`"));
    req.event.outcome = "success".into();
    req.event.shop = " ".into();
    assert!(matches!(record_event(&req), Err(QuotaError::InvalidRequest(_))));
    let shows = RecordPageShowsRequest { inputs: s.inputs("shop", t), shows: vec![], now_ms: t };
    assert!(record_page_shows(&shows).is_err());
    let bad_day = RecordPageShowsRequest {
        inputs: s.inputs("shop", t),
        shows: vec![ShownQuota {
            shop: "shop".into(),
            day: Some("tomorrow".into()),
            at_ms: t,
            used: Some(1),
            daily_quota: None,
            source: "api".into(),
        }],
        now_ms: t,
    };
    let e = record_page_shows(&bad_day).unwrap_err().to_string();
    assert!(e.contains("page numbers 1") && e.contains("`tomorrow`"), "{e}");
}

#[test]
fn the_platform_date_wins_near_midnight_but_not_over_a_wrong_clock() {
    let mut s = Store::default();
    let shown = |s: &mut Store, day: &str, at: i64| {
        let req = RecordPageShowsRequest {
            inputs: s.inputs("shop", at),
            shows: vec![ShownQuota {
                shop: "shop".into(),
                day: Some(day.into()),
                at_ms: at,
                used: Some(4),
                daily_quota: Some(30),
                source: "api".into(),
            }],
            now_ms: at,
        };
        s.apply(record_page_shows(&req).expect("accepted"))
    };
    // 00:00:03 by the computer, the platform still on the day before: filed under its day.
    let midnight = day0() + 24 * HOUR;
    let u = shown(&mut s, "2026-11-21", midnight + 3000);
    assert!(u.problems.is_empty());
    assert_eq!((u.view.day.as_str(), u.view.used), ("2026-11-22", 0));
    assert_eq!(u.view.history[5].used, 4);
    // A clock two days off: the page's numbers are today's, and the user is told.
    let u = shown(&mut s, "2026-11-20", midnight + 10 * HOUR);
    assert_eq!((u.view.used, u.view.limit, u.view.limit_source), (4, 30, LimitSource::Api));
    assert_eq!(u.problems[0].action, "adjusted");
    assert_eq!(u.problems[0].kind, ProblemKind::ClockDiffers);
    assert_eq!(u.problems[0].args, ["2026-11-20", "2026-11-22"], "the workbench's day, then the clock's");
    assert!(u.problems[0].message.contains("2026-11-20"), "{}", u.problems[0].message);
}

#[test]
fn problems_logged_before_kinds_read_as_other() {
    let old: Problem = serde_json::from_value(json!({"record": "event", "message": "m", "action": "ignored"})).unwrap();
    assert_eq!((old.kind, old.args.len()), (ProblemKind::Other, 0));
    let wire = serde_json::to_value(Problem::new(
        ProblemKind::PageOutOfDays,
        vec!["2026-01-01".into()],
        "page",
        "m".into(),
        "ignored",
    ))
    .unwrap();
    assert_eq!((wire["kind"].as_str(), wire["args"][0].as_str()), (Some("pageOutOfDays"), Some("2026-01-01")));
}
