//! How the vectors that hold an entry per trial grow: by an eighth once they are
//! large, where `Vec` doubles. A study of 100,000 trials then holds at most an eighth
//! more than it uses where doubling held up to twice, and a vector that moves leaves
//! a hole that the next one to move fits in (the holes doubling leaves never fit a
//! later, larger vector, so the heap only grows). Still amortised O(1) per push: a
//! move of n entries every n/8 pushes.

use std::collections::VecDeque;

/// Below this capacity a vector doubles, as `Vec` does.
const DOUBLE_BELOW: usize = 4096;

/// How much more room a vector of `len` entries with `capacity` gets when it needs
/// `additional` more: None when it has it.
fn more(len: usize, capacity: usize, additional: usize) -> Option<usize> {
    if capacity - len >= additional {
        None
    } else if capacity < DOUBLE_BELOW {
        Some(additional.max(len).max(8))
    } else {
        Some(additional.max(len / 8))
    }
}

/// Makes room for `additional` more entries in `v`.
pub(crate) fn room<T>(v: &mut Vec<T>, additional: usize) {
    if let Some(n) = more(v.len(), v.capacity(), additional) {
        v.reserve_exact(n);
    }
}

/// Pushes `x` onto `v`, growing it as the module says.
pub(crate) fn push<T>(v: &mut Vec<T>, x: T) {
    room(v, 1);
    v.push(x);
}

/// Resizes `v` to `len` entries, filling with `value`, growing it as the module says.
pub(crate) fn resize<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    room(v, len.saturating_sub(v.len()));
    v.resize(len, value);
}

/// Pushes `x` at the back of `v`, growing it as the module says.
pub(crate) fn push_back<T>(v: &mut VecDeque<T>, x: T) {
    if let Some(n) = more(v.len(), v.capacity(), 1) {
        v.reserve_exact(n);
    }
    v.push_back(x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_while_small_then_grows_by_an_eighth() {
        let mut v: Vec<u64> = Vec::new();
        let mut capacities = Vec::new();
        for i in 0..100_000u64 {
            push(&mut v, i);
            if capacities.last() != Some(&v.capacity()) {
                capacities.push(v.capacity());
            }
        }
        assert_eq!(v.len(), 100_000);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        // At most an eighth of room past the doubling range, and few moves.
        assert!(v.capacity() <= 100_000 + 100_000 / 8, "{}", v.capacity());
        assert!(capacities.len() < 40, "{capacities:?}");
        let mut d = VecDeque::new();
        for i in 0..10_000u64 {
            push_back(&mut d, i);
        }
        assert!(d.capacity() <= 10_000 + 10_000 / 8 + 1);
    }
}
