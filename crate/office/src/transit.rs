//! The transit domain's rare page actions: the files an export writes (CSV and XLSX, from the
//! packages the main module's `TransitLive.exportPart` hands over) and the export templates' view
//! and edits: the transit page, where they are read, is the page that exports, so its opening
//! loads this module (the main module, compiled at every worker start, stays under its size
//! guard). Errors are `ExportError`s (`LeakError` when plaintext buyer data would have left).

use redship_bind::{export_err, export_with, from_js, templates_view, to_js, TemplatesView};
use redship_core::transit::export_csv::export_csv;
use redship_core::transit::export_xlsx::export_xlsx;
use redship_core::transit::template::{self, Template, TemplateBook};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `transitExportXlsx(snapshot, routes | null, templates | null, {templateId?, routes?,
/// packageIds?, nowMs})` → `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}`,
/// an XLSX workbook read back and leak-scanned before it is returned (`LeakError` names the row
/// and column).
#[wasm_bindgen(js_name = transitExportXlsx)]
pub fn transit_export_xlsx(
    snapshot: JsValue,
    routes: JsValue,
    templates: JsValue,
    request: JsValue,
) -> Result<JsValue, JsValue> {
    export_with(snapshot, routes, templates, request, export_xlsx)
}

/// `transitExportCsv(snapshot, routes | null, templates | null, {templateId?, routes?,
/// packageIds?, nowMs})` → the same as `transitExportXlsx`, a CSV file (UTF-8 with BOM,
/// formula-safe), leak-scanned before it is returned.
#[wasm_bindgen(js_name = transitExportCsv)]
pub fn transit_export_csv(
    snapshot: JsValue,
    routes: JsValue,
    templates: JsValue,
    request: JsValue,
) -> Result<JsValue, JsValue> {
    export_with(snapshot, routes, templates, request, export_csv)
}

/// `transitTemplates(templates | null)` → `{templates: [{id, name, columns: [{field,
/// header}]}], selected, fields: [{field, header, labelEn}]}`: the stored templates, checked.
#[wasm_bindgen(js_name = transitTemplates)]
pub fn transit_templates(templates: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let book = template::checked(book).map_err(export_err)?;
    to_js(&templates_view(&book))
}

/// A request naming one template.
#[derive(Deserialize)]
struct TemplateIdRequest {
    /// The template ID.
    id: String,
}

/// A template edit's answer: the record to store and the page's view of it.
#[derive(Serialize)]
struct Pair<'a> {
    templates: &'a TemplateBook,
    view: TemplatesView,
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
