//! The self-check's `listHelp` line (issue 26 item 5): whether the site profile's selectors found
//! the order list's rows and 查看 controls the last time the list was open, so the help on the
//! list is drawn only where the profile matches, and a mismatch is said in words.
//!
//! The list script counts what it found (counts only: no IDs, no buyer text) and sends them with
//! its question; [`seen`] judges them and keeps the shop's [`ListHelpRecord`].

use super::lines::{CheckLine, Level};
use crate::chinaday::ChinaDay;
use serde::{Deserialize, Serialize};

/// Schema version of [`ListHelpRecord`].
pub const LIST_HELP_VERSION: u32 = 1;

/// What the list script found on the order list with the site profile's selectors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListHelpCounts {
    /// Distinct package IDs anywhere on the page.
    pub ids_shown: usize,
    /// Rows found by the profile's table and row selectors that show exactly one package ID.
    pub rows: usize,
    /// 查看 controls found in those rows (by the profile's text).
    pub controls: usize,
    /// Rows whose buyer fields are masked (contain `*`).
    pub masked: usize,
}

/// The shop's last list-help observation (`selfcheck/<shop>/listHelp`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListHelpRecord {
    /// Schema version.
    pub v: u32,
    /// The China day of the observation (`YYYY-MM-DD`).
    pub day: String,
    /// When it was made (epoch ms).
    pub at_ms: i64,
    /// False when the help is switched off in the options (nothing observed then).
    pub enabled: bool,
    /// What was found.
    pub counts: ListHelpCounts,
    /// The profile's selectors matched: the help was drawn.
    pub matched: bool,
    /// When the record was last written (epoch ms), for retention.
    pub updated_at_ms: i64,
}

/// [`seen`]'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListHelpSeen {
    /// The record as it stands now.
    pub record: ListHelpRecord,
    /// True when it differs from the stored one (save it).
    pub changed: bool,
    /// Draw the help: on, and the profile matched.
    pub draw: bool,
}

/// The rule: the profile matches when its rows were found wherever the page shows package IDs,
/// and where rows are masked their 查看 controls were found too. A list with no IDs at all (an
/// empty tab) matches: there is nothing to miss.
pub fn matches(c: &ListHelpCounts) -> bool {
    let rows_found = c.ids_shown == 0 || c.rows > 0;
    let controls_found = c.masked == 0 || c.controls > 0;
    rows_found && controls_found
}

/// Judges one observation (`counts`, with the help on; when `enabled` is false nothing was
/// observed) against the stored record.
pub fn seen(prev: Option<ListHelpRecord>, enabled: bool, counts: ListHelpCounts, now_ms: i64) -> ListHelpSeen {
    let matched = enabled && matches(&counts);
    let day = ChinaDay::from_ms(now_ms).iso();
    let counts = if enabled { counts } else { ListHelpCounts::default() };
    let same = prev.as_ref().is_some_and(|p| {
        p.v == LIST_HELP_VERSION && p.day == day && p.enabled == enabled && p.counts == counts && p.matched == matched
    });
    let record = match prev.filter(|_| same) {
        Some(p) => p,
        None => {
            ListHelpRecord { v: LIST_HELP_VERSION, day, at_ms: now_ms, enabled, counts, matched, updated_at_ms: now_ms }
        }
    };
    ListHelpSeen { record, changed: !same, draw: matched }
}

fn line(level: Level, zh: String, en: String, advice: (&str, &str)) -> CheckLine {
    CheckLine {
        id: "listHelp",
        level,
        text_zh: zh,
        text_en: en,
        advice_zh: advice.0.to_string(),
        advice_en: advice.1.to_string(),
    }
}

