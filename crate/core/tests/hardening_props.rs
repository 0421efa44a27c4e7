//! Hardening property tests against the public core API, adding what the domains' own
//! proptests (order/proptests.rs, quota/proptests.rs, transit/export_tests.rs) do not cover:
//! - the quota ledger's invariants through the service operation the worker calls, with records
//!   round-tripped through JSON as the store does, across China days and replayed deliveries;
//! - the leak guard catching a plain phone or ID however hostile the text around it is;
//! - the masker hiding phones split by invisible format characters (zero-width, bidi);
//! - hostile, non-numeric product text surviving both exports literally and formula-safe.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code (cfg'd with a feature, which clippy does not see as a test): a panic is a failed test

use proptest::prelude::*;
use redship_core::chinaday::ChinaDay;
use redship_core::order::leak::{scan_cell, ColumnClass};
use redship_core::order::mask::mask_text;
use redship_core::order::SiteProfile;
use redship_core::quota::{self, DayLedger, DecryptEvent, EventOutcome, QuotaInputs, RecordEventRequest};
use redship_core::transit::collect::{ingest, IngestRequest};
use redship_core::transit::export_csv::{export_csv, read_csv};
use redship_core::transit::export_xlsx::{export_xlsx, read_xlsx};
use redship_core::transit::neutralise;
use redship_core::transit::table::ExportRequest;
use serde_json::{json, Value};

/// The site profile RedShip ships.
fn profile() -> SiteProfile {
    SiteProfile::from_json(include_str!("../../../extension/site-profile.json")).expect("the shipped profile reads")
}
use std::collections::{BTreeMap, HashMap, HashSet};

/// 2026-11-21 00:00 China time.
const DAY0: i64 = 1_795_190_400_000;
const SHOP: &str = "店铺<b>";

/// Text around buyer data that a hostile or odd page can produce.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("</script><script>alert(1)</script>".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("\u{202E}gnp.exe\u{202C}".to_string()),
        Just("👩‍👩‍👧‍👦🇨🇳".to_string()),
        Just("=HYPERLINK(\"http://x\")".to_string()),
        Just("电话：".to_string()),
        Just(" ".to_string()),
        Just("\"".to_string()),
        "[一-龥]{1,4}",
    ]
}

fn no_numerals(s: &str) -> bool {
    !s.chars().any(char::is_numeric)
}

#[derive(Debug, Clone)]
struct Ev {
    pkg: u8,
    ok: bool,
    step: i64,
    replay: bool,
}

fn ev() -> impl Strategy<Value = Ev> {
    (0u8..12, prop::bool::weighted(0.8), 0i64..8 * 3_600_000, prop::bool::weighted(0.1))
        .prop_map(|(pkg, ok, step, replay)| Ev { pkg, ok, step, replay })
}

