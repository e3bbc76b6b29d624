//! Define-by-run: a borrowed handle on a RUNNING trial.

use serde_json::Value;

use crate::distributions::{Distribution, ParamValue};
use crate::error::{Error, Result};
use crate::study::Study;

/// A RUNNING trial of a study, for `suggest_*`, `report` and `should_prune` calls, as
/// Optuna's `Trial`. Tell the outcome with [`Study::tell`] and [`TrialHandle::number`].
pub struct TrialHandle<'a> {
    study: &'a mut Study,
    number: u64,
    cost: Option<f64>,
}

impl<'a> TrialHandle<'a> {
    pub(crate) fn new(study: &'a mut Study, number: u64) -> Self {
        TrialHandle {
            study,
            number,
            cost: None,
        }
    }

    /// The trial number.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Suggests any distribution.
    pub fn suggest(&mut self, name: &str, distribution: &Distribution) -> Result<ParamValue> {
        self.study.suggest(self.number, name, distribution)
    }

    /// A float in `[low, high]`.
    pub fn suggest_float(&mut self, name: &str, low: f64, high: f64) -> Result<f64> {
        self.suggest_float_with(name, low, high, false, None)
    }

    /// A float in `[low, high]`, on a log scale or a grid of `step`.
    pub fn suggest_float_with(
        &mut self,
        name: &str,
        low: f64,
        high: f64,
        log: bool,
        step: Option<f64>,
    ) -> Result<f64> {
        let d = Distribution::float(low, high, log, step).map_err(|e| e.within("distribution"))?;
        match self.suggest(name, &d)? {
            ParamValue::Float(v) => Ok(v),
            other => Err(Error::invalid("distribution", format!("got {other}"))),
        }
    }

    /// An integer in `[low, high]`.
    pub fn suggest_int(&mut self, name: &str, low: i64, high: i64) -> Result<i64> {
        self.suggest_int_with(name, low, high, false, 1)
    }

    /// An integer in `[low, high]`, on a log scale or a grid of `step`.
    pub fn suggest_int_with(
        &mut self,
        name: &str,
        low: i64,
        high: i64,
        log: bool,
        step: i64,
    ) -> Result<i64> {
        let d = Distribution::int(low, high, log, step).map_err(|e| e.within("distribution"))?;
        match self.suggest(name, &d)? {
            ParamValue::Int(v) => Ok(v),
            other => Err(Error::invalid("distribution", format!("got {other}"))),
        }
    }

    /// One of `choices`.
    pub fn suggest_categorical(
        &mut self,
        name: &str,
        choices: Vec<ParamValue>,
    ) -> Result<ParamValue> {
        let d = Distribution::categorical(choices).map_err(|e| e.within("distribution"))?;
        self.suggest(name, &d)
    }

    /// Reports an intermediate value.
    pub fn report(&mut self, step: u64, value: f64) -> Result<()> {
        self.study.report(self.number, step, value)
    }

    /// Reports an intermediate value with what the trial has cost so far.
    pub fn report_with_cost(&mut self, step: u64, value: f64, cost: f64) -> Result<()> {
        self.study
            .report_with_cost(self.number, step, value, Some(cost))
    }

    /// Whether the pruner, or the cost budget, says to stop now.
    pub fn should_prune(&mut self) -> Result<bool> {
        self.study.should_prune(self.number)
    }

    /// Sets what the trial cost in all, told with its outcome by [`Study::optimize`].
    pub fn set_cost(&mut self, cost: f64) -> Result<()> {
        super::cost::check_cost(cost, self.study.trial(self.number)?.cost())?;
        self.cost = Some(cost);
        Ok(())
    }

    /// The cost given with [`TrialHandle::set_cost`].
    pub fn cost(&self) -> Option<f64> {
        self.cost
    }

    /// Sets the trial's constraint values (<= 0 is feasible).
    pub fn set_constraints(&mut self, values: Vec<f64>) -> Result<()> {
        self.study.set_constraints(self.number, values)
    }

    /// Sets a user attribute on the trial.
    pub fn set_user_attr(&mut self, key: &str, value: Value) -> Result<()> {
        self.study.set_trial_user_attr(self.number, key, value)
    }
}
