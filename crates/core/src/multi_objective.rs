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
/// Cost: O(R · n² · m) for the R fronts peeled, n points and m objectives.
pub fn non_domination_ranks(points: &[Vec<f64>], n_below: usize) -> Vec<usize> {
    let n = points.len();
    let mut ranks = vec![usize::MAX; n];
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut ranked = 0;
    let mut rank = 0;
    while !remaining.is_empty() && ranked < n_below.min(n) {
        let front: Vec<usize> = remaining
            .iter()
            .copied()
            .filter(|&i| !remaining.iter().any(|&j| dominates(&points[j], &points[i])))
            .collect();
        for &i in &front {
            ranks[i] = rank;
        }
        ranked += front.len();
        remaining.retain(|i| ranks[*i] == usize::MAX);
        rank += 1;
    }
    for r in ranks.iter_mut().filter(|r| **r == usize::MAX) {
        *r = rank;
    }
    ranks
}

/// The exact hypervolume dominated by `points` and bounded by `reference` (minimization).
/// Points not better than the reference in every objective add nothing.
///
/// Cost: O(n log n) in 2-D; O(n^(m-1)) by slicing for m objectives.
pub fn hypervolume(points: &[Vec<f64>], reference: &[f64]) -> f64 {
    let inside: Vec<&[f64]> = points
        .iter()
        .map(Vec::as_slice)
        .filter(|p| p.iter().zip(reference).all(|(x, r)| x < r))
        .collect();
    hv_slices(inside, reference)
}

fn hv_slices(mut points: Vec<&[f64]>, reference: &[f64]) -> f64 {
    if points.is_empty() {
        return 0.0;
    }
    let m = reference.len();
    if m == 1 {
        let best = points.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
        return reference[0] - best;
    }
    if m == 2 {
        points.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        let mut volume = 0.0;
        let mut best_y = reference[1];
        for p in points {
            if p[1] < best_y {
                volume += (reference[0] - p[0]) * (best_y - p[1]);
                best_y = p[1];
            }
        }
        return volume;
    }
    // Slice along the last objective: between consecutive values, the (m-1)-D
    // hypervolume of the points at or below the slice.
    points.sort_by(|a, b| a[m - 1].total_cmp(&b[m - 1]));
    let mut volume = 0.0;
    for i in 0..points.len() {
        let top = if i + 1 < points.len() {
            points[i + 1][m - 1]
        } else {
            reference[m - 1]
        };
        let height = top - points[i][m - 1];
        if height > 0.0 {
            let lower: Vec<&[f64]> = points[..=i].iter().map(|p| &p[..m - 1]).collect();
            volume += height * hv_slices(lower, &reference[..m - 1]);
        }
    }
    volume
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
    order.sort_by(|&a, &b| {
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
    let mut selected: Vec<usize> = Vec::with_capacity(k);
    let mut selected_points: Vec<Vec<f64>> = Vec::with_capacity(k);
    let mut base = 0.0;
    let mut candidates = unique;
    while selected.len() < k {
        let mut best = (f64::NEG_INFINITY, 0);
        for (pos, &i) in candidates.iter().enumerate() {
            selected_points.push(points[i].clone());
            let contribution = hypervolume(&selected_points, reference) - base;
            selected_points.pop();
            if contribution > best.0 {
                best = (contribution, pos);
            }
        }
        let i = candidates.remove(best.1);
        selected.push(i);
        selected_points.push(points[i].clone());
        base = hypervolume(&selected_points, reference);
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
