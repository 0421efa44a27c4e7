//! The quota numbers read from the board's words and from answers' fields.

use super::*;
use crate::order::profile::shipped;

fn words() -> QuotaWords {
    shipped().quota
}

fn board(text: &str) -> Option<(u32, u32)> {
    read_board(text, &words()).map(|q| (q.used, q.daily_quota))
}

#[test]
fn the_forms_a_person_reads() {
    for (text, want) in [
        ("已用 3 / 20", (3, 20)),
        ("今日已用3/20次", (3, 20)),
        ("已用/总额度 3/20", (3, 20)),
        ("总额度/已用 20/3", (3, 20)),
        ("已用3次，剩余17次", (3, 20)),
        ("今日剩余解密次数：17 次 共 20 次", (3, 20)),
        ("总额度 20 已使用 3", (3, 20)),
        ("每日额度：20次\n已用：3次\n剩余：17次", (3, 20)),
        ("剩余额度 17 / 20", (3, 20)),
        ("已用额度 3，总额度 20", (3, 20)),
        ("今日解密额度 已用 3 剩余 17", (3, 20)),
        ("已用 ３ ／ ２０", (3, 20)),
        ("已用　３次　剩余　１７次", (3, 20)),
        ("Used 3 / Total 20", (3, 20)),
        ("额度 20（2026-12-06 已用 0）", (0, 20)),
        ("已用 20/20 今日解密次数已用完", (20, 20)),
        // Statistic cards: the value above its caption.
        ("3 已用 17 剩余 20 总额度", (3, 20)),
        ("3 今日已用 20 每日额度", (3, 20)),
        ("3/20 已用/总额度", (3, 20)),
        ("3今日已用\n17剩余次数\n20每日额度", (3, 20)),
        ("今日已解密 3 次，剩余 17 次（每日 20 次）\n日期 2026-12-06 · 今日剩余 17 次 · 每日 00:00（北京时间）重置", (3, 20)),
        ("今日已用 / 今日额度 3 / 20\n每日解密额度按店铺近 7 天最高日支付订单数分档。当前店铺近 7 天最高日支付订单数：12。", (3, 20)),
    ] {
        assert_eq!(board(text), Some(want), "{text}");
    }
}

#[test]
fn what_is_not_a_quota_reads_as_nothing() {
    for text in [
        "",
        "隐私保护",
        "已用 3",                      // no total, no remaining
        "额度 20",                     // no used
        "2026-12-06 16:30 已用",       // a date and a time, no count after the label
        "已用 3 剩余 17 总额度 30",    // 3 + 17 ≠ 30
        "已用 30 / 20",                // used above total
        "已用 3 次 已用 4 次 额度 20", // two different used counts
        "剩余 30 额度 20",             // more left than the total
        "已用 3 / 0",
        "已用 3 / 99999999999",
        "3 已用 17 剩余 30 总额度", // value first, disagreeing
    ] {
        assert_eq!(board(text), None, "{text:?}");
    }
}

#[test]
fn a_number_far_from_its_label_is_not_taken() {
    assert_eq!(board("已用（包含查看收件人、电话和地址的每一次操作）3 额度 20"), None);
    assert_eq!(board("已用：3，额度：20"), Some((3, 20)));
}

#[test]
fn long_text_is_read_only_to_its_bound() {
    let long = format!("{}已用 3 / 20", "说明".repeat(MAX_TEXT_CHARS));
    assert_eq!(board(&long), None);
}

fn fields(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| ((*k).to_string(), *v)).collect()
}

#[test]
fn answers_fields_by_the_words_in_their_names() {
    let w = words();
    for (pairs, want) in [
        (vec![("used", 3.0), ("daily_quota", 20.0)], (3, 20)),
        (vec![("usedCount", 3.0), ("totalCount", 20.0)], (3, 20)),
        (vec![("remainTimes", 17.0), ("limit", 20.0)], (3, 20)),
        (vec![("remain_quota", 17.0), ("used_quota", 3.0)], (3, 20)),
        (vec![("useNum", 3.0), ("allNum", 20.0), ("date", 20261206.0)], (3, 20)),
        (vec![("decryptUsed", 3.0), ("decryptLeft", 17.0), ("decryptTotal", 20.0)], (3, 20)),
    ] {
        let got = read_fields(&fields(&pairs), &w).map(|q| (q.used, q.daily_quota));
        assert_eq!(got, Some(want), "{pairs:?}");
    }
    for pairs in [
        vec![("pageNo", 1.0), ("pageSize", 20.0)],
        vec![("used", 3.5), ("quota", 20.0)],
        vec![("used", -1.0), ("quota", 20.0)],
        vec![("used", 3.0), ("left", 10.0), ("total", 20.0)],
        vec![("used", 3.0)],
    ] {
        assert!(!looks_like_quota(&fields(&pairs), &w), "{pairs:?}");
    }
}

#[test]
fn labels_and_field_names_are_read_in_any_case_and_width() {
    for text in ["USED 3 / TOTAL 20", "Ｕｓｅｄ ３ ／ Ｔｏｔａｌ ２０", "ＵＳＥＤ 3 / total 20"] {
        assert_eq!(board(text), Some((3, 20)), "{text}");
    }
    let w = words();
    for pairs in [[("usedQuota", 3.0), ("totalQuota", 20.0)], [("USED_QUOTA", 3.0), ("Total-Quota", 20.0)]] {
        let got = read_fields(&fields(&pairs), &w).map(|q| (q.used, q.daily_quota));
        assert_eq!(got, Some((3, 20)), "{pairs:?}");
    }
}
