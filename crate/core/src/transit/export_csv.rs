//! CSV export for the warehouse: UTF-8 with a BOM (so Excel on Windows shows Chinese), CRLF
//! line ends, quoting only where needed. The produced bytes are parsed back and leak-scanned
//! before they are returned.

use super::collect::TransitSnapshot;
use super::routes::RouteBook;
use super::table::{build, file_name, scan_read_back, ExportFile, ExportRequest, Table};
use super::template::{find, TemplateBook};
use super::ExportError;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Renders `table` as CSV bytes (BOM first).
pub fn write_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
    let err = |e: csv::Error| ExportError::Writer(e.to_string());
    w.write_record(&table.header).map_err(err)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| c.as_text())).map_err(err)?;
    }
    w.into_inner().map_err(|e| ExportError::Writer(e.to_string()))
}

/// Parses CSV bytes (with or without a BOM) into rows of cells.
pub fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ExportError> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    r.records()
        .map(|rec| {
            rec.map(|rec| rec.iter().map(str::to_string).collect()).map_err(|e| ExportError::Writer(e.to_string()))
        })
        .collect()
}

/// Exports the shop's pending packages as CSV, blocked if the leak scan finds plaintext.
pub fn export_csv(
    snap: &TransitSnapshot,
    routes: Option<&RouteBook>,
    templates: Option<&TemplateBook>,
    req: &ExportRequest,
    now_ms: i64,
) -> Result<ExportFile, ExportError> {
    let book = super::template::checked(templates.cloned())?;
    let template = find(&book, req.template_id.as_deref())?;
    let table = build(snap, routes, &template, req)?;
    let bytes = write_csv(&table)?;
    scan_read_back(&table, &read_csv(&bytes)?)?;
    Ok(ExportFile {
        bytes,
        file_name: file_name(&snap.shop_id, now_ms, "csv"),
        mime: "text/csv;charset=utf-8".to_string(),
        rows: table.rows.len(),
        packages: table.package_ids.len(),
        package_ids: table.package_ids,
    })
}
