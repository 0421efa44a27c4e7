//! Couriers: the platform's default list (SPEC.md), the names people actually type for each
//! (aliases), the tracking-number shape of each, and the UPU S10 check digit.
//!
//! The live list comes from the platform (the page's courier answer) and is passed in: its codes
//! always win. The table here only maps what a merchant writes onto an entry of that list, by
//! the entry's code (every spelling seen: `zto` now, `zhongtong` first guessed) or by its name
//! (中通快递, 中通速递 …). A courier the platform does not offer is never silently swapped for
//! another one.

use super::normalize::{normalize_code, normalize_name};
use super::CourierEntry;

/// One courier the core knows: its platform codes (the seen one first, then earlier guesses),
/// the name the ship dialog shows, and the normalised aliases people write (see
/// [`normalize_name`]).
struct Known {
    codes: &'static [&'static str],
    name: &'static str,
    aliases: &'static [&'static str],
}

impl Known {
    /// The code the platform's own list is taken to use when RedShip has not seen it yet.
    fn code(&self) -> &'static str {
        self.codes[0]
    }

    /// True when the platform's entry `c` is this courier: by code, or by name.
    fn is(&self, c: &CourierEntry) -> bool {
        if self.codes.iter().any(|k| c.code.eq_ignore_ascii_case(k)) {
            return true;
        }
        let n = normalize_name(&c.name);
        !n.is_empty() && (n == normalize_name(self.name) || self.aliases.contains(&n.as_str()))
    }
}

/// SPEC.md's courier list with aliases. Aliases are already in normalised form. The first code
/// is the one SPEC.md saw; the others are earlier guesses a page may still send.
#[rustfmt::skip]
const KNOWN: &[Known] = &[
    Known { codes: &["shunfeng", "SF", "FOP"], name: "顺丰速运", aliases: &["顺丰", "顺丰快递", "顺丰速递", "顺丰物流", "SF", "SFEXPRESS", "SHUNFENG"] },
    Known { codes: &["zto", "zhongtong"], name: "中通快递", aliases: &["中通", "中通速递", "ZTO", "ZTOEXPRESS", "ZHONGTONG"] },
    Known { codes: &["yuantong"], name: "圆通速递", aliases: &["圆通", "圆通快递", "YTO", "YTOEXPRESS", "YUANTONG"] },
    Known { codes: &["shentong"], name: "申通快递", aliases: &["申通", "申通速递", "STO", "STOEXPRESS", "SHENTONG"] },
    Known { codes: &["yunda"], name: "韵达快递", aliases: &["韵达", "韵达速递", "YUNDA", "YUNDAEXPRESS"] },
    Known { codes: &["jtexpress"], name: "极兔速递", aliases: &["极兔", "极兔快递", "J&T", "J&TEXPRESS", "JT", "JTEXPRESS", "JANDT"] },
    Known { codes: &["jd"], name: "京东快递", aliases: &["京东", "京东物流", "京东速运", "JD", "JDL", "JDEXPRESS", "JDLOGISTICS"] },
    Known { codes: &["youzhengguonei"], name: "邮政快递包裹", aliases: &["邮政", "中国邮政", "邮政包裹", "邮政快递", "邮政国内", "邮政小包", "CHINAPOST", "CHINAPOSTEXPRESS"] },
    Known { codes: &["youzhengbiaokuai"], name: "邮政标快", aliases: &["标快", "邮政标准快递", "中国邮政标快", "邮政快递标快"] },
    Known { codes: &["ems"], name: "EMS", aliases: &["EMS快递", "邮政EMS", "中国邮政EMS", "邮政特快专递", "特快专递", "E邮宝"] },
    Known { codes: &["debangwuliu", "debangkuaidi"], name: "德邦快递", aliases: &["德邦", "德邦物流", "德邦快运", "DEPPON", "DEPPONEXPRESS", "DBL"] },
    Known { codes: &["danniao"], name: "丹鸟", aliases: &["丹鸟快递", "丹鸟物流", "DANNIAO"] },
];

/// The platform's courier list as SPEC.md gives it: used when the service worker has not seen
/// the live list yet.
pub fn default_couriers() -> Vec<CourierEntry> {
    KNOWN.iter().map(|k| CourierEntry { code: k.code().to_string(), name: k.name.to_string() }).collect()
}

/// The table's courier for a platform code (any spelling seen), if it knows one.
fn known_by_code(code: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| k.codes.iter().any(|c| c.eq_ignore_ascii_case(code)))
}

