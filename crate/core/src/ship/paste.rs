//! Pasted text: either a table copied from Excel (a header line, tab- or comma-separated) or
//! free chat text from WeChat, one order per line with stray words, Chinese punctuation,
//! full-width characters and numbers written in groups (`7730 1234 5678`).
//!
//! Free text is read by content: the package ID by its pattern, the courier by name or alias,
//! the tracking number as the remaining run of letters and digits that looks like one.

use super::columns::{extract as extract_table, header_kind};
use super::couriers::all_names;
use super::groups::{self, Reading};
use super::normalize::{looks_like_number, to_half_width};
use super::validate::SourceMeta;
use super::{CourierEntry, ImportError, RawEntry, RawRow};

/// Letters that start a courier's numbers: written apart from the digits (`SF 1234…`) they are
/// part of the number, not a courier name.
const NUMBER_PREFIXES: &[&str] = &["SF", "YT", "JT", "JD", "DPK"];

/// Reads pasted text into entries: as a table when a line names the columns, else line by line.
pub fn extract(text: &str, platform: &[CourierEntry]) -> Result<(Vec<RawEntry>, SourceMeta), ImportError> {
    let lines: Vec<(usize, String)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, to_half_width(l)))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return Err(ImportError::Empty("粘贴的内容是空的"));
    }
    let delim = if lines.iter().any(|(_, l)| l.contains('\t')) { '\t' } else { ',' };
    let header_line = lines.iter().take(5).find(|(_, l)| {
        let kinds: Vec<_> = l.split(delim).filter_map(header_kind).collect();
        kinds.len() >= 2 && !l.chars().any(|c| c.is_ascii_digit())
    });
    if let Some((first, _)) = header_line {
        let rows: Vec<RawRow> = lines
            .iter()
            .filter(|(n, _)| n >= first)
            .map(|(n, l)| RawRow { row: *n, cells: l.split(delim).map(|c| c.trim().to_string()).collect() })
            .collect();
        return extract_table(rows, platform);
    }
    let names = all_names(platform);
    let mut entries = Vec::new();
    let mut meta = SourceMeta::default();
    for (n, line) in &lines {
        let upper: Vec<char> = line.chars().map(|c| c.to_ascii_uppercase()).collect();
        let mut found = extract_line(&upper, *n, &names, platform);
        if let [one] = found.as_mut_slice() {
            if one.courier.is_empty() && !one.package_id.is_empty() {
                one.courier = courier_cell(line, &one.package_id, &one.number).unwrap_or_default();
            }
        }
        if found.is_empty() {
            meta.ignored_rows.push(*n);
        }
        entries.extend(found);
    }
    Ok((entries, meta))
}

/// On a tab-separated line (cells copied from a sheet without its header row) with one order
/// and no courier RedShip knows: the one cell left besides the order ID and the number, so the
/// check names the courier the user gave (`安能物流` is not offered) instead of saying none was
/// given. None when the line has no tabs or more than one such cell, or that cell has digits.
fn courier_cell(line: &str, package_id: &str, number: &str) -> Option<String> {
    if !line.contains('\t') {
        return None;
    }
    let code =
        |c: &str| c.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect::<String>();
    let mut rest = line
        .split('\t')
        .map(str::trim)
        .filter(|c| !c.is_empty() && !code(c).contains(package_id) && (number.is_empty() || code(c) != number));
    match (rest.next(), rest.next()) {
        (Some(cell), None) if !cell.chars().any(|c| c.is_ascii_digit()) => Some(cell.to_string()),
        _ => None,
    }
}

