//! CMA-ES, as Optuna's `CmaEsSampler` over the `cmaes` package, with the separable
//! variant, CMA-ES with margin for integer and stepped parameters, warm starting from
//! earlier trials, and (beyond Optuna, which dropped them) IPOP and BIPOP restarts.
//!
//! The float and int parameters of the intersection search space are searched in the
//! unit box (each mapped from its transformed interval); categorical parameters and
//! parameters outside that space are drawn at random, as in Optuna. The first
//! `n_startup_trials` trials are random; then the run starts at the box centre (or
//! `x0`) with `sigma0 = 1/6` (or the warm start's estimate) and population
//! 4 + ⌊3 ln d⌋.
//!
//! Every trial belongs to the generation that was current at its ask (its
//! `cmaes:generation` system attribute). The first ask after λ trials of the current
//! generation completed feeds them to the optimizer and, with a restart strategy,
//! restarts a converged run with a larger (IPOP) or alternating (BIPOP) population.
//! The optimizer state is a study system attribute written with that ask, so a
//! Durable Object reloaded from its journal continues the same run.
//!
//! # Cost of an ask
//! O(d²) to sample (O(d) separable). The ask that closes a generation adds the update,
//! O(λ · d²) plus an O(d³) eigen-decomposition, and the state's JSON, O(d²).

mod margin;
mod optimizer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Distribution, ParamValue, SearchSpace};
use crate::error::{Error, Result};
use crate::linalg::{self, Matrix};
use crate::rng::{self, Rng};
use crate::samplers::{Relative, Sampler};
use crate::search_space::IntersectionSearchSpace;
use crate::transform;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

use margin::Grid;
use optimizer::{Decomposition, Run};

/// The study system attribute that holds the optimizer state.
const STATE: &str = "cmaes:state";
/// The trial system attribute that holds the trial's generation.
const GENERATION: &str = "cmaes:generation";
/// The trial system attribute that holds the raw sample (CMA-ES with margin).
const RAW: &str = "cmaes:x";
/// The largest population a restart may reach.
const MAX_POPSIZE: usize = 4096;

/// How a converged run restarts.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RestartStrategy {
    /// A random start with the population multiplied by `inc_popsize`.
    Ipop,
    /// Alternating large (growing) and small (random, with a smaller step size)
    /// populations, whichever has used fewer evaluations.
    Bipop,
}

/// A finished trial from elsewhere, to warm-start CMA-ES.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTrial {
    /// Its parameters, as external values.
    pub params: BTreeMap<String, ParamValue>,
    /// Its objective value, in the study's direction.
    pub value: f64,
}

/// Options of [`CmaEsSampler`], with Optuna's names and defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CmaEsOptions {
    /// Random trials before CMA-ES starts (1).
    pub n_startup_trials: usize,
    /// Population size; absent: 4 + ⌊3 ln d⌋.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub popsize: Option<usize>,
    /// Initial step size in the unit box; absent: 1/6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma0: Option<f64>,
    /// Initial mean, as external values by name; absent: the box centre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x0: Option<BTreeMap<String, ParamValue>>,
    /// Diagonal covariance (false).
    pub use_separable_cma: bool,
    /// CMA-ES with margin for int and stepped parameters (false).
    pub with_margin: bool,
    /// Restart converged runs: `"ipop"` or `"bipop"`; absent: never.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restart_strategy: Option<RestartStrategy>,
    /// Population growth per restart (2).
    pub inc_popsize: usize,
    /// Count PRUNED trials with their last intermediate value (false).
    pub consider_pruned_trials: bool,
    /// Trials of an earlier, similar study to warm-start from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_trials: Option<Vec<SourceTrial>>,
}

impl Default for CmaEsOptions {
    fn default() -> Self {
        CmaEsOptions {
            n_startup_trials: 1,
            popsize: None,
            sigma0: None,
            x0: None,
            use_separable_cma: false,
            with_margin: false,
            restart_strategy: None,
            inc_popsize: 2,
            consider_pruned_trials: false,
            source_trials: None,
        }
    }
}

