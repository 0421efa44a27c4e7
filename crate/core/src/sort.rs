//! Sorting through one shared instantiation of the standard library's stable sort.
//!
//! Each `sort_by` call site with its own element type and closure compiles a fresh copy of std's
//! driftsort (3–5 KB of wasm each); the core's two dozen call sites were about a twelfth of the
//! main module. Here the comparator is a `&dyn Fn` over indices, so std's sort is compiled once
//! and each call site only adds a small permutation. Same ordering guarantees: stable, total.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp` (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_indices(items.len(), &|a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    // `order` is a permutation of 0..len, so every slot is taken exactly once.
    v.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// Stable sort of `v` by its natural order (as `slice::sort`).
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

/// Stable sort of `v` by a key (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one place std's sort is instantiated: indices `0..len` ordered by `cmp`.
fn sorted_indices(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..len).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_as_std_stable_sort(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|a| a.0); // stable, as sort_by is
            prop_assert_eq!(ours, std);
            let mut keyed = v.clone();
            sort_by_key(&mut keyed, |x| std::cmp::Reverse(x.1));
            let mut std = v;
            std.sort_by_key(|x| std::cmp::Reverse(x.1));
            prop_assert_eq!(keyed, std);
        }
    }

    #[test]
    fn natural_order_and_tiny_inputs() {
        let mut v = vec!["b".to_string(), "a".into(), "c".into()];
        sort(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
        let mut one = vec![1];
        sort(&mut one);
        assert_eq!(one, [1]);
    }
}
