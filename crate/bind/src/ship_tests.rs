//! Each transport form of the ship domain, encoded and decoded natively through serde_json (the
//! wasm layer's tests, crate/wasm/tests/ship.rs, cross the same forms through JS objects).

use super::{known_orders, ImportForm, PlanForm, PreviewForm, RevalidateForm};
use redship_core::ship::plan::PlanRequest;
use redship_core::ship::validate::{validate, SourceMeta};
use redship_core::ship::{ImportRequest, KnownOrder, RawEntry, RevalidateRequest, ValidationContext};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// `knownOrders` alone, as a request carries it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Known(#[serde(with = "known_orders")] Vec<KnownOrder>);

fn order(id: &str, waiting: bool, unclear: bool) -> KnownOrder {
    KnownOrder { package_id: id.into(), waiting, unclear }
}

#[test]
fn known_orders_cross_as_texts_and_back() {
    let text = json!({"waiting": "P100000000000001", "closed": "P100000000000002\nP100000000000003", "unclear": "P100000000000004"});
    let known: Known = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(known.0.iter().filter(|o| o.unclear && !o.waiting).count(), 1);
    assert_eq!(known.0[0], order("P100000000000001", true, false));
    let back = serde_json::to_value(&known).unwrap();
    assert_eq!(back, text);
    assert_eq!(serde_json::from_value::<Known>(back).unwrap(), known);
    // Read back waiting first, then unclear, then closed.
    let orders = vec![order("P1", true, false), order("P3", false, true), order("P2", false, false)];
    let encoded = serde_json::to_value(Known(orders.clone())).unwrap();
    assert_eq!(encoded, json!({"waiting": "P1", "closed": "P2", "unclear": "P3"}));
    assert_eq!(serde_json::from_value::<Known>(encoded).unwrap().0, orders);
}

#[test]
fn known_orders_refuse_the_old_form_by_name() {
    let old = json!([{"packageId": "P1", "waiting": true}]);
    let e = serde_json::from_value::<Known>(old).unwrap_err().to_string();
    assert!(e.contains("knownOrders: the old list of {packageId, waiting} objects"), "{e}");
    for bad in [json!({"open": "P1"}), json!("P1"), json!(7)] {
        assert!(serde_json::from_value::<Known>(bad.clone()).is_err(), "{bad}");
    }
    assert_eq!(serde_json::from_value::<Known>(json!(null)).unwrap().0, []);
}

#[test]
fn import_form_reads_the_request_and_its_context() {
    let form: ImportForm = serde_json::from_value(json!({
        "source": "csv", "bytes": [97, 44, 98], "knownOrders": {"waiting": "P1\n\n P2 "}, "usedNumbers": null,
        "couriers": [{"code": "zto", "name": "中通快递"}]
    }))
    .unwrap();
    let req = ImportRequest::from(form);
    assert_eq!(req.bytes.as_deref(), Some(&b"a,b"[..]));
    let ids: Vec<(&str, bool)> = req.context.known_orders.iter().map(|o| (o.package_id.as_str(), o.waiting)).collect();
    assert_eq!(ids, [("P1", true), ("P2", true)], "blank lines skipped, IDs trimmed");
    assert!(req.context.used_numbers.is_empty());
    assert_eq!(req.context.couriers.len(), 1);
    let bare: ImportForm = serde_json::from_value(json!({"source": "paste", "text": "x"})).unwrap();
    assert_eq!(ImportRequest::from(bare).context, ValidationContext::default());
    assert!(serde_json::from_value::<ImportForm>(json!({"source": "fax"})).is_err());
}

#[test]
fn revalidate_and_plan_forms_read_rows_and_context() {
    let rows = json!([{"row": 1, "packageId": "P100000000000001", "courier": "中通", "number": "773012345678"}]);
    let used = json!([{"number": "773012345678", "packageId": "P100000000000002"}]);
    let form: RevalidateForm = serde_json::from_value(
        json!({"rows": rows, "knownOrders": {"closed": "P100000000000001"}, "usedNumbers": used}),
    )
    .unwrap();
    let req = RevalidateRequest::from(form);
    assert_eq!(req.rows[0].package_id, "P100000000000001");
    assert_eq!(req.context.known_orders, [order("P100000000000001", false, false)]);
    assert_eq!(req.context.used_numbers[0].package_id, "P100000000000002");
    let form: PlanForm =
        serde_json::from_value(json!({"runId": "r1", "mode": "ship", "rows": rows, "nowMs": 5})).unwrap();
    let req = PlanRequest::from(form);
    assert_eq!((req.run_id.as_str(), req.now_ms, req.rows.len()), ("r1", 5, 1));
    let old = json!({"runId": "r1", "mode": "ship", "rows": rows, "nowMs": 5, "knownOrders": [{"packageId": "P1", "waiting": true}]});
    assert!(serde_json::from_value::<PlanForm>(old).is_err());
}

#[test]
fn preview_rows_are_columns_that_refer_to_one_courier_table() {
    let ctx = ValidationContext {
        known_orders: vec![order("P100000000000001", true, false)],
        ..ValidationContext::default()
    };
    let entry = |row: usize, pkg: &str, courier: &str, number: &str| RawEntry {
        row,
        package_id: pkg.into(),
        courier: courier.into(),
        number: number.into(),
    };
    let rows = vec![
        entry(2, "P100000000000001", "中通", "7730 1234 5678"),
        entry(3, "p100000000000009", "", ""),
        entry(5, "P100000000000001", "中通", "773012345678"),
    ];
    let view = validate(rows, &ctx, SourceMeta::default());
    let v = serde_json::to_value(PreviewForm(&view)).unwrap();
    assert_eq!(v["couriers"][1], json!({"code": "zto", "name": "中通快递"}));
    assert_eq!(v["written"], json!(["中通", ""]));
    assert_eq!(
        v["rows"],
        json!({
            "row": [2, 3, 5],
            "packageId": "P100000000000001\nP100000000000009\nP100000000000001",
            "number": "773012345678\n\n773012345678",
            "courier": [1, -1, 1],
            "written": [0, 1, 0],
            "verdict": "021",
            "fillable": "100",
        })
    );
    let codes: Vec<(u64, &str, &str)> = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["at"].as_u64().unwrap(), r["code"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [(1, "not-seen", "error"), (1, "missing-number", "error"), (2, "repeated-row", "warning")]);
    assert!(v["reasons"][0]["message"].as_str().unwrap().contains("P100000000000009"));
    assert_eq!(
        v["given"],
        json!([
            {"at": 0, "packageId": "P100000000000001", "number": "7730 1234 5678"},
            {"at": 1, "packageId": "p100000000000009", "number": ""},
        ])
    );
    assert_eq!(v["counts"]["error"], 1);
    // Decoded back as `extension/common/preview.js` does: row i's fields from each column.
    let ids: Vec<&str> = v["rows"]["packageId"].as_str().unwrap().split('\n').collect();
    let verdicts: Vec<char> = v["rows"]["verdict"].as_str().unwrap().chars().collect();
    for (i, row) in view.rows.iter().enumerate() {
        assert_eq!(ids[i], row.package_id);
        let code = match row.verdict {
            redship_core::ship::Verdict::Ok => '0',
            redship_core::ship::Verdict::Warning => '1',
            redship_core::ship::Verdict::Error => '2',
        };
        assert_eq!(verdicts[i], code);
    }
}
