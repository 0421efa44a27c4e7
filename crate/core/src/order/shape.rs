//! The shape of a package as the page sent it: field paths and value types, never values. The
//! self-check's diagnostic report carries it, so whoever supports a merchant can see which names
//! the workbench uses now without seeing any buyer's data.

use serde_json::Value;
use std::collections::BTreeMap;

/// How deep paths go (`userInfo.name` is 2, `skus[].scskus[].name` is 3).
const DEPTH: usize = 3;
/// At most this many paths (a hostile answer could have thousands of keys).
const MAX_PATHS: usize = 80;

/// JSON's name for the type of `v`.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `path → type` for every field of `v`, arrays read through their first element (`skus[]`).
/// Keys are kept only when they look like field names (letters, digits, `_`, up to 40), so a
/// key made of buyer text never reaches a report.
pub fn shape_of(v: &Value) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    walk(v, String::new(), 0, &mut out);
    out
}

fn walk(v: &Value, path: String, depth: usize, out: &mut BTreeMap<String, &'static str>) {
    if out.len() >= MAX_PATHS {
        return;
    }
    match v {
        Value::Object(o) if depth < DEPTH => {
            for (k, x) in o {
                if !is_field_name(k) {
                    continue;
                }
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                out.insert(p.clone(), type_name(x));
                walk(x, p, depth + 1, out);
            }
        }
        Value::Array(a) if depth < DEPTH => {
            if let Some(first) = a.first() {
                let p = format!("{path}[]");
                if first.is_object() {
                    walk(first, p, depth, out);
                } else {
                    out.insert(p, type_name(first));
                }
            }
        }
        _ => {}
    }
}

fn is_field_name(k: &str) -> bool {
    !k.is_empty() && k.len() <= 40 && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_types_never_values() {
        let p = json!({"packageId": "P123456789012345", "paidAt": "2026-12-05 14:03:22", "status": 2,
                       "userInfo": {"name": "王**", "phone": "+86138****5678", "张三": "x"},
                       "skus": [{"displayName": "杯子", "skuQuantity": 1, "scskus": [{"name": "a"}]}], "tags": ["NO_LOGISTICS"]});
        let s = shape_of(&p);
        assert_eq!(s["paidAt"], "string");
        assert_eq!(s["status"], "number");
        assert_eq!(s["userInfo.name"], "string");
        assert_eq!(s["skus"], "array");
        assert_eq!(s["skus[].skuQuantity"], "number");
        assert_eq!(s["skus[].scskus"], "array");
        assert_eq!(s["tags[]"], "string");
        assert!(!s.keys().any(|k| k.contains("张三")), "a key that is not a field name is left out");
        let text = format!("{s:?}");
        for value in ["P123456789012345", "王**", "138", "杯子", "NO_LOGISTICS"] {
            assert!(!text.contains(value), "{value} in {text}");
        }
    }
}
