//! Gaussian-process Bayesian optimisation, as Optuna 5's `GPSampler`.
//!
//! After `n_startup_trials` random trials, the float, int and categorical parameters of
//! the intersection search space are normalized to [0, 1] (categoricals as choice
//! indices, compared by Hamming distance), the objective is standardized, and a GP
//! with a Matérn-5/2 ARD kernel is fitted by MAP with Optuna's priors, warm-started
//! from the previous fit (stored in the study, so a replayed study fits the same). The
//! next point maximises log expected improvement, or for several objectives (one GP
//! each) log expected hypervolume improvement over 128 quasi-random posterior samples;
//! with constraints, one GP per constraint adds its log probability of feasibility
//! (Optuna's `LogCEI` / `LogCEHVI`). With RUNNING trials the acquisition is, as in
//! Optuna, `qLogEI` (`qLogCEI` with constraints) for one objective and `qLogEHVI` for
//! several, over 128 fantasies of the running points (see `conditional`), so
//! concurrent askers spread out; with several objectives and constraints, the running
//! points enter every GP at their posterior mean (the "kriging believer"), as
//! Optuna's `LogCEHVI` does.
//!
//! Cost-aware (`cost_aware`, one objective), the GP's points also include the PRUNED
//! trials that reported a finite value, scored by their last such report: pessimistic
//! for a learning curve that still falls, and what the pruner judged them by. Optuna's
//! GP ignores pruned trials, so under a pruner it keeps paying to start configurations
//! in a region it already saw pruned; on the cost benchmark's training simulator (~90%
//! of trials pruned) learning from them cut the median regret about threefold.
//!
//! # Cost of an ask
//! With n complete (and, cost-aware, pruned) trials, d parameters and I L-BFGS
//! iterations of the kernel fit: O(I · (n³ + n² · d)) for the fit (per constraint as well; a line-search trial
//! costs one Cholesky factorisation, n³ / 6, and only accepted points pay for the
//! gradient's inverse, see `regressor`), then
//! O(P · (n · d + n²)) for P = `n_preliminary_samples` acquisition evaluations plus
//! the local searches; with m objectives, m fits and O(128 · B · m) more per
//! evaluation for B improvement boxes. With r running trials, each conditioned GP
//! adds O(r · n² + r³) once and O(r · n · d + 128 · (r + d)) per evaluation; several
//! objectives add 128 box decompositions of the front and the fantasies.

mod acquisition;
mod conditional;
mod ehvi;
mod lbfgs;
mod regressor;
mod regret;

pub(crate) use regret::regret_bound;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Distribution, SearchSpace};
use crate::error::{Error, Result};
use crate::parallel;
use crate::rng::Rng;
use crate::samplers::{Relative, Sampler};
use crate::search_space::IntersectionSearchSpace;
use crate::transform;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

use crate::samplers::qmc::Sobol;
use crate::samplers::tpe::truncnorm::ppf;
use acquisition::{Acquisition, Dim, Goal, Search};
use conditional::{Conditional, QLogEhvi, QLogEi};
use ehvi::LogEhvi;
use regressor::Gp;

/// The study system attribute prefix of the fitted kernel parameters.
const KERNEL: &str = "gp:kernel";
/// Optuna's floor on a standard deviation.
const EPS: f64 = 1e-10;
/// Fantasies of qLogEI and qLogEHVI, and samples of LogEHVI (Optuna's
/// `n_qmc_samples`).
const Q_SAMPLES: usize = 128;
/// Observations from which the local searches, and the fits of several GPs, run on
/// threads: an acquisition evaluation is O(n²) and a fit O(n³), and below this a
/// search or a fit costs less than starting a thread.
const PARALLEL_ROWS: usize = 64;

