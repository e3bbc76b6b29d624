//! Uniform random sampling, as Optuna's `RandomSampler`.

use crate::distributions::Distribution;
use crate::rng::{self, Rng};
use crate::samplers::Sampler;
use crate::transform;

/// Draws every parameter uniformly from its transformed interval (so log parameters
/// are log-uniform and grids are uniform over their points).
///
/// Cost of a suggestion: O(1), whatever the history.
#[derive(Clone, Debug, Default)]
pub struct RandomSampler;

impl RandomSampler {
    /// A random sampler.
    ///
    /// ```
    /// use edgetune_core::samplers::RandomSampler;
    /// let sampler = RandomSampler::new();
    /// ```
    pub fn new() -> Self {
        RandomSampler
    }
}

/// A uniform draw from `distribution`'s transformed interval, as an internal value.
pub(crate) fn draw_uniform(distribution: &Distribution, rng: &mut Rng) -> f64 {
    let bounds = transform::bounds(distribution);
    transform::untransform(distribution, rng::uniform(rng, bounds.low, bounds.high))
}

/// Every parameter is drawn by the trait's default, uniform `sample_independent`.
impl Sampler for RandomSampler {}

/// The random sampler has no options besides the study's seed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomOptions {}

impl crate::samplers::SamplerKind for RandomOptions {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(RandomSampler::new())
    }
}
