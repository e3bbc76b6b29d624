//! # edgetune-wasm
//!
//! wasm-bindgen bindings of edgetune-core for the npm package `edgetune`. This crate
//! only converts: it wraps [`edgetune_core::Study`] and turns values and errors into
//! their JS forms (see `interop`). The TypeScript in `js/` builds the user API on it.
#![warn(missing_docs)]

pub mod interop;

use edgetune_core as core;
use interop::{core_error, error_value, from_js, to_js};
use wasm_bindgen::prelude::*;

/// A study, owned by JS. Use the `Study` class of the `edgetune` package instead.
#[wasm_bindgen]
pub struct WasmStudy {
    inner: core::Study,
}

fn clock() -> Option<core::Clock> {
    Some(Box::new(js_sys::Date::now))
}

type JsResult<T> = Result<T, JsValue>;

#[wasm_bindgen]
impl WasmStudy {
    /// Creates a study.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CreateStudyOptions | undefined")] options: JsValue,
    ) -> JsResult<WasmStudy> {
        let options = interop::CreateStudyOptions::from_js(options)?;
        let seed = edgetune_api::entropy::fresh_seed().map_err(interop::failure_error)?;
        let config = options.into_config(seed).map_err(core_error)?;
        let inner = core::Study::create_with_clock(config, clock()).map_err(core_error)?;
        Ok(WasmStudy { inner })
    }

    /// The study `from_study_name` of an Optuna journal's text (its only one when
    /// undefined), as a study created with `options` (its name, sampler, pruner, seed;
    /// the directions are the journal's) holding every trial.
    #[wasm_bindgen(js_name = fromOptunaJournal)]
    pub fn from_optuna_journal(
        text: &str,
        from_study_name: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "CreateStudyOptions | undefined")] options: JsValue,
    ) -> JsResult<WasmStudy> {
        let options = interop::CreateStudyOptions::from_js(options)?;
        let seed = edgetune_api::entropy::fresh_seed().map_err(interop::failure_error)?;
        let config = options.into_config(seed).map_err(core_error)?;
        let mut inner =
            core::optuna::import(text, from_study_name.as_deref(), config).map_err(core_error)?;
        inner.set_clock(clock());
        Ok(WasmStudy { inner })
    }

    /// The study as an Optuna journal's text (JSON lines), which Optuna's
    /// `JournalStorage(JournalFileBackend(path))` and optuna-dashboard open.
    #[wasm_bindgen(js_name = toOptunaJournal)]
    pub fn to_optuna_journal(&self) -> JsResult<String> {
        core::optuna::export(&self.inner).map_err(core_error)
    }

    /// Rebuilds a study from a journal's JSON text.
    #[wasm_bindgen(js_name = fromJournal)]
    pub fn from_journal(text: &str) -> JsResult<WasmStudy> {
        let mut inner = core::Study::from_journal_json(text).map_err(core_error)?;
        inner.set_clock(clock());
        Ok(WasmStudy { inner })
    }

    /// A study from `snapshot()`'s text, caught up with the events of `journal` (the
    /// same study's journal, JSON text) that came after the snapshot.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(snapshot: &str, journal: Option<String>) -> JsResult<WasmStudy> {
        let mut inner = core::Study::from_snapshot(snapshot).map_err(core_error)?;
        if let Some(text) = journal {
            let journal = core::Journal::from_json(&text).map_err(core_error)?;
            let covered = inner.journal_len();
            if journal.events.len() < covered {
                return Err(error_value(
                    "invalid_journal",
                    Some("journal"),
                    &format!(
                        "holds {} events, fewer than the {covered} the snapshot covers",
                        journal.events.len()
                    ),
                ));
            }
            inner
                .apply_journal(journal.events.into_iter().skip(covered))
                .map_err(core_error)?;
        }
        inner.set_clock(clock());
        Ok(WasmStudy { inner })
    }

    /// The study's state as JSON text: `fromSnapshot` wakes it without replaying the
    /// trials that left its history window.
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
    }

    /// The journal as JSON text. A study woken from a snapshot holds only the events
    /// after it, so it has no whole journal to give.
    #[wasm_bindgen(js_name = toJournal)]
    pub fn to_journal(&self) -> JsResult<String> {
        if self.inner.events_base() > 0 {
            return Err(error_value(
                "not_available",
                None,
                "this study was woken from a snapshot: it holds only the events after it, so its journal is the one the snapshot was taken beside",
            ));
        }
        Ok(self.inner.to_journal().to_json())
    }

    /// The study name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_string()
    }

    /// The seed.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> f64 {
        self.inner.config().seed as f64
    }

    /// The directions.
    #[wasm_bindgen(getter, unchecked_return_type = "Direction[]")]
    pub fn directions(&self) -> JsValue {
        to_js(&self.inner.directions())
    }

    /// The sampler name.
    #[wasm_bindgen(getter, js_name = samplerName)]
    pub fn sampler_name(&self) -> String {
        self.inner.config().sampler.name().to_string()
    }

    /// The fixed search space, if the study has one.
    #[wasm_bindgen(getter, js_name = searchSpace, unchecked_return_type = "Param[] | undefined")]
    pub fn search_space(&self) -> JsValue {
        match &self.inner.config().search_space {
            Some(space) => to_js(
                &space
                    .0
                    .iter()
                    .map(|p| {
                        let mut v = serde_json::to_value(&p.distribution).unwrap_or_default();
                        v["name"] = p.name.clone().into();
                        v
                    })
                    .collect::<Vec<_>>(),
            ),
            None => JsValue::UNDEFINED,
        }
    }

    /// Starts a trial, suggesting every parameter of `searchSpace` when one is given.
    /// Returns the trial number.
    pub fn ask(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SearchSpace | undefined")] search_space: JsValue,
    ) -> JsResult<f64> {
        let number = if search_space.is_undefined() || search_space.is_null() {
            self.inner.ask()
        } else {
            let space: interop::SearchSpace = from_js(search_space, "searchSpace")?;
            self.inner.ask_with_space(&space.into())
        }
        .map_err(core_error)?;
        Ok(number as f64)
    }

    /// Suggests a value for parameter `name` of RUNNING trial `number`.
    #[wasm_bindgen(unchecked_return_type = "ParamValue")]
    pub fn suggest(
        &mut self,
        number: f64,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "Distribution")] distribution: JsValue,
    ) -> JsResult<JsValue> {
        let distribution: interop::Distribution = from_js(distribution, "distribution")?;
        let value = self
            .inner
            .suggest(trial_number(number)?, name, &distribution.into())
            .map_err(core_error)?;
        Ok(to_js(&interop::ParamValue::from(value)))
    }

    /// Suggests a float (or, with `int`, an integer) for parameter `name` of RUNNING
    /// trial `number`: `suggest` for numbers, without the detour through a JS object
    /// and JSON (about ten times cheaper a call). The distribution is validated as there.
    #[allow(clippy::too_many_arguments)] // one flat call across the JS boundary
    #[wasm_bindgen(js_name = suggestNumber)]
    pub fn suggest_number(
        &mut self,
        number: f64,
        name: &str,
        int: bool,
        low: f64,
        high: f64,
        log: bool,
        step: Option<f64>,
    ) -> JsResult<f64> {
        // The JS side checked that an int's bounds and step are safe integers.
        let distribution = if int {
            core::Distribution::Int {
                low: low as i64,
                high: high as i64,
                log,
                step: step.map_or(1, |s| s as i64),
            }
        } else {
            core::Distribution::Float {
                low,
                high,
                log,
                step,
            }
        };
        let value = self
            .inner
            .suggest(trial_number(number)?, name, &distribution)
            .map_err(core_error)?;
        value.as_f64().ok_or_else(|| {
            error_value(
                "invalid_argument",
                Some(name),
                "holds a non-numeric value in this trial",
            )
        })
    }

    /// Reports an intermediate value (Optuna's argument order: value, then step), with
    /// what the trial has cost so far.
    pub fn report(
        &mut self,
        number: f64,
        value: f64,
        step: f64,
        cost: Option<f64>,
    ) -> JsResult<()> {
        if !(step >= 0.0 && step.fract() == 0.0 && step <= 9_007_199_254_740_991.0) {
            return Err(error_value(
                "invalid_argument",
                Some("step"),
                &format!("must be a whole number >= 0, got {step}"),
            ));
        }
        self.inner
            .report_with_cost(trial_number(number)?, step as u64, value, cost)
            .map_err(core_error)
    }

    /// Why RUNNING trial `number` should stop now (`"pruner"` or `"cost"`), or
    /// undefined.
    #[wasm_bindgen(js_name = pruneReason, unchecked_return_type = "\"pruner\" | \"cost\" | undefined")]
    pub fn prune_reason(&mut self, number: f64) -> JsResult<JsValue> {
        let reason = self
            .inner
            .prune_reason(trial_number(number)?)
            .map_err(core_error)?;
        Ok(reason.map_or(JsValue::UNDEFINED, |r| r.as_str().into()))
    }

    /// What the study spent against its budget.
    #[wasm_bindgen(unchecked_return_type = "Spending")]
    pub fn spending(&self) -> JsValue {
        to_js(&interop::Spending::from(self.inner.spending()))
    }

    /// How many trials were pruned for cost.
    #[wasm_bindgen(getter, js_name = nPrunedForCost)]
    pub fn n_pruned_for_cost(&self) -> f64 {
        self.inner.n_pruned_for_cost() as f64
    }

    /// Where the stopping rule stands, or undefined without one.
    #[wasm_bindgen(unchecked_return_type = "Convergence | undefined")]
    pub fn convergence(&self) -> JsValue {
        self.inner
            .convergence()
            .map_or(JsValue::UNDEFINED, |c| to_js(&c))
    }

    /// Whether the pruner says to stop RUNNING trial `number` now.
    #[wasm_bindgen(js_name = shouldPrune)]
    pub fn should_prune(&mut self, number: f64) -> JsResult<bool> {
        self.inner
            .should_prune(trial_number(number)?)
            .map_err(core_error)
    }

    /// Finishes RUNNING trial `number`; returns its final state.
    #[wasm_bindgen(unchecked_return_type = "TrialState")]
    pub fn tell(
        &mut self,
        number: f64,
        #[wasm_bindgen(unchecked_param_type = "TellOutcome")] outcome: JsValue,
        cost: Option<f64>,
    ) -> JsResult<String> {
        let outcome = interop::tell_outcome(&outcome)?;
        let state = self
            .inner
            .tell_with_cost(trial_number(number)?, outcome, cost)
            .map_err(core_error)?;
        Ok(state.as_str().to_string())
    }

    /// Sets the constraint values of RUNNING trial `number` (`<= 0` is feasible).
    #[wasm_bindgen(js_name = setConstraints)]
    pub fn set_constraints(&mut self, number: f64, values: Vec<f64>) -> JsResult<()> {
        self.inner
            .set_constraints(trial_number(number)?, values)
            .map_err(core_error)
    }

    /// Enqueues a WAITING trial with fixed parameters; returns its number.
    pub fn enqueue(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, ParamValue>")] params: JsValue,
    ) -> JsResult<f64> {
        let params: std::collections::BTreeMap<String, interop::ParamValue> =
            from_js(params, "params")?;
        let params = params.into_iter().map(|(k, v)| (k, v.into())).collect();
        Ok(self.inner.enqueue(params).map_err(core_error)? as f64)
    }

    /// Sets a study user attribute (any JSON value).
    #[wasm_bindgen(js_name = setUserAttr)]
    pub fn set_user_attr(&mut self, key: &str, value: JsValue) -> JsResult<()> {
        let value: serde_json::Value = from_js(value, "value")?;
        self.inner.set_user_attr(key, value).map_err(core_error)
    }

    /// Sets a user attribute on a RUNNING or WAITING trial.
    #[wasm_bindgen(js_name = setTrialUserAttr)]
    pub fn set_trial_user_attr(&mut self, number: f64, key: &str, value: JsValue) -> JsResult<()> {
        let value: serde_json::Value = from_js(value, "value")?;
        self.inner
            .set_trial_user_attr(trial_number(number)?, key, value)
            .map_err(core_error)
    }

    /// Study user attributes.
    #[wasm_bindgen(getter, js_name = userAttrs, unchecked_return_type = "Record<string, unknown>")]
    pub fn user_attrs(&self) -> JsValue {
        to_js(self.inner.user_attrs())
    }

    /// Every trial, by number. With a history window, the trials that left it are
    /// rebuilt from the journal: O(events) then.
    #[wasm_bindgen(unchecked_return_type = "TrialRecord[]")]
    pub fn trials(&self) -> JsResult<JsValue> {
        let trials = self.inner.all_trials().map_err(core_error)?;
        let records: Vec<interop::TrialRecord> = trials.iter().map(Into::into).collect();
        Ok(to_js(&records))
    }

    /// One trial (in memory: with a history window, the trials that left it are only
    /// in `trials()` and the journal).
    #[wasm_bindgen(unchecked_return_type = "TrialRecord")]
    pub fn trial(&self, number: f64) -> JsResult<JsValue> {
        let trial = self
            .inner
            .trial(trial_number(number)?)
            .map_err(core_error)?;
        Ok(to_js(&interop::TrialRecord::from(trial)))
    }

    /// Number of trials, those that left the history window included.
    #[wasm_bindgen(getter, js_name = nTrials)]
    pub fn n_trials(&self) -> f64 {
        self.inner.n_trials() as f64
    }

    /// The history window, or undefined when the study has none.
    #[wasm_bindgen(getter, js_name = historyWindow)]
    pub fn history_window(&self) -> Option<f64> {
        self.inner.history_window().map(|w| w as f64)
    }

    /// Gives the study a history window of `window` trials (20 to 1,000,000), or a new
    /// size; recorded in the journal.
    #[wasm_bindgen(js_name = setHistoryWindow)]
    pub fn set_history_window(&mut self, window: f64) -> JsResult<()> {
        if !(window.is_finite() && window.fract() == 0.0 && window >= 0.0) {
            return Err(error_value(
                "invalid_argument",
                Some("window"),
                &format!("must be a whole number of trials, got {window}"),
            ));
        }
        self.inner
            .set_history_window(window as u64)
            .map_err(core_error)
    }

    /// The best COMPLETE trial, or undefined when none is complete yet. Throws for a
    /// multi-objective study.
    #[wasm_bindgen(js_name = bestTrial, unchecked_return_type = "TrialRecord | undefined")]
    pub fn best_trial(&self) -> JsResult<JsValue> {
        if self.inner.directions().len() != 1 {
            return Err(error_value(
                "not_available",
                None,
                "bestTrial is defined for single-objective studies",
            ));
        }
        Ok(match self.inner.best_trial() {
            Ok(t) => to_js(&interop::TrialRecord::from(t)),
            Err(_) => JsValue::UNDEFINED,
        })
    }
}

