//! Bindings for the core's `transit` domain apart from the live snapshot (`transit_live.rs`):
//! the export templates (one record for all shops, in and out).
//!
//! Errors are JS `Error`s named `ExportError`.

use crate::boundary::{export_err, from_js, to_js};
use redship_core::transit::template::{self, Template, TemplateBook, FIELDS};

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

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

fn templates_view(book: &TemplateBook) -> TemplatesView {
    TemplatesView {
        templates: template::all_templates(book),
        selected: book.selected.clone(),
        fields: FIELDS.iter().map(|(field, header, label_en)| FieldView { field: *field, header, label_en }).collect(),
    }
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
