//! Import and validation tests across sources: GBK CSV, an XLSX written in-test, pasted chat
//! text, every verdict reason, and properties (normalisation idempotent, parsers never panic).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code (cfg'd with a feature, which clippy does not see as a test): a panic is a failed test

use super::normalize::{normalize_code, normalize_name};
use super::*;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

/// [`super::import`] with the tests' GB18030 decoder (what the browser's would do).
fn import(req: &ImportRequest) -> Result<PreviewView, ImportError> {
    super::import(req, &csv_source::test_gb18030)
}

fn pid(n: u32) -> String {
    format!("P{:015}", 100_000_000_000_000u64 + u64::from(n))
}

fn ctx(n: u32) -> ValidationContext {
    ValidationContext {
        known_orders: (0..n).map(|i| KnownOrder { package_id: pid(i), waiting: true, unclear: false }).collect(),
        used_numbers: vec![],
        couriers: vec![],
    }
}

fn paste(text: &str, ctx: ValidationContext) -> PreviewView {
    import(&ImportRequest {
        source: ImportSource::Paste,
        text: Some(text.into()),
        bytes: None,
        sheet: None,
        context: ctx,
    })
    .unwrap()
}

fn codes(r: &PreviewRow) -> Vec<&str> {
    r.reasons.iter().map(|x| x.code.as_str()).collect()
}

#[test]
fn gbk_csv_end_to_end() {
    let text =
        format!("订单号,快递公司,运单号\r\n{},顺丰速运,SF1234567890123\r\n{},中通,773012345678\r\n", pid(1), pid(2));
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    assert!(std::str::from_utf8(&gbk).is_err(), "fixture must really be GBK");
    let v = import(&ImportRequest {
        source: ImportSource::Csv,
        text: None,
        bytes: Some(gbk.into_owned()),
        sheet: None,
        context: ctx(5),
    })
    .unwrap();
    assert_eq!(v.meta.encoding.as_deref(), Some("GBK"));
    assert_eq!(v.counts.ok, 2, "{:?}", v.rows);
    assert_eq!(v.rows[1].courier_code, "zto");
    assert_eq!(v.rows[1].row, 3);
}

fn xlsx_fixture() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "这一页不是订单").unwrap();
    let s = wb.add_worksheet();
    s.set_name("发货").unwrap();
    s.write_string(0, 0, "小红书订单号").unwrap();
    s.write_string(0, 1, "物流公司").unwrap();
    s.write_string(0, 2, "物流单号").unwrap();
    s.write_string(1, 0, pid(1)).unwrap();
    s.write_string(1, 1, "韵达").unwrap();
    // Excel users type long numbers as numbers: it must come back as the same digits.
    s.write_number(1, 2, 4_312_345_678_901.0).unwrap();
    s.write_string(2, 0, pid(2)).unwrap();
    s.write_string(2, 1, "EMS").unwrap();
    s.write_string(2, 2, "RR123456785CN").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_sheet_search_stops_after_sixteen_sheets_and_the_picker_reaches_the_rest() {
    let book = |notes: usize| {
        let mut wb = Workbook::new();
        for i in 0..notes {
            wb.add_worksheet().set_name(format!("说明{i}")).unwrap().write_string(0, 0, "不是订单").unwrap();
        }
        let s = wb.add_worksheet().set_name("发货").unwrap();
        for (c, h) in ["小红书订单号", "物流公司", "物流单号"].iter().enumerate() {
            s.write_string(0, u16::try_from(c).unwrap(), *h).unwrap();
        }
        s.write_string(1, 0, pid(1))
            .unwrap()
            .write_string(1, 1, "韵达")
            .unwrap()
            .write_string(1, 2, "4312345678901")
            .unwrap();
        wb.save_to_buffer().unwrap()
    };
    let req = |bytes: Vec<u8>, sheet: Option<&str>| ImportRequest {
        source: ImportSource::Xlsx,
        text: None,
        bytes: Some(bytes),
        sheet: sheet.map(Into::into),
        context: ctx(5),
    };
    // The 16th sheet is still found; the 17th is not searched, and the first sheet's error says why.
    assert_eq!(import(&req(book(15), None)).unwrap().meta.sheet.as_deref(), Some("发货"));
    assert!(matches!(import(&req(book(16), None)), Err(ImportError::NoColumn { .. })));
    assert_eq!(import(&req(book(16), Some("发货"))).unwrap().counts.ok, 1);
}