/// The outcome of looking a courier name up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourierLookup {
    /// Found on the platform's list.
    Offered(CourierEntry),
    /// A courier we recognise (its usual name is given) but the platform's list lacks it.
    NotOffered(String),
    /// Nothing we recognise.
    Unknown,
}

/// Finds the platform courier a merchant means by `raw`: first the platform's own names and
/// codes, then the alias table, then a name or alias contained in the text (longest wins, so
/// `顺丰速运（寄付）` is 顺丰).
pub fn lookup(raw: &str, platform: &[CourierEntry]) -> CourierLookup {
    let key = normalize_name(raw);
    if key.is_empty() {
        return CourierLookup::Unknown;
    }
    let offered = |k: &Known| platform.iter().find(|c| k.is(c)).cloned();
    if let Some(c) = platform.iter().find(|c| normalize_name(&c.name) == key || normalize_name(&c.code) == key) {
        return CourierLookup::Offered(c.clone());
    }
    let by_alias = KNOWN.iter().find(|k| k.aliases.contains(&key.as_str()) || normalize_name(k.name) == key);
    if let Some(k) = by_alias {
        return match offered(k) {
            Some(c) => CourierLookup::Offered(c),
            None => CourierLookup::NotOffered(k.name.to_string()),
        };
    }
    // Contained names: only Chinese names and aliases of 2+ characters, so a stray "SF" in a
    // longer Latin word is not taken for a courier.
    let mut best: Option<(usize, CourierLookup)> = None;
    let mut consider = |needle: String, found: CourierLookup| {
        if needle.chars().count() >= 2 && !needle.is_ascii() && key.contains(&needle) {
            let len = needle.len();
            if best.as_ref().is_none_or(|(l, _)| len > *l) {
                best = Some((len, found));
            }
        }
    };
    for c in platform {
        consider(normalize_name(&c.name), CourierLookup::Offered(c.clone()));
    }
    for k in KNOWN {
        let found = match offered(k) {
            Some(c) => CourierLookup::Offered(c),
            None => CourierLookup::NotOffered(k.name.to_string()),
        };
        for a in k.aliases.iter().chain(std::iter::once(&k.name)) {
            consider((*a).to_string(), found.clone());
        }
    }
    best.map(|(_, f)| f).unwrap_or(CourierLookup::Unknown)
}

/// Every normalised name and alias the core knows, Chinese and Latin, for scanning free text.
pub fn all_names(platform: &[CourierEntry]) -> Vec<String> {
    let mut names: Vec<String> =
        platform.iter().flat_map(|c| [normalize_name(&c.name), normalize_name(&c.code)]).collect();
    for k in KNOWN {
        names.push(normalize_name(k.name));
        names.extend(k.aliases.iter().map(|a| (*a).to_string()));
    }
    names.retain(|n| !n.is_empty());
    crate::sort::sort_by_key(&mut names, |n| std::cmp::Reverse(n.len()));
    names.dedup();
    names
}

