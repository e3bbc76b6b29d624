//! Asking: starting trials, suggesting their parameters, and enqueueing fixed ones.

use std::collections::BTreeMap;

use super::{Event, Outcome, Study, TrialHandle};
use crate::distributions::{validate_param_name, Distribution, ParamValue, SearchSpace};
use crate::error::{Error, Result};
use crate::rng;
use crate::transform;
use crate::trial::FrozenTrial;
use crate::trial::{RelativeParam, TrialState};
use crate::view::StudyView;

impl Study {
    /// Starts a trial: the oldest WAITING one, or a new one. The sampler draws its
    /// relative parameters now; the rest are drawn as the trial suggests them.
    ///
    /// Cost: O(log W) for W waiting trials, plus the sampler's relative sampling
    /// (nothing for the random sampler).
    pub fn ask(&mut self) -> Result<u64> {
        let event = self.next_asked_event()?;
        self.commit(event)
    }

    /// Starts a trial and suggests every parameter of `space` at once. Nothing is
    /// stored when a parameter is invalid. Cost: [`Study::ask`] plus one independent
    /// sample per parameter outside the relative space.
    pub fn ask_with_space(&mut self, space: &SearchSpace) -> Result<u64> {
        let space = space
            .clone()
            .validated()
            .map_err(|e| e.within("search_space"))?;
        let asked = self.next_asked_event()?;
        let Event::Asked { number, .. } = asked else {
            unreachable!("next_asked_event builds an Asked event")
        };
        // Enqueued values must fit the space before anything is stored.
        if let Some(waiting) = self.slot(number).map(|i| &self.trials[i]) {
            for p in &space.0 {
                if let Some(fixed) = waiting.fixed_params.get(&p.name) {
                    fixed_internal(&p.name, fixed, &p.distribution)?;
                }
            }
        }
        let mark = self.events.len();
        self.commit(asked)?;
        for p in &space.0 {
            if let Err(e) = self.suggest(number, &p.name, &p.distribution) {
                // A sampler refused a parameter (a grid value outside its distribution,
                // a float the brute-force sampler cannot enumerate): undo the ask.
                self.rewind(mark);
                return Err(e);
            }
        }
        Ok(number)
    }

    /// Drops every event from `mark` (an index into [`Study::events`]) on by
    /// replaying the ones before it, from the study's snapshot if it was loaded from
    /// one, so a failed compound operation stores nothing. O(events), on the error
    /// path only.
    pub(super) fn rewind(&mut self, mark: usize) {
        if self.events_base > 0 && self.base.is_none() {
            // The events before are only in the store (see `forget_events`): the store
            // reloads the study, as it does after any failed request.
            return;
        }
        let clock = self.clock.take();
        let events = self.events.prefix(mark);
        let rebuilt = match self.base.clone() {
            Some(base) => Study::from_snapshot(&base).and_then(|mut study| {
                for event in events {
                    study.commit(event)?;
                }
                Ok(study)
            }),
            None => Study::replay(events),
        };
        match rebuilt {
            Ok(study) => *self = study,
            Err(e) => debug_assert!(false, "a prefix of a valid journal replays: {e}"),
        }
        self.clock = clock;
    }

