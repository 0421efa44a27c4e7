//! Learning the decrypt and quota endpoints from the page.
//!
//! Nothing public shows the workbench's decrypt request (SPEC.md, "Unknowns"); the site
//! profile's path is a guess and stays the first try. When a decrypt is seen on the page (a row
//! turned plain after its 查看 click), the requests the page sent in that moment are candidates:
//! their path and body keys only, never values (the page-world hook also names the keys whose
//! value has the package-ID shape). A path becomes the learned decrypt endpoint when:
//!
//! - it is a plain same-site path, and its body has a key holding a package ID;
//! - it was sent on the page-seen decrypts of at least [`LEARN_AFTER`] different packages;
//! - no other candidate was seen on as many (a tie teaches nothing).
//!
//! The quota endpoint the same way: an answer from a path the profile does not name whose fields
//! read as used and total ([`super::shown`]) is offered; the privacy board showing the same
//! numbers within [`CONFIRM_MS`] confirms it, and its answers count as quota answers from then.
//!
//! The record `quota/endpoint/<shop>` keeps the candidates; the learned path is reported for the
//! self-check and handed to the content script, which then takes that path's answers as decrypt
//! answers.

use super::page::LearnedEndpoint;
use super::shown::ReadQuota;
use super::{load_versioned, QuotaError, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};

/// Distinct packages a path must have been sent for before it is learned.
pub const LEARN_AFTER: u32 = 2;
/// Prefix of the endpoint records: `quota/endpoint/<shop>`.
const ENDPOINT_PREFIX: &str = "quota/endpoint/";
/// Candidates kept per shop (the least seen go first).
const MAX_CANDIDATES: usize = 20;
/// Candidates taken from one decrypt.
pub const MAX_SENT: usize = 8;
/// Packages remembered per candidate (enough to tell distinct decrypts apart).
const MAX_PACKAGES: usize = 4;
/// Body keys kept per candidate, and their longest name.
const MAX_KEYS: usize = 32;
const MAX_KEY_LEN: usize = 64;
const MAX_PATH_LEN: usize = 200;
/// Quota offers kept per shop (the oldest go first).
const MAX_OFFERS: usize = 4;
/// An offer agrees with the board when both said the same numbers this close in time.
pub const CONFIRM_MS: i64 = 10 * 60_000;

/// The storage key of `shop`'s endpoint record.
pub fn endpoint_key(shop: &str) -> String {
    format!("{ENDPOINT_PREFIX}{shop}")
}

/// A request the page sent around a page-seen decrypt: path and body keys, never values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SentRequest {
    /// The request's path (no query).
    pub path: String,
    /// The JSON body's top-level keys.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Those keys whose value has the package-ID shape.
    #[serde(default)]
    pub id_keys: Vec<String>,
}

impl SentRequest {
    /// True when it may be a decrypt request: a plain path, bounded keys, a package-ID key.
    fn usable(&self) -> bool {
        let path_ok = self.path.starts_with('/')
            && self.path.len() <= MAX_PATH_LEN
            && self.path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-.".contains(&b));
        let keys_ok = self.keys.len() <= MAX_KEYS && self.keys.iter().all(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN);
        path_ok && keys_ok && !self.id_keys.is_empty() && self.id_keys.iter().all(|k| self.keys.contains(k))
    }
}

/// One candidate path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Candidate {
    /// The path.
    pub path: String,
    /// Its body keys, sorted, as last seen.
    pub keys: Vec<String>,
    /// On how many page-seen decrypts of distinct packages it was sent.
    pub seen: u32,
    /// The latest of those packages.
    pub packages: Vec<String>,
    /// When it was last seen (epoch ms).
    pub last_at_ms: i64,
}

/// The endpoint record of one shop (`v` = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointRecord {
    /// Schema version.
    pub v: u32,
    /// The shop.
    pub shop: String,
    /// The candidates, in the order first seen.
    #[serde(default)]
    pub candidates: Vec<Candidate>,
    /// When last written (epoch ms).
    #[serde(default)]
    pub updated_at_ms: i64,
    /// Answers from other paths whose fields read as a quota (the quota endpoint offered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quota_offers: Vec<QuotaOffer>,
    /// The offered path the board confirmed: its answers are quota answers from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_path: Option<String>,
    /// When a board block naming the quota was last seen but its numbers could not be read
    /// (cleared by the next good read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board_unread_at_ms: Option<i64>,
}

