//! Numbers written in groups: `7741 0938 2215 66`, `JDAB 1234 5678 901`, `EA123-45678-5CN`,
//! `SF1402 5581 33092`. A line (or a cell) is cut into pieces, the runs of letters and digits;
//! pieces that are never part of a number — quantities (`2件`, `x3`), dates (`12-06`,
//! `2026-12-06`, `12月6日`), times and phone-like runs (`138 1234 5678`) — are set apart first;
//! the rest, joined by spaces or dashes, form chains whose pieces may be glued into one number.
//!
//! A glued reading is taken only when it fits: the courier the line names, or, when it names
//! none, the shape of exactly one courier (a prefix or an S10 code). Among the readings that
//! fit, a reading inside a longer one gives way to it (all the pieces together are the number);
//! two readings left that are not one inside the other are both given back, never a guess.

use super::couriers::{check_shape, guess_from_number, lookup, CourierLookup};
use super::CourierEntry;

/// Characters that make a digit run touching them a quantity or a date (`2件`, `12月`).
fn is_unit(c: char) -> bool {
    matches!(
        c,
        '件' | '个'
            | '单'
            | '包'
            | '箱'
            | '份'
            | '套'
            | '瓶'
            | '盒'
            | '袋'
            | '只'
            | '条'
            | '支'
            | '双'
            | '年'
            | '月'
            | '日'
            | '号'
            | '点'
            | '时'
            | '分'
            | '秒'
    )
}
/// Characters that make a run of one or two digits touching them a time or a date (`14:30`,
/// `12/6`, `12.6`); a longer run is left alone (`单号:7730`).
fn is_short_unit(c: char) -> bool {
    matches!(c, ':' | '/' | '.')
}
/// Characters that make a digit run just after them a quantity (`×3`, `*2`).
fn is_times(c: char) -> bool {
    matches!(c, '×' | '*')
}
/// Most characters between two pieces of one number (spaces, dashes).
const MAX_GAP: usize = 3;
/// Longest piece glued to another: people write groups of 3–5, letters apart (`JDVA`), or the
/// prefix with a few digits (`SF1402`). A long run beside a short one is two things.
const MAX_PIECE: usize = 6;
/// Longest number (see `normalize::looks_like_number`).
const MAX_NUMBER: usize = 30;
/// Stands for a piece that is never glued: it breaks any chain it sits in.
pub const NOISE: char = '|';

/// What the pieces of a text give as a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// No reading fits.
    None,
    /// Exactly one reading fits.
    One(String),
    /// Two readings fit that are not one inside the other: the text is ambiguous.
    Two(String, String),
}

/// A run of ASCII letters and digits, `start..end` in the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The runs of ASCII letters and digits in `s`, in order (the paste reader's number candidates
/// start from them too).
pub(super) fn pieces(s: &[char]) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_alphanumeric() {
            let start = i;
            while i < s.len() && s[i].is_ascii_alphanumeric() {
                i += 1;
            }
            out.push(Piece { start, end: i });
        } else {
            i += 1;
        }
    }
    out
}

fn digits(s: &[char]) -> bool {
    !s.is_empty() && s.iter().all(char::is_ascii_digit)
}

fn value(s: &[char]) -> u32 {
    s.iter().fold(0u32, |v, c| v.saturating_mul(10).saturating_add(c.to_digit(10).unwrap_or(0)))
}

/// True when two pieces are joined by one `-`, `/` or `.` (a date's joints).
fn date_joint(s: &[char], a: Piece, b: Piece) -> bool {
    b.start == a.end + 1 && matches!(s[a.end], '-' | '/' | '.')
}

/// True when the gap between two pieces is spaces and dashes only, short enough for one number.
fn glue_gap(s: &[char], a: Piece, b: Piece) -> bool {
    let gap = &s[a.end..b.start];
    !gap.is_empty() && gap.len() <= MAX_GAP && gap.iter().all(|c| *c == ' ' || *c == '-')
}

/// A quantity or a unit-bound number: digits touching a unit (`2件`, `12月6日`, `14:30`),
/// digits after `×`/`*`, or `X` + 1–3 digits (`x3`, upper-cased by the caller).
fn is_quantity(s: &[char], p: Piece) -> bool {
    let t = &s[p.start..p.end];
    let before = p.start.checked_sub(1).map(|i| s[i]);
    let after = s.get(p.end).copied();
    if digits(t) {
        let unit = |c: Option<char>| c.is_some_and(|c| is_unit(c) || (t.len() <= 2 && is_short_unit(c)));
        // Before a run only a date's own units count (`12月6日`): `单号7730…` is a number.
        let date_unit = before.is_some_and(|c| matches!(c, '年' | '月')) || (t.len() <= 2 && unit(before));
        return unit(after) || date_unit || before.is_some_and(is_times);
    }
    t.len() >= 2 && t.len() <= 4 && t[0] == 'X' && digits(&t[1..])
}

/// Pieces `k..k+n` are a date joined by single `-`, `/` or `.` and nothing else is joined to them
/// that way: `MM-DD` or `YYYY-MM-DD` with a real month and day.
fn is_date(s: &[char], ps: &[Piece], k: usize, n: usize) -> bool {
    if k + n > ps.len() || (1..n).any(|j| !date_joint(s, ps[k + j - 1], ps[k + j])) {
        return false;
    }
    let joined_before = k > 0 && date_joint(s, ps[k - 1], ps[k]);
    let joined_after = ps.get(k + n).is_some_and(|q| date_joint(s, ps[k + n - 1], *q));
    if joined_before || joined_after {
        return false;
    }
    let t = |j: usize| &s[ps[k + j].start..ps[k + j].end];
    let md = |m: &[char], d: &[char]| {
        digits(m)
            && digits(d)
            && m.len() <= 2
            && d.len() <= 2
            && (1..=12).contains(&value(m))
            && (1..=31).contains(&value(d))
    };
    match n {
        2 => md(t(0), t(1)),
        3 => t(0).len() == 4 && digits(t(0)) && (1900..=2199).contains(&value(t(0))) && md(t(1), t(2)),
        _ => false,
    }
}

