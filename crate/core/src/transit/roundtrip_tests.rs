//! The warehouse round trip (issue 26, item 3): the transit export of every built-in template
//! (and the templates users keep: an old saved default without the warehouse's columns, and
//! one with its own headers in its own order) comes back with the warehouse's couriers and
//! numbers typed in, saved the ways Excel and WPS save it, and imports as is: columns found by
//! their headers, every row `ok`, each row's package, courier and number right. The buyer's
//! masked fields, remarks, SKU IDs and the inbound parcel's own tracking number sit beside the
//! warehouse's columns and are never taken for them.
//!
//! CSV is filled and re-encoded here (GBK through encoding_rs, the WHATWG tables the browser
//! decodes with). Workbooks are filled by independent writers, as Excel or WPS would save them:
//! `tests/fixtures/warehouse_fill.py` opens the exported XLSX with openpyxl and saves it, and
//! saves it again as Excel 97–2003 with xlwt; without those the workbook part says it skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code (cfg'd with a feature, which clippy does not see as a test): a panic is a failed test

use super::collect::{ingest, IngestRequest, TransitSnapshot};
use super::export_csv::{export_csv, read_csv};
use super::export_xlsx::export_xlsx;
use super::fixtures::{decrypted, id, page, pkg, NOW};
use super::table::ExportRequest;
use super::template::{builtin_default, save, Field, Template, TemplateBook, TemplateColumn, FIELDS};
use crate::order::profile::shipped;
use crate::ship::{
    csv_source, import, ImportRequest, ImportSource, KnownOrder, PreviewView, ValidationContext, Verdict,
};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the warehouse types in: a courier as its staff write it, the platform code it means,
/// and a number of that courier's shape.
const FILLS: [(&str, &str, &str); 6] = [
    ("中通", "zto", "773012345678901"),
    ("顺丰速运", "shunfeng", "SF1402558133092"),
    ("韵达", "yunda", "4312345678901"),
    ("圆通速递", "yuantong", "YT1234567890123"),
    ("中通快递", "zto", "773012345678902"),
    ("邮政快递包裹", "youzhengguonei", "9876543210123"),
];

/// Six pending packages whose other columns hold everything a number column could be
/// mistaken for: a decrypted buyer (masked on export), a remark full of digits, long numeric
/// SKU IDs, the inbound parcel's own tracking number, an upstream order number; package 2 has
/// two product lines.
fn snapshot() -> TransitSnapshot {
    let mut packages = Vec::new();
    for n in 1..=FILLS.len() as u32 {
        let mut p = pkg(n, 4, NOW - i64::from(n) * 1000, &format!("69381234567890{n:02}"));
        if n == 3 {
            p = decrypted(p);
        }
        p["userInfo"]["note"] = json!(format!("尾号 5678，订单 2026112100000{n}，快递别放驿站"));
        if n == 2 {
            p["skus"] = json!([{"skuId": "6938123456789099", "displayName": "杯", "skuSpecification": "红", "skuQuantity": 2},
                               {"skuId": "6938123456789098", "displayName": "盖", "skuSpecification": "白", "skuQuantity": 1}]);
        }
        packages.push(p);
    }
    let req = IngestRequest { shop_id: "shop1".into(), answer: page(packages) };
    let mut snap = ingest(None, &req, &shipped(), NOW).expect("ingest").0;
    for (i, p) in snap.packages.values_mut().enumerate() {
        let e = p.edits.get_mut();
        e.upstream_platform = "淘宝".into();
        e.upstream_order_no = format!("38261234567890123{i}");
        e.inbound_tracking = format!("YT98765432101{i:02}");
        e.notes = format!("入库 {i} 件");
    }
    snap
}

fn ctx() -> ValidationContext {
    ValidationContext {
        known_orders: (1..=FILLS.len() as u32)
            .map(|n| KnownOrder { package_id: id(n), waiting: true, unclear: false })
            .collect(),
        used_numbers: vec![],
        couriers: vec![],
    }
}

