//! Parsing the workbench's `Package` JSON (list and detail answers, SPEC.md "API").
//!
//! The page's answers are untrusted input: every field is checked here once, so the rest of
//! the core works with typed values. A package that cannot be read is rejected with a reason
//! naming its position and field, never half-accepted. Buyer fields come out of here as they
//! arrived (possibly plaintext after a decrypt); `transit::collect` masks them before storing.

use crate::chinaday::parse_china_datetime;
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

/// The package statuses SPEC.md lists; other codes are kept as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageStatus {
    /// 4 or 5: 待发货, waiting to be shipped.
    Pending(u32),
    /// 6: 已发货.
    Shipped,
    /// 7: 已完成.
    Completed,
    /// 998: 已取消.
    Cancelled,
    /// Any other code the platform may add.
    Other(u32),
}

impl PackageStatus {
    /// Maps the platform's numeric code.
    pub fn from_code(code: u32) -> Self {
        match code {
            4 | 5 => PackageStatus::Pending(code),
            6 => PackageStatus::Shipped,
            7 => PackageStatus::Completed,
            998 => PackageStatus::Cancelled,
            other => PackageStatus::Other(other),
        }
    }

    /// The numeric code back.
    pub fn code(self) -> u32 {
        match self {
            PackageStatus::Pending(c) | PackageStatus::Other(c) => c,
            PackageStatus::Shipped => 6,
            PackageStatus::Completed => 7,
            PackageStatus::Cancelled => 998,
        }
    }

    /// True while the package waits to be shipped (待发货).
    pub fn is_pending(self) -> bool {
        matches!(self, PackageStatus::Pending(_))
    }
}

/// The buyer block of a package, exactly as received (masked or, after a decrypt, plain).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInfo {
    /// Recipient name.
    pub receiver: String,
    /// Recipient phone.
    pub phone: String,
    /// Recipient address.
    pub address: String,
    /// The buyer's remark (free text).
    pub buyer_remark: String,
}

/// One order line of a package.
#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    /// The platform's SKU ID (routes are remembered per SKU).
    pub sku_id: String,
    /// Product name.
    pub name: String,
    /// Specification text (颜色/尺码 …).
    pub spec: String,
    /// Quantity ordered.
    pub quantity: u32,
    /// Unit price in yuan, when given.
    pub price: Option<f64>,
}

/// A package as read from one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// `P` followed by 15 or more digits.
    pub package_id: String,
    /// The platform order ID (may be empty).
    pub order_id: String,
    /// Paid time, epoch ms.
    pub paid_at_ms: i64,
    /// Amount paid in yuan, when given.
    pub actual_paid: Option<f64>,
    /// Status code.
    pub status: PackageStatus,
    /// The platform's status text.
    pub status_desc: String,
    /// After-sale status text (退款中 …), may be empty.
    pub after_sale_status_desc: String,
    /// Buyer block, unmasked here if the page had decrypted it.
    pub user_info: UserInfo,
    /// Order lines.
    pub skus: Vec<Sku>,
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

/// Reads the packages of a list answer (`data.packages`) or a detail answer (`data` is one
/// package). Accepts the whole `{code, success, msg, data}` envelope or just its `data`.
/// Unreadable packages are returned as [`Rejected`]; the readable ones are still used.
pub fn parse_answer(answer: &Value) -> Result<(Vec<Package>, Vec<Rejected>), OrderError> {
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
        Value::Object(o) if o.contains_key("packageId") => vec![data],
        _ => return Err(OrderError::BadAnswer("既没有 packages 也没有 packageId".into())),
    };
    let mut ok: Vec<Package> = Vec::new();
    let mut rejected = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match parse_package(item, i + 1) {
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
                package_id: item.get("packageId").and_then(Value::as_str).map(str::to_string),
                reason: e.to_string(),
            }),
        }
    }
    Ok((ok, rejected))
}

