//! Checks across the rows of an import: a number on two orders and an order with two numbers
//! are errors on every row involved (the core cannot know which one is right); an exact repeat
//! of an earlier row is a warning and is filled once.

use super::validate::{err, reason, PreviewRow, Reason, Verdict};
use crate::hash::FastMap;
use std::collections::hash_map::Entry;

fn row_list(rows: &[PreviewRow], idx: &[usize]) -> String {
    idx.iter().map(|&i| rows[i].row.to_string()).collect::<Vec<_>>().join("、")
}

/// The keys on more than one row, each with its rows in order; empty keys are left out.
fn repeated<'r>(rows: &'r [PreviewRow], key: impl Fn(&'r PreviewRow) -> &'r str) -> Vec<(&'r str, Vec<usize>)> {
    let mut first: FastMap<&str, usize> = FastMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut many: FastMap<&str, Vec<usize>> = FastMap::default();
    for (i, r) in rows.iter().enumerate() {
        let k = key(r);
        if k.is_empty() {
            continue;
        }
        match first.entry(k) {
            Entry::Vacant(e) => {
                e.insert(i);
            }
            Entry::Occupied(e) => many.entry(k).or_insert_with(|| vec![*e.get()]).push(i),
        }
    }
    many.into_iter().collect()
}

/// Duplicates across rows: a number on two orders, an order with two numbers, repeats.
pub(super) fn cross_checks(rows: &mut [PreviewRow]) {
    let mut add: Vec<(usize, Reason)> = Vec::new();
    let mut repeats: Vec<usize> = Vec::new();
    let view: &[PreviewRow] = rows;
    for (number, idx) in repeated(view, |r| r.number.as_str()) {
        let mut pkgs: Vec<&str> = idx.iter().map(|&i| view[i].package_id.as_str()).collect();
        crate::sort::sort(&mut pkgs);
        pkgs.dedup();
        if pkgs.len() > 1 {
            let at = row_list(view, &idx);
            for &i in &idx {
                add.push((
                    i,
                    err(
                        "duplicate-number",
                        format!("运单号 {number} 在文件中出现在多个订单上（第 {at} 行）"),
                        format!("{number} appears on several orders in the file (rows {at})"),
                    ),
                ));
            }
        }
    }
    for (pkg, idx) in repeated(view, |r| r.package_id.as_str()) {
        let mut pairs: Vec<(&str, &str)> =
            idx.iter().map(|&i| (view[i].number.as_str(), view[i].courier_code.as_str())).collect();
        crate::sort::sort(&mut pairs);
        pairs.dedup();
        let at = row_list(view, &idx);
        if pairs.len() > 1 {
            for &i in &idx {
                add.push((
                    i,
                    err(
                        "two-numbers",
                        format!("订单 {pkg} 在文件中有不同的运单号或快递公司（第 {at} 行）"),
                        format!("order {pkg} is given different numbers or couriers (rows {at})"),
                    ),
                ));
            }
        } else {
            let first = view[idx[0]].row;
            for &i in &idx[1..] {
                repeats.push(i);
                add.push((
                    i,
                    reason(
                        "repeated-row",
                        Verdict::Warning,
                        format!("与第 {first} 行完全相同，只会填写一次"),
                        format!("same as row {first}; it will be filled once"),
                    ),
                ));
            }
        }
    }
    for i in repeats {
        rows[i].fillable = false;
    }
    crate::sort::sort_by(&mut add, |a, b| a.0.cmp(&b.0).then(a.1.code.cmp(&b.1.code)));
    for (i, r) in add {
        rows[i].reasons.push(r);
    }
}
