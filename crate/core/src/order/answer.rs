//! The page's order list and detail answers as the page-world hook passes them on: the text the
//! page received, untouched (parsing 500 packages on the page's own thread would stall it).
//!
//! This reads that text once, as untrusted input: what is collectable goes on to
//! [`crate::transit::collect::ingest`], and a summary — package IDs and statuses, never buyer
//! fields — goes back to the tab, whose filler follows the list by it.

use super::profile::{ShipState, SiteProfile};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which endpoint answered (SPEC.md "API": the list page or one package's detail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AnswerKind {
    /// `order/page`: `data.packages` and `data.total`.
    OrderPage,
    /// `order/detail`: `data` is one package.
    OrderDetail,
}

/// One package as the tab's listeners see it, with the values exactly as the page had them
/// (the filler compares them with what it expects; nothing here is trusted).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageBriefView {
    /// `packageId` as it came (null when missing).
    pub package_id: Value,
    /// `status` as it came (null when missing).
    pub status: Value,
    /// Whether it waits to ship, from its code and text read through the profile.
    pub state: ShipState,
}

/// What the tab's listeners read from an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerSummaryView {
    /// `data.total` of a list answer as it came; null for a detail answer.
    pub total: Value,
    /// The answer's packages, in the page's order.
    pub packages: Vec<PackageBriefView>,
    /// True when the list request asked for waiting packages only (the 待发货 tab): a package
    /// missing from such a list no longer waits.
    pub waiting_only: bool,
}

/// A successful answer, read.
#[derive(Debug, Clone, PartialEq)]
pub struct PageAnswer {
    /// `{"packages": [...]}`, and for a list page its `request` too (its status filter lets
    /// [`crate::transit::reconcile`] notice packages that left the list): what
    /// [`crate::transit::collect::ingest`] takes.
    pub packages: Value,
    /// What the tab's listeners read.
    pub summary: AnswerSummaryView,
}

