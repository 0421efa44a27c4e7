//! Parsing the workbench's `Package` JSON (list and detail answers, SPEC.md "API").
//!
//! The page's answers are untrusted input, read once here through the site profile's field map
//! ([`super::profile`]), so the rest of the core works with typed values. Only the package ID is
//! required: a package without a readable one is rejected with a reason naming its position;
//! any other field missing or odd is left empty and listed as a [`Gap`], never a rejection.
//! Buyer fields come out of here as they arrived (possibly plaintext after a decrypt);
//! `transit::collect` masks them before storing.

use super::profile::{FieldMap, Names, ShipState, SiteProfile};
use serde_json::Value;
use thiserror::Error;

/// Why a package or an answer could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrderError {
    /// The answer is not the `{code, success, msg, data}` shape SPEC.md describes.
    #[error("无法识别的订单接口返回：{0} (unrecognised order answer)")]
    BadAnswer(String),
    /// The platform answered with `success: false`.
    #[error("平台返回失败：{0} (the platform refused the request)")]
    Refused(String),
    /// One field of one package is missing or malformed.
    #[error("第 {index} 个包裹{id}的字段 {field} 无效：{reason} (invalid field)")]
    BadField {
        /// Position of the package in the answer (1-based).
        index: usize,
        /// ` P…` when the package ID was readable, empty otherwise.
        id: String,
        /// The JSON field name.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A request names a package RedShip has not collected.
    #[error("未找到包裹 {0}：请先在工作台订单列表中浏览它 (unknown package)")]
    UnknownPackage(String),
    /// A request field is invalid (edits, routes).
    #[error("{field} 无效：{reason} (invalid request)")]
    BadRequest {
        /// The request field.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// The buyer block of a package, exactly as received (masked or, after a decrypt, plain).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInfo {
    /// Recipient name.
    pub receiver: String,
    /// Recipient phone.
    pub phone: String,
    /// Recipient address: the profile's address parts joined (province, city, district, street).
    pub address: String,
    /// The buyer's remark (free text).
    pub buyer_remark: String,
}

/// One order line of a package (a bundle's nested lines are lines of their own).
#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    /// The platform's SKU ID (routes are remembered per SKU); a nested line without its own ID
    /// takes its bundle's.
    pub sku_id: String,
    /// Product name.
    pub name: String,
    /// Specification text (颜色/尺码 …).
    pub spec: String,
    /// Quantity ordered; `None` when missing or not a whole number (shown as "—", never guessed).
    pub quantity: Option<u32>,
    /// Unit price in yuan, when given.
    pub price: Option<f64>,
}

/// A field of a package that was missing or could not be read: the package is still used, the
/// field shows as "—", and the self-check counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Gap {
    /// The field, as the profile's `packages` part names it (`time`, `buyer.name`, `lines.quantity` …).
    pub field: &'static str,
    /// True when a value was there but could not be read; false when none was there.
    pub odd: bool,
}

/// A package as read from one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// `P` followed by 15 or more digits.
    pub package_id: String,
    /// The platform order ID (may be empty).
    pub order_id: String,
    /// Paid time (or order time), epoch ms, when readable.
    pub paid_at_ms: Option<i64>,
    /// Amount paid in yuan, when given.
    pub actual_paid: Option<f64>,
    /// Status code, when readable.
    pub status_code: Option<u32>,
    /// The platform's status text.
    pub status_desc: String,
    /// Whether it waits to ship, from the code and the text together.
    pub state: ShipState,
    /// After-sale status text (退款中 …), may be empty.
    pub after_sale_status_desc: String,
    /// Buyer block, unmasked here if the page had decrypted it.
    pub user_info: UserInfo,
    /// Order lines.
    pub skus: Vec<Sku>,
    /// Fields missing or unreadable.
    pub gaps: Vec<Gap>,
}

/// A package of an answer that was not accepted, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// 1-based position in the answer.
    pub index: usize,
    /// The package ID if it was readable.
    pub package_id: Option<String>,
    /// Human reason.
    pub reason: String,
}

/// True for `P` followed by 15 or more ASCII digits.
pub fn is_package_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16 && b[0] == b'P' && b[1..].iter().all(u8::is_ascii_digit)
}