    /// Starts a trial and returns a handle for define-by-run suggestions.
    pub fn ask_trial(&mut self) -> Result<TrialHandle<'_>> {
        let number = self.ask()?;
        Ok(TrialHandle::new(self, number))
    }

    /// A handle on a RUNNING trial, for define-by-run suggestions.
    pub fn trial_handle(&mut self, number: u64) -> Result<TrialHandle<'_>> {
        self.running(number)?;
        Ok(TrialHandle::new(self, number))
    }

    pub(super) fn next_asked_event(&mut self) -> Result<Event> {
        self.check_budget()?;
        let number = self.waiting.first().copied().unwrap_or(self.n_numbers);
        let mut trial = match self.slot(number) {
            Some(i) => self.trials[i].clone(),
            None => FrozenTrial::new(number, TrialState::Running),
        };
        self.refresh_sampler();
        trial.state = TrialState::Running;
        let view = StudyView {
            study_name: &self.config.name,
            directions: &self.config.directions,
            trials: &self.trials,
            system_attrs: &self.system_attrs,
            cost_cooling: self.cost_cooling(),
        };
        let space = self.sampler.infer_relative_search_space(&view, &trial);
        let mut rng = rng::trial_rng(self.config.seed, number);
        let sampled = self
            .sampler
            .sample_relative(&view, &trial, &space, &mut rng)?;
        let mut relative = BTreeMap::new();
        for p in space.0 {
            if let Some(&value) = sampled.values.get(&p.name) {
                if p.distribution.contains(value) {
                    relative.insert(
                        p.name,
                        RelativeParam {
                            distribution: p.distribution,
                            value,
                        },
                    );
                }
            }
        }
        Ok(Event::Asked {
            number,
            relative,
            trial_attrs: sampled.trial_attrs,
            study_attrs: sampled.study_attrs,
            at: self.now(),
        })
    }

    /// Suggests a value of `distribution` for parameter `name` of a RUNNING trial.
    /// Suggesting the same name again with the same distribution returns the same
    /// value; with another distribution it is an error.
    ///
    /// Cost: O(1) for a fixed or relative parameter, else the sampler's
    /// `sample_independent` (O(1) for the random sampler).
    pub fn suggest(
        &mut self,
        number: u64,
        name: &str,
        distribution: &Distribution,
    ) -> Result<ParamValue> {
        validate_param_name(name)?;
        let distribution = distribution
            .clone()
            .validated()
            .map_err(|e| e.within("distribution"))?;
        let trial = self.running(number)?;
        if let (Some(existing), Some(known)) =
            (trial.params.get(name), trial.params.distribution(name))
        {
            if *known != distribution {
                return Err(Error::invalid(
                    "distribution",
                    format!(
                        "parameter {name:?} of trial {number} was already suggested with another distribution"
                    ),
                ));
            }
            return known.to_external(existing);
        }
        let value = self.draw(number, name, &distribution)?;
        let external = distribution.to_external(value)?;
        self.commit(Event::ParamSet {
            number,
            name: name.to_string(),
            distribution,
            value,
        })?;
        Ok(external)
    }

    /// Suggests every parameter of `space` in RUNNING trial `number`, in order, as
    /// [`Study::suggest`] would one by one: all of them, or on an error none. This is
    /// define-by-run with one round trip for several parameters.
    ///
    /// Cost: [`Study::suggest`] per parameter.
    pub fn suggest_space(&mut self, number: u64, space: &SearchSpace) -> Result<Vec<ParamValue>> {
        let space = space
            .clone()
            .validated()
            .map_err(|e| e.within("search_space"))?;
        self.running(number)?;
        let mark = self.events.len();
        let mut values = Vec::with_capacity(space.0.len());
        for (i, p) in space.0.iter().enumerate() {
            match self.suggest(number, &p.name, &p.distribution) {
                Ok(value) => values.push(value),
                Err(e) => {
                    self.rewind(mark);
                    return Err(e.within(&format!("search_space[{i}]")));
                }
            }
        }
        Ok(values)
    }

    /// The internal value for a parameter of a RUNNING trial: enqueued, relative,
    /// the only value, or a fresh independent sample.
    pub(super) fn draw(
        &mut self,
        number: u64,
        name: &str,
        distribution: &Distribution,
    ) -> Result<f64> {
        self.refresh_sampler();
        let cost_cooling = self.cost_cooling();
        let i = self.index(number)?;
        let Study {
            config,
            trials,
            sampler,
            system_attrs,
            ..
        } = self;
        let trial = &trials[i];
        if let Some(fixed) = trial.fixed_params.get(name) {
            return fixed_internal(name, fixed, distribution);
        }
        if let Some(rel) = trial.relative_params.get(name) {
            if rel.distribution == *distribution {
                return Ok(rel.value);
            }
        }
        if distribution.is_single() {
            let b = transform::bounds(distribution);
            return Ok(transform::untransform(distribution, b.low));
        }
        let view = StudyView {
            study_name: &config.name,
            directions: &config.directions,
            trials,
            system_attrs,
            cost_cooling,
        };
        let mut rng = rng::param_rng(config.seed, number, name);
        let value = sampler.sample_independent(&view, trial, name, distribution, &mut rng)?;
        if distribution.contains(value) {
            Ok(value)
        } else {
            // A sampler must stay inside the distribution; snap a stray value back in.
            debug_assert!(false, "sampler returned {value} outside {distribution:?}");
            Ok(transform::untransform(
                distribution,
                transform::transform(distribution, value),
            ))
        }
    }

    /// Enqueues a WAITING trial whose parameters are fixed to `params`; the next ask
    /// starts it. Returns its number.
    pub fn enqueue(&mut self, params: BTreeMap<String, ParamValue>) -> Result<u64> {
        for (name, value) in &params {
            validate_param_name(name).map_err(|e| e.within("params"))?;
            if let ParamValue::Float(f) = value {
                if !f.is_finite() {
                    return Err(Error::invalid(
                        format!("params.{name}"),
                        "must be a finite number",
                    ));
                }
            }
        }
        let number = self.n_numbers;
        self.commit(Event::Enqueued { number, params })
    }
}

