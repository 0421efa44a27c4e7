//! The older formats: `.xls` and `.ods` written by independent writers (Python's xlwt and
//! odfpy, `tests/fixtures/make_old_workbooks.py`) import to the same verdicts as the same rows
//! written as `.xlsx` (rust_xlsxwriter). The committed fixtures are the script's output; the
//! script is run again into `target/` when Python has both packages (skipped, saying why, when
//! not), so a change of writer version is caught too.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use crate::ship::validate::PreviewView;
use crate::ship::{csv_source, import, xlsx_source, ImportRequest, ImportSource, KnownOrder, ValidationContext};
use rust_xlsxwriter::Workbook;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::Command;

const XLS: &[u8] = include_bytes!("../../../../tests/fixtures/tracking-old.xls");
const ODS: &[u8] = include_bytes!("../../../../tests/fixtures/tracking-old.ods");
const ROWS: &str = include_str!("../../../../tests/fixtures/rows.json");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The same rows as an `.xlsx`, from the script's `rows.json`: numbers as numeric cells, the
/// title merged across the three columns, the notes on a second sheet.
fn xlsx_of(rows_json: &str) -> Vec<u8> {
    let spec: Json = serde_json::from_str(rows_json).unwrap();
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet().set_name("运单").unwrap();
    for (r, row) in spec["rows"].as_array().unwrap().iter().enumerate() {
        for (c, v) in row.as_array().unwrap().iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v {
                Json::String(s) if r == 0 => {
                    sheet.merge_range(0, 0, 0, 2, s, &rust_xlsxwriter::Format::new()).unwrap();
                }
                Json::String(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                Json::Number(n) => {
                    sheet.write_number(r, c, n.as_f64().unwrap()).unwrap();
                }
                _ => {}
            }
        }
    }
    let notes = wb.add_worksheet().set_name("说明").unwrap();
    for (r, row) in spec["notes"].as_array().unwrap().iter().enumerate() {
        notes.write_string(r as u32, 0, row[0].as_str().unwrap()).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn preview(bytes: &[u8]) -> PreviewView {
    let known =
        (0..7).map(|i| KnownOrder { package_id: format!("P1000000000000{i:02}"), waiting: true, unclear: false });
    let context = ValidationContext { known_orders: known.collect(), ..ValidationContext::default() };
    let req =
        ImportRequest { source: ImportSource::Xlsx, text: None, bytes: Some(bytes.to_vec()), sheet: None, context };
    import(&req, &csv_source::test_gb18030).unwrap()
}

/// Every row's verdict as the preview gives it: row, order, courier code, number, verdict,
/// reason codes; and what the reader learnt (header row, columns, ignored rows, sheets).
fn verdicts(v: &PreviewView) -> Vec<String> {
    let mut out: Vec<String> = v
        .rows
        .iter()
        .map(|r| {
            let codes: Vec<&str> = r.reasons.iter().map(|x| x.code.as_str()).collect();
            format!("{} {} {} {} {:?} {:?}", r.row, r.package_id, r.courier_code, r.number, r.verdict, codes)
        })
        .collect();
    let m = &v.meta;
    out.push(format!(
        "header {:?} ignored {:?} sheets {:?} sheet {:?}",
        m.header_row, m.ignored_rows, m.sheets, m.sheet
    ));
    out
}

fn assert_same_verdicts(xls: &[u8], ods: &[u8], rows_json: &str) {
    let want = verdicts(&preview(&xlsx_of(rows_json)));
    assert_eq!(verdicts(&preview(xls)), want, "xls");
    assert_eq!(verdicts(&preview(ods)), want, "ods");
}

#[test]
fn old_formats_import_to_the_same_verdicts_as_xlsx() {
    assert_same_verdicts(XLS, ODS, ROWS);
    let v = preview(XLS);
    let row = |n: usize| v.rows.iter().find(|r| r.row == n).unwrap();
    assert_eq!(row(3).number, "773012345678901", "a long number stored as a float keeps its digits");
    assert_eq!(row(6).number, "77410938221566", "a number written in groups");
    assert_eq!(row(10).number, "SF1402558133092");
    assert_eq!((v.counts.ok, v.counts.warning, v.counts.error), (5, 1, 2), "{:?}", verdicts(&v));
    assert_eq!(v.meta.header_row, Some(2));
    assert_eq!(v.meta.ignored_rows, vec![12]);
}

#[test]
fn old_formats_list_their_sheets_and_read_the_one_asked_for() {
    for bytes in [XLS, ODS] {
        assert_eq!(xlsx_source::sheet_names(bytes).unwrap(), vec!["运单", "说明"]);
        let notes = xlsx_source::read(bytes, Some("说明")).unwrap();
        assert_eq!(notes.rows[1].cells, vec!["第二张工作表：不是运单"]);
        assert!(xlsx_source::read(bytes, Some("无")).is_err());
    }
}

#[test]
fn a_damaged_old_file_says_which_format_and_what_to_do() {
    let mut cut = XLS[..XLS.len() / 2].to_vec();
    cut.extend_from_slice(&[0; 64]);
    let err = xlsx_source::read(&cut, None).unwrap_err().to_string();
    assert!(err.contains("XLS") && err.contains(".xlsx"), "{err}");
    // An ODS whose body is missing: a ZIP with only the OpenDocument mimetype.
    let mut zip = crate::xlsx::zip::Writer::new((0, 0x21));
    zip.add("mimetype", b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    let ods = zip.finish().unwrap();
    let err = xlsx_source::read(&ods, None).unwrap_err().to_string();
    assert!(err.contains("ODS"), "{err}");
}

/// The fixtures again, from the script, with whatever xlwt and odfpy Python has: skipped, with a
/// message, when Python or either package is missing (`./build.sh test-native` installs them).
#[test]
fn the_script_still_makes_fixtures_that_read_the_same() {
    let have = Command::new("python3").args(["-c", "import xlwt, odf"]).output();
    if !have.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: python3 with xlwt and odfpy is not available (pip install xlwt odfpy)");
        return;
    }
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fixtures-old-formats");
    let status = Command::new("python3").arg(fixtures().join("make_old_workbooks.py")).arg(&out).status().unwrap();
    assert!(status.success());
    let read = |name: &str| std::fs::read(out.join(name)).unwrap();
    let rows = String::from_utf8(read("rows.json")).unwrap();
    assert_eq!(rows, ROWS, "rows.json is the committed one: re-run the script into tests/fixtures");
    assert_same_verdicts(&read("tracking-old.xls"), &read("tracking-old.ods"), &rows);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
    /// An `.xls` or `.ods` cut short (a half-downloaded file) is an error that says so, never a
    /// panic: in the extension a panic would end the call with no message. (Bytes changed
    /// inside an `.xls` can still panic calamine 0.38: README, "Dependencies and why".)
    #[test]
    fn old_files_cut_short_never_panic(ods in proptest::prelude::any::<bool>(), cut in 0usize..6000) {
        let mut bytes = if ods { ODS.to_vec() } else { XLS.to_vec() };
        bytes.truncate(cut.max(8));
        let read = xlsx_source::read(&bytes, None);
        proptest::prop_assert!(read.is_err() || cut >= bytes.len());
        let _ = xlsx_source::sheet_names(&bytes);
    }
}