/// The name, among those a ship dialog shows (`shown`), of the courier a plan names (`code` from
/// the platform's list, `name` as planned): the same name, else the one name the table knows
/// for that courier (the dialog says 中通速递 where the plan says 中通快递). `None` when the
/// dialog shows it under no name, or under two: the fill then fails with the names, never guesses.
pub fn name_in_dialog(code: &str, name: &str, shown: &[String]) -> Option<String> {
    let key = normalize_name(name);
    if let Some(s) = shown.iter().find(|s| normalize_name(s) == key) {
        return Some(s.clone());
    }
    let planned = CourierEntry { code: code.to_string(), name: name.to_string() };
    let known = known_by_code(code).or_else(|| KNOWN.iter().find(|k| k.is(&planned)))?;
    let mut matches = shown.iter().filter(|s| known.is(&CourierEntry { code: String::new(), name: (*s).clone() }));
    match (matches.next(), matches.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

/// Why a number does not fit a courier: the expected shape, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeMismatch {
    /// Expected shape, Chinese.
    pub expected_zh: &'static str,
    /// Expected shape, English.
    pub expected_en: &'static str,
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn prefixed_digits(s: &str, prefix: &str, n: usize) -> bool {
    s.strip_prefix(prefix).is_some_and(|r| r.len() == n && digits(r))
}

/// True when `s` has the UPU S10 shape (`AA` + 8 digits + check digit + `AA`) and its check
/// digit is right (weights 8 6 4 2 3 5 9 7, mod 11; 10 → 0, 11 → 5).
pub fn is_valid_s10(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 13
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[11..].iter().all(u8::is_ascii_uppercase)
        || !b[2..11].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    const W: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = b[2..10].iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let check = match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        c => c,
    };
    u32::from(b[10] - b'0') == check
}

/// Checks a normalised number against the shape of the courier `code` (SPEC.md; any spelling of
/// the code seen). A courier the table does not know gets only a plausibility check (6–30
/// letters and digits).
pub fn check_shape(code: &str, n: &str) -> Result<(), ShapeMismatch> {
    let len = n.len();
    let canonical: &str = match known_by_code(code) {
        Some(k) => k.code(),
        None => code,
    };
    let (ok, zh, en) = match canonical {
        "shunfeng" => (prefixed_digits(n, "SF", 13), "SF + 13 位数字", "SF + 13 digits"),
        "yuantong" => (prefixed_digits(n, "YT", 13), "YT + 13 位数字", "YT + 13 digits"),
        "jtexpress" => (prefixed_digits(n, "JT", 13), "JT + 13 位数字", "JT + 13 digits"),
        "jd" => (
            n.strip_prefix("JD")
                .is_some_and(|r| (11..=13).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())),
            "JD + 11–13 位字母或数字",
            "JD + 11–13 letters or digits",
        ),
        "debangwuliu" => (prefixed_digits(n, "DPK", 12), "DPK + 12 位数字", "DPK + 12 digits"),
        "ems" => (
            is_valid_s10(n) || (len == 13 && digits(n)),
            "国际件 S10 格式（如 EE123456785CN，校验位正确）或 13 位数字",
            "UPU S10 (e.g. EE123456785CN, valid check digit) or 13 digits",
        ),
        "youzhengguonei" | "youzhengbiaokuai" => (len == 13 && digits(n) || is_valid_s10(n), "13 位数字", "13 digits"),
        "zto" => ((12..=15).contains(&len) && digits(n), "12–15 位数字", "12–15 digits"),
        "shentong" => ((13..=15).contains(&len) && digits(n), "13–15 位数字", "13–15 digits"),
        "yunda" => ((len == 13 || len == 15) && digits(n), "13 或 15 位数字", "13 or 15 digits"),
        _ => (
            (6..=30).contains(&len) && n.bytes().all(|b| b.is_ascii_alphanumeric()),
            "6–30 位字母或数字",
            "6–30 letters or digits",
        ),
    };
    if ok {
        Ok(())
    } else {
        Err(ShapeMismatch { expected_zh: zh, expected_en: en })
    }
}

