//! The stored form of a shop's packages, as held in memory: a live snapshot keeps 50,000 of
//! them for as long as the worker runs, so each is kept small ([`crate::text`]: texts that
//! repeat across the shop held once, unique ones exact-size, the package ID one block shared by
//! the map key, the record and the indexes; the rare edits and the lines boxed apart). The JSON
//! they read and write is the same as when every text was a `String`.

use crate::order::mask::MaskedBuyer;
use crate::text::{IdText, Shared, Text};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A package ID (`P…`) as held: one block shared by every place that holds it.
pub type PackageId = IdText;

/// Pending packages by package ID.
pub type Packages = BTreeMap<PackageId, Box<StoredPackage>>;

/// One order line, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredSku {
    /// Platform SKU ID.
    pub sku_id: Shared,
    /// Product name.
    pub name: Shared,
    /// Specification.
    pub spec: Shared,
    /// Quantity; `None` when the page's answer had none readable (shown as "—").
    pub quantity: Option<u32>,
}

/// What the seller typed for the warehouse (editable before export).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackageEdits {
    /// Where the goods were bought (淘宝, 拼多多, 1688 …).
    pub upstream_platform: String,
    /// The upstream shop's order number.
    pub upstream_order_no: String,
    /// The tracking number of the parcel coming into the warehouse.
    pub inbound_tracking: String,
    /// Free notes for the warehouse.
    pub notes: String,
}

/// No edits (what a package without any reads).
static NO_EDITS: PackageEdits = PackageEdits {
    upstream_platform: String::new(),
    upstream_order_no: String::new(),
    inbound_tracking: String::new(),
    notes: String::new(),
};

/// A package's edits: one word while it has none (most packages never have any). Reads and
/// writes as [`PackageEdits`], all four fields, empty or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits(Option<Box<PackageEdits>>);

impl Edits {
    /// The edits, to change; call [`Edits::tidy`] after.
    pub fn get_mut(&mut self) -> &mut PackageEdits {
        self.0.get_or_insert_with(Box::default)
    }

    /// Lets the edits go when every field is empty again.
    pub fn tidy(&mut self) {
        if self.0.as_deref() == Some(&NO_EDITS) {
            self.0 = None;
        }
    }
}

impl std::ops::Deref for Edits {
    type Target = PackageEdits;
    fn deref(&self) -> &PackageEdits {
        self.0.as_deref().unwrap_or(&NO_EDITS)
    }
}

impl From<PackageEdits> for Edits {
    fn from(e: PackageEdits) -> Self {
        let mut edits = Edits(Some(Box::new(e)));
        edits.tidy();
        edits
    }
}

impl Serialize for Edits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Edits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PackageEdits::deserialize(d).map(Edits::from)
    }
}

/// A pending package, buyer fields masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredPackage {
    /// `P…`.
    pub package_id: PackageId,
    /// Platform order ID.
    pub order_id: Text,
    /// Paid time (or order time), epoch ms; `None` when the answer had none readable.
    #[serde(default)]
    pub paid_at_ms: Option<i64>,
    /// Status code, when the answer had one.
    #[serde(default)]
    pub status: Option<u32>,
    /// Status text.
    pub status_desc: Shared,
    /// The code and the text disagree, or neither is known: listed, never shipped by a run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unclear: bool,
    /// The answers call it waiting, but its row on the list showed no 发货 control: status
    /// unclear too (`rowsignal`), until its row shows one again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_ship_button: bool,
    /// After-sale text, may be empty.
    pub after_sale_status_desc: Shared,
    /// Masked buyer fields.
    pub buyer: MaskedBuyer,
    /// Order lines, held at their exact length (a boxed slice would save a word but compile
    /// its own clone and drop: module size).
    #[serde(deserialize_with = "read_exact")]
    pub skus: Vec<StoredSku>,
    /// When RedShip first saw it.
    pub first_seen_ms: i64,
    /// The seller's edits.
    #[serde(default)]
    pub edits: Edits,
}

/// Reads a list held at its exact length: a list read grows by doubling from 4 (serde cannot
/// know its length ahead), so a package's one SKU line would hold room for four.
fn read_exact<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let mut v = Vec::deserialize(d)?;
    v.shrink_to_fit();
    Ok(v)
}

/// A package that left the pending list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClosedPackage {
    /// The status it was last seen with.
    pub status: u32,
    /// When it was seen so.
    pub at_ms: i64,
    /// Its row on the list still offered 发货: status unclear (`rowsignal`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ship_button: bool,
}

/// Reads a packages map (`#[serde(deserialize_with)]`): each package's ID shares its key's block
/// when they are equal.
pub(crate) fn read_packages<'de, D: Deserializer<'de>>(d: D) -> Result<Packages, D::Error> {
    d.deserialize_map(PackagesVisitor)
}

struct PackagesVisitor;

impl<'de> serde::de::Visitor<'de> for PackagesVisitor {
    type Value = Packages;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("packages by package ID")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Packages, A::Error> {
        let mut packages = Packages::new();
        while let Some((id, mut p)) = map.next_entry::<PackageId, Box<StoredPackage>>()? {
            if p.package_id == id {
                p.package_id = id.clone();
            }
            packages.insert(id, p);
        }
        Ok(packages)
    }
}
