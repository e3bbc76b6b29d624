//! Benchmark objectives, shared by edgetune's tests and `bench/`. Every function is
//! minimized; `bench/functions.py` defines the same functions for the Python peers.
#![warn(missing_docs)]

use std::f64::consts::PI;

/// A continuous benchmark function on a box, with its known minimum.
#[derive(Clone, Copy, Debug)]
pub struct Function {
    /// Name, as in the bench report.
    pub name: &'static str,
    /// Lower bound of every coordinate.
    pub low: f64,
    /// Upper bound of every coordinate.
    pub high: f64,
    /// The value at the minimum, for dimension `d`.
    pub optimum: fn(usize) -> f64,
    /// The function.
    pub eval: fn(&[f64]) -> f64,
}

/// Sum of squares.
pub fn sphere(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

/// Rosenbrock's valley.
pub fn rosenbrock(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
        .sum()
}

/// Rastrigin's function.
pub fn rastrigin(x: &[f64]) -> f64 {
    10.0 * x.len() as f64
        + x.iter()
            .map(|v| v * v - 10.0 * (2.0 * PI * v).cos())
            .sum::<f64>()
}

/// Ackley's function.
pub fn ackley(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let s1 = x.iter().map(|v| v * v).sum::<f64>() / n;
    let s2 = x.iter().map(|v| (2.0 * PI * v).cos()).sum::<f64>() / n;
    -20.0 * (-0.2 * s1.sqrt()).exp() - s2.exp() + 20.0 + std::f64::consts::E
}

/// The Styblinski-Tang function.
pub fn styblinski_tang(x: &[f64]) -> f64 {
    x.iter()
        .map(|v| v.powi(4) - 16.0 * v * v + 5.0 * v)
        .sum::<f64>()
        / 2.0
}

/// The continuous benchmark set.
pub const FUNCTIONS: [Function; 5] = [
    Function {
        name: "sphere",
        low: -5.0,
        high: 5.0,
        optimum: |_| 0.0,
        eval: sphere,
    },
    Function {
        name: "rosenbrock",
        low: -2.0,
        high: 2.0,
        optimum: |_| 0.0,
        eval: rosenbrock,
    },
    Function {
        name: "rastrigin",
        low: -5.12,
        high: 5.12,
        optimum: |_| 0.0,
        eval: rastrigin,
    },
    Function {
        name: "ackley",
        low: -5.0,
        high: 5.0,
        optimum: |_| 0.0,
        eval: ackley,
    },
    Function {
        name: "styblinski_tang",
        low: -5.0,
        high: 5.0,
        optimum: |d| -39.166_165_703_771_42 * d as f64,
        eval: styblinski_tang,
    },
];

/// Choices of the mixed space's categorical, with their costs.
pub const MIXED_CHOICES: [(&str, f64); 4] = [("a", 1.0), ("b", 0.0), ("c", 0.5), ("d", 2.0)];

/// A mixed space (float, log float, int, categorical) with minimum 0 at
/// `x = 0, lr = 1e-3, n = 7, c = "b"`.
pub fn mixed(x: f64, lr: f64, n: i64, c: &str) -> f64 {
    let cost = MIXED_CHOICES
        .iter()
        .find(|(name, _)| *name == c)
        .map_or(f64::INFINITY, |(_, cost)| *cost);
    x * x + (lr.log10() + 3.0).powi(2) + ((n - 7) as f64).powi(2) / 10.0 + cost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minima_are_where_they_should_be() {
        assert_eq!(sphere(&[0.0; 5]), 0.0);
        assert_eq!(rosenbrock(&[1.0; 5]), 0.0);
        assert!(rastrigin(&[0.0; 5]).abs() < 1e-12);
        assert!(ackley(&[0.0; 5]).abs() < 1e-12);
        let st = styblinski_tang(&[-2.903_534; 3]);
        assert!((st - (FUNCTIONS[4].optimum)(3)).abs() < 1e-6);
        assert!(mixed(0.0, 1e-3, 7, "b").abs() < 1e-12);
    }
}
