//! The masker: every buyer field goes through here before RedShip stores or exports it.
//!
//! Input may already be masked by the platform (`张**`, `138****1234`, `广东省深圳市南山区****`)
//! or plain (the page decrypted it): either way the output has the platform's masked shape, so
//! masking is idempotent and a decrypt on the page never reaches storage or a file.

use super::detect::{self, Kind, Mode};
use crate::text::{Shared, Text};

/// The stars the platform uses for a hidden part.
pub const STARS: &str = "****";

/// `张三丰` → `张**`: the first character and two stars (the platform's shape).
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    match name.chars().next() {
        None => String::new(),
        // A leading digit could start a number: hide it too.
        Some(c) if detect::digit(c).is_some() => "***".to_string(),
        Some(c) => format!("{c}**"),
    }
}

/// `13812345678` → `138****5678`: three leading and four trailing characters of the number
/// kept. A country code stays in front (`+8613812345678` → `+86138****5678`, the platform's own
/// form), and a virtual number's extension (`18000000000-9999`, SPEC.md) is hidden with the
/// middle: `180****0000-****`.
pub fn mask_phone(phone: &str) -> String {
    let phone = phone.trim();
    let (code, rest) = match phone.strip_prefix("+86") {
        Some(r) => ("+86", r.trim_start_matches([' ', '-'])),
        None => ("", phone),
    };
    let (number, ext) = match rest.rsplit_once(['-', '转']) {
        Some((n, e)) if n.chars().filter(|c| detect::digit(*c).is_some()).count() >= 7 && !e.is_empty() => (n, true),
        _ => (rest, false),
    };
    let masked = mask_number(number);
    if masked.is_empty() {
        return masked;
    }
    let ext = if ext { format!("-{STARS}") } else { String::new() };
    format!("{code}{masked}{ext}")
}

fn mask_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() < 8 {
        return STARS.to_string();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{STARS}{tail}")
}

const PROVINCES: [&str; 34] = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
];
const PROVINCE_SUFFIXES: [&str; 7] = ["壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"];
const CITY_SUFFIXES: [&str; 4] = ["自治州", "地区", "盟", "市"];
const DISTRICT_SUFFIXES: [&str; 4] = ["区", "县", "市", "旗"];
/// A region segment holding any of these is street detail, not a city or district name.
/// (Not 楼: 鼓楼区, 钟楼区 are districts.)
const DETAIL_CHARS: [char; 10] = ['路', '街', '巷', '弄', '村', '号', '栋', '室', '*', '#'];
/// Townships (镇, 乡) are below district level, but names may start with these characters
/// (镇江市, 乡宁县): forbidden anywhere but first.
const TOWNSHIP_CHARS: [char; 2] = ['镇', '乡'];
const DETAIL_WORDS: [&str; 5] = ["社区", "小区", "大厦", "大道", "花园"];

fn skip_space(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',' || chars[i] == '，') {
        i += 1;
    }
    i
}

fn starts_with_at(chars: &[char], i: usize, pat: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    chars.len() >= i + p.len() && chars[i..i + p.len()] == p[..]
}

/// The end of an administrative segment starting at `i` (≤ 10 chars, ending in a suffix),
/// if the text there is a plain region name.
fn region_segment(chars: &[char], i: usize, suffixes: &[&str], forbid_district: bool) -> Option<usize> {
    for len in 2..=10 {
        let end_probe = i + len;
        if end_probe > chars.len() {
            return None;
        }
        let seg = &chars[i..end_probe];
        if seg.iter().any(|c| c.is_whitespace() || detect::digit(*c).is_some() || DETAIL_CHARS.contains(c))
            || seg[1..].iter().any(|c| TOWNSHIP_CHARS.contains(c))
        {
            return None;
        }
        let text: String = seg.iter().collect();
        if DETAIL_WORDS.iter().any(|w| text.contains(w)) {
            return None;
        }
        if forbid_district && (text.contains('区') || text.contains('县')) {
            return None;
        }
        if suffixes.iter().any(|s| text.ends_with(s)) {
            // Prefer the longer suffix ("自治区" over a bare "区" seen one char early).
            return Some(end_probe);
        }
    }
    None
}

/// `广东省深圳市南山区科技园路1号` → `广东省深圳市南山区****`: province, city and district kept,
/// everything after them hidden. Unrecognised addresses are hidden whole.
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let mut kept = String::new();
    let mut i = skip_space(&chars, 0);
    if let Some(p) = PROVINCES.iter().find(|p| starts_with_at(&chars, i, p)) {
        let mut end = i + p.chars().count();
        if let Some(s) = PROVINCE_SUFFIXES.iter().find(|s| starts_with_at(&chars, end, s)) {
            end += s.chars().count();
        }
        kept.extend(&chars[i..end]);
        i = skip_space(&chars, end);
    }
    if let Some(end) = region_segment(&chars, i, &CITY_SUFFIXES, true) {
        kept.extend(&chars[i..end]);
        i = skip_space(&chars, end);
    }
    if let Some(end) = region_segment(&chars, i, &DISTRICT_SUFFIXES, false) {
        kept.extend(&chars[i..end]);
        i = skip_space(&chars, end);
    }
    if i < chars.len() {
        kept.push_str(STARS);
    }
    kept
}

fn mask_span(chars: &[char], kind: Kind) -> String {
    match kind {
        Kind::Phone | Kind::IdNumber if chars.len() >= 11 => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("{head}{STARS}{tail}")
        }
        Kind::Email => {
            let at = chars.iter().position(|c| *c == '@' || *c == '＠').unwrap_or(0);
            let first = chars.first().copied().unwrap_or('*');
            let domain: String = chars[at..].iter().collect();
            format!("{first}***{domain}")
        }
        Kind::WeChat => match chars.first() {
            Some(c) => format!("{c}{STARS}"),
            None => STARS.to_string(),
        },
        _ => STARS.to_string(),
    }
}

