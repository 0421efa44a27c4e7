//! Tests of the compact stored form (`stored`, `crate::text`): it reads every record the
//! `String` form wrote (0.2.0's too) and writes the same bytes back, and a live snapshot opened
//! from a record holds each package ID and each repeated text once.

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::fixtures::{id, page, pkg, NOW};
use super::live::{LiveSnapshot, OpenRequest};
use super::stored::{Edits, StoredPackage};
use super::view::{edit_in, EditRequest};
use crate::order::profile::shipped;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// A record as 0.2.0 wrote it (compact, in its field order): two packages, one with every
/// optional field and odd texts, a 21-digit ID, a key that is not its package's ID.
const OLD: &str = concat!(
    r#"{"v":1,"shopId":"shop1","packages":{"#,
    r#""P202611210000000000002":{"packageId":"P202611210000000000002","orderId":"","paidAtMs":null,"status":null,"#,
    r#""statusDesc":"其他 \"引号\"\n换行","unclear":true,"noShipButton":true,"afterSaleStatusDesc":"退款中","#,
    r#""buyer":{"receiver":"","phone":"","address":"","remark":"请尽快\\发货"},"skus":[{"skuId":"S1","name":"陶瓷杯","#,
    r#""spec":"白色","quantity":null},{"skuId":"","name":"","spec":"","quantity":2}],"firstSeenMs":-1,"#,
    r#""edits":{"upstreamPlatform":"","upstreamOrderNo":"","inboundTracking":"","notes":""}},"#,
    r#""P2026112100000001":{"packageId":"P2026112100000001","orderId":"O1","paidAtMs":1795230000000,"status":4,"#,
    r#""statusDesc":"待发货","afterSaleStatusDesc":"","buyer":{"receiver":"张**","phone":"138****1234","#,
    r#""address":"广东省深圳市****","remark":""},"skus":[{"skuId":"S1","name":"陶瓷杯","spec":"白色","quantity":1}],"#,
    r#""firstSeenMs":1795230000000,"edits":{"upstreamPlatform":"淘宝","upstreamOrderNo":"","inboundTracking":"","notes":""}},"#,
    r#""P9":{"packageId":"P8","orderId":"O8","paidAtMs":5,"status":4,"statusDesc":"待发货","afterSaleStatusDesc":"","#,
    r#""buyer":{"receiver":"张**","phone":"","address":"","remark":""},"skus":[],"firstSeenMs":5,"#,
    r#""edits":{"upstreamPlatform":"","upstreamOrderNo":"","inboundTracking":"","notes":""}}},"#,
    r#""closed":{"P2026112100000009":{"status":6,"atMs":1795230000000}},"#,
    r#""paidDays":{"2026-11-21":["P2026112100000001","P2026112100000077"]},"updatedAtMs":1795230000000}"#
);

#[test]
fn a_0_2_0_record_reads_and_writes_back_byte_for_byte() {
    let snap: TransitSnapshot = serde_json::from_str(OLD).expect("0.2.0 record");
    assert_eq!(serde_json::to_string(&snap).expect("json"), OLD);
    let odd = &snap.packages["P202611210000000000002"];
    assert_eq!((&*odd.status_desc, odd.skus.len(), odd.edits.clone()), ("其他 \"引号\"\n换行", 2, Edits::default()));
    assert_eq!(snap.packages["P2026112100000001"].edits.upstream_platform, "淘宝");
    assert_eq!(snap.packages["P9"].package_id, "P8");
    // Opened live (IDs shared, indexes built), the record it writes is the same.
    let req = OpenRequest { shop_id: "shop1".into(), snapshot: Some(snap), ..OpenRequest::default() };
    let live = LiveSnapshot::open(req).expect("open").0;
    assert_eq!(serde_json::to_string(live.snapshot()).expect("json"), OLD);
}

/// The same block, not only the same text.
fn same(a: &str, b: &str) -> bool {
    std::ptr::eq(a.as_ptr(), b.as_ptr())
}

