//! Who survives into the next parent population: non-domination ranks (constraints
//! first, as Optuna's `_fast_non_domination_rank` with a penalty), then crowding
//! distance (NSGA-II) or reference-point niching (NSGA-III) on the boundary front.

use std::collections::BTreeMap;

use crate::multi_objective::non_domination_ranks;
use crate::rng::{self, Rng};
use crate::trial::FrozenTrial;
use crate::view::StudyView;

/// A trial as the selection sees it: its number, losses (smaller is better) and its
/// constraint penalty (None when it has no constraints in a constrained population).
#[derive(Clone, Debug)]
pub(super) struct Member {
    pub number: u64,
    pub losses: Vec<f64>,
    pub penalty: Option<f64>,
}

impl Member {
    pub fn of(view: &StudyView<'_>, trial: &FrozenTrial, constrained: bool) -> Member {
        let values = trial.values.as_deref().unwrap_or(&[]);
        Member {
            number: trial.number,
            losses: view
                .directions
                .iter()
                .zip(values)
                .map(|(d, v)| d.loss(*v))
                .collect(),
            penalty: if constrained {
                trial.constraints.as_ref().map(|_| trial.infeasibility())
            } else {
                Some(0.0)
            },
        }
    }

    /// Optuna's constrained domination: feasible beats infeasible, less violation
    /// beats more, and between feasible trials plain Pareto dominance. A trial with no
    /// constraint values loses to every trial that has them.
    pub fn dominates(&self, other: &Member) -> bool {
        match (self.penalty, other.penalty) {
            (Some(a), Some(b)) if a <= 0.0 && b <= 0.0 => {
                crate::multi_objective::dominates(&self.losses, &other.losses)
            }
            (Some(a), Some(b)) => a <= 0.0 || (b > 0.0 && a < b),
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// The members grouped by rank, best first: feasible trials by Pareto fronts, then
/// infeasible ones by penalty, then those without constraint values by fronts.
pub(super) fn rank(members: &[Member]) -> Vec<Vec<usize>> {
    let mut fronts: Vec<Vec<usize>> = Vec::new();
    let feasible: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].penalty.is_some_and(|p| p <= 0.0))
        .collect();
    push_fronts(&mut fronts, members, &feasible);
    let mut infeasible: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].penalty.is_some_and(|p| p > 0.0))
        .collect();
    crate::sort::sort_by(&mut infeasible, |&a, &b| {
        members[a]
            .penalty
            .partial_cmp(&members[b].penalty)
            .expect("finite")
    });
    let mut last = None;
    for i in infeasible {
        if last != members[i].penalty {
            fronts.push(Vec::new());
            last = members[i].penalty;
        }
        fronts.last_mut().expect("just pushed").push(i);
    }
    let missing: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].penalty.is_none())
        .collect();
    push_fronts(&mut fronts, members, &missing);
    fronts
}

fn push_fronts(fronts: &mut Vec<Vec<usize>>, members: &[Member], subset: &[usize]) {
    let losses: Vec<Vec<f64>> = subset.iter().map(|&i| members[i].losses.clone()).collect();
    let ranks = non_domination_ranks(&losses, usize::MAX);
    let base = fronts.len();
    for (k, &r) in ranks.iter().enumerate() {
        while fronts.len() <= base + r {
            fronts.push(Vec::new());
        }
        fronts[base + r].push(subset[k]);
    }
}

/// NSGA-II's survivors: whole fronts while they fit, then the most isolated members
/// of the boundary front by crowding distance. Cost: O(R · N² · m) to rank N members.
pub(super) fn by_crowding(members: &[Member], size: usize) -> Vec<u64> {
    let mut elite = Vec::with_capacity(size);
    for front in rank(members) {
        if elite.len() + front.len() < size {
            elite.extend(front.iter().map(|&i| members[i].number));
            continue;
        }
        let distances = crowding_distances(members, &front);
        let mut order: Vec<usize> = (0..front.len()).collect();
        crate::sort::sort_by(&mut order, |&a, &b| {
            distances[b]
                .total_cmp(&distances[a])
                .then(members[front[a]].number.cmp(&members[front[b]].number))
        });
        let n = size - elite.len();
        elite.extend(order.into_iter().take(n).map(|k| members[front[k]].number));
        break;
    }
    elite
}

