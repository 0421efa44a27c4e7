//! Export templates: which columns, in which order, under which header. Warehouses each want
//! their own layout, so templates are named and kept in one small record.
//!
//! The built-in default's package-ID column is headed `包裹号` and it ends with two empty
//! columns for the warehouse, `快递公司` and `快递单号`: the tracking-number import recognises
//! all three, so the warehouse's return file imports without editing (transit/roundtrip_tests).

use super::ExportError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Schema version of [`TemplateBook`].
pub const TEMPLATES_VERSION: u32 = 1;
/// ID of the built-in template.
pub const DEFAULT_TEMPLATE_ID: &str = "default";
const MAX_TEMPLATES: usize = 50;
const MAX_HEADER_CHARS: usize = 40;

/// A column the export can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    /// 包裹号 `P…`.
    PackageId,
    /// 订单编号 (platform order ID).
    OrderId,
    /// 付款时间, China time.
    PaidAt,
    /// 商品名称.
    Product,
    /// 规格.
    Spec,
    /// SKU ID.
    SkuId,
    /// 数量.
    Quantity,
    /// 收件人 (masked).
    Receiver,
    /// 手机号 (masked).
    Phone,
    /// 收货地址 (masked after the district).
    Address,
    /// 买家备注 (phones, IDs, emails, WeChat IDs masked).
    BuyerRemark,
    /// 上游平台.
    UpstreamPlatform,
    /// 上游订单号.
    UpstreamOrderNo,
    /// 入库快递单号.
    InboundTracking,
    /// 备注.
    Notes,
    /// 发货方式 (route).
    Route,
    /// 快递公司: empty in the export, typed in by the warehouse.
    Courier,
    /// 快递单号: empty in the export, typed in by the warehouse.
    TrackingNumber,
}

/// Every field with its default Chinese header and English label, in default order.
pub const FIELDS: [(Field, &str, &str); 18] = [
    (Field::PackageId, "包裹号", "Package ID"),
    (Field::PaidAt, "付款时间", "Paid at"),
    (Field::Product, "商品名称", "Product"),
    (Field::Spec, "规格", "Spec"),
    (Field::Quantity, "数量", "Quantity"),
    (Field::Receiver, "收件人", "Recipient"),
    (Field::Phone, "手机号", "Phone"),
    (Field::Address, "收货地址", "Address"),
    (Field::BuyerRemark, "买家备注", "Buyer remark"),
    (Field::UpstreamPlatform, "上游平台", "Upstream platform"),
    (Field::UpstreamOrderNo, "上游订单号", "Upstream order no."),
    (Field::InboundTracking, "入库快递单号", "Inbound tracking no."),
    (Field::Notes, "备注", "Notes"),
    (Field::Courier, "快递公司", "Courier (warehouse fills)"),
    (Field::TrackingNumber, "快递单号", "Tracking no. (warehouse fills)"),
    (Field::OrderId, "订单编号", "Order ID"),
    (Field::SkuId, "SKU编号", "SKU ID"),
    (Field::Route, "发货方式", "Route"),
];

/// One column of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateColumn {
    /// What the column holds.
    pub field: Field,
    /// Its header text.
    pub header: String,
}

/// A named export layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// Stable ID.
    pub id: String,
    /// Name shown in the template select.
    pub name: String,
    /// Columns in order.
    pub columns: Vec<TemplateColumn>,
}

/// The template record: user templates (a saved `default` replaces the built-in one) and the
/// selected template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateBook {
    /// Schema version.
    pub v: u32,
    /// Saved templates.
    #[serde(default)]
    pub templates: Vec<Template>,
    /// The selected template's ID.
    #[serde(default = "default_id")]
    pub selected: String,
}

fn default_id() -> String {
    DEFAULT_TEMPLATE_ID.to_string()
}

impl Default for TemplateBook {
    fn default() -> Self {
        TemplateBook { v: TEMPLATES_VERSION, templates: Vec::new(), selected: default_id() }
    }
}

/// Columns of the built-in template: the first fields of [`FIELDS`].
const DEFAULT_COLUMNS: usize = 15;

/// The built-in template: the 13 warehouse columns, package ID first, then the two the
/// warehouse fills in.
pub fn builtin_default() -> Template {
    Template {
        id: DEFAULT_TEMPLATE_ID.to_string(),
        name: "默认（中转仓）".to_string(),
        columns: FIELDS[..DEFAULT_COLUMNS]
            .iter()
            .map(|(f, h, _)| TemplateColumn { field: *f, header: (*h).to_string() })
            .collect(),
    }
}

/// All templates the user can pick: the built-in default (unless replaced) then saved ones.
pub fn all_templates(book: &TemplateBook) -> Vec<Template> {
    let mut out = Vec::new();
    if !book.templates.iter().any(|t| t.id == DEFAULT_TEMPLATE_ID) {
        out.push(builtin_default());
    }
    out.extend(book.templates.iter().cloned());
    out
}

/// The template with `id` (or the selected one when `None`).
pub fn find(book: &TemplateBook, id: Option<&str>) -> Result<Template, ExportError> {
    let id = id.unwrap_or(&book.selected);
    all_templates(book).into_iter().find(|t| t.id == id).ok_or_else(|| ExportError::UnknownTemplate(id.to_string()))
}

fn invalid(t: &Template, reason: String) -> ExportError {
    let template = if t.name.trim().is_empty() { t.id.clone() } else { t.name.clone() };
    ExportError::Template { template, reason }
}

