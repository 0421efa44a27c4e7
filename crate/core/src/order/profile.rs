//! The site profile's order part: which names each `Package` field may come under, and which
//! status codes and texts mean "waiting to ship" (SPEC.md "`Package` [seen]").
//!
//! This is data (`extension/site-profile.json`), never code: public scripts disagree on several
//! names and codes, so a wrong guess must be correctable without touching logic. The core reads
//! every package through a [`SiteProfile`] the service worker builds once from that file.

use serde::Deserialize;
use serde_json::Value;
use thiserror::Error;

/// Why a profile could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    /// Not the JSON shape this version reads.
    #[error("站点配置无法读取：{0} (the site profile could not be read)")]
    Shape(String),
    /// A field list is empty or names an empty path.
    #[error("站点配置的字段 {0} 没有可用的名称 (the site profile names nothing for {0})")]
    Empty(&'static str),
    /// A code is listed as waiting in one family and as not waiting in another.
    #[error("站点配置中状态码 {0} 既算待发货又算已发货/已取消 (status code {0} is listed both ways)")]
    Conflict(u32),
}

/// One place a value may be: a key, or keys nested with `.` (`userInfo.name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(Vec<String>);

impl Path {
    fn parse(s: &str) -> Option<Path> {
        let keys: Vec<String> = s.split('.').map(|k| k.trim().to_string()).collect();
        (!keys.iter().any(String::is_empty)).then_some(Path(keys))
    }

    /// The value at this path in `v`, when every key along it is there and not null.
    pub fn get<'a>(&self, v: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(v, |at, k| at.get(k)).filter(|x| !x.is_null())
    }

    /// The path as the profile writes it.
    pub fn dotted(&self) -> String {
        self.0.join(".")
    }
}

/// The names one field may come under, first match wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names(Vec<Path>);

impl Names {
    fn parse(list: &[String], what: &'static str) -> Result<Names, ProfileError> {
        let paths: Option<Vec<Path>> = list.iter().map(|s| Path::parse(s)).collect();
        match paths {
            Some(p) if !p.is_empty() => Ok(Names(p)),
            _ => Err(ProfileError::Empty(what)),
        }
    }

    /// Every present value, in the profile's order (a caller takes the first it can use).
    pub fn values<'s, 'v>(&'s self, v: &'v Value) -> impl Iterator<Item = &'v Value> + use<'s, 'v> {
        self.0.iter().filter_map(move |p| p.get(v))
    }

    /// The first present value.
    pub fn first<'a>(&self, v: &'a Value) -> Option<&'a Value> {
        self.0.iter().find_map(|p| p.get(v))
    }
}

/// Buyer fields: the address is the concatenation of its parts (province, city, district,
/// street), each part being the first of its names present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerNames {
    /// Recipient name.
    pub name: Names,
    /// Recipient phone.
    pub phone: Names,
    /// Address parts, in reading order.
    pub address: Vec<Names>,
    /// The buyer's remark.
    pub note: Names,
}

/// Product lines: where the list is, where a bundle's nested lines are, and each line's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineNames {
    /// The lines' array.
    pub list: Names,
    /// A bundle's own lines inside one line (`scskus`).
    pub nested: Names,
    /// SKU ID.
    pub id: Names,
    /// Product name.
    pub name: Names,
    /// Specification.
    pub spec: Names,
    /// Quantity.
    pub quantity: Names,
    /// Unit price, yuan.
    pub price: Names,
}

/// Where each `Package` field may be (the profile's `packages` part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Package ID, the one required field.
    pub id: Names,
    /// Platform order ID.
    pub order_id: Names,
    /// Paid time (then order time): epoch ms, epoch seconds or China-time text.
    pub time: Names,
    /// Status code.
    pub status: Names,
    /// Status text.
    pub status_text: Names,
    /// After-sale text.
    pub after_sale_text: Names,
    /// Amount paid, yuan.
    pub paid: Names,
    /// Buyer fields.
    pub buyer: BuyerNames,
    /// Product lines.
    pub lines: LineNames,
}

