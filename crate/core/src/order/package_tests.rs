//! Reading packages through the field map: the seen shapes, every fallback, both status
//! families, gaps instead of rejections, and a profile whose names were corrected.

use super::*;
use crate::chinaday::parse_china_datetime;
use crate::order::profile::shipped;
use serde_json::{json, Value};

fn read(v: Value) -> Package {
    parse_package(&v, 1, &shipped()).expect("readable")
}

/// A package in the seen spelling (SPEC.md "`Package` [seen]").
fn seen() -> Value {
    json!({"packageId": "P760123456789012345", "orderId": "P760123456789012345", "status": 2,
           "statusDesc": "待发货", "afterSaleStatusDesc": "无售后", "paidAt": "2026-12-05 14:03:22",
           "orderedAt": "2026-12-05 14:02:10", "actualPaid": 89.9,
           "userInfo": {"name": "王**", "nickName": "小王", "province": "上海市", "city": "上海市",
                        "district": "浦东新区", "address": "**市**金钟路**号**栋****",
                        "phone": "+86138****5678", "note": "请尽快发货"},
           "skus": [{"skuId": "S1", "itemId": "I1", "displayName": "北欧风陶瓷马克杯",
                     "skuName": "北欧风陶瓷马克杯 雾蓝", "skuSpecification": "雾蓝",
                     "skuQuantity": 2, "skuSoldPrice": 36.5}]})
}

/// The same package in the first replica's spelling.
fn legacy() -> Value {
    json!({"packageId": "P760123456789012345", "orderId": "O1", "status": 4, "statusDesc": "待发货",
           "paidAt": 1_795_000_000_000_i64, "actualPaid": 12.5,
           "userInfo": {"receiver": "张**", "phone": "138****1234",
                        "address": "广东省深圳市南山区****", "buyerRemark": "放门口"},
           "skus": [{"skuId": "S1", "name": "杯子", "spec": "红色", "quantity": 2, "price": 6.25}]})
}

#[test]
fn the_seen_shape_reads_whole() {
    let p = read(seen());
    assert_eq!(p.paid_at_ms, parse_china_datetime("2026-12-05 14:03:22"));
    assert_eq!((p.status_code, p.state), (Some(2), ShipState::Waiting));
    assert_eq!(p.user_info.receiver, "王**");
    assert_eq!(p.user_info.phone, "+86138****5678");
    assert_eq!(p.user_info.address, "上海市浦东新区**市**金钟路**号**栋****");
    assert_eq!(p.user_info.buyer_remark, "请尽快发货");
    let s = &p.skus[0];
    assert_eq!(
        (s.name.as_str(), s.spec.as_str(), s.quantity, s.price),
        ("北欧风陶瓷马克杯", "雾蓝", Some(2), Some(36.5))
    );
    assert!(p.gaps.is_empty(), "{:?}", p.gaps);
}

#[test]
fn the_first_spellings_still_read_as_fallbacks() {
    let p = read(legacy());
    assert_eq!(p.paid_at_ms, Some(1_795_000_000_000));
    assert_eq!(p.state, ShipState::Waiting);
    assert_eq!(p.user_info.receiver, "张**");
    assert_eq!(p.user_info.address, "广东省深圳市南山区****");
    assert_eq!(p.user_info.buyer_remark, "放门口");
    assert_eq!(p.skus[0].name, "杯子");
    assert_eq!(p.skus[0].spec, "红色");
    assert_eq!(p.skus[0].quantity, Some(2));
    assert_eq!(p.skus[0].price, Some(6.25));
    assert!(p.gaps.is_empty(), "{:?}", p.gaps);
}

