//! The diagnostic report: the self-check's facts as plain text a merchant can paste to whoever
//! supports them — paths, field names and value types, codes, counts — with no buyer data, no
//! order IDs and no tracking numbers. Every line is scrubbed before it leaves, whatever fed it.

use super::lines::{check, CheckInput};
use crate::order::leak::{scan_cell, ColumnClass};

/// The report's text for `input` (`now_iso`: when it was made, China time, for the reader).
pub fn report(input: &CheckInput, now_iso: &str) -> String {
    let view = check(input);
    let mut out: Vec<String> = vec![
        "RedShip 站点自检报告 / site self-check report".into(),
        format!("time: {now_iso} (China)"),
        format!("core: {} · site profile: v{}", input.core_version, input.profile_version),
        format!("overall: {:?}", view.level),
        String::new(),
    ];
    for l in &view.lines {
        out.push(format!("[{:?}] {}: {}", l.level, l.id, l.text_en));
    }
    if let Some(r) = &input.lists {
        out.push(String::new());
        out.push(format!(
            "day {}: answers {}, packages {}, unreadable {}, unclear {}",
            r.day, r.answers, r.read, r.unreadable, r.unclear
        ));
        for (f, n) in &r.gaps {
            out.push(format!("missing field {f}: {n}"));
        }
        for s in &r.statuses {
            let code = s.code.map_or("?".to_string(), |c| c.to_string());
            out.push(format!("status {code} \"{}\" → {} ×{}", s.text, s.state, s.count));
        }
        if let Some(u) = r.unread {
            out.push(format!("list rows without packages read: {}", u.rows));
        }
        if !r.shape.is_empty() {
            out.push("package fields (path: type):".into());
            out.extend(r.shape.iter().map(|(k, t)| format!("  {k}: {t}")));
        }
    }
    if let Some(p) = &input.page {
        out.push(String::new());
        let d = p.decrypts;
        out.push(format!(
            "decrypts: request {}, page {}, both {}; silent {}; refusals {}",
            d.request,
            d.page,
            d.both,
            p.silent.len(),
            p.refusals
        ));
        if let Some(e) = &p.decrypt_endpoint {
            out.push(format!("decrypt endpoint learned: {} keys [{}] seen {}", e.path, e.keys.join(", "), e.seen));
        }
        if let Some(q) = &p.quota_endpoint {
            out.push(format!("quota endpoint learned: {q}"));
        }
        for o in &p.quota_offers {
            out.push(format!("quota endpoint offered: {} fields [{}]", o.path, o.keys.join(", ")));
        }
        if p.board_unread_at_ms.is_some() {
            out.push("privacy board: a block naming the quota was seen, its numbers not read".to_string());
        }
    }
    out.push(format!("courier list: {}", input.couriers.map_or("not seen".to_string(), |n| format!("{n} couriers"))));
    if let Some(n) = input.row_unclear {
        out.push(format!("orders whose list row disagrees about 发货: {n}"));
    }
    if let Some(d) = &input.dialog {
        out.push(format!("last run: done {}, failed {}", d.done, d.failed));
        if let Some(p) = &d.parts {
            out.push(super::parts::dialog_parts_report(p));
        }
    }
    out.iter().map(|l| scrub(l)).collect::<Vec<_>>().join("\n")
}

/// Hides anything in `line` shaped like an order ID, a tracking number, a phone or an ID number
/// (runs of 9 or more digits, with letters or not), then drops the line if the leak scan still
/// finds buyer data in it.
fn scrub(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if digits >= 9 {
            out.push_str("[…]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in line.chars() {
        if c.is_ascii_alphanumeric() || c == '*' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    if scan_cell(&out, ColumnClass::Notes).is_some() {
        return "[line withheld: it looked like buyer data]".into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn ids_numbers_and_phones_are_hidden() {
        assert_eq!(scrub("path /api/P760123456789012345/x"), "path /api/[…]/x");
        assert_eq!(scrub("no SF1234567890123 and 773012345678"), "no […] and […]");
        assert_eq!(scrub("status 21 \"部分发货\" ×3"), "status 21 \"部分发货\" ×3");
        assert_eq!(scrub("call 138****5678"), "call 138****5678");
        assert!(scrub("广东省深圳市南山区科技园南路18号腾讯大厦").contains("withheld"));
    }
}
