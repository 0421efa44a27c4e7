//! The problems log (`quota/problems`): what was found wrong in stored records or page data,
//! newest last, for the options page. The same problem again (e.g. a wrong clock on every quota
//! answer) is listed once, and the log keeps the last [`MAX_PROBLEMS`].

use super::api::Problem;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The log's storage key.
pub const PROBLEMS_KEY: &str = "quota/problems";
/// Entries kept.
pub const MAX_PROBLEMS: usize = 50;

/// One logged problem: when it was found, and the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedProblem {
    /// When it was found (epoch ms).
    pub at_ms: i64,
    /// The problem.
    #[serde(flatten)]
    pub problem: Problem,
}

/// The log record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemLog {
    /// Its version.
    pub v: u32,
    /// Entries, oldest first.
    pub items: Vec<LoggedProblem>,
    /// When last written.
    #[serde(default)]
    pub updated_at_ms: i64,
}

/// The log with `found` added at `now_ms`, or `None` when nothing new was added. A stored log
/// that cannot be read is started afresh (it is a log, not a count).
pub fn merge(stored: Option<&Value>, found: &[Problem], now_ms: i64) -> Option<ProblemLog> {
    let mut log = stored.and_then(|v| serde_json::from_value::<ProblemLog>(v.clone()).ok()).unwrap_or(ProblemLog {
        v: 1,
        items: Vec::new(),
        updated_at_ms: 0,
    });
    let mut added = false;
    for p in found {
        if log.items.iter().any(|i| i.problem.record == p.record && i.problem.message == p.message) {
            continue;
        }
        log.items.push(LoggedProblem { at_ms: now_ms, problem: p.clone() });
        added = true;
    }
    if !added {
        return None;
    }
    let over = log.items.len().saturating_sub(MAX_PROBLEMS);
    log.items.drain(..over);
    log.updated_at_ms = now_ms;
    Some(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quota::ProblemKind;

    fn p(record: &str, message: &str) -> Problem {
        Problem::new(ProblemKind::Other, vec![], record, message.into(), "reset")
    }

    #[test]
    fn the_same_problem_is_listed_once_and_the_log_is_capped() {
        let log = merge(None, &[p("a", "x"), p("a", "x"), p("b", "x")], 10).expect("added");
        assert_eq!(log.items.len(), 2);
        let v = serde_json::to_value(&log).expect("json");
        assert_eq!(v["items"][0]["record"], "a", "flat, as the options page reads it");
        assert_eq!(v["items"][0]["atMs"], 10);
        assert_eq!(merge(Some(&v), &[p("a", "x")], 20), None, "nothing new: no write");
        let many: Vec<Problem> = (0..80).map(|i| p("r", &format!("m{i}"))).collect();
        let log = merge(Some(&v), &many, 30).expect("added");
        assert_eq!(log.items.len(), MAX_PROBLEMS);
        assert_eq!(log.items.last().map(|i| i.problem.message.as_str()), Some("m79"), "newest kept");
        assert_eq!(merge(Some(&serde_json::json!("junk")), &[p("a", "x")], 1).map(|l| l.items.len()), Some(1));
    }
}