#[test]
fn every_fallback_of_the_field_map() {
    let base = json!({"packageId": "P123456789012345"});
    let one = |k: &str, v: Value| {
        let mut x = base.clone();
        let mut at = &mut x;
        let keys: Vec<&str> = k.split('.').collect();
        for key in &keys[..keys.len() - 1] {
            at = at.as_object_mut().expect("object").entry(key.to_string()).or_insert(json!({}));
        }
        at[keys[keys.len() - 1]] = v;
        read(x)
    };
    assert_eq!(one("order_id", json!("O9")).order_id, "O9");
    assert_eq!(one("orderedAt", json!("2026-12-01 00:00:00")).paid_at_ms, parse_china_datetime("2026-12-01 00:00:00"));
    assert_eq!(one("paid_at", json!(1_795_000_000)).paid_at_ms, Some(1_795_000_000_000), "seconds");
    assert_eq!(one("paidAt", json!("1795000000000")).paid_at_ms, Some(1_795_000_000_000), "ms as text");
    assert_eq!(one("paidAt", json!("2026/12/01 08:00:00")).paid_at_ms, parse_china_datetime("2026-12-01 08:00:00"));
    assert_eq!(one("packageStatus", json!("21")).status_code, Some(21));
    assert_eq!(one("statusName", json!("待配货")).state, ShipState::Waiting);
    assert_eq!(one("actual_paid", json!("9.90")).actual_paid, Some(9.9));
    assert_eq!(one("userInfo.receiverName", json!("李*")).user_info.receiver, "李*");
    assert_eq!(one("userInfo.mobile", json!("139****0000")).user_info.phone, "139****0000");
    assert_eq!(one("userInfo.detailAddress", json!("某路**号")).user_info.address, "某路**号");
    assert_eq!(one("buyerRemark", json!("备注")).user_info.buyer_remark, "备注");
    assert_eq!(one("note", json!("备注2")).user_info.buyer_remark, "备注2");
    let lines = one(
        "skuList",
        json!([{"sku_id": "A", "skuName": "名", "specification": "规格", "quantity": "3", "soldPrice": 2}]),
    );
    let s = &lines.skus[0];
    assert_eq!(
        (s.sku_id.as_str(), s.name.as_str(), s.spec.as_str(), s.quantity, s.price),
        ("A", "名", "规格", Some(3), Some(2.0))
    );
    // A seen name wins over a fallback given beside it.
    let both = one("userInfo", json!({"name": "王**", "receiver": "旧**"}));
    assert_eq!(both.user_info.receiver, "王**");
    // A present but empty seen field falls through to the next name.
    let empty = one("userInfo", json!({"name": "", "receiver": "旧**"}));
    assert_eq!(empty.user_info.receiver, "旧**");
}

#[test]
fn nested_bundle_lines_replace_their_bundle() {
    let mut v = seen();
    v["skus"] = json!([
        {"skuId": "B1", "displayName": "早餐组合", "skuQuantity": 2,
         "scskus": [{"name": "咖啡豆", "quantity": 1, "soldPrice": 30}, {"skuName": "马克杯", "skuId": "M1", "quantity": 2, "price": 20}]},
        {"skuId": "S2", "displayName": "草帽", "skuSpecification": "米白", "skuQuantity": 1}
    ]);
    let p = read(v);
    let lines: Vec<(&str, &str, &str, Option<u32>)> =
        p.skus.iter().map(|s| (s.sku_id.as_str(), s.name.as_str(), s.spec.as_str(), s.quantity)).collect();
    assert_eq!(
        lines,
        vec![
            ("B1", "咖啡豆", "早餐组合", Some(2)),
            ("M1", "马克杯", "早餐组合", Some(4)),
            ("S2", "草帽", "米白", Some(1))
        ]
    );
}

#[test]
fn both_status_families_text_only_and_disagreeing() {
    let with = |status: Value, text: Value| {
        let mut v = seen();
        v["status"] = status;
        v["statusDesc"] = text;
        read(v)
    };
    for c in [1, 2, 21, 26, 4, 5] {
        assert_eq!(with(json!(c), json!("")).state, ShipState::Waiting, "{c}");
    }
    for c in [6, 65, 7] {
        assert_eq!(with(json!(c), json!("")).state, ShipState::Shipped, "{c}");
    }
    assert_eq!(with(json!(998), json!("已取消")).state, ShipState::Cancelled);
    assert_eq!(with(Value::Null, json!("部分发货")).state, ShipState::Waiting, "text only");
    assert_eq!(with(json!(3), json!("已发货未签收")).state, ShipState::Shipped, "unknown code, known text");
    let p = with(json!(2), json!("已发货"));
    assert_eq!(p.state, ShipState::Unclear, "code and text disagree");
    assert!(p.gaps.is_empty(), "a disagreement is not a missing field");
    let p = with(json!(77), json!("审核中"));
    assert_eq!((p.status_code, p.state), (Some(77), ShipState::Unclear));
    let p = with(Value::Null, Value::Null);
    assert_eq!(p.state, ShipState::Unclear);
    assert_eq!(p.gaps, vec![Gap { field: "status", odd: false }]);
    let p = with(json!("待发货"), Value::Null);
    assert_eq!((p.status_code, p.state), (None, ShipState::Unclear), "a code that is not a number");
    assert_eq!(p.gaps, vec![Gap { field: "status", odd: true }]);
}

