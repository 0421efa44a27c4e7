//! Tests of the CSV/XLSX export: BOM, masking, formula neutralising, the XLSX read back with
//! our reader and with calamine (an independent reader) equals the CSV, templates, the leak guard, and a property test over any input.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code (cfg'd with a feature, which clippy does not see as a test): a panic is a failed test

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::export_csv::{export_csv, read_csv, BOM};
use super::export_xlsx::{export_xlsx, read_xlsx};
use super::fixtures::{decrypted, id, page, pkg, NOW};
use super::routes::{set_route, SetRouteRequest};
use super::table::ExportRequest;
use super::template::{builtin_default, save, Field, TemplateColumn};
use super::{ExportError, Route};
use crate::order::detect::Kind;
use crate::order::profile::shipped;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The first sheet as calamine reads it, every cell as text.
fn calamine_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("calamine opens it");
    let range = x.worksheet_range_at(0).expect("a sheet").expect("readable");
    range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect()
}

fn snap(packages: Vec<Value>) -> TransitSnapshot {
    let req = IngestRequest { shop_id: "shop1".into(), answer: page(packages) };
    ingest(None, &req, &shipped(), NOW).expect("ingest").0
}

fn csv_rows(s: &TransitSnapshot) -> Vec<Vec<String>> {
    let f = export_csv(s, None, None, &ExportRequest::default(), NOW).expect("csv export");
    assert!(f.bytes.starts_with(BOM), "BOM first");
    read_csv(&f.bytes).expect("csv reads back")
}

#[test]
fn csv_has_bom_default_header_and_exactly_the_pending_packages_masked() {
    let mut two_lines = decrypted(pkg(2, 5, NOW - 1000, "S2"));
    two_lines["skus"] = json!([{"skuId": "S2", "name": "杯", "spec": "红", "quantity": 2},
                               {"skuId": "S3", "name": "盖", "spec": "白", "quantity": 1}]);
    let s = snap(vec![pkg(1, 4, NOW - 2000, "S1"), two_lines, pkg(3, 6, NOW, "S1")]);
    let rows = csv_rows(&s);
    let header: Vec<String> = builtin_default().columns.into_iter().map(|c| c.header).collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows[0][0], "包裹号");
    assert_eq!(rows.len(), 1 + 3, "one row per order line; shipped package 3 absent");
    assert_eq!(
        (rows[1][0].as_str(), rows[2][0].as_str(), rows[3][0].as_str()),
        (id(1).as_str(), id(2).as_str(), id(2).as_str())
    );
    assert_eq!((rows[2][2].as_str(), rows[2][4].as_str(), rows[3][2].as_str()), ("杯", "2", "盖"));
    assert_eq!(rows[2][1], "2026-11-21 11:59:59");
    assert_eq!(&rows[2][5..8], &["张**", "138****5678", "广东省深圳市南山区****"]);
    let remark = &rows[2][8];
    assert!(
        !remark.contains("13912345678") && !remark.contains("zsf_2024") && !remark.contains("11010519491231002X"),
        "{remark}"
    );
    assert!(remark.starts_with("到了打我电话139****5678"), "{remark}");
}

#[test]
fn xlsx_read_back_with_calamine_equals_the_csv() {
    let mut p = decrypted(pkg(2, 4, NOW, "S2"));
    p["skus"][0]["displayName"] = json!("=HYPERLINK(\"http://x\",\"点我\")");
    p["skus"][0]["skuSpecification"] = json!("-5℃ 保存");
    p["userInfo"]["note"] = json!("@所有人 尽快发");
    let s = snap(vec![pkg(1, 4, NOW - 1, "S1"), p]);
    let csv = csv_rows(&s);
    let x = export_xlsx(&s, None, None, &ExportRequest::default(), NOW).expect("xlsx export");
    assert!(x.bytes.starts_with(b"PK"), "a zip container");
    assert!(x.file_name.ends_with(".xlsx"));
    let xlsx = read_xlsx(&x.bytes).expect("our reader reads it");
    assert_eq!(xlsx, csv);
    assert_eq!(calamine_rows(&x.bytes), csv);
    // Formula injection neutralised in both.
    assert_eq!(csv[2][2], "'=HYPERLINK(\"http://x\",\"点我\")");
    assert_eq!(csv[2][3], "'-5℃ 保存");
    assert_eq!(csv[2][8], "'@所有人 尽快发");
}