/// The `listHelp` line.
pub fn list_help_line(rec: Option<&ListHelpRecord>) -> CheckLine {
    let Some(r) = rec else {
        return line(
            Level::Info,
            "订单列表助手：还没在订单列表上运行过".into(),
            "order list help: not run on the order list yet".into(),
            ("", ""),
        );
    };
    let c = r.counts;
    if !r.enabled {
        return line(
            Level::Info,
            "订单列表助手已关闭".into(),
            "order list help is switched off".into(),
            ("可在 RedShip 的设置里打开。", "It can be switched on in RedShip's settings."),
        );
    }
    if r.matched {
        return line(
            Level::Ok,
            format!("订单列表助手：找到 {} 行订单、{} 个「查看」", c.rows, c.controls),
            format!("order list help: {} rows and {} 查看 controls found", c.rows, c.controls),
            ("", ""),
        );
    }
    let (zh, en) = if c.rows == 0 {
        (
            format!("订单列表显示了 {} 个包裹号，但站点配置的表格/行选择器一行也没找到，列表上的提示没有显示", c.ids_shown),
            format!("the order list showed {} package IDs but the site profile's table/row selectors found no row: the help on the list is not drawn", c.ids_shown),
        )
    } else {
        (
            format!("订单列表有 {} 行打码的订单，但没找到它们的「查看」，列表上的提示没有显示", c.masked),
            format!("the order list has {} masked rows but their 查看 controls were not found: the help on the list is not drawn", c.masked),
        )
    };
    line(
        Level::Warn,
        zh,
        en,
        (
            "额度记账不受影响。工作台可能改版了：请点「复制诊断报告」发给为您提供支持的人，以便更新站点配置。",
            "Quota counting is not affected. The workbench may have changed: press 'Copy diagnostic report' and send it to whoever supports you so the site profile can be updated.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;

    fn counts(ids_shown: usize, rows: usize, controls: usize, masked: usize) -> ListHelpCounts {
        ListHelpCounts { ids_shown, rows, controls, masked }
    }

    #[test]
    fn the_profile_matches_only_when_rows_and_controls_are_found() {
        assert!(matches(&counts(50, 50, 48, 48)));
        assert!(matches(&counts(0, 0, 0, 0)), "an empty list misses nothing");
        assert!(matches(&counts(10, 10, 0, 0)), "every row already plain: no 查看 to find");
        assert!(!matches(&counts(50, 0, 0, 0)), "IDs shown, no row found");
        assert!(!matches(&counts(50, 50, 0, 50)), "masked rows, no 查看 found");
    }

    #[test]
    fn seen_saves_only_changes_and_draws_only_when_on_and_matched() {
        let first = seen(None, true, counts(5, 5, 5, 5), NOW);
        assert!(first.changed && first.draw && first.record.matched);
        let again = seen(Some(first.record.clone()), true, counts(5, 5, 5, 5), NOW + 1000);
        assert!(!again.changed && again.draw);
        assert_eq!(again.record.at_ms, NOW, "an unchanged record keeps its time");
        let broken = seen(Some(again.record), true, counts(5, 0, 0, 0), NOW + 2000);
        assert!(broken.changed && !broken.draw && !broken.record.matched);
        let off = seen(Some(broken.record), false, counts(5, 5, 5, 5), NOW + 3000);
        assert!(off.changed && !off.draw && !off.record.enabled);
        assert_eq!(off.record.counts, ListHelpCounts::default());
        let next_day = seen(Some(off.record), false, counts(0, 0, 0, 0), NOW + 86_400_000);
        assert!(next_day.changed, "a new China day writes a fresh record");
    }

    #[test]
    fn the_line_says_what_was_not_found() {
        assert_eq!(list_help_line(None).level, Level::Info);
        let ok = seen(None, true, counts(3, 3, 2, 2), NOW).record;
        let l = list_help_line(Some(&ok));
        assert_eq!((l.id, l.level), ("listHelp", Level::Ok));
        assert!(l.text_zh.contains("3 行") && l.text_en.contains("2 查看"), "{l:?}");
        let rows = seen(None, true, counts(7, 0, 0, 0), NOW).record;
        let l = list_help_line(Some(&rows));
        assert_eq!(l.level, Level::Warn);
        assert!(l.text_zh.contains("7 个包裹号") && l.text_en.contains("selectors found no row"), "{l:?}");
        assert!(l.advice_zh.contains("复制诊断报告"));
        let controls = seen(None, true, counts(7, 7, 0, 7), NOW).record;
        assert!(list_help_line(Some(&controls)).text_en.contains("7 masked rows"));
        let off = seen(None, false, counts(7, 7, 7, 7), NOW).record;
        assert_eq!(list_help_line(Some(&off)).level, Level::Info);
    }
}
