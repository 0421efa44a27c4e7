//! Two self-check lines about the list and the ship dialog, beside `lines`:
//! - `dialogParts`: which parts of the ship dialog the last fill run found (the courier select,
//!   its options, the number input, 确定). Nothing public shows ark's ship dialog (SPEC.md
//!   "Unknowns"), so when a part is not found the merchant is told which, in words, and the
//!   report carries it. The filler reports per dialog what it found (booleans and a count, never
//!   page data); [`record_parts`] keeps one small record per shop for the last run, rewritten
//!   only when something new is seen.
//! - `rows`: orders whose row on the list disagrees with the answers about 发货
//!   (`transit::rowsignal`), now.

use super::lines::{line, CheckLine, Level};
use serde::{Deserialize, Serialize};

/// Schema version of [`PartsRecord`].
pub const PARTS_VERSION: u32 = 1;

/// What the filler found in one ship dialog.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PartsSeen {
    /// The courier select (物流公司).
    pub select: bool,
    /// Options its list offered when opened; `None` when it was not opened (the courier was
    /// already shown).
    pub options: Option<usize>,
    /// The tracking-number input (运单号).
    pub input: bool,
    /// The 确定 button (enabled or not).
    pub confirm: bool,
}

/// One part over the dialogs of a run: found in some, missing in some.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Tally {
    /// Found in at least one dialog.
    pub found: bool,
    /// Missing in at least one dialog.
    pub missing: bool,
}

impl Tally {
    fn add(&mut self, found: bool) {
        if found {
            self.found = true;
        } else {
            self.missing = true;
        }
    }
}

/// The dialog parts found on one run of one shop (`ship/<shop>/dialog-parts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PartsRecord {
    /// Schema version.
    pub v: u32,
    /// The run these are from.
    pub run_id: String,
    /// The courier select.
    pub select: Tally,
    /// Its options (an opened list with none is missing).
    pub options: Tally,
    /// The most options one list offered.
    pub options_max: usize,
    /// The number input.
    pub input: Tally,
    /// 确定.
    pub confirm: Tally,
    /// Last change, epoch ms.
    pub updated_at_ms: i64,
}

/// Adds the dialogs `seen` on run `run_id` to the shop's record (another run starts a new one).
/// Returns the record to save, or `None` when nothing new was seen (no write).
pub fn record_parts(rec: Option<PartsRecord>, run_id: &str, seen: &[PartsSeen], now_ms: i64) -> Option<PartsRecord> {
    let fresh = || PartsRecord { v: PARTS_VERSION, run_id: run_id.to_string(), ..PartsRecord::default() };
    let old = rec.filter(|r| r.v == PARTS_VERSION && r.run_id == run_id);
    let mut r = old.clone().unwrap_or_else(fresh);
    for s in seen {
        r.select.add(s.select);
        r.input.add(s.input);
        r.confirm.add(s.confirm);
        if let Some(n) = s.options {
            r.options.add(n > 0);
            r.options_max = r.options_max.max(n);
        }
    }
    let same = old.as_ref().is_some_and(|o| PartsRecord { updated_at_ms: o.updated_at_ms, ..r.clone() } == *o);
    if same || seen.is_empty() {
        return None;
    }
    r.updated_at_ms = now_ms;
    Some(r)
}

fn part_names(r: &PartsRecord, pick: fn(&Tally) -> bool) -> (Vec<&'static str>, Vec<&'static str>) {
    [
        (&r.select, "快递公司选择框", "courier select"),
        (&r.options, "快递公司选项", "courier options"),
        (&r.input, "运单号输入框", "tracking-number input"),
        (&r.confirm, "「确定」按钮", "确定 button"),
    ]
    .into_iter()
    .filter(|(t, _, _)| pick(t))
    .map(|(_, zh, en)| (zh, en))
    .unzip()
}

/// The `dialogParts` line for the last run's record, if any.
pub fn dialog_parts_line(r: Option<&PartsRecord>) -> CheckLine {
    let Some(r) = r else {
        return line(
            "dialogParts",
            Level::Info,
            "还没有打开过发货弹窗".into(),
            "no ship dialog opened by a run yet".into(),
            ("", ""),
        );
    };
    let (never_zh, never_en) = part_names(r, |t| t.missing && !t.found);
    if !never_zh.is_empty() {
        return line(
            "dialogParts",
            Level::Error,
            format!("上一次回填时，发货弹窗中找不到{}", never_zh.join("、")),
            format!("on the last run the ship dialog had no {}", never_en.join(", ")),
            (
                &format!("发货弹窗中找不到{}：请把诊断报告发给为您提供支持的人（工作台的发货弹窗可能改版了）；这期间请在工作台手动发货。", never_zh.join("、")),
                &format!("The ship dialog shows no {}: send the diagnostic report to whoever supports you (the workbench's ship dialog may have changed); meanwhile ship by hand on the workbench.", never_en.join(", ")),
            ),
        );
    }
    let (some_zh, some_en) = part_names(r, |t| t.missing);
    if !some_zh.is_empty() {
        return line(
            "dialogParts",
            Level::Warn,
            format!("上一次回填时，有的发货弹窗中找不到{}", some_zh.join("、")),
            format!("on the last run some ship dialogs had no {}", some_en.join(", ")),
            (
                "其他订单照常回填。请在发货页报告里看失败的订单，在工作台手动发货；若经常出现，请把诊断报告发给为您提供支持的人。",
                "Other orders were filled as usual. See the failed orders in the ship page's report and ship them by hand; if it keeps happening, send the diagnostic report to whoever supports you.",
            ),
        );
    }
    let options_zh = if r.options.found {
        format!("{} 个快递公司选项", r.options_max)
    } else {
        "快递公司选项（未打开列表）".into()
    };
    let options_en = if r.options.found {
        format!("{} courier options", r.options_max)
    } else {
        "courier options (list not opened)".into()
    };
    line(
        "dialogParts",
        Level::Ok,
        format!("上一次回填时，发货弹窗的快递公司选择框、{options_zh}、运单号输入框、「确定」按钮都找到了"),
        format!("on the last run the ship dialog's courier select, {options_en}, tracking-number input and 确定 button were all found"),
        ("", ""),
    )
}