#[test]
fn an_opened_snapshot_holds_each_id_and_repeated_text_once() {
    let pk: Vec<_> = (1..=3).map(|n| pkg(n, 4, NOW - i64::from(n) * 60_000, "S1")).collect();
    let taken =
        ingest(None, &IngestRequest { shop_id: "shop1".into(), answer: page(pk) }, &shipped(), NOW).expect("ingest").0;
    let text = serde_json::to_string(&taken).expect("json");
    let snap = serde_json::from_str(&text).expect("reads");
    let live =
        LiveSnapshot::open(OpenRequest { shop_id: "shop1".into(), snapshot: Some(snap), ..OpenRequest::default() })
            .expect("open")
            .0;
    let s = live.snapshot();
    assert_eq!(serde_json::to_string(s).expect("json"), text);
    let day: Vec<_> = s.paid_days.values().flatten().collect();
    let index = s.book.by_paid.as_ref().expect("indexed");
    for (key, p) in &s.packages {
        assert!(same(key, &p.package_id), "record's ID is the key's block");
        assert!(day.iter().any(|d| same(d, key)), "paid day holds the key's block");
        assert!(index.iter().any(|(_, i)| same(i, key)), "paid-time index holds the key's block");
    }
    let (a, b) = (&s.packages[id(1).as_str()], &s.packages[id(2).as_str()]);
    assert!(same(&a.status_desc, &b.status_desc) && same(&a.skus[0].name, &b.skus[0].name));
    assert!(same(&a.buyer.receiver, &b.buyer.receiver) && same(&a.buyer.address, &b.buyer.address));
}

#[test]
fn edits_emptied_again_hold_nothing_and_a_refused_edit_changes_nothing() {
    let pk = vec![pkg(1, 4, NOW - 60_000, "S1")];
    let mut s =
        ingest(None, &IngestRequest { shop_id: "shop1".into(), answer: page(pk) }, &shipped(), NOW).expect("ingest").0;
    let edit = |notes: &str| EditRequest { package_id: id(1), notes: Some(notes.into()), ..EditRequest::default() };
    assert!(edit_in(&mut s, &edit("买家电话 13812345678"), NOW).is_err());
    assert_eq!(s.packages[id(1).as_str()].edits, Edits::default());
    edit_in(&mut s, &edit("加急"), NOW).expect("edit");
    assert_eq!(s.packages[id(1).as_str()].edits.notes, "加急");
    edit_in(&mut s, &edit(""), NOW).expect("edit");
    assert_eq!(s.packages[id(1).as_str()].edits, Edits::default());
    let json = serde_json::to_value(&s.packages[id(1).as_str()]).expect("json");
    assert_eq!(
        json["edits"],
        serde_json::json!({"upstreamPlatform": "", "upstreamOrderNo": "", "inboundTracking": "", "notes": ""})
    );
}

/// The stored package as it was declared with `String` texts (0.2.0 to this change): the form
/// every stored record has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldPackage {
    package_id: String,
    order_id: String,
    #[serde(default)]
    paid_at_ms: Option<i64>,
    #[serde(default)]
    status: Option<u32>,
    status_desc: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    unclear: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    no_ship_button: bool,
    after_sale_status_desc: String,
    buyer: OldBuyer,
    skus: Vec<OldSku>,
    first_seen_ms: i64,
    edits: OldEdits,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldBuyer {
    receiver: String,
    phone: String,
    address: String,
    remark: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldEdits {
    upstream_platform: String,
    upstream_order_no: String,
    inbound_tracking: String,
    notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OldSku {
    sku_id: String,
    name: String,
    spec: String,
    quantity: Option<u32>,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z0-9*]{1,8}", any::<String>(), "[待发货退款\"\\\\\n]{0,6}"]
}

fn old_package() -> impl Strategy<Value = OldPackage> {
    let sku = (text(), text(), text(), any::<Option<u32>>()).prop_map(|(sku_id, name, spec, quantity)| OldSku {
        sku_id,
        name,
        spec,
        quantity,
    });
    (
        (text(), text(), any::<Option<i64>>(), any::<Option<u32>>(), text(), any::<(bool, bool)>(), text()),
        ((text(), text(), text(), text()), prop::collection::vec(sku, 0..3), any::<i64>()),
        (text(), text(), text(), text()),
    )
        .prop_map(|((id, order, paid, status, desc, (unclear, no_ship), after), (buyer, skus, seen), edits)| {
            let (receiver, phone, address, remark) = buyer;
            let (upstream_platform, upstream_order_no, inbound_tracking, notes) = edits;
            OldPackage {
                package_id: id,
                order_id: order,
                paid_at_ms: paid,
                status,
                status_desc: desc,
                unclear,
                no_ship_button: no_ship,
                after_sale_status_desc: after,
                buyer: OldBuyer { receiver, phone, address, remark },
                skus,
                first_seen_ms: seen,
                edits: OldEdits { upstream_platform, upstream_order_no, inbound_tracking, notes },
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn any_stored_package_reads_and_writes_back_the_same(old in old_package()) {
        let text = serde_json::to_string(&old).expect("old json");
        let new: StoredPackage = serde_json::from_str(&text).expect("reads");
        let again = serde_json::to_string(&new).expect("new json");
        prop_assert_eq!(&again, &text);
        prop_assert_eq!(serde_json::from_str::<OldPackage>(&again).expect("old reads it"), old);
        prop_assert_eq!(serde_json::from_str::<StoredPackage>(&again).expect("reads again"), new);
    }
}
