//! Property test of the package reader: whatever the other fields hold (missing, null, of any
//! type, nested any way, in either spelling), a package with a valid ID is read, never rejected.

use super::package::{is_package_id, parse_answer, parse_package};
use super::profile::shipped;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[\\PC*]{0,12}".prop_map(Value::from),
        Just(json!("2026-12-05 14:03:22")),
        Just(json!("待发货")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every key the shipped profile reads, seen and fallback spellings, top level and nested.
const KEYS: &[&str] = &[
    "orderId",
    "order_id",
    "paidAt",
    "orderedAt",
    "paid_at",
    "status",
    "packageStatus",
    "statusDesc",
    "statusName",
    "afterSaleStatusDesc",
    "actualPaid",
    "userInfo",
    "skus",
    "skuList",
    "buyerRemark",
    "note",
];
const USER_KEYS: &[&str] = &["name", "receiver", "phone", "mobile", "province", "city", "district", "address", "note"];
const SKU_KEYS: &[&str] = &[
    "skuId",
    "displayName",
    "name",
    "skuName",
    "skuSpecification",
    "spec",
    "skuQuantity",
    "quantity",
    "skuSoldPrice",
    "price",
    "scskus",
];

fn object_of(keys: &'static [&'static str]) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((prop::sample::select(keys), any_json()), 0..8)
        .prop_map(|kv| kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn package() -> impl Strategy<Value = Value> {
    (
        "[0-9]{15,19}",
        object_of(KEYS),
        prop::option::of(object_of(USER_KEYS)),
        prop::option::of(prop::collection::vec(
            (object_of(SKU_KEYS), prop::option::of(prop::collection::vec(object_of(SKU_KEYS), 0..3))),
            0..3,
        )),
    )
        .prop_map(|(digits, mut top, user, skus)| {
            if let Some(u) = user {
                top.insert("userInfo".into(), Value::Object(u));
            }
            if let Some(lines) = skus {
                let lines = lines
                    .into_iter()
                    .map(|(mut line, nested)| {
                        if let Some(n) = nested {
                            line.insert("scskus".into(), Value::Array(n.into_iter().map(Value::Object).collect()));
                        }
                        Value::Object(line)
                    })
                    .collect();
                top.insert("skus".into(), Value::Array(lines));
            }
            top.insert("packageId".into(), Value::from(format!("P{digits}")));
            Value::Object(top)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn a_package_with_a_valid_id_is_never_rejected(p in package()) {
        let profile = shipped();
        let id = p["packageId"].as_str().unwrap_or_default().to_string();
        prop_assert!(is_package_id(&id));
        let read = parse_package(&p, 1, &profile);
        prop_assert!(read.is_ok(), "{:?}", read);
        let (ok, rejected) = parse_answer(&json!({"packages": [p]}), &profile).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(ok.len(), 1);
        prop_assert!(rejected.is_empty());
        prop_assert_eq!(&ok[0].package_id, &id);
    }
}
