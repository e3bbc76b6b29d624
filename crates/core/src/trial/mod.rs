//! Trials: their states and their frozen record.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::distributions::{Distribution, ParamValue};

mod params;
mod sparse;
mod wire;

pub use params::{ParamDef, ParamTable, Params};
pub use sparse::{Collection, Sparse};

/// The life cycle of a trial, as in Optuna. A finished trial never changes.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TrialState {
    /// Asked and being evaluated.
    Running,
    /// Told with values.
    Complete,
    /// Stopped early by a pruner or by the user.
    Pruned,
    /// Failed (an error, or a NaN value).
    Fail,
    /// Enqueued with fixed parameters, not asked yet.
    Waiting,
}

impl TrialState {
    /// All states, in Optuna's order.
    pub const ALL: [TrialState; 5] = [
        TrialState::Running,
        TrialState::Complete,
        TrialState::Pruned,
        TrialState::Fail,
        TrialState::Waiting,
    ];

    /// True for COMPLETE, PRUNED and FAIL.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            TrialState::Complete | TrialState::Pruned | TrialState::Fail
        )
    }

    /// The upper-case name, as Optuna prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            TrialState::Running => "RUNNING",
            TrialState::Complete => "COMPLETE",
            TrialState::Pruned => "PRUNED",
            TrialState::Fail => "FAIL",
            TrialState::Waiting => "WAITING",
        }
    }

    /// Parses a state name, case-insensitively.
    pub fn parse(name: &str) -> Option<TrialState> {
        TrialState::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for TrialState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter sampled jointly at ask time, used when the trial suggests it with the
/// same distribution.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelativeParam {
    /// The distribution the sampler used.
    pub distribution: Distribution,
    /// The internal value.
    pub value: f64,
}

/// Everything known about one trial. Samplers and pruners read it; only the study
/// changes it, and only while it is RUNNING or WAITING. Its serde form is what a
/// study's snapshot holds (non-finite values as the strings of [`crate::study::JsonF64`]).
///
/// Compact: the parameters are a small vector whose names and distributions the study
/// shares between trials ([`Params`]), and empty maps cost a pointer ([`Sparse`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::Trial", from = "wire::Trial")]
pub struct FrozenTrial {
    /// Number, from 0, in order of creation.
    pub number: u64,
    /// Current state.
    pub state: TrialState,
    /// False when the trial finished after the study's spending passed its budget:
    /// such a trial is never the best one.
    pub within_budget: bool,
    /// Objective values, one per direction, for COMPLETE trials.
    pub values: Option<Vec<f64>>,
    /// The parameters: internal value and distribution by name, and the order they
    /// were set in (define-by-run order).
    pub params: Params,
    /// Intermediate values by step.
    pub intermediate_values: Sparse<BTreeMap<u64, f64>>,
    /// User attributes.
    pub user_attrs: Sparse<BTreeMap<String, Value>>,
    /// Parameters fixed by `enqueue`.
    pub fixed_params: Sparse<BTreeMap<String, ParamValue>>,
    /// Parameters sampled jointly when the trial was asked.
    pub relative_params: Sparse<BTreeMap<String, RelativeParam>>,
    /// Constraint values (`<= 0` is feasible), as Optuna's `Trial.set_constraint`.
    pub constraints: Option<Vec<f64>>,
    /// Bookkeeping of samplers and pruners (such as successive halving's rung values).
    pub system_attrs: Sparse<BTreeMap<String, Value>>,
    /// Why the trial failed, when it did and a reason was given.
    pub fail_reason: Option<String>,
    /// When the trial started running: [`FrozenTrial::datetime_start`].
    datetime_start: Compact,
    /// When the trial finished: [`FrozenTrial::datetime_complete`].
    datetime_complete: Compact,
    /// What the trial has cost: [`FrozenTrial::cost`].
    cost: Compact,
    /// The cost so far at each reported step that carried one.
    pub step_costs: Sparse<BTreeMap<u64, f64>>,
}

/// An `Option<f64>` in the eight bytes of an `f64`, where wasm32 spends sixteen on one
/// (a trial holds three, and a study may hold 100,000 trials): NaN is None. For times
/// and costs, which are finite.
#[derive(Clone, Copy)]
pub(crate) struct Compact(f64);

impl Compact {
    const NONE: Compact = Compact(f64::NAN);

    pub(super) fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

impl From<Option<f64>> for Compact {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Compact::NONE, Compact)
    }
}

impl PartialEq for Compact {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for Compact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl FrozenTrial {
    /// When the trial started running (ms since the Unix epoch), if a clock was set.
    pub fn datetime_start(&self) -> Option<f64> {
        self.datetime_start.get()
    }

    /// When the trial finished (ms since the Unix epoch), if a clock was set.
    pub fn datetime_complete(&self) -> Option<f64> {
        self.datetime_complete.get()
    }

