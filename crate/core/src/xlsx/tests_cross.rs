//! Cross-checks against two independent implementations (dev-dependencies only): workbooks
//! written by rust_xlsxwriter read by ours equal what calamine reads (and what calamine gave
//! before, through the old `cell_text`), and what our writer writes calamine reads back exactly.

use super::write::{write, Out, Sheet};
use crate::ship::xlsx_source::{read, sheet_names};
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Cursor;

type Grid = Vec<(usize, Vec<String>)>;

/// The old import (calamine + the old `cell_text`), as the oracle.
fn calamine_read(bytes: &[u8], sheet: &str) -> Option<Grid> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).ok()?;
    let range = book.worksheet_range(sheet).ok()?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let text = |d: &Data| match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.as_f64().to_string(),
    };
    let rows: Grid = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![String::new(); first_col as usize];
            cells.extend(r.iter().map(text));
            (first_row as usize + i + 1, cells)
        })
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    // The old import's `Empty` error for a sheet without data.
    (!rows.is_empty()).then_some(rows)
}

fn ours(bytes: &[u8], sheet: &str) -> Option<Grid> {
    let book = read(bytes, Some(sheet)).ok()?;
    Some(book.rows.into_iter().map(|r| (r.row, r.cells)).collect())
}

fn assert_same(bytes: &[u8]) -> Vec<String> {
    let names = sheet_names(bytes).expect("names");
    let theirs = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine").sheet_names();
    assert_eq!(names, theirs);
    for n in &names {
        assert_eq!(ours(bytes, n), calamine_read(bytes, n), "sheet {n}");
    }
    names
}

#[test]
fn rust_xlsxwriter_workbooks_read_as_calamine_reads_them() {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let s = wb.add_worksheet().set_name("运单").expect("name");
    for (c, h) in ["", "订单号", "快递公司", "运单号", "数量", "已发", "日期"].iter().enumerate().skip(1)
    {
        s.write_string(2, c as u16, *h).expect("header");
    }
    s.write_string(3, 1, "P100000000000001").expect("s");
    s.write_string(3, 2, " 顺丰 & <速运> \"'").expect("s");
    s.write_number(3, 3, 773_012_345_678_901.0).expect("n");
    s.write_number(3, 4, 2.5).expect("n");
    s.write_boolean(3, 5, true).expect("b");
    s.write_datetime_with_format(3, 6, ExcelDateTime::from_ymd(2026, 11, 21).expect("date"), &date).expect("d");
    s.write_string(5, 1, "line1\r\nline2\ttab _x000D_ literal \u{1} 😀").expect("s");
    s.write_number(5, 3, 1e20).expect("n");
    s.write_number(5, 4, -0.125).expect("n");
    s.write_boolean(5, 5, false).expect("b");
    s.write_formula(5, 6, "=1+1").expect("f");
    s.write_string(7, 2, "   ").expect("blank-looking");
    for i in 0..5 {
        let extra = wb.add_worksheet().set_name(format!("第{i}页")).expect("name");
        extra.write_string(i, i as u16, format!("重复 {i}")).expect("s");
        extra.write_string(i + 1, 0, "重复 0").expect("s");
    }
    wb.add_worksheet().set_name("空").expect("name");
    let bytes = wb.save_to_buffer().expect("xlsx");
    let names = assert_same(&bytes);
    assert_eq!(names.len(), 7);
    let rows = ours(&bytes, "运单").expect("read");
    assert_eq!(rows[0].0, 3, "1-based sheet rows");
    assert_eq!(rows[1].1[3], "773012345678901");
    assert_eq!(rows[1].1[6], "46347", "a date is its serial number");
}

/// What our writer wrote, as calamine reads it (header row first).
fn calamine_grid(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine opens our file");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("sheet");
    range.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect()
}