/// Start and end (exclusive) of every package ID (`P` + 15 or more digits) in `s`.
fn package_spans(s: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let boundary = i == 0 || !s[i - 1].is_ascii_alphanumeric();
        if s[i] == 'P' && boundary {
            let end = (i + 1..s.len()).find(|&j| !s[j].is_ascii_digit()).unwrap_or(s.len());
            if end - i > 15 {
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Entries of one line: one per package ID (text before the first ID belongs to it); a line
/// with a number but no ID still gives an entry so the user sees the missing ID.
fn extract_line(s: &[char], line: usize, names: &[String], platform: &[CourierEntry]) -> Vec<RawEntry> {
    let spans = package_spans(s);
    if spans.is_empty() {
        let (courier, numbers) = courier_and_number(s, names, platform, false);
        return numbers
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(|number| RawEntry { row: line, package_id: String::new(), courier: courier.clone(), number })
            .collect();
    }
    let mut out = Vec::new();
    for (k, &(start, end)) in spans.iter().enumerate() {
        let seg_start = if k == 0 { 0 } else { start };
        let seg_end = spans.get(k + 1).map_or(s.len(), |n| n.0);
        let mut seg: Vec<char> = s[seg_start..seg_end].to_vec();
        for c in &mut seg[start - seg_start..end - seg_start] {
            *c = ' ';
        }
        let (courier, numbers) = courier_and_number(&seg, names, platform, true);
        let package_id: String = s[start..end].iter().collect();
        for number in numbers {
            out.push(RawEntry { row: line, package_id: package_id.clone(), courier: courier.clone(), number });
        }
    }
    out
}

/// Finds a courier name and a tracking number in a piece of text (package ID already blanked).
/// The number is read from its groups ([`groups`]): the glued reading that fits the courier
/// named, or without one the shape of exactly one courier. Two such readings are both given
/// back (one entry each, so the preview shows both and fills neither: never a guess).
/// Otherwise the longest run that looks like a number and is not a phone.
/// `for_order`: the text belongs to an order (its package ID was on the line), so when nothing
/// there looks like a whole tracking number, a shorter one that was clearly meant as one
/// ([`meant_as_number`]) is taken, and validation says what is wrong with it (`12345` is not a
/// 中通 number) instead of that the row has none.
fn courier_and_number(
    s: &[char],
    names: &[String],
    platform: &[CourierEntry],
    for_order: bool,
) -> (String, Vec<String>) {
    let mut s = s.to_vec();
    let mut courier = String::new();
    'names: for name in names {
        let pat: Vec<char> = name.chars().collect();
        let mut i = 0;
        while i + pat.len() <= s.len() {
            if s[i..i + pat.len()] == pat[..] && ascii_word_ok(&s, i, i + pat.len(), name) {
                courier = name.clone();
                for c in &mut s[i..i + pat.len()] {
                    *c = ' ';
                }
                break 'names;
            }
            i += 1;
        }
    }
    match groups::read_for(&s, &courier, platform) {
        Reading::One(n) => return (courier, vec![n]),
        Reading::Two(a, b) => return (courier, vec![a, b]),
        Reading::None => {}
    }
    let s = groups::without_noise(&s);
    let candidates = number_candidates(&s);
    let phone = |n: &String| n.len() == 11 && n.starts_with('1') && n.bytes().all(|b| b.is_ascii_digit());
    let number = candidates
        .iter()
        .filter(|n| !phone(n))
        .max_by_key(|n| n.len())
        .or_else(|| candidates.first())
        .cloned()
        .or_else(|| if for_order { meant_as_number(&s) } else { None })
        .unwrap_or_default();
    (courier, vec![number])
}

/// The longest run of letters and digits with at least [`MEANT_DIGITS`] digits and
/// [`MEANT_LEN`] characters: too short for a tracking number (a digit missed, a number cut
/// off), too long to be a quantity (`2件`) or a day (`3号`).
fn meant_as_number(s: &[char]) -> Option<String> {
    s.split(|c| !c.is_ascii_alphanumeric())
        .filter(|run| run.len() >= MEANT_LEN && run.iter().filter(|c| c.is_ascii_digit()).count() >= MEANT_DIGITS)
        .max_by_key(|run| run.len())
        .map(|run| run.iter().collect())
}

/// See [`meant_as_number`].
const MEANT_LEN: usize = 5;
/// See [`meant_as_number`].
const MEANT_DIGITS: usize = 3;

/// A Latin alias only counts as a whole word, and not when it is a number prefix written just
/// before digits (`SF 1234…` is a number, not the courier 顺丰 plus digits).
fn ascii_word_ok(s: &[char], start: usize, end: usize, name: &str) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let before_ok = start == 0 || !s[start - 1].is_ascii_alphanumeric();
    let after_ok = end == s.len() || !s[end].is_ascii_alphanumeric();
    let prefix_of_digits = NUMBER_PREFIXES.contains(&name)
        && s[end..].iter().take_while(|c| **c == ' ' || **c == '-').count() <= 2
        && s[end..].iter().find(|c| **c != ' ' && **c != '-').is_some_and(|c| c.is_ascii_digit());
    before_ok && after_ok && !prefix_of_digits
}

/// True when `s` is a courier prefix followed by digits only (`SF1234`).
fn starts_with_prefix(s: &str) -> bool {
    NUMBER_PREFIXES.iter().any(|p| s.strip_prefix(p).is_some_and(|r| r.bytes().all(|b| b.is_ascii_digit())))
}

/// Runs of letters and digits that look like tracking numbers; digit groups separated by a
/// space or dash are joined (`7730 1234 5678`, `SF 1234-5678-90123`).
fn number_candidates(s: &[char]) -> Vec<String> {
    let runs: Vec<(String, usize, usize)> =
        groups::pieces(s).into_iter().map(|p| (s[p.start..p.end].iter().collect(), p.start, p.end)).collect();
    // Joined: a courier prefix written apart (`SF 1234…`), or short digit groups (≤ 6 each),
    // so two long numbers side by side (a phone and a tracking number) stay apart.
    let mut out = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let (mut acc, _, mut end) = runs[k].clone();
        let mut last_len = acc.len();
        while let Some((next, ns, ne)) = runs.get(k + 1) {
            let gap = &s[end..*ns];
            let gap_ok = !gap.is_empty() && gap.len() <= 2 && gap.iter().all(|c| *c == ' ' || *c == '-');
            let digits = next.bytes().all(|b| b.is_ascii_digit());
            let groups = last_len <= 6
                && next.len() <= 6
                && (acc.bytes().all(|b| b.is_ascii_digit()) || starts_with_prefix(&acc));
            if gap_ok && digits && (NUMBER_PREFIXES.contains(&acc.as_str()) || groups) {
                if next.len() < 3 && looks_like_number(&acc) {
                    // A short trailing group (`7731 0000 0001 2`) may be a quantity: keep both
                    // readings; the courier's shape picks one.
                    out.push(acc.clone());
                }
                acc.push_str(next);
                last_len = next.len();
                end = *ne;
                k += 1;
            } else {
                break;
            }
        }
        if looks_like_number(&acc) {
            out.push(acc);
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ship::couriers::default_couriers;

    fn one(text: &str) -> RawEntry {
        let (e, _) = extract(text, &default_couriers()).unwrap();
        assert_eq!(e.len(), 1, "{e:?}");
        e[0].clone()
    }

    #[test]
    fn wechat_line_with_stray_words() {
        let e = one("亲，订单P123456789012345 发的中通快递，单号：7730 1234 5678 谢谢～");
        assert_eq!(
            (e.package_id.as_str(), e.courier.as_str(), e.number.as_str()),
            ("P123456789012345", "中通快递", "773012345678")
        );
    }

    #[test]
    fn full_width_everything() {
        let e = one("Ｐ１２３４５６７８９０１２３４５　顺丰　ＳＦ１２３４５６７８９０１２３");
        assert_eq!(e.package_id, "P123456789012345");
        assert_eq!(e.number, "SF1234567890123");
    }

    #[test]
    fn sf_written_apart_is_part_of_the_number() {
        let e = one("P123456789012345 SF 1234567890123");
        assert_eq!(e.courier, "");
        assert_eq!(e.number, "SF1234567890123");
        let e = one("P123456789012345, SF, 1234567890123");
        assert_eq!(e.courier, "SF");
    }

    #[test]
    fn phone_numbers_are_not_taken_when_a_number_fits() {
        let e = one("P123456789012345 韵达 13812345678 4312345678901");
        assert_eq!(e.number, "4312345678901");
    }

    #[test]
    fn platform_codes_work_as_courier_names() {
        let e = one("P123456789012345 youzhengguonei 9876543210123");
        assert_eq!((e.courier.as_str(), e.number.as_str()), ("YOUZHENGGUONEI", "9876543210123"));
    }

    #[test]
    fn a_short_number_on_an_order_line_is_kept_for_validation_to_name() {
        // Too short for any courier: taken, so the check says what is wrong with it.
        assert_eq!(one("P123456789012345\t中通\t12345").number, "12345");
        assert_eq!(one("P123456789012345 某某快运 AB123").number, "AB123");
        // A quantity, a day or a year-like stray word is not taken for a number.
        assert_eq!(one("P123456789012345 中通 2件 3号").number, "");
        // Without an order on the line, short runs stay noise (the line is ignored).
        let (e, meta) = extract("明天 12345 发货\n", &default_couriers()).unwrap();
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(meta.ignored_rows, vec![1]);
    }

    #[test]
    fn an_unknown_courier_in_a_sheet_row_is_kept_for_validation_to_name() {
        let (e, _) = extract(
            "P123456789012345\t安能物流\t773012345678\nP123456789012346\tUnknownCo\tAB123\n",
            &default_couriers(),
        )
        .unwrap();
        assert_eq!((e[0].courier.as_str(), e[0].number.as_str()), ("安能物流", "773012345678"));
        assert_eq!((e[1].courier.as_str(), e[1].number.as_str()), ("UnknownCo", "AB123"));
        // Chat text: an unknown word is not a courier; two candidate cells: neither is taken.
        assert_eq!(one("P123456789012345 安能物流 773012345678").courier, "");
        assert_eq!(one("P123456789012345\t安能物流\t谢谢\t773012345678").courier, "");
    }

    #[test]
    fn short_last_group_is_read_both_ways() {
        assert_eq!(one("P123456789012345 顺丰 SF1234 5678 9012 3").number, "SF1234567890123");
        assert_eq!(one("P123456789012345 中通 7730 1234 5678 2件").number, "773012345678");
    }

    #[test]
    fn two_orders_on_one_line_and_noise_lines() {
        let (e, meta) = extract(
            "今天的单号如下：\nP123456789012345 中通 773012345678，P123456789012346 圆通 YT1234567890123\n",
            &default_couriers(),
        )
        .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].courier, "圆通");
        assert_eq!(e[1].number, "YT1234567890123");
        assert_eq!(meta.ignored_rows, vec![1]);
    }

    #[test]
    fn excel_copy_with_header_is_a_table() {
        let (e, meta) =
            extract("订单号\t快递公司\t运单号\nP123456789012345\t极兔\tJT1234567890123\n", &default_couriers())
                .unwrap();
        assert_eq!(meta.header_row, Some(1));
        assert_eq!(e[0].courier, "极兔");
    }
}