    /// What the trial has cost: so far while it runs, in all once it finished; in the
    /// study's cost unit. None when no cost was given.
    pub fn cost(&self) -> Option<f64> {
        self.cost.get()
    }

    /// Sets when the trial started (a NaN is taken as None).
    pub(crate) fn set_datetime_start(&mut self, at: Option<f64>) {
        self.datetime_start = at.into();
    }

    /// Sets when the trial finished (a NaN is taken as None).
    pub(crate) fn set_datetime_complete(&mut self, at: Option<f64>) {
        self.datetime_complete = at.into();
    }

    /// Sets what the trial has cost (a NaN is taken as None).
    pub(crate) fn set_cost(&mut self, cost: Option<f64>) {
        self.cost = cost.into();
    }

    pub(crate) fn new(number: u64, state: TrialState) -> Self {
        FrozenTrial {
            number,
            state,
            within_budget: true,
            values: None,
            params: Params::default(),
            intermediate_values: Sparse::default(),
            user_attrs: Sparse::default(),
            fixed_params: Sparse::default(),
            relative_params: Sparse::default(),
            constraints: None,
            system_attrs: Sparse::default(),
            fail_reason: None,
            datetime_start: Compact::NONE,
            datetime_complete: Compact::NONE,
            cost: Compact::NONE,
            step_costs: Sparse::default(),
        }
    }

    /// The single objective value, for a COMPLETE single-objective trial.
    pub fn value(&self) -> Option<f64> {
        match self.values.as_deref() {
            Some([v]) => Some(*v),
            _ => None,
        }
    }

    /// A parameter's internal value: the suggested one, or else the sampler's relative
    /// value (a running trial asked in a batch may have only that yet).
    pub fn point_value(&self, name: &str) -> Option<f64> {
        self.params
            .get(name)
            .or_else(|| self.relative_params.get(name).map(|r| r.value))
    }

    /// The user-facing value of a parameter.
    pub fn param(&self, name: &str) -> Option<ParamValue> {
        let internal = self.params.get(name)?;
        self.params.distribution(name)?.to_external(internal).ok()
    }

    /// All parameters, user-facing.
    pub fn external_params(&self) -> BTreeMap<String, ParamValue> {
        crate::sort::collect_map(
            self.params
                .entries()
                .filter_map(|(name, d, v)| Some((name.to_string(), d.to_external(v).ok()?))),
        )
    }

    /// How much the constraints are violated: the sum of the positive constraint
    /// values (0 for a feasible trial or one without constraints), as Optuna.
    pub fn infeasibility(&self) -> f64 {
        self.constraints
            .as_deref()
            .map_or(0.0, |c| c.iter().filter(|v| **v > 0.0).sum())
    }

    /// The last reported step, if any.
    pub fn last_step(&self) -> Option<u64> {
        self.intermediate_values.keys().next_back().copied()
    }

    /// The serializable, user-facing form of this trial.
    pub fn to_record(&self) -> TrialRecord {
        TrialRecord {
            number: self.number,
            state: self.state,
            value: self.value(),
            values: self.values.clone(),
            params: self.external_params(),
            distributions: self.params.to_distributions(),
            intermediate_values: self
                .intermediate_values
                .iter()
                .map(|(step, v)| (step.to_string(), *v))
                .collect(),
            user_attrs: (*self.user_attrs).clone(),
            constraints: self.constraints.clone(),
            fail_reason: self.fail_reason.clone(),
            datetime_start: self.datetime_start(),
            datetime_complete: self.datetime_complete(),
            cost: self.cost(),
        }
    }
}

/// A trial as users and clients see it (snake_case; the JS package camel-cases it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// Trial number.
    pub number: u64,
    /// State name, such as `COMPLETE`.
    pub state: TrialState,
    /// The single objective value, for single-objective studies.
    pub value: Option<f64>,
    /// All objective values.
    pub values: Option<Vec<f64>>,
    /// Parameters by name.
    pub params: BTreeMap<String, ParamValue>,
    /// Distributions by name.
    pub distributions: BTreeMap<String, Distribution>,
    /// Intermediate values; JSON keys are the steps.
    pub intermediate_values: BTreeMap<String, f64>,
    /// User attributes.
    pub user_attrs: BTreeMap<String, Value>,
    /// Constraint values (`<= 0` is feasible).
    pub constraints: Option<Vec<f64>>,
    /// Why the trial failed.
    pub fail_reason: Option<String>,
    /// Start time, ms since the Unix epoch.
    pub datetime_start: Option<f64>,
    /// End time, ms since the Unix epoch.
    pub datetime_complete: Option<f64>,
    /// What the trial cost (so far, while it runs), in the study's cost unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
}