#[test]
fn our_writer_is_read_back_by_calamine() {
    let rows = vec![
        vec![Out::Text("P1"), Out::Text("=SUM(A1)"), Out::Number(3.0), Out::Text(" x\r\n_x0041_ <&> 😀\u{2}")],
        vec![Out::Text("P2"), Out::Blank, Out::Number(773_012_345_678_901.0), Out::Text("中文")],
    ];
    let sheet = Sheet {
        name: "中转仓订单",
        header: vec!["订单号", "名称", "数量", "备注"],
        widths: vec![10.0, 60.0, 6.0, 8.5],
        rows,
        text_columns: vec![3],
    };
    let bytes = write(&sheet, 1_795_233_600_000).expect("write");
    assert_eq!(
        calamine_grid(&bytes),
        vec![
            vec!["订单号", "名称", "数量", "备注"],
            vec!["P1", "=SUM(A1)", "3", " x\r\n_x0041_ <&> 😀\u{2}"],
            vec!["P2", "", "773012345678901", "中文"],
        ]
    );
    let mut zip = super::zip::Archive::open(&bytes).expect("zip");
    let text =
        |z: &mut super::zip::Archive<'_>, p: &str| String::from_utf8(z.read(p).expect("read").expect(p)).expect("utf8");
    let ws = text(&mut zip, "xl/worksheets/sheet1.xml");
    assert!(
        ws.contains(r#"state="frozen""#) && ws.contains(r#"<c r="A1" s="1" t="s">"#) && !ws.contains("<f>"),
        "{ws}"
    );
    assert!(ws.contains(r#"<col min="2" max="2" width="60.7109375" customWidth="1"/>"#), "{ws}");
    // The column a person types into later is formatted as text (numFmtId 49, "@").
    assert!(ws.contains(r#"<col min="4" max="4" width="9.2109375" style="2" customWidth="1"/>"#), "{ws}");
    let styles = text(&mut zip, "xl/styles.xml");
    assert!(styles.contains(r#"<cellXfs count="3">"#) && styles.contains(r#"<xf numFmtId="49" "#), "{styles}");
    let core = text(&mut zip, "docProps/core.xml");
    assert!(core.contains("<dc:title>中转仓订单</dc:title>") && core.contains(">2026-11-21T04:00:00Z<"), "{core}");
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
    ] {
        assert!(zip.has(part), "{part}");
    }
    assert!(matches!(
        write(&Sheet { rows: vec![vec![Out::Number(f64::NAN)]], ..sheet.clone() }, 0),
        Err(super::XlsxError::Corrupt(_))
    ));
}

#[derive(Debug, Clone)]
enum Gen {
    Text(String),
    Number(f64),
    Bool(bool),
}

fn gen_cell() -> impl Strategy<Value = Gen> {
    prop_oneof![
        "[ a-zA-Z0-9_&<>\"'\\t\\r\\n\u{1}\u{7}一-龥😀]{0,10}".prop_map(Gen::Text),
        Just(Gen::Text("_x000D_".into())),
        prop_oneof![
            any::<f64>().prop_filter("finite", |f| f.is_finite()),
            (0u64..10_000_000_000_000_000).prop_map(|n| n as f64),
            -1e6..1e6f64
        ]
        .prop_map(Gen::Number),
        any::<bool>().prop_map(Gen::Bool),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Generated workbooks: ours reads every sheet as calamine does.
    #[test]
    fn reader_agrees_with_calamine(sheets in prop::collection::vec(prop::collection::vec((0u32..40, 0u16..12, gen_cell()), 0..30), 1..4)) {
        let mut wb = Workbook::new();
        for (i, cells) in sheets.iter().enumerate() {
            let ws = wb.add_worksheet().set_name(format!("S{i}")).expect("name");
            for (r, c, v) in cells {
                match v {
                    Gen::Text(s) => ws.write_string(*r, *c, s),
                    Gen::Number(n) => ws.write_number(*r, *c, *n),
                    Gen::Bool(b) => ws.write_boolean(*r, *c, *b),
                }.expect("write");
            }
        }
        assert_same(&wb.save_to_buffer().expect("xlsx"));
    }

    /// Generated tables: what our writer writes, calamine reads back exactly.
    #[test]
    fn writer_round_trips_through_calamine(rows in prop::collection::vec(prop::collection::vec(prop_oneof!["[ a-z_&<>\\r\\n\u{1}一-龥]{1,8}", (0u32..1_000_000).prop_map(|n| n.to_string())], 3), 0..12)) {
        let cells: Vec<Vec<Out<'_>>> = rows.iter().map(|r| r.iter().map(|s| s.parse::<f64>().map_or(Out::Text(s), Out::Number)).collect()).collect();
        let sheet = Sheet { name: "表", header: vec!["a", "b", "c"], widths: vec![8.0; 3], rows: cells, text_columns: vec![] };
        let got = calamine_grid(&write(&sheet, 0).expect("write"));
        let want: Vec<Vec<String>> = std::iter::once(vec!["a".to_string(), "b".into(), "c".into()]).chain(rows).collect();
        prop_assert_eq!(got, want);
    }
}
