//! Telling: intermediate reports and pruning, final outcomes, constraints and
//! attributes of running trials.

use std::collections::BTreeMap;

use serde_json::Value;

use super::cost::{check_cost, PruneReason, PRUNED_FOR_COST};
use super::{Event, JsonF64, Outcome, Study, TrialHandle, MAX_KEY_LEN};
use crate::error::{Error, Result};
use crate::stopping::{Convergence, StopReason, StoppingConfig};
use crate::trial::{FrozenTrial, TrialState};

impl Study {
    /// Reports an intermediate value at `step` for a RUNNING trial. As in Optuna, a
    /// second report for the same step is ignored and the first value kept.
    pub fn report(&mut self, number: u64, step: u64, value: f64) -> Result<()> {
        self.report_with_cost(number, step, value, None)
    }

    /// Reports an intermediate value with what the trial has cost so far (a finite
    /// number >= 0, at least its last cost). The cost counts in the study's spending
    /// at once; the first report of a step wins, its cost included.
    pub fn report_with_cost(
        &mut self,
        number: u64,
        step: u64,
        value: f64,
        cost: Option<f64>,
    ) -> Result<()> {
        if self.config.directions.len() != 1 {
            return Err(Error::NotAvailable(
                "intermediate values are for single-objective studies".into(),
            ));
        }
        let trial = self.running(number)?;
        if let Some(c) = cost {
            check_cost(c, trial.cost())?;
        }
        if trial.intermediate_values.contains_key(&step) {
            return Ok(());
        }
        self.commit(Event::Reported {
            number,
            step,
            value: JsonF64(value),
            cost,
        })
        .map(|_| ())
    }

    /// Whether a RUNNING trial should stop now, by the pruner or by the cost budget.
    pub fn should_prune(&mut self, number: u64) -> Result<bool> {
        Ok(self.prune_reason(number)?.is_some())
    }

    /// Why a RUNNING trial should stop now, if it should: the pruner's verdict first,
    /// then the budget's (see [`Study::spending`]). What the pruner records (successive
    /// halving's rung values, for one) and a stop for cost are stored through the
    /// journal.
    ///
    /// Cost: the pruner's check, O(n) for most pruners, plus O(n) for the budget.
    pub fn prune_reason(&mut self, number: u64) -> Result<Option<PruneReason>> {
        let trial = self.running(number)?;
        let pruning = self.pruner.prune(&self.view(), trial);
        for record in pruning.records {
            self.commit(Event::SystemAttrSet {
                number: record.trial,
                key: record.key,
                value: record.value,
            })?;
        }
        if pruning.prune {
            return Ok(Some(PruneReason::Pruner));
        }
        if !self.over_budget(number) {
            return Ok(None);
        }
        if !self.trials[self.index(number)?]
            .system_attrs
            .contains_key(PRUNED_FOR_COST)
        {
            self.commit(Event::SystemAttrSet {
                number: Some(number),
                key: PRUNED_FOR_COST.to_string(),
                value: Value::Bool(true),
            })?;
        }
        Ok(Some(PruneReason::Cost))
    }

