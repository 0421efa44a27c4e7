//! Test fixtures: package JSON as the workbench's list answers carry it (the seen spelling,
//! SPEC.md "`Package` [seen]"; times in ms, which the seen clients also read).

use serde_json::{json, Value};

/// 2026-11-21 12:00 China time.
pub const NOW: i64 = 1_795_233_600_000;
pub const HOUR: i64 = 3_600_000;

/// A pending package with platform-masked buyer fields and one SKU.
pub fn pkg(n: u32, status: u32, paid_ms: i64, sku: &str) -> Value {
    json!({
        "packageId": format!("P20261121{n:08}"),
        "orderId": format!("O{n}"),
        "paidAt": paid_ms,
        "actualPaid": 19.9,
        "status": status,
        "statusDesc": match status { 1 | 2 | 4 | 5 | 26 => "待发货", 6 => "已发货", 7 => "已完成", 998 => "已取消", _ => "其他" },
        "afterSaleStatusDesc": "无售后",
        "userInfo": {"name": "张**", "phone": "138****1234", "province": "广东省", "city": "深圳市",
                     "district": "南山区", "address": "****", "note": ""},
        "skus": [{"skuId": sku, "displayName": "陶瓷杯", "skuSpecification": "白色 350ml", "skuQuantity": 1, "skuSoldPrice": 19.9}]
    })
}

/// The package ID `pkg(n, …)` gets.
pub fn id(n: u32) -> String {
    format!("P20261121{n:08}")
}

/// A list answer envelope.
pub fn page(packages: Vec<Value>) -> Value {
    json!({"code": 0, "success": true, "msg": "", "data": {"total": packages.len(), "packages": packages}})
}

/// The same package after the seller decrypted it on the page: plain buyer fields.
pub fn decrypted(mut p: Value) -> Value {
    p["userInfo"] = json!({"name": "张三丰", "phone": "13812345678", "province": "广东省", "city": "深圳市",
        "district": "南山区", "address": "科技园南路18号腾讯大厦A座2001室",
        "note": "到了打我电话13912345678，或微信 zsf_2024，身份证11010519491231002X"});
    p
}