/// Optuna's crowding distance: per objective, the normalised gap between each
/// member's neighbours; the ends get infinity.
fn crowding_distances(members: &[Member], front: &[usize]) -> Vec<f64> {
    let mut distance = vec![0.0; front.len()];
    let m = front.first().map_or(0, |&i| members[i].losses.len());
    for j in 0..m {
        let mut order: Vec<usize> = (0..front.len()).collect();
        crate::sort::sort_by(&mut order, |&a, &b| {
            members[front[a]].losses[j].total_cmp(&members[front[b]].losses[j])
        });
        let value = |k: usize| members[front[order[k]]].losses[j];
        let (first, last) = (value(0), value(order.len() - 1));
        if first == last {
            continue;
        }
        let finite_low = (0..order.len())
            .map(value)
            .find(|v| *v != f64::NEG_INFINITY);
        let finite_high = (0..order.len())
            .rev()
            .map(value)
            .find(|v| *v != f64::INFINITY);
        let width = match (finite_low, finite_high) {
            (Some(lo), Some(hi)) if hi - lo > 0.0 => hi - lo,
            _ => 1.0,
        };
        let padded = |k: isize| -> f64 {
            if k < 0 {
                f64::NEG_INFINITY
            } else if k as usize >= order.len() {
                f64::INFINITY
            } else {
                value(k as usize)
            }
        };
        for k in 0..order.len() {
            let (lo, hi) = (padded(k as isize - 1), padded(k as isize + 1));
            let gap = if lo == hi { 0.0 } else { hi - lo };
            distance[order[k]] += gap / width;
        }
    }
    distance
}

/// NSGA-III's survivors: whole fronts while they fit, then members of the boundary
/// front chosen niche by niche around the reference points (least crowded first).
/// Cost: O(R · N² · m) to rank, O(N · P · m) to associate with P reference points.
pub(super) fn by_reference_points(
    members: &[Member],
    size: usize,
    reference_points: &[Vec<f64>],
    rng: &mut Rng,
) -> Vec<u64> {
    let mut elite: Vec<usize> = Vec::with_capacity(size);
    for front in rank(members) {
        if elite.len() + front.len() < size {
            elite.extend(&front);
            continue;
        }
        let all: Vec<usize> = elite.iter().chain(&front).copied().collect();
        let matrix = normalize(clip_infinite(
            all.iter().map(|&i| members[i].losses.clone()).collect(),
        ));
        let (closest, distance) = associate(&matrix, reference_points);
        let chosen = preserve_niches(size - elite.len(), elite.len(), &closest, &distance, rng);
        let mut out: Vec<u64> = elite.iter().map(|&i| members[i].number).collect();
        out.extend(chosen.into_iter().map(|k| members[front[k]].number));
        return out;
    }
    elite.iter().map(|&i| members[i].number).collect()
}

/// Das and Dennis's points: every way to split `divisions` units over `m` axes.
pub(super) fn das_dennis(m: usize, divisions: usize) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    let mut combo = vec![0usize; divisions];
    // Combinations with replacement of axes, in lexicographic order.
    loop {
        let mut point = vec![0.0; m];
        for &axis in &combo {
            point[axis] += 1.0;
        }
        out.push(point);
        let Some(i) = (0..divisions).rev().find(|&i| combo[i] + 1 < m) else {
            break;
        };
        let next = combo[i] + 1;
        for c in &mut combo[i..] {
            *c = next;
        }
    }
    out
}

