//! The self-check's lines and its report: levels follow what was read, and no buyer data, order
//! ID or tracking number ever reaches the report, whatever the pages held.

use super::*;
use crate::order::profile::shipped;
use crate::transit::collect::{ingest, IngestRequest};
use crate::transit::fixtures::{decrypted, id, page, pkg, NOW};
use serde_json::{json, Value};

fn facts_of(answer: Value) -> AnswerFacts {
    let req = IngestRequest { shop_id: "shop1".into(), answer };
    ingest(None, &req, &shipped(), NOW).expect("ingest").1.facts
}

fn input(lists: Option<ListRecord>) -> CheckInput {
    CheckInput { profile_version: 2, core_version: "0.1.0".into(), lists, ..CheckInput::default() }
}

fn level_of(view: &CheckView, id: &str) -> Level {
    view.lines.iter().find(|l| l.id == id).map(|l| l.level).expect("line")
}

#[test]
fn nothing_read_yet_asks_for_the_list() {
    let v = check(&input(None));
    assert_eq!(level_of(&v, "lists"), Level::Warn);
    assert_eq!(level_of(&v, "couriers"), Level::Warn);
    assert_eq!(v.level, Level::Warn);
}

#[test]
fn a_clean_list_is_green_and_gaps_are_amber() {
    let r = record_answer(None, &facts_of(page(vec![pkg(1, 2, NOW, "S"), pkg(2, 6, NOW, "S")])), NOW);
    let mut i = input(Some(r.clone()));
    i.couriers = Some(12);
    let v = check(&i);
    assert_eq!(level_of(&v, "lists"), Level::Ok, "{:?}", v.lines[0]);
    assert_eq!(v.level, Level::Ok);
    let mut odd = pkg(3, 2, NOW, "S");
    odd.as_object_mut().expect("object").remove("paidAt");
    odd["skus"][0].as_object_mut().expect("object").remove("skuQuantity");
    let r = record_answer(Some(r), &facts_of(page(vec![odd])), NOW + 1);
    assert_eq!(r.answers, 2);
    assert_eq!(r.gaps.get("time"), Some(&1));
    let v = check(&input(Some(r)));
    assert_eq!(level_of(&v, "lists"), Level::Warn);
    assert!(v.lines[0].text_zh.contains("time×1"), "{}", v.lines[0].text_zh);
}

#[test]
fn rows_without_packages_are_red_until_an_answer_reads_some() {
    let r = record_unread(None, 50, NOW, NOW);
    let v = check(&input(Some(r.clone())));
    assert_eq!((level_of(&v, "lists"), v.level), (Level::Error, Level::Error));
    assert!(v.counts_doubtful, "orders not read: the badge says ?");
    let r = record_answer(Some(r), &facts_of(page(vec![pkg(1, 2, NOW, "S")])), NOW + 10);
    assert_eq!(r.unread, None);
    // A report older than an answer that read packages is stale.
    assert_eq!(record_unread(Some(r), 50, NOW + 5, NOW + 20).unread, None);
}

#[test]
fn a_new_china_day_starts_a_new_record() {
    let r = record_answer(None, &facts_of(page(vec![pkg(1, 2, NOW, "S")])), NOW);
    let next = record_answer(Some(r), &facts_of(page(vec![pkg(2, 2, NOW, "S")])), NOW + 86_400_000);
    assert_eq!((next.answers, next.read), (1, 1));
}

#[test]
fn unclear_statuses_and_silent_decrypts_say_so() {
    let mut odd = pkg(1, 2, NOW, "S");
    odd["statusDesc"] = json!("已发货");
    let r = record_answer(None, &facts_of(page(vec![odd])), NOW);
    let mut i = input(Some(r));
    i.page = Some(PageFacts { silent: vec![json!({"atMs": NOW})], ..PageFacts::default() });
    let v = check(&i);
    assert_eq!(level_of(&v, "statuses"), Level::Warn);
    assert_eq!(level_of(&v, "decrypts"), Level::Error);
}