/// A template as a warehouse sees it: its package header, and the headers it types the
/// courier and number under (its own columns, or the two it appends).
struct Case {
    template: Template,
    package: &'static str,
    courier: &'static str,
    number: &'static str,
}

fn header_of(t: &Template, f: Field) -> Option<String> {
    t.columns.iter().find(|c| c.field == f).map(|c| c.header.clone())
}

/// The built-in templates, then the templates users keep.
fn cases() -> Vec<Case> {
    let builtin = builtin_default();
    assert_eq!(header_of(&builtin, Field::Courier).as_deref(), Some("快递公司"));
    assert_eq!(header_of(&builtin, Field::TrackingNumber).as_deref(), Some("快递单号"));
    // Saved before the warehouse's columns existed: the warehouse appends its own at the end.
    let mut old = builtin_default();
    old.id = "old".into();
    old.name = "旧模板".into();
    old.columns.retain(|c| !matches!(c.field, Field::Courier | Field::TrackingNumber));
    // Every field, the warehouse's columns first and under other names, the package last.
    let own = |f: Field| match f {
        Field::Courier => "物流公司",
        Field::TrackingNumber => "运单号",
        _ => FIELDS.iter().find(|(x, _, _)| *x == f).map(|(_, h, _)| *h).unwrap_or_default(),
    };
    let mut order: Vec<Field> = FIELDS.iter().map(|(f, _, _)| *f).collect();
    order.retain(|f| !matches!(f, Field::Courier | Field::TrackingNumber | Field::PackageId));
    let order = [vec![Field::TrackingNumber, Field::Courier], order, vec![Field::PackageId]].concat();
    let all = Template {
        id: "all".into(),
        name: "全部列".into(),
        columns: order.into_iter().map(|f| TemplateColumn { field: f, header: own(f).to_string() }).collect(),
    };
    vec![
        Case { template: builtin, package: "包裹号", courier: "快递公司", number: "快递单号" },
        Case { template: old, package: "包裹号", courier: "快递公司", number: "快递单号" },
        Case { template: all, package: "包裹号", courier: "物流公司", number: "运单号" },
    ]
}

fn book_for(t: &Template) -> TemplateBook {
    save(None, t.clone()).expect("template saves")
}

/// The warehouse's typing on a grid (header row first): the courier and number under their
/// headers, appended when missing; `every_line` copies them onto each line of a package.
fn fill(grid: &mut [Vec<String>], case: &Case, every_line: bool) {
    let (header, rows) = grid.split_first_mut().expect("a header row");
    let mut at = |name: &str| match header.iter().position(|h| h == name) {
        Some(c) => c,
        None => {
            header.push(name.to_string());
            header.len() - 1
        }
    };
    let (pkg, courier, number) = (at(case.package), at(case.courier), at(case.number));
    let width = header.len();
    let mut done = Vec::new();
    for row in rows {
        row.resize(width, String::new());
        let Some(n) = (1..=FILLS.len() as u32).find(|n| row[pkg] == id(*n)) else { panic!("unknown row {row:?}") };
        if done.contains(&n) && !every_line {
            continue;
        }
        done.push(n);
        let (c, _, num) = FILLS[n as usize - 1];
        row[courier] = c.into();
        row[number] = num.into();
    }
}

fn to_csv(grid: &[Vec<String>]) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for row in grid {
        w.write_record(row).expect("csv row");
    }
    String::from_utf8(w.into_inner().expect("csv")).expect("utf-8")
}

fn import_file(bytes: Vec<u8>, source: ImportSource) -> PreviewView {
    let req = ImportRequest { source, text: None, bytes: Some(bytes), sheet: None, context: ctx() };
    import(&req, &csv_source::test_gb18030).expect("imports")
}