/// The diagnostic report's line about the dialog parts (names and counts only).
pub fn dialog_parts_report(r: &PartsRecord) -> String {
    let t = |t: &Tally| match (t.found, t.missing) {
        (true, false) => "found",
        (true, true) => "sometimes missing",
        (false, true) => "missing",
        (false, false) => "not looked for",
    };
    format!(
        "ship dialog parts (last run): select {}, options {} (max {}), number input {}, confirm {}",
        t(&r.select),
        t(&r.options),
        r.options_max,
        t(&r.input),
        t(&r.confirm)
    )
}

/// The `rows` line: `unclear` orders whose row disagrees with the answers about 发货 now
/// (`None`: no list read yet).
pub fn rows_line(unclear: Option<usize>) -> CheckLine {
    match unclear {
        None => line(
            "rows",
            Level::Info,
            "还没有比对订单列表上的「发货」按钮".into(),
            "the list's 发货 buttons not compared yet".into(),
            ("", ""),
        ),
        Some(0) => line(
            "rows",
            Level::Ok,
            "订单列表上的「发货」按钮与订单状态一致".into(),
            "the list's 发货 buttons agree with the orders' statuses".into(),
            ("", ""),
        ),
        Some(n) => line(
            "rows",
            Level::Warn,
            format!("{n} 个订单状态不明：列表中是待发货，但这一行没有「发货」按钮（或已发货却仍显示「发货」）"),
            format!("{n} orders have an unclear status: listed as waiting, but their row has no 发货 button (or shipped, yet still showing 发货)"),
            (
                "RedShip 不会为这些订单自动发货。请在工作台打开它们核对：已发货或已取消的，刷新订单列表即可；仍待发货的，请手动发货。若所有待发货订单都这样，工作台可能改版了，请把诊断报告发给为您提供支持的人。",
                "RedShip never ships these in a run. Check them on the workbench: reload the order list for those shipped or cancelled, ship the ones still waiting by hand. If every waiting order shows this, the workbench may have changed: send the diagnostic report to whoever supports you.",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: PartsSeen = PartsSeen { select: true, options: Some(12), input: true, confirm: true };

    #[test]
    fn a_record_is_written_only_when_something_new_is_seen() {
        let r = record_parts(None, "run1", &[ALL], 10).expect("first");
        assert_eq!((r.select, r.options_max, r.updated_at_ms), (Tally { found: true, missing: false }, 12, 10));
        assert_eq!(record_parts(Some(r.clone()), "run1", &[ALL, ALL], 20), None);
        assert_eq!(record_parts(Some(r.clone()), "run1", &[], 20), None);
        // The picker already showing the courier: options not looked at, nothing new.
        let shown = PartsSeen { options: None, ..ALL };
        assert_eq!(record_parts(Some(r.clone()), "run1", &[shown], 20), None);
        let no_input = PartsSeen { input: false, ..ALL };
        let r2 = record_parts(Some(r.clone()), "run1", &[no_input], 30).expect("new");
        assert_eq!(r2.input, Tally { found: true, missing: true });
        // Another run starts over.
        let r3 = record_parts(Some(r2), "run2", &[ALL], 40).expect("new run");
        assert_eq!((r3.run_id.as_str(), r3.input.missing), ("run2", false));
    }

    #[test]
    fn the_line_is_green_amber_or_red_by_what_was_found() {
        assert_eq!(dialog_parts_line(None).level, Level::Info);
        let ok = record_parts(None, "r", &[ALL], 1).expect("rec");
        let l = dialog_parts_line(Some(&ok));
        assert_eq!(l.level, Level::Ok);
        assert!(l.text_zh.contains("12 个快递公司选项"), "{}", l.text_zh);
        let some = record_parts(Some(ok), "r", &[PartsSeen { options: Some(0), ..ALL }], 2).expect("rec");
        let l = dialog_parts_line(Some(&some));
        assert_eq!(l.level, Level::Warn);
        assert!(l.text_zh.contains("快递公司选项"), "{}", l.text_zh);
        let never = record_parts(None, "r", &[PartsSeen { input: false, ..ALL }], 1).expect("rec");
        let l = dialog_parts_line(Some(&never));
        assert_eq!(l.level, Level::Error);
        assert!(l.advice_zh.starts_with("发货弹窗中找不到运单号输入框：请把诊断报告发给"), "{}", l.advice_zh);
        assert!(!l.text_zh.contains("选择框"), "{}", l.text_zh);
        assert_eq!(
            dialog_parts_report(&never),
            "ship dialog parts (last run): select found, options found (max 12), number input missing, confirm found"
        );
    }

    #[test]
    fn the_rows_line_counts_orders_whose_row_disagrees() {
        assert_eq!(rows_line(None).level, Level::Info);
        assert_eq!(rows_line(Some(0)).level, Level::Ok);
        let l = rows_line(Some(3));
        assert_eq!(l.level, Level::Warn);
        assert!(l.text_zh.starts_with("3 个订单状态不明"), "{}", l.text_zh);
        assert!(l.text_en.contains("their row has no 发货 button"), "{}", l.text_en);
        assert!(!l.advice_zh.is_empty());
    }
}