#[test]
fn xlsx_lists_sheets_and_reads_the_picked_one() {
    let bytes = xlsx_fixture();
    assert_eq!(xlsx_source::sheet_names(&bytes).unwrap(), vec!["说明", "发货"]);
    let req = |sheet: Option<&str>| ImportRequest {
        source: ImportSource::Xlsx,
        text: None,
        bytes: Some(bytes.clone()),
        sheet: sheet.map(Into::into),
        context: ctx(5),
    };
    let v = import(&req(Some("发货"))).unwrap();
    assert_eq!(v.meta.sheets, vec!["说明", "发货"]);
    assert_eq!(v.rows[0].number, "4312345678901");
    assert_eq!(v.rows[0].courier_code, "yunda");
    assert_eq!(v.rows[1].courier_code, "ems");
    assert_eq!(v.counts.ok, 2);
    // Without a pick, the notes sheet (no order column) is passed over for the first usable one.
    let auto = import(&req(None)).unwrap();
    assert_eq!(auto.meta.sheet.as_deref(), Some("发货"));
    assert_eq!(auto.counts.ok, 2);
    // Picking the notes sheet explicitly is a typed error, not an empty preview.
    assert!(matches!(import(&req(Some("说明"))), Err(ImportError::NoColumn { .. })));
    assert!(matches!(import(&req(Some("不存在"))), Err(ImportError::NoSheet { .. })));
    let broken = ImportRequest {
        source: ImportSource::Xlsx,
        text: None,
        bytes: Some(b"PK\x03\x04 not really".to_vec()),
        sheet: None,
        context: ctx(1),
    };
    assert!(matches!(import(&broken), Err(ImportError::Unreadable { .. })));
}

#[test]
fn wechat_paste_full_width_and_stray_words() {
    let text = format!(
        "老板，今天的单号：\n{}　顺丰　ＳＦ１２３４ ５６７８ ９０１２３\n订单{} 中通快递 单号7730-1234-5678，谢谢\n好的👌\n",
        pid(1).replace('P', "Ｐ"),
        pid(2)
    );
    let v = paste(&text, ctx(5));
    assert_eq!(v.rows.len(), 2, "{:?}", v.rows);
    assert_eq!(v.rows[0].number, "SF1234567890123");
    assert_eq!(v.rows[0].package_id, pid(1));
    assert_eq!(v.rows[1].number, "773012345678");
    assert_eq!(v.counts.ok, 2, "{:?}", v.rows);
    assert_eq!(v.meta.ignored_rows, vec![1, 4]);
}

#[test]
fn every_verdict_reason() {
    let mut c = ctx(20);
    c.known_orders.push(KnownOrder { package_id: pid(50), waiting: false, unclear: false });
    c.known_orders.push(KnownOrder { package_id: pid(51), waiting: false, unclear: true });
    c.used_numbers.push(UsedNumber { number: "773099999999".into(), package_id: pid(99) });
    let no_jd: Vec<_> = couriers::default_couriers().into_iter().filter(|x| x.code != "jd").collect();
    c.couriers = no_jd;
    let lines = [
        format!("{}\t中通\t773012345601", pid(1)),     // 1 ok
        format!("{}\t中通\t773012345602", pid(777)),   // 2 unknown order
        format!("{}\t中通\t773012345603", pid(50)),    // 3 not waiting
        format!("{}\t中通\t773012345604", pid(2)),     // 4 duplicate number …
        format!("{}\t中通\t773012345604", pid(3)),     // 5 … on another order
        format!("{}\t中通\t773099999999", pid(4)),     // 6 already used
        format!("{}\t顺丰\t1234567890123", pid(5)),    // 7 number does not fit
        format!("{}\t京东\tJDVA12345678901", pid(6)),  // 8 courier not offered
        format!("{}\t中通\t773012345609", pid(7)),     // 9 two numbers …
        format!("{}\t中通\t773012345610", pid(7)),     // 10 … for one order
        format!("{}\t火星快递\t773012345611", pid(8)), // 11 unknown courier
        format!("{}\t\tSF1234567890123", pid(9)),      // 12 courier guessed (warning)
        format!("{}\t\t773012345613", pid(10)),        // 13 courier missing
        format!("{}\t中通\t773012345601", pid(1)),     // 14 repeat of row 1 (warning)
        format!("{}\t邮政\t", pid(11)),                // 15 missing number
        "ABC123\t中通\t773012345616".to_string(),      // 16 not a package ID
        format!("{}\tEMS\tRR123456784CN", pid(12)),    // 17 bad S10 check digit
        format!("{}\t中通\t773012345618", pid(51)),    // 18 status unclear
    ];
    let text = format!("订单号\t快递公司\t运单号\n{}", lines.join("\n"));
    let v = paste(&text, c);
    let want: [(&str, Verdict); 18] = [
        ("", Verdict::Ok),
        ("not-seen", Verdict::Error),
        ("not-waiting", Verdict::Error),
        ("duplicate-number", Verdict::Error),
        ("duplicate-number", Verdict::Error),
        ("already-used", Verdict::Error),
        ("number-mismatch", Verdict::Error),
        ("courier-not-offered", Verdict::Error),
        ("two-numbers", Verdict::Error),
        ("two-numbers", Verdict::Error),
        ("courier-not-offered", Verdict::Error),
        ("courier-guessed", Verdict::Warning),
        ("courier-missing", Verdict::Error),
        ("repeated-row", Verdict::Warning),
        ("missing-number", Verdict::Error),
        ("unknown-order", Verdict::Error),
        ("number-mismatch", Verdict::Error),
        ("status-unclear", Verdict::Error),
    ];
    assert_eq!(v.rows.len(), want.len());
    for (r, (code, verdict)) in v.rows.iter().zip(want) {
        assert_eq!(r.verdict, verdict, "row {}: {:?}", r.row, r.reasons);
        if code.is_empty() {
            assert!(r.reasons.is_empty(), "row {}: {:?}", r.row, r.reasons);
        } else {
            assert!(codes(r).contains(&code), "row {}: want {code}, got {:?}", r.row, codes(r));
        }
    }
    assert!(v.rows[1].reasons[0].message.contains("待发货"), "unknown order tells to open the list");
    assert!(!v.rows[13].fillable && v.rows[11].fillable);
    assert_eq!((v.counts.ok, v.counts.warning, v.counts.error, v.counts.fillable), (1, 2, 15, 2));
    assert_eq!(v.counts.unseen, 1, "only row 2 waits on an order not seen yet (row 16 is no package ID)");
}

