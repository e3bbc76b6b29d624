//! The native module of the Python package, `edgetune._native`: one class, `NativeStudy`,
//! over `edgetune_core::Study`. It only converts: options, distributions, outcomes and
//! trials cross as JSON text, and every core error becomes a Python exception that names
//! the field (`ValueError`, `KeyError`, `RuntimeError`). The Optuna-shaped API is the
//! pure-Python layer in `python/src/edgetune`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use edgetune_core as core;
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;

/// A core error as the Python exception of its kind.
fn py_error(e: core::Error) -> PyErr {
    match &e {
        core::Error::TrialNotFound { .. } => PyKeyError::new_err(e.to_string()),
        core::Error::NotAvailable(_) | core::Error::BudgetExhausted { .. } => {
            PyRuntimeError::new_err(e.to_string())
        }
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// JSON text from Python, parsed, or a `ValueError` naming `field`.
fn parse<T: serde::de::DeserializeOwned>(text: &str, field: &str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| PyValueError::new_err(format!("{field}: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn clock() -> core::study::Clock {
    Box::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    })
}

fn fresh_seed() -> PyResult<u64> {
    edgetune_api::entropy::fresh_seed().map_err(|f| PyRuntimeError::new_err(f.message))
}

/// A config from a study spec's JSON (the HTTP create body), with TPE and no pruner
/// as the defaults.
fn config_of(spec: &str) -> PyResult<core::StudyConfig> {
    let spec: core::StudySpec = parse(spec, "study options")?;
    spec.into_config(fresh_seed()?, &"tpe".into(), &"none".into())
        .map_err(|e| match e {
            // Python's argument is `study_name`.
            core::Error::InvalidConfig { field, reason } if field == "name" => {
                PyValueError::new_err(format!("study_name: {reason}"))
            }
            other => py_error(other),
        })
}

/// A study in this process.
#[pyclass(module = "edgetune._native")]
struct NativeStudy {
    inner: Mutex<core::Study>,
}

impl NativeStudy {
    /// A numeric suggestion, its distribution checked as `suggest` checks it.
    fn number_of(
        &self,
        number: u64,
        name: &str,
        distribution: &core::Distribution,
    ) -> PyResult<f64> {
        let value = self
            .study()?
            .suggest(number, name, distribution)
            .map_err(py_error)?;
        value.as_f64().ok_or_else(|| {
            PyValueError::new_err(format!("{name}: holds a non-numeric value in this trial"))
        })
    }

    fn of(mut study: core::Study) -> Self {
        study.set_clock(Some(clock()));
        NativeStudy {
            inner: Mutex::new(study),
        }
    }

    fn study(&self) -> PyResult<MutexGuard<'_, core::Study>> {
        self.inner
            .lock()
            .map_err(|_| PyRuntimeError::new_err("the study was poisoned by a panic"))
    }
}

#[pymethods]
impl NativeStudy {
    /// A new study from a spec's JSON: `study_name`, `directions`, `sampler`, `pruner`,
    /// `seed`, `history_window`, `cost_budget`, `stopping`, `metric_names`, ….
    #[staticmethod]
    fn create(spec: &str) -> PyResult<Self> {
        Ok(NativeStudy::of(
            core::Study::create(config_of(spec)?).map_err(py_error)?,
        ))
    }

    /// The study of a journal's JSON text (`to_journal`, or the npm package's).
    #[staticmethod]
    fn from_journal(text: &str) -> PyResult<Self> {
        Ok(NativeStudy::of(
            core::Study::from_journal_json(text).map_err(py_error)?,
        ))
    }

    /// The study `from_study_name` of an Optuna journal file's text, created with `spec`.
    #[staticmethod]
    #[pyo3(signature = (text, from_study_name, spec))]
    fn from_optuna_journal(
        text: &str,
        from_study_name: Option<&str>,
        spec: &str,
    ) -> PyResult<Self> {
        let study =
            core::optuna::import(text, from_study_name, config_of(spec)?).map_err(py_error)?;
        Ok(NativeStudy::of(study))
    }

    /// The journal's JSON text.
    fn to_journal(&self) -> PyResult<String> {
        Ok(self.study()?.to_journal().to_json())
    }

    /// The study as an Optuna journal file's text (JSON lines).
    fn to_optuna_journal(&self) -> PyResult<String> {
        core::optuna::export(&*self.study()?).map_err(py_error)
    }

    /// The study's name.
    fn name(&self) -> PyResult<String> {
        Ok(self.study()?.name().to_string())
    }

    /// `"minimize"` or `"maximize"`, per objective.
    fn directions(&self) -> PyResult<Vec<String>> {
        Ok(self
            .study()?
            .directions()
            .iter()
            .map(|d| d.as_str().to_string())
            .collect())
    }

    /// Starts a trial (an enqueued one first); returns its number.
    fn ask(&self) -> PyResult<u64> {
        self.study()?.ask().map_err(py_error)
    }

    /// Suggests `name` from `distribution` (its JSON) in RUNNING trial `number`; returns
    /// the value's JSON.
    fn suggest(&self, number: u64, name: &str, distribution: &str) -> PyResult<String> {
        let distribution: core::Distribution = parse(distribution, "distribution")?;
        let value = self
            .study()?
            .suggest(number, name, &distribution)
            .map_err(py_error)?;
        Ok(json(&value))
    }

    /// Suggests float `name` from `[low, high]` (on a log scale, or a grid of `step`)
    /// in RUNNING trial `number`: `suggest` without the detour through JSON.
    #[pyo3(signature = (number, name, low, high, log=false, step=None))]
    fn suggest_float(
        &self,
        number: u64,
        name: &str,
        low: f64,
        high: f64,
        log: bool,
        step: Option<f64>,
    ) -> PyResult<f64> {
        let distribution = core::Distribution::Float {
            low,
            high,
            log,
            step,
        };
        self.number_of(number, name, &distribution)
    }

    /// Suggests integer `name` from `[low, high]` (on a log scale, or a grid of `step`).
    #[pyo3(signature = (number, name, low, high, log=false, step=1))]
    fn suggest_int(
        &self,
        number: u64,
        name: &str,
        low: i64,
        high: i64,
        log: bool,
        step: i64,
    ) -> PyResult<i64> {
        let distribution = core::Distribution::Int {
            low,
            high,
            log,
            step,
        };
        Ok(self.number_of(number, name, &distribution)? as i64)
    }

    /// Records an intermediate value.
    fn report(&self, number: u64, step: u64, value: f64) -> PyResult<()> {
        self.study()?.report(number, step, value).map_err(py_error)
    }

    /// Whether the pruner stops the trial now.
    fn should_prune(&self, number: u64) -> PyResult<bool> {
        self.study()?.should_prune(number).map_err(py_error)
    }

    /// Finishes RUNNING trial `number`: `state` is `complete` (with `values`), `pruned`
    /// or `fail` (with an optional `reason`). Returns the final state's name.
    #[pyo3(signature = (number, state, values=None, reason=None))]
    fn tell(
        &self,
        number: u64,
        state: &str,
        values: Option<Vec<f64>>,
        reason: Option<String>,
    ) -> PyResult<String> {
        let outcome = match (state, values) {
            ("complete", Some(values)) => core::Outcome::Values(values),
            ("complete", None) => {
                return Err(PyValueError::new_err(
                    "values: a COMPLETE trial needs its values",
                ))
            }
            ("pruned", _) => core::Outcome::Pruned,
            ("fail", _) => core::Outcome::Fail(reason),
            (other, _) => {
                return Err(PyValueError::new_err(format!(
                    "state: {other:?} is not complete, pruned or fail"
                )))
            }
        };
        let state = self.study()?.tell(number, outcome).map_err(py_error)?;
        Ok(state.as_str().to_string())
    }

    /// Enqueues a WAITING trial with fixed parameters (a JSON object); returns its
    /// number.
    fn enqueue(&self, params: &str) -> PyResult<u64> {
        let params: BTreeMap<String, core::ParamValue> = parse(params, "params")?;
        self.study()?.enqueue(params).map_err(py_error)
    }

    /// Adds a finished trial: parameters (JSON object of user-facing values), their
    /// distributions (JSON object), `state` (`complete`, `pruned` or `fail`), the values
    /// of a COMPLETE one and user attributes. All or nothing. Returns its number.
    fn add_trial(
        &self,
        params: &str,
        distributions: &str,
        state: &str,
        values: Option<Vec<f64>>,
        user_attrs: &str,
    ) -> PyResult<u64> {
        let params: BTreeMap<String, core::ParamValue> = parse(params, "trial.params")?;
        let distributions: BTreeMap<String, core::Distribution> =
            parse(distributions, "trial.distributions")?;
        let user_attrs: BTreeMap<String, Value> = parse(user_attrs, "trial.user_attrs")?;
        let space = core::SearchSpace(
            distributions
                .into_iter()
                .map(|(name, distribution)| core::Param { name, distribution })
                .collect(),
        )
        .validated()
        .map_err(|e| py_error(e.within("trial.distributions")))?;
        let outcome = match (state, values) {
            ("complete", Some(values)) => core::Outcome::Values(values),
            ("pruned", _) => core::Outcome::Pruned,
            ("fail", _) => core::Outcome::Fail(None),
            _ => {
                return Err(PyValueError::new_err(
                    "trial.state: must be complete (with values), pruned or fail",
                ))
            }
        };
        self.study()?
            .add_trial_with_attrs(&params, &space, outcome, &user_attrs)
            .map_err(py_error)
    }

    /// Sets a study user attribute (a JSON value).
    fn set_user_attr(&self, key: &str, value: &str) -> PyResult<()> {
        let value: Value = parse(value, "value")?;
        self.study()?.set_user_attr(key, value).map_err(py_error)
    }

    /// Sets a user attribute of RUNNING trial `number`.
    fn set_trial_user_attr(&self, number: u64, key: &str, value: &str) -> PyResult<()> {
        let value: Value = parse(value, "value")?;
        self.study()?
            .set_trial_user_attr(number, key, value)
            .map_err(py_error)
    }

    /// Sets the constraint values of RUNNING trial `number` (`<= 0` is feasible).
    fn set_constraints(&self, number: u64, values: Vec<f64>) -> PyResult<()> {
        self.study()?
            .set_constraints(number, values)
            .map_err(py_error)
    }

    /// Names the objectives.
    fn set_metric_names(&self, names: Vec<String>) -> PyResult<()> {
        self.study()?.set_metric_names(names).map_err(py_error)
    }

    /// The study's user attributes, as a JSON object.
    fn user_attrs(&self) -> PyResult<String> {
        Ok(json(self.study()?.user_attrs()))
    }

    /// The metric names, if set.
    fn metric_names(&self) -> PyResult<Option<Vec<String>>> {
        Ok(self.study()?.metric_names())
    }

    /// Every trial, as a JSON array of frozen trials (numbers, states, internal and
    /// user-facing parameters, distributions, values, attributes, times).
    fn trials(&self) -> PyResult<String> {
        let study = self.study()?;
        let trials = study.all_trials().map_err(py_error)?;
        Ok(json(&trials.iter().map(frozen).collect::<Vec<_>>()))
    }

    /// Trial `number`, as `trials` gives it.
    fn trial(&self, number: u64) -> PyResult<String> {
        let study = self.study()?;
        Ok(json(&frozen(study.trial(number).map_err(py_error)?)))
    }

    /// How many trials there are.
    fn n_trials(&self) -> PyResult<u64> {
        Ok(self.study()?.n_trials())
    }

    /// The best trial (single objective), as `trials` gives it.
    fn best_trial(&self) -> PyResult<String> {
        let study = self.study()?;
        Ok(json(&frozen(study.best_trial().map_err(py_error)?)))
    }

    /// The Pareto-optimal trials.
    fn best_trials(&self) -> PyResult<String> {
        let study = self.study()?;
        Ok(json(
            &study
                .best_trials()
                .into_iter()
                .map(frozen)
                .collect::<Vec<_>>(),
        ))
    }

    /// Parameter importances: a JSON array of [name, importance], most important first.
    #[pyo3(signature = (evaluator, target_quantile=None, region_quantile=None))]
    fn importance(
        &self,
        evaluator: &str,
        target_quantile: Option<f64>,
        region_quantile: Option<f64>,
    ) -> PyResult<String> {
        let mut options = core::analysis::PedAnovaOptions::default();
        options.target_quantile = target_quantile.unwrap_or(options.target_quantile);
        options.region_quantile = region_quantile.unwrap_or(options.region_quantile);
        let study = self.study()?;
        let ranked = study.importance(evaluator, &options).map_err(py_error)?;
        Ok(json(&ranked))
    }
}

/// A trial's JSON for the Python layer: the user-facing record plus its system
/// attributes and its parameters' internal values.
fn frozen(t: &core::FrozenTrial) -> Value {
    let mut record = serde_json::to_value(t.to_record()).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut record {
        map.insert(
            "system_attrs".into(),
            serde_json::to_value(&*t.system_attrs).unwrap_or_default(),
        );
        map.insert(
            "internal_params".into(),
            serde_json::to_value(t.params.to_values()).unwrap_or_default(),
        );
    }
    record
}

/// The native half of the `edgetune` Python package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeStudy>()?;
    Ok(())
}
