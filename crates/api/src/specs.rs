//! Samplers and pruners as users give them: a name, or `{"type": name, "seed"?, ...}`.
//! They are declared with the study's options in the core
//! ([`edgetune_core::study::SamplerSpec`]), whose schema lists every alias of each
//! `type` and the `seed` a sampler object may carry.

pub use edgetune_core::study::{PrunerSpec, SamplerSpec};