#[test]
fn xlsx_is_deterministic_for_the_same_now() {
    let s = snap(vec![pkg(1, 4, NOW, "S1")]);
    let a = export_xlsx(&s, None, None, &ExportRequest::default(), NOW).expect("a");
    let b = export_xlsx(&s, None, None, &ExportRequest::default(), NOW).expect("b");
    assert_eq!(a.bytes, b.bytes, "creation time comes from now_ms, not the clock");
}

#[test]
fn template_changes_show_in_the_next_export() {
    let s = snap(vec![pkg(1, 4, NOW, "S1")]);
    let mut t = builtin_default();
    t.columns.retain(|c| c.field != Field::Spec);
    t.columns[0].header = "订单号".into();
    t.columns.push(TemplateColumn { field: Field::Route, header: "发货方式".into() });
    let book = save(None, t).expect("saved");
    let f = export_csv(&s, None, Some(&book), &ExportRequest::default(), NOW).expect("export");
    let rows = read_csv(&f.bytes).expect("read");
    assert_eq!(rows[0][0], "订单号");
    assert!(!rows[0].contains(&"规格".to_string()));
    assert_eq!(rows[0].len(), 15);
    assert_eq!(rows[1][14], "中转仓");
    let x = export_xlsx(&s, None, Some(&book), &ExportRequest::default(), NOW).expect("xlsx");
    assert_eq!(read_xlsx(&x.bytes).expect("read"), rows);
    let missing = ExportRequest { template_id: Some("nope".into()), ..Default::default() };
    assert!(matches!(export_csv(&s, None, Some(&book), &missing, NOW), Err(ExportError::UnknownTemplate(_))));
}

#[test]
fn routes_choose_what_goes_to_the_warehouse() {
    let s = snap(vec![pkg(1, 4, NOW, "S1"), pkg(2, 4, NOW, "S2")]);
    let req = SetRouteRequest {
        scope: "sku".into(),
        sku_id: Some("S2".into()),
        package_id: None,
        route: Some(Route::Supplier),
    };
    let book = set_route(None, &s, &req).expect("route");
    let f = export_csv(&s, Some(&book), None, &ExportRequest::default(), NOW).expect("export");
    assert_eq!(f.package_ids, vec![id(1)]);
    let all =
        ExportRequest { routes: Some(vec![Route::Warehouse, Route::Supplier, Route::SelfShip]), ..Default::default() };
    assert_eq!(export_csv(&s, Some(&book), None, &all, NOW).expect("all").packages, 2);
    let none = ExportRequest { routes: Some(vec![Route::SelfShip]), ..Default::default() };
    assert!(matches!(export_csv(&s, Some(&book), None, &none, NOW), Err(ExportError::Empty(_))));
}

