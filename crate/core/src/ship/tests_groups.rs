//! Tests of numbers written in groups: every grouping form, the ambiguous readings, the pieces
//! that are never glued (quantities, dates, phone-like runs, order IDs), in pasted chat text and
//! in sheet cells, and a property: a right number beside any such piece is still read as itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use super::super::couriers::default_couriers;
use super::super::{columns, import, paste, ImportRequest, ImportSource, RawEntry, RawRow, ValidationContext};
use super::super::{csv_source, validate::Verdict, KnownOrder};

use super::{read, without_noise, Reading};
use proptest::prelude::*;

const ID: &str = "P123456789012345";

/// The numbers read from one pasted line (one per reading).
fn numbers(line: &str) -> Vec<String> {
    let (e, _) = paste::extract(line, &default_couriers()).unwrap();
    assert!(e.iter().all(|e| e.row == 1), "{e:?}");
    e.into_iter().map(|e| e.number).collect()
}

fn number(line: &str) -> String {
    let n = numbers(line);
    assert_eq!(n.len(), 1, "one reading of {line:?}: {n:?}");
    n[0].clone()
}

#[test]
fn every_grouping_form_is_one_number() {
    assert_eq!(number(&format!("{ID} 中通 7741 0938 2215 66")), "77410938221566");
    assert_eq!(number(&format!("{ID} 京东 JDAB 1234 5678 901")), "JDAB12345678901");
    assert_eq!(number(&format!("{ID} EMS EA123-45678-5CN")), "EA123456785CN");
    assert_eq!(number("Ｐ１２３４５６７８９０１２３４５　顺丰　ＳＦ１４０２ ５５８１ ３３０９２"), "SF1402558133092");
    assert_eq!(number(&format!("{ID} 中通 77417-64975-0959")), "77417649750959");
    assert_eq!(number(&format!("{ID} 京东 JDVA 5922 6167 919")), "JDVA59226167919");
    assert_eq!(number(&format!("{ID} 中通 7730　1234　5678")), "773012345678", "full-width spaces");
}

#[test]
fn all_the_pieces_together_win_over_a_part() {
    // 7303 2745 7523 (12 digits) fits 中通 too; all four groups together are the number.
    assert_eq!(number(&format!("{ID} 中通 7303 2745 7523 22")), "73032745752322");
    assert_eq!(number(&format!("{ID} 申通 7303 2745 7523 22")), "73032745752322");
    assert_eq!(number(&format!("{ID} 韵达 4312 3456 7890 1")), "4312345678901");
}

#[test]
fn a_prefix_names_the_courier_when_the_line_does_not() {
    // The shape of exactly one courier: JD, S10 (EMS), SF.
    assert_eq!(number(&format!("{ID} JDVA 5922 6167 919")), "JDVA59226167919");
    assert_eq!(number(&format!("{ID} JDAB 1234 5678 901 谢谢")), "JDAB12345678901");
    assert_eq!(number(&format!("{ID} EA123-45678-5CN")), "EA123456785CN");
    assert_eq!(number(&format!("{ID} SF 1402 5581 33092")), "SF1402558133092");
}

#[test]
fn two_readings_are_both_shown_and_neither_is_filled() {
    // Four groups: the first three and the last three each make a 中通 number, all four none.
    assert_eq!(numbers(&format!("{ID} 中通 7730 1234 5678 9012")), vec!["773012345678", "123456789012"]);
    // Two whole numbers on one order's line.
    assert_eq!(numbers(&format!("{ID} SF1234567890123 YT1234567890123")), vec!["SF1234567890123", "YT1234567890123"]);
    let text = format!("{ID} 中通 7730 1234 5678 9012\n");
    let ctx = ValidationContext {
        known_orders: vec![KnownOrder { package_id: ID.into(), waiting: true, unclear: false }],
        ..ValidationContext::default()
    };
    let req = ImportRequest { source: ImportSource::Paste, text: Some(text), bytes: None, sheet: None, context: ctx };
    let v = import(&req, &csv_source::test_gb18030).unwrap();
    let shown: Vec<&str> = v.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(shown, vec!["773012345678", "123456789012"]);
    assert!(v.rows.iter().all(|r| r.row == 1 && !r.fillable && r.verdict != Verdict::Ok), "{:?}", v.rows);
}

#[test]
fn quantities_dates_phones_and_order_ids_are_never_glued() {
    let want = "773012345678";
    for noise in ["×2", "*2", "x3", "X 3件", "2件", "12-06", "12-6", "2026-12-06", "12月6日", "14:30", "138 1234 5678"]
    {
        assert_eq!(number(&format!("{ID} 中通 {noise} 7730 1234 5678")), want, "{noise} before");
        assert_eq!(number(&format!("{ID} 中通 7730 1234 5678 {noise}")), want, "{noise} after");
    }
    assert_eq!(number(&format!("{ID} 中通 13812345678 7730 1234 5678")), want);
    // An order ID beside the groups is the line's order, never a part of its number.
    let (e, _) = paste::extract(&format!("7730 1234 5678 {ID} 中通"), &default_couriers()).unwrap();
    assert_eq!((e[0].package_id.as_str(), e[0].number.as_str()), (ID, want));
    // Without a courier: the phone is still not part of the number.
    assert_eq!(number(&format!("{ID} 138 1234 5678 7730 1234 5678")), want);
}

