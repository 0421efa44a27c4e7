//! Bindings for the core's `order` and `transit` domains: ingesting the list answers the page
//! receives, the transit page's view, routes, edits, the quota planner, templates and the
//! CSV export (bytes as `Uint8Array`; XLSX is the office module's, crate/office).
//!
//! Records in, records and views out (the service worker stores what comes back). Errors are
//! JS `Error`s named `OrderError`, `ExportError` or `LeakError` (plaintext found in a file).

use crate::boundary::{export_err, export_with, from_js, from_js_large, js_error, required_snapshot, to_js};
use redship_core::order::answer::{self, AnswerKind, AnswerSource, AnswerSummaryView};
use redship_core::order::SiteProfile as CoreSiteProfile;
use redship_core::transit::collect::{self, IngestRequest, IngestView, PackageEdits, TransitSnapshot};
use redship_core::transit::export_csv::export_csv;
use redship_core::transit::planner::{plan, PlanRequest};
use redship_core::transit::reconcile::mark_shipped;
use redship_core::transit::routes::{route_counts, set_route, RouteBook, SetRouteRequest};
use redship_core::transit::template::{self, Template, TemplateBook, FIELDS};
use redship_core::transit::view::{edit, figures, view, EditRequest};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `ordersIngest` request: the answer as JSON (`answer`), or as the text the page received with
/// the endpoint it came from (`kind` + `text`, what the page-world hook passes on).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrdersIngestRequest {
    /// The shop.
    shop_id: String,
    /// The answer the page received, parsed.
    #[serde(default)]
    answer: Option<Value>,
    /// Which endpoint answered `text`.
    #[serde(default)]
    kind: Option<AnswerKind>,
    /// The answer the page received, as text.
    #[serde(default)]
    text: Option<String>,
    /// Several answers of one `kind` read as one (the gathered detail answers of a fill run).
    #[serde(default)]
    texts: Option<Vec<String>>,
    /// With `text` of a list page: the request the page sent (page, size, status filter).
    #[serde(default)]
    request: Option<Value>,
    /// Now, epoch ms.
    now_ms: f64,
}

/// `ordersSummary` request.
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

/// `ordersIngest` answer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IngestedView<'a> {
    snapshot: Option<&'a TransitSnapshot>,
    view: Option<IngestView>,
    /// With `text`: what the tab's listeners read (IDs and statuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<AnswerSummaryView>,
}

/// A request naming the shop and the time.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShopNowRequest {
    /// The shop.
    shop_id: String,
    /// Now, epoch ms.
    now_ms: f64,
}

/// `transitEdit` request: the edit plus the time.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransitEditRequest {
    /// The package.
    package_id: String,
    /// Upstream platform.
    #[serde(default)]
    upstream_platform: Option<String>,
    /// Upstream order number.
    #[serde(default)]
    upstream_order_no: Option<String>,
    /// Inbound tracking number.
    #[serde(default)]
    inbound_tracking: Option<String>,
    /// Notes.
    #[serde(default)]
    notes: Option<String>,
    /// Now, epoch ms.
    now_ms: f64,
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
struct Pair<'a, R: Serialize, V: Serialize> {
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<&'a R>,
    #[serde(skip_serializing_if = "Option::is_none")]
    routes: Option<&'a RouteBook>,
    #[serde(skip_serializing_if = "Option::is_none")]
    templates: Option<&'a TemplateBook>,
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

pub(crate) fn snapshot_for(value: JsValue, shop_id: &str) -> Result<TransitSnapshot, JsValue> {
    let snap = from_js_large::<Option<TransitSnapshot>>(value)?;
    let snap = snap.unwrap_or_else(|| TransitSnapshot::new(shop_id));
    snap.check(shop_id).map_err(order_err)?;
    Ok(snap)
}

fn templates_view(book: &TemplateBook) -> TemplatesView {
    TemplatesView {
        templates: template::all_templates(book),
        selected: book.selected.clone(),
        fields: FIELDS.iter().map(|(field, header, label_en)| FieldView { field: *field, header, label_en }).collect(),
    }
}