#[test]
fn leak_guard_blocks_with_row_and_column() {
    let mut s = snap(vec![pkg(1, 4, NOW - 1, "S1"), pkg(2, 4, NOW, "S1")]);
    // A note typed around the edit check (an old record, a bug): the scan still catches it.
    if let Some(p) = s.packages.get_mut(id(2).as_str()) {
        p.edits.get_mut().notes = "买家电话 13812345678".into();
    }
    for result in [
        export_csv(&s, None, None, &ExportRequest::default(), NOW).map(|_| ()),
        export_xlsx(&s, None, None, &ExportRequest::default(), NOW).map(|_| ()),
    ] {
        match result {
            Err(ExportError::Leak(e)) => {
                assert_eq!((e.row, e.column.as_str(), e.kind), (3, "备注", Kind::Phone));
                assert_eq!(e.package_id, id(2));
                assert!(e.to_string().contains("第 3 行") && e.to_string().contains("备注"), "{e}");
            }
            other => panic!("expected a leak error, got {other:?}"),
        }
    }
    // A tampered record with plaintext buyer fields is masked again on the way out.
    if let Some(p) = s.packages.get_mut(id(2).as_str()) {
        p.edits.get_mut().notes.clear();
        p.edits.tidy();
        p.buyer.phone = "13812345678".into();
        p.buyer.address = "广东省深圳市南山区科技园路1号".into();
    }
    let rows = csv_rows(&s);
    assert_eq!((rows[2][6].as_str(), rows[2][7].as_str()), ("138****5678", "广东省深圳市南山区****"));
}

fn naive_phone_or_id(s: &str) -> bool {
    let b: Vec<u8> = s.chars().map(|c| if c.is_ascii() { c as u8 } else { b'~' }).collect();
    let phone =
        b.windows(11).any(|w| w[0] == b'1' && (b'3'..=b'9').contains(&w[1]) && w[2..].iter().all(u8::is_ascii_digit));
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let id = b.windows(18).any(|w| {
        w[..17].iter().all(u8::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == b'X' || w[17] == b'x') && {
            let sum: u32 = w[..17].iter().zip(W).map(|(d, k)| u32::from(d - b'0') * k).sum();
            b"10X98765432"[(sum % 11) as usize] == w[17].to_ascii_uppercase()
        }
    });
    phone || id
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Any buyer input, plaintext from a decrypt included: the exported buyer columns of both
    /// files hold no unmasked phone or ID, and the export is not refused.
    #[test]
    fn exports_never_hold_plain_phones_or_ids(
        name in "[张李a-z0-9 ]{0,6}(1[3-9][0-9]{9})?",
        phone in "(\\+86 )?1[3-9][0-9]{9}|[0-9*]{0,14}",
        address in "(广东省深圳市南山区|北京市朝阳区)?[一-龥0-9]{0,12}(1[3-9][0-9]{9})?",
        remark in "([一-龥 ]{0,4}(1[3-9][0-9]{9}|[1-6][0-9]{17}|[a-z]{3}@qq\\.com|[0-9]{1,20}))*",
    ) {
        let mut p = pkg(1, 4, NOW, "S1");
        p["userInfo"] = json!({"receiver": name, "phone": phone, "address": address, "buyerRemark": remark});
        let s = snap(vec![p]);
        for rows in [
            export_csv(&s, None, None, &ExportRequest::default(), NOW).map(|f| read_csv(&f.bytes)),
            export_xlsx(&s, None, None, &ExportRequest::default(), NOW).map(|f| read_xlsx(&f.bytes)),
        ] {
            // Buyer data is the masker's job: it must never make the export fail.
            let rows = rows.map_err(|e| e.to_string()).and_then(|r| r.map_err(|e| e.to_string()));
            prop_assert!(rows.is_ok(), "{:?}", rows);
            for cell in &rows.unwrap_or_default()[1][5..9] {
                prop_assert!(!naive_phone_or_id(cell), "{:?}", cell);
            }
        }
    }
}

#[test]
fn the_seen_phone_form_exports_without_its_country_code() {
    let mut p = pkg(3, 2, NOW, "S3");
    p["userInfo"]["phone"] = json!("+86138****5678");
    let mut virt = decrypted(pkg(4, 2, NOW - 1, "S4"));
    virt["userInfo"]["phone"] = json!("18000000000-9999");
    let rows = csv_rows(&snap(vec![p, virt]));
    let phone = rows[0].iter().position(|h| h == "手机号").expect("phone column");
    assert_eq!(rows[1][phone], "180****0000-****", "a virtual number's extension is masked too");
    assert_eq!(rows[2][phone], "138****5678", "no leading + for the formula guard to quote");
}
