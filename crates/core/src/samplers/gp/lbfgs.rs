//! A small L-BFGS minimiser with optional box bounds (projected steps, as a light
//! L-BFGS-B), for the GP's kernel fit (unbounded, in log space) and its acquisition
//! search (in the unit box). Hand-written: no maintained pure-Rust crate offers bounded
//! L-BFGS without pulling a linear-algebra stack into the wasm bundle.

/// Memory of the quasi-Newton update.
const MEMORY: usize = 10;
/// scipy's L-BFGS-B defaults, which Optuna keeps: stop when an iteration lowers the
/// value by at most `FTOL · max(|f|, |f_next|, 1)` (`factr = 1e7` times the machine
/// epsilon), and give a line search at most `MAX_LINE_SEARCH` evaluations.
const FTOL: f64 = 1e7 * f64::EPSILON;
const MAX_LINE_SEARCH: usize = 20;

/// A function to minimise. Line-search trials ask only for the value; the gradient is
/// asked for at the points the search accepts and goes on from, so an objective whose
/// gradient costs more than its value (the kernel fit's) pays for it only there.
pub(super) trait Objective {
    /// The value at `x`, with the gradient when it costs nothing more.
    fn value(&mut self, x: &[f64]) -> (f64, Option<Vec<f64>>);
    /// The gradient at `x`, the last point `value` was called at.
    fn gradient(&mut self, x: &[f64]) -> Vec<f64>;
}

/// An objective that computes its value and gradient together.
pub(super) struct Smooth<F>(pub F);

impl<F: FnMut(&[f64]) -> (f64, Vec<f64>)> Objective for Smooth<F> {
    fn value(&mut self, x: &[f64]) -> (f64, Option<Vec<f64>>) {
        let (v, g) = (self.0)(x);
        (v, Some(g))
    }

    fn gradient(&mut self, x: &[f64]) -> Vec<f64> {
        (self.0)(x).1
    }
}

/// What [`minimize`] found: the best point, its value and the iterations taken.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    /// False when the value at the start is not finite, or when a line search found
    /// no lower value even along steepest descent (scipy's
    /// `ABNORMAL_TERMINATION_IN_LNSRCH`, which Optuna's kernel fit treats as a failed
    /// fit); true on the gradient or value tolerance, or after `max_iter` iterations.
    pub converged: bool,
}