/// `ordersIngest(site, snapshot | null, {shopId, nowMs, answer} | {shopId, nowMs, kind:
/// 'orderPage'|'orderDetail', text | texts, request?})` → `{snapshot, view: {accepted, added, updated, removed,
/// rejected: [{index, packageId, reason}], gaps: {field: count}, unclear, pending, changed},
/// summary?: {total, waitingOnly, packages: [{packageId, status, state}]}}`, packages read
/// through the site profile. Buyer fields are masked before they enter the snapshot. `snapshot`
/// is the one to save, or null when nothing in it changed (an unchanged page seen again). A
/// `text` with nothing to collect (not JSON, refused, no packages) gives `{snapshot: null, view:
/// null, summary: null}` and the snapshot is not even read.
#[wasm_bindgen(js_name = ordersIngest)]
pub fn orders_ingest(site: &SiteProfile, snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let req: OrdersIngestRequest = from_js(request)?;
    let source =
        AnswerSource { answer: req.answer, kind: req.kind, text: req.text, texts: req.texts, request: req.request };
    let Some((answer, summary)) = source.read(&site.0).map_err(order_err)? else {
        return to_js(&IngestedView { snapshot: None, view: None, summary: None });
    };
    // The snapshot is the shop's every pending package (5 MB of JSON at 10,000): `from_js` and
    // `to_js` move it a slice at a time, so only its parsed form is ever whole in wasm memory.
    let snap: Option<TransitSnapshot> = from_js_large(snapshot)?;
    let core_req = IngestRequest { shop_id: req.shop_id, answer };
    let (snap, v) = collect::ingest(snap, &core_req, &site.0, ms(req.now_ms)).map_err(order_err)?;
    // The answer (one list page) is no longer needed while the output is written.
    drop(core_req);
    // Unchanged: nothing to save, and the 5 MB of output is not written either.
    to_js(&IngestedView { snapshot: v.changed.then_some(&snap), view: Some(v), summary })
}

/// `ordersSummary(site, {kind, text, request?})` → `{total, waitingOnly, packages: [{packageId,
/// status, state}]}` or null: what the tab's listeners read from an answer when it cannot be
/// collected (e.g. the vault is locked).
#[wasm_bindgen(js_name = ordersSummary)]
pub fn orders_summary(site: &SiteProfile, request: JsValue) -> Result<JsValue, JsValue> {
    let req: OrdersSummaryRequest = from_js(request)?;
    to_js(&answer::read(req.kind, &req.text, req.request, &site.0).map(|a| a.summary))
}

/// `ordersShipped(snapshot | null, {shopId, packageId? | packageIds?, nowMs})` → `{snapshot,
/// view: {removed, rejected?}}`: the page shipped these packages (the ship endpoint answered
/// success), so they leave the list. A bad `packageId` is an `OrderError`; bad IDs in a
/// `packageIds` batch are listed in `rejected`.
#[wasm_bindgen(js_name = ordersShipped)]
pub fn orders_shipped(snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        shop_id: String,
        #[serde(default)]
        package_id: Option<String>,
        #[serde(default)]
        package_ids: Vec<String>,
        now_ms: f64,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Removed {
        removed: bool,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        rejected: Vec<String>,
    }
    let req: Req = from_js(request)?;
    let mut snap = snapshot_for(snapshot, &req.shop_id)?;
    let mut view = Removed { removed: false, rejected: Vec::new() };
    if let Some(id) = &req.package_id {
        view.removed = mark_shipped(&mut snap, id, ms(req.now_ms)).map_err(order_err)?;
    }
    // A batch: one ID the core refuses is listed, the others still leave the list.
    for id in &req.package_ids {
        match mark_shipped(&mut snap, id, ms(req.now_ms)) {
            Ok(removed) => view.removed |= removed,
            Err(_) => view.rejected.push(id.clone()),
        }
    }
    to_js(&Pair { snapshot: Some(&snap), routes: None, templates: None, view })
}

/// `transitView(snapshot | null, routes | null, {shopId, nowMs})` → `{shopId, rows, counts,
/// paidByDay: [{day, paidOrders}], knownOrders: [{packageId, waiting}], updatedAtMs}`.
#[wasm_bindgen(js_name = transitView)]
pub fn transit_view(snapshot: JsValue, routes: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let (snap, book, now_ms) = view_inputs(snapshot, routes, request)?;
    to_js(&view(&snap, book.as_ref(), now_ms))
}

