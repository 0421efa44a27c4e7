//! The reader on hand-made workbooks as other producers write them (POI inline strings, .NET
//! `x:` prefixes, absolute targets, cells without positions, rich text, every cell type), on
//! ZIP variants (stored entries, data descriptors, zip64 fields) and on hostile input.

use super::zip::{crc32, Writer};
use super::{open, Row, Value, XlsxError};
use crate::ship::xlsx_source::{read, sheet_names};
use crate::ship::ImportError;

const CT: &str =
    r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const ROOT_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#;

/// A zip of `parts` with our writer.
fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = Writer::new((0, 33));
    for (name, text) in parts {
        w.add(name, text.as_bytes()).expect("add");
    }
    w.finish().expect("zip")
}

/// A zip of `parts` stored (not deflated), each entry with a data descriptor and, if `zip64`,
/// its sizes and offset moved to a zip64 extra field in the central directory.
fn zip_raw(parts: &[(&str, &str)], zip64: bool) -> Vec<u8> {
    let (mut out, mut cd) = (Vec::new(), Vec::new());
    for (name, text) in parts {
        let (data, crc, offset) = (text.as_bytes(), crc32(text.as_bytes()), out.len() as u32);
        let n = name.len() as u16;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        for v in [20u16, 8, 0, 0, 33] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        for v in [0x0807_4b50u32, crc, data.len() as u32, data.len() as u32] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let big = |v: u32| if zip64 { u32::MAX } else { v };
        cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        for v in [45u16, 45, 8, 0, 0, 33] {
            cd.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, big(data.len() as u32), big(data.len() as u32)] {
            cd.extend_from_slice(&v.to_le_bytes());
        }
        let extra: Vec<u8> = if zip64 {
            let mut e = vec![1, 0, 24, 0];
            for v in [data.len() as u64, data.len() as u64, u64::from(offset)] {
                e.extend_from_slice(&v.to_le_bytes());
            }
            e
        } else {
            Vec::new()
        };
        for v in [n, extra.len() as u16, 0, 0, 0] {
            cd.extend_from_slice(&v.to_le_bytes());
        }
        cd.extend_from_slice(&[0; 4]);
        cd.extend_from_slice(&big(offset).to_le_bytes());
        cd.extend_from_slice(name.as_bytes());
        cd.extend_from_slice(&extra);
    }
    let (at, len, count) = (out.len() as u32, cd.len() as u32, parts.len() as u16);
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, count, count] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A workbook whose sheets are `(name, sheet XML)`; a .NET-style `x:` prefixed workbook part,
/// relationships with absolute and relative targets, sheets listed out of file order.
fn book(sheets: &[(&str, &str)], sst: Option<&str>) -> Vec<(String, String)> {
    let mut wb = String::from(
        r#"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets>"#,
    );
    let mut rels =
        String::from(r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#);
    let mut parts = vec![("[Content_Types].xml".to_string(), CT.to_string()), ("_rels/.rels".into(), ROOT_RELS.into())];
    for (i, (name, xml)) in sheets.iter().enumerate() {
        // Files numbered backwards, so workbook order is not file order.
        let file = format!("sheet{}.xml", sheets.len() - i);
        wb.push_str(&format!(r#"<x:sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#, i + 1, i + 10));
        let target = if i % 2 == 0 { format!("/xl/worksheets/{file}") } else { format!("worksheets/{file}") };
        rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>"#, i + 10));
        parts.push((format!("xl/worksheets/{file}"), xml.to_string()));
    }
    if let Some(sst) = sst {
        rels.push_str(r#"<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings/shared.xml"/>"#);
        parts.push(("xl/strings/shared.xml".into(), sst.into()));
    }
    wb.push_str("</x:sheets></x:workbook>");
    rels.push_str("</Relationships>");
    parts.push(("xl/workbook.xml".into(), wb));
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels));
    parts
}

fn refs(parts: &[(String, String)]) -> Vec<(&str, &str)> {
    parts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

const SST: &str = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>运单号</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">顺丰 </t></r><r><t>速运</t></r><rPh sb="0" eb="1"><t>ジュン</t></rPh></si><si><t>  trimmed  </t></si><si><t>a&amp;b&#x4E2D;_x000D_c</t></si><si/></sst>"#;

const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c r="B2" t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><t>EMS</t></is></c></row>
<row><c r="B3" t="inlineStr"><is><r><t xml:space="preserve">P1 </t></r><r><t>23</t></r><rPh><t>x</t></rPh></is></c><c r="C3"><v>773012345678901</v></c><c r="D3" t="n"><v>1.5</v></c><c r="E3" t="b"><v>1</v></c><c r="F3" t="e"><v>#N/A</v></c><c r="G3" t="str"><f>A1</f><v>公式</v></c><c r="H3" t="d"><v>2026-11-21T00:00:00</v></c><c r="I3" s="3"><v>46000</v></c></row>
<row r="5"><c r="B5" s="1"/><c r="C5"><v></v></c></row>
<row r="6"><c r="B6" t="s"><v>2</v></c><c r="C6" t="s"><v>3</v></c><c r="D6" t="s"><v>4</v></c><c r="E6"><v>1E+21</v></c><c r="F6" t="b"><v>0</v></c></row>
</sheetData><mergeCells count="0"/></worksheet>"#;

#[test]
fn crc32_matches_the_standard_check_value() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
    assert_eq!(crc32(b"12345678901"), 0x539A_E4EE, "a tail shorter than four bytes");
}

#[test]
fn reads_what_other_producers_write() {
    let parts = book(
        &[
            (
                "封面",
                r#"<worksheet><sheetData><row><c t="inlineStr"><is><t>说明</t></is></c></row></sheetData></worksheet>"#,
            ),
            ("运单", SHEET),
        ],
        Some(SST),
    );
    for bytes in [zip(&refs(&parts)), zip_raw(&refs(&parts), false), zip_raw(&refs(&parts), true)] {
        assert_eq!(sheet_names(&bytes).expect("names"), ["封面", "运单"]);
        let b = read(&bytes, Some("运单")).expect("read");
        let rows: Vec<(usize, Vec<&str>)> =
            b.rows.iter().map(|r| (r.row, r.cells.iter().map(String::as_str).collect())).collect();
        assert_eq!(
            rows,
            vec![
                (2, vec!["", "运单号", "顺丰 速运", "EMS", "", "", "", "", ""]),
                (3, vec!["", "P1 23", "773012345678901", "1.5", "true", "", "公式", "2026-11-21T00:00:00", "46000"]),
                (6, vec!["", "trimmed", "a&b中\rc", "", "1000000000000000000000", "false", "", "", ""]),
            ]
        );
        assert_eq!(read(&bytes, None).expect("first").rows[0].cells, ["说明"]);
    }
}

#[test]
fn sheets_without_shared_strings_and_empty_ones() {
    let parts = book(
        &[
            ("空", "<worksheet><sheetData/></worksheet>"),
            ("数", r#"<worksheet><sheetData><row r="1"><c><v>42</v></c></row></sheetData></worksheet>"#),
        ],
        None,
    );
    let bytes = zip(&refs(&parts));
    assert_eq!(read(&bytes, None), Err(ImportError::Empty("所选工作表没有数据")));
    assert_eq!(read(&bytes, Some("数")).expect("数").rows[0].cells, ["42"]);
    let rows = open(&bytes).expect("open").rows(1).expect("rows");
    assert_eq!(rows, vec![Row { row: 0, cells: vec![(0, Value::Number(42.0))] }]);
    assert!(
        matches!(read(&bytes, Some("无")), Err(ImportError::NoSheet { name, available }) if name == "无" && available == "空，数")
    );
}

fn unreadable(bytes: &[u8]) -> (String, String) {
    match read(bytes, None) {
        Err(ImportError::Unreadable { format, detail }) => (format.to_string(), detail),
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[test]
fn other_formats_are_refused_with_advice() {
    let (f, d) = unreadable(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]);
    // A damaged .xls (or a password-protected .xlsx): calamine's error, and what to do.
    assert_eq!(f, "XLS");
    assert!(d.contains("XLS 文件已损坏或无法识别") && d.contains("另存为") && d.contains("WPS"), "{d}");
    let ods = zip(&[("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>")]);
    assert_eq!(unreadable(&ods).0, "ODS");
    let xlsb =
        zip(&[("_rels/.rels", ROOT_RELS.replace("workbook.xml", "workbook.bin").as_str()), ("xl/workbook.bin", "\0")]);
    let (f, d) = unreadable(&xlsb);
    assert_eq!(f, "XLSB");
    assert!(d.starts_with("RedShip 读取 .xlsx、.xls 和 .ods 工作簿，不读取 XLSB"), "{d}");
    let (f, d) = unreadable(b"<html><table><tr><td>1</td></tr></table></html>");
    assert_eq!(f, "XLSX");
    assert!(d.contains("不是 ZIP") && d.contains("另存为"), "{d}");
    assert!(unreadable(&zip(&[("a.txt", "x")])).1.contains("没有工作簿"));
    assert_eq!(read(b"", None), Err(ImportError::Empty("表格文件是空的")));
}

#[test]
fn hostile_input_is_an_error_never_a_panic() {
    let parts = book(&[("S", SHEET)], Some(SST));
    let good = zip(&refs(&parts));
    // Every truncation and a flipped byte at every 7th position: an error or a read, no panic.
    for n in 0..good.len() {
        let _ = read(&good[..n], None);
    }
    for i in (0..good.len()).step_by(7) {
        let mut bad = good.clone();
        bad[i] ^= 0x5A;
        let _ = read(&bad, None);
    }
    // A data byte changed under the same CRC: the checksum catches it.
    let mut stored = zip_raw(&refs(&parts), false);
    let at = stored.windows(9).position(|w| w == b"<row r=\"2").expect("row");
    stored[at + 8] = b'3';
    assert!(unreadable(&stored).1.contains("校验和"));
    // A zip bomb: 64 MB of zeros in a few dozen kilobytes.
    let mut bomb = Writer::new((0, 33));
    for (name, text) in &parts {
        let body = if name.ends_with("sheet1.xml") {
            String::from_utf8(vec![b' '; 64 << 20]).unwrap_or_default()
        } else {
            text.clone()
        };
        bomb.add(name, body.as_bytes()).expect("add");
    }
    let bomb = bomb.finish().expect("bomb");
    assert!(bomb.len() < 1 << 20);
    assert_eq!(open(&bomb).expect("open").rows(0), Err(XlsxError::TooLarge));
    // Cells outside Excel's grid and bad positions.
    for (xml, what) in [
        (r#"<c r="XFE1"><v>1</v></c>"#, "XFE1"),
        (r#"<c r="A1048577"><v>1</v></c>"#, "A1048577"),
        (r#"<c r="1A"><v>1</v></c>"#, "1A"),
        (r#"<c t="s"><v>99</v></c>"#, "共享字符串"),
    ] {
        let sheet = format!("<worksheet><sheetData><row>{xml}</row></sheetData></worksheet>");
        let bytes = zip(&refs(&book(&[("S", &sheet)], Some(SST))));
        assert!(unreadable(&bytes).1.contains(what), "{xml}");
    }
}