/// An answer from a path the profile does not name whose fields read as a quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuotaOffer {
    /// The path.
    pub path: String,
    /// The answer's numeric field names, sorted (never values).
    pub keys: Vec<String>,
    /// Used and total as it last said.
    pub used: u32,
    /// The total it last said.
    pub daily_quota: u32,
    /// When it last answered (epoch ms).
    pub at_ms: i64,
}

impl EndpointRecord {
    /// An empty record.
    pub fn new(shop: &str) -> Self {
        EndpointRecord {
            v: SCHEMA_VERSION,
            shop: shop.to_string(),
            candidates: Vec::new(),
            updated_at_ms: 0,
            quota_offers: Vec::new(),
            quota_path: None,
            board_unread_at_ms: None,
        }
    }

    /// Reads a stored record saved under `key`.
    pub fn load(key: &str, value: &serde_json::Value) -> Result<Self, QuotaError> {
        load_versioned(key, value)
    }

    /// Takes the requests sent around the page-seen decrypt of `package_id` at `at_ms`.
    /// Returns true when the record changed.
    pub fn observe(&mut self, package_id: &str, at_ms: i64, sent: &[SentRequest]) -> bool {
        let mut changed = false;
        let mut done: Vec<&str> = Vec::new();
        for req in sent.iter().take(MAX_SENT).filter(|r| r.usable()) {
            if done.contains(&req.path.as_str()) {
                continue;
            }
            done.push(&req.path);
            let mut keys = req.keys.clone();
            crate::sort::sort(&mut keys);
            keys.dedup();
            match self.candidates.iter_mut().find(|c| c.path == req.path) {
                Some(c) => {
                    c.keys = keys;
                    c.last_at_ms = c.last_at_ms.max(at_ms);
                    if !c.packages.iter().any(|p| p == package_id) {
                        c.seen = c.seen.saturating_add(1);
                        c.packages.push(package_id.to_string());
                        if c.packages.len() > MAX_PACKAGES {
                            c.packages.remove(0);
                        }
                    }
                }
                None => self.candidates.push(Candidate {
                    path: req.path.clone(),
                    keys,
                    seen: 1,
                    packages: vec![package_id.to_string()],
                    last_at_ms: at_ms,
                }),
            }
            changed = true;
        }
        while self.candidates.len() > MAX_CANDIDATES {
            // The least seen, oldest first, goes.
            let Some(i) =
                (0..self.candidates.len()).min_by_key(|&i| (self.candidates[i].seen, self.candidates[i].last_at_ms))
            else {
                break;
            };
            self.candidates.remove(i);
        }
        if changed {
            self.updated_at_ms = self.updated_at_ms.max(at_ms);
        }
        changed
    }

    /// The learned decrypt endpoint: the one candidate seen most, on at least [`LEARN_AFTER`]
    /// decrypts; none on a tie.
    pub fn learned(&self) -> Option<LearnedEndpoint> {
        let best = self.candidates.iter().map(|c| c.seen).max().filter(|&n| n >= LEARN_AFTER)?;
        let mut top = self.candidates.iter().filter(|c| c.seen == best);
        let c = top.next()?;
        if top.next().is_some() {
            return None;
        }
        Some(LearnedEndpoint { path: c.path.clone(), keys: c.keys.clone(), seen: c.seen })
    }

    /// Keeps an answer from `path` whose fields read as `read` as an offer; true when changed.
    pub fn offer_quota(&mut self, path: &str, keys: &[String], read: ReadQuota, at_ms: i64) -> bool {
        let path_ok = path.starts_with('/')
            && path.len() <= MAX_PATH_LEN
            && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-.".contains(&b));
        if !path_ok {
            return false;
        }
        let mut keys: Vec<String> =
            keys.iter().filter(|k| !k.is_empty() && k.len() <= MAX_KEY_LEN).take(MAX_KEYS).cloned().collect();
        crate::sort::sort(&mut keys);
        keys.dedup();
        let offer = QuotaOffer { path: path.to_string(), keys, used: read.used, daily_quota: read.daily_quota, at_ms };
        self.quota_offers.retain(|o| o.path != path);
        self.quota_offers.push(offer);
        if self.quota_offers.len() > MAX_OFFERS {
            self.quota_offers.remove(0);
        }
        self.updated_at_ms = self.updated_at_ms.max(at_ms);
        true
    }

