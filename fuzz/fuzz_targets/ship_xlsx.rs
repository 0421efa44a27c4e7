//! Fuzzes the in-house XLSX reader with raw workbook bytes (zip + XML, or anything else): a
//! preview or a typed `ImportError`, never a panic, whatever sheet is asked for; every sheet's
//! cells and the export's read-back too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::ship::{import, xlsx_source, ImportRequest, ImportSource, ValidationContext};
use redship_core::transit::export_xlsx::read_xlsx;

fuzz_target!(|data: &[u8]| {
    let _ = xlsx_source::sheet_names(data);
    let _ = read_xlsx(data);
    if let Ok(mut book) = redship_core::xlsx::open(data) {
        for i in 0..book.sheet_names().len() {
            let _ = book.rows(i);
        }
    }
    for sheet in [None, Some("Sheet1".to_string()), Some("不存在".to_string())] {
        let req = ImportRequest {
            source: ImportSource::Xlsx,
            text: None,
            bytes: Some(data.to_vec()),
            sheet,
            context: ValidationContext::default(),
        };
        // A workbook never reaches the GB18030 decoder.
        let _ = import(&req, &|b: &[u8]| String::from_utf8_lossy(b).into_owned());
    }
});