/// The package ID of a raw package as the profile finds it (trimmed), when it is text.
pub fn raw_id<'a>(v: &'a Value, profile: &SiteProfile) -> Option<&'a str> {
    profile.fields.id.values(v).find_map(Value::as_str).map(str::trim)
}

/// Reads the packages of a list answer (`data.packages`) or a detail answer (`data` is one
/// package). Accepts the whole `{code, success, msg, data}` envelope or just its `data`.
/// Unreadable packages are returned as [`Rejected`]; the readable ones are still used.
pub fn parse_answer(answer: &Value, profile: &SiteProfile) -> Result<(Vec<Package>, Vec<Rejected>), OrderError> {
    let data = match answer.get("success") {
        Some(Value::Bool(false)) => {
            let msg = answer.get("msg").and_then(Value::as_str).unwrap_or("");
            return Err(OrderError::Refused(msg.to_string()));
        }
        Some(_) => answer.get("data").ok_or_else(|| OrderError::BadAnswer("缺少 data".into()))?,
        None => answer,
    };
    let items: Vec<&Value> = match data {
        Value::Object(o) if o.contains_key("packages") => match &o["packages"] {
            Value::Array(a) => a.iter().collect(),
            Value::Null => Vec::new(),
            _ => return Err(OrderError::BadAnswer("packages 不是数组".into())),
        },
        Value::Object(_) if profile.fields.id.first(data).is_some() => vec![data],
        _ => return Err(OrderError::BadAnswer("既没有 packages 也没有包裹号".into())),
    };
    let mut ok: Vec<Package> = Vec::new();
    let mut rejected = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match parse_package(item, i + 1, profile) {
            // One answer naming a package twice is contradictory (which status is true?): the
            // first stands, the repeat is rejected, so the result never depends on the order.
            Ok(p) if ok.iter().any(|q| q.package_id == p.package_id) => rejected.push(Rejected {
                index: i + 1,
                package_id: Some(p.package_id),
                reason: "同一个回答里重复出现的包裹号，已忽略".into(),
            }),
            Ok(p) => ok.push(p),
            Err(e) => rejected.push(Rejected {
                index: i + 1,
                package_id: raw_id(item, profile).map(str::to_string),
                reason: e.to_string(),
            }),
        }
    }
    Ok((ok, rejected))
}

/// Parses one `Package` object through the profile's field map; `index` (1-based) is only used
/// in error messages. Only the package ID is required: every other field that is missing or
/// odd is left empty and listed in [`Package::gaps`].
pub fn parse_package(v: &Value, index: usize, profile: &SiteProfile) -> Result<Package, OrderError> {
    let bad = |field: &'static str, reason: String| OrderError::BadField { index, id: String::new(), field, reason };
    if !v.is_object() {
        return Err(bad("package", "不是对象".into()));
    }
    let f = &profile.fields;
    let package_id = raw_id(v, profile).ok_or_else(|| bad("packageId", "缺失或不是文本".into()))?;
    if !is_package_id(package_id) {
        return Err(bad("packageId", format!("“{package_id}” 不是 P+15 位以上数字")));
    }
    let mut gaps = Vec::new();
    let mut gap = |field: &'static str, odd: bool| gaps.push(Gap { field, odd });
    let order_id = text_of(&f.order_id, v);
    if order_id.is_empty() {
        gap("orderId", f.order_id.first(v).is_some());
    }
    let paid_at_ms = f.time.values(v).find_map(time_ms);
    if paid_at_ms.is_none() {
        gap("time", f.time.first(v).is_some());
    }
    let code_value = f.status.first(v);
    let status_code = code_value.and_then(whole);
    let status_desc = text_of(&f.status_text, v);
    if code_value.is_some() && status_code.is_none() {
        gap("status", true);
    } else if code_value.is_none() && status_desc.is_empty() {
        gap("status", false);
    }
    let state = profile.status.classify(status_code, &status_desc);
    let b = &f.buyer;
    let user_info = UserInfo {
        receiver: text_of(&b.name, v),
        phone: text_of(&b.phone, v),
        address: join_address(b.address.iter().map(|part| text_of(part, v))),
        buyer_remark: text_of(&b.note, v),
    };
    for (field, value) in
        [("buyer.name", &user_info.receiver), ("buyer.phone", &user_info.phone), ("buyer.address", &user_info.address)]
    {
        if value.is_empty() {
            gap(field, false);
        }
    }
    let mut skus = Vec::new();
    match f.lines.list.first(v) {
        Some(Value::Array(lines)) => {
            for line in lines.iter().filter(|l| l.is_object()) {
                read_line(line, f, &mut skus);
            }
            if lines.iter().any(|l| !l.is_object()) {
                gap("lines", true);
            }
        }
        Some(_) => gap("lines", true),
        None => gap("lines", false),
    }
    if skus.iter().any(|s| s.name.is_empty()) {
        gap("lines.name", false);
    }
    if skus.iter().any(|s| s.quantity.is_none()) {
        gap("lines.quantity", true);
    }
    Ok(Package {
        package_id: package_id.to_string(),
        order_id,
        paid_at_ms,
        actual_paid: f.paid.values(v).find_map(number),
        status_code,
        status_desc,
        state,
        after_sale_status_desc: text_of(&f.after_sale_text, v),
        user_info,
        skus,
        gaps,
    })
}