#[test]
fn revalidate_fixes_a_row_in_place() {
    let text = format!("{} 顺丰 1234567890123", pid(1));
    let v = paste(&text, ctx(3));
    assert_eq!(v.rows[0].verdict, Verdict::Error);
    let mut rows: Vec<RawEntry> = v.rows.iter().map(|r| r.raw.clone()).collect();
    rows[0].number = "SF1234567890123".into();
    let fixed = revalidate(&RevalidateRequest { rows, context: ctx(3) });
    assert_eq!(fixed.rows[0].verdict, Verdict::Ok);
    assert_eq!(fixed.rows[0].row, 1);
}

/// A 100-row input mixing forms, like the acceptance test: tabbed, comma, Chinese punctuation,
/// full width, chat words; 10 of them carry an error each.
#[test]
fn hundred_mixed_rows() {
    let mut lines = Vec::new();
    for i in 0..100u32 {
        let zto = format!("7730{:08}", i);
        let line = match i % 5 {
            0 => format!("{}\t中通\t{}", pid(i), zto),
            1 => format!("{}，ZTO，{}", pid(i), zto),
            2 => format!("{}, 中通快递, {}", pid(i), zto).chars().map(to_full).collect(),
            3 => format!("亲 {} 发了中通 单号 {} 请查收", pid(i), zto),
            _ => format!("{} zto {}", pid(i).to_lowercase(), zto),
        };
        lines.push(if i % 10 == 9 { format!("{} 中通 {}", pid(i + 1000), zto) } else { line });
    }
    let v = paste(&lines.join("\n"), ctx(100));
    assert_eq!(v.rows.len(), 100);
    for (i, r) in v.rows.iter().enumerate() {
        let want = if i % 10 == 9 { Verdict::Error } else { Verdict::Ok };
        assert_eq!(r.verdict, want, "line {}: {:?} {:?}", i + 1, r.raw, r.reasons);
    }
    assert_eq!(v.counts.error, 10);
}

fn to_full(c: char) -> char {
    if c.is_ascii_alphanumeric() {
        char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

#[test]
fn import_errors_say_what_and_where() {
    let empty = ImportRequest { source: ImportSource::Csv, text: None, bytes: None, sheet: None, context: ctx(1) };
    assert!(matches!(import(&empty), Err(ImportError::BadRequest(_))));
    let gbk_bad = ImportRequest {
        source: ImportSource::Csv,
        text: None,
        bytes: Some(b"a,b\n1,2\n\x81\x20,3\n".to_vec()),
        sheet: None,
        context: ctx(1),
    };
    assert_eq!(import(&gbk_bad), Err(ImportError::Encoding { row: 3 }));
    let no_number = ImportRequest {
        source: ImportSource::Csv,
        text: None,
        bytes: Some("订单号,备注\nP100000000000001,hi\n".into()),
        sheet: None,
        context: ctx(1),
    };
    let e = import(&no_number).unwrap_err().to_string();
    assert!(e.contains("运单号") && e.contains("第 1 行"), "{e}");
}

proptest! {
    #[test]
    fn normalisation_is_idempotent(s in "\\PC{0,40}") {
        let once = normalize_code(&s);
        prop_assert_eq!(normalize_code(&once), once.clone());
        let name = normalize_name(&s);
        prop_assert_eq!(normalize_name(&name), name.clone());
    }

    #[test]
    fn paste_never_panics(s in "(\\PC|[\t\n，、 ＰP0-9０-９SF-])*") {
        let _ = import(&ImportRequest { source: ImportSource::Paste, text: Some(s), bytes: None, sheet: None, context: ctx(3) });
    }

    #[test]
    fn csv_and_xlsx_never_panic(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        for source in [ImportSource::Csv, ImportSource::Xlsx] {
            let _ = import(&ImportRequest { source, text: None, bytes: Some(b.clone()), sheet: None, context: ctx(3) });
        }
    }
}
