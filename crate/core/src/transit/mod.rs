//! Transit-warehouse (中转仓) orders: collecting pending packages from the list answers the page
//! receives, per-SKU routes, the decrypt-quota planner, and the masked CSV/XLSX export.
//!
//! The shop's snapshot and routes live in a handle between messages ([`live`]), which hands the
//! worker the records to store (small change records, and the base's changed shards:
//! [`shards`]); templates (`TemplateBook`, once for all shops) go in and out whole. Snapshots
//! only ever hold masked buyer fields.

pub mod collect;
#[cfg(test)]
mod collect_tests;
pub mod delta;
pub mod export_csv;
#[cfg(all(test, feature = "office"))]
mod export_tests;
#[cfg(feature = "office")]
pub mod export_xlsx;
mod figures;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod known;
pub mod live;
#[cfg(test)]
mod live_figures_tests;
#[cfg(test)]
pub(crate) mod live_store;
#[cfg(test)]
mod live_tests;
mod marks;
pub mod opening;
pub mod planner;
pub mod reconcile;
#[cfg(all(test, feature = "office"))]
mod roundtrip_tests;
pub mod routes;
pub mod rowsignal;
pub mod shards;
#[cfg(test)]
mod shards_tests;
pub mod stored;
#[cfg(test)]
mod stored_tests;
pub mod table;
pub mod tally;
pub mod template;
pub mod view;

use crate::order::LeakError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// How a pending package gets to the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Route {
    /// Bought upstream, delivered to the transit warehouse, shipped with the platform
    /// e-waybill printed from the order number: no decrypt.
    Warehouse,
    /// The supplier ships directly and needs the plain address: one decrypt per order.
    Supplier,
    /// The seller ships with the platform e-waybill: no decrypt.
    #[serde(rename = "self")]
    SelfShip,
}

impl Route {
    /// The stable identifier the UI and `data-route` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Warehouse => "warehouse",
            Route::Supplier => "supplier",
            Route::SelfShip => "self",
        }
    }

    /// The Chinese label for exports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Route::Warehouse => "中转仓",
            Route::Supplier => "供应商代发",
            Route::SelfShip => "自发货",
        }
    }

    /// True if shipping this way needs the buyer's plain address (one decrypt).
    pub fn needs_decrypt(self) -> bool {
        self == Route::Supplier
    }
}

/// Why an export (or a template change) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    /// The leak guard found plaintext buyer data in the produced file.
    #[error(transparent)]
    Leak(#[from] LeakError),
    /// A template is invalid; says which and why.
    #[error("导出模板「{template}」无效：{reason} (invalid template)")]
    Template {
        /// Template name or ID.
        template: String,
        /// What is wrong.
        reason: String,
    },
    /// The requested template does not exist.
    #[error("找不到导出模板 {0} (unknown template)")]
    UnknownTemplate(String),
    /// Nothing matches the request: an empty file helps nobody.
    #[error("没有可导出的订单：{0} (nothing to export)")]
    Empty(String),
    /// A stored record is of another version or shop.
    #[error("记录无效：{0} (invalid record)")]
    Record(String),
    /// The file writer failed (should not happen with in-memory buffers).
    #[error("生成文件失败：{0} (file writer failed)")]
    Writer(String),
}

/// Protects spreadsheet users from formula injection: a cell starting with `=`, `+`, `-`, `@`
/// (or a tab/CR, which some programs strip first) gets a leading `'` so it stays text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86****5678"), "'+86****5678");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("张**"), "张**");
        assert_eq!(neutralise(""), "");
        assert_eq!(serde_json::to_string(&Route::SelfShip).ok().as_deref(), Some("\"self\""));
    }
}
