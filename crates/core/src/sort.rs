//! A stable sort with one compiled body for every element type and comparison.
//!
//! The standard library's stable sort is fast but compiles to several kilobytes of
//! wasm per element type and closure; the crate sorts in about thirty places, so those
//! copies were a sixth of the npm package's code. Here a merge sort of indices runs
//! behind a `dyn` comparison, and only the small permutation step is generic. Any
//! correct stable sort gives the same order, so results are those of `slice::sort_by`.
//! Cost: O(n log n) comparisons and O(n) swaps, with O(n) extra indices.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp`, as `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = stable_order(v.len(), &mut |a, b| cmp(&v[a], &v[b]) == Ordering::Greater);
    permute(v, &order);
}

/// Sorts `v` stably by `key`, as `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// A map from `(key, value)` pairs, the last value winning, as `collect()` gives:
/// by insertion, because `BTreeMap::from_iter` first sorts the pairs with std's
/// stable sort, another copy of it per key and value type. O(n log n).
pub fn collect_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// A set, as `collect()` gives, by insertion (see [`collect_map`]). O(n log n).
pub fn collect_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The indices `0..n` in stably sorted order: bottom-up merging of runs that double
/// in width, taking from the left run unless its head is `greater` than the right's.
fn stable_order(n: usize, greater: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut to = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut to[lo..hi] {
                if i < mid && (j >= hi || !greater(from[i], from[j])) {
                    *slot = from[i];
                    i += 1;
                } else {
                    *slot = from[j];
                    j += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

/// Rearranges `v` so that position k holds the element that was at `order[k]`, in
/// place by swaps along the permutation's cycles.
fn permute<T>(v: &mut [T], order: &[usize]) {
    let mut dest = vec![0; order.len()];
    for (k, &i) in order.iter().enumerate() {
        dest[i] = k;
    }
    for i in 0..v.len() {
        while dest[i] != i {
            let d = dest[i];
            v.swap(i, d);
            dest.swap(i, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_stable_sort(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = v.clone();
            let mut std = v;
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn collected_maps_and_sets_equal_collect() {
        let pairs = vec![(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        assert_eq!(
            collect_map(pairs.clone()),
            pairs.into_iter().collect::<BTreeMap<_, _>>()
        );
        let items = vec![5, 1, 5, 3];
        assert_eq!(
            collect_set(items.clone()),
            items.into_iter().collect::<BTreeSet<_>>()
        );
    }

    #[test]
    fn sorts_by_key_and_handles_the_empty_slice() {
        let mut names = vec!["b".to_string(), "a".to_string(), "c".to_string()];
        sort_by_key(&mut names, |s| s.clone());
        assert_eq!(names, ["a", "b", "c"]);
        let mut empty: Vec<f64> = Vec::new();
        sort_by(&mut empty, f64::total_cmp);
        assert!(empty.is_empty());
    }
}
