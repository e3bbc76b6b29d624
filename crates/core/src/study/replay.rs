//! Replay: every change is an [`Event`] checked against the current state, applied,
//! and appended to the journal; [`Study::replay`] runs the same path over a stored
//! journal.

use super::cost::{check_cost, PRUNED_FOR_COST};
use super::tell::check_constraints;
use super::{state_index, Event, Journal, Study, MAX_KEY_LEN};
use crate::distributions::validate_param_name;
use crate::error::{Error, Result};
use crate::trial::{FrozenTrial, ParamDef, TrialState};
use crate::view::StudyView;

impl Study {
    /// Rebuilds a study from its events. Cost: O(events), plus the sampler's
    /// `after_trial` for each finished trial.
    pub fn replay(events: Vec<Event>) -> Result<Study> {
        // Every trial is asked or enqueued once, or both: room for them all at once.
        let trials = events
            .iter()
            .filter(|e| matches!(e, Event::Asked { .. } | Event::Enqueued { .. }))
            .count();
        let mut iter = events.into_iter();
        let mut study = match iter.next() {
            Some(Event::Created { config, at }) => {
                let config = (*config)
                    .validated()
                    .map_err(|e| Error::InvalidJournal(format!("event 0: {e}")))?;
                let mut study = Study::empty(config.clone(), at);
                study.events.push(Event::Created {
                    config: Box::new(config),
                    at,
                });
                study.reserve_trials(trials);
                study
            }
            _ => {
                return Err(Error::InvalidJournal(
                    "the first event must be \"created\"".into(),
                ))
            }
        };
        for (i, event) in iter.enumerate() {
            study
                .commit(event)
                .map_err(|e| Error::InvalidJournal(format!("event {}: {e}", i + 1)))?;
        }
        Ok(study)
    }

    /// Rebuilds a study from an exported journal.
    pub fn from_journal(journal: Journal) -> Result<Study> {
        Study::replay(journal.checked()?.events)
    }

    /// Rebuilds a study from a journal's JSON text.
    pub fn from_journal_json(text: &str) -> Result<Study> {
        Study::replay(Journal::from_json(text)?.events)
    }

    /// The journal, for export: the events this study holds, every one unless it was
    /// woken from a snapshot or forgot older events ([`Study::events_base`] > 0), when
    /// its store holds the others.
    pub fn to_journal(&self) -> Journal {
        Journal::new(self.events.since(0))
    }

    /// The events the study holds, oldest first (every one unless
    /// [`Study::events_base`] > 0). O(events): they are kept packed.
    pub fn events(&self) -> Vec<Event> {
        self.events.since(0)
    }

    /// The held events from journal position `seq` on (a store appends the ones it has
    /// not written). O(events since + 4096).
    pub fn events_since(&self, seq: usize) -> Vec<Event> {
        self.events.since(seq.saturating_sub(self.events_base))
    }

    /// Checks `event` against the current state, applies it and appends it to the
    /// journal. Returns the trial number the event concerns (0 for study events).
    pub(super) fn commit(&mut self, event: Event) -> Result<u64> {
        let number = self.apply(&event)?;
        self.events.push(event);
        Ok(number)
    }

