//! Portable, seeded randomness.
//!
//! Every random draw comes from ChaCha8 keyed by the study seed, on the stream of the
//! trial number, so a suggestion depends only on (seed, trial number, history) and is
//! the same bit for bit on every target. Nothing reads an OS or thread RNG.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The engine's random number generator.
pub type Rng = ChaCha8Rng;

/// SplitMix64's finaliser: a bijective mix of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a over bytes: a portable hash for names.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn keyed(key: u64, stream: u64) -> Rng {
    let mut seed = [0u8; 32];
    let mut state = key;
    for chunk in seed.chunks_exact_mut(8) {
        state = mix(state);
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(seed);
    rng.set_stream(stream);
    rng
}

/// The RNG of a trial, for relative sampling at ask time.
pub fn trial_rng(seed: u64, trial_number: u64) -> Rng {
    keyed(seed, trial_number)
}

/// The RNG of one parameter of a trial, for independent sampling. Keyed by the name as
/// well, so define-by-run suggestions do not depend on the order of the calls.
pub fn param_rng(seed: u64, trial_number: u64, name: &str) -> Rng {
    keyed(seed ^ mix(fnv1a(name.as_bytes())), trial_number)
}

/// An RNG for a sampler's own study-wide state (such as a QMC scrambling), keyed by
/// the seed and a name, apart from every trial's stream.
pub fn named_rng(seed: u64, name: &str) -> Rng {
    keyed(seed ^ mix(fnv1a(name.as_bytes()) ^ 0x5eed), u64::MAX)
}

/// FNV-1a of a string, for short stable keys.
pub fn hash_name(name: &str) -> u64 {
    fnv1a(name.as_bytes())
}

/// A uniform draw in `[0, 1)` with 53 random bits.
pub fn uniform01(rng: &mut Rng) -> f64 {
    use rand::RngCore;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw in `[low, high]`.
pub fn uniform(rng: &mut Rng, low: f64, high: f64) -> f64 {
    (low + uniform01(rng) * (high - low)).min(high)
}

/// A standard normal draw (Box-Muller, through `libm` so every target agrees).
pub fn standard_normal(rng: &mut Rng) -> f64 {
    // 1 - u lies in (0, 1], so the log is finite.
    let u1 = 1.0 - uniform01(rng);
    let u2 = uniform01(rng);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}
