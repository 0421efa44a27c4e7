//! The run report: what was shipped, filled, skipped or failed and why, and its CSV export
//! (UTF-8 with BOM so Excel opens Chinese correctly; cells that a spreadsheet would run as a
//! formula are neutralised).

use super::plan::{FillError, FillMode, FillRun, ItemStatus, RunState, RUN_VERSION};
use super::UsedNumber;
use crate::chinaday::{ChinaDay, CHINA_OFFSET_MS, DAY_MS};
use serde::{Deserialize, Serialize};

/// A report row's status, as the UI contract names it (`pending` only while the run is open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    /// Shipped.
    Shipped,
    /// Filled, left for the user.
    Filled,
    /// Skipped on purpose.
    Skipped,
    /// Refused by the page, or outcome unknown.
    Failed,
    /// Not finished yet.
    Pending,
}

/// One report row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// Package ID.
    pub package_id: String,
    /// Courier code.
    pub courier_code: String,
    /// Courier name.
    pub courier_name: String,
    /// Tracking number.
    pub number: String,
    /// Source row.
    pub row: usize,
    /// Status.
    pub status: ReportStatus,
    /// Reason code (skipped/failed).
    pub reason: Option<String>,
    /// The page's message or an explanation.
    pub message: Option<String>,
    /// Last change (epoch ms).
    pub at: i64,
}

/// Report counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportCounts {
    /// Shipped.
    pub shipped: usize,
    /// Filled.
    pub filled: usize,
    /// Skipped.
    pub skipped: usize,
    /// Failed.
    pub failed: usize,
    /// Not finished.
    pub pending: usize,
}

/// `fillReport` view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    /// Run ID.
    pub run_id: String,
    /// Mode.
    pub mode: FillMode,
    /// Run state.
    pub state: RunState,
    /// Why the run stopped (the page changed under it), when it did.
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// Counts.
    pub counts: ReportCounts,
    /// Rows in run order.
    pub rows: Vec<ReportRow>,
    /// Numbers now on orders (shipped or filled), to add to the used-numbers record.
    pub used: Vec<UsedNumber>,
    /// The run's progress (what the ship page's bar shows).
    pub progress: super::events::Progress,
    /// Ship mode's pace and the average gap the run kept between shipments (none in fill mode).
    pub pace: Option<super::pace::RunPaceView>,
}

/// `fillReport` / `shipReportCsv` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    /// The run.
    pub run: FillRun,
    /// `zh` (default) or `en` headers and texts for the CSV.
    #[serde(default)]
    pub lang: Option<String>,
}

fn status_of(s: ItemStatus) -> ReportStatus {
    match s {
        ItemStatus::Shipped => ReportStatus::Shipped,
        ItemStatus::Filled => ReportStatus::Filled,
        ItemStatus::Skipped => ReportStatus::Skipped,
        ItemStatus::Failed => ReportStatus::Failed,
        // Not settled yet: its row status will be checked. (Cancelling a run turns a remaining
        // unknown into failed, so a closed run never shows one.)
        ItemStatus::Pending | ItemStatus::InProgress | ItemStatus::Unknown => ReportStatus::Pending,
    }
}

/// Builds the report of a run.
pub fn report(run: &FillRun) -> Result<ReportView, FillError> {
    if run.v != RUN_VERSION {
        return Err(FillError::Version(run.v));
    }
    let mut counts = ReportCounts::default();
    let mut used = Vec::new();
    let rows = run
        .items
        .iter()
        .map(|it| {
            let status = status_of(it.status);
            match status {
                ReportStatus::Shipped => counts.shipped += 1,
                ReportStatus::Filled => counts.filled += 1,
                ReportStatus::Skipped => counts.skipped += 1,
                ReportStatus::Failed => counts.failed += 1,
                ReportStatus::Pending => counts.pending += 1,
            }
            if matches!(status, ReportStatus::Shipped | ReportStatus::Filled) {
                used.push(UsedNumber { number: it.number.clone(), package_id: it.package_id.clone() });
            }
            let (reason, message) = if it.status == ItemStatus::Unknown {
                (Some("unknown".to_string()), Some("已按确定，结果待核对（outcome not yet known）".to_string()))
            } else {
                (it.reason.clone(), it.message.clone())
            };
            ReportRow {
                package_id: it.package_id.clone(),
                courier_code: it.courier_code.clone(),
                courier_name: it.courier_name.clone(),
                number: it.number.clone(),
                row: it.row,
                status,
                reason,
                message,
                at: it.updated_at,
            }
        })
        .collect();
    Ok(ReportView {
        run_id: run.run_id.clone(),
        mode: run.mode,
        state: run.state,
        stop_reason: run.stop_reason.clone(),
        counts,
        rows,
        used,
        progress: super::journal::progress(run),
        pace: super::pace::run_pace(run),
    })
}

/// Makes a cell safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, tab or CR is
/// prefixed with `'` so it is shown, not run as a formula.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// China time `YYYY-MM-DD HH:MM:SS` of an epoch-ms instant.
fn china_time(ms: i64) -> String {
    let secs = (ms + CHINA_OFFSET_MS).rem_euclid(DAY_MS) / 1000;
    format!("{} {:02}:{:02}:{:02}", ChinaDay::from_ms(ms).iso(), secs / 3600, secs / 60 % 60, secs % 60)
}

/// The report as CSV text (with a UTF-8 BOM).
pub fn report_csv(req: &ReportRequest) -> Result<String, FillError> {
    let view = report(&req.run)?;
    let en = req.lang.as_deref() == Some("en");
    let header: [&str; 8] = if en {
        ["Row", "Order ID", "Courier", "Courier code", "Tracking number", "Result", "Reason", "Time (China)"]
    } else {
        ["行号", "订单号", "快递公司", "快递公司代码", "运单号", "结果", "原因", "时间（北京时间）"]
    };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let io = |e: csv::Error| FillError::BadRequest(format!("CSV: {e}"));
    w.write_record(header).map_err(io)?;
    for r in &view.rows {
        let status = match (r.status, en) {
            (ReportStatus::Shipped, false) => "已发货",
            (ReportStatus::Filled, false) => "已填写待确认",
            (ReportStatus::Skipped, false) => "已跳过",
            (ReportStatus::Failed, false) => "失败",
            (ReportStatus::Pending, false) => "未完成",
            (ReportStatus::Shipped, true) => "shipped",
            (ReportStatus::Filled, true) => "filled",
            (ReportStatus::Skipped, true) => "skipped",
            (ReportStatus::Failed, true) => "failed",
            (ReportStatus::Pending, true) => "pending",
        };
        let why = match (&r.reason, &r.message) {
            (_, Some(m)) => m.clone(),
            (Some(c), None) => c.clone(),
            (None, None) => String::new(),
        };
        let cells = [
            r.row.to_string(),
            r.package_id.clone(),
            r.courier_name.clone(),
            r.courier_code.clone(),
            r.number.clone(),
            status.to_string(),
            why,
            china_time(r.at),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c))).map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| FillError::BadRequest(format!("CSV: {e}")))?;
    Ok(format!("\u{FEFF}{}", String::from_utf8_lossy(&bytes)))
}