proptest! {
    // No regression files: a failure prints its minimal input, which goes into a named test.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Through `record_event`, records saved and reloaded as JSON between calls: each China
    /// day's used count is the number of distinct packages decrypted successfully that day,
    /// never more than that day's successful answers, and a replayed delivery changes nothing.
    #[test]
    fn service_ledger_counts_distinct_packages_per_day(events in prop::collection::vec(ev(), 1..60)) {
        let mut store: BTreeMap<String, Value> = BTreeMap::new();
        let mut charged: HashMap<String, HashSet<u8>> = HashMap::new();
        let mut successes: HashMap<String, usize> = HashMap::new();
        let mut clock = DAY0 + 3_600_000;
        let mut last: Option<RecordEventRequest> = None;
        for e in events {
            let replay = e.replay && last.is_some();
            let req = if replay {
                let mut r = last.clone().expect("checked");
                r.inputs.ledgers = load(&store, r.now_ms);
                r
            } else {
                clock += e.step;
                RecordEventRequest {
                    inputs: QuotaInputs { ledgers: load(&store, clock), ..QuotaInputs::default() },
                    event: DecryptEvent {
                        shop: SHOP.into(),
                        package_id: format!("P{:018}", 786_000_000_000_000u64 + u64::from(e.pkg)),
                        outcome: if e.ok { "success" } else { "refused" }.into(),
                        tab_id: Some(1),
                        at_ms: clock,
                        quota_spent: false,
                    },
                    now_ms: clock,
                }
            };
            let update = quota::record_event(&req).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for k in &update.removed {
                store.remove(k);
            }
            for r in &update.changed {
                store.insert(r.key.clone(), r.value.clone());
            }
            if !replay {
                let day = ChinaDay::from_ms(req.event.at_ms).iso();
                if e.ok {
                    *successes.entry(day.clone()).or_default() += 1;
                    let fresh = charged.entry(day.clone()).or_default().insert(e.pkg);
                    let want = if fresh { EventOutcome::Charged } else { EventOutcome::Repeat };
                    prop_assert_eq!(update.outcome, Some(want));
                } else {
                    prop_assert_eq!(update.outcome, Some(EventOutcome::Refused));
                }
                last = Some(req);
            }
            for (key, value) in &store {
                let Some((_, day)) = quota::parse_ledger_key(key) else { continue };
                let ledger = DayLedger::load(key, value).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let iso = day.iso();
                let distinct = charged.get(&iso).map_or(0, HashSet::len);
                prop_assert_eq!(ledger.used() as usize, distinct, "day {}", iso);
                prop_assert!(ledger.used() as usize <= successes.get(&iso).copied().unwrap_or(0));
            }
        }
    }

    /// A plain mobile number or ID anywhere in hostile text is caught by the export scan in
    /// buyer and notes columns.
    #[test]
    fn leak_guard_finds_plain_numbers_in_hostile_text(
        before in prop::collection::vec(hostile_piece(), 0..4),
        after in prop::collection::vec(hostile_piece(), 0..4),
        phone in "1[3-9][0-9]{9}",
        use_id in any::<bool>(),
    ) {
        let secret = if use_id { "11010519491231002X".to_string() } else { phone };
        let text = format!("{}{}{}", before.concat(), secret, after.concat());
        prop_assert!(scan_cell(&text, ColumnClass::Buyer).is_some(), "buyer column missed {:?}", text);
        prop_assert!(scan_cell(&text, ColumnClass::Notes).is_some(), "notes column missed {:?}", text);
    }

    /// A phone number split by invisible format characters (zero-width space, bidi marks) still
    /// reads as a phone number to a person, so the masker must hide it.
    #[test]
    fn masker_sees_through_invisible_characters(
        phone in "1[3-9][0-9]{9}",
        cut in 1usize..10,
        mark in prop::sample::select(vec!['\u{200B}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{202E}', '\u{2066}']),
    ) {
        let text = format!("电话{}{}{}", &phone[..cut], mark, &phone[cut..]);
        let masked = mask_text(&text);
        let visible: String = masked.chars().filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')).collect();
        prop_assert!(!visible.contains(phone.as_str()), "{:?} masked to {:?}", text, masked);
    }

    /// Hostile product text without numerals is exported literally (formula-looking cells get a
    /// leading apostrophe), in CSV and XLSX alike, and never blocks the export.
    #[test]
    fn hostile_product_text_survives_both_exports(
        name in prop::collection::vec(hostile_piece(), 1..5).prop_map(|v| v.concat()),
        spec in "[^0-9]{0,40}".prop_filter("no numerals", |s| no_numerals(s)),
        long in 0usize..2,
    ) {
        let name = if long == 1 { format!("{name}{}", "长".repeat(10_000)) } else { name };
        let answer = json!({"packages": [{
            "packageId": "P786000000000000001", "orderId": "O1", "paidAt": DAY0 + 1000, "status": 4,
            "userInfo": {"receiver": "张**", "phone": "138****1234", "address": "广东省深圳市南山区****", "buyerRemark": name},
            "skus": [{"skuId": "S1", "name": name, "spec": spec, "quantity": 1, "price": 1.0}],
        }]});
        let (snap, _) = ingest(None, &IngestRequest { shop_id: "s".into(), answer }, &profile(), DAY0 + 2000)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let csv = export_csv(&snap, None, None, &ExportRequest::default(), DAY0 + 3000).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let xlsx = export_xlsx(&snap, None, None, &ExportRequest::default(), DAY0 + 3000).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (what, rows) in [("csv", read_csv(&csv.bytes)), ("xlsx", read_xlsx(&xlsx.bytes))] {
            let rows = rows.map_err(|e| TestCaseError::fail(e.to_string()))?;
            let col = |h: &str| rows[0].iter().position(|c| c == h).expect("column");
            // Surrounding whitespace is trimmed on ingest (a normalisation, not a loss).
            prop_assert_eq!(&rows[1][col("商品名称")], &neutralise(name.trim()), "{} product", what);
            prop_assert_eq!(&rows[1][col("规格")], &neutralise(spec.trim()), "{} spec", what);
            for cell in &rows[1] {
                prop_assert!(!matches!(cell.chars().next(), Some('=' | '+' | '-' | '@')), "{} active cell {:?}", what, cell);
            }
        }
    }
}

/// The ledgers the worker would load for `SHOP` at `now_ms`, from the store.
fn load(store: &BTreeMap<String, Value>, now_ms: i64) -> BTreeMap<String, Value> {
    quota::ledger_keys(SHOP, now_ms)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|k| store.get(&k).map(|v| (k, v.clone())))
        .collect()
}

/// The concrete case behind `masker_sees_through_invisible_characters`, end to end: a buyer
/// remark whose phone number carries a zero-width space must not reach the exported file in a
/// form a person reads as the number.
#[test]
fn zero_width_split_phone_never_reaches_an_export() {
    let remark = "到了打1\u{200B}3912345678";
    let answer = json!({"packages": [{
        "packageId": "P786000000000000002", "orderId": "O2", "paidAt": DAY0 + 1000, "status": 4,
        "userInfo": {"receiver": "张**", "phone": "138****1234", "address": "广东省深圳市南山区****", "buyerRemark": remark},
        "skus": [{"skuId": "S1", "name": "杯", "spec": "", "quantity": 1, "price": 1.0}],
    }]});
    let (snap, _) =
        ingest(None, &IngestRequest { shop_id: "s".into(), answer }, &profile(), DAY0 + 2000).expect("ingest");
    if let Ok(file) = export_csv(&snap, None, None, &ExportRequest::default(), DAY0 + 3000) {
        let text: String = String::from_utf8_lossy(&file.bytes).chars().filter(|c| *c != '\u{200B}').collect();
        assert!(!text.contains("13912345678"), "the export shows the buyer's phone: {text}");
    }
}
