//! Small hand-written detectors for buyer data inside free text: mobile numbers, mainland ID
//! numbers (with their check digit), emails, WeChat IDs and detailed street addresses.
//!
//! Both the masker (`mask`) and the final leak scan (`leak`) use these, so whatever the masker
//! leaves behind is exactly what the scan accepts. Text is handled as `char`s; full-width
//! digits (０-９) count as digits because buyers type them. No `regex` crate (wasm size).

/// What kind of buyer data a span holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// A mainland mobile number `1[3-9]\d{9}`.
    Phone,
    /// An 18-character mainland ID number with a valid check digit.
    IdNumber,
    /// An email address.
    Email,
    /// A WeChat ID after a WeChat keyword (or a `wxid_` token).
    WeChat,
    /// A street-level address (road + house number …).
    Address,
}

/// A detected span `[start, end)` in char indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First char index.
    pub start: usize,
    /// One past the last char index.
    pub end: usize,
    /// What it holds.
    pub kind: Kind,
}

/// How hard to look: buyer fields are scanned `Strict` (a phone hidden inside a longer digit
/// run still counts); platform identifiers (package IDs, upstream order numbers, tracking
/// numbers) are scanned `Bounded`, where only a whole number of the right shape counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Any `1[3-9]\d{9}` inside a digit run; any 18-window with a valid check digit.
    Strict,
    /// Whole digit runs only; ID numbers must also carry a plausible birth date.
    Bounded,
}

/// The ASCII digit value of `c`, accepting full-width digits.
pub fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Characters that render as nothing (soft hyphen, zero-width, bidi controls, BOM): a phone
/// number split by them still reads as a phone number to a person, so it must to the scan too.
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// True if a digit follows position `i`, skipping invisible characters.
fn digit_follows(chars: &[char], mut i: usize) -> bool {
    while i < chars.len() && invisible(chars[i]) {
        i += 1;
    }
    i < chars.len() && digit(chars[i]).is_some()
}

/// Maximal runs of digits (invisible characters between digits included), each extended by one
/// trailing `X` (an ID check character).
fn digit_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_some() {
            let start = i;
            while i < chars.len() && (digit(chars[i]).is_some() || (invisible(chars[i]) && digit_follows(chars, i))) {
                i += 1;
            }
            if i < chars.len() && is_x(chars[i]) {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// True if `d` (digit values) is a mobile number: 11 digits `1[3-9]…`.
fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == 1 && (3..=9).contains(&d[1])
}

/// True if `d` contains a mobile number anywhere.
fn contains_mobile(d: &[u8]) -> bool {
    d.windows(11).any(is_mobile)
}

/// The mainland ID check: 17 digits weighted, mod 11, against the 18th (`X` = 10).
pub fn id_check_ok(chars: &[char]) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [u8; 11] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    if chars.len() != 18 {
        return false;
    }
    let mut sum = 0u32;
    for (c, w) in chars[..17].iter().zip(W) {
        match digit(*c) {
            Some(v) => sum += u32::from(v) * w,
            None => return false,
        }
    }
    let last = if is_x(chars[17]) { Some(10) } else { digit(chars[17]) };
    last == Some(CHECK[(sum % 11) as usize])
}

