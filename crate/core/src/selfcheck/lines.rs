//! The self-check's lines: one per thing RedShip needs from the page, each green, amber or red
//! with what the merchant can do about it, in Chinese and English.

use super::ListRecord;
use serde::{Deserialize, Serialize};

/// How a line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// Nothing to know yet (not counted in the overall state).
    Info,
    /// Works.
    Ok,
    /// Works partly, or not seen yet: the merchant can help.
    Warn,
    /// Failed: counts may be wrong until it is fixed.
    Error,
}

/// What the quota domain saw on the page today (`pageFacts` in sw/quota.js).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PageFacts {
    /// Decrypts seen by request, by the page changing, and by both.
    pub decrypts: DecryptCounts,
    /// 查看 clicks that showed plain text with no decrypt counted.
    pub silent: Vec<serde_json::Value>,
    /// The decrypt endpoint learned from the page, if any.
    pub decrypt_endpoint: Option<Endpoint>,
    /// Refusals seen.
    pub refusals: usize,
    /// The quota endpoint the privacy board confirmed, if any.
    pub quota_endpoint: Option<String>,
    /// Answers offered as the quota endpoint, not confirmed yet.
    pub quota_offers: Vec<Offer>,
    /// When a board block named the quota but its numbers could not be read.
    pub board_unread_at_ms: Option<i64>,
}

/// An answer offered as the quota endpoint: path and numeric field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Offer {
    /// The path.
    pub path: String,
    /// The answer's numeric field names.
    pub keys: Vec<String>,
}

/// Decrypts per signal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DecryptCounts {
    /// Seen by request only.
    pub request: usize,
    /// Seen by the page only.
    pub page: usize,
    /// Seen by both.
    pub both: usize,
}

/// A learned endpoint: path and body keys, never values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Endpoint {
    /// The request path.
    pub path: String,
    /// The body's keys.
    pub keys: Vec<String>,
    /// Decrypts it was seen with.
    pub seen: usize,
}

/// What the last fill run found of the ship dialog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DialogFacts {
    /// Orders the run shipped or filled.
    pub done: usize,
    /// Orders the run could not fill because a dialog part was missing.
    pub failed: usize,
    /// The dialog parts the run found, when it opened any dialog.
    pub parts: Option<super::parts::PartsRecord>,
}

/// Everything the self-check looks at, as the worker gathers it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CheckInput {
    /// The site profile's version.
    pub profile_version: u32,
    /// The core's version.
    pub core_version: String,
    /// Today's order-answer record for the shop.
    pub lists: Option<ListRecord>,
    /// Couriers on the page's list, when seen.
    pub couriers: Option<usize>,
    /// What the quota domain saw.
    pub page: Option<PageFacts>,
    /// The last fill run, if any.
    pub dialog: Option<DialogFacts>,
    /// When the privacy board's numbers were last read, if ever.
    pub board_read_at_ms: Option<i64>,
    /// The order-list help's last observation (see `super::list_help`).
    pub list_help: Option<super::list_help::ListHelpRecord>,
    /// Orders whose row on the list disagrees with the answers about 发货, now (`None`: unknown).
    pub row_unclear: Option<usize>,
}

/// One line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckLine {
    /// Stable ID (`lists`, `statuses`, `rows`, `decrypts`, `endpoints`, `couriers`, `dialog`,
    /// `dialogParts`, `board`, `listHelp`, `profile`).
    pub id: &'static str,
    /// How it stands.
    pub level: Level,
    /// What was seen, Chinese.
    pub text_zh: String,
    /// What was seen, English.
    pub text_en: String,
    /// What to do, Chinese (empty when nothing).
    pub advice_zh: String,
    /// What to do, English.
    pub advice_en: String,
}

/// The self-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckView {
    /// The worst level of the lines (info lines aside); `ok` when all are.
    pub level: Level,
    /// The lines, in a fixed order.
    pub lines: Vec<CheckLine>,
    /// True when a red line means the quota figures may be wrong (orders or decrypts not read):
    /// the badge then shows `?` instead of a number. A red line about shipping does not.
    pub counts_doubtful: bool,
}

/// The lines whose red means the quota figures may be wrong.
const COUNT_LINES: [&str; 2] = ["lists", "decrypts"];

/// One line (`advice`: what to do, Chinese and English; empty when nothing).
pub(super) fn line(id: &'static str, level: Level, zh: String, en: String, advice: (&str, &str)) -> CheckLine {
    CheckLine { id, level, text_zh: zh, text_en: en, advice_zh: advice.0.to_string(), advice_en: advice.1.to_string() }
}

const NONE: (&str, &str) = ("", "");

