//! Tests of the site profile's reading: field paths, status rules, the shipped profile.

use super::*;

#[test]
fn the_shipped_profile_reads_and_classifies_both_families() {
    let p = shipped();
    assert_eq!(p.version, 2);
    let s = &p.status;
    for c in [4, 5, 1, 2, 21, 26] {
        assert_eq!(s.of_code(c), Some(ShipState::Waiting), "{c}");
    }
    for c in [6, 65, 7] {
        assert_eq!(s.of_code(c), Some(ShipState::Shipped), "{c}");
    }
    assert_eq!(s.of_code(998), Some(ShipState::Cancelled));
    assert_eq!(s.of_code(3), None);
    assert!(s.all_waiting(&[1, 2, 21, 26]) && s.all_waiting(&[4, 5]));
    assert!(!s.all_waiting(&[4, 6]) && !s.all_waiting(&[]));
}

#[test]
fn texts_alone_and_with_codes() {
    let s = shipped().status;
    for t in ["待发货", "待配货", "部分发货", " 待发货（已超时）"] {
        assert_eq!(s.classify(None, t), ShipState::Waiting, "{t}");
    }
    for t in ["已发货", "已发货未签收", "已签收", "已完成"] {
        assert_eq!(s.classify(None, t), ShipState::Shipped, "{t}");
    }
    assert_eq!(s.classify(None, "已取消"), ShipState::Cancelled);
    // Agreeing, disagreeing, one known, none known.
    assert_eq!(s.classify(Some(2), "待发货"), ShipState::Waiting);
    assert_eq!(s.classify(Some(4), "已发货"), ShipState::Unclear);
    assert_eq!(s.classify(Some(6), "待发货"), ShipState::Unclear);
    assert_eq!(s.classify(Some(26), ""), ShipState::Waiting);
    assert_eq!(s.classify(Some(77), "待发货"), ShipState::Waiting);
    assert_eq!(s.classify(Some(77), "审核中"), ShipState::Unclear);
    assert_eq!(s.classify(None, ""), ShipState::Unclear);
}

#[test]
fn bad_profiles_are_refused_with_a_reason() {
    let text = include_str!("../../../../extension/site-profile.json");
    let mut v: Value = serde_json::from_str(text).expect("json");
    v["packages"]["id"] = serde_json::json!([]);
    assert_eq!(SiteProfile::from_json(&v.to_string()), Err(ProfileError::Empty("packages.id")));
    let mut v: Value = serde_json::from_str(text).expect("json");
    v["status"]["families"][1]["shipped"] = serde_json::json!([4]);
    assert_eq!(SiteProfile::from_json(&v.to_string()), Err(ProfileError::Conflict(4)));
    assert!(matches!(SiteProfile::from_json("{}"), Err(ProfileError::Shape(_))));
    let mut v: Value = serde_json::from_str(text).expect("json");
    v["packages"]["buyer"]["name"] = serde_json::json!(["userInfo..name"]);
    assert!(SiteProfile::from_json(&v.to_string()).is_err());
}
