//! Low-discrepancy sequences: Sobol' (Joe-Kuo direction numbers, Gray-code order, as
//! SciPy's `qmc.Sobol`) and Halton (radical inverses in the first primes, as SciPy's
//! `qmc.Halton`). Unscrambled, both give SciPy's points exactly. Scrambled, Sobol' uses
//! a random linear matrix scramble plus a digital shift, and Halton random digit
//! permutations, drawn from the engine's own RNG.

use super::sobol_table::{DIRECTIONS, MAX_DIM};
use crate::error::{Error, Result};
use crate::rng::{self, Rng};

/// Bits of precision of a Sobol' point (SciPy's default).
const BITS: usize = 30;

/// The Sobol' sequence in `d` dimensions.
///
/// Cost: O(d · BITS²) to build (scrambled) and O(d · log i) for point `i`.
#[derive(Clone, Debug)]
pub(crate) struct Sobol {
    /// Direction numbers per dimension, scaled to BITS bits.
    v: Vec<[u32; BITS]>,
    /// The digital shift per dimension (zero unscrambled).
    shift: Vec<u32>,
}

impl Sobol {
    /// The first `d` dimensions, scrambled with `scramble` when given.
    pub(crate) fn new(d: usize, scramble: Option<&mut Rng>) -> Result<Self> {
        if d > MAX_DIM {
            return Err(Error::NotAvailable(format!(
                "the sobol sequence supports at most {MAX_DIM} parameters, the search space has {d}; use qmc_type \"halton\""
            )));
        }
        let mut v = Vec::with_capacity(d);
        let mut at = 0;
        for dim in 0..d {
            let mut m = [0u32; BITS];
            if dim == 0 {
                m = [1; BITS];
            } else {
                let poly = u32::from(DIRECTIONS[at]);
                let degree = (31 - poly.leading_zeros()) as usize;
                for (k, mk) in m.iter_mut().enumerate().take(degree) {
                    *mk = u32::from(DIRECTIONS[at + 1 + k]);
                }
                at += 1 + degree;
                // Bratley and Fox's recurrence over the polynomial's coefficients.
                for j in degree..BITS {
                    let mut next = m[j - degree];
                    for k in 0..degree {
                        if (poly >> (degree - 1 - k)) & 1 == 1 {
                            next ^= m[j - k - 1] << (k + 1);
                        }
                    }
                    m[j] = next;
                }
            }
            let mut scaled = [0u32; BITS];
            for (i, s) in scaled.iter_mut().enumerate() {
                *s = m[i] << (BITS - 1 - i);
            }
            v.push(scaled);
        }
        let mut shift = vec![0u32; d];
        if let Some(rng) = scramble {
            for (dim, directions) in v.iter_mut().enumerate() {
                // A random lower-triangular bit matrix with a unit diagonal, MSB first:
                // output bit i mixes input bits 0..=i, so strata are kept.
                let rows: Vec<u32> = (0..BITS)
                    .map(|i| {
                        let below = random_bits(rng) & ((1u32 << i) - 1);
                        (below << (BITS - i)) | (1 << (BITS - 1 - i))
                    })
                    .collect();
                for x in directions.iter_mut() {
                    let mut out = 0u32;
                    for (i, row) in rows.iter().enumerate() {
                        out |= ((row & *x).count_ones() & 1) << (BITS - 1 - i);
                    }
                    *x = out;
                }
                shift[dim] = random_bits(rng);
            }
        }
        Ok(Sobol { v, shift })
    }

    /// Point `index` (from 0), in `[0, 1)^d`.
    pub(crate) fn point(&self, index: u64) -> Vec<f64> {
        let gray = index ^ (index >> 1);
        let scale = 1.0 / (1u64 << BITS) as f64;
        self.v
            .iter()
            .zip(&self.shift)
            .map(|(v, &shift)| {
                let mut x = shift;
                let mut g = gray;
                let mut bit = 0;
                while g != 0 && bit < BITS {
                    if g & 1 == 1 {
                        x ^= v[bit];
                    }
                    g >>= 1;
                    bit += 1;
                }
                f64::from(x) * scale
            })
            .collect()
    }

