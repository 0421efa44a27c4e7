//! Fuzzes what reaches the quota ledger from outside: stored records (possibly corrupt or from
//! another version) and request JSON as the service worker passes it on from content scripts.
//! Nothing may panic; every failure must be a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redship_core::quota;
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    // Stored records: any JSON under any key.
    if let Some(obj) = value.as_object() {
        let records: BTreeMap<String, serde_json::Value> = obj.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let _ = quota::check_records(&records);
    }
    // Requests: whatever deserialises must be handled without a panic.
    if let Ok(req) = serde_json::from_value::<quota::RecordEventRequest>(value.clone()) {
        let _ = quota::record_event(&req);
    }
    if let Ok(req) = serde_json::from_value::<quota::RecordPageShowsRequest>(value.clone()) {
        let _ = quota::record_page_shows(&req);
    }
    if let Ok(req) = serde_json::from_value::<quota::DashboardRequest>(value) {
        let _ = quota::dashboard(&req);
    }
});