/// A plausible birth date `YYYYMMDD` at positions 6..14 (1900–2099) and a region digit 1-8.
fn id_date_plausible(chars: &[char]) -> bool {
    let d: Vec<u32> = chars[..14].iter().filter_map(|c| digit(*c)).map(u32::from).collect();
    if d.len() != 14 || !(1..=8).contains(&d[0]) {
        return false;
    }
    let year = d[6] * 1000 + d[7] * 100 + d[8] * 10 + d[9];
    let month = d[10] * 10 + d[11];
    let day = d[12] * 10 + d[13];
    (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn phone_and_id_spans(chars: &[char], mode: Mode, out: &mut Vec<Span>) {
    let runs = digit_runs(chars);
    for &(s, e) in &runs {
        // The ID checks read what a person sees: the run without its invisible characters.
        let run: Vec<char> = chars[s..e].iter().copied().filter(|c| !invisible(*c)).collect();
        let run = run.as_slice();
        let digits: Vec<u8> = run.iter().filter_map(|c| digit(*c)).collect();
        let phone = match mode {
            Mode::Strict => contains_mobile(&digits),
            Mode::Bounded => {
                is_mobile(&digits) || (digits.len() == 13 && digits[..2] == [8, 6] && is_mobile(&digits[2..]))
            }
        };
        let id = match mode {
            Mode::Strict => run.len() >= 18 && run.windows(18).any(id_check_ok),
            Mode::Bounded => run.len() == 18 && id_check_ok(run) && id_date_plausible(run),
        };
        if id {
            out.push(Span { start: s, end: e, kind: Kind::IdNumber });
        } else if phone {
            out.push(Span { start: s, end: e, kind: Kind::Phone });
        }
    }
    // Phones written in groups: "138 1234 5678", "138-1234-5678".
    for i in 0..runs.len() {
        let mut digits: Vec<u8> = Vec::new();
        let mut j = i;
        while j < runs.len() && j < i + 3 {
            let (s, e) = runs[j];
            if j > i {
                let gap = s - runs[j - 1].1;
                if gap != 1 || !matches!(chars[s - 1], ' ' | '-' | '\u{3000}' | '.') {
                    break;
                }
            }
            digits.extend(chars[s..e].iter().filter_map(|c| digit(*c)));
            if j > i && is_mobile(&digits) {
                out.push(Span { start: runs[i].0, end: e, kind: Kind::Phone });
            }
            j += 1;
        }
    }
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn email_spans(chars: &[char], out: &mut Vec<Span>) {
    for (at, &c) in chars.iter().enumerate() {
        if c != '@' && c != '＠' {
            continue;
        }
        let mut s = at;
        while s > 0 && is_email_local(chars[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < chars.len() && is_email_domain(chars[e]) {
            e += 1;
        }
        let domain: String = chars[at + 1..e].iter().collect();
        let domain = domain.trim_end_matches('.');
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if s < at && tld_ok {
            out.push(Span { start: s, end: at + 1 + domain.chars().count(), kind: Kind::Email });
        }
    }
}

const WECHAT_KEYS: [&str; 12] =
    ["微信号", "微信", "薇信", "威信", "V信", "v信", "VX", "vx", "Vx", "WX", "wx", "wechat"];

fn is_wechat_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn starts_with_at(chars: &[char], i: usize, pat: &str) -> bool {
    (i..).zip(pat.chars()).all(|(k, p)| chars.get(k).is_some_and(|c| c.eq_ignore_ascii_case(&p)))
}

fn wechat_spans(chars: &[char], out: &mut Vec<Span>) {
    let mut i = 0;
    while i < chars.len() {
        let key = WECHAT_KEYS.iter().find(|k| starts_with_at(chars, i, k));
        let Some(key) = key else {
            // A bare `wxid_…` token is a WeChat ID whatever precedes it.
            if starts_with_at(chars, i, "wxid_") && (i == 0 || !is_wechat_char(chars[i - 1])) {
                let mut e = i;
                while e < chars.len() && is_wechat_char(chars[e]) {
                    e += 1;
                }
                out.push(Span { start: i, end: e, kind: Kind::WeChat });
                i = e;
                continue;
            }
            i += 1;
            continue;
        };
        let mut j = i + key.chars().count();
        // Skip filler between the keyword and the ID: "微信号：", "vx 是 ", "微信号为".
        while j < chars.len()
            && j - i < 8
            && matches!(chars[j], ':' | '：' | ' ' | '\u{3000}' | '号' | '是' | '为' | '=' | '-')
        {
            j += 1;
        }
        let mut e = j;
        while e < chars.len() && is_wechat_char(chars[e]) {
            e += 1;
        }
        let id_len = e - j;
        if (5..=30).contains(&id_len) && chars[j].is_ascii_alphanumeric() {
            out.push(Span { start: j, end: e, kind: Kind::WeChat });
            i = e;
        } else {
            i = j.max(i + 1);
        }
    }
}

const ROAD_MARKERS: [&str; 12] = ["路", "街", "巷", "弄", "胡同", "村", "小区", "大厦", "公寓", "花园", "大道", "号院"];
const UNIT_MARKERS: [&str; 7] = ["号", "栋", "幢", "单元", "室", "弄", "座"];

/// Clause boundaries: a masked address fragment starts after the last of these.
fn is_clause_break(c: char) -> bool {
    matches!(c, '，' | ',' | '。' | '；' | ';' | '！' | '!' | '？' | '?' | '\n' | '、' | '*') || c.is_whitespace()
}

fn address_spans(chars: &[char], out: &mut Vec<Span>) {
    let mut i = 0;
    while i < chars.len() {
        let Some(marker) = ROAD_MARKERS.iter().find(|m| starts_with_at(chars, i, m)) else {
            i += 1;
            continue;
        };
        let after = i + marker.chars().count();
        // A number within a few chars after the road marker, followed by a unit: "路1号".
        let mut found = None;
        let mut k = after;
        while k < chars.len() && k <= after + 4 && found.is_none() {
            if digit(chars[k]).is_some() {
                let mut e = k;
                while e < chars.len() && (digit(chars[e]).is_some() || chars[e] == '-') {
                    e += 1;
                }
                if let Some(u) = UNIT_MARKERS.iter().find(|u| starts_with_at(chars, e, u)) {
                    found = Some(e + u.chars().count());
                }
                k = e;
            } else if is_clause_break(chars[k]) && chars[k] != ' ' {
                break;
            } else {
                k += 1;
            }
        }
        if let Some(end) = found {
            let mut start = i;
            while start > 0 && !is_clause_break(chars[start - 1]) {
                start -= 1;
            }
            out.push(Span { start, end, kind: Kind::Address });
            i = end;
        } else {
            i = after;
        }
    }
}

/// All spans of buyer data in `chars`, sorted and merged (overlaps keep the first kind).
/// `addresses` turns the street-address detector on (buyer and note columns only: product
/// names such as "3号色" would otherwise look like house numbers).
pub fn find(chars: &[char], mode: Mode, addresses: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    phone_and_id_spans(chars, mode, &mut spans);
    email_spans(chars, &mut spans);
    if mode == Mode::Strict {
        wechat_spans(chars, &mut spans);
    }
    if addresses {
        address_spans(chars, &mut spans);
    }
    crate::sort::sort_by_key(&mut spans, |s| (s.start, std::cmp::Reverse(s.end)));
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str, mode: Mode) -> Vec<(String, Kind)> {
        let chars: Vec<char> = s.chars().collect();
        find(&chars, mode, true).into_iter().map(|sp| (chars[sp.start..sp.end].iter().collect(), sp.kind)).collect()
    }

    #[test]
    fn finds_phones_in_all_common_shapes() {
        assert_eq!(kinds("电话13812345678谢谢", Mode::Bounded), vec![("13812345678".into(), Kind::Phone)]);
        assert_eq!(kinds("+86 139-1234-5678", Mode::Bounded), vec![("139-1234-5678".into(), Kind::Phone)]);
        assert_eq!(kinds("１３８１２３４５６７８", Mode::Bounded)[0].1, Kind::Phone);
        assert_eq!(kinds("8613812345678", Mode::Bounded)[0].1, Kind::Phone);
        // Inside a longer number only the strict mode sees it.
        assert!(kinds("P2024113812345678", Mode::Bounded).is_empty());
        assert_eq!(kinds("P2024113812345678", Mode::Strict)[0].1, Kind::Phone);
        assert!(kinds("12812345678", Mode::Strict).is_empty());
    }

    #[test]
    fn ids_need_the_check_digit() {
        assert_eq!(
            kinds("身份证11010519491231002X", Mode::Bounded),
            vec![("11010519491231002X".into(), Kind::IdNumber)]
        );
        assert!(kinds("110105194912310021", Mode::Bounded).is_empty());
        // Valid check digit but no plausible birth date: an order number, not an ID.
        let valid: Vec<char> = "0123456789X"
            .chars()
            .map(|c| format!("99999900000000000{c}"))
            .find(|s| id_check_ok(&s.chars().collect::<Vec<_>>()))
            .expect("one check char fits")
            .chars()
            .collect();
        let text: String = valid.iter().collect();
        assert!(kinds(&text, Mode::Bounded).is_empty());
        assert_eq!(kinds(&text, Mode::Strict)[0].1, Kind::IdNumber);
    }

    #[test]
    fn finds_emails_wechat_and_addresses() {
        assert_eq!(kinds("发到 zhang.san@qq.com 谢谢", Mode::Strict), vec![("zhang.san@qq.com".into(), Kind::Email)]);
        assert!(kinds("a***@qq.com", Mode::Strict).is_empty());
        assert_eq!(kinds("加微信：zs_2024abc", Mode::Strict), vec![("zs_2024abc".into(), Kind::WeChat)]);
        assert_eq!(kinds("vx wxid_k2j3h4", Mode::Strict)[0].0, "wxid_k2j3h4");
        assert_eq!(kinds("改地址，科技园路18号A座，谢谢", Mode::Strict), vec![("科技园路18号".into(), Kind::Address)]);
        assert!(kinds("请在3号前发货", Mode::Strict).is_empty());
        assert!(kinds("广东省深圳市南山区****", Mode::Strict).is_empty());
    }
}