fn brief(p: &Value, profile: &SiteProfile) -> PackageBriefView {
    let f = &profile.fields;
    let package_id = f.id.first(p).cloned().unwrap_or(Value::Null);
    let status = f.status.first(p).cloned().unwrap_or(Value::Null);
    let code = match &status {
        Value::Number(n) => n.as_u64().and_then(|c| u32::try_from(c).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let text = f.status_text.values(p).find_map(Value::as_str).unwrap_or("");
    PackageBriefView { package_id, status, state: profile.status.classify(code, text) }
}

/// The status codes of a list request's filter (`status: [codes]`); empty for none.
pub fn filter_codes(request: Option<&Value>) -> Vec<u32> {
    let codes = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
    match request.and_then(|r| r.get("status")) {
        Some(Value::Array(a)) => a.iter().filter_map(codes).collect(),
        Some(v) => codes(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Reads an answer's text; `request` is the list request the page sent (page, size, status
/// filter; ignored for a detail answer). `None` when there is nothing to collect: not JSON, not
/// `success: true`, no `data` object, or (list) no `data.packages` array. A refusal is not an
/// error here: the page shows it to the seller itself.
pub fn read(kind: AnswerKind, text: &str, request: Option<Value>, profile: &SiteProfile) -> Option<PageAnswer> {
    let mut answer: Value = serde_json::from_str(text).ok()?;
    if answer.get("success") != Some(&Value::Bool(true)) {
        return None;
    }
    let data = answer.get_mut("data").filter(|d| d.is_object())?;
    let (total, list) = match kind {
        AnswerKind::OrderDetail => (Value::Null, vec![data.take()]),
        AnswerKind::OrderPage => {
            let total = data.get_mut("total").map(Value::take).unwrap_or(Value::Null);
            let Some(Value::Array(list)) = data.get_mut("packages").map(Value::take) else {
                return None;
            };
            (total, list)
        }
    };
    let waiting_only = kind == AnswerKind::OrderPage && profile.status.all_waiting(&filter_codes(request.as_ref()));
    let summary = AnswerSummaryView { total, packages: list.iter().map(|p| brief(p, profile)).collect(), waiting_only };
    let mut packages = serde_json::Map::new();
    if kind == AnswerKind::OrderPage {
        let request = request.filter(Value::is_object).unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        packages.insert("request".to_string(), request);
    }
    packages.insert("packages".to_string(), Value::Array(list));
    Some(PageAnswer { packages: Value::Object(packages), summary })
}

/// Reads several answers of one kind as one (the detail answers of a fill run's dialogs, gathered
/// for one write): their packages in order, the first one standing if a package repeats (see
/// [`crate::order::package::parse_answer`]). `None` when none of them has anything to collect.
pub fn read_all(
    kind: AnswerKind,
    texts: &[String],
    request: Option<Value>,
    profile: &SiteProfile,
) -> Option<PageAnswer> {
    let mut all: Option<PageAnswer> = None;
    for text in texts {
        let Some(mut next) = read(kind, text, request.clone(), profile) else { continue };
        let Some(acc) = all.as_mut() else {
            all = Some(next);
            continue;
        };
        acc.summary.packages.append(&mut next.summary.packages);
        if let (Some(Value::Array(to)), Some(Value::Array(from))) =
            (acc.packages.get_mut("packages"), next.packages.get_mut("packages"))
        {
            to.append(from);
        }
    }
    all
}

/// Where the packages of one ingest come from, as a request names them: an answer already
/// parsed (`answer`), or the page's text with its endpoint (`kind` + `text`, or `texts` for the
/// gathered detail answers of a fill run) and, for a list page, its `request`.
#[derive(Debug, Default)]
pub struct AnswerSource {
    /// The answer, parsed.
    pub answer: Option<Value>,
    /// Which endpoint answered `text` or `texts`.
    pub kind: Option<AnswerKind>,
    /// One answer's text.
    pub text: Option<String>,
    /// Several answers of one `kind`, read as one.
    pub texts: Option<Vec<String>>,
    /// The list request the page sent.
    pub request: Option<Value>,
}

impl AnswerSource {
    /// The collectable answer and, when read from text, the tab's summary; `Ok(None)` when the
    /// text holds nothing to collect. A request naming no source, or two, is an error.
    pub fn read(self, profile: &SiteProfile) -> Result<Option<(Value, Option<AnswerSummaryView>)>, super::OrderError> {
        let with_summary = |a: PageAnswer| (a.packages, Some(a.summary));
        Ok(match (self.answer, self.kind, self.text, self.texts) {
            (Some(answer), None, None, None) => Some((answer, None)),
            (None, Some(kind), Some(text), None) => read(kind, &text, self.request, profile).map(with_summary),
            (None, Some(kind), None, Some(texts)) => read_all(kind, &texts, self.request, profile).map(with_summary),
            _ => return Err(super::OrderError::BadAnswer("请求需要 answer，或者 kind 和 text（或 texts）".into())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::profile::shipped;

    #[test]
    fn a_source_is_exactly_one_of_answer_text_or_texts() {
        let detail = r#"{"success":true,"data":{"packageId":"P1","status":4}}"#;
        let parsed = serde_json::json!({"packages": []});
        let (answer, summary) = AnswerSource { answer: Some(parsed.clone()), ..Default::default() }
            .read(&shipped())
            .expect("ok")
            .expect("some");
        assert_eq!((answer, summary), (parsed.clone(), None), "a parsed answer passes as it is, without a summary");
        let text =
            AnswerSource { kind: Some(AnswerKind::OrderDetail), text: Some(detail.into()), ..Default::default() };
        assert_eq!(text.read(&shipped()).expect("ok").and_then(|(_, s)| s).map(|s| s.packages.len()), Some(1));
        let texts = AnswerSource {
            kind: Some(AnswerKind::OrderDetail),
            texts: Some(vec![detail.into(), "<html>".into(), detail.into()]),
            ..Default::default()
        };
        assert_eq!(texts.read(&shipped()).expect("ok").and_then(|(_, s)| s).map(|s| s.packages.len()), Some(2));
        let refused = AnswerSource {
            kind: Some(AnswerKind::OrderPage),
            text: Some(r#"{"success":false}"#.into()),
            ..Default::default()
        };
        assert!(refused.read(&shipped()).expect("ok").is_none(), "nothing to collect is not an error");
        for bad in [
            AnswerSource::default(),
            AnswerSource { text: Some(detail.into()), ..Default::default() },
            AnswerSource {
                answer: Some(parsed),
                kind: Some(AnswerKind::OrderDetail),
                text: Some(detail.into()),
                ..Default::default()
            },
        ] {
            assert!(matches!(bad.read(&shipped()), Err(crate::order::OrderError::BadAnswer(_))));
        }
    }

    #[test]
    fn a_list_answer_gives_its_packages_and_their_ids_and_statuses() {
        let text = r#"{"code":0,"success":true,"msg":"","data":{"total":2,"packages":[
            {"packageId":"P1","status":4,"userInfo":{"receiver":"张三"}},{"status":"x"}]}}"#;
        let a = read(AnswerKind::OrderPage, text, Some(serde_json::json!({"page_no": 1, "status": [4]})), &shipped())
            .expect("collectable");
        assert_eq!(a.summary.total, Value::from(2));
        assert_eq!(
            a.summary.packages[0],
            PackageBriefView { package_id: "P1".into(), status: 4.into(), state: ShipState::Waiting }
        );
        assert_eq!(
            a.summary.packages[1],
            PackageBriefView { package_id: Value::Null, status: "x".into(), state: ShipState::Unclear }
        );
        assert_eq!(a.packages["packages"].as_array().map(Vec::len), Some(2));
        assert_eq!(a.packages["request"]["status"], serde_json::json!([4]), "reconciling needs the status filter");
        assert!(a.summary.waiting_only);
        let without = read(AnswerKind::OrderPage, text, None, &shipped()).expect("collectable");
        assert_eq!(without.packages["request"], serde_json::json!({}), "no filter: every status");
        assert!(!serde_json::to_string(&a.summary).expect("json").contains("张三"), "no buyer field in the summary");
    }

    #[test]
    fn a_detail_answer_is_one_package() {
        let text = r#"{"success":true,"data":{"packageId":"P9","status":5}}"#;
        let a = read(AnswerKind::OrderDetail, text, Some(serde_json::json!({"status": [4]})), &shipped())
            .expect("collectable");
        assert_eq!(a.summary.total, Value::Null);
        assert_eq!(
            a.summary.packages,
            vec![PackageBriefView { package_id: "P9".into(), status: 5.into(), state: ShipState::Waiting }]
        );
        assert_eq!(a.packages["packages"][0]["packageId"], "P9");
        assert!(a.packages.get("request").is_none(), "a detail answer proves nothing about a list");
    }

    #[test]
    fn gathered_detail_answers_read_as_one() {
        let texts: Vec<String> = [
            r#"{"success":true,"data":{"packageId":"P1","status":4}}"#,
            "<html>gateway timeout</html>",
            r#"{"success":true,"data":{"packageId":"P2","status":5}}"#,
        ]
        .map(String::from)
        .to_vec();
        let a = read_all(AnswerKind::OrderDetail, &texts, None, &shipped()).expect("collectable");
        let ids: Vec<&Value> = a.summary.packages.iter().map(|p| &p.package_id).collect();
        assert_eq!(ids, [&Value::from("P1"), &Value::from("P2")]);
        assert_eq!(a.packages["packages"][1]["packageId"], "P2");
        assert!(read_all(AnswerKind::OrderDetail, &texts[1..2], None, &shipped()).is_none());
        assert!(read_all(AnswerKind::OrderDetail, &[], None, &shipped()).is_none());
    }

    #[test]
    fn nothing_to_collect() {
        for (kind, text) in [
            (AnswerKind::OrderPage, "not json"),
            (AnswerKind::OrderPage, r#"{"success":false,"msg":"系统繁忙","data":{"packages":[]}}"#),
            (AnswerKind::OrderPage, r#"{"data":{"packages":[]}}"#),
            (AnswerKind::OrderPage, r#"{"success":"true","data":{"packages":[]}}"#),
            (AnswerKind::OrderPage, r#"{"success":true,"data":{"packages":{}}}"#),
            (AnswerKind::OrderPage, r#"{"success":true,"data":{"packageId":"P1"}}"#),
            (AnswerKind::OrderDetail, r#"{"success":true,"data":[1]}"#),
            (AnswerKind::OrderDetail, r#"{"success":true}"#),
            (AnswerKind::OrderDetail, "[]"),
        ] {
            assert!(read(kind, text, None, &shipped()).is_none(), "{text}");
        }
    }
}
