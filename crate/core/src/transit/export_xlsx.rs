//! XLSX export for the warehouse with the in-house writer ([`crate::xlsx::write`]), in memory.
//!
//! The document's creation time is set from `now_ms` (there is no clock on
//! wasm32-unknown-unknown). The produced file is read back with the in-house reader and
//! leak-scanned before it is returned.

use super::collect::TransitSnapshot;
use super::routes::RouteBook;
use super::table::{build, file_name, scan_read_back, Cell, ExportFile, ExportRequest, Table};
use super::template::{find, TemplateBook};
use super::ExportError;
use crate::ship::xlsx_source::cell_text;
use crate::xlsx::write::{write, Out, Sheet};

/// The sheet's name.
pub const SHEET: &str = "中转仓订单";

fn werr(e: impl std::fmt::Display) -> ExportError {
    ExportError::Writer(e.to_string())
}

/// Renders `table` as XLSX bytes; `now_ms` becomes the document's creation time.
pub fn write_xlsx(table: &Table, now_ms: i64) -> Result<Vec<u8>, ExportError> {
    // Wide enough for a package ID or a masked address; Chinese counts double.
    let widths = (0..table.header.len())
        .map(|c| {
            let texts = table.rows.iter().map(|r| r.get(c).map(Cell::as_text).unwrap_or_default());
            texts
                .chain([table.header[c].clone()])
                .map(|s| s.chars().map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>())
                .fold(6.0_f64, f64::max)
                .min(60.0)
                + 2.0
        })
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    // Written as strings, never formulas; neutralised already for other programs.
                    Cell::Text(s) if s.is_empty() => Out::Blank,
                    Cell::Text(s) => Out::Text(s),
                    Cell::Number(n) => Out::Number(f64::from(*n)),
                })
                .collect()
        })
        .collect();
    let sheet = Sheet {
        name: SHEET,
        header: table.header.iter().map(String::as_str).collect(),
        widths,
        rows,
        text_columns: table.typed_in.clone(),
    };
    write(&sheet, now_ms).map_err(werr)
}

/// Reads the first sheet of XLSX bytes back into rows of cell texts (as the CSV shows them):
/// every row from the first to the last used one, each as wide as the used range.
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ExportError> {
    let mut book = crate::xlsx::open(bytes).map_err(werr)?;
    if book.sheet_names().is_empty() {
        return Err(werr("没有工作表"));
    }
    let rows = book.rows(0).map_err(werr)?;
    let first_col = rows.iter().filter_map(|r| r.cells.first()).map(|(c, _)| *c).min().unwrap_or(0);
    let width = rows.iter().filter_map(|r| r.cells.last()).map(|(c, _)| *c + 1 - first_col).max().unwrap_or(0) as usize;
    let (Some(first), Some(last)) = (rows.first().map(|r| r.row), rows.last().map(|r| r.row)) else {
        return Ok(Vec::new());
    };
    let height = (last - first) as usize + 1;
    if height.saturating_mul(width) > 5_000_000 {
        return Err(werr(crate::xlsx::XlsxError::TooLarge));
    }
    let mut out = vec![vec![String::new(); width]; height];
    for r in rows {
        for (c, v) in &r.cells {
            out[(r.row - first) as usize][(*c - first_col) as usize] = cell_text(v);
        }
    }
    Ok(out)
}

/// Exports the shop's pending packages as XLSX, blocked if the leak scan finds plaintext.
pub fn export_xlsx(
    snap: &TransitSnapshot,
    routes: Option<&RouteBook>,
    templates: Option<&TemplateBook>,
    req: &ExportRequest,
    now_ms: i64,
) -> Result<ExportFile, ExportError> {
    let book = super::template::checked(templates.cloned())?;
    let template = find(&book, req.template_id.as_deref())?;
    let table = build(snap, routes, &template, req)?;
    let bytes = write_xlsx(&table, now_ms)?;
    scan_read_back(&table, &read_xlsx(&bytes)?)?;
    Ok(ExportFile {
        bytes,
        file_name: file_name(&snap.shop_id, now_ms, "xlsx"),
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
        rows: table.rows.len(),
        packages: table.package_ids.len(),
        package_ids: table.package_ids,
    })
}