/// Every row ok, found by its headers, one row per package with its courier and number.
fn assert_round_trip(v: &PreviewView, case: &Case, what: &str) {
    let name = &case.template.name;
    let col = |c: &Option<crate::ship::validate::ColumnView>| c.as_ref().map(|c| c.header.clone());
    assert_eq!(v.meta.header_row, Some(1), "{name} {what}");
    assert_eq!(col(&v.meta.package_column).as_deref(), Some(case.package), "{name} {what}");
    assert_eq!(col(&v.meta.courier_column).as_deref(), Some(case.courier), "{name} {what}");
    assert_eq!(col(&v.meta.number_column).as_deref(), Some(case.number), "{name} {what}");
    let bad: Vec<_> = v.rows.iter().filter(|r| r.verdict != Verdict::Ok).map(|r| (r.row, &r.reasons)).collect();
    assert!(bad.is_empty(), "{name} {what}: {bad:?}");
    let mut got: Vec<(String, &str, &str)> =
        v.rows.iter().map(|r| (r.package_id.clone(), r.courier_code.as_str(), r.number.as_str())).collect();
    got.sort();
    let want: Vec<(String, &str, &str)> = FILLS.iter().enumerate().map(|(i, f)| (id(i as u32 + 1), f.1, f.2)).collect();
    assert_eq!(got, want, "{name} {what}");
    assert_eq!((v.counts.ok, v.counts.fillable), (FILLS.len(), FILLS.len()), "{name} {what}");
}

#[test]
fn the_csv_export_filled_in_and_saved_by_excel_imports_as_is() {
    let snap = snapshot();
    for case in cases() {
        let book = book_for(&case.template);
        let f = export_csv(&snap, None, Some(&book), &ExportRequest::default(), NOW).expect("export");
        assert_eq!(f.rows, FILLS.len() + 1, "package 2 has two lines");
        for every_line in [true, false] {
            let mut grid = read_csv(&f.bytes).expect("reads back");
            fill(&mut grid, &case, every_line);
            let text = to_csv(&grid);
            let (gbk, _, lossy) = encoding_rs::GBK.encode(&text);
            assert!(!lossy && std::str::from_utf8(&gbk).is_err(), "really GBK");
            let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
            for (what, bytes) in [("GBK", gbk.into_owned()), ("UTF-8 BOM", with_bom), ("UTF-8", text.into_bytes())] {
                let v = import_file(bytes, ImportSource::Csv);
                assert_round_trip(&v, &case, &format!("{what} CSV, every line {every_line}"));
                assert_eq!(v.meta.ignored_rows.len(), 1, "package 2's second line is part of it: {:?}", v.meta);
            }
        }
    }
}

#[test]
fn a_package_with_its_number_only_on_its_second_line_is_one_ok_row() {
    let snap = snapshot();
    let case = cases().remove(0);
    let f = export_csv(&snap, None, Some(&book_for(&case.template)), &ExportRequest::default(), NOW).expect("export");
    let mut grid = read_csv(&f.bytes).expect("reads back");
    fill(&mut grid, &case, true);
    let second = grid.iter().rposition(|r| r[0] == id(2)).expect("package 2");
    let number = grid[0].iter().position(|h| h == "快递单号").expect("number column");
    grid[second - 1][number - 1].clear();
    grid[second - 1][number].clear();
    let v = import_file(to_csv(&grid).into_bytes(), ImportSource::Csv);
    assert_round_trip(&v, &case, "number on the second line");
    assert_eq!(v.rows.iter().find(|r| r.package_id == id(2)).map(|r| r.row), Some(second + 1));
    assert_eq!(v.meta.ignored_rows, vec![second]);
}

fn python_writers() -> bool {
    let have = Command::new("python3").args(["-c", "import openpyxl, xlwt"]).output();
    have.is_ok_and(|o| o.status.success())
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/warehouse_fill.py")
}