impl CmaEsOptions {
    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        if self.n_startup_trials > 1_000_000 {
            return Err(Error::config("n_startup_trials", "must be at most 1000000"));
        }
        if let Some(p) = self.popsize {
            if !(2..=MAX_POPSIZE).contains(&p) {
                return Err(Error::config(
                    "popsize",
                    format!("must be from 2 to {MAX_POPSIZE}, got {p}"),
                ));
            }
        }
        if let Some(s) = self.sigma0 {
            if !(s.is_finite() && s > 0.0) {
                return Err(Error::config(
                    "sigma0",
                    format!("must be a finite number > 0, got {s}"),
                ));
            }
        }
        if !(1..=16).contains(&self.inc_popsize) {
            return Err(Error::config(
                "inc_popsize",
                format!("must be from 1 to 16, got {}", self.inc_popsize),
            ));
        }
        if self.use_separable_cma && self.with_margin {
            return Err(Error::config(
                "with_margin",
                "cannot be combined with use_separable_cma",
            ));
        }
        if let Some(source) = &self.source_trials {
            if self.use_separable_cma {
                return Err(Error::config(
                    "source_trials",
                    "cannot be combined with use_separable_cma",
                ));
            }
            if self.x0.is_some() || self.sigma0.is_some() {
                return Err(Error::config(
                    "source_trials",
                    "cannot be combined with x0 or sigma0",
                ));
            }
            if let Some(i) = source.iter().position(|t| !t.value.is_finite()) {
                return Err(Error::config(
                    format!("source_trials[{i}].value"),
                    "must be a finite number",
                ));
            }
        }
        Ok(self)
    }
}

/// Bookkeeping of restarts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Restarts {
    count: u32,
    large_count: u32,
    small_regime: bool,
    small_evaluations: u64,
    large_evaluations: u64,
    popsize0: usize,
    sigma0: f64,
}

/// Everything the study stores for the sampler.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct State {
    /// The current generation's id, unique across restarts.
    serial: u64,
    /// The parameter names, in unit-box order.
    names: Vec<String>,
    run: Run,
    /// Per-dimension scale of CMA-ES with margin (empty without).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    a: Vec<f64>,
    restarts: Restarts,
}

/// The CMA-ES sampler. See the module documentation.
#[derive(Clone, Debug)]
pub struct CmaEsSampler {
    options: CmaEsOptions,
    intersection: IntersectionSearchSpace,
    /// Finished trial numbers by generation serial.
    by_generation: BTreeMap<u64, Vec<u64>>,
    n_finished: usize,
    /// The last state read or written, with its decomposition.
    cache: Option<(State, Decomposition)>,
}

impl CmaEsSampler {
    /// A CMA-ES sampler.
    pub fn new(options: CmaEsOptions) -> Self {
        CmaEsSampler {
            options,
            intersection: IntersectionSearchSpace::default(),
            by_generation: BTreeMap::new(),
            n_finished: 0,
            cache: None,
        }
    }

    fn counts(&self, trial: &FrozenTrial) -> bool {
        match trial.state {
            TrialState::Complete => true,
            TrialState::Pruned => {
                self.options.consider_pruned_trials && !trial.intermediate_values.is_empty()
            }
            _ => false,
        }
    }

    /// The trial's loss: its value, or its last intermediate value when pruned;
    /// negated for maximisation.
    fn loss(view: &StudyView<'_>, trial: &FrozenTrial) -> f64 {
        let v = match trial.state {
            TrialState::Pruned => trial.intermediate_values.values().next_back().copied(),
            _ => trial.value(),
        };
        view.directions[0].loss(v.unwrap_or(f64::INFINITY))
    }

    /// Grid steps in the unit box (CMA-ES with margin), 0 for continuous dimensions.
    fn steps(&self, space: &[(&String, &Distribution)]) -> Vec<f64> {
        space
            .iter()
            .map(
                |(_, d)| match (self.options.with_margin, d.numeric_range()) {
                    (true, Some((low, high, false, Some(step)))) if high > low => {
                        step / (high - low)
                    }
                    _ => 0.0,
                },
            )
            .collect()
    }

