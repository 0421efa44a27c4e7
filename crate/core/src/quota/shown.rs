//! Reading the quota numbers the workbench shows, in the forms a person reads them.
//!
//! Nothing public shows ark's quota request or its privacy board (SPEC.md, "Unknowns"). So the
//! numbers are read from two places, each through words kept in the site profile's `quota` part:
//!
//! - **the board's text** — a block on the page that names the quota: `已用 3 / 20`,
//!   `已用3次，剩余17次`, `今日剩余解密次数：17 次 共 20 次`, `总额度 20 已使用 3`, full-width
//!   digits and `／` as well. A number belongs to the label just before it; `a / b` reads as the
//!   two labels before it in order (used then total when only one is named);
//! - **an answer's numeric fields** — `{used: 3, daily_quota: 20}`, `{usedCount, totalCount}`,
//!   `{remainTimes, limit}`: each key is matched by the words it contains (remaining first,
//!   then used, then total, so `remain_quota` is remaining).
//!
//! Any two of used, remaining and total give the third. Numbers that disagree (used + remaining
//! ≠ total, used > total) read as nothing: a wrong quota is worse than none.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The most a shown number may be (a shop's quota is a few hundred at most).
const MAX_NUMBER: u32 = 100_000;
/// A number belongs to a label at most this many characters after it.
const LABEL_REACH: usize = 12;
/// Longest text read (a board block is a line or two).
pub const MAX_TEXT_CHARS: usize = 400;

/// The words of one role each: used, remaining, total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// Words naming the used count (已用, 已使用 …).
    pub used: Vec<String>,
    /// Words naming what is left (剩余, 还剩 …).
    pub remaining: Vec<String>,
    /// Words naming the daily total (总额度, 每日额度, 共 …).
    pub total: Vec<String>,
}

/// The profile's `quota` part: how the board and answers name the numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaWords {
    /// Labels on the page, matched as written (after full-width folding).
    pub board_words: Roles,
    /// Parts of answer field names, matched in lower case with `_` and `-` removed.
    pub answer_keys: Roles,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Used,
    Remaining,
    Total,
}

/// Used and total as read, both known and consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadQuota {
    /// Used today.
    pub used: u32,
    /// The daily total.
    pub daily_quota: u32,
}

#[derive(Default)]
struct Found {
    used: Option<u32>,
    remaining: Option<u32>,
    total: Option<u32>,
    conflict: bool,
}

impl Found {
    fn set(&mut self, role: Role, n: u32) {
        let slot = match role {
            Role::Used => &mut self.used,
            Role::Remaining => &mut self.remaining,
            Role::Total => &mut self.total,
        };
        match slot {
            Some(old) if *old != n => self.conflict = true,
            _ => *slot = Some(n),
        }
    }

    fn resolve(&self) -> Option<ReadQuota> {
        if self.conflict {
            return None;
        }
        let (used, total) = match (self.used, self.remaining, self.total) {
            (Some(u), Some(r), Some(t)) => (u.checked_add(r).filter(|s| *s == t).map(|_| u)?, t),
            (Some(u), _, Some(t)) => (u, t),
            (None, Some(r), Some(t)) => (t.checked_sub(r)?, t),
            (Some(u), Some(r), None) => (u, u.checked_add(r)?),
            _ => return None,
        };
        (used <= total && total > 0 && total <= MAX_NUMBER).then_some(ReadQuota { used, daily_quota: total })
    }
}

/// Folds full-width forms (digits, slash, colon, letters) and the ideographic space to ASCII,
/// so `３／２０` reads as `3/20`.
fn fold(text: &str) -> Vec<char> {
    text.chars().take(MAX_TEXT_CHARS).map(narrow).collect()
}