#[test]
fn the_report_holds_no_buyer_data_ids_or_numbers() {
    // Pages full of buyer data: plain names, phones, addresses, remarks with an ID number and a
    // WeChat ID, several statuses, a tracking-number-like remark.
    let mut pages = Vec::new();
    for n in 1..=6 {
        let mut p = decrypted(pkg(n, if n % 2 == 0 { 2 } else { 6 }, NOW - i64::from(n), "S"));
        p["userInfo"]["note"] = json!(format!("运单 SF1234567890{n:03} 打 1391234567{n} 身份证11010519491231002X"));
        p["skus"][0]["displayName"] = json!("陶瓷杯 7730123456789");
        pages.push(p);
    }
    let mut r = None;
    for chunk in pages.chunks(3) {
        r = Some(record_answer(r, &facts_of(page(chunk.to_vec())), NOW));
    }
    let mut i = input(r);
    i.couriers = Some(12);
    i.page = Some(PageFacts {
        decrypt_endpoint: Some(Endpoint {
            path: format!("/api/x/{}/decrypt", id(1)),
            keys: vec!["package_id".into()],
            seen: 2,
        }),
        ..PageFacts::default()
    });
    let text = report(&i, "2026-12-06 12:00:00");
    for n in 1..=6 {
        assert!(!text.contains(&id(n)), "order ID {} in the report:\n{text}", id(n));
        assert!(!text.contains(&format!("SF1234567890{n:03}")), "a tracking number in the report");
    }
    for plain in [
        "张三丰",
        "13812345678",
        "科技园南路",
        "腾讯大厦",
        "11010519491231002X",
        "zsf_2024",
        "7730123456789",
        "陶瓷杯",
        "O1",
    ] {
        assert!(!text.contains(plain), "{plain} in the report:\n{text}");
    }
    assert!(text.contains("userInfo.name: string"), "{text}");
    assert!(text.contains("status 2 \"待发货\""), "{text}");
    assert!(text.contains("/api/x/[…]/decrypt"), "{text}");
}

#[test]
fn the_board_and_the_quota_endpoint_say_what_was_read() {
    let text = |v: &CheckView, id: &str| v.lines.iter().find(|l| l.id == id).map(|l| l.text_en.clone()).expect("line");
    let mut i = input(None);
    assert_eq!(level_of(&check(&i), "board"), Level::Info, "not seen yet");
    i.page = Some(PageFacts { board_unread_at_ms: Some(NOW), ..PageFacts::default() });
    assert_eq!(level_of(&check(&i), "board"), Level::Warn, "seen, not read");
    i.board_read_at_ms = Some(NOW + 1);
    assert_eq!(level_of(&check(&i), "board"), Level::Ok, "read after");
    i.board_read_at_ms = Some(NOW - 1);
    assert_eq!(level_of(&check(&i), "board"), Level::Warn, "a later unreadable board wins");
    let offer = Offer { path: "/api/privacy/stat".into(), keys: vec!["allNum".into(), "useNum".into()] };
    i.page = Some(PageFacts { quota_offers: vec![offer], ..PageFacts::default() });
    let v = check(&i);
    assert!(text(&v, "endpoints").contains("possible quota request: /api/privacy/stat"), "{:?}", text(&v, "endpoints"));
    i.page = Some(PageFacts { quota_endpoint: Some("/api/privacy/stat".into()), ..PageFacts::default() });
    let v = check(&i);
    assert!(text(&v, "endpoints").contains("quota request learned: /api/privacy/stat"));
    let report = report(&i, "2026-12-06");
    assert!(report.contains("quota endpoint learned: /api/privacy/stat"), "{report}");
}

#[test]
fn rows_and_dialog_parts_have_lines_and_report_lines() {
    let r = record_answer(None, &facts_of(page(vec![pkg(1, 2, NOW, "S")])), NOW);
    let mut i = input(Some(r));
    i.row_unclear = Some(2);
    let seen = PartsSeen { select: true, options: Some(12), input: false, confirm: true };
    i.dialog = Some(DialogFacts { done: 0, failed: 3, parts: record_parts(None, "run1", &[seen], NOW) });
    let v = check(&i);
    assert_eq!(level_of(&v, "rows"), Level::Warn);
    assert_eq!(level_of(&v, "dialogParts"), Level::Error);
    assert_eq!(v.level, Level::Error);
    assert!(!v.counts_doubtful, "a failed ship run leaves the quota figures right: no `?` on the badge");
    let text = report(&i, "2026-12-06 12:00:00");
    assert!(text.contains("orders whose list row disagrees about 发货: 2"), "{text}");
    assert!(text.contains("number input missing"), "{text}");
    assert!(
        text.contains("[Error] dialogParts: on the last run the ship dialog had no tracking-number input"),
        "{text}"
    );
    // Before any list was read there is nothing to compare: the rows line is only info.
    let mut none = input(None);
    none.row_unclear = Some(0);
    assert_eq!(level_of(&check(&none), "rows"), Level::Info);
}