/// Parses one `Package` object; `index` (1-based) is only used in error messages.
pub fn parse_package(v: &Value, index: usize) -> Result<Package, OrderError> {
    let bad = |id: &str, field: &'static str, reason: &str| OrderError::BadField {
        index,
        id: if id.is_empty() { String::new() } else { format!(" {id} ") },
        field,
        reason: reason.to_string(),
    };
    let package_id = v
        .get("packageId")
        .and_then(Value::as_str)
        .map(str::trim)
        .ok_or_else(|| bad("", "packageId", "缺失或不是文本"))?;
    if !is_package_id(package_id) {
        return Err(bad("", "packageId", &format!("“{package_id}” 不是 P+15 位以上数字")));
    }
    let id = package_id;
    let paid_at_ms = match v.get("paidAt") {
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .ok_or_else(|| bad(id, "paidAt", "不是整数毫秒"))?,
        Some(Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(ms) => ms,
            Err(_) => {
                parse_china_datetime(s).ok_or_else(|| bad(id, "paidAt", "不是毫秒数，也不是 YYYY-MM-DD HH:mm:ss"))?
            }
        },
        _ => return Err(bad(id, "paidAt", "缺失")),
    };
    // Before 2000 or after 2100 is a unit mix-up (seconds, not ms), not a real payment.
    if !(946_684_800_000..=4_102_444_800_000).contains(&paid_at_ms) {
        return Err(bad(id, "paidAt", "时间超出合理范围（应为毫秒）"));
    }
    let status_code = match v.get("status") {
        Some(Value::Number(n)) => n.as_u64().and_then(|c| u32::try_from(c).ok()),
        Some(Value::String(s)) => s.trim().parse::<u32>().ok(),
        _ => None,
    }
    .ok_or_else(|| bad(id, "status", "缺失或不是数字"))?;
    let user = v.get("userInfo").unwrap_or(&Value::Null);
    if !(user.is_object() || user.is_null()) {
        return Err(bad(id, "userInfo", "不是对象"));
    }
    let user_info = UserInfo {
        receiver: text(user, "receiver"),
        phone: text(user, "phone"),
        address: text(user, "address"),
        buyer_remark: text(user, "buyerRemark"),
    };
    let skus = match v.get("skus") {
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(j, s)| parse_sku(s).map_err(|r| bad(id, "skus", &format!("第 {} 项：{r}", j + 1))))
            .collect::<Result<Vec<_>, _>>()?,
        None | Some(Value::Null) => Vec::new(),
        _ => return Err(bad(id, "skus", "不是数组")),
    };
    Ok(Package {
        package_id: package_id.to_string(),
        order_id: text(v, "orderId"),
        paid_at_ms,
        actual_paid: number(v, "actualPaid"),
        status: PackageStatus::from_code(status_code),
        status_desc: text(v, "statusDesc"),
        after_sale_status_desc: text(v, "afterSaleStatusDesc"),
        user_info,
        skus,
    })
}

fn parse_sku(v: &Value) -> Result<Sku, String> {
    if !v.is_object() {
        return Err("不是对象".into());
    }
    let quantity = match v.get("quantity") {
        Some(Value::Number(n)) => n.as_u64().and_then(|q| u32::try_from(q).ok()),
        Some(Value::String(s)) => s.trim().parse::<u32>().ok(),
        None | Some(Value::Null) => Some(1),
        _ => None,
    }
    .ok_or_else(|| "quantity 不是非负整数".to_string())?;
    Ok(Sku {
        sku_id: text(v, "skuId"),
        name: text(v, "name"),
        spec: text(v, "spec"),
        quantity,
        price: number(v, "price"),
    })
}

/// A text field; numbers are accepted as their decimal text (IDs sometimes come as numbers).
fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn number(v: &Value, key: &str) -> Option<f64> {
    match v.get(key) {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pkg(id: &str, paid: Value) -> Value {
        json!({"packageId": id, "orderId": "O1", "paidAt": paid, "actualPaid": 12.5,
               "status": 4, "statusDesc": "待发货",
               "userInfo": {"receiver": "张**", "phone": "138****1234",
                            "address": "广东省深圳市南山区****", "buyerRemark": ""},
               "skus": [{"skuId": "S1", "name": "杯子", "spec": "红色", "quantity": 2, "price": 6.25}]})
    }

    #[test]
    fn reads_list_answer_envelope_with_ms_and_string_times() {
        let ans = json!({"code": 0, "success": true, "msg": "", "data": {"total": 2, "packages": [
            pkg("P123456789012345", json!(1_795_000_000_000_i64)),
            pkg("P1234567890123456", json!("2026-11-21 08:00:00")),
        ]}});
        let (ok, rej) = parse_answer(&ans).expect("parses");
        assert!(rej.is_empty());
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].paid_at_ms, 1_795_000_000_000);
        assert_eq!(ok[1].paid_at_ms, parse_china_datetime("2026-11-21 08:00:00").unwrap());
        assert_eq!(ok[0].skus[0].quantity, 2);
        assert!(ok[0].status.is_pending());
    }

    #[test]
    fn rejects_bad_package_ids_with_a_reason() {
        let ans = json!({"packages": [pkg("P12345", json!(1_795_000_000_000_i64)),
                                      pkg("X123456789012345", json!(1_795_000_000_000_i64))]});
        let (ok, rej) = parse_answer(&ans).expect("answer shape ok");
        assert!(ok.is_empty());
        assert_eq!(rej.len(), 2);
        assert!(rej[0].reason.contains("packageId"), "{}", rej[0].reason);
        assert_eq!(rej[1].index, 2);
    }

    #[test]
    fn detail_answer_and_failures() {
        let detail = json!({"success": true, "code": 0, "msg": "", "data": pkg("P123456789012345", json!(1_795_000_000_000_i64))});
        assert_eq!(parse_answer(&detail).expect("ok").0.len(), 1);
        let refused = json!({"success": false, "code": 1, "msg": "今日解密次数已用完", "data": null});
        assert_eq!(parse_answer(&refused), Err(OrderError::Refused("今日解密次数已用完".into())));
        assert!(matches!(parse_answer(&json!({"foo": 1})), Err(OrderError::BadAnswer(_))));
        let bad_time = json!({"packages": [pkg("P123456789012345", json!("昨天"))]});
        assert!(parse_answer(&bad_time).expect("shape").1[0].reason.contains("paidAt"));
        let secs = json!({"packages": [pkg("P123456789012345", json!(1_795_000_000_i64))]});
        assert_eq!(parse_answer(&secs).expect("shape").1.len(), 1);
    }
}
