//! The office module in wasm: workbooks (written by rust_xlsxwriter, an independent writer)
//! read into the same preview the main module gives, `.xls` and `.ods` (xlwt's and odfpy's, from
//! tests/fixtures) read by calamine in wasm, damaged files refused with advice, the CSV and XLSX
//! exports (really running here proves they never touch the missing system clock on
//! wasm32-unknown-unknown), the template edits, the backup file and the reports. Runs in node
//! and, with `WASM_BINDGEN_USE_BROWSER=1`, in Chromium.
// `wasm_bindgen_test` functions are tests that clippy's allow-unwrap-in-tests does not
// recognise (it knows `#[test]` only); a panic here is a failed test, as in the core's tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array, JSON};
use redship_core::transit::collect::{ingest, IngestRequest};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: f64 = 1_795_233_600_000.0;
const CTX: &str =
    r#""knownOrders": {"waiting": "P100000000000001\nP100000000000002"}, "usedNumbers": [], "couriers": []"#;

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("valid JSON")
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |cur, k| match k.parse::<u32>() {
        Ok(i) => Reflect::get_u32(&cur, i).expect("index"),
        Err(_) => Reflect::get(&cur, &JsValue::from_str(k)).expect("get"),
    })
}

fn with_bytes(json: &str, bytes: &[u8]) -> JsValue {
    let req = js(json);
    Reflect::set(&req, &"bytes".into(), &Uint8Array::from(bytes)).expect("set");
    req
}

fn error_name(e: &JsValue) -> String {
    get(e, "name").as_string().unwrap_or_default()
}

/// A warehouse workbook: a cover sheet, then the numbers (the long one stored as a float).
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("说明").expect("name").write_string(0, 0, "仓库回传").expect("write");
    let sheet = book.add_worksheet().set_name("运单").expect("name");
    for (c, h) in ["订单号", "快递公司", "运单号"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    sheet.write_string(1, 0, "P100000000000001").expect("id");
    sheet.write_string(1, 1, "中通").expect("courier");
    sheet.write_number(1, 2, 773012345678.0).expect("number");
    book.save_to_buffer().expect("xlsx")
}