    /// The interval of each dimension that maps onto [0, 1]: the transformed interval,
    /// or for a gridded dimension with margin the grid's ends.
    fn unit_bounds(&self, space: &[(&String, &Distribution)], steps: &[f64]) -> Vec<(f64, f64)> {
        space
            .iter()
            .zip(steps)
            .map(|((_, d), &s)| match (s > 0.0, d.numeric_range()) {
                (true, Some((low, high, _, _))) => (low, high),
                _ => {
                    let b = transform::bounds(d);
                    (b.low, b.high)
                }
            })
            .collect()
    }

    fn to_unit(d: &Distribution, (lo, hi): (f64, f64), internal: f64) -> f64 {
        ((transform::transform(d, internal) - lo) / (hi - lo)).clamp(0.0, 1.0)
    }

    /// A fresh state for `space`.
    fn initial(
        &self,
        space: &[(&String, &Distribution)],
        bounds: &[(f64, f64)],
        view: &StudyView<'_>,
    ) -> Result<State> {
        let d = space.len();
        let popsize = self
            .options
            .popsize
            .unwrap_or_else(|| optimizer::default_popsize(d));
        let separable = self.options.use_separable_cma && d > 1;
        let (mean, sigma, cov) = match &self.options.source_trials {
            Some(source) => warm_start(source, space, bounds, view)?,
            None => {
                let mut mean = vec![0.5; d];
                if let Some(x0) = &self.options.x0 {
                    for (i, (name, dist)) in space.iter().enumerate() {
                        if let Some(v) = x0.get(*name) {
                            let internal = dist.to_internal(v).map_err(|_| {
                                Error::invalid(
                                    format!("sampler.x0.{name}"),
                                    format!("{v} is not in the {} distribution", dist.kind()),
                                )
                            })?;
                            mean[i] = Self::to_unit(dist, bounds[i], internal);
                        }
                    }
                }
                (mean, self.options.sigma0.unwrap_or(1.0 / 6.0), None)
            }
        };
        let sigma = sigma.max(optimizer::EPS);
        let run = Run::new(mean, sigma, cov, popsize, separable);
        let steps = self.steps(space);
        let grid = Grid::new(&steps, popsize);
        Ok(State {
            serial: 0,
            names: space.iter().map(|(n, _)| (*n).clone()).collect(),
            a: if grid.is_active() {
                vec![1.0; d]
            } else {
                Vec::new()
            },
            restarts: Restarts {
                popsize0: popsize,
                sigma0: sigma,
                ..Restarts::default()
            },
            run,
        })
    }

    /// The stored state, from the cache when it is the same generation.
    fn stored(&mut self, view: &StudyView<'_>) -> Option<(State, Decomposition)> {
        let stored = view.system_attrs.get(STATE)?;
        let serial = stored.get("serial").and_then(Value::as_u64);
        if let Some((state, decomposition)) = &self.cache {
            if Some(state.serial) == serial {
                return Some((state.clone(), decomposition.clone()));
            }
        }
        let mut state: State = serde_json::from_value(stored.clone()).ok()?;
        let decomposition = state.run.decompose();
        Some((state, decomposition))
    }

