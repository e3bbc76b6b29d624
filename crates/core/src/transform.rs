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

#[cfg(test)]
mod property_tests {
    use super::*;
    use crate::distributions::ParamValue;
    use proptest::prelude::*;

    fn float_distribution() -> impl Strategy<Value = Distribution> {
        (
            -1e6f64..1e6,
            0f64..1e6,
            any::<bool>(),
            prop::option::of(1e-3f64..1e3),
        )
            .prop_filter_map("invalid", |(low, width, log, step)| {
                let (low, log) = if log {
                    (low.abs() + 1e-9, true)
                } else {
                    (low, false)
                };
                let step = if log { None } else { step };
                Distribution::float(low, low + width, log, step).ok()
            })
    }

    fn int_distribution() -> impl Strategy<Value = Distribution> {
        (-10_000i64..10_000, 0i64..10_000, any::<bool>(), 1i64..50).prop_filter_map(
            "invalid",
            |(low, width, log, step)| {
                if log {
                    Distribution::int(low.abs() + 1, low.abs() + 1 + width, true, 1).ok()
                } else {
                    Distribution::int(low, low + width, false, step).ok()
                }
            },
        )
    }

    fn any_distribution() -> impl Strategy<Value = Distribution> {
        prop_oneof![
            float_distribution(),
            int_distribution(),
            (1usize..8).prop_map(|n| Distribution::categorical(
                (0..n).map(|i| ParamValue::Str(format!("c{i}"))).collect()
            )
            .unwrap()),
        ]
    }

    proptest! {
        #[test]
        fn untransform_always_lands_inside(d in any_distribution(), u in 0f64..=1.0) {
            let b = bounds(&d);
            let v = untransform(&d, b.low + u * (b.high - b.low));
            prop_assert!(d.contains(v), "{v} outside {d:?}");
            let external = d.to_external(v).unwrap();
            prop_assert_eq!(d.to_internal(&external).unwrap(), v);
        }

        #[test]
        fn validated_distributions_are_idempotent(d in any_distribution()) {
            prop_assert_eq!(d.clone().validated().unwrap(), d);
        }

        #[test]
        fn constructors_never_panic(low in any::<f64>(), high in any::<f64>(), log in any::<bool>(), step in prop::option::of(any::<f64>())) {
            if let Ok(d) = Distribution::float(low, high, log, step) {
                let b = bounds(&d);
                prop_assert!(b.low.is_finite() && b.high.is_finite());
                prop_assert!(d.contains(untransform(&d, b.low)));
            }
        }
    }
}
