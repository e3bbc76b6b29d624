//! # edgetune-core
//!
//! The edgetune engine: hyperparameter optimization with Optuna's model (studies,
//! trials, ask/tell, samplers and pruners), pure Rust and sans-IO. The same code runs
//! natively, in the npm package (wasm) and in the Cloudflare Worker.
//!
//! ```
//! use edgetune_core::{Outcome, Study, StudyConfig};
//!
//! let mut study = Study::create(StudyConfig::new("quadratic").with_seed(42)).unwrap();
//! study
//!     .optimize(50, |trial| {
//!         let x = trial.suggest_float("x", -10.0, 10.0).unwrap();
//!         let n = trial.suggest_int("n", 1, 5).unwrap();
//!         Outcome::value((x - 2.0).powi(2) + n as f64)
//!     })
//!     .unwrap();
//! let best = study.best_trial().unwrap();
//! println!("best {:?} at {:?}", best.value(), best.external_params());
//! ```
//!
//! ## Adding a sampler or a pruner
//! A sampler is one file under `samplers/`: the sampler (implementing [`Sampler`]),
//! its options struct (serde with `deny_unknown_fields`, plus
//! `#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]`) and
//! `impl SamplerKind for ItsOptions` (how to check the options and build the sampler).
//! Then one row in `sampler_registry!` in `samplers/mod.rs` gives it its name, its
//! aliases and whether it handles several objectives, and one row in
//! `tests/sampler_conformance.rs` puts it through the shared suite. The HTTP API, its
//! OpenAPI document and the npm package's TypeScript types follow from the registry.
//! A pruner is the same with [`pruners::PrunerKind`], `pruner_registry!` and
//! `tests/pruners.rs`.
//!
//! ## Determinism
//! The same seed and the same history of tells give the same suggestions, bit for bit,
//! on every target: randomness is ChaCha8 keyed by (seed, trial number[, parameter
//! name]) and all transcendental math goes through `libm`.
#![warn(missing_docs)]

// `with_study_options!` names the crate's types as `::edgetune_core::...`, in this crate
// as in others.
extern crate self as edgetune_core;

pub mod analysis;
pub mod direction;
pub mod distributions;
pub mod error;
mod fastexp;
mod grow;
pub mod json_f64;
pub(crate) mod linalg;
pub mod multi_objective;
pub mod optuna;
mod parallel;
pub mod pruners;
pub mod rng;
pub mod samplers;
#[cfg(feature = "schema")]
mod schema;
pub mod search_space;
mod sort;
pub mod stopping;
pub mod study;
mod tagged;
pub mod time;
pub(crate) mod transform;
pub mod trial;
pub mod view;

pub use distributions::{Distribution, Param, ParamValue, SearchSpace};
pub use error::{Error, Result};
pub use pruners::{Pruner, PrunerConfig};
pub use samplers::{Sampler, SamplerConfig};
pub use stopping::{Convergence, StopReason, StoppingConfig};
pub use study::packed;
pub use study::{
    Clock, Direction, Event, Journal, Outcome, PruneReason, PrunerSpec, SamplerSpec, Spending,
    Study, StudyConfig, StudySpec, TrialHandle, JOURNAL_FORMAT, JOURNAL_VERSION,
};
pub use trial::{FrozenTrial, TrialRecord, TrialState};
pub use view::StudyView;

/// The README's Rust example compiles and runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// So do the examples of the Rust reference.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
pub struct RustReferenceDoctests;