    /// Restarts a converged run, as the restart strategy says.
    fn restart(&self, state: &mut State, rng: &mut Rng) {
        let Some(strategy) = self.options.restart_strategy else {
            return;
        };
        if !state.run.should_stop() {
            return;
        }
        let r = &mut state.restarts;
        let evaluations = state.run.popsize as u64 * state.run.generation;
        if r.small_regime {
            r.small_evaluations += evaluations;
        } else {
            r.large_evaluations += evaluations;
        }
        r.count += 1;
        let inc = self.options.inc_popsize;
        let large = |k: u32| (r.popsize0 * inc.pow(k)).min(MAX_POPSIZE);
        let (popsize, sigma) = match strategy {
            RestartStrategy::Ipop => ((state.run.popsize * inc).min(MAX_POPSIZE), r.sigma0),
            RestartStrategy::Bipop if r.small_evaluations < r.large_evaluations => {
                // Hansen's small regime: λ_s = ⌊λ0 (λ_l / (2 λ0))^(U²)⌋, σ = σ0 10^(-2U).
                r.small_regime = true;
                let u = rng::uniform01(rng);
                let ratio = large(r.large_count) as f64 / (2.0 * r.popsize0 as f64);
                let popsize = libm::floor(r.popsize0 as f64 * libm::pow(ratio.max(1.0), u * u));
                let u = rng::uniform01(rng);
                (
                    (popsize as usize).max(2),
                    r.sigma0 * libm::pow(10.0, -2.0 * u),
                )
            }
            RestartStrategy::Bipop => {
                r.small_regime = false;
                r.large_count += 1;
                (large(r.large_count), r.sigma0)
            }
        };
        let d = state.run.dim();
        let mean = (0..d).map(|_| rng::uniform01(rng)).collect();
        let separable = matches!(state.run.cov, optimizer::Cov::Diagonal(_));
        state.run = Run::new(mean, sigma, None, popsize, separable);
        if !state.a.is_empty() {
            state.a = vec![1.0; d];
        }
    }
}

/// The `cmaes` package's warm start (Nomura et al., 2021): mean and covariance of the
/// best 10 % of the compatible source trials, widened by a prior of 0.1² I, split
/// into a step size and a unit-determinant covariance.
fn warm_start(
    source: &[SourceTrial],
    space: &[(&String, &Distribution)],
    bounds: &[(f64, f64)],
    view: &StudyView<'_>,
) -> Result<(Vec<f64>, f64, Option<Matrix>)> {
    let d = space.len();
    let mut solutions: Vec<(Vec<f64>, f64)> = source
        .iter()
        .filter(|t| t.params.len() == d)
        .filter_map(|t| {
            let x = space
                .iter()
                .enumerate()
                .map(|(i, (name, dist))| {
                    let v = t.params.get(*name)?;
                    let internal = dist.to_internal(v).ok()?;
                    Some(CmaEsSampler::to_unit(dist, bounds[i], internal))
                })
                .collect::<Option<Vec<f64>>>()?;
            Some((x, view.directions[0].loss(t.value)))
        })
        .collect();
    let top = solutions.len() / 10;
    if top == 0 {
        return Err(Error::invalid(
            "sampler.source_trials",
            format!(
                "{} source trials have exactly this study's parameters; at least 10 are needed",
                solutions.len()
            ),
        ));
    }
    crate::sort::sort_by(&mut solutions, |a, b| a.1.total_cmp(&b.1));
    let best = &solutions[..top];
    let mean: Vec<f64> = (0..d)
        .map(|j| best.iter().map(|(x, _)| x[j]).sum::<f64>() / top as f64)
        .collect();
    let sigma_matrix: Matrix = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| {
                    let second = best.iter().map(|(x, _)| x[i] * x[j]).sum::<f64>() / top as f64;
                    let prior = if i == j { 0.01 } else { 0.0 };
                    prior + second - mean[i] * mean[j]
                })
                .collect()
        })
        .collect();
    let (values, _) = linalg::symmetric_eigen(&sigma_matrix);
    let det: f64 = values.iter().product();
    let sigma = libm::pow(det, 1.0 / (2.0 * d as f64));
    let scale = libm::pow(det, 1.0 / d as f64);
    let cov = sigma_matrix
        .into_iter()
        .map(|row| row.into_iter().map(|v| v / scale).collect())
        .collect();
    Ok((mean, sigma, Some(cov)))
}