#[test]
fn the_xlsx_export_filled_in_by_another_writer_imports_as_is_as_xlsx_xls_and_csv() {
    if !python_writers() {
        eprintln!("SKIPPED: python3 with openpyxl and xlwt is not available (pip install openpyxl xlwt)");
        return;
    }
    let snap = snapshot();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/warehouse-roundtrip");
    for case in cases() {
        let book = book_for(&case.template);
        let x = export_xlsx(&snap, None, Some(&book), &ExportRequest::default(), NOW).expect("export");
        for (every_line, numbers) in [(true, true), (false, false)] {
            let dir = out.join(format!("{}-{every_line}", case.template.id));
            std::fs::create_dir_all(&dir).expect("dir");
            std::fs::write(dir.join("export.xlsx"), &x.bytes).expect("write export");
            let fills: serde_json::Map<String, serde_json::Value> =
                FILLS.iter().enumerate().map(|(i, f)| (id(i as u32 + 1), json!([f.0, f.2]))).collect();
            let spec = json!({"packageHeader": case.package, "courierHeader": case.courier, "numberHeader": case.number,
                              "fills": fills, "typedAsNumbers": numbers, "everyLine": every_line});
            std::fs::write(dir.join("spec.json"), spec.to_string()).expect("write spec");
            let status = Command::new("python3")
                .arg(script())
                .args([dir.join("export.xlsx"), dir.join("spec.json"), dir.clone()])
                .status()
                .expect("python runs");
            assert!(status.success(), "warehouse_fill.py failed for {}", case.template.name);
            let read = |name: &str| std::fs::read(dir.join(name)).expect("written");
            let what = |f: &str| format!("{f}, every line {every_line}, numbers typed as numbers {numbers}");
            assert_round_trip(&import_file(read("filled.xlsx"), ImportSource::Xlsx), &case, &what("XLSX"));
            assert_round_trip(&import_file(read("filled.xls"), ImportSource::Xlsx), &case, &what("XLS"));
            let gbk = read("filled-gbk.csv");
            assert!(std::str::from_utf8(&gbk).is_err(), "really GBK");
            assert_round_trip(&import_file(gbk, ImportSource::Csv), &case, &what("GBK CSV"));
            assert_round_trip(&import_file(read("filled-utf8-bom.csv"), ImportSource::Csv), &case, &what("CSV"));
        }
    }
}

#[test]
fn numbers_excel_saved_in_scientific_notation_are_refused_saying_why() {
    use crate::ship::normalize::is_scientific;
    for s in ["7.73012E+14", "4.31235e+12", "7E+14", "７.７３Ｅ＋１４"] {
        assert!(is_scientific(s), "{s}");
    }
    for s in ["773012345678901", "SF1402558133092", "E12345678", "7.73E", "12.3E+14", "JDAB12345678901", ""] {
        assert!(!is_scientific(s), "{s}");
    }
    // A warehouse typed the numbers into General cells of the CSV export in Excel and saved it.
    let text = format!(
        "包裹号,快递公司,快递单号\r\n{},中通,7.73012E+14\r\n{},韵达,4.31235E+12\r\n{},顺丰速运,SF1402558133092\r\n",
        id(1),
        id(2),
        id(3)
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let v = import_file(gbk.into_owned(), ImportSource::Csv);
    let codes: Vec<Vec<&str>> = v.rows.iter().map(|r| r.reasons.iter().map(|x| x.code.as_str()).collect()).collect();
    assert_eq!(codes, [vec!["number-scientific"], vec!["number-scientific"], vec![]]);
    assert!(v.rows[0].reasons[0].message.contains("文本") && v.rows[0].reasons[0].message.contains("7.73012E+14"));
}

#[test]
fn the_xlsx_export_formats_the_warehouse_columns_as_text() {
    // Typed into a text cell, a 15-digit number stays whole in Excel and in a CSV saved from it.
    let snap = snapshot();
    for case in cases() {
        let book = book_for(&case.template);
        let x = export_xlsx(&snap, None, Some(&book), &ExportRequest::default(), NOW).expect("export");
        let mut zip = crate::xlsx::zip::Archive::open(&x.bytes).expect("zip");
        let ws = String::from_utf8(zip.read("xl/worksheets/sheet1.xml").expect("read").expect("sheet")).expect("utf8");
        let styled: Vec<usize> = ws
            .split("<col ")
            .skip(1)
            .filter(|c| c.contains(r#"style="2""#))
            .filter_map(|c| c.strip_prefix("min=\"")?.split('"').next()?.parse().ok())
            .collect();
        let want: Vec<usize> = case
            .template
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.field, Field::Courier | Field::TrackingNumber))
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(styled, want, "{}", case.template.name);
    }
}