/// One product line, or a bundle's nested lines in its place (each with the bundle's quantity
/// multiplied in, the bundle's SKU ID when it has none, and the bundle's name as its spec when
/// it has no spec of its own).
fn read_line(line: &Value, f: &FieldMap, out: &mut Vec<Sku>) {
    let l = &f.lines;
    let own = Sku {
        sku_id: text_of(&l.id, line),
        name: text_of(&l.name, line),
        spec: text_of(&l.spec, line),
        quantity: quantity(&l.quantity, line),
        price: l.price.values(line).find_map(number),
    };
    let nested: Vec<&Value> = match l.nested.first(line) {
        Some(Value::Array(a)) => a.iter().filter(|x| x.is_object()).collect(),
        _ => Vec::new(),
    };
    if nested.is_empty() {
        out.push(own);
        return;
    }
    let times = if l.quantity.first(line).is_some() { own.quantity } else { Some(1) };
    for n in nested {
        let spec = text_of(&l.spec, n);
        out.push(Sku {
            sku_id: Some(text_of(&l.id, n)).filter(|s| !s.is_empty()).unwrap_or_else(|| own.sku_id.clone()),
            name: text_of(&l.name, n),
            spec: if spec.is_empty() { own.name.clone() } else { spec },
            quantity: quantity(&l.quantity, n).zip(times).and_then(|(a, b)| a.checked_mul(b)),
            price: l.price.values(n).find_map(number),
        });
    }
}

/// Joins address parts, skipping a part already said (`上海市` `上海市` `浦东新区`) and letting a
/// part that repeats everything before it (a whole address under the street's name) replace it.
fn join_address(parts: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    let mut last = String::new();
    for p in parts.filter(|p| !p.is_empty()) {
        if out.is_empty() || p.starts_with(out.as_str()) {
            out.clone_from(&p);
        } else if p != last && !out.ends_with(p.as_str()) {
            out.push_str(&p);
        }
        last = p;
    }
    out
}

/// Epoch ms from ms, seconds (a 10-digit count) or China-time text; `None` for anything else,
/// or a time before 2000 or after 2100 (a unit mix-up, not a real payment).
fn time_ms(v: &Value) -> Option<i64> {
    let n = match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.is_finite() && f.fract() == 0.0).map(|f| f as i64))
        }
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| crate::chinaday::parse_china_datetime(&s.replace('/', "-")))
        }
        _ => None,
    }?;
    const MS: std::ops::RangeInclusive<i64> = 946_684_800_000..=4_102_444_800_000;
    let ms = if MS.contains(&n) { n } else { n.checked_mul(1000)? };
    MS.contains(&ms).then_some(ms)
}

/// A whole non-negative number that fits `u32`, from a number or its decimal text.
fn whole(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64))
            .and_then(|c| u32::try_from(c).ok()),
        Value::String(s) => s.trim().parse::<u32>().ok(),
        _ => None,
    }
}

fn quantity(names: &Names, v: &Value) -> Option<u32> {
    match names.first(v) {
        Some(q) => whole(q),
        None => None,
    }
}

/// The first of `names` that is text (or a number, as its decimal text: IDs sometimes come as
/// numbers), trimmed; empty when none is.
fn text_of(names: &Names, v: &Value) -> String {
    names
        .values(v)
        .find_map(|x| match x {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

#[cfg(test)]
#[path = "package_tests.rs"]
mod tests;
