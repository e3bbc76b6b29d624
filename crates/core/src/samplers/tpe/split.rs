//! The good/bad split of TPE (Optuna's `_split_trials`), kept incrementally: finished
//! trials are filed once, in `after_trial`, in O(1), and sorted into their lists when
//! an ask reads them, so a replay of n trials files them in O(n) and an ask walks
//! sorted lists.
//!
//! Order of goodness: feasible COMPLETE trials by value (for several objectives, by
//! non-domination rank with ties broken by hypervolume subset selection), then PRUNED
//! trials by (latest step desc, last value), then infeasible trials by total violation.
//! RUNNING trials (constant liar) are always bad.

use std::cell::RefCell;
use std::cmp::Ordering;

use super::filed::Filed;
use crate::direction::Direction;
use crate::multi_objective::{non_domination_ranks, solve_hssp};
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// Sorted keys of every finished trial, by kind.
#[derive(Clone, Debug, Default)]
pub struct SplitState {
    /// Single objective: (loss, slot) of feasible COMPLETE trials, ascending.
    complete: RefCell<Filed<(f64, u64)>>,
    /// Several objectives: slots of feasible COMPLETE trials.
    complete_multi: Vec<u64>,
    /// (-last step, loss of the last value, slot) of PRUNED trials, ascending.
    pruned: RefCell<Filed<(f64, f64, u64)>>,
    /// (violation, slot) of infeasible trials, ascending.
    infeasible: RefCell<Filed<(f64, u64)>>,
    /// COMPLETE and PRUNED trials so far.
    pub n_finished: usize,
    /// The last multi-objective split, by (complete trials, n_below): the suggestions
    /// of one trial (one per parameter in univariate mode) share it.
    multi_cache: std::cell::RefCell<Option<MultiSplit>>,
}

/// A cached multi-objective split: its key and its (below, above).
#[derive(Clone, Debug)]
struct MultiSplit {
    key: (usize, usize),
    below: Vec<u64>,
    above: Vec<u64>,
}

fn loss(direction: Direction, v: f64) -> f64 {
    direction.loss(v)
}

fn by_value(a: &(f64, u64), b: &(f64, u64)) -> Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

fn by_step_then_value(a: &(f64, f64, u64), b: &(f64, f64, u64)) -> Ordering {
    a.0.total_cmp(&b.0)
        .then(a.1.total_cmp(&b.1))
        .then(a.2.cmp(&b.2))
}

impl SplitState {
    /// Makes room for `trials` trials, all COMPLETE at most (see `Sampler::reserve`).
    pub fn reserve(&mut self, trials: usize) {
        self.complete.get_mut().reserve(trials);
    }

    /// Files the finished trial at `slot` (its position in the view). O(1); the next
    /// split sorts it in.
    pub fn add(&mut self, directions: &[Direction], slot: u64, trial: &FrozenTrial) {
        if !matches!(trial.state, TrialState::Complete | TrialState::Pruned) {
            return;
        }
        self.n_finished += 1;
        let violation = trial.infeasibility();
        if violation > 0.0 {
            self.infeasible.get_mut().push((violation, slot));
        } else if trial.state == TrialState::Complete {
            if directions.len() == 1 {
                let v = trial.values.as_ref().map_or(f64::NAN, |v| v[0]);
                let key = (loss(directions[0], v), slot);
                self.complete.get_mut().push(key);
            } else {
                crate::grow::push(&mut self.complete_multi, slot);
            }
        } else {
            let key = match trial.intermediate_values.iter().next_back() {
                Some((step, v)) if v.is_nan() => (-(*step as f64), f64::INFINITY),
                Some((step, v)) => (-(*step as f64), loss(directions[0], *v)),
                None => (1.0, 0.0),
            };
            self.pruned.get_mut().push((key.0, key.1, slot));
        }
    }

