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
        let v = serde_json::to_value(&view).expect("preview serialises");
        // Rows come by column: `rows.row` holds each row's line.
        if let Some(rows) = v.get("rows").and_then(|r| r.get("row")).and_then(|r| r.as_array()) {
            for r in rows {
                if let Some(row) = r.as_u64() {
                    assert!(row >= 1 && row as usize <= lines + 1, "row {row} outside the {lines} pasted lines");
                }
            }
        }
        // Whatever came out can be validated again (the preview's edit loop) without a panic.
        let rows = view.rows.iter().map(|r| r.raw.clone()).collect();
        let _ = revalidate(&RevalidateRequest { rows, context: ValidationContext::default() });
    }
});