/// What a status code or text says about shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ShipState {
    /// Waits to be shipped (待发货, 待配货, 部分发货).
    Waiting,
    /// Shipped, signed for or completed.
    Shipped,
    /// Cancelled or closed.
    Cancelled,
    /// The signals disagree, or none is known: never shipped by a run; check by hand.
    Unclear,
}

/// The status rules (the profile's `status` part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRules {
    waiting_codes: Vec<u32>,
    shipped_codes: Vec<u32>,
    cancelled_codes: Vec<u32>,
    texts: Vec<(String, ShipState)>,
}

impl StatusRules {
    /// What the code alone says; `None` for a code no family lists.
    pub fn of_code(&self, code: u32) -> Option<ShipState> {
        if self.waiting_codes.contains(&code) {
            Some(ShipState::Waiting)
        } else if self.shipped_codes.contains(&code) {
            Some(ShipState::Shipped)
        } else if self.cancelled_codes.contains(&code) {
            Some(ShipState::Cancelled)
        } else {
            None
        }
    }

    /// What the text alone says: an exact match, else the longest listed text it contains
    /// (`待发货（已超时）` waits; `已发货未签收` is listed itself, so it is not read as `已发货`'s
    /// containment by accident). `None` for a text nothing matches.
    pub fn of_text(&self, text: &str) -> Option<ShipState> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if t.is_empty() {
            return None;
        }
        if let Some((_, s)) = self.texts.iter().find(|(x, _)| *x == t) {
            return Some(*s);
        }
        self.texts.iter().filter(|(x, _)| t.contains(x.as_str())).max_by_key(|(x, _)| x.len()).map(|(_, s)| *s)
    }

    /// Both signals together: one known signal decides; two that disagree, or none, are unclear.
    pub fn classify(&self, code: Option<u32>, text: &str) -> ShipState {
        match (code.and_then(|c| self.of_code(c)), self.of_text(text)) {
            (Some(a), Some(b)) if a == b => a,
            (Some(_), Some(_)) | (None, None) => ShipState::Unclear,
            (Some(a), None) | (None, Some(a)) => a,
        }
    }

    /// True when every code of a list request's status filter is a waiting code (the 待发货 tab).
    pub fn all_waiting(&self, codes: &[u32]) -> bool {
        !codes.is_empty() && codes.iter().all(|c| self.waiting_codes.contains(c))
    }
}

/// The profile's order part, read once and held by the worker for every answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteProfile {
    /// The profile file's `version`.
    pub version: u32,
    /// Where each field is.
    pub fields: FieldMap,
    /// What statuses mean.
    pub status: StatusRules,
    /// How the quota's numbers are named on the page and in answers.
    pub quota: crate::quota::QuotaWords,
}

/// The profile file as read, before [`SiteProfile::from_file`] checks it: from its JSON text
/// ([`SiteProfile::from_json`]) or from any serde format (the wasm boundary reads the worker's
/// object with it, so the main module carries no JSON-text reader for these types).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileForm {
    version: u32,
    packages: PackagesForm,
    status: StatusForm,
    quota: crate::quota::QuotaWords,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackagesForm {
    id: Vec<String>,
    order_id: Vec<String>,
    time: Vec<String>,
    status: Vec<String>,
    status_text: Vec<String>,
    after_sale_text: Vec<String>,
    paid: Vec<String>,
    buyer: BuyerForm,
    lines: LinesForm,
}

#[derive(Deserialize)]
struct BuyerForm {
    name: Vec<String>,
    phone: Vec<String>,
    address: Vec<Vec<String>>,
    note: Vec<String>,
}