/// Optuna's `_filter_inf`: clip each objective to its finite range widened three times.
fn clip_infinite(mut matrix: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let m = matrix.first().map_or(0, Vec::len);
    for j in 0..m {
        let finite = matrix.iter().map(|r| r[j]).filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 0.0) };
        let margin = 3.0 * (hi - lo);
        for row in &mut matrix {
            row[j] = row[j].clamp(lo - margin, hi + margin);
        }
    }
    matrix
}

/// Translates the ideal point to the origin and divides by the intercepts of the
/// hyperplane through the extreme points (or by the column maxima when that plane is
/// degenerate), as Optuna's `_normalize_objective_values`.
fn normalize(mut matrix: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    let m = matrix.first().map_or(0, Vec::len);
    for j in 0..m {
        let lo = matrix.iter().map(|r| r[j]).fold(f64::INFINITY, f64::min);
        for row in &mut matrix {
            row[j] -= lo;
        }
    }
    // The extreme point of axis d minimises the achievement scalarising function
    // with weight 1 on d and 1e6 elsewhere.
    let extremes: Vec<Vec<f64>> = (0..m)
        .map(|d| {
            let asf = |r: &Vec<f64>| {
                r.iter()
                    .enumerate()
                    .map(|(j, v)| if j == d { *v } else { v * 1e6 })
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            matrix
                .iter()
                .min_by(|a, b| asf(a).total_cmp(&asf(b)))
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let inverse = crate::linalg::solve(extremes, vec![1.0; m]).unwrap_or_else(|| {
        (0..m)
            .map(|j| {
                let hi = matrix
                    .iter()
                    .map(|r| r[j])
                    .fold(f64::NEG_INFINITY, f64::max);
                1.0 / if hi == 0.0 { 1.0 } else { hi }
            })
            .collect()
    });
    for row in &mut matrix {
        for (v, inv) in row.iter_mut().zip(&inverse) {
            *v *= if inv.is_finite() { *inv } else { 1.0 };
        }
    }
    matrix
}

/// For each row, the nearest reference line through the origin and the distance to it.
fn associate(matrix: &[Vec<f64>], reference_points: &[Vec<f64>]) -> (Vec<usize>, Vec<f64>) {
    let norms: Vec<f64> = reference_points
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum())
        .collect();
    matrix
        .iter()
        .map(|x| {
            reference_points
                .iter()
                .zip(&norms)
                .map(|(r, norm)| {
                    let t = x.iter().zip(r).map(|(a, b)| a * b).sum::<f64>() / norm;
                    x.iter()
                        .zip(r)
                        .map(|(a, b)| (a - t * b).powi(2))
                        .sum::<f64>()
                        .sqrt()
                })
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (p, d)| if d < best.1 { (p, d) } else { best },
                )
        })
        .unzip()
}

/// Optuna's niche preservation: repeatedly take a reference point with the fewest
/// elite neighbours and add one of its boundary-front members (the nearest when the
/// niche is empty, a random one otherwise). Returns indices into the boundary front.
fn preserve_niches(
    target: usize,
    n_elite: usize,
    closest: &[usize],
    distance: &[f64],
    rng: &mut Rng,
) -> Vec<usize> {
    let mut members_of: BTreeMap<usize, Vec<(f64, usize)>> = BTreeMap::new();
    for (i, &p) in closest[n_elite..].iter().enumerate() {
        members_of
            .entry(p)
            .or_default()
            .push((distance[n_elite + i], i));
    }
    let mut elite_count: BTreeMap<usize, usize> = BTreeMap::new();
    for &p in &closest[..n_elite] {
        *elite_count.entry(p).or_default() += 1;
    }
    let mut by_count: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &p in members_of.keys() {
        by_count
            .entry(elite_count.get(&p).copied().unwrap_or(0))
            .or_default()
            .push(p);
    }
    let mut shuffled_points = std::collections::BTreeSet::new();
    let mut shuffled_counts = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(target);
    while out.len() < target {
        let Some((&count, _)) = by_count.iter().find(|(_, ps)| !ps.is_empty()) else {
            break;
        };
        let points = by_count.get_mut(&count).expect("found above");
        if shuffled_counts.insert(count) {
            shuffle(points, rng);
        }
        let p = points.pop().expect("not empty");
        let list = members_of.get_mut(&p).expect("every point has members");
        if count > 0 && shuffled_points.insert(p) {
            shuffle(list, rng);
        } else if count == 0 {
            crate::sort::sort_by(list, |a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        }
        let (_, k) = list.pop().expect("not empty");
        out.push(k);
        if !list.is_empty() {
            by_count.entry(count + 1).or_default().push(p);
        }
    }
    out
}

fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = ((rng::uniform01(rng) * (i + 1) as f64) as usize).min(i);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(number: u64, losses: &[f64]) -> Member {
        Member {
            number,
            losses: losses.to_vec(),
            penalty: Some(0.0),
        }
    }

    #[test]
    fn das_dennis_matches_optuna() {
        // Optuna's _generate_default_reference_point(3, 3): 10 points summing to 3.
        let points = das_dennis(3, 3);
        assert_eq!(points.len(), 10);
        assert_eq!(points[0], vec![3.0, 0.0, 0.0]);
        assert_eq!(points[1], vec![2.0, 1.0, 0.0]);
        assert_eq!(points[9], vec![0.0, 0.0, 3.0]);
        assert!(points.iter().all(|p| p.iter().sum::<f64>() == 3.0));
        assert_eq!(das_dennis(2, 3).len(), 4);
    }

    #[test]
    fn crowding_keeps_the_ends_of_a_front() {
        let members: Vec<Member> = (0..5)
            .map(|i| member(i, &[i as f64, 4.0 - i as f64]))
            .collect();
        let mut kept = by_crowding(&members, 2);
        crate::sort::sort_by(&mut kept, Ord::cmp);
        assert_eq!(kept, vec![0, 4]);
    }

    #[test]
    fn better_fronts_survive_first() {
        let members = vec![
            member(0, &[1.0, 1.0]),
            member(1, &[2.0, 2.0]),
            member(2, &[0.5, 3.0]),
            member(3, &[3.0, 3.0]),
        ];
        let mut kept = by_crowding(&members, 2);
        crate::sort::sort_by(&mut kept, Ord::cmp);
        assert_eq!(kept, vec![0, 2]);
    }

    #[test]
    fn feasible_trials_rank_before_infeasible_ones() {
        let mut members = vec![
            member(0, &[5.0, 5.0]),
            member(1, &[0.0, 0.0]),
            member(2, &[1.0, 1.0]),
        ];
        members[1].penalty = Some(2.0);
        members[2].penalty = Some(1.0);
        let fronts = rank(&members);
        assert_eq!(fronts, vec![vec![0], vec![2], vec![1]]);
        assert!(members[0].dominates(&members[1]));
        assert!(members[2].dominates(&members[1]));
        assert!(!members[1].dominates(&members[2]));
    }

    #[test]
    fn reference_points_spread_the_survivors() {
        // A dense cluster at one end and a few points elsewhere on the front: niching
        // keeps one from each region before a second from the cluster.
        let mut members: Vec<Member> = (0..6)
            .map(|i| member(i, &[0.01 * i as f64, 1.0 - 0.01 * i as f64]))
            .collect();
        members.push(member(6, &[0.5, 0.5]));
        members.push(member(7, &[1.0, 0.0]));
        let mut rng = rng::named_rng(1, "test");
        let kept = by_reference_points(&members, 3, &das_dennis(2, 3), &mut rng);
        assert_eq!(kept.len(), 3);
        assert!(kept.contains(&6) && kept.contains(&7), "{kept:?}");
    }
}
