//! How the three quota requests are read: one flat record with the shared inputs' fields at the
//! top level, then converted to the request the export asked for.
//!
//! The requests keep [`QuotaInputs`] as one field (`#[serde(flatten)]` when written), but reading
//! a flattened field makes serde copy the whole request, ledgers included, into a generic buffer
//! and read it again from there: code generated per request type that every worker start
//! compiles, and a second pass on the cold-start path (the dashboard). This record reads in one
//! pass and accepts what the flattened form accepted: every input optional, unknown fields
//! ignored.

use super::api::{
    DashboardRequest, DecryptEvent, PageDecrypt, PageEventRequest, QuotaInputs, RecordEventRequest,
    RecordPageShowsRequest, ShownQuota, SilentReport, SilentRequest,
};
use super::limit::PaidOrdersDay;
use super::raise::RouteCounts;
use crate::tagged::{need, TagError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Any quota request as it is read: the inputs, then each request's own fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaWire {
    #[serde(default)]
    settings: Option<Value>,
    #[serde(default)]
    ledgers: BTreeMap<String, Value>,
    #[serde(default)]
    paid_orders: Vec<PaidOrdersDay>,
    #[serde(default)]
    routes: RouteCounts,
    #[serde(default)]
    endpoint: Option<Value>,
    event: Option<DecryptEvent>,
    page_event: Option<PageDecrypt>,
    silent: Option<SilentReport>,
    shows: Option<Vec<ShownQuota>>,
    reads: Option<Vec<super::reads::PageRead>>,
    shop: Option<String>,
    now_ms: i64,
}

impl QuotaWire {
    /// Takes the inputs out; the request's own fields stay.
    fn take_inputs(&mut self) -> QuotaInputs {
        QuotaInputs {
            settings: self.settings.take(),
            ledgers: std::mem::take(&mut self.ledgers),
            paid_orders: std::mem::take(&mut self.paid_orders),
            routes: std::mem::take(&mut self.routes),
            endpoint: self.endpoint.take(),
        }
    }
}

impl TryFrom<QuotaWire> for RecordEventRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), event: need(w.event, "event")?, now_ms: w.now_ms })
    }
}

impl TryFrom<QuotaWire> for PageEventRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), page_event: need(w.page_event, "pageEvent")?, now_ms: w.now_ms })
    }
}

impl TryFrom<QuotaWire> for SilentRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), silent: need(w.silent, "silent")?, now_ms: w.now_ms })
    }
}

impl TryFrom<QuotaWire> for RecordPageShowsRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), shows: need(w.shows, "shows")?, now_ms: w.now_ms })
    }
}

impl TryFrom<QuotaWire> for super::reads::RecordPageReadsRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), reads: need(w.reads, "reads")?, now_ms: w.now_ms })
    }
}

impl TryFrom<QuotaWire> for DashboardRequest {
    type Error = TagError;

    fn try_from(mut w: QuotaWire) -> Result<Self, TagError> {
        Ok(Self { inputs: w.take_inputs(), shop: need(w.shop, "shop")?, now_ms: w.now_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    #[test]
    fn each_request_reads_back_what_is_written() {
        let inputs = QuotaInputs {
            settings: Some(json!({"v": 1})),
            ledgers: BTreeMap::from([("quota.ledger.s.2026-11-22".to_string(), json!({"v": 1}))]),
            paid_orders: vec![],
            routes: RouteCounts::default(),
            endpoint: None,
        };
        let dash = DashboardRequest { inputs: inputs.clone(), shop: "店".into(), now_ms: 5 };
        assert_eq!(read::<DashboardRequest>(serde_json::to_value(&dash).unwrap()), Ok(dash));
        let shows = RecordPageShowsRequest { inputs, shows: vec![], now_ms: 6 };
        assert_eq!(read::<RecordPageShowsRequest>(serde_json::to_value(&shows).unwrap()), Ok(shows));
    }

    #[test]
    fn inputs_are_optional_and_own_fields_required() {
        let d: DashboardRequest = read(json!({"shop": "s", "nowMs": 1, "extra": true})).unwrap();
        assert_eq!(d.inputs, QuotaInputs::default());
        assert!(read::<DashboardRequest>(json!({"nowMs": 1})).unwrap_err().contains("missing field `shop`"));
        assert!(read::<DashboardRequest>(json!({"shop": "s"})).unwrap_err().contains("missing field `nowMs`"));
        assert!(read::<RecordEventRequest>(json!({"nowMs": 1})).unwrap_err().contains("missing field `event`"));
        assert!(read::<RecordPageShowsRequest>(json!({"nowMs": 1})).unwrap_err().contains("missing field `shows`"));
        assert!(read::<DashboardRequest>(json!({"shop": "s", "nowMs": 1, "ledgers": []}))
            .unwrap_err()
            .contains("invalid type"));
    }
}