    /// Points `0..n`, each the same as [`Sobol::point`] gives: the Gray codes of `i - 1`
    /// and `i` differ in bit `trailing_zeros(i)`, so each point is the last with one
    /// direction number flipped in. O(n · d).
    pub(crate) fn points(&self, n: usize) -> Vec<Vec<f64>> {
        let scale = 1.0 / (1u64 << BITS) as f64;
        let mut x = self.shift.clone();
        (0..n)
            .map(|i| {
                let bit = i.trailing_zeros() as usize;
                if i > 0 && bit < BITS {
                    for (x, v) in x.iter_mut().zip(&self.v) {
                        *x ^= v[bit];
                    }
                }
                x.iter().map(|&x| f64::from(x) * scale).collect()
            })
            .collect()
    }
}

/// BITS random bits.
fn random_bits(rng: &mut Rng) -> u32 {
    use rand::RngCore;
    rng.next_u32() >> (32 - BITS)
}

/// The Halton sequence in `d` dimensions.
///
/// Cost: O(d · p_d) to build (scrambled; p_d is the d-th prime) and O(d · 53) for a
/// point.
#[derive(Clone, Debug)]
pub(crate) struct Halton {
    bases: Vec<u64>,
    /// Per dimension and digit position, a permutation of the digits (empty
    /// unscrambled).
    permutations: Vec<Vec<Vec<u64>>>,
}

impl Halton {
    /// The first `d` dimensions, scrambled with `scramble` when given.
    pub(crate) fn new(d: usize, scramble: Option<&mut Rng>) -> Self {
        let bases = first_primes(d);
        let permutations = match scramble {
            None => Vec::new(),
            Some(rng) => bases
                .iter()
                .map(|&b| {
                    (0..digits(b))
                        .map(|_| {
                            let mut perm: Vec<u64> = (0..b).collect();
                            // Fisher-Yates with the engine's RNG.
                            for i in (1..perm.len()).rev() {
                                let j = (rng::uniform01(rng) * (i + 1) as f64) as usize;
                                perm.swap(i, j.min(i));
                            }
                            perm
                        })
                        .collect()
                })
                .collect(),
        };
        Halton {
            bases,
            permutations,
        }
    }

    /// Point `index` (from 0), in `[0, 1)^d`.
    pub(crate) fn point(&self, index: u64) -> Vec<f64> {
        self.bases
            .iter()
            .enumerate()
            .map(|(dim, &base)| {
                let perms = self.permutations.get(dim);
                let mut q = index;
                let mut scale = 1.0 / base as f64;
                let mut x = 0.0;
                for position in 0..digits(base) {
                    let digit = q % base;
                    q /= base;
                    let digit = match perms {
                        Some(p) => p[position][digit as usize],
                        None if q == 0 && digit == 0 => break,
                        None => digit,
                    };
                    x += digit as f64 * scale;
                    scale /= base as f64;
                }
                x.min(1.0 - f64::EPSILON)
            })
            .collect()
    }
}

/// Digits of base `b` that a double can hold: ceil(53 / log2 b).
fn digits(b: u64) -> usize {
    (53.0 / libm::log2(b as f64)).ceil() as usize
}