#[derive(Deserialize)]
struct LinesForm {
    list: Vec<String>,
    nested: Vec<String>,
    id: Vec<String>,
    name: Vec<String>,
    spec: Vec<String>,
    quantity: Vec<String>,
    price: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusForm {
    families: Vec<FamilyForm>,
    waiting_texts: Vec<String>,
    shipped_texts: Vec<String>,
    cancelled_texts: Vec<String>,
}

#[derive(Deserialize)]
struct FamilyForm {
    #[serde(default)]
    waiting: Vec<u32>,
    #[serde(default)]
    shipped: Vec<u32>,
    #[serde(default)]
    cancelled: Vec<u32>,
}

impl SiteProfile {
    /// Reads the profile file's JSON text (unknown keys, such as the DOM part, are ignored).
    pub fn from_json(text: &str) -> Result<SiteProfile, ProfileError> {
        Self::from_file(serde_json::from_str(text).map_err(|e| ProfileError::Shape(e.to_string()))?)
    }

    /// Checks the profile file as read (see [`FileForm`]).
    pub fn from_file(f: FileForm) -> Result<SiteProfile, ProfileError> {
        let p = f.packages;
        let n = Names::parse;
        let fields = FieldMap {
            id: n(&p.id, "packages.id")?,
            order_id: n(&p.order_id, "packages.orderId")?,
            time: n(&p.time, "packages.time")?,
            status: n(&p.status, "packages.status")?,
            status_text: n(&p.status_text, "packages.statusText")?,
            after_sale_text: n(&p.after_sale_text, "packages.afterSaleText")?,
            paid: n(&p.paid, "packages.paid")?,
            buyer: BuyerNames {
                name: n(&p.buyer.name, "packages.buyer.name")?,
                phone: n(&p.buyer.phone, "packages.buyer.phone")?,
                address: p
                    .buyer
                    .address
                    .iter()
                    .map(|part| n(part, "packages.buyer.address"))
                    .collect::<Result<Vec<_>, _>>()?,
                note: n(&p.buyer.note, "packages.buyer.note")?,
            },
            lines: LineNames {
                list: n(&p.lines.list, "packages.lines.list")?,
                nested: n(&p.lines.nested, "packages.lines.nested")?,
                id: n(&p.lines.id, "packages.lines.id")?,
                name: n(&p.lines.name, "packages.lines.name")?,
                spec: n(&p.lines.spec, "packages.lines.spec")?,
                quantity: n(&p.lines.quantity, "packages.lines.quantity")?,
                price: n(&p.lines.price, "packages.lines.price")?,
            },
        };
        if fields.buyer.address.is_empty() {
            return Err(ProfileError::Empty("packages.buyer.address"));
        }
        let s = f.status;
        let mut rules = StatusRules {
            waiting_codes: Vec::new(),
            shipped_codes: Vec::new(),
            cancelled_codes: Vec::new(),
            texts: Vec::new(),
        };
        for fam in &s.families {
            rules.waiting_codes.extend(&fam.waiting);
            rules.shipped_codes.extend(&fam.shipped);
            rules.cancelled_codes.extend(&fam.cancelled);
        }
        if let Some(c) =
            rules.waiting_codes.iter().find(|c| rules.shipped_codes.contains(c) || rules.cancelled_codes.contains(c))
        {
            return Err(ProfileError::Conflict(*c));
        }
        if rules.waiting_codes.is_empty() && s.waiting_texts.is_empty() {
            return Err(ProfileError::Empty("status.waiting"));
        }
        for (list, state) in [
            (&s.waiting_texts, ShipState::Waiting),
            (&s.shipped_texts, ShipState::Shipped),
            (&s.cancelled_texts, ShipState::Cancelled),
        ] {
            rules.texts.extend(
                list.iter()
                    .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect::<String>())
                    .filter(|t| !t.is_empty())
                    .map(|t| (t, state)),
            );
        }
        Ok(SiteProfile { version: f.version, fields, status: rules, quota: f.quota })
    }
}

/// The profile RedShip ships (`extension/site-profile.json`), for tests.
#[cfg(test)]
pub fn shipped() -> SiteProfile {
    match SiteProfile::from_json(include_str!("../../../../extension/site-profile.json")) {
        Ok(p) => p,
        Err(e) => panic!("the shipped site profile must read: {e}"),
    }
}

#[cfg(test)]
#[path = "profile_tests.rs"]
mod tests;
