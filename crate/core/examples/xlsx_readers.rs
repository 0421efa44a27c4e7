//! Measures the two XLSX readers on a 10,000-row tracking sheet, natively: the in-house reader
//! (`xlsx_source::read`, what the import uses) and calamine's `Xlsx` (which the office module
//! carries for `.xls` and `.ods`), each to the same text grid. Prints medians; asserts only that
//! both read the same cells. Run: `cargo run --release -p redship-core --example xlsx_readers`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a measurement, not product code

use calamine::{Data, Reader, Xlsx};
use redship_core::ship::xlsx_source;
use rust_xlsxwriter::Workbook;
use std::io::Cursor;
use std::time::Instant;

const ROWS: u32 = 10_000;
const RUNS: usize = 15;

fn sheet() -> Vec<u8> {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    for (c, h) in ["订单号", "快递公司", "运单号", "备注"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    let couriers = ["中通", "顺丰速运", "韵达", "圆通"];
    for r in 1..=ROWS {
        s.write_string(r, 0, format!("P{:015}", 100_000_000_000_000u64 + u64::from(r))).unwrap();
        s.write_string(r, 1, couriers[r as usize % 4]).unwrap();
        match r % 4 {
            0 => s.write_number(r, 2, 773_000_000_000f64 + f64::from(r)).unwrap(),
            1 => s.write_string(r, 2, format!("SF{:013}", r)).unwrap(),
            2 => s.write_number(r, 2, 4_312_000_000_000f64 + f64::from(r)).unwrap(),
            _ => s.write_string(r, 2, format!("YT{:013}", r)).unwrap(),
        };
        s.write_string(r, 3, "尽快发货").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn ours(bytes: &[u8]) -> Vec<Vec<String>> {
    xlsx_source::read(bytes, None).unwrap().rows.into_iter().map(|r| r.cells).collect()
}

fn calamine(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|d| match d {
                    Data::String(s) => s.clone(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn median_ms(f: impl Fn() -> usize) -> f64 {
    let mut t: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[RUNS / 2]
}

fn main() {
    let bytes = sheet();
    assert_eq!(ours(&bytes), calamine(&bytes), "both readers read the same cells");
    let a = median_ms(|| ours(&bytes).len());
    let b = median_ms(|| calamine(&bytes).len());
    println!("10,000-row XLSX ({} KB), median of {RUNS} runs, native --release:", bytes.len() / 1024);
    println!("  in-house reader (xlsx_source::read): {a:.1} ms");
    println!("  calamine Xlsx (to the same grid):    {b:.1} ms  ({:.2}x the in-house time)", b / a);
}
