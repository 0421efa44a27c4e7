//! The preview's transport form. A preview of 10,000 rows crosses to JS (and on to the ship page)
//! laid out by column: one array or text per field instead of an object with ten keys per row,
//! couriers and the courier texts as written referred to by position in one table each, and the
//! few things most rows lack (reasons, cells that normalising changed) listed apart with the
//! position of their row. `extension/common/preview.js` turns it back into row objects.
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

use redship_core::hash::FastMap;
use redship_core::ship::validate::{PreviewCounts, SourceMeta};
use redship_core::ship::{CourierEntry, PreviewRow, PreviewView, Reason, Verdict};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A [`PreviewView`] in its transport form (see the module notes): `to_js(&PreviewForm(&view))`.
pub struct PreviewForm<'a>(pub &'a PreviewView);

impl Serialize for PreviewForm<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let view = self.0;
        let mut written: Vec<&str> = Vec::new();
        let mut seen: FastMap<&str, usize> = FastMap::default();
        let written_at: Vec<usize> = view
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
        for (i, c) in view.couriers.iter().enumerate().rev() {
            listed.insert((c.code.as_str(), c.name.as_str()), i as i64);
        }
        let courier_at: Vec<i64> = view
            .rows
            .iter()
            .map(|r| match r.courier_code.is_empty() {
                true => -1,
                false => listed.get(&(r.courier_code.as_str(), r.courier_name.as_str())).copied().unwrap_or(-1),
            })
            .collect();
        Form {
            counts: &view.counts,
            couriers: &view.couriers,
            written: &written,
            rows: Columns { rows: &view.rows, courier: &courier_at, written: &written_at },
            reasons: Reasons(&view.rows),
            given: Givens(&view.rows),
            meta: &view.meta,
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Form<'a> {
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
