//! Bindings for the core's `transit::live`: the shop's snapshot and routes held in wasm between
//! the worker's messages (`TransitLive`), changed in place by the list answers, shipments, row
//! facts, edits and routes, read by the views and figures without crossing whole, and giving out
//! the records to store (a small change record; a compaction's shards: transit_open.rs). An export takes only the packages it
//! holds out (`exportPart`) to the office module, which writes the file.
//!
//! Errors are JS `Error`s named `OrderError`, `ExportError` or `LeakError`.

use crate::boundary::{export_err, from_js, to_js};
use crate::order::{order_err, SiteProfile};
use redship_core::order::answer::{AnswerKind, AnswerSource, AnswerSummaryView};
use redship_core::transit::collect::{
    known_orders, known_orders_of, paid_by_day, IngestRequest, IngestView, PackageEdits,
};
use redship_core::transit::live::{LiveSnapshot, OpenView, ShippedView};
use redship_core::transit::planner::{plan, PlanRequest};
use redship_core::transit::routes::{RouteBook, SetRouteRequest};
use redship_core::transit::rowsignal::{self, RowSeen};
use redship_core::transit::table::{export_part, ExportRequest};
use redship_core::transit::view::{view, EditRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn ms(v: f64) -> i64 {
    // Saturating cast; the core compares with real dates, so nonsense just sorts oddly.
    v as i64
}

/// The shop's live snapshot (see the module header), opened by `TransitOpening`.
#[wasm_bindgen]
pub struct TransitLive {
    pub(crate) live: LiveSnapshot,
    opened: OpenView,
}

impl TransitLive {
    /// The handle of an opened shop (`TransitOpening.finish`).
    pub(crate) fn of(live: LiveSnapshot, opened: OpenView) -> Self {
        TransitLive { live, opened }
    }
}

/// `ingest` request: an answer the page received (the shop is the handle's).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IngestIn {
    #[serde(default)]
    answer: Option<Value>,
    #[serde(default)]
    kind: Option<AnswerKind>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    texts: Option<Vec<String>>,
    #[serde(default)]
    request: Option<Value>,
    now_ms: f64,
}

