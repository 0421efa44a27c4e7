//! Bindings for the core's `order` domain: the site profile every answer is read through, the
//! summary of an answer the tab's listeners read, and the order list pages RedShip has read that
//! showed orders waiting to ship, and when (the ship page's summary). Conversions only.
//!
//! Errors are JS `Error`s named `OrderError` or `ProfileError`.

use crate::boundary::{from_js, from_js_named, js_error, to_js};
use redship_core::order::answer::{self, AnswerKind};
use redship_core::order::pages;
use redship_core::order::SiteProfile as CoreSiteProfile;
use serde::Deserialize;
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
    /// `new SiteProfile(profile)`: the profile file as an object (the worker bundles it as JSON
    /// and the engine parses it; read here through serde-wasm-bindgen, as every request is, so
    /// this module carries no JSON-text reader for the profile's types).
    #[wasm_bindgen(constructor)]
    pub fn new(profile: JsValue) -> Result<SiteProfile, JsValue> {
        let file = from_js_named(profile, "ProfileError")?;
        CoreSiteProfile::from_file(file).map(SiteProfile).map_err(|e| js_error("ProfileError", e))
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

/// `orderSummary(site, {kind, text, request?})` → `{total, waitingOnly, packages: [{packageId,
/// status, state}]}` or null: what the tab's listeners read from an answer when it cannot be
/// collected (e.g. the vault is locked).
#[wasm_bindgen(js_name = orderSummary)]
pub fn order_summary(site: &SiteProfile, request: JsValue) -> Result<JsValue, JsValue> {
    let req: OrdersSummaryRequest = from_js(request)?;
    to_js(&answer::read(req.kind, &req.text, req.request, &site.0).map(|a| a.summary))
}

/// `orderPageSeen(record | null, {request, summary, nowMs})` → `{record, view}`: the shop's
/// list-pages record after a list page was read (`summary` as `TransitLive.ingest` answers it), or
/// `record: null` when it is unchanged; `view` as `orderPagesView` gives it.
#[wasm_bindgen(js_name = orderPageSeen)]
pub fn order_page_seen(record: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    struct View<'a> {
        record: Option<&'a pages::ListPagesRecord>,
        view: pages::ListPagesView,
    }
    let old: Option<pages::ListPagesRecord> = from_js(record)?;
    let req: pages::PageSeenRequest = from_js(request)?;
    let next = pages::note(old.clone(), &req);
    let view = pages::view(next.as_ref().or(old.as_ref()), req.now_ms);
    to_js(&View { record: next.as_ref(), view })
}

/// `orderPagesView(record | null, nowMs)` → `{pages, lastMs, lastTime, lastDay, today}`: how
/// many 待发货 pages were read in the last day, and the last time (China time).
#[wasm_bindgen(js_name = orderPagesView)]
pub fn order_pages_view(record: JsValue, now_ms: f64) -> Result<JsValue, JsValue> {
    let rec: Option<pages::ListPagesRecord> = from_js(record)?;
    to_js(&pages::view(rec.as_ref(), now_ms as i64))
}
