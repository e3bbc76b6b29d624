//! The shared transform from any distribution onto a continuous interval, so samplers
//! do not branch on distribution type (as Optuna's `_transform.py`).
//!
//! - float: `[low, high]`, or `[ln low, ln high]` with log;
//! - stepped float and int: the grid widened by half a step on each side, so every grid
//!   point owns an equal share of the interval; log ints widen by 0.5 before the log;
//! - categorical: `[0, n)`, where the integer part is the choice index.
//!
//! [`untransform`] maps any point of the interval back to a valid internal value.

use crate::distributions::Distribution;

/// The continuous interval `[low, high]` a distribution is searched over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The transformed interval of `distribution`.
pub fn bounds(distribution: &Distribution) -> Bounds {
    match *distribution {
        Distribution::Float {
            low,
            high,
            log: true,
            ..
        } => Bounds {
            low: libm::log(low),
            high: libm::log(high),
        },
        Distribution::Float {
            low,
            high,
            step: Some(step),
            ..
        } => Bounds {
            low: low - 0.5 * step,
            high: high + 0.5 * step,
        },
        Distribution::Float { low, high, .. } => Bounds { low, high },
        Distribution::Int {
            low,
            high,
            log: true,
            ..
        } => Bounds {
            low: libm::log(low as f64 - 0.5),
            high: libm::log(high as f64 + 0.5),
        },
        Distribution::Int {
            low, high, step, ..
        } => Bounds {
            low: low as f64 - 0.5 * step as f64,
            high: high as f64 + 0.5 * step as f64,
        },
        Distribution::Categorical { ref choices } => Bounds {
            low: 0.0,
            high: choices.len() as f64,
        },
    }
}

/// Maps an internal value into the transformed interval.
pub fn transform(distribution: &Distribution, internal: f64) -> f64 {
    match distribution {
        Distribution::Float { log: true, .. } | Distribution::Int { log: true, .. } => {
            libm::log(internal)
        }
        Distribution::Categorical { .. } => internal + 0.5,
        _ => internal,
    }
}

/// Maps a point of the transformed interval back to a valid internal value: it rounds
/// to the grid and clamps into the distribution.
pub fn untransform(distribution: &Distribution, x: f64) -> f64 {
    match *distribution {
        Distribution::Float {
            low,
            high,
            log,
            step,
        } => {
            let v = if log { libm::exp(x) } else { x };
            let v = match step {
                Some(step) => libm::round((v - low) / step) * step + low,
                None => v,
            };
            v.clamp(low, high)
        }
        Distribution::Int {
            low,
            high,
            log,
            step,
        } => {
            let v = if log { libm::exp(x) } else { x };
            let k = libm::round((v - low as f64) / step as f64);
            (k * step as f64 + low as f64).clamp(low as f64, high as f64)
        }
        Distribution::Categorical { ref choices } => {
            libm::floor(x).clamp(0.0, (choices.len() - 1) as f64)
        }
    }
}