#[wasm_bindgen_test]
fn workbook_sheets_and_import() {
    let bytes = workbook();
    let sheets = redship_office::ship_sheets(with_bytes("{}", &bytes)).expect("sheets");
    assert_eq!(JSON::stringify(&sheets).expect("json").as_string().as_deref(), Some(r#"["说明","运单"]"#));
    let v =
        redship_office::ship_import(with_bytes(&format!(r#"{{"source": "xlsx", {CTX}}}"#), &bytes)).expect("import");
    assert_eq!(get(&v, "sheet").as_string().as_deref(), Some("运单"));
    // Rows come by column; a row names its courier by its position in `couriers`.
    let courier = get(&v, "rows.courier.0").as_f64().expect("courier position");
    assert_eq!(get(&v, &format!("couriers.{courier}.code")).as_string().as_deref(), Some("zto"));
    // Numbers come as one text, a line per row.
    assert_eq!(get(&v, "rows.number").as_string().as_deref(), Some("773012345678"));
}

/// The old formats, written by Python's xlwt and odfpy (`tests/fixtures/make_old_workbooks.py`),
/// read in wasm to the rows the native tests expect (`crate/core/src/xlsx/tests_legacy.rs`).
#[wasm_bindgen_test]
fn xls_and_ods_are_read_in_wasm() {
    let ctx = r#""knownOrders": {"waiting": "P100000000000000\nP100000000000001"}, "usedNumbers": [], "couriers": []"#;
    for bytes in [
        &include_bytes!("../../../tests/fixtures/tracking-old.xls")[..],
        &include_bytes!("../../../tests/fixtures/tracking-old.ods")[..],
    ] {
        let sheets = redship_office::ship_sheets(with_bytes("{}", bytes)).expect("sheets");
        assert_eq!(JSON::stringify(&sheets).expect("json").as_string().as_deref(), Some(r#"["运单","说明"]"#));
        let v =
            redship_office::ship_import(with_bytes(&format!(r#"{{"source": "xlsx", {ctx}}}"#), bytes)).expect("import");
        assert_eq!(get(&v, "sheet").as_string().as_deref(), Some("运单"));
        let numbers = get(&v, "rows.number").as_string().unwrap_or_default();
        let first: Vec<&str> = numbers.lines().take(4).collect();
        assert_eq!(first, ["773012345678901", "SF1234567890123", "4312345678901", "77410938221566"]);
    }
}

#[wasm_bindgen_test]
fn errors_are_named() {
    let not_a_book = with_bytes(&format!(r#"{{"source": "xlsx", {CTX}}}"#), b"not a workbook");
    assert_eq!(error_name(&redship_office::ship_import(not_a_book).expect_err("unreadable")), "ImportError");
    let missing = redship_office::ship_sheets(js("{}")).expect_err("no bytes");
    assert_eq!(error_name(&missing), "RequestError");
    let xls = with_bytes(&format!(r#"{{"source": "xlsx", {CTX}}}"#), &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let xls = redship_office::ship_import(xls).expect_err("a damaged xls");
    assert_eq!(error_name(&xls), "ImportError");
    assert!(get(&xls, "message").as_string().unwrap_or_default().contains("另存为"));
    let none = redship_office::ship_sheets(js(r#"{"bytes": null}"#)).expect_err("null bytes");
    assert_eq!(error_name(&none), "ImportError");
    let bad_shape = redship_office::transit_export_xlsx(JsValue::NULL, JsValue::NULL, JsValue::NULL, js("{}"));
    assert_eq!(error_name(&bad_shape.expect_err("no snapshot")), "RequestError");
}

/// One package's snapshot as the worker's `TransitLive.exportPart` gives it: ingested (and
/// masked) by the core; the buyer's remark holds a phone number, the product name a formula.
fn exported_part() -> JsValue {
    let package = r#"{"packageId":"P2026112100000001","orderId":"O1","paidAt":1795233599000,"status":4,"statusDesc":"待发货",
        "userInfo":{"receiver":"张三丰","phone":"13812345678","address":"广东省深圳市南山区科技园路1号","buyerRemark":"电话13912345678"},
        "skus":[{"skuId":"S1","name":"=杯子","spec":"白","quantity":2}]}"#;
    let answer = format!(r#"{{"code":0,"success":true,"msg":"","data":{{"total":1,"packages":[{package}]}}}}"#);
    let req = IngestRequest { shop_id: "shop1".into(), answer: serde_json::from_str(&answer).expect("answer") };
    let profile = redship_core::order::SiteProfile::from_json(include_str!("../../../extension/site-profile.json"))
        .expect("the shipped profile");
    let (snapshot, _) = ingest(None, &req, &profile, NOW as i64).expect("ingest");
    let snapshot = js(&serde_json::to_string(&snapshot).expect("snapshot"));
    assert!(!JSON::stringify(&snapshot).expect("json").as_string().unwrap_or_default().contains("13812345678"));
    snapshot
}

#[wasm_bindgen_test]
fn xlsx_export_runs_in_wasm() {
    let snapshot = exported_part();
    let xlsx = redship_office::transit_export_xlsx(
        snapshot,
        JsValue::NULL,
        JsValue::NULL,
        js(&format!(r#"{{"nowMs":{NOW}}}"#)),
    )
    .expect("xlsx in wasm");
    let bytes: Uint8Array = get(&xlsx, "bytes").dyn_into().expect("Uint8Array");
    assert!(bytes.length() > 1000);
    assert_eq!(&bytes.to_vec()[..2], b"PK");
    assert_eq!(get(&xlsx, "packages").as_f64(), Some(1.0));
    assert!(get(&xlsx, "fileName").as_string().unwrap_or_default().ends_with(".xlsx"));
}

/// The CSV export (moved here from the main module: exports are rare): UTF-8 with BOM, a formula
/// made harmless, no plaintext buyer data; an unknown template is an `ExportError`.
#[wasm_bindgen_test]
fn csv_export_runs_in_wasm() {
    let now = js(&format!(r#"{{"nowMs":{NOW}}}"#));
    let csv = redship_office::transit_export_csv(exported_part(), JsValue::NULL, JsValue::NULL, now).expect("csv");
    let bytes: Uint8Array = get(&csv, "bytes").dyn_into().expect("Uint8Array");
    let bytes = bytes.to_vec();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("包裹号,"), "{text}");
    assert!(text.contains("'=杯子") && !text.contains("13912345678"), "{text}");
    assert!(get(&csv, "fileName").as_string().unwrap_or_default().ends_with(".csv"));
    let req = js(&format!(r#"{{"nowMs":{NOW},"templateId":"nope"}}"#));
    let err = redship_office::transit_export_csv(exported_part(), JsValue::NULL, JsValue::NULL, req);
    assert_eq!(error_name(&err.expect_err("unknown template")), "ExportError");
}

/// The backup file, written here, is the core's format: the core reads it back with the same
/// passphrase and refuses another, and so does this module's `vaultBackupOpen`; a bad request
/// is a `RequestError`, bad randomness, a wrong passphrase or no backup a `VaultError` with its
/// `code`.
#[wasm_bindgen_test]
fn backup_file_is_written_by_the_office_module() {
    let req = js(r#"{"records": [{"key": "quota/s/2026-11-21", "writtenMs": 3, "value": {"v": 1}}],
        "passphrase": "backup pass", "iterations": 1000, "nowMs": 4}"#);
    let random: Vec<u8> = (0..28u8).map(|i| i.wrapping_mul(37).wrapping_add(5)).collect();
    let text = redship_office::vault_backup_export(req.clone(), &random).expect("backup written");
    let contents = redship_core::vault::backup::import_backup(&text, "backup pass").expect("the core reads it");
    assert_eq!(contents.records.len(), 1);
    assert_eq!(contents.records[0].value, serde_json::json!({"v": 1}));
    assert!(redship_core::vault::backup::import_backup(&text, "other pass").is_err());
    let err = redship_office::vault_backup_export(req, &[1, 2]).unwrap_err();
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("VaultError"));
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("Randomness"));
    let bad = redship_office::vault_backup_export(js(r#"{"records": 5}"#), &random).unwrap_err();
    assert_eq!(get(&bad, "name").as_string().as_deref(), Some("RequestError"));
    // Opened here too, with its own passphrase, for the main module's `VaultSession.restore`.
    let open = |text: &str, pass: &str| {
        let req = js(r#"{}"#);
        Reflect::set(&req, &"text".into(), &text.into()).expect("set");
        Reflect::set(&req, &"passphrase".into(), &pass.into()).expect("set");
        redship_office::vault_backup_open(req)
    };
    let opened = open(&text, "backup pass").expect("opened");
    assert_eq!(get(&opened, "createdMs").as_f64(), Some(4.0));
    assert_eq!(get(&opened, "records.0.key").as_string().as_deref(), Some("quota/s/2026-11-21"));
    assert_eq!(get(&opened, "records.0.value.v").as_f64(), Some(1.0));
    assert_eq!(
        get(&open(&text, "wrong pass!").expect_err("wrong"), "code").as_string().as_deref(),
        Some("WrongPassphrase")
    );
    assert_eq!(
        get(&open("not a backup", "x").expect_err("no backup"), "code").as_string().as_deref(),
        Some("BadBackup")
    );
}

/// The fill report's CSV, from a run record as the worker holds it: headers in the language
/// asked for, the planned row's number in it; a request without a run is a `RequestError`.
#[wasm_bindgen_test]
fn fill_report_csv_is_written_by_the_office_module() {
    use redship_core::ship::plan::{plan, FillMode, PlanRequest};
    use redship_core::ship::{KnownOrder, RawEntry, ValidationContext};
    let context = ValidationContext {
        known_orders: vec![KnownOrder { package_id: "P100000000000001".into(), waiting: true, unclear: false }],
        ..ValidationContext::default()
    };
    let rows = vec![RawEntry {
        row: 1,
        package_id: "P100000000000001".into(),
        courier: "中通".into(),
        number: "773012345678".into(),
    }];
    let req =
        PlanRequest { run_id: "r1".into(), mode: FillMode::Ship, rows, context, pace: Default::default(), now_ms: 1 };
    let run = plan(&req).expect("planned");
    let request = js(&format!(r#"{{"run": {}, "lang": "en"}}"#, serde_json::to_string(&run).expect("json")));
    let csv = redship_office::ship_report_csv(request).expect("csv");
    assert!(csv.contains("Tracking number") && csv.contains("773012345678"), "{csv}");
    let zh = js(&format!(r#"{{"run": {}}}"#, serde_json::to_string(&run).expect("json")));
    assert!(redship_office::ship_report_csv(zh).expect("csv").contains("运单号"));
    let bad = redship_office::ship_report_csv(js("{}")).unwrap_err();
    assert_eq!(get(&bad, "name").as_string().as_deref(), Some("RequestError"));
}

/// The export templates' edits (rare, so here): a saved template is selected and in the view, a
/// delete falls back to the default, an unknown one is an `ExportError`.
#[wasm_bindgen_test]
fn template_edits_answer_the_record_and_its_view() {
    let mine = js(r#"{"id": "mine", "name": "我的", "columns": [{"field": "packageId", "header": "包裹"}]}"#);
    let saved = redship_office::transit_template_save(JsValue::NULL, mine).expect("saved");
    assert_eq!(get(&saved, "view.selected").as_string().as_deref(), Some("mine"));
    assert_eq!(get(&saved, "view.fields.0.labelEn").as_string().as_deref(), Some("Package ID"));
    let book = get(&saved, "templates");
    assert_eq!(get(&book, "selected").as_string().as_deref(), Some("mine"));
    let picked = redship_office::transit_template_select(book.clone(), js(r#"{"id": "mine"}"#)).expect("selected");
    assert_eq!(get(&picked, "view.selected").as_string().as_deref(), Some("mine"));
    let gone = redship_office::transit_template_delete(book.clone(), js(r#"{"id": "mine"}"#)).expect("deleted");
    assert_ne!(get(&gone, "view.selected").as_string().as_deref(), Some("mine"));
    let unknown = redship_office::transit_template_select(book, js(r#"{"id": "nope"}"#)).expect_err("unknown");
    assert_eq!(error_name(&unknown), "ExportError");
}

/// The self-check's diagnostic report (asked for by a button, so here): the versions it names;
/// an input of the wrong shape is a `SelfCheckError`.
#[wasm_bindgen_test]
fn selfcheck_report_is_written_by_the_office_module() {
    let input = js(r#"{"profileVersion": 7, "coreVersion": "0.2.0"}"#);
    let text = redship_office::selfcheck_report(input, NOW).expect("report");
    assert!(text.contains("core: 0.2.0 · site profile: v7"), "{text}");
    let bad = redship_office::selfcheck_report(js("5"), NOW).expect_err("not an input");
    assert_eq!(error_name(&bad), "SelfCheckError");
}

/// The quota's problems log (merged here: only when a problem was found): the same problem again
/// adds nothing (null, no write), a new one is appended, a stored log that cannot be read is
/// started afresh, and problems of the wrong shape are a `QuotaError`.
#[wasm_bindgen_test]
fn problems_log_lists_a_problem_once_and_starts_afresh_from_junk() {
    let found = js(r#"[{"kind": "other", "record": "quota/s1/2026-11-21", "message": "bad", "action": "reset"}]"#);
    let log = redship_office::quota_merge_problems(JsValue::NULL, found.clone(), NOW).expect("merged");
    let items = Array::from(&get(&log, "items"));
    assert_eq!(items.length(), 1);
    assert_eq!(get(&items.get(0), "record").as_string().as_deref(), Some("quota/s1/2026-11-21"));
    assert_eq!(get(&items.get(0), "atMs").as_f64(), Some(NOW));
    let stored = js(&JSON::stringify(&log).expect("json").as_string().expect("text"));
    assert!(redship_office::quota_merge_problems(stored.clone(), found, NOW + 1.0).expect("merged").is_null());
    let other = js(r#"[{"record": "quota/s1/2026-11-22", "message": "worse", "action": "removed"}]"#);
    let log = redship_office::quota_merge_problems(stored, other.clone(), NOW + 2.0).expect("merged");
    assert_eq!(Array::from(&get(&log, "items")).length(), 2);
    let fresh = redship_office::quota_merge_problems(js(r#""junk""#), other, NOW).expect("merged");
    assert_eq!(Array::from(&get(&fresh, "items")).length(), 1);
    let bad = redship_office::quota_merge_problems(JsValue::NULL, js("[5]"), NOW).expect_err("not problems");
    assert_eq!(error_name(&bad), "QuotaError");
}