#[wasm_bindgen]
impl WasmStudy {
    /// The best trials: the Pareto front of the COMPLETE trials, by number.
    #[wasm_bindgen(js_name = bestTrials, unchecked_return_type = "TrialRecord[]")]
    pub fn best_trials(&self) -> JsValue {
        let records: Vec<interop::TrialRecord> = self
            .inner
            .best_trials()
            .into_iter()
            .map(Into::into)
            .collect();
        to_js(&records)
    }

    /// The hypervolume of the COMPLETE trials against `reference`.
    pub fn hypervolume(&self, reference: Vec<f64>) -> JsResult<f64> {
        self.inner.hypervolume(&reference).map_err(core_error)
    }

    /// The hypervolume after each of `points` evenly spaced trial numbers, as
    /// `[number, hypervolume]` pairs.
    #[wasm_bindgen(js_name = hypervolumeHistory, unchecked_return_type = "[number, number][]")]
    pub fn hypervolume_history(&self, reference: Vec<f64>, points: usize) -> JsResult<JsValue> {
        let history = self
            .inner
            .hypervolume_history(&reference, points)
            .map_err(core_error)?;
        Ok(to_js(&history))
    }

    /// Parameter importance (`evaluator` "ped_anova", "fanova" or "mdi"), most
    /// important first, as
    /// `[name, importance]` pairs.
    #[wasm_bindgen(unchecked_return_type = "[string, number][]")]
    pub fn importance(
        &self,
        evaluator: &str,
        target_quantile: f64,
        region_quantile: f64,
    ) -> JsResult<JsValue> {
        let options = core::analysis::PedAnovaOptions {
            target_quantile,
            region_quantile,
            ..Default::default()
        };
        let ranked = self
            .inner
            .importance(evaluator, &options)
            .map_err(core_error)?;
        Ok(to_js(&ranked))
    }

