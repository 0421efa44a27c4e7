//! What one answer showed about the page, for the self-check: how many packages were read and
//! how many not, which fields were missing, which status codes came with which texts, and the
//! shape of a package. Counts, names and types only: never a buyer's data.

use super::package::Package;
use super::profile::ShipState;
use super::shape::shape_of;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A status code and text seen together, and how the profile read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusSeen {
    /// The code, when readable.
    pub code: Option<u32>,
    /// The text (the platform's own words, e.g. 待发货).
    pub text: String,
    /// What the two say together.
    pub state: ShipState,
    /// Packages of the answer with this pair.
    pub count: usize,
}

/// The facts of one answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnswerFacts {
    /// Packages read.
    pub read: usize,
    /// Packages that could not be read (no valid package ID).
    pub unreadable: usize,
    /// Fields missing or unreadable: field → packages.
    pub gaps: BTreeMap<String, usize>,
    /// Packages whose status is unclear.
    pub unclear: usize,
    /// Status pairs seen.
    pub statuses: Vec<StatusSeen>,
    /// Field paths and value types of the answer's first package.
    pub shape: BTreeMap<String, String>,
}

/// Gathers the facts of an answer's packages (`first`: its first raw package, for the shape).
pub fn gather(packages: &[Package], unreadable: usize, first: Option<&Value>) -> AnswerFacts {
    let mut f = AnswerFacts {
        read: packages.len(),
        unreadable,
        shape: first.map(|v| shape_of(v).into_iter().map(|(k, t)| (k, t.to_string())).collect()).unwrap_or_default(),
        ..AnswerFacts::default()
    };
    for p in packages {
        for g in &p.gaps {
            *f.gaps.entry(g.field.to_string()).or_default() += 1;
        }
        f.unclear += usize::from(p.state == ShipState::Unclear);
        let text: String = p.status_desc.chars().take(20).collect();
        if let Some(s) = f.statuses.iter_mut().find(|s| s.code == p.status_code && s.text == text) {
            s.count += 1;
        } else if f.statuses.len() < 30 {
            f.statuses.push(StatusSeen { code: p.status_code, text, state: p.state, count: 1 });
        }
    }
    f
}
