//! XLSX export for the warehouse with `rust_xlsxwriter`, in memory.
//!
//! The document's creation time is set from `now_ms`: the library would otherwise read the
//! system clock, which does not exist on wasm32-unknown-unknown. The produced file is read
//! back with calamine and leak-scanned before it is returned.

use super::collect::TransitSnapshot;
use super::routes::RouteBook;
use super::table::{build, file_name, scan_read_back, Cell, ExportFile, ExportRequest, Table};
use super::template::{find, TemplateBook};
use super::ExportError;
use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use std::io::Cursor;

/// The sheet's name.
pub const SHEET: &str = "中转仓订单";

fn werr(e: impl std::fmt::Display) -> ExportError {
    ExportError::Writer(e.to_string())
}

/// Renders `table` as XLSX bytes; `now_ms` becomes the document's creation time.
pub fn write_xlsx(table: &Table, now_ms: i64) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_timestamp(now_ms.div_euclid(1000)).map_err(werr)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title(SHEET));
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(werr)?;
    let bold = Format::new().set_bold();
    for (c, h) in table.header.iter().enumerate() {
        let col = u16::try_from(c).map_err(werr)?;
        ws.write_string_with_format(0, col, h, &bold).map_err(werr)?;
        // Wide enough for a package ID or a masked address; Chinese counts double.
        let width = table.rows.iter().map(|r| r[c].as_text()).chain([h.clone()])
            .map(|s| s.chars().map(|ch| if ch.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>())
            .fold(6.0_f64, f64::max)
            .min(60.0);
        ws.set_column_width(col, width + 2.0).map_err(werr)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(werr)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(werr)?;
            match cell {
                // Written as strings, never formulas; neutralised already for other programs.
                Cell::Text(s) if s.is_empty() => ws.write_blank(r, c, &Format::new()),
                Cell::Text(s) => ws.write_string(r, c, s),
                Cell::Number(n) => ws.write_number(r, c, f64::from(*n)),
            }
            .map_err(werr)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(werr)?;
    wb.save_to_buffer().map_err(werr)
}

/// Reads the first sheet of XLSX bytes back into rows of cell texts (as the CSV shows them).
pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ExportError> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(werr)?;
    let range = x.worksheet_range_at(0).ok_or_else(|| werr("没有工作表"))?.map_err(werr)?;
    let width = range.width();
    Ok(range
        .rows()
        .map(|row| (0..width).map(|i| row.get(i).map(|d| d.to_string()).unwrap_or_default()).collect())
        .collect())
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
