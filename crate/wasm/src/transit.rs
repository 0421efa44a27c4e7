//! Bindings for the core's `order` and `transit` domains apart from the live snapshot
//! (`transit_live.rs`): the site profile every answer is read through, the summary of an answer
//! the tab's listeners read, and the export templates (one record for all shops, in and out).
//!
//! Errors are JS `Error`s named `OrderError`, `ExportError` or `ProfileError`.

use crate::boundary::{export_err, from_js, js_error, to_js};
use redship_core::order::answer::{self, AnswerKind};
use redship_core::order::SiteProfile as CoreSiteProfile;
use redship_core::transit::template::{self, Template, TemplateBook, FIELDS};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `orderSummary` request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrdersSummaryRequest {
    /// Which endpoint answered.
    kind: AnswerKind,
    /// The answer the page received, as text.
    text: String,
    /// With a list page: the request the page sent (its status filter).
    #[serde(default)]
    request: Option<Value>,
}

/// A request naming one template.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TemplateIdRequest {
    /// The template ID.
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pair<'a, V: Serialize> {
    templates: &'a TemplateBook,
    view: V,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FieldView {
    field: template::Field,
    header: &'static str,
    label_en: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TemplatesView {
    templates: Vec<Template>,
    selected: String,
    fields: Vec<FieldView>,
}

pub(crate) fn ms(v: f64) -> i64 {
    // Saturating cast; the core compares with real dates, so nonsense just sorts oddly.
    v as i64
}

pub(crate) fn order_err(e: redship_core::order::OrderError) -> JsValue {
    js_error("OrderError", e)
}

/// The site profile's order part (`extension/site-profile.json`: where each `Package` field may
/// be, which status codes and texts wait), read once when the worker starts and passed to every
/// call that reads the page's answers. A profile that cannot be read is a `ProfileError`.
#[wasm_bindgen]
pub struct SiteProfile(CoreSiteProfile);

#[wasm_bindgen]
impl SiteProfile {
    /// `new SiteProfile(profileJsonText)`.
    #[wasm_bindgen(constructor)]
    pub fn new(json: &str) -> Result<SiteProfile, JsValue> {
        CoreSiteProfile::from_json(json).map(SiteProfile).map_err(|e| js_error("ProfileError", e))
    }

    /// The profile file's `version`.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> u32 {
        self.0.version
    }
}

impl SiteProfile {
    /// The core's profile, for the other domains' bindings.
    pub(crate) fn core(&self) -> &CoreSiteProfile {
        &self.0
    }
}

fn templates_view(book: &TemplateBook) -> TemplatesView {
    TemplatesView {
        templates: template::all_templates(book),
        selected: book.selected.clone(),
        fields: FIELDS.iter().map(|(field, header, label_en)| FieldView { field: *field, header, label_en }).collect(),
    }
}

/// `orderSummary(site, {kind, text, request?})` → `{total, waitingOnly, packages: [{packageId,
/// status, state}]}` or null: what the tab's listeners read from an answer when it cannot be
/// collected (e.g. the vault is locked).
#[wasm_bindgen(js_name = orderSummary)]
pub fn order_summary(site: &SiteProfile, request: JsValue) -> Result<JsValue, JsValue> {
    let req: OrdersSummaryRequest = from_js(request)?;
    to_js(&answer::read(req.kind, &req.text, req.request, &site.0).map(|a| a.summary))
}

/// `transitTemplates(templates | null)` → `{templates: [{id, name, columns: [{field,
/// header}]}], selected, fields: [{field, header, labelEn}]}`.
#[wasm_bindgen(js_name = transitTemplates)]
pub fn transit_templates(templates: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let book = template::checked(book).map_err(export_err)?;
    to_js(&templates_view(&book))
}

fn book_out(book: &TemplateBook) -> Result<JsValue, JsValue> {
    to_js(&Pair { templates: book, view: templates_view(book) })
}

/// `transitTemplateSave(templates | null, {id, name, columns})` → `{templates, view}`; the saved
/// template becomes the selected one.
#[wasm_bindgen(js_name = transitTemplateSave)]
pub fn transit_template_save(templates: JsValue, template_value: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let t: Template = from_js(template_value)?;
    book_out(&template::save(book, t).map_err(export_err)?)
}

/// `transitTemplateDelete(templates | null, {id})` → `{templates, view}`.
#[wasm_bindgen(js_name = transitTemplateDelete)]
pub fn transit_template_delete(templates: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let req: TemplateIdRequest = from_js(request)?;
    book_out(&template::delete(book, &req.id).map_err(export_err)?)
}

/// `transitTemplateSelect(templates | null, {id})` → `{templates, view}`.
#[wasm_bindgen(js_name = transitTemplateSelect)]
pub fn transit_template_select(templates: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let req: TemplateIdRequest = from_js(request)?;
    book_out(&template::select(book, &req.id).map_err(export_err)?)
}
