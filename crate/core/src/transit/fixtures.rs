//! Test fixtures: package JSON as the workbench's list answers carry it.

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
        "statusDesc": if status == 4 { "待发货" } else { "其他" },
        "afterSaleStatusDesc": "",
        "userInfo": {"receiver": "张**", "phone": "138****1234",
                     "address": "广东省深圳市南山区****", "buyerRemark": ""},
        "skus": [{"skuId": sku, "name": "陶瓷杯", "spec": "白色 350ml", "quantity": 1, "price": 19.9}]
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
    p["userInfo"] = json!({"receiver": "张三丰", "phone": "13812345678",
        "address": "广东省深圳市南山区科技园南路18号腾讯大厦A座2001室",
        "buyerRemark": "到了打我电话13912345678，或微信 zsf_2024，身份证11010519491231002X"});
    p
}