/// `n` standard normal points in `d` dimensions from a scrambled Sobol' sequence drawn
/// with `rng` (Optuna's `sample_from_normal_sobol`); None past the Sobol' table's 256
/// dimensions.
fn normal_sobol(d: usize, n: usize, rng: &mut Rng) -> Option<Vec<Vec<f64>>> {
    let sobol = Sobol::new(d, Some(rng)).ok()?;
    Some(
        sobol
            .points(n)
            .iter()
            .map(|point| {
                point
                    .iter()
                    .map(|u| {
                        ppf(
                            u.clamp(1e-10, 1.0 - 1e-10),
                            f64::NEG_INFINITY,
                            f64::INFINITY,
                        )
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Options of [`GpSampler`], with Optuna's names and defaults.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GpOptions {
    /// Random trials before the GP starts (10).
    pub n_startup_trials: usize,
    /// Fix the noise at its minimum, for noiseless objectives (false).
    pub deterministic_objective: bool,
    /// Acquisition evaluations at scrambled-Sobol points before local search (2048).
    pub n_preliminary_samples: usize,
    /// Local searches from the best preliminary points (10).
    pub n_local_search: usize,
    /// Prefer cheap promising points: fit a second GP to the log cost of the complete
    /// trials and maximise EI / cost^α, with α the share of the budget left; startup
    /// trials follow the cost-effective design of `samplers::cost::start`. With one
    /// objective the GP also learns from the pruned trials the budget paid for, at
    /// their last reported value (false).
    pub cost_aware: bool,
}

impl Default for GpOptions {
    fn default() -> Self {
        GpOptions {
            n_startup_trials: 10,
            deterministic_objective: false,
            n_preliminary_samples: 2048,
            n_local_search: 10,
            cost_aware: false,
        }
    }
}

impl GpOptions {
    /// Checks the options; errors name the option.
    pub fn validated(self) -> Result<Self> {
        if self.n_startup_trials > 1_000_000 {
            return Err(Error::config("n_startup_trials", "must be at most 1000000"));
        }
        if !(1..=100_000).contains(&self.n_preliminary_samples) {
            return Err(Error::config(
                "n_preliminary_samples",
                format!(
                    "must be from 1 to 100000, got {}",
                    self.n_preliminary_samples
                ),
            ));
        }
        if !(1..=100).contains(&self.n_local_search) {
            return Err(Error::config(
                "n_local_search",
                format!("must be from 1 to 100, got {}", self.n_local_search),
            ));
        }
        Ok(self)
    }
}

/// The GP sampler. See the module documentation.
#[derive(Clone, Debug)]
pub struct GpSampler {
    options: GpOptions,
    intersection: IntersectionSearchSpace,
    /// COMPLETE trial numbers.
    complete: Vec<u64>,
    /// Cost-aware only: the PRUNED trials with a finite intermediate value, in
    /// finishing order (only single-objective trials can report one).
    pruned: Vec<u64>,
}

/// Standardizes values (non-finite ones clipped to the finite range first), as
/// Optuna's `_standardize_values`; returns the values, mean and standard deviation.
fn standardize(values: &[f64]) -> (Vec<f64>, f64, f64) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 0.0) };
    let clipped: Vec<f64> = values.iter().map(|v| v.clamp(lo, hi)).collect();
    let n = clipped.len() as f64;
    let mean = clipped.iter().sum::<f64>() / n;
    let std = (clipped.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let scale = std.max(EPS);
    (
        clipped.iter().map(|v| (v - mean) / scale).collect(),
        mean,
        std,
    )
}

/// A parameter's normalized coordinate: its transformed value scaled to [0, 1], or
/// its choice index for a categorical.
pub(crate) fn normalize(d: &Distribution, internal: f64) -> f64 {
    if let Distribution::Categorical { .. } = d {
        return internal;
    }
    let b = transform::bounds(d);
    if b.high == b.low {
        return 0.5;
    }
    (transform::transform(d, internal) - b.low) / (b.high - b.low)
}

/// A pruned trial's value for the GP: its last finite intermediate value.
fn last_finite_report(trial: &FrozenTrial) -> Option<f64> {
    trial
        .intermediate_values
        .values()
        .rev()
        .copied()
        .find(|v| v.is_finite())
}

/// The internal value of a normalized coordinate.
fn unnormalize(d: &Distribution, u: f64) -> f64 {
    if let Distribution::Categorical { .. } = d {
        return u;
    }
    let b = transform::bounds(d);
    transform::untransform(d, b.low + u.clamp(0.0, 1.0) * (b.high - b.low))
}

/// The search dimension of a parameter.
fn dim(d: &Distribution) -> Dim {
    match d {
        Distribution::Categorical { choices } => Dim::Categorical(choices.len()),
        _ => match d.numeric_range() {
            Some((low, high, false, Some(step))) => {
                let n = libm::floor((high - low) / step + 1e-9) as usize + 1;
                Dim::Discrete(
                    (0..n)
                        .map(|k| normalize(d, low + k as f64 * step))
                        .collect(),
                )
            }
            Some((low, high, true, Some(_))) => {
                // A log int: its values, normalized on the log scale.
                let (low, high) = (low as i64, high as i64);
                if high - low <= 4096 {
                    Dim::Discrete((low..=high).map(|v| normalize(d, v as f64)).collect())
                } else {
                    Dim::Continuous
                }
            }
            _ => Dim::Continuous,
        },
    }
}

impl GpSampler {
    /// A GP sampler.
    pub fn new(options: GpOptions) -> Self {
        GpSampler {
            options,
            intersection: IntersectionSearchSpace::default(),
            complete: Vec::new(),
            pruned: Vec::new(),
        }
    }

    /// Fits one GP per job (its attribute key, points and standardized scores), each
    /// warm-started from the kernel parameters stored under its key, and stores the
    /// fitted parameters there in `attrs`. Natively, several fits on a large study
    /// run on threads; each fit is the same either way.
    fn fit_all(
        &self,
        view: &StudyView<'_>,
        jobs: &[FitJob<'_>],
        categorical: &[bool],
        attrs: &mut BTreeMap<String, Value>,
    ) -> Vec<Gp> {
        let large = jobs.iter().any(|job| job.x.len() >= PARALLEL_ROWS);
        let fits = parallel::map_chunks(jobs, 1, large, |chunk| {
            chunk
                .iter()
                .map(|FitJob { key, x, y }| {
                    let start: Option<Vec<f64>> = view
                        .system_attrs
                        .get(key)
                        .and_then(|v| serde_json::from_value(v.clone()).ok());
                    Gp::fit(
                        x.to_vec(),
                        y.to_vec(),
                        categorical.to_vec(),
                        start.as_deref(),
                        self.options.deterministic_objective,
                    )
                })
                .collect()
        });
        jobs.iter()
            .zip(fits)
            .map(|(job, (gp, raw))| {
                attrs.insert(job.key.clone(), Value::from(raw));
                gp
            })
            .collect()
    }
}

impl GpSampler {
    /// A startup trial's relative values: the cost-effective design when sampling is
    /// cost-aware, else none (random startup).
    fn startup(
        &self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        space: &SearchSpace,
        rng: &mut Rng,
    ) -> Relative {
        if !self.options.cost_aware {
            return Relative::default();
        }
        crate::samplers::cost::start::relative(view, trial, space, rng)
    }

    /// The GP of the standardized log costs of the `trials` that have one (at least
    /// two, with some positive), and the log costs' standard deviation. A zero cost
    /// counts as half the smallest positive one.
    fn cost_gp(
        &self,
        view: &StudyView<'_>,
        trials: &[&FrozenTrial],
        x: &[Vec<f64>],
        categorical: &[bool],
        attrs: &mut BTreeMap<String, Value>,
    ) -> Option<(Gp, f64)> {
        let (xs, costs): (Vec<Vec<f64>>, Vec<f64>) = trials
            .iter()
            .zip(x)
            .filter(|(t, _)| t.state == TrialState::Complete)
            .filter_map(|(t, xi)| Some((xi.clone(), t.cost()?)))
            .unzip();
        let floor = costs
            .iter()
            .copied()
            .filter(|c| *c > 0.0)
            .reduce(f64::min)?
            / 2.0;
        if costs.len() < 2 {
            return None;
        }
        let logs: Vec<f64> = costs.iter().map(|c| libm::log(c.max(floor))).collect();
        let (y, _, std) = standardize(&logs);
        let job = FitJob {
            key: format!("{KERNEL}:cost"),
            x: &xs,
            y: &y,
        };
        let gp = self.fit_all(view, &[job], categorical, attrs).pop()?;
        Some((gp, std))
    }
}

/// One GP to fit: the study attribute key of its kernel parameters, its points and
/// its standardized scores.
struct FitJob<'a> {
    key: String,
    x: &'a [Vec<f64>],
    y: &'a [f64],
}

impl Sampler for GpSampler {
    fn infer_relative_search_space(
        &mut self,
        _view: &StudyView<'_>,
        _trial: &FrozenTrial,
    ) -> SearchSpace {
        self.intersection.sampled(|_| true)
    }

    fn sample_relative(
        &mut self,
        view: &StudyView<'_>,
        trial: &FrozenTrial,
        space: &SearchSpace,
        rng: &mut Rng,
    ) -> Result<Relative> {
        if space.is_empty() || self.complete.len() < self.options.n_startup_trials {
            return Ok(self.startup(view, trial, space, rng));
        }
        let params = &space.0;
        let trials: Vec<&FrozenTrial> = self
            .complete
            .iter()
            .chain(&self.pruned)
            .filter_map(|&n| view.trial(n))
            .filter(|t| params.iter().all(|p| t.params.contains_key(&p.name)))
            .collect();
        if trials.len() < self.options.n_startup_trials.max(1) {
            return Ok(self.startup(view, trial, space, rng));
        }
        let x: Vec<Vec<f64>> = trials
            .iter()
            .map(|t| {
                params
                    .iter()
                    .map(|p| normalize(&p.distribution, t.params[&p.name]))
                    .collect()
            })
            .collect();
        let categorical: Vec<bool> = params
            .iter()
            .map(|p| matches!(p.distribution, Distribution::Categorical { .. }))
            .collect();
        // Larger is better for the GP: one standardized score column per objective.
        let scores: Vec<Vec<f64>> = view
            .directions
            .iter()
            .enumerate()
            .map(|(j, direction)| {
                let column: Vec<f64> = trials
                    .iter()
                    .map(|t| {
                        let v = t
                            .values
                            .as_ref()
                            .and_then(|v| v.get(j).copied())
                            .or_else(|| last_finite_report(t));
                        -direction.loss(v.unwrap_or(f64::NAN))
                    })
                    .collect();
                standardize(&column).0
            })
            .collect();
        // Constraints: one GP per constraint, on the trials that report them.
        let n_constraints = trials
            .iter()
            .filter_map(|t| t.constraints.as_ref())
            .map(Vec::len)
            .max();
        let constraint_data: Vec<(Vec<Vec<f64>>, Vec<f64>, f64)> = (0..n_constraints.unwrap_or(0))
            .map(|j| {
                let (xs, values): (Vec<Vec<f64>>, Vec<f64>) = trials
                    .iter()
                    .zip(&x)
                    .filter_map(|(t, xi)| Some((xi.clone(), -*t.constraints.as_ref()?.get(j)?)))
                    .unzip();
                let (cy, mean, std) = standardize(&values);
                (xs, cy, -mean / std.max(EPS))
            })
            .collect();
        // One fit per objective, then one per constraint.
        let jobs: Vec<FitJob<'_>> = scores
            .iter()
            .enumerate()
            .map(|(j, y)| {
                let key = if scores.len() == 1 {
                    KERNEL.to_string()
                } else {
                    format!("{KERNEL}:objective:{j}")
                };
                FitJob { key, x: &x, y }
            })
            .chain(
                constraint_data
                    .iter()
                    .enumerate()
                    .map(|(j, (xs, cy, _))| FitJob {
                        key: format!("{KERNEL}:constraint:{j}"),
                        x: xs,
                        y: cy,
                    }),
            )
            .collect();
        let mut attrs = BTreeMap::new();
        let mut fitted = self.fit_all(view, &jobs, &categorical, &mut attrs);
        let constraint_gps: Vec<(Gp, f64)> = fitted
            .split_off(scores.len())
            .into_iter()
            .zip(constraint_data.iter().map(|(_, _, threshold)| *threshold))
            .collect();
        // The running trials that have every parameter (normalized).
        let running: Vec<Vec<f64>> = view
            .trials_in(&[TrialState::Running])
            .filter(|t| t.number != trial.number)
            .filter_map(|t| {
                params
                    .iter()
                    .map(|p| Some(normalize(&p.distribution, t.point_value(&p.name)?)))
                    .collect()
            })
            .collect();
        let feasible: Vec<bool> = trials
            .iter()
            .map(|t| {
                t.infeasibility() <= 0.0 && (n_constraints.is_none() || t.constraints.is_some())
            })
            .collect();
        let feasible_rows: Vec<usize> = (0..trials.len()).filter(|&i| feasible[i]).collect();
        // Running trials, as Optuna: qLogEI (qLogCEI with constraints) for one objective,
        // qLogEHVI for several without constraints, each GP conditioned on fantasies of
        // the running points once. With several objectives and constraints, or when a GP
        // cannot be conditioned, the kriging believer: running points enter every GP at
        // their posterior mean.
        let conditioned: Option<Vec<Conditional<'_>>> =
            if !running.is_empty() && (fitted.len() == 1 || constraint_gps.is_empty()) {
                fitted
                    .iter()
                    .chain(constraint_gps.iter().map(|(gp, _)| gp))
                    .map(|gp| Conditional::new(gp, &running, Q_SAMPLES, rng))
                    .collect()
            } else {
                None
            };
        let believe = !running.is_empty() && conditioned.is_none();
        let believed: Vec<Gp> = if believe {
            fitted
                .iter()
                .map(|gp| gp.with_fantasies(&running))
                .collect()
        } else {
            Vec::new()
        };
        let believed_constraints: Vec<(Gp, f64)> = if believe {
            constraint_gps
                .iter()
                .map(|(gp, t)| (gp.with_fantasies(&running), *t))
                .collect()
        } else {
            Vec::new()
        };
        let (objectives, constraint_gps) = if believe {
            (&believed, &believed_constraints)
        } else {
            (&fitted, &constraint_gps)
        };
        let best_row = (objectives.len() == 1)
            .then(|| {
                let y = &scores[0];
                feasible_rows
                    .iter()
                    .copied()
                    .max_by(|&a, &b| y[a].total_cmp(&y[b]).then(b.cmp(&a)))
            })
            .flatten();
        let (goal, warm): (Goal<'_>, Vec<Vec<f64>>) = match conditioned {
            Some(mut conditioned) if objectives.len() == 1 => {
                let threshold = best_row.map_or(f64::NEG_INFINITY, |b| scores[0][b]);
                let constraints = conditioned
                    .split_off(1)
                    .into_iter()
                    .zip(constraint_gps.iter().map(|(_, t)| *t))
                    .collect();
                let objective = conditioned.pop().expect("one conditioned objective");
                (
                    Goal::QImprovement(QLogEi::new((objective, threshold), constraints)),
                    best_row.map(|b| x[b].clone()).into_iter().collect(),
                )
            }
            _ if feasible_rows.is_empty() => (Goal::Feasibility, Vec::new()),
            _ if best_row.is_some() => {
                let best = best_row.expect("checked");
                (
                    Goal::Improvement {
                        gp: &objectives[0],
                        threshold: scores[0][best],
                    },
                    vec![x[best].clone()],
                )
            }
            conditioned => {
                let rows: Vec<Vec<f64>> = feasible_rows
                    .iter()
                    .map(|&i| scores.iter().map(|column| column[i]).collect())
                    .collect();
                // Warm starts: up to half the local searches from random Pareto points.
                let losses: Vec<Vec<f64>> = rows
                    .iter()
                    .map(|r| r.iter().map(|v| -v).collect())
                    .collect();
                let ranks = crate::multi_objective::non_domination_ranks(&losses, 1);
                let mut front: Vec<usize> = (0..rows.len()).filter(|&i| ranks[i] == 0).collect();
                let mut warm = Vec::new();
                while warm.len() < self.options.n_local_search / 2 && !front.is_empty() {
                    let k = ((crate::rng::uniform01(rng) * front.len() as f64) as usize)
                        .min(front.len() - 1);
                    warm.push(x[feasible_rows[front.swap_remove(k)]].clone());
                }
                let goal = match conditioned {
                    Some(conditioned) => Goal::QHypervolume(QLogEhvi::new(conditioned, &rows)),
                    None => Goal::Hypervolume(LogEhvi::new(objectives, &rows, Q_SAMPLES, rng)),
                };
                (goal, warm)
            }
        };
        // qLogCEI holds the constraints itself, sample by sample.
        let constraints = if matches!(goal, Goal::QImprovement(_)) {
            Vec::new()
        } else {
            constraint_gps.iter().map(|(gp, t)| (gp, *t)).collect()
        };
        let cost_gp = if self.options.cost_aware {
            self.cost_gp(view, &trials, &x, &categorical, &mut attrs)
        } else {
            None
        };
        let cost = cost_gp
            .as_ref()
            .map(|(gp, std)| (gp, view.cost_cooling * std));
        let acquisition = Acquisition {
            goal,
            constraints,
            cost,
        };
        let dims: Vec<Dim> = params.iter().map(|p| dim(&p.distribution)).collect();
        let search = Search {
            dims: &dims,
            // Optuna's mean length scale over the objectives' GPs.
            lengthscales: (0..dims.len())
                .map(|j| {
                    objectives
                        .iter()
                        .map(|gp| 1.0 / gp.inverse_sq_lengthscales[j].sqrt())
                        .sum::<f64>()
                        / objectives.len() as f64
                })
                .collect(),
            n_preliminary: self.options.n_preliminary_samples,
            n_local_search: self.options.n_local_search,
            parallel: x.len() >= PARALLEL_ROWS,
        };
        let point = search.maximize(&acquisition, &warm, rng);
        let values = crate::sort::collect_map(
            params
                .iter()
                .zip(&point)
                .map(|(p, u)| (p.name.clone(), unnormalize(&p.distribution, *u))),
        );
        Ok(Relative {
            values,
            study_attrs: attrs,
            ..Relative::default()
        })
    }

    fn after_trial(&mut self, _view: &StudyView<'_>, trial: &FrozenTrial) {
        if trial.state == TrialState::Complete {
            self.intersection.add(trial);
            self.complete.push(trial.number);
        }
        if self.options.cost_aware
            && trial.state == TrialState::Pruned
            && last_finite_report(trial).is_some()
        {
            self.pruned.push(trial.number);
        }
    }
}

impl crate::samplers::SamplerKind for GpOptions {
    fn build(&self, _seed: u64) -> Box<dyn crate::samplers::Sampler> {
        Box::new(GpSampler::new(self.clone()))
    }

    fn checked(self) -> Result<Self> {
        self.validated()
    }
}
