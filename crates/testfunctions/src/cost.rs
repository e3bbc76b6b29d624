//! Benchmark objectives whose evaluation cost depends on the parameters, for the cost
//! benchmark (`bench/run cost`; `bench/functions.py` defines the same for Optuna).
//! Each is minimized, has a known optimum, and gives a cost per evaluation; the
//! training simulator also gives a learning curve, one value and cost-so-far per epoch.

use crate::Param;

/// A cost-varying benchmark problem.
#[derive(Clone, Copy, Debug)]
pub struct CostProblem {
    /// Name, as in the bench report.
    pub name: &'static str,
    /// The parameters (named `x0`, `x1`, ... by the runners).
    pub params: &'static [Param],
    /// The learning curve: (value, cost so far) after each step; one step for the
    /// problems without intermediate values.
    pub curve: fn(&[f64]) -> Vec<(f64, f64)>,
    /// The minimum value.
    pub optimum: f64,
    /// The budget the contenders get, in the problem's cost unit.
    pub budget: f64,
}

/// One evaluation: its value and cost.
fn once(value: f64, cost: f64) -> Vec<(f64, f64)> {
    vec![(value, cost)]
}

/// A simulated MNIST training run: `x = [lr, epochs, width, dropout]`. The loss
/// falls as `floor + (1 - floor) · e^(-rate · epoch)`, where the rate peaks at
/// lr = 1e-2 and the floor falls with width and rises away from dropout 0.2; a run
/// costs 0.02 USD to start, and each epoch 0.001 USD per 16 units of width.
pub fn train_sim(x: &[f64]) -> Vec<(f64, f64)> {
    let (lr, epochs, width, dropout) = (x[0], x[1] as usize, x[2], x[3]);
    let rate = 0.35 * (-(lr.log10() + 2.0).powi(2) / 0.8).exp();
    let floor = 0.02 + 0.5 / width.sqrt() + (dropout - 0.2).powi(2);
    let per_epoch = 0.001 * width / 16.0;
    (1..=epochs)
        .map(|e| {
            let loss = floor + (1.0 - floor) * (-rate * e as f64).exp();
            (loss, 0.02 + per_epoch * e as f64)
        })
        .collect()
}

/// Branin, where the right of the box costs up to 10 times the left.
pub fn branin_cost(x: &[f64]) -> Vec<(f64, f64)> {
    once(crate::branin(x), 1.0 + 9.0 * ((x[0] + 5.0) / 15.0).powi(2))
}

/// Hartmann-3, where cost grows with the first coordinate.
pub fn hartmann3_cost(x: &[f64]) -> Vec<(f64, f64)> {
    once(crate::hartmann3(x), 1.0 + 9.0 * x[0])
}

/// A 3-D shifted sphere plus a noise floor of 2 / epochs that costs `epochs`: the
/// best value needs the dearest setting.
pub fn sphere_epochs(x: &[f64]) -> Vec<(f64, f64)> {
    let epochs = x[3];
    once(crate::sphere(&x[..3]) + 2.0 / epochs, epochs)
}

/// Rosenbrock with a model size (small, medium, large): a larger model lowers the
/// value by up to 1 and costs 1, 3 or 9.
pub fn rosenbrock_size(x: &[f64]) -> Vec<(f64, f64)> {
    let size = x[2] as usize;
    once(
        crate::rosenbrock(&x[..2]) + [1.0, 0.3, 0.0][size],
        [1.0, 3.0, 9.0][size],
    )
}

/// The cost benchmark's problems.
pub const COST_PROBLEMS: [CostProblem; 5] = [
    CostProblem {
        name: "train_sim",
        params: &[
            Param::Float {
                low: 1e-4,
                high: 1.0,
                log: true,
            },
            Param::Int { low: 1, high: 20 },
            Param::Int { low: 16, high: 256 },
            Param::Float {
                low: 0.0,
                high: 0.5,
                log: false,
            },
        ],
        curve: train_sim,
        // lr = 1e-2, 20 epochs, width 256, dropout 0.2.
        optimum: 0.051_25 + (1.0 - 0.051_25) * 0.000_911_881_965_554_516_2,
        budget: 4.0,
    },
    CostProblem {
        name: "branin_cost",
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
        curve: branin_cost,
        optimum: 0.397_887_357_729_738,
        budget: 150.0,
    },
    CostProblem {
        name: "hartmann3_cost",
        params: &[
            Param::Float {
                low: 0.0,
                high: 1.0,
                log: false,
            },
            Param::Float {
                low: 0.0,
                high: 1.0,
                log: false,
            },
            Param::Float {
                low: 0.0,
                high: 1.0,
                log: false,
            },
        ],
        curve: hartmann3_cost,
        optimum: -3.862_779_787_332_660_5,
        budget: 200.0,
    },
    CostProblem {
        name: "sphere_epochs",
        params: &[
            Param::Float {
                low: -5.0,
                high: 5.0,
                log: false,
            },
            Param::Float {
                low: -5.0,
                high: 5.0,
                log: false,
            },
            Param::Float {
                low: -5.0,
                high: 5.0,
                log: false,
            },
            Param::Int { low: 1, high: 16 },
        ],
        curve: sphere_epochs,
        optimum: 0.125,
        budget: 300.0,
    },
    CostProblem {
        name: "rosenbrock_size",
        params: &[
            Param::Float {
                low: -2.0,
                high: 2.0,
                log: false,
            },
            Param::Float {
                low: -2.0,
                high: 2.0,
                log: false,
            },
            Param::Categorical { n: 3 },
        ],
        curve: rosenbrock_size,
        optimum: 0.0,
        budget: 150.0,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optima_are_reached_where_documented() {
        let best = train_sim(&[1e-2, 20.0, 256.0, 0.2]);
        let (value, cost) = *best.last().unwrap();
        assert!((value - COST_PROBLEMS[0].optimum).abs() < 1e-12, "{value}");
        assert!((cost - 0.34).abs() < 1e-12);
        assert_eq!(best.len(), 20);
        assert_eq!(sphere_epochs(&[1.5, 2.0, 2.5, 16.0])[0], (0.125, 16.0));
        assert_eq!(rosenbrock_size(&[1.0, 1.0, 2.0])[0], (0.0, 9.0));
        let h = hartmann3_cost(&[0.114_614, 0.555_649, 0.852_547])[0].0;
        assert!((h - COST_PROBLEMS[2].optimum).abs() < 1e-5, "{h}");
        for problem in COST_PROBLEMS {
            assert!(problem.budget > 0.0 && problem.optimum.is_finite());
        }
    }
}
