//! Measures the heap a live snapshot holds, natively: 50,000 pending packages shaped like the
//! bench's big shop (`tests/e2e/lib/big-shop.mjs`, buyer fields as the replica masks them) are
//! taken in 500 a page, stored as a base record and opened again, as the worker does at start.
//! A counting allocator reports the bytes held (as requested of the allocator, so without its
//! own overhead) and the peak while opening. Prints figures; asserts nothing about them.
//! Run: `cargo run --release -p redship-core --example snapshot_heap [packages] [base.json]`
//! (the base record is written to `base.json` when named, for measuring the built module).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a measurement, not product code

use redship_core::order::SiteProfile;
use redship_core::transit::collect::IngestRequest;
use redship_core::transit::live::{LiveSnapshot, OpenRequest};
use serde_json::{json, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting the bytes and blocks held and the peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static BLOCKS: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let held = HELD.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(held, Relaxed);
        BLOCKS.fetch_add(1, Relaxed);
        // SAFETY: as the caller promised for `l`.
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        HELD.fetch_sub(l.size(), Relaxed);
        BLOCKS.fetch_sub(1, Relaxed);
        // SAFETY: as the caller promised for `p` and `l`.
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

const NOW: i64 = 1_795_233_600_000;
const SHOP: &str = "shop-big";

/// Package `i` of the bench's shop, in the seen list form.
fn package(i: u64) -> Value {
    let goods = ["玫瑰花茶", "手工皂", "香薰蜡烛", "帆布包", "保温杯"];
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    let regions = [("广东省", "深圳市", "南山区"), ("浙江省", "杭州市", "西湖区"), ("北京市", "北京市", "朝阳区")];
    let id = format!("P3{:017}", 2_026_112_100_000_000u64 + i * 7919);
    let (province, city, district) = regions[(i % 3) as usize];
    let cc = if i % 3 == 0 { "+86" } else { "" };
    json!({
        "packageId": id, "orderId": format!("O{}", &id[1..]), "status": 4, "statusDesc": "待发货",
        "paidAt": NOW - 120_000 - i as i64 * 5000, "actualPaid": 39.9 + (i % 50) as f64,
        "userInfo": {"name": format!("{}**", surnames[(i % 10) as usize]),
                     "phone": format!("{cc}138****{:04}", (i * 37) % 10_000),
                     "province": province, "city": city, "district": district,
                     "address": "金钟路**号阳光花园**栋****", "note": ""},
        "skus": [{"skuId": format!("S{}", i % 40), "displayName": goods[(i % 5) as usize],
                  "skuSpecification": "默认", "skuQuantity": 1 + i % 3, "skuSoldPrice": 39.9}]
    })
}

fn mb(b: usize) -> f64 {
    b as f64 / 1_048_576.0
}

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let profile =
        SiteProfile::from_json(include_str!("../../../extension/site-profile.json")).expect("the shipped profile");
    let open = |snapshot| {
        LiveSnapshot::open(OpenRequest { shop_id: SHOP.into(), snapshot, ..OpenRequest::default() }).expect("open").0
    };
    let mut live = open(None);
    let before = HELD.load(Relaxed);
    for from in (0..n).step_by(500) {
        let packages: Vec<Value> = (from..(from + 500).min(n)).map(package).collect();
        let answer = json!({"code": 0, "success": true, "msg": "", "data": {"total": n, "packages": packages}});
        live.ingest(&IngestRequest { shop_id: SHOP.into(), answer }, &profile, NOW).expect("ingest");
        // As the worker does after each page: the records to store are taken (and dropped here).
        let _ = live.writes(NOW);
    }
    let taken = HELD.load(Relaxed) - before;
    // The base record as a compaction writes it: the snapshot whole.
    let base = serde_json::to_string(live.snapshot()).expect("base");
    drop(live);
    let held = HELD.load(Relaxed);
    PEAK.store(held, Relaxed);
    let (blocks, peak_from) = (BLOCKS.load(Relaxed), held);
    let live = open(Some(serde_json::from_str(&base).expect("the base reads")));
    let opened = HELD.load(Relaxed) - held;
    let opened_blocks = BLOCKS.load(Relaxed) - blocks;
    let peak = PEAK.load(Relaxed) - peak_from;
    assert_eq!(live.snapshot().packages.len() as u64, n);
    println!("{n} packages; base record {:.1} MB of JSON", mb(base.len()));
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &base).expect("base written");
    }
    println!("taken page by page: {:.1} MB held, {} B a package", mb(taken), taken / n as usize);
    println!(
        "opened from the base: {:.1} MB held in {opened_blocks} blocks, {} B and {:.1} blocks a package; \
         peak while parsing {:.1} MB above the JSON text",
        mb(opened),
        opened / n as usize,
        opened_blocks as f64 / n as f64,
        mb(peak)
    );
}
