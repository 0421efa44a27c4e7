//! Native tests of the order-list help rules: which rows were decrypted today, when the quiet
//! hint shows, and the settings that switch it.

use super::testkit::*;
use super::*;
use serde_json::json;

fn ask(s: &Store, ids: &[String], now: i64) -> ListHelpView {
    let req = DashboardRequest { inputs: s.inputs("shop", now), shop: "shop".into(), now_ms: now };
    list_help(&req, ids).expect("list help")
}

#[test]
fn decrypted_today_are_exactly_the_viewed_rows_asked_about() {
    let mut s = Store::default();
    let t = day0() + 10 * HOUR;
    s.decrypt("shop", 1, t);
    s.decrypt("shop", 1, t + MIN); // a free repeat: still one decrypted row
    s.decrypt("shop", 3, t + 2 * MIN);
    s.event("shop", &pkg(4), false, t + 3 * MIN, t + 3 * MIN); // refused (quota spent): nothing shown
    let ids: Vec<String> = (1..=5).map(pkg).collect();
    let v = ask(&s, &ids, t + 4 * MIN);
    assert_eq!(v.decrypted, vec![pkg(1), pkg(3)]);
    // Only IDs asked about come back, in the order asked, each once.
    let v = ask(&s, &[pkg(3), pkg(9), pkg(3), pkg(1)], t + 4 * MIN);
    assert_eq!(v.decrypted, vec![pkg(3), pkg(1)]);
    // The popup's numbers.
    let dash = s.view("shop", t + 4 * MIN).view;
    assert_eq!((v.used, v.limit, v.remaining), (dash.used, dash.limit, dash.remaining));
    // The refusal said the quota is spent: the limit became what was used, as in the popup.
    assert_eq!((v.used, v.remaining, v.day.as_str()), (2, 0, "2026-11-21"));
    // All of today's, for the transit planner: each once, the refused one left out.
    let req = DashboardRequest { inputs: s.inputs("shop", t + 4 * MIN), shop: "shop".into(), now_ms: t + 4 * MIN };
    let mut all = viewed_today(&req).expect("viewed");
    all.sort();
    assert_eq!(all, vec![pkg(1), pkg(3)]);
}

#[test]
fn a_new_china_day_forgets_yesterdays_views() {
    let mut s = Store::default();
    s.decrypt("shop", 1, day0() + 23 * HOUR + 59 * MIN);
    assert_eq!(ask(&s, &[pkg(1)], day0() + 23 * HOUR + 59 * MIN + 1000).decrypted, vec![pkg(1)]);
    // 00:00 China time: viewing it again spends a unit, so no mark.
    assert!(ask(&s, &[pkg(1)], day0() + 24 * HOUR + 1000).decrypted.is_empty());
}

#[test]
fn the_hint_shows_at_or_below_the_threshold_and_only_when_on() {
    let on = ListHelpSettings::default();
    assert_eq!((on.enabled, on.hint_at), (true, DEFAULT_HINT_AT));
    assert!(on.hint_due(2) && on.hint_due(1) && on.hint_due(0));
    assert!(!on.hint_due(3));
    let off = ListHelpSettings { enabled: false, ..on };
    assert!(!off.hint_due(0));
    let zero = ListHelpSettings { hint_at: 0, ..on };
    assert!(zero.hint_due(0) && !zero.hint_due(1));

    let five = json!({"v": 1, "tiers": [{"maxPaidOrders": null, "dailyQuota": 5}],
        "warnPercent": 75, "criticalPercent": 90});
    let mut s = Store { settings: Some(five), ..Default::default() };
    let t = day0() + 9 * HOUR;
    s.decrypt("shop", 1, t);
    s.decrypt("shop", 2, t + 1000);
    assert!(!ask(&s, &[], t + 2000).hint, "3 left of 5");
    s.decrypt("shop", 3, t + 3000);
    let v = ask(&s, &[], t + 4000);
    assert_eq!((v.remaining, v.hint_at, v.hint, v.enabled), (2, 2, true, true));
    // The threshold is the user's.
    let mut set = s.settings.clone().expect("settings");
    set["listHelp"] = json!({"enabled": true, "hintAt": 1});
    s.settings = Some(set.clone());
    assert!(!ask(&s, &[], t + 4000).hint);
    set["listHelp"] = json!({"enabled": false, "hintAt": 5});
    s.settings = Some(set);
    let v = ask(&s, &[], t + 4000);
    assert_eq!((v.enabled, v.hint), (false, false));
}

#[test]
fn settings_validate_the_list_help_part() {
    // Older records without `listHelp` read with the defaults.
    let old =
        json!({"v": 1, "tiers": [{"maxPaidOrders": null, "dailyQuota": 20}], "warnPercent": 75, "criticalPercent": 90});
    let s = QuotaSettings::load(SETTINGS_KEY, &old).expect("old record");
    assert_eq!(s.list_help, ListHelpSettings::default());
    let v = serde_json::to_value(QuotaSettings::default()).expect("serialize");
    assert_eq!(v["listHelp"], json!({"enabled": true, "hintAt": 2}));
    // An edit: in range is kept, out of range names the field, a wrong shape is refused.
    let mut edit = v.clone();
    edit["listHelp"] = json!({"enabled": false, "hintAt": 5});
    let s = QuotaSettings::from_edit(&edit).expect("valid");
    assert_eq!(s.list_help, ListHelpSettings { enabled: false, hint_at: 5 });
    edit["listHelp"] = json!({"enabled": true, "hintAt": MAX_HINT_AT + 1});
    let e = QuotaSettings::from_edit(&edit).unwrap_err().to_string();
    assert!(e.contains("订单列表提示") && e.contains("hint threshold 101"), "{e}");
    edit["listHelp"] = json!({"enabled": true, "hintAt": -1});
    assert!(matches!(QuotaSettings::from_edit(&edit), Err(QuotaError::InvalidSettings(_))));
    edit["listHelp"] = json!({"enabled": "yes", "hintAt": 2});
    assert!(matches!(QuotaSettings::from_edit(&edit), Err(QuotaError::InvalidSettings(_))));
    edit["listHelp"] = json!({"enabled": true, "hintAt": 2, "colour": "red"});
    assert!(matches!(QuotaSettings::from_edit(&edit), Err(QuotaError::InvalidSettings(_))));
    // A stored record with a broken list-help part is named like any broken settings record.
    let mut stored = v;
    stored["listHelp"] = json!({"hintAt": 1000});
    assert!(QuotaSettings::load(SETTINGS_KEY, &stored).is_err());
}

#[test]
fn too_many_ids_is_a_request_error_that_names_the_count() {
    let s = Store::default();
    let ids: Vec<String> = (0..=MAX_IDS as u32).map(pkg).collect();
    let req = DashboardRequest { inputs: s.inputs("shop", day0()), shop: "shop".into(), now_ms: day0() };
    let e = list_help(&req, &ids).unwrap_err().to_string();
    assert!(e.contains("1001 package IDs"), "{e}");
}