/// A full-width form (U+FF01–U+FF5E) as its ASCII character, the ideographic space as a space.
fn narrow(c: char) -> char {
    match u32::from(c) {
        n @ 0xFF01..=0xFF5E => char::from_u32(n - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The role and length of the longest board word starting at `at`, if any.
fn label_at(chars: &[char], at: usize, words: &Roles) -> Option<(Role, usize)> {
    let mut best: Option<(Role, usize)> = None;
    for (role, list) in [(Role::Used, &words.used), (Role::Remaining, &words.remaining), (Role::Total, &words.total)] {
        for w in list {
            let len = w.chars().count();
            if len == 0 || at + len > chars.len() || best.is_some_and(|(_, l)| l >= len) {
                continue;
            }
            if w.chars().zip(&chars[at..]).all(|(a, b)| fold_case(a) == fold_case(*b)) {
                best = Some((role, len));
            }
        }
    }
    best
}

/// What a board's text is made of, in order.
#[derive(Debug, Clone, Copy)]
enum Token {
    /// A label (adjacent words joined, named by the first): role, start, end.
    Label(Role, usize, usize),
    /// A count: value, start, end.
    Num(u32, usize, usize),
    /// `a / b`: start, end.
    Pair(u32, u32, usize, usize),
}

fn tokens(chars: &[char], words: &Roles) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((role, len)) = label_at(chars, i, words) {
            match out.last_mut() {
                // Labels written together (`已用额度`, `剩余额度`) are one, named by the first.
                Some(Token::Label(_, _, end)) if *end == i => *end = i + len,
                _ => out.push(Token::Label(role, i, i + len)),
            }
            i += len;
            continue;
        }
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (a, next) = number(chars, i);
        if a == NOT_A_COUNT {
            // A date or a time: it also ends what a label before it could name.
            out.push(Token::Num(NOT_A_COUNT, i, next));
            i = next;
            continue;
        }
        match pair_after(chars, next) {
            Some((b, after)) => {
                out.push(Token::Pair(a, b, i, after));
                i = after;
            }
            None => {
                out.push(Token::Num(a, i, next));
                i = next;
            }
        }
    }
    out
}

/// Reads used and total from a block of the page's text; `None` when it does not say both
/// (directly, or through the third number) or says something inconsistent.
///
/// Labels usually come first (`已用 3`); statistic cards often show the value above its
/// caption (`3 已用 20 总额度`): when the text starts with a number, each number belongs to the
/// label right after it.
pub fn read_board(text: &str, words: &QuotaWords) -> Option<ReadQuota> {
    let mut found = Found::default();
    // Each line is a block of its own (the page's blocks are sent one per line).
    for block in fold(text).split(|c| *c == '\n') {
        read_block(block, words, &mut found);
    }
    found.resolve()
}

/// What may stand between a label and its number: spaces, colons, brackets and the words a
/// label is written with (`剩余解密次数：17`, `3 次 已用`). Anything else (`额度按店铺近 7 天`)
/// means the number is about something else.
fn glue(c: char) -> bool {
    c.is_whitespace() || ":()（）[]【】=为是的次数解密今日天".contains(c)
}

fn read_block(chars: &[char], words: &QuotaWords, found: &mut Found) {
    let toks = tokens(chars, &words.board_words);
    let value_first = matches!(toks.first(), Some(Token::Num(..) | Token::Pair(..)));
    let near =
        |from: usize, to: usize| to >= from && to - from <= LABEL_REACH && chars[from..to].iter().all(|c| glue(*c));
    let slash_between = |x: usize, y: usize| x <= y && chars[x..y].iter().all(|c| *c == '/' || *c == ' ');
    // The roles of `a / b` given the labels named with it: two written the same way
    // (`已用/总额度`), else one (remaining / total, or used / total).
    let pair_roles = |labels: &[(Role, usize, usize)]| match labels {
        [x, y] if x.0 != y.0 && slash_between(x.2, y.1) => (x.0, y.0),
        [.., y] if y.0 == Role::Remaining => (Role::Remaining, Role::Total),
        _ => (Role::Used, Role::Total),
    };
    for (k, t) in toks.iter().enumerate() {
        // Labels on the named side of this number: just before it, or just after it.
        let side: Vec<(Role, usize, usize)> = if value_first {
            toks[k + 1..]
                .iter()
                .take(2)
                .map_while(|t| match t {
                    Token::Label(r, s, e) => Some((*r, *s, *e)),
                    _ => None,
                })
                .collect()
        } else {
            let mut before: Vec<(Role, usize, usize)> = toks[..k]
                .iter()
                .rev()
                .take(2)
                .map_while(|t| match t {
                    Token::Label(r, s, e) => Some((*r, *s, *e)),
                    _ => None,
                })
                .collect();
            before.reverse();
            before
        };
        match *t {
            Token::Num(n, s, e) if n != NOT_A_COUNT => {
                let label = if value_first {
                    side.first().filter(|l| near(e, l.1))
                } else {
                    side.last().filter(|l| near(l.2, s))
                };
                if let Some(l) = label {
                    found.set(l.0, n);
                }
            }
            Token::Pair(a, b, s, e) => {
                let named = if value_first {
                    side.first().is_some_and(|l| near(e, l.1))
                } else {
                    side.last().is_some_and(|l| near(l.2, s))
                };
                let (ra, rb) = if named { pair_roles(&side) } else { (Role::Used, Role::Total) };
                found.set(ra, a);
                found.set(rb, b);
            }
            _ => {}
        }
    }
}

/// Not a count: a date's `2026-12-06`, a time's `16:30`, a decimal, or too many digits.
const NOT_A_COUNT: u32 = u32::MAX;

/// The number starting at `i` and where it ends; [`NOT_A_COUNT`] for a run that is no count
/// (it is skipped whole, so no label takes a piece of it).
fn number(chars: &[char], i: usize) -> (u32, usize) {
    let mut j = i;
    let mut n: Option<u32> = Some(0);
    while j < chars.len() && chars[j].is_ascii_digit() {
        n = n.and_then(|n| n.checked_mul(10)).and_then(|n| n.checked_add(chars[j].to_digit(10).unwrap_or(0)));
        j += 1;
    }
    if j < chars.len() && matches!(chars[j], '.' | '-' | ':') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
        while j < chars.len() && (chars[j].is_ascii_digit() || matches!(chars[j], '.' | '-' | ':')) {
            j += 1;
        }
        return (NOT_A_COUNT, j);
    }
    (n.filter(|n| *n <= MAX_NUMBER).unwrap_or(NOT_A_COUNT), j)
}