/// A phone-like run: 11 digits starting `1[3-9]`, written whole or as `3 4 4` groups.
fn phone_len(s: &[char], ps: &[Piece], k: usize) -> usize {
    let mobile = |t: &[char]| t.len() == 11 && digits(t) && t[0] == '1' && ('3'..='9').contains(&t[1]);
    let t = |j: usize| &s[ps[j].start..ps[j].end];
    if mobile(t(k)) {
        return 1;
    }
    if k + 3 <= ps.len() && glue_gap(s, ps[k], ps[k + 1]) && glue_gap(s, ps[k + 1], ps[k + 2]) {
        let lens = [t(k).len(), t(k + 1).len(), t(k + 2).len()];
        let joined: Vec<char> = (k..k + 3).flat_map(|j| t(j).iter().copied()).collect();
        if lens == [3, 4, 4] && mobile(&joined) {
            return 3;
        }
    }
    0
}

/// `s` with every piece that is never glued (quantity, date, time, phone-like run) replaced by
/// [`NOISE`] characters, so no chain crosses it. Package IDs are blanked by the caller.
pub fn without_noise(s: &[char]) -> Vec<char> {
    let ps = pieces(s);
    let mut noise = vec![false; ps.len()];
    let mut k = 0;
    while k < ps.len() {
        let run = if is_date(s, &ps, k, 3) {
            3
        } else if is_date(s, &ps, k, 2) {
            2
        } else {
            phone_len(s, &ps, k).max(usize::from(is_quantity(s, ps[k])))
        };
        for n in noise.iter_mut().skip(k).take(run) {
            *n = true;
        }
        k += run.max(1);
    }
    let mut out = s.to_vec();
    for (p, _) in ps.iter().zip(&noise).filter(|(_, n)| **n) {
        for c in &mut out[p.start..p.end] {
            *c = NOISE;
        }
    }
    out
}

/// Reads the number in `s` (upper-cased, half-width; package IDs blanked) for the courier the
/// text names (`courier`, as written; empty for none): noise set apart ([`without_noise`]), then
/// the readings that fit that courier's shape, or without one the shape of exactly one courier.
pub fn read_for(s: &[char], courier: &str, platform: &[CourierEntry]) -> Reading {
    read_for_code(s, courier_code(courier, platform).as_deref(), platform)
}

/// The platform code of the courier a text names (as written; empty for none), when the
/// platform offers it: the courier [`read_for`] reads against.
pub fn courier_code(courier: &str, platform: &[CourierEntry]) -> Option<String> {
    match lookup(courier, platform) {
        CourierLookup::Offered(c) => Some(c.code),
        _ => None,
    }
}

/// [`read_for`] with the courier's code already looked up ([`courier_code`]).
pub fn read_for_code(s: &[char], code: Option<&str>, platform: &[CourierEntry]) -> Reading {
    let fits = |n: &str| match code {
        Some(c) => check_shape(c, n).is_ok(),
        None => guess_from_number(n, platform).is_some(),
    };
    read(&without_noise(s), &fits)
}

/// Every glued reading of `s` (noise already set apart) that `fits`, reduced to those not
/// inside a longer one: [`Reading::One`] when one is left, [`Reading::Two`] (the first two, in
/// text order) when more are.
pub fn read(s: &[char], fits: &dyn Fn(&str) -> bool) -> Reading {
    let ps = pieces(s);
    // Chains: runs of pieces joined by short space-or-dash gaps.
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    let mut start = 0;
    for k in 0..ps.len() {
        let last = k + 1 == ps.len() || !glue_gap(s, ps[k], ps[k + 1]);
        if !last {
            continue;
        }
        for i in start..=k {
            let mut glued = String::new();
            let first = &s[ps[i].start..ps[i].end];
            for j in i..=k {
                let t = &s[ps[j].start..ps[j].end];
                // Glued pieces are groups; letters only at the ends: a prefix written apart
                // (`JDAB`, `SF1402`, the first piece) or a suffix (`5CN`, the last one).
                if j > i && (t.len() > MAX_PIECE || first.len() > MAX_PIECE || !(digits(t) || suffix(t))) {
                    break;
                }
                glued.extend(t);
                if glued.len() > MAX_NUMBER {
                    break;
                }
                if fits(&glued) {
                    found.push((i, j, glued.clone()));
                }
                if j > i && !digits(t) {
                    break;
                }
            }
        }
        start = k + 1;
    }
    let outer: Vec<&String> = found
        .iter()
        .filter(|(i, j, n)| !found.iter().any(|(a, b, m)| a <= i && b >= j && (a, b) != (i, j) && m != n))
        .map(|(_, _, n)| n)
        .collect();
    let mut distinct: Vec<&String> = Vec::new();
    for n in outer {
        if !distinct.contains(&n) {
            distinct.push(n);
        }
    }
    match distinct.as_slice() {
        [] => Reading::None,
        [one] => Reading::One((*one).clone()),
        [a, b, ..] => Reading::Two((*a).clone(), (*b).clone()),
    }
}

/// True for a trailing piece of digits then letters (`5CN` of an S10 code).
fn suffix(t: &[char]) -> bool {
    let split = t.iter().position(|c| !c.is_ascii_digit()).unwrap_or(t.len());
    split > 0 && split < t.len() && t[split..].iter().all(char::is_ascii_uppercase)
}

#[cfg(test)]
#[path = "tests_groups.rs"]
mod tests;
