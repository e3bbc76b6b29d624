//! Benchmark objectives, shared by edgetune's tests and `bench/` (`bench/functions.py`
//! defines the same functions for the Python peers). Every function is minimized, has a
//! known optimum, and has it away from the centre of its box, so a sampler cannot win
//! by sampling the middle.
#![warn(missing_docs)]

use std::f64::consts::PI;

mod cost;
pub use cost::{
    branin_cost, hartmann3_cost, rosenbrock_size, sphere_epochs, train_sim, CostProblem,
    COST_PROBLEMS,
};

/// A parameter of a benchmark space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    /// A float in `[low, high]`, on a log scale when `log`.
    Float {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
        /// Log scale.
        log: bool,
    },
    /// An integer in `[low, high]`.
    Int {
        /// Lower bound.
        low: i64,
        /// Upper bound.
        high: i64,
    },
    /// One of `n` choices, passed to the function as its index.
    Categorical {
        /// Number of choices.
        n: usize,
    },
}

/// A benchmark problem: its parameters, the function of their values, the optimum.
#[derive(Clone, Copy, Debug)]
pub struct Problem {
    /// Name, as in the bench report.
    pub name: &'static str,
    /// The parameters (named `x0`, `x1`, ... by the runners).
    pub params: &'static [Param],
    /// The function of the parameter values (categoricals as their index).
    pub eval: fn(&[f64]) -> f64,
    /// The minimum value.
    pub optimum: f64,
}

/// The shift of coordinate `i` of the shifted functions: 1.5, 2.0, 2.5, 1.5, ...
pub fn shift(i: usize) -> f64 {
    1.5 + 0.5 * (i % 3) as f64
}

/// Sum of squares around the shifted optimum.
pub fn sphere(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(i, v)| (v - shift(i)).powi(2))
        .sum()
}

/// Rosenbrock's valley (optimum at 1, off the centre of `[-2, 2]`).
pub fn rosenbrock(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// Rastrigin's function around the shifted optimum.
pub fn rastrigin(x: &[f64]) -> f64 {
    10.0 * x.len() as f64
        + x.iter()
            .enumerate()
            .map(|(i, v)| {
                let z = v - shift(i);
                z * z - 10.0 * (2.0 * PI * z).cos()
            })
            .sum::<f64>()
}

/// Ackley's function around the shifted optimum.
pub fn ackley(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let z: Vec<f64> = x.iter().enumerate().map(|(i, v)| v - shift(i)).collect();
    let s1 = z.iter().map(|v| v * v).sum::<f64>() / n;
    let s2 = z.iter().map(|v| (2.0 * PI * v).cos()).sum::<f64>() / n;
    -20.0 * (-0.2 * s1.sqrt()).exp() - s2.exp() + 20.0 + std::f64::consts::E
}

/// The Styblinski-Tang function (optimum at -2.9035 in every coordinate).
pub fn styblinski_tang(x: &[f64]) -> f64 {
    x.iter()
        .map(|v| v.powi(4) - 16.0 * v * v + 5.0 * v)
        .sum::<f64>()
        / 2.0
}

/// Branin's function on `[-5, 10] x [0, 15]`.
pub fn branin(x: &[f64]) -> f64 {
    let (a, b, c) = (1.0, 5.1 / (4.0 * PI * PI), 5.0 / PI);
    let (r, s, t) = (6.0, 10.0, 1.0 / (8.0 * PI));
    a * (x[1] - b * x[0] * x[0] + c * x[0] - r).powi(2) + s * (1.0 - t) * x[0].cos() + s
}

const HARTMANN_ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];

/// The Hartmann 3-D function on `[0, 1]^3`.
pub fn hartmann3(x: &[f64]) -> f64 {
    const A: [[f64; 3]; 4] = [
        [3.0, 10.0, 30.0],
        [0.1, 10.0, 35.0],
        [3.0, 10.0, 30.0],
        [0.1, 10.0, 35.0],
    ];
    const P: [[f64; 3]; 4] = [
        [0.3689, 0.1170, 0.2673],
        [0.4699, 0.4387, 0.7470],
        [0.1091, 0.8732, 0.5547],
        [0.0381, 0.5743, 0.8828],
    ];
    -(0..4)
        .map(|i| {
            let inner: f64 = (0..3).map(|j| A[i][j] * (x[j] - P[i][j]).powi(2)).sum();
            HARTMANN_ALPHA[i] * (-inner).exp()
        })
        .sum::<f64>()
}