/// `/ b` after a number (spaces allowed): `b` and where it ends.
fn pair_after(chars: &[char], mut j: usize) -> Option<(u32, usize)> {
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    if chars.get(j) != Some(&'/') {
        return None;
    }
    j += 1;
    while j < chars.len() && chars[j] == ' ' {
        j += 1;
    }
    if !chars.get(j).is_some_and(char::is_ascii_digit) {
        return None;
    }
    Some(number(chars, j)).filter(|(n, _)| *n != NOT_A_COUNT)
}

/// Reads used and total from an answer's numeric fields (name → value).
pub fn read_fields(fields: &BTreeMap<String, f64>, words: &QuotaWords) -> Option<ReadQuota> {
    let mut found = Found::default();
    for (key, &value) in fields {
        let Some(role) = key_role(key, &words.answer_keys) else { continue };
        if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= f64::from(MAX_NUMBER)) {
            continue;
        }
        found.set(role, value as u32);
    }
    found.resolve()
}

/// A character as the board's words are compared: full-width forms as their ASCII ones, Latin
/// letters in lower case. The words are Chinese or English field names and labels, so ASCII
/// case-blindness is all they need; Unicode's full case tables (about 15 KB of the module every
/// worker start compiles) were there for this alone.
fn fold_case(c: char) -> char {
    narrow(c).to_ascii_lowercase()
}

/// The role a field name plays, by the words it contains; remaining first, then used, then
/// total (`remain_quota` is remaining, `used_quota` is used).
fn key_role(key: &str, keys: &Roles) -> Option<Role> {
    let k: String = key.chars().filter(|c| *c != '_' && *c != '-').map(fold_case).collect();
    let has = |list: &Vec<String>| {
        list.iter().any(|w| !w.is_empty() && k.contains(&w.chars().map(fold_case).collect::<String>()))
    };
    [(Role::Remaining, &keys.remaining), (Role::Used, &keys.used), (Role::Total, &keys.total)]
        .into_iter()
        .find(|(_, list)| has(list))
        .map(|(r, _)| r)
}

/// True when an answer's fields name a used-like and a total-like (or remaining-like) number:
/// worth offering as the quota endpoint.
pub fn looks_like_quota(fields: &BTreeMap<String, f64>, words: &QuotaWords) -> bool {
    read_fields(fields, words).is_some()
}

#[cfg(test)]
#[path = "shown_tests.rs"]
mod tests;
