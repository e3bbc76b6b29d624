//! Fresh randomness for the services: the seed of a study that names none, and ids.
//! The engine never draws its own (its randomness is a seeded RNG); only the surfaces
//! do, here, through `getrandom` (the OS natively, `crypto.getRandomValues` in Node,
//! browsers and workerd).

use crate::failure::Failure;

/// 64 random bits from the platform's CSPRNG.
pub fn random_u64() -> Result<u64, Failure> {
    getrandom::u64().map_err(|e| Failure::internal(format!("no source of randomness: {e}")))
}

/// A fresh study seed: 53 random bits, so that it survives a trip through a JS number.
pub fn fresh_seed() -> Result<u64, Failure> {
    Ok(random_u64()? >> 11)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_fit_a_js_number_and_differ() {
        let a = fresh_seed().unwrap();
        let b = fresh_seed().unwrap();
        assert!(a < 1 << 53 && b < 1 << 53);
        assert_ne!((a, random_u64().unwrap()), (b, random_u64().unwrap()));
    }
}
