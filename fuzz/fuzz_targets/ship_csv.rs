//! Fuzzes the CSV importer with raw file bytes: UTF-8 (with or without BOM), UTF-16 with BOM,
//! GBK/GB18030 and garbage. Every input must give a preview or a typed `ImportError`; the
//! encoding sniffer and decoder must agree with the reader (no panic on split multibyte chars).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::ship::{csv_source, import, ImportRequest, ImportSource, ValidationContext};

/// The browser's `TextDecoder("gb18030")`, as encoding_rs implements the same standard.
fn gbk(bytes: &[u8]) -> String {
    encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
}

fuzz_target!(|data: &[u8]| {
    let _ = csv_source::detect_encoding(data).label();
    if let Ok(text) = csv_source::decode(data, &gbk) {
        let _ = csv_source::sniff_delimiter(&text);
        let _ = csv_source::parse_text(&text);
    }
    let _ = csv_source::read(data, &gbk);
    let req = ImportRequest {
        source: ImportSource::Csv,
        text: None,
        bytes: Some(data.to_vec()),
        sheet: None,
        context: ValidationContext::default(),
    };
    let _ = import(&req, &gbk);
});
