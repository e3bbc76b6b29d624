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

// Wichura's coefficients: the central region, then the near and far tails.
const A: [f64; 8] = [
    3.387_132_872_796_366_5,
    1.331_416_678_917_843_8e2,
    1.971_590_950_306_551_3e3,
    1.373_169_376_550_946e4,
    4.592_195_393_154_987e4,
    6.726_577_092_700_87e4,
    3.343_057_558_358_813e4,
    2.509_080_928_730_122_7e3,
];
const B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091e1,
    6.871_870_074_920_579e2,
    5.394_196_021_424_751e3,
    2.121_379_430_158_659_7e4,
    3.930_789_580_009_271e4,
    2.872_908_573_572_194_3e4,
    5.226_495_278_852_854e3,
];
const C: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    2.417_807_251_774_506e-1,
    2.272_384_498_926_918_4e-2,
    7.745_450_142_783_414e-4,
];
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    6.897_673_349_851e-1,
    1.481_039_764_274_800_8e-1,
    1.519_866_656_361_645_7e-2,
    5.475_938_084_995_345e-4,
    1.050_750_071_644_416_8e-9,
];
const E: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    2.965_605_718_285_048_7e-1,
    2.653_218_952_657_612_4e-2,
    1.242_660_947_388_078_4e-3,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
const F: [f64; 8] = [
    1.0,
    5.998_322_065_558_88e-1,
    1.369_298_809_227_358e-1,
    1.487_536_129_085_061_5e-2,
    7.868_691_311_456_133e-4,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_7e-15,
];

/// The `x` with `log_ndtr(x) == y`, by Wichura's rational approximations (algorithm
/// AS 241, Applied Statistics 37, 1988; relative error about 1e-16): one log, one
/// square root and a degree-7 ratio, where Newton's method ([`ndtri_exp`], Optuna's
/// way, to a 1e-8 tolerance) takes several `log_ndtr` evaluations. The tail formulas
/// take `sqrt(-ln p)` straight from `y`, so tiny probabilities never underflow; past
/// their fitted range (p below e^-729) Newton's method takes over.
fn ndtri_log(y: f64) -> f64 {
    let q = libm::exp(y) - 0.5;
    // ln of the smaller tail's probability.
    as241(q, || {
        if q < 0.0 {
            y
        } else {
            libm::log(-libm::expm1(y))
        }
    })
    .unwrap_or_else(|| ndtri_exp(y))
}

/// The `x` with `ndtr(x) == p`, for p in (0, 1/2]: AS 241 from p itself.
fn ndtri_lower(p: f64) -> f64 {
    as241(p - 0.5, || libm::log(p)).unwrap_or_else(|| ndtri_exp(libm::log(p)))
}

/// AS 241 at `q = p - 1/2`, with `log_tail()` the ln of the smaller tail's probability,
/// asked only outside the central region. None past the tail formulas' fitted range.
fn as241(q: f64, log_tail: impl FnOnce() -> f64) -> Option<f64> {
    let ratio = |num: &[f64; 8], den: &[f64; 8], r: f64| {
        let horner = |c: &[f64; 8]| c.iter().rev().fold(0.0, |acc, &k| acc * r + k);
        horner(num) / horner(den)
    };
    if q.abs() <= 0.425 {
        return Some(q * ratio(&A, &B, 0.180_625 - q * q));
    }
    let r = libm::sqrt(-log_tail());
    if r > 27.0 {
        return None;
    }
    let x = if r <= 5.0 {
        ratio(&C, &D, r - 1.6)
    } else {
        ratio(&E, &F, r - 5.0)
    };
    Some(if q < 0.0 { -x } else { x })
}

/// The inverse CDF at `q` of the standard normal truncated to `[a, b]`.
pub fn ppf(q: f64, a: f64, b: f64) -> f64 {
    if q <= 0.0 {
        return a;
    }
    if q >= 1.0 {
        return b;
    }
    if a <= 0.0 && b >= 0.0 {
        // Both tails outside [a, b] hold at most 1/2 (always so for a TPE kernel, whose
        // centre lies in its domain): plain probabilities lose nothing, and cost two
        // erf and at most one log, where the log-space route takes about eight
        // transcendental calls. The smaller side is inverted, so no precision is lost
        // near 1.
        let (left, right) = (ndtr(a), ndtr(-b));
        let mass = 1.0 - left - right;
        let p = left + q * mass;
        let x = if p <= 0.5 {
            ndtri_lower(p)
        } else {
            -ndtri_lower(right + (1.0 - q) * mass)
        };
        return x.clamp(a, b);
    }
    ppf_log_space(q, a, b)
}

/// [`ppf`] in log space, as Optuna: for intervals inside one tail.
fn ppf_log_space(q: f64, a: f64, b: f64) -> f64 {
    let log_mass = log_gauss_mass(a, b);
    let x = if a < 0.0 {
        ndtri_log(log_sum(log_ndtr(a), libm::log(q) + log_mass))
    } else {
        -ndtri_log(log_sum(log_ndtr(-b), libm::log1p(-q) + log_mass))
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
    fn ndtri_log_inverts_log_ndtr_and_agrees_with_newton() {
        // y from -800 (Newton's fallback) through the tails and the centre to -1e-12.
        let mut ys: Vec<f64> = (0..400).map(|i| -800.0 * 0.97f64.powi(i)).collect();
        ys.extend((1..200).map(|i| libm::log(i as f64 / 200.0)));
        for y in ys {
            let x = ndtri_log(y);
            let back = log_ndtr(x);
            assert!(
                (back - y).abs() <= 1e-12 * y.abs().max(1e-3),
                "{y}: {x} gives {back}"
            );
            let newton = ndtri_exp(y);
            assert!(
                (x - newton).abs() <= 1e-7 * x.abs().max(1.0),
                "{y}: {x} vs {newton}"
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
    fn ppf_in_probabilities_agrees_with_log_space() {
        // Up to q = 0.99 the log-space route is accurate, and both must agree.
        let qs = [1e-300, 1e-17, 1e-9, 0.01, 0.3, 0.5, 0.7, 0.99];
        for &(a, b) in &[
            (-1.0, 1.0),
            (-30.0, 0.5),
            (-0.2, 40.0),
            (-100.0, 100.0),
            (-2.0, 0.0),
        ] {
            for q in qs {
                let (fast, slow) = (ppf(q, a, b), ppf_log_space(q, a, b));
                assert!(
                    (fast - slow).abs() <= 1e-12 * (1.0 + slow.abs()),
                    "ppf({q}, {a}, {b}): {fast} vs {slow}"
                );
            }
        }
        // Near q = 1 the log-space route loses digits in ln q; the upper tail does not.
        // References by mpmath at 50 digits.
        for (q, a, b, expected) in [
            (1.0 - 1e-12, -0.2, 40.0, 7.110_230_417_415_84),
            (1.0 - 1e-12, -1.0, 1.0, 0.999_999_999_997_178_7),
        ] {
            let x = ppf(q, a, b);
            assert!((x - expected).abs() < 1e-14, "ppf({q}, {a}, {b}) = {x}");
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
