//! Writing a one-sheet workbook: bold, frozen header row, column widths (and text-formatted
//! columns for what a person types in later), strings as shared
//! strings (never formulas), numbers as numbers, blanks left out, and document properties whose
//! times come from the caller (there is no clock in wasm). Every part Excel and WPS expect is
//! written: content types, package and workbook relationships, core and app properties, styles.

use super::xml::escape;
use super::zip::Writer;
use super::{cell_name, XlsxError, MAX_COLS, MAX_ROWS};
use std::fmt::Write as _;

/// A cell to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Out<'a> {
    /// Text, written as a string whatever it looks like.
    Text(&'a str),
    /// A finite number.
    Number(f64),
    /// Nothing.
    Blank,
}

/// The sheet to write: a header row and data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet<'a> {
    /// Sheet name, also the document title.
    pub name: &'a str,
    /// Header texts (bold, frozen).
    pub header: Vec<&'a str>,
    /// Column widths in characters, one per header column.
    pub widths: Vec<f64>,
    /// Data rows.
    pub rows: Vec<Vec<Out<'a>>>,
    /// Columns (0-based) formatted as text: what a person types there later stays as typed,
    /// so Excel keeps a 15-digit tracking number instead of showing `7.73012E+14`.
    pub text_columns: Vec<usize>,
}

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
"#;
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(s, &mut out);
    out
}

/// `(y, m, d, hh, mm, ss)` in UTC for a Unix time in milliseconds.
fn utc(ms: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (days, secs) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000) / 1000);
    let (y, m, d) = crate::chinaday::civil_from_days(days);
    let s = secs as u32;
    (y, m, d, s / 3600, s / 60 % 60, s % 60)
}

/// Excel's stored width for a width in characters (Calibri 11: 7-pixel digits, 5 px padding).
fn xml_width(chars: f64) -> f64 {
    ((chars * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0
}

fn sheet_xml(sheet: &Sheet<'_>, strings: &mut Vec<String>) -> Result<String, XlsxError> {
    let cols = sheet.rows.iter().map(Vec::len).chain([sheet.header.len()]).max().unwrap_or(0);
    if cols > MAX_COLS as usize || sheet.rows.len() >= MAX_ROWS as usize {
        return Err(XlsxError::TooLarge);
    }
    let last = cell_name(sheet.rows.len() as u32, cols.saturating_sub(1) as u32);
    let mut x = format!(r#"{XML}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="A1:{last}"/>"#);
    x.push_str(r#"<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#);
    if !sheet.widths.is_empty() {
        x.push_str("<cols>");
        for (i, w) in sheet.widths.iter().enumerate() {
            let style = if sheet.text_columns.contains(&i) { r#" style="2""# } else { "" };
            let _ =
                write!(x, r#"<col min="{n}" max="{n}" width="{}"{style} customWidth="1"/>"#, xml_width(*w), n = i + 1);
        }
        x.push_str("</cols>");
    }
    x.push_str("<sheetData>");
    let header = sheet.header.iter().map(|h| Out::Text(h));
    let rows = std::iter::once(header.collect::<Vec<_>>()).chain(sheet.rows.iter().cloned());
    for (r, row) in rows.enumerate() {
        let _ = write!(x, r#"<row r="{}">"#, r + 1);
        let style = if r == 0 { r#" s="1""# } else { "" };
        for (c, cell) in row.iter().enumerate() {
            let at = cell_name(r as u32, c as u32);
            match cell {
                Out::Text(s) if !s.is_empty() => {
                    let _ = write!(x, r#"<c r="{at}"{style} t="s"><v>{}</v></c>"#, strings.len());
                    strings.push(esc(s));
                }
                Out::Number(n) if n.is_finite() => {
                    let _ = write!(x, r#"<c r="{at}"{style}><v>{n}</v></c>"#);
                }
                Out::Number(_) => return Err(XlsxError::Corrupt(format!("{at} 的数字无效"))),
                _ => {}
            }
        }
        x.push_str("</row>");
    }
    x.push_str(r#"</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#);
    Ok(x)
}

fn strings_xml(strings: &[String]) -> String {
    let n = strings.len();
    let mut x = format!(r#"{XML}<sst xmlns="{MAIN_NS}" count="{n}" uniqueCount="{n}">"#);
    for s in strings {
        let space = if s.starts_with([' ', '\t', '\n']) || s.ends_with([' ', '\t', '\n']) {
            r#" xml:space="preserve""#
        } else {
            ""
        };
        let _ = write!(x, "<si><t{space}>{s}</t></si>");
    }
    x.push_str("</sst>");
    x
}

fn rels(list: &[(&str, &str)]) -> String {
    let mut x = format!(r#"{XML}<Relationships xmlns="{PKG_REL_NS}">"#);
    for (i, (kind, target)) in list.iter().enumerate() {
        let _ = write!(x, r#"<Relationship Id="rId{}" Type="{kind}" Target="{target}"/>"#, i + 1);
    }
    x.push_str("</Relationships>");
    x
}

const STYLES: &str = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#;

/// The workbook's bytes; `created_ms` stamps the document properties and the ZIP entries.
pub fn write(sheet: &Sheet<'_>, created_ms: i64) -> Result<Vec<u8>, XlsxError> {
    let mut strings = Vec::new();
    let body = sheet_xml(sheet, &mut strings)?;
    let name = esc(sheet.name);
    let (y, mo, d, h, mi, s) = utc(created_ms);
    let when = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    let od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let types = format!(
        r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{CT}.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    );
    let root = rels(&[
        (&format!("{od}/officeDocument"), "xl/workbook.xml"),
        ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
        (&format!("{od}/extended-properties"), "docProps/app.xml"),
    ]);
    let core = format!(
        r#"{XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{name}</dc:title><dc:creator>RedShip</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#
    );
    let app = format!(
        r#"{XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{name}</vt:lpstr></vt:vector></TitlesOfParts><AppVersion>12.0000</AppVersion></Properties>"#
    );
    let book = format!(
        r#"{XML}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#
    );
    let book_rels = rels(&[
        (&format!("{od}/worksheet"), "worksheets/sheet1.xml"),
        (&format!("{od}/styles"), "styles.xml"),
        (&format!("{od}/sharedStrings"), "sharedStrings.xml"),
    ]);
    // MS-DOS time and date (from 1980) for the ZIP entries.
    let dos_time = ((h << 11) | (mi << 5) | (s / 2)) as u16;
    let dos_date = (((y.clamp(1980, 2107) - 1980) as u32) << 9) | (mo << 5) | d;
    let mut zip = Writer::new((dos_time, dos_date as u16));
    let parts: [(&str, &str); 9] = [
        ("[Content_Types].xml", &types),
        ("_rels/.rels", &root),
        ("docProps/app.xml", &app),
        ("docProps/core.xml", &core),
        ("xl/workbook.xml", &book),
        ("xl/_rels/workbook.xml.rels", &book_rels),
        ("xl/styles.xml", &format!("{XML}{STYLES}")),
        ("xl/sharedStrings.xml", &strings_xml(&strings)),
        ("xl/worksheets/sheet1.xml", &body),
    ];
    for (part, text) in parts {
        zip.add(part, text.as_bytes())?;
    }
    zip.finish()
}