    /// Applies one event; nothing changes when it returns an error.
    pub(super) fn apply(&mut self, event: &Event) -> Result<u64> {
        match event {
            Event::Created { .. } => Err(Error::InvalidJournal(
                "\"created\" may only be the first event".into(),
            )),
            Event::Asked {
                number,
                relative,
                trial_attrs,
                study_attrs,
                at,
            } => {
                let number = *number;
                // Relative parameters come from the sampler, or from an imported journal:
                // check them, as a stray value would reach the sampler's estimators later.
                for (name, rel) in relative {
                    validate_param_name(name)?;
                    let distribution = rel.distribution.clone().validated()?;
                    if distribution != rel.distribution || !distribution.contains(rel.value) {
                        return Err(Error::invalid(
                            "relative",
                            format!("{} is not in the distribution of {name:?}", rel.value),
                        ));
                    }
                }
                let fresh = number == self.n_numbers;
                if !fresh && !self.waiting.contains(&number) {
                    return Err(Error::invalid(
                        "number",
                        format!("trial {number} is neither new nor waiting"),
                    ));
                }
                if fresh {
                    crate::grow::push(
                        &mut self.trials,
                        FrozenTrial::new(number, TrialState::Running),
                    );
                    self.n_numbers += 1;
                } else {
                    self.waiting.remove(&number);
                    self.counts[state_index(TrialState::Waiting)] -= 1;
                }
                self.counts[state_index(TrialState::Running)] += 1;
                let i = self.index(number)?;
                let trial = &mut self.trials[i];
                trial.state = TrialState::Running;
                trial.relative_params = relative.clone().into();
                trial
                    .system_attrs
                    .extend(trial_attrs.iter().map(|(k, v)| (k.clone(), v.clone())));
                trial.set_datetime_start(*at);
                self.system_attrs
                    .extend(study_attrs.iter().map(|(k, v)| (k.clone(), v.clone())));
                Ok(number)
            }
            Event::ParamSet {
                number,
                name,
                distribution,
                value,
            } => {
                self.running(*number)?;
                // A name and distribution the study holds were checked when it took
                // them: a replay of n trials checks each pair once, not n times.
                let known = self.param_table.get(name, distribution);
                let fresh = known.is_none();
                let def = match known {
                    Some(def) => def,
                    None => {
                        validate_param_name(name)?;
                        ParamDef::new(name, distribution.clone().validated()?)
                    }
                };
                if !def.distribution.contains(*value) {
                    return Err(Error::invalid(
                        "value",
                        format!("{value} is not in the distribution of {name:?}"),
                    ));
                }
                let i = self.index(*number)?;
                if self.trials[i].params.contains_key(name) {
                    return Err(Error::invalid(
                        "name",
                        format!("parameter {name:?} of trial {number} is already set"),
                    ));
                }
                // Held once the event is accepted: a refused one leaves the table as it was.
                let def = if fresh {
                    self.param_table.intern(name, &def.distribution)
                } else {
                    def
                };
                self.trials[i]
                    .params
                    .insert_shared(def, *value, &mut self.param_table);
                Ok(*number)
            }
            Event::Reported {
                number,
                step,
                value,
                cost,
            } => {
                let trial = self.running(*number)?;
                if let Some(c) = cost {
                    check_cost(*c, trial.cost())?;
                }
                if trial.intermediate_values.contains_key(step) {
                    return Err(Error::invalid(
                        "step",
                        format!("step {step} of trial {number} is already reported"),
                    ));
                }
                let i = self.index(*number)?;
                let trial = &mut self.trials[i];
                trial.intermediate_values.insert(*step, value.0);
                if let Some(c) = cost {
                    trial.set_cost(Some(*c));
                    trial.step_costs.insert(*step, *c);
                    self.running_costs.insert(*number, *c);
                }
                Ok(*number)
            }
            Event::Told {
                number,
                state,
                values,
                fail_reason,
                cost,
                at,
            } => {
                let trial = self.running(*number)?;
                if let Some(c) = cost {
                    check_cost(*c, trial.cost())?;
                }
                let values: Option<Vec<f64>> =
                    values.as_ref().map(|vs| vs.iter().map(|v| v.0).collect());
                match state {
                    TrialState::Complete => {
                        let ok = values.as_ref().is_some_and(|vs| {
                            vs.len() == self.config.directions.len()
                                && vs.iter().all(|v| !v.is_nan())
                        });
                        if !ok {
                            return Err(Error::invalid(
                                "values",
                                "a COMPLETE trial needs one non-NaN value per direction",
                            ));
                        }
                    }
                    TrialState::Pruned | TrialState::Fail => {}
                    other => {
                        return Err(Error::invalid(
                            "state",
                            format!("a trial cannot be told {other}"),
                        ))
                    }
                }
                let i = self.index(*number)?;
                let final_cost = cost.or(self.trials[i].cost());
                self.running_costs.remove(number);
                self.spent_finished += final_cost.unwrap_or(0.0);
                let within_budget = self
                    .config
                    .cost_budget
                    .is_none_or(|b| self.spent_finished <= b);
                let trial = &mut self.trials[i];
                trial.state = *state;
                trial.values = values;
                trial.fail_reason = fail_reason.clone();
                trial.set_datetime_complete(*at);
                trial.set_cost(final_cost);
                trial.within_budget = within_budget;
                // A finished trial sets no more parameters: drop the room it had for them.
                trial.params.shrink_to_fit();
                if *state == TrialState::Pruned && trial.system_attrs.contains_key(PRUNED_FOR_COST)
                {
                    self.n_pruned_for_cost += 1;
                }
                self.counts[state_index(TrialState::Running)] -= 1;
                self.counts[state_index(*state)] += 1;
                if *state == TrialState::Complete && within_budget {
                    self.update_best(*number);
                }
                if !self.stale {
                    let view = StudyView {
                        study_name: &self.config.name,
                        directions: &self.config.directions,
                        trials: &self.trials,
                        system_attrs: &self.system_attrs,
                        cost_cooling: self.cost_cooling(),
                    };
                    self.sampler.after_trial(&view, &self.trials[i]);
                }
                self.finished(*number);
                Ok(*number)
            }
            Event::SystemAttrSet { number, key, value } => {
                match number {
                    None => {
                        self.system_attrs.insert(key.clone(), value.clone());
                    }
                    Some(n) => {
                        self.running(*n)?;
                        let i = self.index(*n)?;
                        self.trials[i]
                            .system_attrs
                            .insert(key.clone(), value.clone());
                    }
                }
                Ok(number.unwrap_or(0))
            }
            Event::ConstraintsSet { number, values } => {
                self.running(*number)?;
                check_constraints(values)?;
                let i = self.index(*number)?;
                self.trials[i].constraints = Some(values.clone());
                Ok(*number)
            }
            Event::UserAttrSet { number, key, value } => {
                if key.is_empty() || key.len() > MAX_KEY_LEN {
                    return Err(Error::invalid(
                        "key",
                        format!("must be 1 to {MAX_KEY_LEN} bytes long"),
                    ));
                }
                match number {
                    None => {
                        self.user_attrs.insert(key.clone(), value.clone());
                        Ok(0)
                    }
                    Some(n) => {
                        let trial = self.trial(*n)?;
                        if trial.state.is_finished() {
                            return Err(Error::TrialNotRunning {
                                number: *n,
                                state: trial.state,
                            });
                        }
                        let i = self.index(*n)?;
                        self.trials[i].user_attrs.insert(key.clone(), value.clone());
                        Ok(*n)
                    }
                }
            }
            Event::HistoryWindowSet { window } => {
                self.apply_window(*window)?;
                Ok(0)
            }
            Event::Enqueued { number, params } => {
                if *number != self.n_numbers {
                    return Err(Error::invalid(
                        "number",
                        format!("an enqueued trial must be number {}", self.n_numbers),
                    ));
                }
                let mut trial = FrozenTrial::new(*number, TrialState::Waiting);
                trial.fixed_params = params.clone().into();
                crate::grow::push(&mut self.trials, trial);
                self.n_numbers += 1;
                self.waiting.insert(*number);
                self.counts[state_index(TrialState::Waiting)] += 1;
                Ok(*number)
            }
        }
    }

    /// The position of trial `number` in memory, or an error naming it.
    pub(super) fn index(&self, number: u64) -> Result<usize> {
        self.slot(number).ok_or(Error::TrialNotFound { number })
    }

    fn update_best(&mut self, number: u64) {
        if self.config.directions.len() != 1 {
            return;
        }
        let direction = self.config.directions[0];
        let value_of = |n: u64| {
            let i = self.slot(n)?;
            self.trials[i].values.as_ref().map(|v| v[0])
        };
        let value = value_of(number);
        let best = self.best.and_then(value_of);
        match (value, best) {
            (Some(v), Some(b)) if !direction.better(v, b) => {}
            (Some(_), _) => {
                self.best = Some(number);
                self.best_seen_at = self.count(TrialState::Complete);
            }
            (None, _) => {}
        }
    }
}
