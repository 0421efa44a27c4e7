//! Bindings for the core's `transit` domain apart from the live snapshot (`transit_live.rs`):
//! the export templates' view (one record for all shops), shown when the transit page opens.
//! Editing them (`transitTemplateSave`, `…Delete`, `…Select`) is a rare page action: the office
//! module's (crate/office/src/transit.rs).
//!
//! Errors are JS `Error`s named `ExportError`.

use crate::boundary::{export_err, from_js, to_js};
use redship_bind::templates_view;
use redship_core::transit::template::{self, TemplateBook};
use wasm_bindgen::prelude::*;

pub(crate) fn ms(v: f64) -> i64 {
    // Saturating cast; the core compares with real dates, so nonsense just sorts oddly.
    v as i64
}

/// `transitTemplates(templates | null)` → `{templates: [{id, name, columns: [{field,
/// header}]}], selected, fields: [{field, header, labelEn}]}`.
#[wasm_bindgen(js_name = transitTemplates)]
pub fn transit_templates(templates: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let book = template::checked(book).map_err(export_err)?;
    to_js(&templates_view(&book))
}