    /// Sets a study system attribute (service bookkeeping, such as a job's cancellation).
    pub fn set_system_attr(&mut self, key: &str, value: Value) -> Result<()> {
        if key.is_empty() || key.len() > MAX_KEY_LEN {
            return Err(Error::invalid(
                "key",
                format!("must be 1 to {MAX_KEY_LEN} bytes long"),
            ));
        }
        self.commit(Event::SystemAttrSet {
            number: None,
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Names the objectives, one name per direction, as Optuna's
    /// `set_metric_names`: 1 to 128 bytes each, all different. They are kept in the
    /// journal (a study system attribute) and replace "objective 0" in views and plots.
    ///
    /// ```
    /// use edgetune_core::{Direction, Study, StudyConfig};
    /// let config = StudyConfig::new("two").with_directions(vec![Direction::Maximize, Direction::Minimize]);
    /// let mut study = Study::create(config).unwrap();
    /// study.set_metric_names(vec!["accuracy".into(), "latency_ms".into()]).unwrap();
    /// assert_eq!(study.metric_names().unwrap(), ["accuracy", "latency_ms"]);
    /// assert!(study.set_metric_names(vec!["accuracy".into()]).is_err());
    /// ```
    pub fn set_metric_names(&mut self, names: Vec<String>) -> Result<()> {
        super::validate_metric_names(&names, self.config.directions.len())?;
        self.set_system_attr(super::METRIC_NAMES, Value::from(names))
    }

    /// Study system attributes (sampler and pruner bookkeeping).
    pub fn system_attrs(&self) -> &BTreeMap<String, Value> {
        &self.system_attrs
    }

    /// Finishes a RUNNING trial and returns its final state (FAIL when a value was NaN).
    /// A finished trial never changes: telling it again is an error.
    ///
    /// Cost: O(1) plus the sampler's `after_trial`.
    pub fn tell(&mut self, number: u64, outcome: Outcome) -> Result<TrialState> {
        self.tell_with_cost(number, outcome, None)
    }

    /// Finishes a RUNNING trial with what it cost in all (a finite number >= 0, at
    /// least its last reported cost; without one, its last reported cost stands).
    ///
    /// Cost: O(1) plus the sampler's `after_trial`.
    pub fn tell_with_cost(
        &mut self,
        number: u64,
        outcome: Outcome,
        cost: Option<f64>,
    ) -> Result<TrialState> {
        if let Outcome::Fail(Some(reason)) = &outcome {
            if reason.len() > super::MAX_FAIL_REASON {
                return Err(Error::invalid(
                    "reason",
                    format!("must be at most {} bytes", super::MAX_FAIL_REASON),
                ));
            }
        }
        let trial = self.running(number)?;
        if let Some(c) = cost {
            check_cost(c, trial.cost())?;
        }
        let (state, values, fail_reason) = match outcome {
            Outcome::Values(values) => {
                self.check_value_count(&values)?;
                if values.iter().any(|v| v.is_nan()) {
                    (
                        TrialState::Fail,
                        None,
                        Some("the objective value is NaN".to_string()),
                    )
                } else {
                    (TrialState::Complete, Some(values), None)
                }
            }
            Outcome::Pruned => {
                let last = trial
                    .intermediate_values
                    .values()
                    .next_back()
                    .copied()
                    .filter(|v| !v.is_nan());
                (TrialState::Pruned, last.map(|v| vec![v]), None)
            }
            Outcome::Fail(reason) => (TrialState::Fail, None, reason),
        };
        self.commit(Event::Told {
            number,
            state,
            values: values.map(|vs| vs.into_iter().map(JsonF64).collect()),
            fail_reason,
            cost,
            at: self.now(),
        })?;
        Ok(state)
    }

    /// Sets the constraint values and tells the outcome in one step: both are checked
    /// before anything is stored, so a bad request changes nothing.
    pub fn tell_with_constraints(
        &mut self,
        number: u64,
        outcome: Outcome,
        constraints: Vec<f64>,
    ) -> Result<TrialState> {
        self.tell_with(number, outcome, Some(constraints), None)
    }

    /// Tells the outcome with optional constraint values and cost, all checked before
    /// anything is stored.
    pub fn tell_with(
        &mut self,
        number: u64,
        outcome: Outcome,
        constraints: Option<Vec<f64>>,
        cost: Option<f64>,
    ) -> Result<TrialState> {
        let trial = self.running(number)?;
        if let Some(c) = cost {
            check_cost(c, trial.cost())?;
        }
        if let Outcome::Values(values) = &outcome {
            self.check_value_count(values)?;
        }
        if let Some(constraints) = constraints {
            check_constraints(&constraints)?;
            self.set_constraints(number, constraints)?;
        }
        self.tell_with_cost(number, outcome, cost)
    }

    /// Sets the constraint values of a RUNNING trial (`<= 0` is feasible), as Optuna's
    /// `Trial.set_constraint`; samplers that handle constraints avoid infeasible regions.
    /// Setting them again replaces them.
    pub fn set_constraints(&mut self, number: u64, values: Vec<f64>) -> Result<()> {
        self.running(number)?;
        check_constraints(&values)?;
        self.commit(Event::ConstraintsSet { number, values })
            .map(|_| ())
    }

    /// Sets a study user attribute.
    pub fn set_user_attr(&mut self, key: &str, value: Value) -> Result<()> {
        self.commit(Event::UserAttrSet {
            number: None,
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Sets a user attribute of a RUNNING or WAITING trial.
    pub fn set_trial_user_attr(&mut self, number: u64, key: &str, value: Value) -> Result<()> {
        self.commit(Event::UserAttrSet {
            number: Some(number),
            key: key.to_string(),
            value,
        })
        .map(|_| ())
    }

    /// Runs `objective` on up to `n_trials` new trials, telling each its outcome (and
    /// the cost it set with [`TrialHandle::set_cost`]). It stops early, and says so,
    /// once the cost budget is spent or the stopping rule fires.
    pub fn optimize<F>(&mut self, n_trials: usize, mut objective: F) -> Result<StopReason>
    where
        F: FnMut(&mut TrialHandle<'_>) -> Outcome,
    {
        for _ in 0..n_trials {
            if self.spending().exhausted() {
                return Ok(StopReason::BudgetExhausted);
            }
            let mut trial = self.ask_trial()?;
            let outcome = objective(&mut trial);
            let (number, cost) = (trial.number(), trial.cost());
            self.tell_with_cost(number, outcome, cost)?;
            if self.convergence().is_some_and(|c| c.converged()) {
                return Ok(StopReason::Converged);
            }
        }
        Ok(StopReason::NTrials)
    }

    /// Where the stopping rule stands, if the study has one. O(1) for
    /// `best_value_stagnation`; a GP fit over the top trials for `regret_bound`,
    /// cached until the next COMPLETE trial.
    pub fn convergence(&self) -> Option<Convergence> {
        let rule = self.config.stopping.as_ref()?;
        Some(match *rule {
            StoppingConfig::BestValueStagnation {
                max_stagnation_trials,
            } => {
                let stagnant_trials = if self.best.is_some() {
                    self.count(TrialState::Complete) - self.best_seen_at
                } else {
                    0
                };
                Convergence::BestValueStagnation {
                    converged: stagnant_trials > max_stagnation_trials,
                    stagnant_trials,
                    max_stagnation_trials,
                }
            }
            StoppingConfig::RegretBound {
                top_trials_ratio,
                min_n_trials,
            } => {
                let n_complete = self.count(TrialState::Complete);
                if let Some((n, cached)) = &*self.regret_cache.borrow() {
                    if *n == n_complete {
                        return Some(cached.clone());
                    }
                }
                // Evaluated once the top share alone holds `min_n_trials` trials: before,
                // the "top" trials are all of them and their spread is the whole range's.
                let top = (n_complete as f64 * top_trials_ratio) as usize;
                let bound = (top >= min_n_trials)
                    .then(|| {
                        crate::samplers::gp::regret_bound(
                            &self.view(),
                            top_trials_ratio,
                            min_n_trials,
                            self.config.seed,
                        )
                    })
                    .flatten();
                let evaluation = Convergence::RegretBound {
                    converged: bound.is_some_and(|(regret, error)| regret < error),
                    regret_bound: bound.map(|b| b.0),
                    error: bound.map(|b| b.1),
                    n_complete,
                    min_n_trials,
                };
                *self.regret_cache.borrow_mut() = Some((n_complete, evaluation.clone()));
                evaluation
            }
        })
    }

    /// One value per direction, or an error naming `values`.
    pub(super) fn check_value_count(&self, values: &[f64]) -> Result<()> {
        let expected = self.config.directions.len();
        if values.len() != expected {
            return Err(Error::invalid(
                "values",
                format!(
                    "the study has {expected} objective(s), got {} value(s)",
                    values.len()
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn running(&self, number: u64) -> Result<&FrozenTrial> {
        let trial = self.trial(number)?;
        if trial.state != TrialState::Running {
            return Err(Error::TrialNotRunning {
                number,
                state: trial.state,
            });
        }
        Ok(trial)
    }
}

/// Constraint values are finite numbers, at most 64 of them.
pub(super) fn check_constraints(values: &[f64]) -> Result<()> {
    if values.is_empty() || values.len() > 64 {
        return Err(Error::invalid("constraints", "give 1 to 64 values"));
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("constraints[{i}]"),
            "must be a finite number",
        ));
    }
    Ok(())
}
