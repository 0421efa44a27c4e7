//! The transit domain's shared boundary: one conversion path for the office module's CSV and
//! XLSX exports, each passing its exporter, and the export templates' view (shown by the main
//! module's `transitTemplates`, answered by the office module's template edits).

use redship_core::transit::collect::TransitSnapshot;
use redship_core::transit::routes::RouteBook;
use redship_core::transit::table::{ExportFile, ExportRequest};
use redship_core::transit::template::{self, Template, TemplateBook, FIELDS};
use redship_core::transit::ExportError;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::{from_js, from_js_large, js_error, to_js};

/// The signature both core exporters share.
pub type Exporter = fn(
    &TransitSnapshot,
    Option<&RouteBook>,
    Option<&TemplateBook>,
    &ExportRequest,
    i64,
) -> Result<ExportFile, ExportError>;

/// Converts the export call's arguments, runs `export` and returns `{bytes: Uint8Array,
/// fileName, mime, rows, packages, packageIds}`; failures as [`export_err`].
pub fn export_with(
    snapshot: JsValue,
    routes: JsValue,
    templates: JsValue,
    request: JsValue,
    export: Exporter,
) -> Result<JsValue, JsValue> {
    let snap = required_snapshot(snapshot)?;
    let book: Option<RouteBook> = from_js(routes)?;
    let tpl: Option<TemplateBook> = from_js(templates)?;
    let now_ms = export_now_ms(&request)?;
    let req: ExportRequest = from_js(request)?;
    let file = export(&snap, book.as_ref(), tpl.as_ref(), &req, now_ms).map_err(export_err)?;
    export_file_out(&file)
}

/// The export request's `nowMs` (file name, XLSX creation time). The request is the core's plus
/// this, read apart rather than through a `#[serde(flatten)]` wrapper, whose buffering code
/// would cost more than this. Saturating cast: nonsense times only give odd file names.
fn export_now_ms(request: &JsValue) -> Result<i64, JsValue> {
    let now_ms = js_sys::Reflect::get(request, &"nowMs".into()).ok().and_then(|v| v.as_f64());
    let now_ms = now_ms.ok_or_else(|| js_error("RequestError", "missing field `nowMs` (a number, epoch ms)"))?;
    Ok(now_ms as i64)
}

/// `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}` of a produced file.
fn export_file_out(file: &ExportFile) -> Result<JsValue, JsValue> {
    let out = to_js(file)?;
    js_sys::Reflect::set(&out, &"bytes".into(), &js_sys::Uint8Array::from(file.bytes.as_slice()))
        .map_err(|_| js_error("ViewError", "cannot attach the file bytes"))?;
    Ok(out)
}

/// An export or template error: `LeakError` when plaintext buyer data would have left, else
/// `ExportError`.
pub fn export_err(e: ExportError) -> JsValue {
    match e {
        ExportError::Leak(leak) => js_error("LeakError", leak),
        other => js_error("ExportError", other),
    }
}

/// The order snapshot a call needs (read with [`from_js_large`], as every snapshot is, so the
/// module has one reader for it); `null` or `undefined` is a `RequestError`.
pub fn required_snapshot(value: JsValue) -> Result<TransitSnapshot, JsValue> {
    from_js_large::<Option<TransitSnapshot>>(value)?
        .ok_or_else(|| js_error("RequestError", "缺少订单快照（no order snapshot given）"))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FieldView {
    field: template::Field,
    header: &'static str,
    label_en: &'static str,
}

/// The export templates as the transit page shows them: `{templates: [{id, name, columns:
/// [{field, header}]}], selected, fields: [{field, header, labelEn}]}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplatesView {
    templates: Vec<Template>,
    selected: String,
    fields: Vec<FieldView>,
}

/// The view of `book` (the built-in templates with the saved ones).
pub fn templates_view(book: &TemplateBook) -> TemplatesView {
    TemplatesView {
        templates: template::all_templates(book),
        selected: book.selected.clone(),
        fields: FIELDS.iter().map(|(field, header, label_en)| FieldView { field: *field, header, label_en }).collect(),
    }
}
