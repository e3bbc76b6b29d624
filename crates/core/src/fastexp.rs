//! e^x for x <= 0 and ln x for positive normal x in plain arithmetic: no branch and
//! no table, so a slice of them vectorises (SSE2, AVX2, wasm simd128), and the same
//! bits on every target. The TPE densities and the GP's Matérn kernel spend much of
//! their time here; `libm`'s functions are a call per value, with branches.

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

/// ln x for a positive normal finite x, bit for bit `libm::log` (fdlibm's method: x =
/// 2^k m with m in [√2/2, √2), then ln m = f - f²/2 + s (f²/2 + R(s²)) for f = m - 1,
/// s = f / (2 + f)), without the branches for zero, negative, subnormal and infinite
/// arguments, whose results here are meaningless. [`ln_all`] takes any slice.
#[inline(always)]
pub fn ln_normal(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const LG: [f64; 7] = [
        6.666_666_666_666_735e-1,
        3.999_999_999_940_942e-1,
        2.857_142_874_366_239e-1,
        2.222_219_843_214_978_4e-1,
        1.818_357_216_161_805e-1,
        1.531_383_769_920_937_3e-1,
        1.479_819_860_511_658_6e-1,
    ];
    // Offsetting the high word by 1 - √2/2 moves the exponent up exactly when the
    // mantissa is at least √2; then the mantissa is set back into [√2/2, √2).
    let bits = x.to_bits();
    let high = ((bits >> 32) as u32).wrapping_add(0x3ff0_0000 - 0x3fe6_a09e);
    let k = (high >> 20) as i32 - 0x3ff;
    let high = (high & 0x000f_ffff) + 0x3fe6_a09e;
    let m = f64::from_bits((u64::from(high) << 32) | (bits & 0xffff_ffff));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG[1] + w * (LG[3] + w * LG[5]));
    let t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])));
    let dk = f64::from(k);
    s * (hfsq + (t2 + t1)) + dk * LN2_LO - hfsq + f + dk * LN2_HI
}

/// `out[i] = ln values[i]`, bit for bit `libm::log`: [`ln_normal`] in a vectorised
/// pass, then `libm::log` for the rare value that is not positive, normal and finite.
pub fn ln_all(values: &[f64], out: &mut Vec<f64>) {
    out.clear();
    out.extend(values.iter().map(|v| ln_normal(*v)));
    for (o, v) in out.iter_mut().zip(values) {
        if !(v.is_normal() && *v > 0.0) {
            *o = libm::log(*v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_is_libm_bit_for_bit() {
        let mut values = vec![
            1.0,
            f64::MIN_POSITIVE,
            f64::MAX,
            2.0f64.sqrt(),
            0.5f64.sqrt(),
            1.0 - f64::EPSILON,
            1.0 + f64::EPSILON,
            0.0,
            -1.0,
            1e-310,
            f64::INFINITY,
        ];
        // Every binade, densely around 1 and √2.
        for e in -1022..1024 {
            for m in [1.0, 1.1, 1.25, 1.414_1, 1.414_22, 1.5, 1.75, 1.999_999] {
                values.push(m * 2f64.powi(e));
            }
        }
        for i in 0..200_000 {
            values.push(0.5 + i as f64 / 100_000.0);
        }
        let mut out = Vec::new();
        ln_all(&values, &mut out);
        for (v, o) in values.iter().zip(&out) {
            let expected = libm::log(*v);
            assert!(
                o.to_bits() == expected.to_bits() || (o.is_nan() && expected.is_nan()),
                "ln {v}: {o} vs {expected}"
            );
        }
    }

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