/// The internal value of an enqueued parameter, or an error naming it.
pub(super) fn fixed_internal(
    name: &str,
    fixed: &ParamValue,
    distribution: &Distribution,
) -> Result<f64> {
    distribution.to_internal(fixed).map_err(|_| {
        Error::invalid(
            format!("params.{name}"),
            format!(
                "the enqueued value {fixed} is not in the suggested {} distribution",
                distribution.kind()
            ),
        )
    })
}

impl Study {
    /// Records a trial run elsewhere, as Optuna's `add_trial`: its parameters, each
    /// drawn from its distribution in `space`, and how it ended. The sampler is not
    /// asked. Nothing is stored when a parameter is not in `space`, a value is outside
    /// its distribution, or the outcome is refused. Cost: O(params) plus a tell (the
    /// error path replays the journal, O(events)).
    ///
    /// ```
    /// use edgetune_core::{Distribution, Outcome, Param, ParamValue, SearchSpace, Study, StudyConfig};
    /// let space = SearchSpace(vec![Param { name: "x".into(), distribution: Distribution::float(0.0, 1.0, false, None).unwrap() }]);
    /// let mut study = Study::create(StudyConfig::new("s")).unwrap();
    /// let params = [("x".to_string(), ParamValue::Float(0.25))].into();
    /// let number = study.add_trial(&params, &space, Outcome::value(3.0)).unwrap();
    /// assert_eq!(study.best_trial().unwrap().number, number);
    /// let outside = [("x".to_string(), ParamValue::Float(2.0))].into();
    /// assert!(study.add_trial(&outside, &space, Outcome::value(1.0)).is_err());
    /// assert_eq!(study.trials().len(), 1);
    /// ```
    pub fn add_trial(
        &mut self,
        params: &BTreeMap<String, ParamValue>,
        space: &SearchSpace,
        outcome: Outcome,
    ) -> Result<u64> {
        self.add_trial_with_attrs(params, space, outcome, &BTreeMap::new())
    }

    /// [`Study::add_trial`] with user attributes set on the trial before it ends (an
    /// observation's id and time, say). All or nothing, as `add_trial`. Cost:
    /// O(params + attributes) plus a tell.
    ///
    /// ```
    /// use edgetune_core::{Distribution, Outcome, Param, ParamValue, SearchSpace, Study, StudyConfig};
    /// let space = SearchSpace(vec![Param { name: "x".into(), distribution: Distribution::float(0.0, 1.0, false, None).unwrap() }]);
    /// let mut study = Study::create(StudyConfig::new("s")).unwrap();
    /// let params = [("x".to_string(), ParamValue::Float(0.5))].into();
    /// let attrs = [("observation_id".to_string(), "o-1".into())].into();
    /// let n = study.add_trial_with_attrs(&params, &space, Outcome::value(1.0), &attrs).unwrap();
    /// assert_eq!(study.trial(n).unwrap().user_attrs["observation_id"], "o-1");
    /// ```
    pub fn add_trial_with_attrs(
        &mut self,
        params: &BTreeMap<String, ParamValue>,
        space: &SearchSpace,
        outcome: Outcome,
        user_attrs: &BTreeMap<String, serde_json::Value>,
    ) -> Result<u64> {
        let mut internal = Vec::with_capacity(params.len());
        for (name, value) in params {
            let distribution = space.get(name).ok_or_else(|| {
                Error::invalid(format!("params.{name}"), "is not in the search space")
            })?;
            let v = distribution.to_internal(value).map_err(|_| {
                Error::invalid(
                    format!("params.{name}"),
                    format!("{value} is not in its {} distribution", distribution.kind()),
                )
            })?;
            internal.push((name.clone(), distribution.clone(), v));
        }
        let mark = self.events.len();
        let number = self.n_numbers;
        let recorded = (|| {
            self.commit(Event::Asked {
                number,
                relative: BTreeMap::new(),
                trial_attrs: BTreeMap::new(),
                study_attrs: BTreeMap::new(),
                at: self.now(),
            })?;
            for (name, distribution, value) in internal {
                self.commit(Event::ParamSet {
                    number,
                    name,
                    distribution,
                    value,
                })?;
            }
            for (key, value) in user_attrs {
                self.set_trial_user_attr(number, key, value.clone())?;
            }
            self.tell(number, outcome)
        })();
        match recorded {
            Ok(_) => Ok(number),
            Err(e) => {
                self.rewind(mark);
                Err(e)
            }
        }
    }
}