    /// The flat trials table: `{columns, rows}`.
    #[wasm_bindgen(js_name = trialsTable, unchecked_return_type = "TrialsTable")]
    pub fn trials_table(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.trials_table().map_err(core_error)?))
    }

    /// The flat trials table as CSV.
    #[wasm_bindgen(js_name = trialsCsv)]
    pub fn trials_csv(&self) -> JsResult<String> {
        Ok(self.inner.trials_table().map_err(core_error)?.to_csv())
    }
}

/// `createStudy`'s options as the HTTP service's create-study body: read and checked as
/// `createStudy` reads them (camelCase), written as the core's study spec (snake_case).
/// What `RemoteStudy` sends, so the local and the remote study take the same options.
#[wasm_bindgen(js_name = studySpec)]
pub fn study_spec(
    #[wasm_bindgen(unchecked_param_type = "CreateStudyOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let options = interop::CreateStudyOptions::from_js(options)?;
    let name = options.study_name.clone().unwrap_or_else(|| "study".into());
    Ok(to_js(&options.to_spec(name)))
}

fn trial_number(n: f64) -> JsResult<u64> {
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        Err(error_value(
            "invalid_argument",
            Some("number"),
            &format!("a trial number is a whole number >= 0, got {n}"),
        ))
    }
}
