//! The truncated normal distribution in log space: log CDF, log mass of an interval,
//! the inverse CDF and the log density. Follows the numerics of Optuna's
//! `_truncnorm.py` (itself after SciPy): work in the left tail where the right one
//! would lose precision. Every function goes through `libm`, so results are the same
//! bit for bit on every target.

use std::f64::consts::{PI, SQRT_2};

/// ln(sqrt(2 pi)).
pub const LOG_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// The standard normal CDF.
pub fn ndtr(a: f64) -> f64 {
    // erfc(40 / sqrt 2) underflows: these are the exact results, without the work.
    if a < -40.0 {
        return 0.0;
    }
    if a > 40.0 {
        return 1.0;
    }
    let x = a / SQRT_2;
    if x < -1.0 / SQRT_2 {
        0.5 * libm::erfc(-x)
    } else if x < 1.0 / SQRT_2 {
        0.5 + 0.5 * libm::erf(x)
    } else {
        1.0 - 0.5 * libm::erfc(x)
    }
}

/// ln of the standard normal CDF, accurate in both tails.
pub fn log_ndtr(a: f64) -> f64 {
    if a > 6.0 {
        return -ndtr(-a);
    }
    if a > -20.0 {
        return libm::log(ndtr(a));
    }
    // Asymptotic series of the far left tail.
    let log_lhs = -0.5 * a * a - libm::log(-a) - 0.5 * libm::log(2.0 * PI);
    let mut last_total: f64 = 0.0;
    let mut right_hand_side: f64 = 1.0;
    let mut numerator = 1.0;
    let mut denom_factor = 1.0;
    let denom_cons = 1.0 / (a * a);
    let mut sign = 1.0;
    let mut i = 0.0;
    while (last_total - right_hand_side).abs() > f64::EPSILON && i < 1000.0 {
        i += 1.0;
        last_total = right_hand_side;
        sign = -sign;
        denom_factor *= denom_cons;
        numerator *= 2.0 * i - 1.0;
        right_hand_side += sign * numerator * denom_factor;
    }
    log_lhs + libm::log(right_hand_side)
}

fn log_sum(log_p: f64, log_q: f64) -> f64 {
    let max = log_p.max(log_q);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + libm::log1p(libm::exp(-(log_p - log_q).abs()))
}

fn log_diff(log_p: f64, log_q: f64) -> f64 {
    log_p + libm::log1p(-libm::exp(log_q - log_p))
}

/// ln of the standard normal mass in `[a, b]`.
pub fn log_gauss_mass(a: f64, b: f64) -> f64 {
    if b <= 0.0 {
        log_diff(log_ndtr(b), log_ndtr(a))
    } else if a > 0.0 {
        log_diff(log_ndtr(-a), log_ndtr(-b))
    } else {
        libm::log1p(-ndtr(a) - ndtr(-b))
    }
}

/// The `x` with `log_ndtr(x) == y`, by Newton's method from an asymptotic guess.
fn ndtri_exp(y: f64) -> f64 {
    let flipped = y > -1e-2;
    let z = if flipped {
        libm::log(-libm::expm1(y))
    } else {
        y
    };
    let mut x = if z < -5.0 {
        -libm::sqrt(-2.0 * (z + LOG_SQRT_2PI))
    } else {
        -(3f64.sqrt() / PI) * libm::log(libm::expm1(-z))
    };
    for _ in 0..100 {
        let log_ndtr_x = log_ndtr(x);
        let log_norm_pdf_x = -0.5 * x * x - LOG_SQRT_2PI;
        let dx = (log_ndtr_x - z) * libm::exp(log_ndtr_x - log_norm_pdf_x);
        x -= dx;
        if !dx.is_finite() || dx.abs() < 1e-8 * x.abs() {
            break;
        }
    }
    if flipped {
        -x
    } else {
        x
    }
}

/// The inverse CDF at `q` of the standard normal truncated to `[a, b]`.
pub fn ppf(q: f64, a: f64, b: f64) -> f64 {
    if q <= 0.0 {
        return a;
    }
    if q >= 1.0 {
        return b;
    }
    let log_mass = log_gauss_mass(a, b);
    let x = if a < 0.0 {
        ndtri_exp(log_sum(log_ndtr(a), libm::log(q) + log_mass))
    } else {
        -ndtri_exp(log_sum(log_ndtr(-b), libm::log1p(-q) + log_mass))
    };
    x.clamp(a, b)
}

/// ln density at `x` of the normal (`loc`, `scale`) truncated to `[low, high]`. The
/// Parzen estimator inlines it with the normaliser precomputed; this is its reference.
#[cfg(test)]
pub fn logpdf(x: f64, low: f64, high: f64, loc: f64, scale: f64) -> f64 {
    if x < low || x > high {
        return f64::NEG_INFINITY;
    }
    let z = (x - loc) / scale;
    let a = (low - loc) / scale;
    let b = (high - loc) / scale;
    -0.5 * z * z - LOG_SQRT_2PI - log_gauss_mass(a, b) - libm::log(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_ndtr_matches_known_values() {
        // Reference values from SciPy's special.log_ndtr.
        let cases = [
            (0.0, -std::f64::consts::LN_2),
            (1.0, -0.172_753_779_023_449_9),
            (-1.0, -1.841_021_645_009_264_3),
            (-10.0, -53.231_285_150_512_96),
            // -450 - ln 30 - ln sqrt(2 pi) + ln(1 - 1/900 + 3/810000 - ...), by hand.
            (-30.0, -454.321_243_956_343),
            (8.0, -6.220_960_574_271_785e-16),
        ];
        for (a, expected) in cases {
            let got = log_ndtr(a);
            assert!(
                ((got - expected) / expected).abs() < 1e-10,
                "log_ndtr({a}) = {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn ppf_inverts_the_cdf() {
        for &(a, b) in &[
            (-1.0, 1.0),
            (-5.0, -2.0),
            (2.0, 9.0),
            (-30.0, 30.0),
            (0.0, 0.1),
        ] {
            let mass = libm::exp(log_gauss_mass(a, b));
            for i in 1..20 {
                let q = i as f64 / 20.0;
                let x = ppf(q, a, b);
                assert!((a..=b).contains(&x));
                let cdf = libm::exp(log_gauss_mass(a, x)) / mass;
                assert!(
                    (cdf - q).abs() < 1e-7,
                    "ppf({q}, {a}, {b}) = {x}: cdf {cdf}"
                );
            }
        }
    }

    #[test]
    fn logpdf_integrates_to_one() {
        let (low, high, loc, scale) = (-1.0, 3.0, 0.5, 0.7);
        let n = 20_000;
        let h = (high - low) / n as f64;
        let total: f64 = (0..n)
            .map(|i| libm::exp(logpdf(low + (i as f64 + 0.5) * h, low, high, loc, scale)) * h)
            .sum();
        assert!((total - 1.0).abs() < 1e-6, "{total}");
        assert_eq!(logpdf(3.5, low, high, loc, scale), f64::NEG_INFINITY);
    }
}