/// `transitFigures(snapshot | null, routes | null, {shopId, nowMs})` → `{counts, paidByDay,
/// knownOrders}`: the figures of `transitView` without its rows (what each decrypt asks for).
#[wasm_bindgen(js_name = transitFigures)]
pub fn transit_figures(snapshot: JsValue, routes: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let (snap, book, now_ms) = view_inputs(snapshot, routes, request)?;
    to_js(&figures(&snap, book.as_ref(), now_ms))
}

/// The inputs of `transitView` and `transitFigures`: the shop's snapshot, its routes, now.
fn view_inputs(
    snapshot: JsValue,
    routes: JsValue,
    request: JsValue,
) -> Result<(TransitSnapshot, Option<RouteBook>, i64), JsValue> {
    let req: ShopNowRequest = from_js(request)?;
    let snap = snapshot_for(snapshot, &req.shop_id)?;
    let book: Option<RouteBook> = from_js(routes)?;
    Ok((snap, book, ms(req.now_ms)))
}

/// `transitSetRoute(routes | null, snapshot, {scope: 'sku'|'order', skuId?, packageId?, route})`
/// → `{routes, view: {warehouse, supplier, self, total}}` (`route: null` clears).
#[wasm_bindgen(js_name = transitSetRoute)]
pub fn transit_set_route(routes: JsValue, snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<RouteBook> = from_js(routes)?;
    let snap = required_snapshot(snapshot)?;
    let req: SetRouteRequest = from_js(request)?;
    let book = set_route(book, &snap, &req).map_err(order_err)?;
    let counts = route_counts(&snap, Some(&book));
    to_js(&Pair::<TransitSnapshot, _> { snapshot: None, routes: Some(&book), templates: None, view: counts })
}

/// `transitEdit(snapshot, {packageId, upstreamPlatform?, upstreamOrderNo?, inboundTracking?,
/// notes?, nowMs})` → `{snapshot, view: edits}`; privacy typed into a field is refused.
#[wasm_bindgen(js_name = transitEdit)]
pub fn transit_edit(snapshot: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let snap = required_snapshot(snapshot)?;
    let req: TransitEditRequest = from_js(request)?;
    let core_req = EditRequest {
        package_id: req.package_id,
        upstream_platform: req.upstream_platform,
        upstream_order_no: req.upstream_order_no,
        inbound_tracking: req.inbound_tracking,
        notes: req.notes,
    };
    let snap = edit(snap, &core_req, ms(req.now_ms)).map_err(order_err)?;
    let edits: Option<&PackageEdits> = snap.packages.get(core_req.package_id.trim()).map(|p| &p.edits);
    to_js(&Pair { snapshot: Some(&snap), routes: None, templates: None, view: edits })
}

/// `transitPlan(snapshot | null, routes | null, {shopId, remaining, decryptedToday?})` →
/// `{counts, decryptsNeeded, remaining, alreadyDecrypted, fits, shortBy, moveToWarehouse,
/// countsAfterMove, raise: null | {reasonCode: 1, reason, whereZh, shortBy, textZh}}`.
#[wasm_bindgen(js_name = transitPlan)]
pub fn transit_plan(snapshot: JsValue, routes: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Req {
        shop_id: String,
        remaining: f64,
        #[serde(default)]
        decrypted_today: Vec<String>,
    }
    let req: Req = from_js(request)?;
    let snap = snapshot_for(snapshot, &req.shop_id)?;
    let book: Option<RouteBook> = from_js(routes)?;
    let plan_req = PlanRequest { remaining: req.remaining as i64, decrypted_today: req.decrypted_today };
    to_js(&plan(&snap, book.as_ref(), &plan_req))
}

/// `transitExportCsv(snapshot, routes | null, templates | null, {templateId?, routes?,
/// packageIds?, nowMs})` → `{bytes: Uint8Array, fileName, mime, rows, packages, packageIds}`.
/// A `LeakError` names the row and column when plaintext buyer data would have left.
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
/// header}]}], selected, fields: [{field, header, labelEn}]}`.
#[wasm_bindgen(js_name = transitTemplates)]
pub fn transit_templates(templates: JsValue) -> Result<JsValue, JsValue> {
    let book: Option<TemplateBook> = from_js(templates)?;
    let book = template::checked(book).map_err(export_err)?;
    to_js(&templates_view(&book))
}

fn book_out(book: &TemplateBook) -> Result<JsValue, JsValue> {
    to_js(&Pair::<TransitSnapshot, _> {
        snapshot: None,
        routes: None,
        templates: Some(book),
        view: templates_view(book),
    })
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