#[test]
fn noise_is_set_apart_before_reading() {
    let chars = |s: &str| s.chars().collect::<Vec<_>>();
    let kept: String = without_noise(&chars("2026-12-06 7730 138 1234 5678 2件 X3 12月6日")).into_iter().collect();
    assert_eq!(kept, "||||-||-|| 7730 ||| |||| |||| |件 || ||月|日");
    let zto = |n: &str| (12..=15).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
    assert_eq!(read(&chars("7730 1234 5678\t9012"), &zto), Reading::One("773012345678".into()), "a tab ends a number");
    assert_eq!(read(&chars("773012345678 12"), &zto), Reading::One("773012345678".into()), "a long run is no group");
    assert_eq!(read(&chars("7730 12"), &zto), Reading::None);
}

fn table(cells: &[&str]) -> Vec<RawEntry> {
    let rows = vec![
        RawRow { row: 1, cells: vec!["订单号".into(), "快递公司".into(), "运单号".into()] },
        RawRow { row: 2, cells: cells.iter().map(|c| c.to_string()).collect() },
    ];
    columns::extract(rows, &default_couriers()).unwrap().0
}

#[test]
fn cells_are_read_by_their_groups_too() {
    assert_eq!(table(&[ID, "中通", "7730 1234 5678 2件"])[0].number, "773012345678");
    assert_eq!(table(&[ID, "中通", "2026-12-06 7730 1234 5678"])[0].number, "773012345678");
    assert_eq!(table(&[ID, "顺丰", "ＳＦ１４０２ ５５８１ ３３０９２"])[0].number, "SF1402558133092");
    assert_eq!(table(&[ID, "", "JDAB 1234 5678 901"])[0].number, "JDAB12345678901");
    assert_eq!(table(&[ID, "中通", "7741-0938-2215-66"])[0].number, "77410938221566");
    // A cell of one piece is kept as written (validation normalises it), as is one no shape takes.
    assert_eq!(table(&[ID, "中通", "'773012345678"])[0].number, "'773012345678");
    assert_eq!(table(&[ID, "中通", "7730 12"])[0].number, "7730 12");
    let two: Vec<String> = table(&[ID, "中通", "7730 1234 5678 9012"]).into_iter().map(|e| e.number).collect();
    assert_eq!(two, vec!["773012345678", "123456789012"]);
}

/// A courier named on the line and a right number of its shape, written whole or in groups.
fn courier_and_number() -> impl Strategy<Value = (&'static str, String)> {
    let digits = |n: usize| {
        proptest::collection::vec(0u8..10, n).prop_map(|d| d.iter().map(|d| char::from(b'0' + d)).collect::<String>())
    };
    prop_oneof![
        (12usize..=15).prop_flat_map(move |n| digits(n - 2).prop_map(|d| ("中通", format!("77{d}")))),
        digits(11).prop_map(|d| ("韵达", format!("43{d}"))),
        (13usize..=15).prop_flat_map(move |n| digits(n - 2).prop_map(|d| ("申通", format!("88{d}")))),
        digits(13).prop_map(|d| ("顺丰", format!("SF{d}"))),
        digits(13).prop_map(|d| ("圆通", format!("YT{d}"))),
        digits(13).prop_map(|d| ("极兔", format!("JT{d}"))),
    ]
}

fn noise() -> impl Strategy<Value = String> {
    let phone = ((3u8..10), proptest::collection::vec(0u8..10, 9)).prop_flat_map(|(second, rest)| {
        let d: String = rest.iter().map(|d| char::from(b'0' + d)).collect();
        let whole = format!("1{second}{d}");
        let grouped = format!("{} {} {}", &whole[..3], &whole[3..7], &whole[7..]);
        prop_oneof![Just(whole), Just(grouped)]
    });
    prop_oneof![
        (1u8..100).prop_map(|n| format!("{n}件")),
        (1u8..10).prop_map(|n| format!("x{n}")),
        (1u8..10).prop_map(|n| format!("×{n}")),
        (1u8..13, 1u8..32).prop_map(|(m, d)| format!("{m}-{d:02}")),
        (1u8..13, 1u8..32).prop_map(|(m, d)| format!("{m}-{d}")),
        (2020u16..2030, 1u8..13, 1u8..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (1u8..13, 1u8..32).prop_map(|(m, d)| format!("{m}月{d}日")),
        phone,
    ]
}

proptest! {
    #[test]
    fn a_right_number_beside_noise_is_read_as_itself(
        (courier, n) in courier_and_number(),
        noise in noise(),
        grouped in any::<bool>(),
        noise_first in any::<bool>(),
        full_width in any::<bool>(),
    ) {
        let written = if grouped {
            n.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(if full_width { "　" } else { " " })
        } else {
            n.clone()
        };
        let line = if noise_first { format!("{ID} {courier} {noise} {written}") } else { format!("{ID} {courier} {written} {noise}") };
        prop_assert_eq!(numbers(&line), vec![n], "{}", line);
    }
}
