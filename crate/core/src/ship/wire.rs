//! The JSON forms of the import: the requests as they are read, and the preview.
//!
//! The preview's JSON form. A preview of 10,000 rows crosses to JS (and on to the ship page) as
//! one JSON text, so it is laid out by column: one array per field instead of an object with
//! ten keys per row, couriers and the courier texts as written referred to by position in one
//! table each, and the few things most rows lack (reasons, cells that normalising changed) listed
//! apart with the position of their row. `extension/common/preview.js` turns it back into row
//! objects.
//!
//! ```text
//! { counts, couriers: [{code, name}], written: ["顺丰", …],
//!   rows: { row: [2, …], packageId: "P…\nP…", number: "SF…\n…" (normalised codes, which
//!           hold no whitespace, joined by line breaks: one string per column),
//!           courier: [0, …] (position in couriers, −1: none),
//!           written: [0, …] (position in written: the courier cell as given),
//!           verdict: "0021…" (one digit a row: 0 ok, 1 warning, 2 error),
//!           fillable: "1100…" (one digit a row: 1 fillable, 0 not) },
//!   reasons: [{at, code, level, message, messageEn}]  (at: row position; in row order),
//!   given: [{at, packageId, number}]  (rows whose package ID or number normalising changed:
//!                                      the cells as given),
//!   …source facts (encoding, sheets, sheet, headerRow, …) }
//! ```

use super::pace::Pace;
use super::plan::{FillMode, PlanRequest};
use super::validate::{PreviewCounts, PreviewRow, PreviewView, Reason, SourceMeta, Verdict};
use super::{
    CourierEntry, ImportRequest, ImportSource, KnownOrder, RawEntry, RevalidateRequest, UsedNumber, ValidationContext,
};
use crate::hash::FastMap;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a request's reading form: its own fields, then the [`ValidationContext`]'s fields at
/// the top level, without `#[serde(flatten)]`, which would first copy the whole request (10,000
/// known orders) into serde's generic buffer and then read it a second time. One definition of
/// how the context is read, for the three requests that carry it.
macro_rules! context_wire {
    ($(#[$doc:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub(super) struct $name {
            $($(#[$fm])* $field: $ty,)*
            #[serde(default, with = "super::known_wire")]
            known_orders: Vec<KnownOrder>,
            #[serde(default, deserialize_with = "null_as_none")]
            used_numbers: Vec<UsedNumber>,
            #[serde(default)]
            couriers: Vec<CourierEntry>,
        }
    };
}

/// A list sent as `null` (the worker has none yet) reads as empty.
fn null_as_none<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The context read by a [`context_wire!`] form.
fn context(
    known_orders: Vec<KnownOrder>,
    used_numbers: Vec<UsedNumber>,
    couriers: Vec<CourierEntry>,
) -> ValidationContext {
    ValidationContext { known_orders, used_numbers, couriers }
}

context_wire! {
    /// [`ImportRequest`] as it is read.
    ImportWire {
        source: ImportSource,
        #[serde(default)]
        text: Option<String>,
        #[serde(default, with = "super::bytes_field")]
        bytes: Option<Vec<u8>>,
        #[serde(default)]
        sheet: Option<String>,
    }
}

impl From<ImportWire> for ImportRequest {
    fn from(w: ImportWire) -> Self {
        let context = context(w.known_orders, w.used_numbers, w.couriers);
        Self { source: w.source, text: w.text, bytes: w.bytes, sheet: w.sheet, context }
    }
}

context_wire! {
    /// [`RevalidateRequest`] as it is read.
    RevalidateWire {
        rows: Vec<RawEntry>,
    }
}

impl From<RevalidateWire> for RevalidateRequest {
    fn from(w: RevalidateWire) -> Self {
        Self { rows: w.rows, context: context(w.known_orders, w.used_numbers, w.couriers) }
    }
}

context_wire! {
    /// [`PlanRequest`] as it is read.
    PlanWire {
        run_id: String,
        mode: FillMode,
        rows: Vec<RawEntry>,
        #[serde(default)]
        pace: Pace,
        now_ms: i64,
    }
}

impl From<PlanWire> for PlanRequest {
    fn from(w: PlanWire) -> Self {
        let context = context(w.known_orders, w.used_numbers, w.couriers);
        Self { run_id: w.run_id, mode: w.mode, rows: w.rows, context, pace: w.pace, now_ms: w.now_ms }
    }
}

impl Serialize for PreviewView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut written: Vec<&str> = Vec::new();
        let mut seen: FastMap<&str, usize> = FastMap::default();
        let written_at: Vec<usize> = self
            .rows
            .iter()
            .map(|r| {
                *seen.entry(r.raw.courier.as_str()).or_insert_with(|| {
                    written.push(&r.raw.courier);
                    written.len() - 1
                })
            })
            .collect();
        // Where each platform courier sits in the list, looked up once per row (the first of two
        // equal entries wins, as a scan would find it).
        let mut listed: FastMap<(&str, &str), i64> = FastMap::default();
        for (i, c) in self.couriers.iter().enumerate().rev() {
            listed.insert((c.code.as_str(), c.name.as_str()), i as i64);
        }
        let courier_at: Vec<i64> = self
            .rows
            .iter()
            .map(|r| match r.courier_code.is_empty() {
                true => -1,
                false => listed.get(&(r.courier_code.as_str(), r.courier_name.as_str())).copied().unwrap_or(-1),
            })
            .collect();
        Wire {
            counts: &self.counts,
            couriers: &self.couriers,
            written: &written,
            rows: Columns { rows: &self.rows, courier: &courier_at, written: &written_at },
            reasons: Reasons(&self.rows),
            given: Givens(&self.rows),
            meta: &self.meta,
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    counts: &'a PreviewCounts,
    couriers: &'a [CourierEntry],
    written: &'a [&'a str],
    rows: Columns<'a>,
    reasons: Reasons<'a>,
    given: Givens<'a>,
    #[serde(flatten)]
    meta: &'a SourceMeta,
}

/// One array per field, in row order.
struct Columns<'a> {
    rows: &'a [PreviewRow],
    courier: &'a [i64],
    written: &'a [usize],
}

