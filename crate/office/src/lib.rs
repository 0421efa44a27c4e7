//! RedShip's office module: what runs only when the user imports or saves a file or takes a rare
//! step, loaded by the service worker only then, so a worker start compiles the small main module
//! alone (crate/wasm). Workbooks in and out — the core's in-house XLSX reader and writer
//! (`redship_core::xlsx`, with its ZIP inflate and deflate), and calamine for `.xls` and `.ods`;
//! the ship domain's page actions that follow an import (`ship.rs`: every tracking-number import,
//! a paste and a CSV too, the revalidation, the fill plan); the transit page's rare actions
//! (`transit.rs`: the export as CSV or XLSX, the export templates' edits); and the other files
//! written: the fill report's CSV, the self-check's diagnostic report (`files.rs`); the vault's
//! actions that need no key of the session's: the backup file written and opened, the quarantine
//! list (`vault.rs`); and the quota's problems log, merged only when a problem was found
//! (`quota.rs`). Same conversions as the main module (`redship-bind`), same error names, no
//! business logic.

mod files;
mod quota;
mod ship;
mod transit;
mod vault;
pub use files::{selfcheck_report, ship_report_csv};
pub use quota::quota_merge_problems;
pub use ship::{ship_fill_plan, ship_import, ship_known_orders, ship_revalidate, ship_sheets};
pub use transit::{
    transit_export_csv, transit_export_xlsx, transit_template_delete, transit_template_save, transit_template_select,
    transit_templates,
};
pub use vault::{vault_backup_export, vault_backup_open, vault_quarantine_list};

use wasm_bindgen::prelude::*;

/// Sets the module up once (a core panic then logs its message; see `redship_bind::set_up_once`);
/// calling it again does nothing. Returns true when this call set it up.
#[wasm_bindgen]
pub fn init() -> bool {
    redship_bind::set_up_once()
}