/// Guesses the courier of a number from an unambiguous prefix (SF, YT, JT, JD, DPK, or a valid
/// S10 → EMS), only when the whole number fits that courier and the platform offers it.
/// Digits-only numbers are never guessed: several couriers share those shapes.
pub fn guess_from_number(number: &str, platform: &[CourierEntry]) -> Option<CourierEntry> {
    let n = normalize_code(number);
    let code = ["shunfeng", "yuantong", "jtexpress", "jd", "debangwuliu"]
        .into_iter()
        .find(|c| check_shape(c, &n).is_ok())
        .or_else(|| is_valid_s10(&n).then_some("ems"))?;
    let known = known_by_code(code)?;
    platform.iter().find(|c| known.is(c)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s10_check_digits() {
        assert!(is_valid_s10("RR123456785CN"));
        assert!(!is_valid_s10("RR123456784CN"));
        // Sum 0 → 11 → check digit 5.
        assert!(is_valid_s10("EA000000005CN"));
        // d5 = 4 (weight 3) → sum 12 ≡ 1 → 10 → check digit 0.
        assert!(is_valid_s10("EA000040000CN"));
        assert!(!is_valid_s10("EA000040001CN"));
        assert!(!is_valid_s10("E1234567890CN"));
    }

    #[test]
    fn lookup_by_name_alias_and_containment() {
        let p = default_couriers();
        let code = |s: &str| match lookup(s, &p) {
            CourierLookup::Offered(c) => c.code,
            other => format!("{other:?}"),
        };
        assert_eq!(code("顺丰"), "shunfeng");
        assert_eq!(code("ｓｆ"), "shunfeng");
        assert_eq!(code("顺丰速运（寄付）"), "shunfeng");
        assert_eq!(code("J&T"), "jtexpress");
        assert_eq!(code("zto"), "zto");
        assert_eq!(code("中通速递"), "zto");
        assert_eq!(code("邮政标快"), "youzhengbiaokuai");
        assert_eq!(code("丹鸟快递"), "danniao");
        assert_eq!(code("邮政"), "youzhengguonei");
        assert_eq!(code("EMS"), "ems");
        assert_eq!(code("德邦物流"), "debangwuliu");
        assert_eq!(lookup("火星快递", &p), CourierLookup::Unknown);
        let no_jd: Vec<_> = p.iter().filter(|c| c.code != "jd").cloned().collect();
        assert_eq!(lookup("京东", &no_jd), CourierLookup::NotOffered("京东快递".into()));
    }

    #[test]
    fn shapes_per_courier() {
        assert!(check_shape("shunfeng", "SF1234567890123").is_ok());
        assert!(check_shape("shunfeng", "1234567890123").is_err());
        assert!(check_shape("zto", "773012345678").is_ok());
        assert!(check_shape("zto", "77301234567").is_err());
        assert!(check_shape("zhongtong", "773012345678").is_ok(), "the first guess's spelling");
        assert!(check_shape("ZTO", "77301234567").is_err());
        assert!(check_shape("yunda", "43123456789012").is_err());
        assert!(check_shape("yunda", "4312345678901").is_ok());
        assert!(check_shape("jd", "JDVA12345678901").is_ok());
        assert!(check_shape("debangwuliu", "DPK123456789012").is_ok());
        assert!(check_shape("debangkuaidi", "DPK12345678901").is_err());
        assert!(check_shape("ems", "RR123456785CN").is_ok());
        assert!(check_shape("ems", "RR123456784CN").is_err());
        assert!(check_shape("huitongkuaidi", "ABC123456").is_ok());
    }

    #[test]
    fn the_pages_list_wins_whatever_it_spells() {
        let page = |code: &str, name: &str| vec![CourierEntry { code: code.into(), name: name.into() }];
        let found = |raw: &str, p: &[CourierEntry]| match lookup(raw, p) {
            CourierLookup::Offered(c) => c.code,
            other => format!("{other:?}"),
        };
        // The first guess's code on the page, or a code we never saw under a name we know.
        assert_eq!(found("中通快递", &page("zhongtong", "中通快递")), "zhongtong");
        assert_eq!(found("ZTO", &page("ZTO_EXPRESS", "中通速递")), "ZTO_EXPRESS");
        assert_eq!(found("德邦", &page("debangkuaidi", "德邦")), "debangkuaidi");
        assert_eq!(lookup("中通", &page("yunda", "韵达快递")), CourierLookup::NotOffered("中通快递".into()));
        let p = page("DBWL", "德邦快递");
        assert_eq!(guess_from_number("DPK123456789012", &p).map(|c| c.code), Some("DBWL".into()));
    }

    #[test]
    fn the_dialog_name_of_a_planned_courier() {
        let shown: Vec<String> = ["顺丰速运", "中通速递", "圆通速递", "德邦"].map(String::from).to_vec();
        assert_eq!(name_in_dialog("zto", "中通快递", &shown).as_deref(), Some("中通速递"));
        assert_eq!(name_in_dialog("shunfeng", "顺丰速运", &shown).as_deref(), Some("顺丰速运"));
        assert_eq!(name_in_dialog("debangwuliu", "德邦快递", &shown).as_deref(), Some("德邦"));
        assert_eq!(name_in_dialog("odd", "圆通", &shown).as_deref(), Some("圆通速递"), "by the planned name");
        assert_eq!(name_in_dialog("jd", "京东快递", &shown), None, "not offered");
        let two: Vec<String> = ["中通快递", "中通速递"].map(String::from).to_vec();
        assert_eq!(name_in_dialog("zto", "ZTO", &two), None, "two candidates: never a guess");
        assert_eq!(name_in_dialog("zto", "中通快递", &two).as_deref(), Some("中通快递"), "the same name first");
    }

    #[test]
    fn guesses_only_unambiguous_prefixes() {
        let p = default_couriers();
        assert_eq!(guess_from_number("SF1234567890123", &p).map(|c| c.code), Some("shunfeng".into()));
        assert_eq!(guess_from_number("RR123456785CN", &p).map(|c| c.code), Some("ems".into()));
        assert_eq!(guess_from_number("773012345678901", &p), None);
        assert_eq!(guess_from_number("SF12", &p), None);
    }
}