#[test]
fn missing_and_odd_fields_degrade_and_are_listed() {
    let p = read(
        json!({"packageId": " P123456789012345 ", "paidAt": "昨天", "skus": [{"displayName": "杯子", "skuQuantity": 1.5}],
                        "userInfo": "not an object"}),
    );
    assert_eq!(p.package_id, "P123456789012345");
    assert_eq!(p.paid_at_ms, None);
    assert_eq!(p.skus[0].quantity, None);
    let fields: Vec<(&str, bool)> = p.gaps.iter().map(|g| (g.field, g.odd)).collect();
    assert_eq!(
        fields,
        vec![
            ("orderId", false),
            ("time", true),
            ("status", false),
            ("buyer.name", false),
            ("buyer.phone", false),
            ("buyer.address", false),
            ("lines.quantity", true)
        ]
    );
    // Seconds before 2000 and ms after 2100 are unit mix-ups, not times.
    assert_eq!(read(json!({"packageId": "P123456789012345", "paidAt": 1_000})).paid_at_ms, None);
    assert_eq!(read(json!({"packageId": "P123456789012345", "paidAt": 9_000_000_000_000_i64})).paid_at_ms, None);
    // `paidAt` unreadable, `orderedAt` fine: the order time stands in.
    let p = read(json!({"packageId": "P123456789012345", "paidAt": "?", "orderedAt": 1_795_000_000_000_i64}));
    assert_eq!(p.paid_at_ms, Some(1_795_000_000_000));
}

#[test]
fn only_a_bad_package_id_rejects() {
    let ans = json!({"packages": [{"packageId": "P12345"}, {"packageId": "X123456789012345"}, {"orderId": "1"}, 7,
                                  {"packageId": "P123456789012345"}]});
    let (ok, rej) = parse_answer(&ans, &shipped()).expect("answer shape ok");
    assert_eq!(ok.len(), 1);
    assert_eq!(rej.iter().map(|r| r.index).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert!(rej[0].reason.contains("packageId"), "{}", rej[0].reason);
    assert_eq!(rej[1].package_id.as_deref(), Some("X123456789012345"));
}

#[test]
fn answers_envelopes_details_and_refusals() {
    let list = json!({"code": 0, "success": true, "msg": "", "data": {"total": 2, "packages": [seen(), legacy()]}});
    let (ok, rej) = parse_answer(&list, &shipped()).expect("parses");
    assert_eq!((ok.len(), rej.len()), (1, 1), "the same ID twice: the first stands");
    let detail = json!({"success": true, "code": 0, "msg": "", "data": seen()});
    assert_eq!(parse_answer(&detail, &shipped()).expect("ok").0.len(), 1);
    let refused = json!({"success": false, "code": 1, "msg": "今日解密次数已用完", "data": null});
    assert_eq!(parse_answer(&refused, &shipped()), Err(OrderError::Refused("今日解密次数已用完".into())));
    assert!(matches!(parse_answer(&json!({"foo": 1}), &shipped()), Err(OrderError::BadAnswer(_))));
}

#[test]
fn a_corrected_profile_reads_a_new_spelling_without_code_changes() {
    let text = include_str!("../../../../extension/site-profile.json");
    let mut v: Value = serde_json::from_str(text).expect("json");
    v["packages"]["buyer"]["name"] = json!(["consignee.fullName"]);
    v["packages"]["lines"]["name"] = json!(["goodsTitle"]);
    v["packages"]["id"] = json!(["pkgNo"]);
    v["status"]["families"] = json!([{"waiting": [301], "shipped": [302]}]);
    let profile = SiteProfile::from_json(&v.to_string()).expect("profile");
    let pkg = json!({"pkgNo": "P123456789012345", "status": 301, "consignee": {"fullName": "赵**"},
                     "skus": [{"goodsTitle": "香薰蜡烛", "skuQuantity": 1}]});
    let p = parse_package(&pkg, 1, &profile).expect("read");
    assert_eq!(
        (p.package_id.as_str(), p.user_info.receiver.as_str(), p.skus[0].name.as_str()),
        ("P123456789012345", "赵**", "香薰蜡烛")
    );
    assert_eq!(p.state, ShipState::Waiting);
    // The shipped profile does not know these names: the same package has only its ID.
    assert!(parse_package(&pkg, 1, &shipped()).is_err(), "pkgNo is not a name the shipped profile reads");
}