    /// The board showed `read` at `at_ms`: an offer that said the same numbers within
    /// [`CONFIRM_MS`] (and no other offer disagreeing with it then) becomes the quota path.
    pub fn confirm_quota(&mut self, read: ReadQuota, at_ms: i64) -> bool {
        let near: Vec<&QuotaOffer> =
            self.quota_offers.iter().filter(|o| (o.at_ms - at_ms).abs() <= CONFIRM_MS).collect();
        let agree: Vec<&&QuotaOffer> =
            near.iter().filter(|o| o.used == read.used && o.daily_quota == read.daily_quota).collect();
        let changed_unread = self.board_unread_at_ms.take().is_some();
        let [only] = agree.as_slice() else { return changed_unread };
        if self.quota_path.as_deref() == Some(only.path.as_str()) {
            return changed_unread;
        }
        self.quota_path = Some(only.path.clone());
        self.updated_at_ms = self.updated_at_ms.max(at_ms);
        true
    }

    /// A board block named the quota but its numbers could not be read.
    pub fn note_board_unread(&mut self, at_ms: i64) -> bool {
        if self.board_unread_at_ms.is_some_and(|t| t >= at_ms) {
            return false;
        }
        self.board_unread_at_ms = Some(at_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(path: &str, keys: &[&str], id_keys: &[&str]) -> SentRequest {
        SentRequest {
            path: path.into(),
            keys: keys.iter().map(|k| (*k).to_string()).collect(),
            id_keys: id_keys.iter().map(|k| (*k).to_string()).collect(),
        }
    }

    const DECRYPT: &str = "/api/edith/x/receiver/open";

    #[test]
    fn a_path_sent_on_two_decrypts_of_different_packages_is_learned() {
        let mut r = EndpointRecord::new("s");
        let moment = [sent(DECRYPT, &["package_id", "action_type"], &["package_id"]), sent("/api/quota", &[], &[])];
        assert!(r.observe("P1000000000000001", 10, &moment));
        assert_eq!(r.learned(), None, "once is not enough");
        // The same package again is the same decrypt's package: not a second one.
        r.observe("P1000000000000001", 20, &moment);
        assert_eq!(r.learned(), None);
        r.observe("P1000000000000002", 30, &moment);
        let learned = r.learned().expect("learned");
        assert_eq!((learned.path.as_str(), learned.seen), (DECRYPT, 2));
        assert_eq!(learned.keys, vec!["action_type".to_string(), "package_id".to_string()]);
        assert_eq!(r.candidates.len(), 1, "a body without a package-ID key is no candidate");
    }

    #[test]
    fn ties_and_odd_requests_teach_nothing() {
        let mut r = EndpointRecord::new("s");
        let both = [sent("/api/a", &["id"], &["id"]), sent("/api/b", &["pid"], &["pid"])];
        r.observe("P1000000000000001", 1, &both);
        r.observe("P1000000000000002", 2, &both);
        assert_eq!(r.learned(), None, "two paths always sent together: a tie");
        r.observe("P1000000000000003", 3, &both[..1]);
        assert_eq!(r.learned().map(|l| l.path), Some("/api/a".into()));
        let odd = [
            sent("https://elsewhere.example/api", &["id"], &["id"]),
            sent("/api/c?x=1", &["id"], &["id"]),
            sent("/api/d", &["id"], &["other"]),
        ];
        assert!(!r.observe("P1000000000000004", 4, &odd));
    }

    #[test]
    fn candidates_stay_bounded() {
        let mut r = EndpointRecord::new("s");
        for n in 0..30 {
            r.observe("P1000000000000001", n, &[sent(&format!("/api/p{n}"), &["id"], &["id"])]);
        }
        assert_eq!(r.candidates.len(), MAX_CANDIDATES);
        let v = serde_json::to_value(&r).expect("json");
        assert_eq!(EndpointRecord::load("quota/endpoint/s", &v).expect("loads"), r);
        assert_eq!(endpoint_key("s"), "quota/endpoint/s");
    }
}
