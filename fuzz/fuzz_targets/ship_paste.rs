//! Fuzzes the paste importer: any text a merchant could paste (WeChat, Excel, anything) must
//! yield a preview or a typed `ImportError`, never a panic; every preview row must point back
//! at a line of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::ship::{import, revalidate, ImportRequest, ImportSource, RevalidateRequest, ValidationContext};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let lines = text.lines().count().max(1);
    let req = ImportRequest {
        source: ImportSource::Paste,
        text: Some(text),
        bytes: None,
        sheet: None,
        context: ValidationContext::default(),
    };
    // Paste never reaches the GB18030 decoder.
    if let Ok(view) = import(&req, &|b: &[u8]| String::from_utf8_lossy(b).into_owned()) {
        for r in &view.rows {
            assert!(r.row >= 1 && r.row <= lines + 1, "row {} outside the {lines} pasted lines", r.row);
        }
        // Whatever came out can be validated again (the preview's edit loop) without a panic.
        let rows = view.rows.iter().map(|r| r.raw.clone()).collect();
        let _ = revalidate(&RevalidateRequest { rows, context: ValidationContext::default() });
    }
});
