//! Telling: intermediate reports and pruning, final outcomes, constraints and
//! attributes of running trials.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Event, JsonF64, Outcome, Study, TrialHandle, MAX_KEY_LEN};
use crate::error::{Error, Result};
use crate::trial::{FrozenTrial, TrialState};

impl Study {
    /// Reports an intermediate value at `step` for a RUNNING trial. As in Optuna, a
    /// second report for the same step is ignored and the first value kept.
    pub fn report(&mut self, number: u64, step: u64, value: f64) -> Result<()> {
        if self.config.directions.len() != 1 {
            return Err(Error::NotAvailable(
                "intermediate values are for single-objective studies".into(),
            ));
        }
        let trial = self.running(number)?;
        if trial.intermediate_values.contains_key(&step) {
            return Ok(());
        }
        self.commit(Event::Reported {
            number,
            step,
            value: JsonF64(value),
        })
        .map(|_| ())
    }

    /// Asks the pruner whether a RUNNING trial should stop now. What the pruner records
    /// (successive halving's rung values, for one) is stored through the journal.
    ///
    /// Cost: the pruner's check, O(n) for most pruners.
    pub fn should_prune(&mut self, number: u64) -> Result<bool> {
        let trial = self.running(number)?;
        let pruning = self.pruner.prune(&self.view(), trial);
        for record in pruning.records {
            self.commit(Event::SystemAttrSet {
                number: record.trial,
                key: record.key,
                value: record.value,
            })?;
        }
        Ok(pruning.prune)
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
        let expected = self.config.directions.len();
        if names.len() != expected {
            return Err(Error::invalid(
                "metric_names",
                format!(
                    "give one name per objective: {expected}, got {}",
                    names.len()
                ),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if name.is_empty() || name.len() > 128 {
                return Err(Error::invalid(
                    format!("metric_names[{i}]"),
                    "must be 1 to 128 bytes long",
                ));
            }
            if names[..i].contains(name) {
                return Err(Error::invalid(
                    format!("metric_names[{i}]"),
                    format!("{name:?} names two objectives"),
                ));
            }
        }
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
        let trial = self.running(number)?;
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
        self.running(number)?;
        check_constraints(&constraints)?;
        if let Outcome::Values(values) = &outcome {
            self.check_value_count(values)?;
        }
        self.set_constraints(number, constraints)?;
        self.tell(number, outcome)
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

    /// Runs `objective` on `n_trials` new trials, telling each its outcome.
    pub fn optimize<F>(&mut self, n_trials: usize, mut objective: F) -> Result<()>
    where
        F: FnMut(&mut TrialHandle<'_>) -> Outcome,
    {
        for _ in 0..n_trials {
            let mut trial = self.ask_trial()?;
            let outcome = objective(&mut trial);
            let number = trial.number();
            self.tell(number, outcome)?;
        }
        Ok(())
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
