//! Column finding and row extraction: headers, content, further lines of a package.

use super::*;
use crate::ship::couriers::default_couriers;

fn rows(t: &[&[&str]]) -> Vec<RawRow> {
    t.iter().enumerate().map(|(i, r)| RawRow { row: i + 1, cells: r.iter().map(|s| s.to_string()).collect() }).collect()
}

#[test]
fn header_words() {
    assert_eq!(header_kind("订单号"), Some(Kind::Package));
    assert_eq!(header_kind("小红书订单号"), Some(Kind::Package));
    assert_eq!(header_kind("快递单号"), Some(Kind::Number));
    assert_eq!(header_kind("物流单号"), Some(Kind::Number));
    assert_eq!(header_kind("物流公司"), Some(Kind::Courier));
    assert_eq!(header_kind("Tracking Number"), Some(Kind::Number));
    assert_eq!(header_kind("商品名称"), None);
}

#[test]
fn by_header_after_a_title_row() {
    let t = rows(&[
        &["发货表 2026-11-21"],
        &["商品", "运单号", "物流公司", "订单号"],
        &["口红", "SF1234567890123", "顺丰", "P123456789012345"],
        &["合计", "", "", ""],
    ]);
    let (e, meta) = extract(t, &default_couriers()).unwrap();
    assert_eq!(
        e,
        vec![RawEntry {
            row: 3,
            package_id: "P123456789012345".into(),
            courier: "顺丰".into(),
            number: "SF1234567890123".into()
        }]
    );
    assert_eq!(meta.header_row, Some(2));
    assert_eq!(meta.package_column.unwrap().letter, "D");
    assert_eq!(meta.ignored_rows, vec![4]);
}

#[test]
fn by_content_without_header() {
    let t = rows(&[&["中通", "773012345678", "P123456789012345"], &["韵达", "4312345678901", "P123456789012346"]]);
    let (e, meta) = extract(t, &default_couriers()).unwrap();
    assert_eq!(meta.header_row, None);
    assert_eq!(e[1].courier, "韵达");
    assert_eq!(e[1].number, "4312345678901");
}

#[test]
fn the_surest_header_wins_and_inbound_or_upstream_columns_never_count() {
    assert_eq!(header_kind("入库快递单号"), None);
    assert_eq!(header_kind("上游订单号"), None);
    assert_eq!(header_kind("退货运单号"), None);
    // Every cell of the inbound and upstream columns looks like what the import wants.
    let t = rows(&[
        &["订单编号", "入库快递单号", "上游订单号", "备用快递单号", "快递单号", "包裹号", "快递公司"],
        &["P700000000000000001", "YT7412345678901", "P123456789012349", "", "773012345678", "P123456789012345", "中通"],
    ]);
    let (e, meta) = extract(t, &default_couriers()).unwrap();
    assert_eq!((e[0].package_id.as_str(), e[0].number.as_str()), ("P123456789012345", "773012345678"));
    assert_eq!(meta.number_column.unwrap().header, "快递单号");
    assert_eq!(meta.package_column.unwrap().header, "包裹号");
}

#[test]
fn a_package_on_several_lines_is_one_entry() {
    let t = rows(&[
        &["包裹号", "商品", "快递公司", "快递单号"],
        &["P123456789012345", "杯", "中通", "773012345678"],
        &["P123456789012345", "盖", "", ""],
        &["P123456789012346", "杯", "", ""],
        &["P123456789012346", "盖", "韵达", "4312345678901"],
        &["P123456789012347", "杯", "韵达", "4312345678902"],
        &["P123456789012347", "盖", "韵达", "4312345678902"],
        &["P123456789012347", "碟", "韵达", "4312345678903"],
    ]);
    let (e, meta) = extract(t, &default_couriers()).unwrap();
    let got: Vec<(usize, &str)> = e.iter().map(|e| (e.row, e.number.as_str())).collect();
    // A different number on a further line is not a continuation: validation calls it out.
    assert_eq!(got, [(2, "773012345678"), (5, "4312345678901"), (6, "4312345678902"), (8, "4312345678903")]);
    assert_eq!(meta.ignored_rows, vec![3, 4, 7]);
}

#[test]
fn missing_number_column_names_the_header_row() {
    let t = rows(&[&["订单号", "备注"], &["P123456789012345", "急"]]);
    let err = extract(t, &default_couriers()).unwrap_err();
    assert!(err.to_string().contains("运单号") && err.to_string().contains("第 1 行"), "{err}");
}