/// Minimises `f` from `x0`, staying in `[lo, hi]` per coordinate when `bounds` is
/// given, until the largest projected gradient entry is at most `gtol`, an iteration
/// no longer lowers the value (relatively, by more than [`FTOL`]), or `max_iter`
/// iterations. Cost per iteration: a few values, one gradient (none on the last
/// iteration, which stops on the value) and O(MEMORY · d).
pub(super) fn minimize(
    f: &mut impl Objective,
    x0: &[f64],
    bounds: Option<(&[f64], &[f64])>,
    gtol: f64,
    max_iter: usize,
) -> Minimum {
    let project = |x: &mut [f64]| {
        if let Some((lo, hi)) = bounds {
            for ((v, l), h) in x.iter_mut().zip(lo).zip(hi) {
                *v = v.clamp(*l, *h);
            }
        }
    };
    let mut x = x0.to_vec();
    project(&mut x);
    let (mut fx, g0) = f.value(&x);
    if !fx.is_finite() {
        return Minimum {
            x,
            value: fx,
            iterations: 0,
            converged: false,
        };
    }
    let mut g = g0.unwrap_or_else(|| f.gradient(&x));
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    for iter in 0..max_iter {
        // Coordinates pinned at a bound with the gradient pushing outwards are fixed.
        let free: Vec<bool> = (0..x.len())
            .map(|i| match bounds {
                Some((lo, hi)) => !((x[i] <= lo[i] && g[i] > 0.0) || (x[i] >= hi[i] && g[i] < 0.0)),
                None => true,
            })
            .collect();
        let pg = (0..x.len())
            .filter(|&i| free[i])
            .map(|i| g[i].abs())
            .fold(0.0, f64::max);
        if pg <= gtol {
            return Minimum {
                x,
                value: fx,
                iterations: iter,
                converged: true,
            };
        }
        let mut d = two_loop(&g, &s_hist, &y_hist, &free);
        for (di, &fr) in d.iter_mut().zip(&free) {
            if !fr {
                *di = 0.0;
            }
        }
        let mut slope: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope >= 0.0 || !slope.is_finite() {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            d = g
                .iter()
                .zip(&free)
                .map(|(v, &fr)| if fr { -v } else { 0.0 })
                .collect();
            slope = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        }
        // Backtracking (Armijo) line search on the projected path.
        let mut t = if s_hist.is_empty() {
            (1.0 / d.iter().map(|v| v.abs()).fold(0.0, f64::max)).min(1.0)
        } else {
            1.0
        };
        let mut accepted = None;
        for _ in 0..MAX_LINE_SEARCH {
            let mut candidate: Vec<f64> = x.iter().zip(&d).map(|(a, b)| a + t * b).collect();
            project(&mut candidate);
            let (fc, gc) = f.value(&candidate);
            let moved: f64 = candidate
                .iter()
                .zip(&x)
                .zip(&g)
                .map(|((c, a), gi)| (c - a) * gi)
                .sum();
            if fc.is_finite() && fc <= fx + 1e-4 * moved.min(t * slope) {
                accepted = Some((candidate, fc, gc));
                break;
            }
            t = backtrack(t, slope, fx, fc);
        }
        let Some((next, f_next, g_next)) = accepted else {
            if s_hist.is_empty() {
                // Not even steepest descent lowers the value: scipy's
                // ABNORMAL_TERMINATION_IN_LNSRCH.
                return Minimum {
                    x,
                    value: fx,
                    iterations: iter,
                    converged: false,
                };
            }
            // The quasi-Newton model misled the search: retry from steepest descent.
            s_hist.clear();
            y_hist.clear();
            continue;
        };
        if fx - f_next <= FTOL * fx.abs().max(f_next.abs()).max(1.0) {
            // Stalled: stop here, without the gradient at the new point.
            return Minimum {
                x: next,
                value: f_next,
                iterations: iter + 1,
                converged: true,
            };
        }
        let g_next = g_next.unwrap_or_else(|| f.gradient(&next));
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_next.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 1e-12 * y.iter().map(|v| v * v).sum::<f64>().max(1e-300) {
            if s_hist.len() == MEMORY {
                s_hist.remove(0);
                y_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(y);
        }
        x = next;
        fx = f_next;
        g = g_next;
    }
    Minimum {
        x,
        value: fx,
        iterations: max_iter,
        converged: true,
    }
}

/// The next trial step after `t` failed: the minimiser of the quadratic through
/// f(0) = `f0`, f'(0) = `slope` and f(t) = `ft`, kept within [t/100, t/2] (Nocedal and
/// Wright, section 3.5, with a lower guard loose enough to reach in one step what a
/// much too long first step overshot, as scipy's Moré-Thuente search does: a
/// warm-started kernel fit's unit first step typically overshoots fifty-fold); plain
/// halving when `ft` is not finite.
fn backtrack(t: f64, slope: f64, f0: f64, ft: f64) -> f64 {
    let curvature = ft - f0 - slope * t;
    if !(ft.is_finite() && curvature > 0.0) {
        return 0.5 * t;
    }
    (-slope * t * t / (2.0 * curvature)).clamp(0.01 * t, 0.5 * t)
}

/// The L-BFGS direction `-H g` from the stored pairs, in the subspace of the free
/// coordinates (pinned ones are masked out of every vector).
fn two_loop(g: &[f64], s_hist: &[Vec<f64>], y_hist: &[Vec<f64>], free: &[bool]) -> Vec<f64> {
    let mask = |v: &[f64]| -> Vec<f64> {
        v.iter()
            .zip(free)
            .map(|(x, &f)| if f { *x } else { 0.0 })
            .collect()
    };
    let s_hist: Vec<Vec<f64>> = s_hist.iter().map(|v| mask(v)).collect();
    let y_hist: Vec<Vec<f64>> = y_hist.iter().map(|v| mask(v)).collect();
    let usable = s_hist
        .iter()
        .zip(&y_hist)
        .all(|(s, y)| s.iter().zip(y).map(|(a, b)| a * b).sum::<f64>() > 0.0);
    let (s_hist, y_hist) = if usable {
        (s_hist, y_hist)
    } else {
        (Vec::new(), Vec::new())
    };
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let mut q = mask(g);
    let mut alphas = Vec::with_capacity(s_hist.len());
    for (s, y) in s_hist.iter().zip(&y_hist).rev() {
        let rho = 1.0 / dot(y, s);
        let a = rho * dot(s, &q);
        for (qi, yi) in q.iter_mut().zip(y) {
            *qi -= a * yi;
        }
        alphas.push((a, rho));
    }
    if let (Some(s), Some(y)) = (s_hist.last(), y_hist.last()) {
        let gamma = dot(s, y) / dot(y, y);
        for qi in q.iter_mut() {
            *qi *= gamma;
        }
    }
    for ((s, y), (a, rho)) in s_hist.iter().zip(&y_hist).zip(alphas.into_iter().rev()) {
        let b = rho * dot(y, &q);
        for (qi, si) in q.iter_mut().zip(s) {
            *qi += (a - b) * si;
        }
    }
    q.iter().map(|v| -v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64]) -> (f64, Vec<f64>) {
        let (a, b) = (x[0], x[1]);
        let f = (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2);
        let g = vec![
            -2.0 * (1.0 - a) - 400.0 * a * (b - a * a),
            200.0 * (b - a * a),
        ];
        (f, g)
    }

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let m = minimize(&mut Smooth(rosenbrock), &[-1.2, 1.0], None, 1e-8, 500);
        assert!(m.value < 1e-10 && (m.x[0] - 1.0).abs() < 1e-4, "{m:?}");
        assert!(m.converged);
    }

    /// Rosenbrock whose gradient comes only when asked for, counting the asks.
    struct Lazy {
        gradients: usize,
    }

    impl Objective for Lazy {
        fn value(&mut self, x: &[f64]) -> (f64, Option<Vec<f64>>) {
            (rosenbrock(x).0, None)
        }

        fn gradient(&mut self, x: &[f64]) -> Vec<f64> {
            self.gradients += 1;
            rosenbrock(x).1
        }
    }

    #[test]
    fn gradients_are_asked_for_only_where_the_search_goes_on() {
        let x0 = [-1.2, 1.0];
        let mut lazy = Lazy { gradients: 0 };
        let lazy_result = minimize(&mut lazy, &x0, None, 1e-8, 500);
        // The same iterates as an objective giving its gradient with every value.
        let mut values = 0;
        let mut smooth = Smooth(|x: &[f64]| {
            values += 1;
            rosenbrock(x)
        });
        let smooth_result = minimize(&mut smooth, &x0, None, 1e-8, 500);
        assert_eq!(lazy_result, smooth_result);
        // One gradient at the start and one per iteration the search went on from;
        // line-search trials (more values than iterations) asked for none.
        let iterations = lazy_result.iterations;
        assert!(
            lazy.gradients <= iterations + 1,
            "{} > {iterations} + 1",
            lazy.gradients
        );
        assert!(
            values > lazy.gradients,
            "{values} values, {} gradients",
            lazy.gradients
        );
    }

    #[test]
    fn respects_the_bounds() {
        let lo = [-2.0, -2.0];
        let hi = [0.5, 2.0];
        let x = minimize(
            &mut Smooth(rosenbrock),
            &[-1.2, 1.0],
            Some((&lo, &hi)),
            1e-8,
            500,
        )
        .x;
        // The constrained minimum lies on a = 0.5, b = 0.25.
        assert!(
            (x[0] - 0.5).abs() < 1e-6 && (x[1] - 0.25).abs() < 1e-3,
            "{x:?}"
        );
    }

    #[test]
    fn a_search_that_cannot_descend_has_not_converged() {
        // The gradient points the wrong way: no step along -g lowers the value.
        let m = minimize(
            &mut Smooth(|x: &[f64]| (x[0], vec![-1.0])),
            &[0.0],
            None,
            1e-8,
            50,
        );
        assert!(!m.converged && m.x == [0.0] && m.value == 0.0, "{m:?}");
        let m = minimize(
            &mut Smooth(|_: &[f64]| (f64::NAN, vec![0.0])),
            &[0.0],
            None,
            1e-8,
            50,
        );
        assert!(!m.converged, "{m:?}");
    }

    #[test]
    fn a_fifty_fold_overshoot_is_undone_in_one_backtrack() {
        // f(t) = (t - 0.02)², from f'(0) = -0.04: the quadratic model is exact, so the
        // step after the overshoot to t = 1 is the minimiser itself.
        let f = |t: f64| (t - 0.02) * (t - 0.02);
        let next = backtrack(1.0, -0.04, f(0.0), f(1.0));
        assert!((next - 0.02).abs() < 1e-12, "{next}");
        // Far beyond the guard, the step stops at a hundredth.
        assert_eq!(backtrack(1.0, -1e-6, 0.0, 1.0), 0.01);
    }
}