/// The Hartmann 6-D function on `[0, 1]^6`.
pub fn hartmann6(x: &[f64]) -> f64 {
    const A: [[f64; 6]; 4] = [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ];
    const P: [[f64; 6]; 4] = [
        [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ];
    -(0..4)
        .map(|i| {
            let inner: f64 = (0..6).map(|j| A[i][j] * (x[j] - P[i][j]).powi(2)).sum();
            HARTMANN_ALPHA[i] * (-inner).exp()
        })
        .sum::<f64>()
}

/// Two log-scaled parameters (a learning rate and a weight decay), optimum at
/// `lr = 10^-2.5`, `wd = 10^-4`.
pub fn log_scaled(x: &[f64]) -> f64 {
    (x[0].log10() + 2.5).powi(2) + (x[1].log10() + 4.0).powi(2)
}

/// Costs of the mixed problem's categorical choices.
pub const MIXED_COSTS: [f64; 4] = [1.0, 0.0, 0.5, 2.0];

/// A mixed space: a float, a log float, an int and a categorical; optimum 0 at
/// `x = 1.5, lr = 1e-3, n = 7, choice 1`.
pub fn mixed(x: &[f64]) -> f64 {
    (x[0] - 1.5).powi(2)
        + (x[1].log10() + 3.0).powi(2)
        + (x[2] - 7.0).powi(2) / 10.0
        + MIXED_COSTS[x[3] as usize]
}

const fn floats<const N: usize>(low: f64, high: f64) -> [Param; N] {
    [Param::Float {
        low,
        high,
        log: false,
    }; N]
}

/// The quality benchmark set.
pub const PROBLEMS: [Problem; 10] = [
    Problem {
        name: "sphere",
        params: &floats::<5>(-5.0, 5.0),
        eval: sphere,
        optimum: 0.0,
    },
    Problem {
        name: "rosenbrock",
        params: &floats::<5>(-2.0, 2.0),
        eval: rosenbrock,
        optimum: 0.0,
    },
    Problem {
        name: "rastrigin",
        params: &floats::<5>(-5.12, 5.12),
        eval: rastrigin,
        optimum: 0.0,
    },
    Problem {
        name: "ackley",
        params: &floats::<5>(-5.0, 5.0),
        eval: ackley,
        optimum: 0.0,
    },
    Problem {
        name: "styblinski_tang",
        params: &floats::<5>(-5.0, 5.0),
        eval: styblinski_tang,
        optimum: -39.166_165_703_771_42 * 5.0,
    },
    Problem {
        name: "branin",
        params: &[
            Param::Float {
                low: -5.0,
                high: 10.0,
                log: false,
            },
            Param::Float {
                low: 0.0,
                high: 15.0,
                log: false,
            },
        ],
        eval: branin,
        optimum: 0.397_887_357_729_738,
    },
    Problem {
        name: "hartmann3",
        params: &floats::<3>(0.0, 1.0),
        eval: hartmann3,
        optimum: -3.862_779_787_332_77,
    },
    Problem {
        name: "hartmann6",
        params: &floats::<6>(0.0, 1.0),
        eval: hartmann6,
        optimum: -3.322_368_011_391_339,
    },
    Problem {
        name: "log_scaled",
        params: &[
            Param::Float {
                low: 1e-6,
                high: 1.0,
                log: true,
            },
            Param::Float {
                low: 1e-6,
                high: 0.1,
                log: true,
            },
        ],
        eval: log_scaled,
        optimum: 0.0,
    },
    Problem {
        name: "mixed",
        params: &[
            Param::Float {
                low: -5.0,
                high: 5.0,
                log: false,
            },
            Param::Float {
                low: 1e-5,
                high: 1.0,
                log: true,
            },
            Param::Int { low: 1, high: 20 },
            Param::Categorical { n: 4 },
        ],
        eval: mixed,
        optimum: 0.0,
    },
];

/// A multi-objective benchmark: every parameter is a float in `[0, 1]`, every
/// objective is minimized, and quality is the hypervolume bounded by `reference`.
#[derive(Clone, Copy, Debug)]
pub struct MoProblem {
    /// Name, as in the bench report.
    pub name: &'static str,
    /// Number of parameters (named `x0`, `x1`, ...).
    pub n_params: usize,
    /// The objective values of a point.
    pub eval: fn(&[f64]) -> Vec<f64>,
    /// The hypervolume reference point, one coordinate per objective.
    pub reference: &'static [f64],
}

/// ZDT's `g`: 1 + 9 · mean of the coordinates after the first.
fn zdt_g(x: &[f64]) -> f64 {
    1.0 + 9.0 * x[1..].iter().sum::<f64>() / (x.len() - 1) as f64
}

/// ZDT1: a convex front, f2 = 1 - sqrt(f1) at g = 1.
pub fn zdt1(x: &[f64]) -> Vec<f64> {
    let g = zdt_g(x);
    vec![x[0], g * (1.0 - (x[0] / g).sqrt())]
}

/// ZDT2: a concave front, f2 = 1 - f1² at g = 1.
pub fn zdt2(x: &[f64]) -> Vec<f64> {
    let g = zdt_g(x);
    vec![x[0], g * (1.0 - (x[0] / g).powi(2))]
}

/// ZDT3: a front in five disconnected pieces.
pub fn zdt3(x: &[f64]) -> Vec<f64> {
    let g = zdt_g(x);
    let r = x[0] / g;
    vec![x[0], g * (1.0 - r.sqrt() - r * (10.0 * PI * x[0]).sin())]
}

/// DTLZ2 with three objectives: the front is the positive octant of the unit sphere,
/// reached when the coordinates after the second are 0.5.
pub fn dtlz2(x: &[f64]) -> Vec<f64> {
    let g: f64 = x[2..].iter().map(|v| (v - 0.5).powi(2)).sum();
    let (a, b) = (x[0] * PI / 2.0, x[1] * PI / 2.0);
    vec![
        (1.0 + g) * a.cos() * b.cos(),
        (1.0 + g) * a.cos() * b.sin(),
        (1.0 + g) * a.sin(),
    ]
}

/// The multi-objective benchmark set (30 parameters for ZDT, 12 for DTLZ2, as in
/// their papers).
pub const MO_PROBLEMS: [MoProblem; 4] = [
    MoProblem {
        name: "zdt1",
        n_params: 30,
        eval: zdt1,
        reference: &[1.1, 11.0],
    },
    MoProblem {
        name: "zdt2",
        n_params: 30,
        eval: zdt2,
        reference: &[1.1, 11.0],
    },
    MoProblem {
        name: "zdt3",
        n_params: 30,
        eval: zdt3,
        reference: &[1.1, 11.0],
    },
    MoProblem {
        name: "dtlz2",
        n_params: 12,
        eval: dtlz2,
        reference: &[3.5, 3.5, 3.5],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optima_are_where_they_should_be() {
        let at = |p: &Problem, x: &[f64]| ((p.eval)(x) - p.optimum).abs();
        assert!(at(&PROBLEMS[0], &[1.5, 2.0, 2.5, 1.5, 2.0]) < 1e-12);
        assert!(at(&PROBLEMS[1], &[1.0; 5]) < 1e-12);
        assert!(at(&PROBLEMS[2], &[1.5, 2.0, 2.5, 1.5, 2.0]) < 1e-12);
        assert!(at(&PROBLEMS[3], &[1.5, 2.0, 2.5, 1.5, 2.0]) < 1e-12);
        assert!(at(&PROBLEMS[4], &[-2.903_534_027_771_178; 5]) < 1e-9);
        assert!(at(&PROBLEMS[5], &[PI, 2.275]) < 1e-9);
        assert!(at(&PROBLEMS[6], &[0.114_614, 0.555_649, 0.852_547]) < 1e-5);
        assert!(
            at(
                &PROBLEMS[7],
                &[0.201_69, 0.150_011, 0.476_874, 0.275_332, 0.311_652, 0.657_3]
            ) < 1e-5
        );
        assert!(at(&PROBLEMS[8], &[10f64.powf(-2.5), 1e-4]) < 1e-12);
        assert!(at(&PROBLEMS[9], &[1.5, 1e-3, 7.0, 1.0]) < 1e-12);
        // Multi-objective fronts: points on them satisfy the front's equation.
        let mut x = vec![0.0; 30];
        x[0] = 0.25;
        assert_eq!(zdt1(&x), vec![0.25, 0.5]);
        assert_eq!(zdt2(&x), vec![0.25, 1.0 - 0.0625]);
        let f = dtlz2(&[0.3, 0.7, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
        assert!((f.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12);
        // No optimum at the centre of its box.
        for p in &PROBLEMS {
            let centre: Vec<f64> = p
                .params
                .iter()
                .map(|q| match *q {
                    Param::Float {
                        low,
                        high,
                        log: false,
                    } => 0.5 * (low + high),
                    Param::Float {
                        low,
                        high,
                        log: true,
                    } => (0.5 * (low.ln() + high.ln())).exp(),
                    Param::Int { low, high } => ((low + high) / 2) as f64,
                    Param::Categorical { .. } => 0.0,
                })
                .collect();
            assert!(
                (p.eval)(&centre) - p.optimum > 0.1,
                "{} is solved at the centre",
                p.name
            );
        }
    }
}
