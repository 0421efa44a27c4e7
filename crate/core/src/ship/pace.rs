//! The pace of ship mode: how long the filler waits between two shipments.
//!
//! A burst of shipments a tenth of a second apart is what a platform's risk control looks for,
//! and a merchant fears a penalty more than a slow run. So by default ship mode waits a random
//! 1–3 s between two presses of 确定 ([`Pace::Person`]); "as fast as the page allows"
//! ([`Pace::Fast`]) is an explicit choice in the options. The run keeps the pace it was planned
//! with; the journal's step names the wait before the 确定 of the order it hands out
//! ([`wait_before`]), counted from the last 确定 of the run, with the random value and the time
//! passed in. The report says what pace the run had and the average gap it kept ([`run_pace`]).
//!
//! The setting is a small record of its own (`ship/settings`), read back through [`effective`]
//! and changed through [`apply`], which refuses anything but the two paces.

use super::plan::{FillMode, FillRun};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Shortest wait between two shipments at the default pace.
pub const PERSON_MIN_MS: u32 = 1_000;
/// Longest wait between two shipments at the default pace.
pub const PERSON_MAX_MS: u32 = 3_000;
/// A gap between two shipments longer than this is a pause, a stop or the merchant, not the
/// pace: the report's average leaves it out.
pub const GAP_CAP_MS: i64 = 60_000;

/// How fast ship mode presses 确定 from one order to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pace {
    /// A random 1–3 s between orders, like a person (the default).
    #[default]
    Person,
    /// As fast as the page allows (no wait of RedShip's own).
    Fast,
}

impl Pace {
    /// The shortest and longest wait between two shipments (ms).
    pub fn bounds(self) -> (u32, u32) {
        match self {
            Pace::Person => (PERSON_MIN_MS, PERSON_MAX_MS),
            Pace::Fast => (0, 0),
        }
    }
}

/// The wait between two shipments at `pace` for a `random` value: spread evenly over the
/// pace's bounds (both included) as `random` runs over all `u32` values.
pub fn wait_ms(pace: Pace, random: u32) -> u32 {
    let (lo, hi) = pace.bounds();
    let span = u64::from(hi - lo) + 1;
    // `random * span / 2^32` is below `span`, so it fits.
    lo + u32::try_from((u64::from(random) * span) >> 32).unwrap_or(0)
}

/// How long, from `now_ms`, the filler waits before pressing 确定 for `package_id`: the run's
/// pace counted from the last 确定 of the run (the latest change of another order whose 确定 was
/// pressed — its answer, normally). Zero in fill mode (the merchant presses 确定), before the
/// run's first 确定, at the fast pace, and once that much time has passed (after a pause, say).
/// Never more than the pace's wait, even with a clock that went back.
pub fn wait_before(run: &FillRun, package_id: &str, random: u32, now_ms: i64) -> u32 {
    if run.mode != FillMode::Ship {
        return 0;
    }
    let last = run.items.iter().filter(|i| i.confirms > 0 && i.package_id != package_id).map(|i| i.updated_at).max();
    let Some(last) = last else { return 0 };
    let wait = wait_ms(run.pace, random);
    let left = last.saturating_add(i64::from(wait)).saturating_sub(now_ms).clamp(0, i64::from(wait));
    u32::try_from(left).unwrap_or(wait)
}

/// The run's pace, for its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunPaceView {
    /// The pace the run was planned with.
    pub pace: Pace,
    /// Its shortest wait between two shipments (ms).
    pub min_ms: u32,
    /// Its longest wait between two shipments (ms).
    pub max_ms: u32,
    /// Gaps between consecutive shipments the average is taken over.
    pub gaps: usize,
    /// The average of those gaps (ms), when there is one: what the platform saw.
    pub average_gap_ms: Option<u32>,
}

/// The pace of a ship-mode run and the average gap between its consecutive 确定 (the times of
/// their last change: the page's answer), leaving out gaps over [`GAP_CAP_MS`]. `None` in fill
/// mode, where the merchant presses 确定.
pub fn run_pace(run: &FillRun) -> Option<RunPaceView> {
    if run.mode != FillMode::Ship {
        return None;
    }
    let mut at: Vec<i64> = run.items.iter().filter(|i| i.confirms > 0).map(|i| i.updated_at).collect();
    at.sort_unstable();
    let gaps: Vec<i64> = at.windows(2).map(|w| w[1] - w[0]).filter(|g| (0..=GAP_CAP_MS).contains(g)).collect();
    let count = i64::try_from(gaps.len()).unwrap_or(i64::MAX);
    let average_gap_ms = (count > 0).then(|| gaps.iter().sum::<i64>() / count).and_then(|a| u32::try_from(a).ok());
    let (min_ms, max_ms) = run.pace.bounds();
    Some(RunPaceView { pace: run.pace, min_ms, max_ms, gaps: gaps.len(), average_gap_ms })
}

/// A pace the settings refuse.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PaceError {
    /// Not one of the two paces.
    #[error("发货节奏「{0}」无效：可选 person（每单间隔 1–3 秒）或 fast（页面允许的最快速度）（unknown pace \"{0}\": person or fast)")]
    Unknown(String),
}

/// The stored setting (`ship/settings`) as read back, or a change from the options page: any
/// field may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaceSettingsRequest {
    /// `person` or `fast`.
    #[serde(default)]
    pub pace: Option<String>,
}

/// One pace the options page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaceChoice {
    /// The pace.
    pub pace: Pace,
    /// Its shortest wait (ms).
    pub min_ms: u32,
    /// Its longest wait (ms).
    pub max_ms: u32,
}

/// The setting in effect, with the choices (default first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaceSettingsView {
    /// The pace new runs get.
    pub pace: Pace,
    /// The default pace.
    pub default: Pace,
    /// Every pace, the default first.
    pub choices: Vec<PaceChoice>,
}

fn view(pace: Pace) -> PaceSettingsView {
    let choice = |pace: Pace| {
        let (min_ms, max_ms) = pace.bounds();
        PaceChoice { pace, min_ms, max_ms }
    };
    PaceSettingsView { pace, default: Pace::default(), choices: vec![choice(Pace::Person), choice(Pace::Fast)] }
}

fn parse(text: &str) -> Result<Pace, PaceError> {
    match text.trim() {
        "person" => Ok(Pace::Person),
        "fast" => Ok(Pace::Fast),
        other => Err(PaceError::Unknown(other.chars().take(32).collect())),
    }
}

/// The setting in effect, given the stored record (none, or one with an unknown pace: the default).
pub fn effective(stored: Option<&PaceSettingsRequest>) -> PaceSettingsView {
    let pace = stored.and_then(|s| s.pace.as_deref()).and_then(|p| parse(p).ok()).unwrap_or_default();
    view(pace)
}

/// The setting after `change` (an absent pace keeps the current one), or the error naming the
/// two paces; nothing changes when it is refused.
pub fn apply(current: Pace, change: &PaceSettingsRequest) -> Result<PaceSettingsView, PaceError> {
    let pace = match change.pace.as_deref() {
        Some(p) => parse(p)?,
        None => current,
    };
    Ok(view(pace))
}
