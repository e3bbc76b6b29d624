//! Multi-objective building blocks on loss vectors (every objective minimized):
//! dominance, non-domination ranks, exact hypervolume and greedy hypervolume subset
//! selection (HSSP), as Optuna's `_multi_objective.py` and `_hypervolume/`.

/// True when `a` dominates `b`: no worse in every objective and better in one.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut better = false;
    for (x, y) in a.iter().zip(b) {
        if x > y {
            return false;
        }
        if x < y {
            better = true;
        }
    }
    better
}

/// The non-domination rank of each point (0 for the Pareto front). Ranking stops once
/// at least `n_below` points are ranked; the rest get the next rank.
///
/// Cost: O(n log n) for two objectives (a sweep by the first objective, binary search
/// over the fronts' least second objective); otherwise O(n² · m) for Deb's fast
/// non-dominated sort.
pub fn non_domination_ranks(points: &[Vec<f64>], n_below: usize) -> Vec<usize> {
    let mut ranks = if points.first().is_some_and(|p| p.len() == 2) {
        ranks_2d(points)
    } else {
        ranks_by_counting(points)
    };
    // Keep the boundary rank that reaches n_below; lump every later rank together.
    let mut per_rank: Vec<usize> = Vec::new();
    for &r in &ranks {
        if per_rank.len() <= r {
            per_rank.resize(r + 1, 0);
        }
        per_rank[r] += 1;
    }
    let mut ranked = 0;
    for (r, count) in per_rank.iter().enumerate() {
        ranked += count;
        if ranked >= n_below.min(points.len()) {
            for x in ranks.iter_mut().filter(|x| **x > r) {
                *x = r + 1;
            }
            break;
        }
    }
    ranks
}

/// Exact ranks in two objectives. Sorted by (f1, f2), a point is dominated by front k
/// exactly when some member has f2 <= its f2 (identical points share a rank), and the
/// fronts' least f2 never decreases with k, so a binary search finds the rank.
fn ranks_2d(points: &[Vec<f64>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        points[a][0]
            .total_cmp(&points[b][0])
            .then(points[a][1].total_cmp(&points[b][1]))
    });
    let mut ranks = vec![0; points.len()];
    let mut least: Vec<f64> = Vec::new();
    let mut previous: Option<usize> = None;
    for &i in &order {
        let rank = match previous {
            Some(p) if points[p] == points[i] => ranks[p],
            _ => least.partition_point(|&m| m <= points[i][1]),
        };
        if rank == least.len() {
            least.push(points[i][1]);
        } else {
            least[rank] = least[rank].min(points[i][1]);
        }
        ranks[i] = rank;
        previous = Some(i);
    }
    ranks
}

/// Exact ranks by Deb's fast non-dominated sort: count each point's dominators once,
/// then peel the fronts.
fn ranks_by_counting(points: &[Vec<f64>]) -> Vec<usize> {
    let n = points.len();
    let mut dominated: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut count = vec![0usize; n];
    for i in 0..n {
        for j in i + 1..n {
            if dominates(&points[i], &points[j]) {
                dominated[i].push(j);
                count[j] += 1;
            } else if dominates(&points[j], &points[i]) {
                dominated[j].push(i);
                count[i] += 1;
            }
        }
    }
    let mut ranks = vec![0; n];
    let mut front: Vec<usize> = (0..n).filter(|&i| count[i] == 0).collect();
    let mut rank = 0;
    while !front.is_empty() {
        let mut next = Vec::new();
        for &i in &front {
            ranks[i] = rank;
            for &j in &dominated[i] {
                count[j] -= 1;
                if count[j] == 0 {
                    next.push(j);
                }
            }
        }
        front = next;
        rank += 1;
    }
    ranks
}

/// The exact hypervolume dominated by `points` and bounded by `reference`
/// (minimization), as Optuna's `compute_hypervolume`: a sweep in 2-D, Optuna's O(n²)
/// accumulation in 3-D, WFG beyond. Points not better than the reference in every
/// objective add nothing (Optuna rejects them); an infinite reference gives infinity.
///
/// Cost: O(n log n) in 2-D, O(n²) in 3-D, exponential in the worst case for WFG (fast on
/// typical fronts).
pub fn hypervolume(points: &[Vec<f64>], reference: &[f64]) -> f64 {
    if reference.iter().any(|r| r.is_infinite()) {
        return f64::INFINITY;
    }
    let inside: Vec<Vec<f64>> = points
        .iter()
        .filter(|p| p.iter().zip(reference).all(|(x, r)| x <= r))
        .cloned()
        .collect();
    if inside.is_empty() {
        return 0.0;
    }
    let front = pareto_sorted(inside);
    let hv = match reference.len() {
        1 => reference[0] - front[0][0],
        2 => hv_2d(&front, reference),
        3 => hv_3d(&front, reference),
        _ => hv_wfg(&front, reference),
    };
    if hv.is_finite() {
        hv
    } else {
        f64::INFINITY
    }
}

