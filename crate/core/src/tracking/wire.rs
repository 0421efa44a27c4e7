//! The preview's JSON form. A preview of 10,000 rows crosses to JS (and on to the ship page) as
//! one JSON text, so each row is a short array instead of an object with ten keys, couriers are
//! referred to by their position in one table, and a cell as given is only repeated when
//! normalising changed it. `extension/common/preview.js` turns it back into row objects.
//!
//! A row: `[row, packageId, number, courier, verdict, fillable, given, reasons]` where
//! `courier` is the position in the view's `couriers` (−1: none), `given` is the row as the user
//! gave it, `[packageId, courier, number]`, with `null` for a package ID or number that equals the
//! normalised one, and `reasons` are `{code, level, message, messageEn}` objects.

use super::validate::{PreviewCounts, PreviewRow, PreviewView, SourceMeta};
use super::CourierEntry;
use serde::ser::{SerializeSeq, SerializeTuple};
use serde::{Serialize, Serializer};

impl Serialize for PreviewView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Wire<'a> {
            counts: &'a PreviewCounts,
            couriers: &'a [CourierEntry],
            rows: Rows<'a>,
            #[serde(flatten)]
            meta: &'a SourceMeta,
        }
        Wire {
            counts: &self.counts,
            couriers: &self.couriers,
            rows: Rows { rows: &self.rows, couriers: &self.couriers },
            meta: &self.meta,
        }
        .serialize(s)
    }
}

struct Rows<'a> {
    rows: &'a [PreviewRow],
    couriers: &'a [CourierEntry],
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for r in self.rows {
            seq.serialize_element(&Row { r, couriers: self.couriers })?;
        }
        seq.end()
    }
}

struct Row<'a> {
    r: &'a PreviewRow,
    couriers: &'a [CourierEntry],
}

/// `None` when normalising left the cell as it was.
fn changed<'a>(given: &'a str, normal: &str) -> Option<&'a str> {
    (given != normal).then_some(given)
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let courier = if r.courier_code.is_empty() {
            -1
        } else {
            self.couriers
                .iter()
                .position(|c| c.code == r.courier_code && c.name == r.courier_name)
                .map_or(-1, |i| i as i64)
        };
        let given = (
            changed(&r.raw.package_id, &r.package_id),
            r.raw.courier.as_str(),
            changed(&r.raw.number, &r.number),
        );
        let mut t = s.serialize_tuple(8)?;
        t.serialize_element(&r.row)?;
        t.serialize_element(&r.package_id)?;
        t.serialize_element(&r.number)?;
        t.serialize_element(&courier)?;
        t.serialize_element(&r.verdict)?;
        t.serialize_element(&r.fillable)?;
        t.serialize_element(&given)?;
        t.serialize_element(&r.reasons)?;
        t.end()
    }
}

#[cfg(test)]
mod tests {
    use super::super::validate::{validate, SourceMeta};
    use super::super::{KnownOrder, RawEntry, ValidationContext};
    use serde_json::json;

    #[test]
    fn rows_are_short_arrays_that_refer_to_one_courier_table() {
        let ctx = ValidationContext {
            known_orders: vec![KnownOrder { package_id: "P100000000000001".into(), waiting: true }],
            ..ValidationContext::default()
        };
        let entry = |pkg: &str, courier: &str, number: &str| RawEntry {
            row: 2,
            package_id: pkg.into(),
            courier: courier.into(),
            number: number.into(),
        };
        let rows = vec![entry("P100000000000001", "中通", "7730 1234 5678"), entry("p100000000000009", "", "")];
        let v = serde_json::to_value(validate(rows, &ctx, SourceMeta::default())).unwrap();
        assert_eq!(v["couriers"][1], json!({"code": "zhongtong", "name": "中通快递"}));
        assert_eq!(
            v["rows"][0],
            json!([2, "P100000000000001", "773012345678", 1, "ok", true, [null, "中通", "7730 1234 5678"], []])
        );
        let second = v["rows"][1].as_array().unwrap();
        assert_eq!(
            second[..7],
            json!([2, "P100000000000009", "", -1, "error", false, ["p100000000000009", "", null]]).as_array().unwrap()[..]
        );
        assert_eq!(second[7][0]["code"], "unknown-order");
        assert_eq!(second[7][0]["level"], "error");
        assert!(second[7][0]["message"].as_str().unwrap().contains("P100000000000009"));
        assert_eq!(v["counts"]["error"], 1);
    }
}