/// Checks a template: an ID, a name, at least one column, no field twice, headers non-empty,
/// unique and short.
pub fn validate(t: &Template) -> Result<(), ExportError> {
    if t.id.trim().is_empty() || t.id.chars().count() > 40 {
        return Err(invalid(t, "ID 为空或过长".into()));
    }
    if t.name.trim().is_empty() || t.name.chars().count() > 40 {
        return Err(invalid(t, "名称为空或超过 40 个字".into()));
    }
    if t.columns.is_empty() {
        return Err(invalid(t, "至少要有一列".into()));
    }
    let mut fields = BTreeSet::new();
    let mut headers = BTreeSet::new();
    for (i, c) in t.columns.iter().enumerate() {
        let h = c.header.trim();
        if h.is_empty() || h.chars().count() > MAX_HEADER_CHARS {
            return Err(invalid(t, format!("第 {} 列的表头为空或超过 {MAX_HEADER_CHARS} 个字", i + 1)));
        }
        if !fields.insert(c.field) {
            return Err(invalid(t, format!("第 {} 列的字段重复", i + 1)));
        }
        if !headers.insert(h.to_string()) {
            return Err(invalid(t, format!("第 {} 列的表头「{h}」重复", i + 1)));
        }
    }
    Ok(())
}

/// Saves (adds or replaces by ID) a template and selects it.
pub fn save(book: Option<TemplateBook>, mut t: Template) -> Result<TemplateBook, ExportError> {
    let mut book = checked(book)?;
    t.id = t.id.trim().to_string();
    t.name = t.name.trim().to_string();
    for c in &mut t.columns {
        c.header = c.header.trim().to_string();
    }
    validate(&t)?;
    let count = book.templates.len();
    match book.templates.iter_mut().find(|x| x.id == t.id) {
        Some(x) => *x = t.clone(),
        None if count >= MAX_TEMPLATES => {
            return Err(invalid(&t, format!("最多保存 {MAX_TEMPLATES} 个模板")));
        }
        None => book.templates.push(t.clone()),
    }
    book.selected = t.id;
    Ok(book)
}

/// Deletes a saved template (deleting `default` restores the built-in one).
pub fn delete(book: Option<TemplateBook>, id: &str) -> Result<TemplateBook, ExportError> {
    let mut book = checked(book)?;
    let before = book.templates.len();
    book.templates.retain(|t| t.id != id);
    if book.templates.len() == before {
        return Err(ExportError::UnknownTemplate(id.to_string()));
    }
    if book.selected == id || find(&book, None).is_err() {
        book.selected = default_id();
    }
    Ok(book)
}

/// Selects a template for the next exports.
pub fn select(book: Option<TemplateBook>, id: &str) -> Result<TemplateBook, ExportError> {
    let mut book = checked(book)?;
    find(&book, Some(id))?;
    book.selected = id.to_string();
    Ok(book)
}

/// The stored book, or a fresh one; refuses other versions.
pub fn checked(book: Option<TemplateBook>) -> Result<TemplateBook, ExportError> {
    let book = book.unwrap_or_default();
    if book.v != TEMPLATES_VERSION {
        return Err(ExportError::Record(format!("模板记录版本 {} 不受支持", book.v)));
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_template_is_complete_and_round_trips_its_id_header() {
        let d = builtin_default();
        validate(&d).expect("valid");
        assert_eq!(d.columns[0].field, Field::PackageId);
        assert!(["订单号", "包裹号"].contains(&d.columns[0].header.as_str()));
        assert_eq!(d.columns.len(), DEFAULT_COLUMNS);
        let last: Vec<Field> = d.columns[DEFAULT_COLUMNS - 2..].iter().map(|c| c.field).collect();
        assert_eq!(last, [Field::Courier, Field::TrackingNumber], "the warehouse's columns come last");
    }

    #[test]
    fn save_select_delete() {
        let mut t = builtin_default();
        t.id = "wh2".into();
        t.name = "仓库二".into();
        t.columns.remove(1);
        t.columns[0].header = "订单号".into();
        let book = save(None, t.clone()).expect("saved");
        assert_eq!(book.selected, "wh2");
        assert_eq!(all_templates(&book).len(), 2);
        assert_eq!(find(&book, None).expect("found").columns[0].header, "订单号");
        let book = select(Some(book), DEFAULT_TEMPLATE_ID).expect("select");
        assert_eq!(book.selected, DEFAULT_TEMPLATE_ID);
        assert!(matches!(select(Some(book.clone()), "nope"), Err(ExportError::UnknownTemplate(_))));
        let book = delete(Some(book), "wh2").expect("deleted");
        assert_eq!(all_templates(&book).len(), 1);
        assert!(delete(Some(book), "wh2").is_err());
    }

    #[test]
    fn bad_templates_are_refused_with_the_column() {
        let mut t = builtin_default();
        t.columns[3].header = "商品名称".into();
        let e = save(None, t).expect_err("duplicate header");
        assert!(e.to_string().contains("第 4 列"), "{e}");
        let mut t = builtin_default();
        t.columns.clear();
        assert!(save(None, t).is_err());
        let mut t = builtin_default();
        t.columns[1].field = Field::PackageId;
        assert!(save(None, t).expect_err("dup field").to_string().contains("第 2 列"));
    }
}