/// Lexicographic order of loss vectors.
fn lex(a: &[f64], b: &[f64]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.total_cmp(y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// The distinct non-dominated points, in lexicographic order.
/// Cost: O(n log n) in 2-D, O(n log n + n · F · m) beyond, for a front of F points.
pub fn pareto_sorted(mut points: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    crate::sort::sort_by(&mut points, |a, b| lex(a, b));
    points.dedup();
    if points.first().is_some_and(|p| p.len() == 2) {
        // In 2-D a point survives when its second loss is below every earlier one's.
        let mut lowest = f64::INFINITY;
        points.retain(|p| {
            let keep = p[1] < lowest;
            lowest = lowest.min(p[1]);
            keep
        });
        return points;
    }
    let mut front: Vec<Vec<f64>> = Vec::new();
    for p in points {
        // In lexicographic order only an earlier point can dominate a later one.
        if !front.iter().any(|q| dominates(q, &p)) {
            front.push(p);
        }
    }
    front
}

fn hv_2d(front: &[Vec<f64>], reference: &[f64]) -> f64 {
    let mut volume = 0.0;
    let mut top = reference[1];
    for p in front {
        volume += (reference[0] - p[0]) * (top - p[1]);
        top = p[1];
    }
    volume
}

/// Optuna's `_compute_3d`: coordinate-compressed cumulative maxima.
fn hv_3d(front: &[Vec<f64>], reference: &[f64]) -> f64 {
    let n = front.len();
    let mut y_order: Vec<usize> = (0..n).collect();
    crate::sort::sort_by(&mut y_order, |&a, &b| {
        front[a][1].total_cmp(&front[b][1]).then(a.cmp(&b))
    });
    // z_delta[i][j]: for the i-th point in x order and the j-th y rank.
    let mut z = vec![0.0; n * n];
    for (j, &i) in y_order.iter().enumerate() {
        z[i * n + j] = reference[2] - front[i][2];
    }
    for i in 1..n {
        for j in 0..n {
            z[i * n + j] = z[i * n + j].max(z[(i - 1) * n + j]);
        }
    }
    for i in 0..n {
        for j in 1..n {
            z[i * n + j] = z[i * n + j].max(z[i * n + j - 1]);
        }
    }
    let x_delta: Vec<f64> = (0..n)
        .map(|i| if i + 1 < n { front[i + 1][0] } else { reference[0] } - front[i][0])
        .collect();
    let y_vals: Vec<f64> = y_order.iter().map(|&i| front[i][1]).collect();
    let y_delta: Vec<f64> = (0..n)
        .map(|j| if j + 1 < n { y_vals[j + 1] } else { reference[1] } - y_vals[j])
        .collect();
    (0..n)
        .map(|i| x_delta[i] * (0..n).map(|j| z[i * n + j] * y_delta[j]).sum::<f64>())
        .sum()
}

/// WFG (While, Bradstreet, Barone): the sum of each point's exclusive hypervolume.
fn hv_wfg(front: &[Vec<f64>], reference: &[f64]) -> f64 {
    let inclusive = |p: &[f64]| -> f64 { p.iter().zip(reference).map(|(v, r)| r - v).product() };
    match front.len() {
        0 => 0.0,
        1 => inclusive(&front[0]),
        2 => {
            let both: f64 = front[0]
                .iter()
                .zip(&front[1])
                .zip(reference)
                .map(|((a, b), r)| r - a.max(*b))
                .product();
            inclusive(&front[0]) + inclusive(&front[1]) - both
        }
        n => {
            let mut volume = inclusive(&front[n - 1]);
            for i in 0..n - 1 {
                let limited: Vec<Vec<f64>> = front[i + 1..]
                    .iter()
                    .map(|q| q.iter().zip(&front[i]).map(|(a, b)| a.max(*b)).collect())
                    .collect();
                let limited = if limited.len() <= 3 {
                    limited
                } else {
                    pareto_sorted(limited)
                };
                volume += inclusive(&front[i]) - hv_wfg(&limited, reference);
            }
            volume
        }
    }
}

/// Greedily picks `k` of `points` that maximise the hypervolume, one point at a time
/// by largest contribution (a 1 - 1/e approximation, as Optuna's `_solve_hssp`).
/// Duplicate points are taken only after every distinct one. Returns indices into
/// `points`, in the order chosen.
pub fn solve_hssp(points: &[Vec<f64>], k: usize, reference: &[f64]) -> Vec<usize> {
    let n = points.len();
    if k >= n {
        return (0..n).collect();
    }
    // Distinct points, in lexicographic order (the first occurrence stands for its copies).
    let mut order: Vec<usize> = (0..n).collect();
    crate::sort::sort_by(&mut order, |&a, &b| {
        points[a]
            .iter()
            .zip(&points[b])
            .map(|(x, y)| x.total_cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    let mut unique: Vec<usize> = Vec::new();
    let mut duplicates: Vec<usize> = Vec::new();
    for &i in &order {
        match unique.last() {
            Some(&u) if points[u] == points[i] => duplicates.push(i),
            _ => unique.push(i),
        }
    }
    if unique.len() <= k {
        duplicates.sort_unstable();
        let mut chosen = unique;
        chosen.extend(duplicates.into_iter().take(k - chosen.len()));
        return chosen;
    }
    if reference.iter().any(|r| !r.is_finite()) {
        return unique.into_iter().take(k).collect();
    }
    // Lazy greedy: contributions only shrink as the selection grows (submodularity),
    // so a stale contribution bounds the current one and only the leading candidate is
    // re-evaluated. The choices are the plain greedy's, ties to the earlier candidate.
    let mut selected: Vec<usize> = Vec::with_capacity(k);
    let mut selected_points: Vec<Vec<f64>> = Vec::with_capacity(k);
    let mut base = 0.0;
    // (upper bound of the contribution, position in lexicographic order, index).
    let mut bounds: Vec<(f64, usize, usize)> = unique
        .iter()
        .enumerate()
        .map(|(pos, &i)| (f64::INFINITY, pos, i))
        .collect();
    let mut fresh = vec![false; bounds.len()];
    while selected.len() < k {
        fresh.iter_mut().for_each(|f| *f = false);
        loop {
            // The leading candidate: the largest bound, the earliest on ties.
            let lead = (0..bounds.len())
                .max_by(|&a, &b| {
                    bounds[a]
                        .0
                        .total_cmp(&bounds[b].0)
                        .then(bounds[b].1.cmp(&bounds[a].1))
                })
                .expect("fewer selected than candidates");
            if fresh[lead] {
                let (_, _, i) = bounds.swap_remove(lead);
                fresh.swap_remove(lead);
                selected.push(i);
                selected_points.push(points[i].clone());
                base = hypervolume(&selected_points, reference);
                break;
            }
            selected_points.push(points[bounds[lead].2].clone());
            bounds[lead].0 = hypervolume(&selected_points, reference) - base;
            selected_points.pop();
            fresh[lead] = true;
        }
    }
    selected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_peel_fronts() {
        let pts = vec![
            vec![1.0, 4.0],
            vec![2.0, 2.0],
            vec![4.0, 1.0],
            vec![3.0, 3.0],
            vec![5.0, 5.0],
        ];
        assert_eq!(non_domination_ranks(&pts, 5), vec![0, 0, 0, 1, 2]);
        // Stops after the first front covers n_below.
        assert_eq!(non_domination_ranks(&pts, 2), vec![0, 0, 0, 1, 1]);
    }

    #[test]
    fn the_fast_ranks_agree_with_peeling() {
        // Peeling by definition: a front is what no remaining point dominates.
        let peel = |points: &[Vec<f64>]| {
            let mut ranks = vec![usize::MAX; points.len()];
            let mut rank = 0;
            while ranks.contains(&usize::MAX) {
                let front: Vec<usize> = (0..points.len())
                    .filter(|&i| ranks[i] == usize::MAX)
                    .filter(|&i| {
                        !(0..points.len())
                            .any(|j| ranks[j] == usize::MAX && dominates(&points[j], &points[i]))
                    })
                    .collect();
                for i in front {
                    ranks[i] = rank;
                }
                rank += 1;
            }
            ranks
        };
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Few distinct values, so ties and duplicates are common.
            ((state >> 33) % 7) as f64
        };
        for m in [2, 3] {
            for _ in 0..50 {
                let points: Vec<Vec<f64>> =
                    (0..40).map(|_| (0..m).map(|_| next()).collect()).collect();
                assert_eq!(
                    non_domination_ranks(&points, usize::MAX),
                    peel(&points),
                    "{points:?}"
                );
            }
        }
    }

    #[test]
    fn hypervolume_of_boxes() {
        let r = [4.0, 4.0];
        assert_eq!(
            hypervolume(&[vec![1.0, 3.0], vec![3.0, 1.0]], &r),
            3.0 + 3.0 - 1.0
        );
        let r3 = [2.0, 2.0, 2.0];
        assert_eq!(hypervolume(&[vec![1.0, 1.0, 1.0]], &r3), 1.0);
        let two = hypervolume(&[vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 1.0]], &r3);
        assert_eq!(two, 2.0 + 2.0 - 1.0);
        assert_eq!(hypervolume(&[vec![5.0, 0.0]], &r), 0.0);
    }

    #[test]
    fn hssp_prefers_spread_points() {
        let pts = vec![
            vec![0.0, 3.0],
            vec![1.0, 1.0],
            vec![1.1, 1.1],
            vec![3.0, 0.0],
        ];
        let chosen = solve_hssp(&pts, 2, &[4.0, 4.0]);
        assert_eq!(chosen.len(), 2);
        assert!(chosen.contains(&1));
        let dup = vec![vec![1.0, 1.0], vec![1.0, 1.0], vec![2.0, 0.5]];
        let mut c = solve_hssp(&dup, 3, &[3.0, 3.0]);
        c.sort_unstable();
        assert_eq!(c, vec![0, 1, 2]);
    }
}