fn lists_line(r: Option<&ListRecord>) -> CheckLine {
    let Some(r) = r.filter(|r| r.answers > 0 || r.unread.is_some()) else {
        return line(
            "lists",
            Level::Warn,
            "今天还没有读到订单列表".into(),
            "no order list read today".into(),
            (
                "打开工作台的订单列表（订单查询），翻一翻待发货。",
                "Open the workbench's order list (订单查询) and page through 待发货.",
            ),
        );
    };
    if let Some(u) = r.unread {
        return line("lists", Level::Error,
            format!("订单列表显示了 {} 行订单，但 RedShip 没能从页面收到的数据里读出任何包裹", u.rows),
            format!("the order list showed {} rows but RedShip read no package from the page's answers", u.rows),
            ("刷新订单列表；仍然这样，请点「复制诊断报告」发给为您提供支持的人（工作台可能改版了）。",
             "Reload the order list; if it stays so, press 'Copy diagnostic report' and send it to whoever supports you (the workbench may have changed)."));
    }
    let gaps: Vec<String> = r.gaps.iter().map(|(f, n)| format!("{f}×{n}")).collect();
    let (level, advice) = if r.unreadable > 0 || !gaps.is_empty() {
        (Level::Warn, ("缺的字段显示为「—」，不影响其他订单；若缺商品或数量，导出前请核对。请把诊断报告发给为您提供支持的人。",
                       "Missing fields show as '—' and do not stop other orders; check products and quantities before exporting, and send the diagnostic report to whoever supports you."))
    } else {
        (Level::Ok, NONE)
    };
    let missing_zh =
        if gaps.is_empty() { String::new() } else { format!("；缺少或读不懂的字段：{}", gaps.join("、")) };
    let missing_en =
        if gaps.is_empty() { String::new() } else { format!("; fields missing or unreadable: {}", gaps.join(", ")) };
    line(
        "lists",
        level,
        format!("今天读了 {} 次订单列表，{} 个包裹，{} 个读不出{missing_zh}", r.answers, r.read, r.unreadable),
        format!("{} order answers read today, {} packages, {} unreadable{missing_en}", r.answers, r.read, r.unreadable),
        advice,
    )
}

fn statuses_line(r: Option<&ListRecord>) -> CheckLine {
    let Some(r) = r.filter(|r| !r.statuses.is_empty()) else {
        return line("statuses", Level::Info, "还没有见到订单状态".into(), "no order status seen yet".into(), NONE);
    };
    let seen: Vec<String> = r
        .statuses
        .iter()
        .map(|s| format!("{} {}", s.code.map_or("?".to_string(), |c| c.to_string()), s.text))
        .collect();
    if r.unclear > 0 {
        return line("statuses", Level::Warn,
            format!("{} 个订单状态不明（状态码和文字对不上）；见到的状态：{}", r.unclear, seen.join("、")),
            format!("{} orders have an unclear status (code and text disagree); statuses seen: {}", r.unclear, seen.join(", ")),
            ("这些订单不会被自动发货。请在工作台核对它们；若经常出现，请把诊断报告发给为您提供支持的人。",
             "These orders are never shipped automatically. Check them on the workbench; if it keeps happening, send the diagnostic report to whoever supports you."));
    }
    line(
        "statuses",
        Level::Ok,
        format!("见到的状态：{}", seen.join("、")),
        format!("statuses seen: {}", seen.join(", ")),
        NONE,
    )
}

fn decrypts_line(p: Option<&PageFacts>) -> CheckLine {
    let Some(p) = p else {
        return line(
            "decrypts",
            Level::Info,
            "今天还没有查看过买家信息".into(),
            "no buyer details viewed today".into(),
            NONE,
        );
    };
    let d = p.decrypts;
    let counts_zh = format!("按请求 {}，按页面变化 {}，两者都见到 {}", d.request, d.page, d.both);
    let counts_en = format!("by request {}, by the page {}, by both {}", d.request, d.page, d.both);
    if !p.silent.is_empty() {
        return line("decrypts", Level::Error,
            format!("有 {} 次「查看」后页面显示了明文，但没有记上账；{counts_zh}", p.silent.len()),
            format!("{} 查看 clicks showed plain text but were not counted; {counts_en}", p.silent.len()),
            ("额度数字可能偏少：以工作台 隐私保护 页面的数字为准，并把诊断报告发给为您提供支持的人。",
             "The quota figures may be too low: trust the numbers on the workbench's 隐私保护 page, and send the diagnostic report to whoever supports you."));
    }
    if d.page > 0 && d.request == 0 && d.both == 0 {
        return line(
            "decrypts",
            Level::Warn,
            format!("解密请求没有被认出，靠页面变化记账；{counts_zh}"),
            format!("the decrypt request is not recognised; counted from the page changing; {counts_en}"),
            (
                "记账仍然有效。查看两次以上后 RedShip 会学会新的请求地址。",
                "Counting still works. After two or more views RedShip learns the new request.",
            ),
        );
    }
    line("decrypts", Level::Ok, format!("今天的解密：{counts_zh}"), format!("decrypts today: {counts_en}"), NONE)
}