/// The first `n` primes.
fn first_primes(n: usize) -> Vec<u64> {
    let mut primes: Vec<u64> = Vec::with_capacity(n);
    let mut candidate = 2u64;
    while primes.len() < n {
        if primes
            .iter()
            .take_while(|&&p| p * p <= candidate)
            .all(|&p| !candidate.is_multiple_of(p))
        {
            primes.push(candidate);
        }
        candidate += 1;
    }
    primes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sobol_matches_scipy_unscrambled() {
        // scipy.stats.qmc.Sobol(5, scramble=False).random(5)
        let s = Sobol::new(5, None).unwrap();
        let expected = [
            [0.0, 0.0, 0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25, 0.25, 0.75],
            [0.25, 0.75, 0.75, 0.75, 0.25],
            [0.375, 0.375, 0.625, 0.875, 0.375],
        ];
        for (i, row) in expected.iter().enumerate() {
            assert_eq!(s.point(i as u64), row.to_vec(), "point {i}");
        }
    }

    #[test]
    fn sobol_points_are_its_points_one_by_one() {
        let mut rng = crate::rng::trial_rng(3, 0);
        for s in [
            Sobol::new(7, None).unwrap(),
            Sobol::new(7, Some(&mut rng)).unwrap(),
        ] {
            let all = s.points(1100);
            for (i, p) in all.iter().enumerate() {
                assert_eq!(*p, s.point(i as u64), "point {i}");
            }
        }
    }

    #[test]
    fn halton_matches_scipy_unscrambled() {
        // scipy.stats.qmc.Halton(3, scramble=False).random(5)
        let h = Halton::new(3, None);
        let expected = [
            [0.0, 0.0, 0.0],
            [0.5, 1.0 / 3.0, 0.2],
            [0.25, 2.0 / 3.0, 0.4],
            [0.75, 1.0 / 9.0, 0.6],
            [0.125, 4.0 / 9.0, 0.8],
        ];
        for (i, row) in expected.iter().enumerate() {
            for (a, b) in h.point(i as u64).iter().zip(row) {
                assert!((a - b).abs() < 1e-15, "point {i}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn first_thousand_points_match_scipy() {
        // sum over i < 1000, d of x[i][d] * (i + 1) * (d + 1), from SciPy 1.17.
        let checksum = |points: &dyn Fn(u64) -> Vec<f64>| -> f64 {
            (0..1000u64)
                .map(|i| {
                    points(i)
                        .iter()
                        .enumerate()
                        .map(|(d, x)| x * (i + 1) as f64 * (d + 1) as f64)
                        .sum::<f64>()
                })
                .sum()
        };
        let sobol = Sobol::new(256, None).unwrap();
        assert_eq!(checksum(&|i| sobol.point(i)), 8_232_123_251.453_125);
        let halton = Halton::new(20, None);
        let got = checksum(&|i| halton.point(i));
        assert!((got - 52_372_254.179_137_535).abs() < 1e-4, "{got}");
    }

    #[test]
    fn scrambled_sobol_keeps_strata() {
        // Any 2^m consecutive points from 0 put one point in each of 2^m strata.
        let mut rng = rng::named_rng(3, "test");
        let s = Sobol::new(4, Some(&mut rng)).unwrap();
        for dim in 0..4 {
            let mut seen = [false; 16];
            for i in 0..16 {
                let x = s.point(i)[dim];
                assert!((0.0..1.0).contains(&x));
                seen[(x * 16.0) as usize] = true;
            }
            assert!(seen.iter().all(|&b| b), "dim {dim}");
        }
        assert_ne!(s.point(0), vec![0.0; 4]);
    }

    #[test]
    fn scrambled_halton_stays_in_unit_cube_and_spreads() {
        let mut rng = rng::named_rng(5, "test");
        let h = Halton::new(2, Some(&mut rng));
        let mut seen = [false; 2];
        for i in 0..2 {
            let x = h.point(i)[0];
            assert!((0.0..1.0).contains(&x));
            seen[(x * 2.0) as usize] = true;
        }
        assert!(seen[0] && seen[1]);
    }

    #[test]
    fn too_many_sobol_dimensions_is_an_error() {
        assert!(Sobol::new(MAX_DIM + 1, None).is_err());
        assert!(Sobol::new(MAX_DIM, None).is_ok());
    }
}