fn replace_spans(chars: &[char], spans: &[detect::Span], generic: bool) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut pos = 0;
    for s in spans {
        out.extend_from_slice(&chars[pos..s.start]);
        let masked = if generic { STARS.to_string() } else { mask_span(&chars[s.start..s.end], s.kind) };
        out.extend(masked.chars());
        pos = s.end;
    }
    out.extend_from_slice(&chars[pos..]);
    out
}

/// Masks phone numbers, mainland ID numbers, emails, WeChat IDs and street addresses inside
/// free text (buyer remarks), leaving the rest readable.
pub fn mask_text(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    // First pass keeps a recognisable shape (`138****5678`); if anything is still found (a
    // phone hidden in an email's domain …) later passes replace it with bare stars.
    for pass in 0..6 {
        let spans = detect::find(&chars, Mode::Strict, true);
        if spans.is_empty() {
            return chars.into_iter().collect();
        }
        chars = replace_spans(&chars, &spans, pass > 0);
    }
    if detect::find(&chars, Mode::Strict, true).is_empty() {
        chars.into_iter().collect()
    } else {
        STARS.to_string()
    }
}

/// The buyer fields of one package, all masked. Held in every stored package, so kept small
/// ([`crate::text`]): a masked name and a masked address repeat across a shop (`张**`, a
/// district), a masked phone and a remark rarely do.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaskedBuyer {
    /// `张**`.
    pub receiver: Shared,
    /// `138****5678`.
    pub phone: Text,
    /// `广东省深圳市南山区****`.
    pub address: Shared,
    /// The remark with its phones, IDs, emails, WeChat IDs and street addresses hidden.
    pub remark: Text,
}

/// Masks a package's buyer block (whatever state it arrived in).
pub fn mask_buyer(u: &super::package::UserInfo) -> MaskedBuyer {
    MaskedBuyer {
        receiver: mask_text(&mask_name(&u.receiver)).into(),
        phone: mask_text(&mask_phone(&u.phone)).into(),
        address: mask_text(&mask_address(&u.address)).into(),
        remark: mask_text(&u.buyer_remark).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_phones_keep_the_platform_shape_and_are_idempotent() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("张**"), "张**");
        assert_eq!(mask_name(" Li Lei "), "L**");
        assert_eq!(mask_name("13812345678"), "***");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("138****5678"), "138****5678");
        assert_eq!(mask_phone("+86 13812345678"), "+86138****5678", "the seen form, SPEC.md");
        assert_eq!(mask_phone("+86138****5678"), "+86138****5678");
        assert_eq!(mask_phone("12345"), "****");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn addresses_keep_province_city_district() {
        assert_eq!(mask_address("广东省深圳市南山区科技园路1号"), "广东省深圳市南山区****");
        assert_eq!(mask_address("广东省深圳市南山区****"), "广东省深圳市南山区****");
        assert_eq!(mask_address("北京市朝阳区建国路88号SOHO 3号楼"), "北京市朝阳区****");
        assert_eq!(mask_address("上海 上海市 浦东新区 世纪大道100号"), "上海上海市浦东新区****");
        assert_eq!(mask_address("新疆维吾尔自治区乌鲁木齐市天山区解放路1号"), "新疆维吾尔自治区乌鲁木齐市天山区****");
        assert_eq!(
            mask_address("内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇"),
            "内蒙古自治区呼伦贝尔市鄂温克族自治旗****"
        );
        assert_eq!(mask_address("广东省东莞市长安镇乌沙社区3号"), "广东省东莞市****");
        assert_eq!(mask_address("广东省东莞市长安镇沙头市场旁"), "广东省东莞市****");
        assert_eq!(mask_address("江苏省南京市鼓楼区中山路1号"), "江苏省南京市鼓楼区****");
        assert_eq!(mask_address("江苏省镇江市京口区学府路2号"), "江苏省镇江市京口区****");
        assert_eq!(mask_address("山西省临汾市乡宁县昌宁镇"), "山西省临汾市乡宁县****");
        assert_eq!(mask_address("山东省青岛市市南区香港中路8号"), "山东省青岛市市南区****");
        assert_eq!(mask_address("江苏省苏州市工业园区星湖街328号"), "江苏省苏州市工业园区****");
        assert_eq!(mask_address("浙江省杭州市西湖区"), "浙江省杭州市西湖区");
        assert_eq!(mask_address("某某路18号"), "****");
        assert_eq!(mask_address(""), "");
    }

    #[test]
    fn remarks_hide_every_kind_of_buyer_data() {
        assert_eq!(mask_text("到了打13812345678"), "到了打138****5678");
        assert_eq!(mask_text("电话 139 1234 5678"), "电话 139****5678");
        assert_eq!(mask_text("身份证11010519491231002X清关用"), "身份证110****002X清关用");
        assert_eq!(mask_text("邮箱zhang.san@qq.com"), "邮箱z***@qq.com");
        assert_eq!(mask_text("加微信：zs_2024abc 谢谢"), "加微信：z**** 谢谢");
        assert_eq!(mask_text("送到，科技园路18号A座"), "送到，****A座");
        assert_eq!(mask_text("请尽快发货，红色"), "请尽快发货，红色");
        let tricky = mask_text("a@13812345678.com");
        assert!(!tricky.contains("13812345678"), "{tricky}");
    }
}
