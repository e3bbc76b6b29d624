//! Keys filed in O(1) and sorted when read: how TPE keeps its sorted lists (the
//! good/bad split, each parameter's kernel order) so that replaying n trials files them
//! in O(n), where keeping them sorted on every insert shifted O(n) each, O(n²) in all.

use std::cmp::Ordering;

/// Keys filed in O(1) and sorted when read. The keys must be distinct under the
/// comparison (they end with the trial number), so the order does not depend on when
/// they arrived.
#[derive(Clone, Debug, Default)]
pub(super) struct Filed<T> {
    sorted: Vec<T>,
    pending: Vec<T>,
}

/// Below this many new keys, a read inserts them one by one; from it, it sorts and
/// merges them.
const MERGE_FROM: usize = 16;

impl<T: Copy> Filed<T> {
    /// Files `key`. O(1).
    pub(super) fn push(&mut self, key: T) {
        crate::grow::push(&mut self.pending, key);
    }

    /// Files `count` keys at once. O(count).
    pub(super) fn extend(&mut self, count: usize, keys: impl Iterator<Item = T>) {
        self.pending.reserve_exact(count);
        self.pending.extend(keys);
    }

    /// Makes room for `n` keys filed before the next read.
    pub(super) fn reserve(&mut self, n: usize) {
        self.pending
            .reserve_exact(n.saturating_sub(self.sorted.len() + self.pending.len()));
    }

    /// Every key, in order. O(n·p) for p < MERGE_FROM new keys (as after one tell, a
    /// shift each), else O(n + p log p).
    pub(super) fn sorted(&mut self, cmp: impl Fn(&T, &T) -> Ordering) -> &[T] {
        if self.pending.len() < MERGE_FROM {
            for key in self.pending.drain(..) {
                let at = self.sorted.partition_point(|x| cmp(x, &key).is_lt());
                crate::grow::room(&mut self.sorted, 1);
                self.sorted.insert(at, key);
            }
        } else if self.sorted.is_empty() {
            // The first read after a replay: every key is new, and sorted in place.
            // The keys are distinct, so an unstable sort gives the one order there is,
            // without the stable sort's O(n) indices (the first ask after a wake sorts
            // every parameter's 100,000 kernels).
            sort(&mut self.pending, &cmp);
            std::mem::swap(&mut self.sorted, &mut self.pending);
        } else {
            sort(&mut self.pending, &cmp);
            let mut merged = Vec::with_capacity(self.sorted.len() + self.pending.len());
            let (mut i, mut j) = (0, 0);
            while i < self.sorted.len() && j < self.pending.len() {
                if cmp(&self.pending[j], &self.sorted[i]).is_lt() {
                    merged.push(self.pending[j]);
                    j += 1;
                } else {
                    merged.push(self.sorted[i]);
                    i += 1;
                }
            }
            merged.extend_from_slice(&self.sorted[i..]);
            merged.extend_from_slice(&self.pending[j..]);
            self.sorted = merged;
            // Many keys arrived at once: keep no buffer of their size for the next few.
            self.pending = Vec::new();
        }
        &self.sorted
    }
}

/// Sorts distinct keys. Behind a `dyn` comparison, so the wasm bundle holds one sort per
/// key type, not one per caller and path.
fn sort<T>(keys: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    keys.sort_unstable_by(cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_order_however_the_keys_arrived() {
        let keys: Vec<(u64, u64)> = (0..200u64).map(|n| ((n * 7919) % 31, n)).collect();
        let mut expected = keys.clone();
        expected.sort();
        // Read after every key, after every 5, after every 40, and once at the end.
        for every in [1, 5, 40, 200] {
            let mut filed = Filed::default();
            for (i, &k) in keys.iter().enumerate() {
                filed.push(k);
                if (i + 1) % every == 0 {
                    let n = i + 1;
                    let mut so_far = keys[..n].to_vec();
                    so_far.sort();
                    assert_eq!(filed.sorted(Ord::cmp), so_far.as_slice());
                }
            }
            assert_eq!(filed.sorted(Ord::cmp), expected.as_slice());
        }
    }
}