    /// Splits into (below, above) slots (positions in the view), each ascending. `n_below` good trials
    /// go below; the rest, and RUNNING trials other than `current` when `liar`, above.
    pub fn split(
        &self,
        view: &StudyView<'_>,
        n_below: usize,
        liar: bool,
        current: u64,
    ) -> (Vec<u64>, Vec<u64>) {
        let mut below = Vec::with_capacity(n_below);
        let mut above = Vec::with_capacity(self.n_finished);
        let mut remaining = n_below;
        if view.directions.len() == 1 {
            let mut complete = self.complete.borrow_mut();
            let complete = complete.sorted(by_value);
            let k = remaining.min(complete.len());
            below.extend(complete[..k].iter().map(|x| x.1));
            above.extend(complete[k..].iter().map(|x| x.1));
            remaining -= k;
        } else {
            let key = (self.complete_multi.len(), remaining);
            let mut cache = self.multi_cache.borrow_mut();
            if cache.as_ref().is_none_or(|c| c.key != key) {
                let (below, above) = split_multi(view, &self.complete_multi, remaining);
                *cache = Some(MultiSplit { key, below, above });
            }
            let cached = cache.as_ref().expect("just filled");
            remaining -= cached.below.len();
            below.extend(&cached.below);
            above.extend(&cached.above);
        }
        let mut pruned = self.pruned.borrow_mut();
        let pruned = pruned.sorted(by_step_then_value);
        let k = remaining.min(pruned.len());
        below.extend(pruned[..k].iter().map(|x| x.2));
        above.extend(pruned[k..].iter().map(|x| x.2));
        remaining -= k;
        let mut infeasible = self.infeasible.borrow_mut();
        let infeasible = infeasible.sorted(by_value);
        let k = remaining.min(infeasible.len());
        below.extend(infeasible[..k].iter().map(|x| x.1));
        above.extend(infeasible[k..].iter().map(|x| x.1));
        if liar {
            above.extend(
                view.trials
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.state == TrialState::Running && t.number != current)
                    .map(|(slot, _)| slot as u64),
            );
        }
        below.sort_unstable();
        sort_numbers(&mut above, view.trials.len());
        (below, above)
    }
}

/// Sorts distinct trial numbers below `n_trials`: by a sweep of a bit set when they
/// are many, O(n_trials / 64 + len), else by sorting.
fn sort_numbers(numbers: &mut [u64], n_trials: usize) {
    if numbers.len() < 64 {
        numbers.sort_unstable();
        return;
    }
    let mut bits = vec![0u64; n_trials.div_ceil(64)];
    for &n in numbers.iter() {
        bits[(n / 64) as usize] |= 1 << (n % 64);
    }
    let mut at = 0;
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            numbers[at] = w as u64 * 64 + u64::from(word.trailing_zeros());
            at += 1;
            word &= word - 1;
        }
    }
}

/// Multi-objective: the best `n_below` by non-domination rank, the boundary rank
/// decided by greedy hypervolume subset selection.
pub(crate) fn split_multi(
    view: &StudyView<'_>,
    numbers: &[u64],
    n_below: usize,
) -> (Vec<u64>, Vec<u64>) {
    let n_below = n_below.min(numbers.len());
    if n_below == 0 {
        return (Vec::new(), numbers.to_vec());
    }
    if n_below == numbers.len() {
        return (numbers.to_vec(), Vec::new());
    }
    let losses: Vec<Vec<f64>> = numbers
        .iter()
        .map(|&n| {
            let values = view.trials[n as usize].values.as_deref().unwrap_or(&[]);
            view.directions
                .iter()
                .zip(values)
                .map(|(d, v)| loss(*d, *v))
                .collect()
        })
        .collect();
    let ranks = non_domination_ranks(&losses, n_below);
    let mut chosen = vec![false; numbers.len()];
    let mut taken = 0;
    let mut rank = 0;
    loop {
        let at_rank: Vec<usize> = (0..numbers.len()).filter(|&i| ranks[i] == rank).collect();
        if taken + at_rank.len() <= n_below {
            for &i in &at_rank {
                chosen[i] = true;
            }
            taken += at_rank.len();
            if taken == n_below {
                break;
            }
            rank += 1;
        } else {
            let points: Vec<Vec<f64>> = at_rank.iter().map(|&i| losses[i].clone()).collect();
            let reference = reference_point(&points);
            for j in solve_hssp(&points, n_below - taken, &reference) {
                chosen[at_rank[j]] = true;
            }
            break;
        }
    }
    let mut below = Vec::new();
    let mut above = Vec::new();
    for (i, &n) in numbers.iter().enumerate() {
        if chosen[i] {
            below.push(n);
        } else {
            above.push(n);
        }
    }
    (below, above)
}

/// Optuna's reference point: 1.1 × the worst value (0.9 × when negative), 1e-12 for 0.
fn reference_point(points: &[Vec<f64>]) -> Vec<f64> {
    let m = points.first().map_or(0, Vec::len);
    (0..m)
        .map(|j| {
            let worst = points
                .iter()
                .map(|p| p[j])
                .fold(f64::NEG_INFINITY, f64::max);
            let r = (1.1 * worst).max(0.9 * worst);
            if r == 0.0 {
                1e-12
            } else {
                r
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_by_bit_set_and_by_sorting_alike() {
        for len in [0, 5, 63, 64, 200, 999] {
            let mut numbers: Vec<u64> = (0..len as u64).map(|i| (i * 7919) % 1000).collect();
            let mut expected = numbers.clone();
            expected.sort_unstable();
            sort_numbers(&mut numbers, 1000);
            assert_eq!(numbers, expected, "{len} numbers");
        }
    }
}
