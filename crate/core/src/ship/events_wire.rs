//! How the fill journal's tagged records ([`Outcome`], [`FillEvent`]) are read: through one flat
//! record each (see [`crate::tagged`] for why).

use super::events::{FillEvent, Outcome, RowStatus};
use crate::tagged::{need, unknown, TagError};
use serde::Deserialize;

/// [`Outcome`] as stored and sent: `{"kind": …}` plus the variant's fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeWire {
    kind: String,
    message: Option<String>,
    reason: Option<String>,
}

impl TryFrom<OutcomeWire> for Outcome {
    type Error = TagError;

    fn try_from(w: OutcomeWire) -> Result<Self, TagError> {
        Ok(match w.kind.as_str() {
            "shipped" => Outcome::Shipped,
            "filled" => Outcome::Filled,
            "failed" => Outcome::Failed { message: need(w.message, "message")? },
            "skipped" => Outcome::Skipped { reason: need(w.reason, "reason")?, message: w.message.unwrap_or_default() },
            "noAnswer" => Outcome::NoAnswer,
            other => return Err(unknown(other, &["shipped", "filled", "failed", "skipped", "noAnswer"])),
        })
    }
}

/// [`FillEvent`] as sent: `{"type": …}` plus the variant's fields.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FillEventWire {
    #[serde(rename = "type")]
    kind: String,
    visible: Option<Vec<String>>,
    package_id: Option<String>,
    outcome: Option<Outcome>,
    status: Option<RowStatus>,
    reason: Option<String>,
}

impl TryFrom<FillEventWire> for FillEvent {
    type Error = TagError;

    fn try_from(w: FillEventWire) -> Result<Self, TagError> {
        // Required fields are checked in the variant's declaration order, as the derived form did.
        let id = |id: Option<String>| need(id, "packageId");
        Ok(match w.kind.as_str() {
            "start" => FillEvent::Start,
            "pause" => FillEvent::Pause,
            "cancel" => FillEvent::Cancel,
            "next" => FillEvent::Next { visible: w.visible.unwrap_or_default() },
            "confirming" => FillEvent::Confirming { package_id: id(w.package_id)? },
            "withdraw" => FillEvent::Withdraw { package_id: id(w.package_id)? },
            "result" => FillEvent::Result { package_id: id(w.package_id)?, outcome: need(w.outcome, "outcome")? },
            "checked" => FillEvent::Checked { package_id: id(w.package_id)?, status: need(w.status, "status")? },
            "stop" => FillEvent::Stop { reason: need(w.reason, "reason")? },
            other => {
                let all = ["start", "pause", "cancel", "next", "confirming", "withdraw", "result", "checked", "stop"];
                return Err(unknown(other, &all));
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{from_str, json, to_string};

    fn event(v: serde_json::Value) -> Result<FillEvent, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    #[test]
    fn every_variant_reads_back_what_is_written() {
        let outcomes = [
            Outcome::Shipped,
            Outcome::Filled,
            Outcome::Failed { message: "单号错误".into() },
            Outcome::Skipped { reason: "not-on-list".into(), message: "不在列表".into() },
            Outcome::NoAnswer,
        ];
        let mut events = vec![
            FillEvent::Start,
            FillEvent::Pause,
            FillEvent::Cancel,
            FillEvent::Next { visible: vec!["P1".into(), "P2".into()] },
            FillEvent::Confirming { package_id: "P1".into() },
            FillEvent::Withdraw { package_id: "P1".into() },
            FillEvent::Checked { package_id: "P1".into(), status: RowStatus::Absent },
            FillEvent::Checked { package_id: "P2".into(), status: RowStatus::Unclear },
            FillEvent::Stop { reason: "route".into() },
        ];
        events.extend(outcomes.iter().map(|o| FillEvent::Result { package_id: "P9".into(), outcome: o.clone() }));
        for e in events {
            let text = to_string(&e).unwrap();
            assert_eq!(from_str::<FillEvent>(&text).unwrap(), e, "{text}");
        }
    }

    #[test]
    fn reads_what_the_derived_form_read() {
        // Defaults, the tag anywhere, unknown fields ignored.
        assert_eq!(event(json!({"type": "next"})), Ok(FillEvent::Next { visible: vec![] }));
        assert_eq!(
            event(json!({"packageId": "P1", "extra": 1, "type": "confirming"})),
            Ok(FillEvent::Confirming { package_id: "P1".into() })
        );
        assert_eq!(
            event(json!({"type": "result", "packageId": "P1", "outcome": {"reason": "x", "kind": "skipped"}})),
            Ok(FillEvent::Result {
                package_id: "P1".into(),
                outcome: Outcome::Skipped { reason: "x".into(), message: String::new() }
            })
        );
        assert_eq!(event(json!({"type": "start", "packageId": "P1"})), Ok(FillEvent::Start));
    }

    #[test]
    fn refuses_what_the_derived_form_refused() {
        let err = |v| event(v).unwrap_err();
        assert!(err(json!({"type": "launch"})).contains("unknown variant `launch`"));
        assert!(err(json!({"packageId": "P1"})).contains("missing field `type`"));
        assert!(err(json!({"type": "confirming"})).contains("missing field `packageId`"));
        assert!(err(json!({"type": "result", "packageId": "P1"})).contains("missing field `outcome`"));
        assert!(err(json!({"type": "result", "packageId": "P1", "outcome": {"kind": "failed"}}))
            .contains("missing field `message`"));
        assert!(err(json!({"type": "result", "packageId": "P1", "outcome": {"kind": "lost"}}))
            .contains("unknown variant `lost`"));
        assert!(err(json!({"type": "checked", "packageId": "P1", "status": "gone"})).contains("unknown variant `gone`"));
        assert!(err(json!({"type": "confirming", "packageId": 7})).contains("invalid type"));
        assert!(err(json!({"type": 1})).contains("invalid type"));
    }
}