impl Sampler for CmaEsSampler {
    fn infer_relative_search_space(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        self.intersection.sampled(|d| d.numeric_range().is_some())
    }

    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        _trial: &FrozenTrial,
        space: &SearchSpace,
        rng: &mut Rng,
    ) -> Result<Relative> {
        if !view.is_single_objective() {
            return Err(Error::invalid(
                "sampler",
                "CMA-ES optimizes one objective; use nsga2, nsga3 or tpe for several",
            ));
        }
        if space.is_empty() || self.n_finished < self.options.n_startup_trials {
            return Ok(Relative::default());
        }
        let space: Vec<(&String, &Distribution)> =
            space.0.iter().map(|p| (&p.name, &p.distribution)).collect();
        let steps = self.steps(&space);
        let bounds = self.unit_bounds(&space, &steps);
        let mut study_attrs = BTreeMap::new();
        let (mut state, mut decomposition) = match self.stored(view) {
            Some(found) => found,
            None => {
                // Stored before decomposing (which rebuilds C), as a reload decomposes it.
                let mut state = self.initial(&space, &bounds, view)?;
                study_attrs.insert(
                    STATE.to_string(),
                    serde_json::to_value(&state).unwrap_or_default(),
                );
                let decomposition = state.run.decompose();
                (state, decomposition)
            }
        };
        if state.names.len() != space.len()
            || state.names.iter().zip(&space).any(|(a, (b, _))| a != *b)
        {
            // The space changed: CMA-ES does not follow dynamic spaces (as Optuna).
            return Ok(Relative::default());
        }
        let grid = Grid::new(&steps, state.run.popsize);
        let members = self.by_generation.get(&state.serial).map_or(0, Vec::len);
        if members >= state.run.popsize {
            let mut numbers = self.by_generation[&state.serial].clone();
            numbers.sort_unstable();
            let solutions = numbers
                .iter()
                .take(state.run.popsize)
                .filter_map(|&n| view.trial(n))
                .map(|t| {
                    let x = match t
                        .system_attrs
                        .get(RAW)
                        .and_then(|v| serde_json::from_value::<Vec<f64>>(v.clone()).ok())
                    {
                        Some(raw) if raw.len() == space.len() => raw,
                        _ => space
                            .iter()
                            .enumerate()
                            .map(|(i, (name, dist))| {
                                Self::to_unit(dist, bounds[i], t.params[*name])
                            })
                            .collect(),
                    };
                    (x, Self::loss(view, t))
                })
                .collect();
            state.run.tell(solutions);
            if grid.is_active() {
                grid.correct(&mut state.run, &mut state.a);
            }
            self.restart(&mut state, rng);
            state.serial += 1;
            study_attrs.insert(
                STATE.to_string(),
                serde_json::to_value(&state).unwrap_or_default(),
            );
            decomposition = state.run.decompose();
        }
        // Resample until the continuous dimensions are inside the box, then clip.
        let d = space.len();
        let inside = |x: &[f64]| {
            x.iter()
                .enumerate()
                .all(|(i, v)| grid.is_discrete(i) || (0.0..=1.0).contains(v))
        };
        let mut x = state.run.sample(&decomposition, rng);
        for _ in 0..10 * d {
            if inside(&x) {
                break;
            }
            x = state.run.sample(&decomposition, rng);
        }
        for (i, v) in x.iter_mut().enumerate() {
            if !grid.is_discrete(i) {
                *v = v.clamp(0.0, 1.0);
            }
        }
        let mut trial_attrs = BTreeMap::from([(GENERATION.to_string(), Value::from(state.serial))]);
        let unit = if grid.is_active() {
            trial_attrs.insert(RAW.to_string(), Value::from(x.clone()));
            grid.encode(&x, &state.run, &state.a)
        } else {
            x
        };
        let values = crate::sort::collect_map(space.iter().zip(&unit).zip(&bounds).map(
            |(((name, dist), u), (lo, hi))| {
                let t = lo + u.clamp(0.0, 1.0) * (hi - lo);
                ((*name).clone(), transform::untransform(dist, t))
            },
        ));
        self.cache = Some((state, decomposition));
        Ok(Relative {
            values,
            trial_attrs,
            study_attrs,
        })
    }

    fn after_trial(&mut self, _view: &StudyView<'_>, trial: &FrozenTrial) {
        if !self.counts(trial) {
            return;
        }
        self.n_finished += 1;
        if trial.state == TrialState::Complete {
            self.intersection.add(trial);
        }
        if let Some(g) = trial.system_attrs.get(GENERATION).and_then(Value::as_u64) {
            self.by_generation.entry(g).or_default().push(trial.number);
        }
    }
}

impl crate::samplers::SamplerKind for CmaEsOptions {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(CmaEsSampler::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
