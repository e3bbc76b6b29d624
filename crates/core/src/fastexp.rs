//! e^x for x <= 0 in plain `+ - *`: no branch and no table, so a slice of them
//! vectorises (SSE2, AVX2, wasm simd128), and the same bits on every target. The TPE
//! densities and the GP's Matérn kernel spend much of their time here; the general
//! `libm::exp` is a call per value and several times slower.

/// e^d for d in [-708, 0], within 2 ulp: d = k ln 2 + r with |r| <= ln 2 / 2, e^r by
/// its Taylor polynomial to degree 12 (remainder below 2e-16, by Estrin's scheme),
/// times 2^k set in the exponent bits. Outside that range the result is meaningless;
/// [`exp_nonpositive`] takes any x <= 0.
#[inline(always)]
pub fn exp_near(d: f64) -> f64 {
    const INVERSE_FACTORIALS: [f64; 13] = [
        1.0,
        1.0,
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
    ];
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Adding 1.5·2^52 rounds to the nearest integer k, which then sits in the low bits
    // of the sum: no float-to-int conversion, so a slice of these vectorises.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let t = d * std::f64::consts::LOG2_E + SHIFT;
    let kf = t - SHIFT;
    let k = t.to_bits().wrapping_sub(SHIFT.to_bits());
    let r = (d - kf * LN2_HI) - kf * LN2_LO;
    // The Taylor coefficients 1/i!, by Estrin's scheme: short dependency chains.
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let c = |i: usize| INVERSE_FACTORIALS[i];
    let p01 = c(0) + c(1) * r;
    let p23 = c(2) + c(3) * r;
    let p45 = c(4) + c(5) * r;
    let p67 = c(6) + c(7) * r;
    let p89 = c(8) + c(9) * r;
    let p1011 = c(10) + c(11) * r;
    let p0_3 = p01 + p23 * r2;
    let p4_7 = p45 + p67 * r2;
    let p8_11 = p89 + p1011 * r2;
    let p0_7 = p0_3 + p4_7 * r4;
    let p8_12 = p8_11 + c(12) * r4;
    let p = p0_7 + p8_12 * r8;
    p * f64::from_bits(k.wrapping_add(1023) << 52)
}

/// e^x for any x <= 0: [`exp_near`] where e^x is a normal number, 0 below (where
/// libm's result is subnormal, below 1e-307). Branch-free.
#[inline(always)]
pub fn exp_nonpositive(x: f64) -> f64 {
    let clamped = if x >= -708.0 { x } else { -708.0 };
    let e = exp_near(clamped);
    if x >= -708.0 {
        e
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_libm() {
        for i in 0..=70_800 {
            let d = -708.0 * i as f64 / 70_800.0;
            let (ours, libm) = (exp_nonpositive(d), libm::exp(d));
            assert!(
                (ours - libm).abs() <= 4.0 * f64::EPSILON * libm,
                "{d}: {ours} vs {libm}"
            );
            assert_eq!(exp_near(d).to_bits(), ours.to_bits());
        }
        assert_eq!(exp_nonpositive(-708.5), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_nonpositive(0.0), 1.0);
    }
}