fn endpoints_line(p: Option<&PageFacts>) -> CheckLine {
    let decrypt = p.and_then(|p| p.decrypt_endpoint.as_ref());
    let quota = p.and_then(|p| p.quota_endpoint.as_deref());
    let offers: Vec<&str> = p.map(|p| p.quota_offers.iter().map(|o| o.path.as_str()).collect()).unwrap_or_default();
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if let Some(e) = decrypt {
        zh.push(format!("已学到解密请求：{}（{} 次）", e.path, e.seen));
        en.push(format!("decrypt request learned: {} ({} times)", e.path, e.seen));
    }
    if let Some(q) = quota {
        zh.push(format!("已学到额度请求：{q}（与 隐私保护 页面的数字一致）"));
        en.push(format!("quota request learned: {q} (agrees with the 隐私保护 page)"));
    }
    if !offers.is_empty() {
        zh.push(format!("可能的额度请求：{}（打开 隐私保护 页面即可确认）", offers.join("、")));
        en.push(format!("possible quota request: {} (opening the 隐私保护 page confirms it)", offers.join(", ")));
    }
    if zh.is_empty() {
        return line(
            "endpoints",
            Level::Info,
            "没有需要学习的请求地址".into(),
            "no request address learned (none needed)".into(),
            NONE,
        );
    }
    line("endpoints", Level::Ok, zh.join("；"), en.join("; "), NONE)
}

/// The privacy board: read, seen but not read (newer than the last read), or not seen yet.
fn board_line(read_at: Option<i64>, unread_at: Option<i64>) -> CheckLine {
    match (read_at, unread_at) {
        (_, Some(u)) if read_at.is_none_or(|r| u > r) => line(
            "board",
            Level::Warn,
            "隐私保护 页面上有额度，但 RedShip 读不出它的数字".into(),
            "the 隐私保护 page shows the quota, but RedShip could not read its numbers".into(),
            (
                "记账仍然有效，但以平台显示的数字为准。请复制诊断报告发给为您提供支持的人，以便更新站点配置。",
                "Counting still works, but trust the numbers the platform shows. Copy the diagnostic report and send it to whoever supports you so the site profile can be updated.",
            ),
        ),
        (Some(_), _) => line("board", Level::Ok, "已读到 隐私保护 页面上的额度数字".into(), "the 隐私保护 page's quota numbers read".into(), NONE),
        _ => line(
            "board",
            Level::Info,
            "还没读到 隐私保护 页面上的额度数字".into(),
            "the 隐私保护 page's quota numbers not read yet".into(),
            (
                "打开 店铺管理 → 隐私保护，RedShip 会以平台显示的数字为准。",
                "Open 店铺管理 → 隐私保护: RedShip then follows the numbers the platform shows.",
            ),
        ),
    }
}

/// Builds the self-check's lines.
pub fn check(input: &CheckInput) -> CheckView {
    let lists = input.lists.as_ref();
    let page = input.page.as_ref();
    // The rows line waits for a list read today: before that there was nothing to compare.
    let rows = super::parts::rows_line(input.row_unclear.filter(|_| lists.is_some_and(|r| r.answers > 0)));
    let mut lines = vec![lists_line(lists), statuses_line(lists), rows, decrypts_line(page), endpoints_line(page)];
    lines.push(match input.couriers {
        Some(n) if n > 0 => line("couriers", Level::Ok, format!("已见到平台的快递公司列表（{n} 家）"), format!("the platform's courier list seen ({n})"), NONE),
        _ => line("couriers", Level::Warn, "还没见到平台的快递公司列表".into(), "the platform's courier list not seen yet".into(),
            ("在工作台打开任意一单的「发货」对话框再关掉，RedShip 就会记下平台的快递公司和代码。",
             "Open any order's 发货 dialog on the workbench and close it: RedShip then knows the platform's couriers and codes.")),
    });
    lines.push(match &input.dialog {
        Some(d) if d.failed > 0 && d.done == 0 => line(
            "dialog",
            Level::Error,
            format!("上一次回填一单也没填上（{} 单失败）", d.failed),
            format!("the last run filled no order ({} failed)", d.failed),
            (
                "请看发货页报告里的原因，并把诊断报告发给为您提供支持的人。",
                "See the reasons in the ship page's report, and send the diagnostic report to whoever supports you.",
            ),
        ),
        Some(d) => line(
            "dialog",
            Level::Ok,
            format!("上一次回填：完成 {}，失败 {}", d.done, d.failed),
            format!("last run: {} done, {} failed", d.done, d.failed),
            NONE,
        ),
        None => line("dialog", Level::Info, "还没有回填过运单号".into(), "no tracking numbers filled yet".into(), NONE),
    });
    lines.push(super::parts::dialog_parts_line(input.dialog.as_ref().and_then(|d| d.parts.as_ref())));
    lines.push(board_line(input.board_read_at_ms, page.and_then(|p| p.board_unread_at_ms)));
    // ── order-list help (issue 26 item 5; its own module) ──
    lines.push(super::list_help::list_help_line(input.list_help.as_ref()));
    lines.push(line(
        "profile",
        Level::Ok,
        format!("站点配置第 {} 版", input.profile_version),
        format!("site profile version {}", input.profile_version),
        NONE,
    ));
    let level = lines.iter().map(|l| l.level).filter(|l| *l != Level::Info).max().unwrap_or(Level::Ok);
    let counts_doubtful = lines.iter().any(|l| l.level == Level::Error && COUNT_LINES.contains(&l.id));
    CheckView { level, lines, counts_doubtful }
}