#[derive(Serialize)]
struct IngestOut {
    view: Option<IngestView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<AnswerSummaryView>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShippedIn {
    package_ids: Vec<String>,
    now_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowsIn {
    rows: Vec<RowSeen>,
    now_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EditIn {
    package_id: String,
    #[serde(default)]
    upstream_platform: Option<String>,
    #[serde(default)]
    upstream_order_no: Option<String>,
    #[serde(default)]
    inbound_tracking: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    now_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NowIn {
    now_ms: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ViewIn {
    now_ms: f64,
    #[serde(default)]
    limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanIn {
    remaining: f64,
    #[serde(default)]
    decrypted_today: Vec<String>,
}

#[derive(Serialize)]
struct SkipOut {
    kind: &'static str,
    reason: &'static str,
    message: &'static str,
}

#[derive(Serialize)]
struct PartOut<'a> {
    snapshot: redship_core::transit::collect::TransitSnapshot,
    routes: Option<&'a RouteBook>,
}

#[wasm_bindgen]
impl TransitLive {
    /// `{pending, applied, stale: [seq], lost?, noBase?}`: what opening found (the stale change
    /// records go with the next compaction: `nextStep`'s `dropThrough`; `lost`: a shard the head
    /// names was missing or not the one named, so the shop opened with no base; `noBase`: none is
    /// stored, so a stored tally is stale).
    pub fn opened(&self) -> Result<JsValue, JsValue> {
        to_js(&self.opened)
    }

    /// The shop.
    #[wasm_bindgen(getter, js_name = shopId)]
    pub fn shop_id(&self) -> String {
        self.live.snapshot().shop_id.clone()
    }

    /// Pending packages held.
    #[wasm_bindgen(getter)]
    pub fn pending(&self) -> usize {
        self.live.snapshot().packages.len()
    }

    /// The snapshot's last change, epoch ms.
    #[wasm_bindgen(getter, js_name = updatedAtMs)]
    pub fn updated_at_ms(&self) -> f64 {
        self.live.snapshot().updated_at_ms as f64
    }

    /// `ingest(site, {kind: 'orderPage'|'orderDetail', text | texts, request?, nowMs} | {answer,
    /// nowMs})` → `{view: {accepted, added, updated, removed, rejected, gaps, unclear, pending,
    /// changed} | null, summary?}`: the answer merged in place (buyer fields masked). Nothing to
    /// collect in it gives `{view: null, summary: null}`.
    pub fn ingest(&mut self, site: &SiteProfile, request: JsValue) -> Result<JsValue, JsValue> {
        let req: IngestIn = from_js(request)?;
        let source =
            AnswerSource { answer: req.answer, kind: req.kind, text: req.text, texts: req.texts, request: req.request };
        let Some((answer, summary)) = source.read(site.core()).map_err(order_err)? else {
            return to_js(&IngestOut { view: None, summary: None });
        };
        let core_req = IngestRequest { shop_id: self.shop_id(), answer };
        let view = self.live.ingest(&core_req, site.core(), ms(req.now_ms)).map_err(order_err)?;
        to_js(&IngestOut { view: Some(view), summary })
    }

    /// `shipped({packageIds, nowMs})` → `{removed, rejected?}`: the page shipped these packages.
    pub fn shipped(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: ShippedIn = from_js(request)?;
        let view: ShippedView = self.live.shipped(&req.package_ids, ms(req.now_ms));
        to_js(&view)
    }

    /// `rows({rows: [{packageId, shipControl}], nowMs})` → `{marked, cleared, ignored, changed}`.
    pub fn rows(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: RowsIn = from_js(request)?;
        to_js(&self.live.rows(&req.rows, ms(req.now_ms)))
    }

    /// `fillSkip(packageId)` → `{kind: 'skipped', reason, message}`: how a fill run reports an
    /// order whose row had no 发货 control.
    #[wasm_bindgen(js_name = fillSkip)]
    pub fn fill_skip(&self, package_id: &str) -> Result<JsValue, JsValue> {
        let (reason, message) = rowsignal::fill_skip(rowsignal::known(self.live.snapshot(), package_id.trim()));
        to_js(&SkipOut { kind: "skipped", reason, message })
    }

    /// `edit({packageId, upstreamPlatform?, upstreamOrderNo?, inboundTracking?, notes?, nowMs})`
    /// → the package's edits; privacy typed into a field is refused (`OrderError`).
    pub fn edit(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: EditIn = from_js(request)?;
        let core_req = EditRequest {
            package_id: req.package_id,
            upstream_platform: req.upstream_platform,
            upstream_order_no: req.upstream_order_no,
            inbound_tracking: req.inbound_tracking,
            notes: req.notes,
        };
        self.live.edit(&core_req, ms(req.now_ms)).map_err(order_err)?;
        let edits: Option<&PackageEdits> =
            self.live.snapshot().packages.get(core_req.package_id.trim()).map(|p| &*p.edits);
        to_js(&edits)
    }

    /// `setRoutes([{scope: 'sku'|'order', skuId?, packageId?, route | null}])` → `{warehouse,
    /// supplier, self, total, unclear}`: every change at once, all or nothing.
    #[wasm_bindgen(js_name = setRoutes)]
    pub fn set_routes(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let reqs: Vec<SetRouteRequest> = from_js(request)?;
        to_js(&self.live.set_routes(&reqs).map_err(order_err)?)
    }

    /// `writes(nowMs)` → `{delta?, compact?, routes?, tally?}` or null: the records to store, in
    /// one write, before the change is acknowledged; `compact`: the compaction's writes follow
    /// (`nextStep`, one at a time).
    pub fn writes(&mut self, now_ms: f64) -> Result<JsValue, JsValue> {
        let w = self.live.writes(ms(now_ms));
        if w.is_empty() {
            return Ok(JsValue::NULL);
        }
        to_js(&w)
    }

    /// `view({nowMs, limit?})` → `{shopId, rows, totalRows, counts, paidByDay, updatedAtMs}`: the
    /// first `limit` rows (all when absent), oldest paid first.
    pub fn view(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: ViewIn = from_js(request)?;
        let counts = self.live.counts();
        let limit = req.limit.map_or(usize::MAX, |n| n as usize);
        to_js(&view(self.live.snapshot(), self.live.routes(), counts, ms(req.now_ms), limit))
    }

    /// `paidByDay({nowMs})` → `[{day, paidOrders}]`: distinct paid packages per China day, last 8
    /// days (the quota tier's input; a week of days, not the shop, is read).
    #[wasm_bindgen(js_name = paidByDay)]
    pub fn paid_by_day(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: NowIn = from_js(request)?;
        to_js(&paid_by_day(self.live.snapshot(), ms(req.now_ms)))
    }

    /// `counts()` → `{warehouse, supplier, self, total, unclear}`: pending packages per route (kept
    /// by the handle between changes).
    pub fn counts(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.live.counts())
    }

    /// `rowUnclear()` → the number of orders whose list row disagrees with the answers about 发货.
    #[wasm_bindgen(js_name = rowUnclear)]
    pub fn row_unclear(&mut self) -> usize {
        self.live.row_unclear()
    }

    /// `knownOrders(packageIds?)` → `[{packageId, waiting, unclear?}]`: pending and recently
    /// closed packages, for tracking-number validation: those among `packageIds` (the rows a
    /// validation checks, O(rows)), or the whole shop when absent (an import, whose rows are
    /// read from the file in the core).
    #[wasm_bindgen(js_name = knownOrders)]
    pub fn known_orders(&self, package_ids: JsValue) -> Result<JsValue, JsValue> {
        let ids: Option<Vec<String>> = from_js(package_ids)?;
        match ids {
            Some(ids) => to_js(&known_orders_of(self.live.snapshot(), &ids)),
            None => to_js(&known_orders(self.live.snapshot())),
        }
    }

    /// `unknownOf([packageId])` → those of them the snapshot holds neither pending nor closed
    /// (the ship domain's list of orders seen keeps only these; O(IDs), not the shop).
    #[wasm_bindgen(js_name = unknownOf)]
    pub fn unknown_of(&self, ids: JsValue) -> Result<JsValue, JsValue> {
        let ids: Vec<String> = from_js(ids)?;
        to_js(&self.live.unknown(&ids))
    }

    /// `plan({remaining, decryptedToday?})` → the quota planner's view (see `transit::planner`).
    pub fn plan(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: PlanIn = from_js(request)?;
        let plan_req = PlanRequest { remaining: req.remaining as i64, decrypted_today: req.decrypted_today };
        to_js(&plan(self.live.snapshot(), self.live.routes(), &plan_req))
    }

    /// `exportPart({routes?, packageIds?})` → `{snapshot, routes}`: only the packages an export
    /// of this request holds, for the office module's CSV and XLSX writers (which have no
    /// handle; exports are rare, so their writers stay out of this module).
    #[wasm_bindgen(js_name = exportPart)]
    pub fn export_part(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let req: ExportRequest = from_js(request)?;
        let part = export_part(self.live.snapshot(), self.live.routes(), &req).map_err(export_err)?;
        to_js(&PartOut { snapshot: part, routes: self.live.routes() })
    }
}
