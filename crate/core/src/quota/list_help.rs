//! Help on the order list (issue 26 item 5): the rules behind the marks and the chip the
//! `content/list-help.js` script draws over the workbench's order list.
//!
//! The content script only sends the package IDs it sees on rows and draws what comes back; what
//! counts as "decrypted today" (a free second view, 再次查看不扣额度), today's remaining decrypts
//! (the popup's number: the same dashboard computes both) and when the quiet "few left" hint
//! shows are decided here, from the quota ledger and the user's [`ListHelpSettings`].

use super::api::DashboardRequest;
use super::dashboard::LogRow;
use super::ledger::EventOutcome;
use super::service::dashboard;
use super::QuotaError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The hint shows when this many decrypts or fewer are left (issue 26: "2 or fewer").
pub const DEFAULT_HINT_AT: u32 = 2;
/// The highest hint threshold a user may set (far above a small shop's whole day).
pub const MAX_HINT_AT: u32 = 100;
/// Package IDs one question may carry (a list page shows at most a few hundred rows).
pub const MAX_IDS: usize = 1000;

/// The user's list-help settings, part of the quota settings record (`listHelp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ListHelpSettings {
    /// Draw the marks, hints and chip on the order list (on by default; off draws nothing).
    pub enabled: bool,
    /// Show the hint beside the 查看 controls when this many decrypts or fewer are left.
    pub hint_at: u32,
}

impl Default for ListHelpSettings {
    fn default() -> Self {
        ListHelpSettings { enabled: true, hint_at: DEFAULT_HINT_AT }
    }
}

impl ListHelpSettings {
    /// Checks the threshold's range; the message names the field in both languages.
    pub fn validate(&self) -> Result<(), String> {
        if self.hint_at > MAX_HINT_AT {
            return Err(format!(
                "订单列表提示的剩余次数 {0} 要在 0 到 {MAX_HINT_AT} 之间（the order list's hint threshold {0} must be from 0 to {MAX_HINT_AT}）",
                self.hint_at
            ));
        }
        Ok(())
    }

    /// True when the hint beside the 查看 controls shows with `remaining` decrypts left.
    pub fn hint_due(&self, remaining: u32) -> bool {
        self.enabled && remaining <= self.hint_at
    }
}

/// What the list script draws for one list page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListHelpView {
    /// The help is on; when false the script draws nothing (the other fields are still filled).
    pub enabled: bool,
    /// The shop.
    pub shop: String,
    /// Today (China time), `YYYY-MM-DD`.
    pub day: String,
    /// Used today (the popup's number).
    pub used: u32,
    /// Today's limit (the popup's number).
    pub limit: u32,
    /// Left today (the popup's number).
    pub remaining: u32,
    /// The hint threshold in effect.
    pub hint_at: u32,
    /// True when the quiet hint shows beside the 查看 controls.
    pub hint: bool,
    /// Of the IDs asked about, those whose buyer was viewed today (viewing again costs nothing),
    /// in the order asked.
    pub decrypted: Vec<String>,
}

/// The packages today's log shows decrypted (charged, or a free repeat), each once, in log
/// order; a refused view spent nothing and showed nothing, so it does not count.
pub fn decrypted_today(log: &[LogRow]) -> Vec<String> {
    let mut given = BTreeSet::new();
    log.iter()
        .filter(|r| r.outcome != EventOutcome::Refused && given.insert(r.package_id.as_str()))
        .map(|r| r.package_id.clone())
        .collect()
}

/// The packages of `req.shop` whose buyer was viewed today (see [`decrypted_today`]), for the
/// transit planner: viewing them again today costs nothing. Read-only.
pub fn viewed_today(req: &DashboardRequest) -> Result<Vec<String>, QuotaError> {
    Ok(decrypted_today(&dashboard(req)?.view.log))
}

/// Of `ids`, those that today's log shows decrypted (see [`decrypted_today`]). Order of `ids`
/// kept, repeats once.
pub fn decrypted_among(log: &[LogRow], ids: &[String]) -> Vec<String> {
    let seen: BTreeSet<&str> =
        log.iter().filter(|r| r.outcome != EventOutcome::Refused).map(|r| r.package_id.as_str()).collect();
    let mut out = Vec::new();
    let mut given = BTreeSet::new();
    for id in ids {
        if seen.contains(id.as_str()) && given.insert(id.as_str()) {
            out.push(id.clone());
        }
    }
    out
}

/// The list-help view of `req.shop` at `req.now_ms` for the package IDs a list page shows.
/// Read-only: the same dashboard the popup shows, nothing saved. More than [`MAX_IDS`] IDs is a
/// request error.
pub fn list_help(req: &DashboardRequest, package_ids: &[String]) -> Result<ListHelpView, QuotaError> {
    if package_ids.len() > MAX_IDS {
        return Err(QuotaError::InvalidRequest(format!(
            "list help: {} package IDs asked about, at most {MAX_IDS}",
            package_ids.len()
        )));
    }
    let settings = match req.inputs.settings.as_ref().filter(|v| !v.is_null()) {
        // A broken settings record is named and reset by the dashboard; the defaults apply here.
        Some(v) => super::QuotaSettings::load(super::SETTINGS_KEY, v).map(|s| s.list_help).unwrap_or_default(),
        None => ListHelpSettings::default(),
    };
    let view = dashboard(req)?.view;
    Ok(ListHelpView {
        enabled: settings.enabled,
        shop: view.shop,
        day: view.day,
        used: view.used,
        limit: view.limit,
        remaining: view.remaining,
        hint_at: settings.hint_at,
        hint: settings.hint_due(view.remaining),
        decrypted: decrypted_among(&view.log, package_ids),
    })
}