impl<'a> Serialize for Columns<'a> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows: &'a [PreviewRow] = self.rows;
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("row", &Column(rows, |r: &PreviewRow| r.row))?;
        m.serialize_entry("packageId", &lines(rows, |r| &r.package_id))?;
        m.serialize_entry("number", &lines(rows, |r| &r.number))?;
        m.serialize_entry("courier", self.courier)?;
        m.serialize_entry("written", self.written)?;
        m.serialize_entry("verdict", &digits(rows, |r| verdict_code(r.verdict)))?;
        m.serialize_entry("fillable", &digits(rows, |r| u8::from(r.fillable)))?;
        m.end()
    }
}

/// A normalised code of every row, joined by line breaks: one JSON string instead of 10,000
/// (normalising removes every whitespace character, so a code never holds one).
fn lines(rows: &[PreviewRow], code: impl Fn(&PreviewRow) -> &String) -> String {
    let mut out = String::with_capacity(rows.iter().map(|r| code(r).len() + 1).sum());
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(code(r));
    }
    out
}

/// A one-digit code of every row, as one text (an array of 10,000 small numbers or booleans costs
/// several times more to write and, in JS, to parse).
fn digits(rows: &[PreviewRow], code: impl Fn(&PreviewRow) -> u8) -> String {
    rows.iter().map(|r| char::from(b'0' + code(r))).collect()
}

fn verdict_code(v: Verdict) -> u8 {
    match v {
        Verdict::Ok => 0,
        Verdict::Warning => 1,
        Verdict::Error => 2,
    }
}

/// One field of every row, as an array.
struct Column<'a, F>(&'a [PreviewRow], F);

impl<'a, T: Serialize, F: Fn(&'a PreviewRow) -> T> Serialize for Column<'a, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(&self.1))
    }
}

/// A reason with the position of its row.
#[derive(Serialize)]
struct AtReason<'a> {
    at: usize,
    #[serde(flatten)]
    reason: &'a Reason,
}

/// Every row's reasons, in row order.
struct Reasons<'a>(&'a [PreviewRow]);

impl Serialize for Reasons<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let all = self.0.iter().enumerate();
        s.collect_seq(all.flat_map(|(at, r)| r.reasons.iter().map(move |reason| AtReason { at, reason })))
    }
}

/// The cells as given of a row whose package ID or number normalising changed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Given<'a> {
    at: usize,
    package_id: &'a str,
    number: &'a str,
}

/// The rows whose package ID or number normalising changed, in row order.
struct Givens<'a>(&'a [PreviewRow]);

impl Serialize for Givens<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let changed =
            self.0.iter().enumerate().filter(|(_, r)| r.raw.package_id != r.package_id || r.raw.number != r.number);
        s.collect_seq(changed.map(|(at, r)| Given { at, package_id: &r.raw.package_id, number: &r.raw.number }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::validate::{validate, SourceMeta};
    use super::super::{KnownOrder, RawEntry, ValidationContext};
    use serde_json::json;

    #[test]
    fn rows_are_columns_that_refer_to_one_courier_table() {
        let ctx = ValidationContext {
            known_orders: vec![KnownOrder { package_id: "P100000000000001".into(), waiting: true, unclear: false }],
            ..ValidationContext::default()
        };
        let entry = |row: usize, pkg: &str, courier: &str, number: &str| RawEntry {
            row,
            package_id: pkg.into(),
            courier: courier.into(),
            number: number.into(),
        };
        let rows = vec![
            entry(2, "P100000000000001", "中通", "7730 1234 5678"),
            entry(3, "p100000000000009", "", ""),
            entry(5, "P100000000000001", "中通", "773012345678"),
        ];
        let v = serde_json::to_value(validate(rows, &ctx, SourceMeta::default())).unwrap();
        assert_eq!(v["couriers"][1], json!({"code": "zto", "name": "中通快递"}));
        assert_eq!(v["written"], json!(["中通", ""]));
        assert_eq!(
            v["rows"],
            json!({
                "row": [2, 3, 5],
                "packageId": "P100000000000001\nP100000000000009\nP100000000000001",
                "number": "773012345678\n\n773012345678",
                "courier": [1, -1, 1],
                "written": [0, 1, 0],
                "verdict": "021",
                "fillable": "100",
            })
        );
        let codes: Vec<(u64, &str, &str)> = v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["at"].as_u64().unwrap(), r["code"].as_str().unwrap(), r["level"].as_str().unwrap()))
            .collect();
        assert_eq!(codes, [(1, "not-seen", "error"), (1, "missing-number", "error"), (2, "repeated-row", "warning"),]);
        assert!(v["reasons"][0]["message"].as_str().unwrap().contains("P100000000000009"));
        assert_eq!(
            v["given"],
            json!([
                {"at": 0, "packageId": "P100000000000001", "number": "7730 1234 5678"},
                {"at": 1, "packageId": "p100000000000009", "number": ""},
            ])
        );
        assert_eq!(v["counts"]["error"], 1);
    }
}
