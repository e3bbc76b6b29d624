//! Reading one study of an Optuna journal, replayed as Optuna's `JournalStorage`
//! replays it, into the events of an edgetune journal.

use std::collections::BTreeMap;

use serde_json::Value;

use super::lines::parse;
use crate::direction::Direction;
use crate::distributions::{Distribution, Param, ParamValue, SearchSpace};
use crate::error::{Error, Result};
use crate::json_f64::JsonF64;
use crate::study::{validate_metric_names, Event, Journal, StudyConfig, METRIC_NAMES};
use crate::trial::TrialState;

/// One study read from an Optuna journal: what [`OptunaStudy::into_journal`] makes an
/// edgetune journal of.
#[derive(Clone, Debug)]
pub struct OptunaStudy {
    /// Its name in the Optuna journal.
    pub name: String,
    /// Its directions.
    pub directions: Vec<Direction>,
    /// Its user attributes.
    pub user_attrs: BTreeMap<String, Value>,
    /// Its metric names, if set.
    pub metric_names: Option<Vec<String>>,
    trials: Vec<Trial>,
}

#[derive(Clone, Debug)]
struct Trial {
    number: u64,
    state: u8,
    values: Option<Vec<f64>>,
    params: BTreeMap<String, (Distribution, f64)>,
    user_attrs: BTreeMap<String, Value>,
    system_attrs: BTreeMap<String, Value>,
    intermediate: BTreeMap<u64, f64>,
    start: Option<f64>,
    complete: Option<f64>,
}

struct Study {
    name: String,
    directions: Vec<Direction>,
    deleted: bool,
    user_attrs: BTreeMap<String, Value>,
    system_attrs: BTreeMap<String, Value>,
    trials: Vec<usize>,
}

/// Finished: COMPLETE, PRUNED or FAIL.
fn finished(state: u8) -> bool {
    matches!(state, 1..=3)
}

fn bad(line: usize, what: impl std::fmt::Display) -> Error {
    Error::InvalidJournal(format!("line {line}: {what}"))
}

/// A field of an operation, which must be there.
fn field<'a>(op: &'a Value, key: &str, line: usize) -> Result<&'a Value> {
    op.get(key)
        .ok_or_else(|| bad(line, format!("op_code {} needs {key:?}", op["op_code"])))
}

fn uint(v: &Value, what: &str, line: usize) -> Result<u64> {
    v.as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                .map(|f| f as u64)
        })
        .ok_or_else(|| bad(line, format!("{what} must be a whole number >= 0, got {v}")))
}

fn float(v: &Value, what: &str, line: usize) -> Result<f64> {
    JsonF64::from_value(v)
        .map(|x| x.0)
        .ok_or_else(|| bad(line, format!("{what} must be a number, got {v}")))
}

fn time(v: Option<&Value>, what: &str, line: usize) -> Result<Option<f64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => crate::time::parse_isoformat(s)
            .map(Some)
            .ok_or_else(|| bad(line, format!("{what} {s:?} is not an ISO 8601 time"))),
        Some(other) => Err(bad(line, format!("{what} must be a time, got {other}"))),
    }
}

fn object<'a>(v: &'a Value, what: &str, line: usize) -> Result<&'a serde_json::Map<String, Value>> {
    v.as_object()
        .ok_or_else(|| bad(line, format!("{what} must be an object, got {v}")))
}

fn values(v: Option<&Value>, line: usize) -> Result<Option<Vec<f64>>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(vs)) => vs
            .iter()
            .map(|x| float(x, "values", line))
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(other) => Err(bad(line, format!("values must be a list, got {other}"))),
    }
}

/// A distribution from Optuna's JSON (`json_to_distribution`): the current classes and
/// the ones older Optuna versions wrote.
fn distribution(v: &Value, param: &str, line: usize) -> Result<Distribution> {
    let parsed;
    let v = match v {
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).map_err(|e| {
                bad(
                    line,
                    format!("the distribution of {param:?} is not JSON: {e}"),
                )
            })?;
            &parsed
        }
        other => other,
    };
    let a = &v["attributes"];
    let num = |k: &str| a.get(k).and_then(Value::as_f64);
    let int = |k: &str| {
        a.get(k)
            .and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64)))
    };
    let log = a.get("log").and_then(Value::as_bool).unwrap_or(false);
    let name = v["name"].as_str().unwrap_or("");
    let missing = || {
        bad(
            line,
            format!("the {name} of {param:?} lacks low or high: {v}"),
        )
    };
    let d = match name {
        "FloatDistribution"
        | "UniformDistribution"
        | "LogUniformDistribution"
        | "DiscreteUniformDistribution" => Distribution::Float {
            low: num("low").ok_or_else(missing)?,
            high: num("high").ok_or_else(missing)?,
            log: log || name == "LogUniformDistribution",
            step: num("step").or_else(|| num("q")),
        },
        "IntDistribution" | "IntUniformDistribution" | "IntLogUniformDistribution" => {
            Distribution::Int {
                low: int("low").ok_or_else(missing)?,
                high: int("high").ok_or_else(missing)?,
                log: log || name == "IntLogUniformDistribution",
                step: int("step").unwrap_or(1),
            }
        }
        "CategoricalDistribution" => {
            let choices = a["choices"].as_array().ok_or_else(missing)?;
            Distribution::Categorical {
                choices: choices
                    .iter()
                    .map(|c| {
                        serde_json::from_value::<ParamValue>(c.clone()).map_err(|_| {
                            bad(line, format!("parameter {param:?} has the choice {c}, which edgetune cannot hold (choices are booleans, numbers and strings)"))
                        })
                    })
                    .collect::<Result<_>>()?,
            }
        }
        other => {
            return Err(bad(
                line,
                format!("parameter {param:?} has an unknown distribution {other:?}"),
            ))
        }
    };
    d.validated()
        .map_err(|e| bad(line, format!("parameter {param:?}: {e}")))
}

/// Parameters of a "create trial" line, each in its distribution.
fn template_params(op: &Value, line: usize) -> Result<BTreeMap<String, (Distribution, f64)>> {
    let empty = Value::Object(Default::default());
    let dists = object(
        op.get("distributions").unwrap_or(&empty),
        "distributions",
        line,
    )?;
    let params = object(op.get("params").unwrap_or(&empty), "params", line)?;
    let mut out = BTreeMap::new();
    for (name, v) in params {
        let d = dists
            .get(name)
            .ok_or_else(|| bad(line, format!("parameter {name:?} has no distribution")))?;
        out.insert(
            name.clone(),
            (distribution(d, name, line)?, float(v, name, line)?),
        );
    }
    Ok(out)
}

fn attrs(v: Option<&Value>, what: &str, line: usize) -> Result<BTreeMap<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(v) => Ok(object(v, what, line)?
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()),
    }
}

/// Reads an Optuna journal's text (JSON lines) and picks the study called `name`, or
/// its only study when `name` is None. Replays as Optuna does: ids in order of
/// creation, operations on unknown or finished trials ignored, rustuna's "discard
/// trials" skipped. A line that is not JSON, an unknown `op_code` or a missing field is
/// an error naming the line. O(lines).
///
/// ```
/// use edgetune_core::optuna::read_journal;
/// let text = r#"{"op_code":0,"worker_id":"w","study_name":"s","directions":[2]}
/// {"op_code":4,"worker_id":"w","study_id":0,"datetime_start":null,"state":1,"value":0.5,"values":null,"distributions":{"x":"{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.0, \"high\": 1.0, \"log\": false}}"},"params":{"x":0.25},"user_attrs":{},"system_attrs":{},"intermediate_values":{}}
/// "#;
/// let study = read_journal(text, Some("s")).unwrap();
/// assert_eq!(study.n_trials(), 1);
/// assert!(read_journal(text, Some("other")).unwrap_err().to_string().contains("no study named"));
/// assert!(read_journal("{\"op_code\": 42}", None).unwrap_err().to_string().contains("op_code 42"));
/// ```
pub fn read_journal(text: &str, name: Option<&str>) -> Result<OptunaStudy> {
    let mut studies: Vec<Study> = Vec::new();
    let mut trials: Vec<(usize, Trial)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let op = parse(raw).map_err(|e| bad(line, format!("not a JSON object: {e}")))?;
        let code = op
            .get("op_code")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad(line, "has no op_code"))?;
        let live_study = |studies: &[Study]| -> Result<Option<usize>> {
            let id = uint(field(&op, "study_id", line)?, "study_id", line)? as usize;
            Ok(studies.get(id).filter(|s| !s.deleted).map(|_| id))
        };
        let open_trial = |trials: &[(usize, Trial)]| -> Result<Option<usize>> {
            let id = uint(field(&op, "trial_id", line)?, "trial_id", line)? as usize;
            Ok(trials
                .get(id)
                .filter(|(s, t)| !studies[*s].deleted && !finished(t.state))
                .map(|_| id))
        };
        match code {
            0 => {
                let name = field(&op, "study_name", line)?
                    .as_str()
                    .ok_or_else(|| bad(line, "study_name must be a string"))?;
                let directions = field(&op, "directions", line)?
                    .as_array()
                    .ok_or_else(|| bad(line, "directions must be a list"))?
                    .iter()
                    .map(|d| match d.as_u64() {
                        Some(1) => Ok(Direction::Minimize),
                        Some(2) => Ok(Direction::Maximize),
                        _ => Err(bad(
                            line,
                            format!("a direction must be 1 (minimize) or 2 (maximize), got {d}"),
                        )),
                    })
                    .collect::<Result<Vec<_>>>()?;
                if !studies.iter().any(|s| !s.deleted && s.name == name) {
                    studies.push(Study {
                        name: name.to_string(),
                        directions,
                        deleted: false,
                        user_attrs: BTreeMap::new(),
                        system_attrs: BTreeMap::new(),
                        trials: Vec::new(),
                    });
                }
            }
            1 => {
                if let Some(id) = live_study(&studies)? {
                    studies[id].deleted = true;
                }
            }
            2 | 3 => {
                let key = if code == 2 {
                    "user_attr"
                } else {
                    "system_attr"
                };
                let set = attrs(Some(field(&op, key, line)?), key, line)?;
                if let Some(id) = live_study(&studies)? {
                    let target = if code == 2 {
                        &mut studies[id].user_attrs
                    } else {
                        &mut studies[id].system_attrs
                    };
                    target.extend(set);
                }
            }
            4 => {
                let Some(id) = live_study(&studies)? else {
                    continue;
                };
                let state = match op.get("state") {
                    None | Some(Value::Null) => 0,
                    Some(s) => uint(s, "state", line)?,
                };
                if state > 4 {
                    return Err(bad(line, format!("state must be 0 to 4, got {state}")));
                }
                let single = match op.get("value") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(vec![float(v, "value", line)?]),
                };
                let trial = Trial {
                    number: studies[id].trials.len() as u64,
                    state: state as u8,
                    values: values(op.get("values"), line)?.or(single),
                    params: template_params(&op, line)?,
                    user_attrs: attrs(op.get("user_attrs"), "user_attrs", line)?,
                    system_attrs: attrs(op.get("system_attrs"), "system_attrs", line)?,
                    intermediate: match op.get("intermediate_values") {
                        None | Some(Value::Null) => BTreeMap::new(),
                        Some(v) => object(v, "intermediate_values", line)?
                            .iter()
                            .map(|(k, v)| {
                                let step = k.parse::<u64>().map_err(|_| {
                                    bad(line, format!("step {k:?} is not a whole number"))
                                })?;
                                Ok((step, float(v, "intermediate value", line)?))
                            })
                            .collect::<Result<_>>()?,
                    },
                    start: time(op.get("datetime_start"), "datetime_start", line)?,
                    complete: time(op.get("datetime_complete"), "datetime_complete", line)?,
                };
                studies[id].trials.push(trials.len());
                trials.push((id, trial));
            }
            5 => {
                let name = field(&op, "param_name", line)?
                    .as_str()
                    .ok_or_else(|| bad(line, "param_name must be a string"))?
                    .to_string();
                let d = distribution(field(&op, "distribution", line)?, &name, line)?;
                let v = float(field(&op, "param_value_internal", line)?, &name, line)?;
                if let Some(t) = open_trial(&trials)? {
                    trials[t].1.params.insert(name, (d, v));
                }
            }
            6 => {
                let state = uint(field(&op, "state", line)?, "state", line)?;
                if state > 4 {
                    return Err(bad(line, format!("state must be 0 to 4, got {state}")));
                }
                let vs = values(op.get("values"), line)?;
                let start = time(op.get("datetime_start"), "datetime_start", line)?;
                let complete = time(op.get("datetime_complete"), "datetime_complete", line)?;
                if let Some(t) = open_trial(&trials)? {
                    let trial = &mut trials[t].1;
                    if !(state == 0 && trial.state == 0) {
                        trial.state = state as u8;
                        if vs.is_some() {
                            trial.values = vs;
                        }
                        trial.start = start.or(trial.start);
                        trial.complete = complete.or(trial.complete);
                    }
                }
            }
            7 => {
                let step = uint(field(&op, "step", line)?, "step", line)?;
                let v = float(
                    field(&op, "intermediate_value", line)?,
                    "intermediate_value",
                    line,
                )?;
                if let Some(t) = open_trial(&trials)? {
                    trials[t].1.intermediate.insert(step, v);
                }
            }
            8 | 9 => {
                let key = if code == 8 {
                    "user_attr"
                } else {
                    "system_attr"
                };
                let set = attrs(Some(field(&op, key, line)?), key, line)?;
                if let Some(t) = open_trial(&trials)? {
                    let trial = &mut trials[t].1;
                    let target = if code == 8 {
                        &mut trial.user_attrs
                    } else {
                        &mut trial.system_attrs
                    };
                    target.extend(set);
                }
            }
            10 => {}
            other => {
                return Err(bad(
                    line,
                    format!("unknown op_code {other}: Optuna's journal has 0 to 10"),
                ))
            }
        }
    }
    let live: Vec<usize> = (0..studies.len())
        .filter(|&i| !studies[i].deleted)
        .collect();
    let names = || {
        live.iter()
            .map(|&i| format!("{:?}", studies[i].name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let chosen = match name {
        Some(n) => live.iter().rev().copied().find(|&i| studies[i].name == n),
        None if live.len() == 1 => Some(live[0]),
        None => {
            return Err(Error::invalid(
                "study_name",
                format!(
                    "the journal holds {} studies ({}): name the one to import",
                    live.len(),
                    names()
                ),
            ))
        }
    };
    let Some(id) = chosen else {
        return Err(Error::invalid(
            "study_name",
            format!(
                "the journal holds no study named {:?}; it holds: {}",
                name.unwrap_or_default(),
                if live.is_empty() {
                    "none".to_string()
                } else {
                    names()
                }
            ),
        ));
    };
    let mut study = studies.swap_remove(id);
    let metric_names = match study.system_attrs.remove(METRIC_NAMES) {
        Some(v) => Some(serde_json::from_value(v).map_err(|e| {
            Error::InvalidJournal(format!("the metric names are not a list of strings: {e}"))
        })?),
        None => None,
    };
    let mut mine: Vec<Trial> = Vec::with_capacity(study.trials.len());
    let mut slots: Vec<Option<Trial>> = trials.into_iter().map(|(_, t)| Some(t)).collect();
    for &t in &study.trials {
        if let Some(trial) = slots[t].take() {
            mine.push(trial);
        }
    }
    Ok(OptunaStudy {
        name: study.name,
        directions: study.directions,
        user_attrs: std::mem::take(&mut study.user_attrs),
        metric_names,
        trials: mine,
    })
}

impl OptunaStudy {
    /// How many trials it has.
    pub fn n_trials(&self) -> usize {
        self.trials.len()
    }

    /// The parameters of its last COMPLETE trial, as a search space: Optuna studies
    /// have none, and the service's asks without one use the study's.
    fn search_space(&self) -> Option<SearchSpace> {
        let last = self
            .trials
            .iter()
            .rev()
            .find(|t| t.state == 1 && !t.params.is_empty())?;
        let params = last
            .params
            .iter()
            .map(|(name, (distribution, _))| Param {
                name: name.clone(),
                distribution: distribution.clone(),
            })
            .collect();
        SearchSpace(params).validated().ok()
    }

    /// An edgetune journal of this study: created with `config` (its directions are
    /// the study's; without a search space, it gets the parameters of the last
    /// COMPLETE trial as one), then its metric names, user attributes and trials, each trial as
    /// the events that rebuild it (parameters, reports with their costs, attributes,
    /// constraints, then how it ended). A WAITING trial is enqueued with its fixed
    /// parameters. The journal is not checked: replay it, which checks every event.
    pub fn into_journal(self, mut config: StudyConfig) -> Result<Journal> {
        if config.search_space.is_none() {
            config.search_space = self.search_space();
        }
        config.directions = self.directions;
        if let Some(names) = &self.metric_names {
            validate_metric_names(names, config.directions.len())?;
        }
        let mut events = vec![Event::Created {
            config: Box::new(config),
            at: None,
        }];
        if let Some(names) = self.metric_names {
            events.push(Event::SystemAttrSet {
                number: None,
                key: METRIC_NAMES.into(),
                value: Value::from(names),
            });
        }
        for (key, value) in self.user_attrs {
            events.push(Event::UserAttrSet {
                number: None,
                key,
                value,
            });
        }
        for t in self.trials {
            trial_events(t, &mut events)?;
        }
        Ok(Journal::new(events))
    }
}

/// The events that rebuild one trial.
fn trial_events(t: Trial, events: &mut Vec<Event>) -> Result<()> {
    let number = t.number;
    let trial_error = |what: String| Error::InvalidJournal(format!("trial {number}: {what}"));
    if t.state == 4 {
        let mut params: BTreeMap<String, ParamValue> = match t.system_attrs.get("fixed_params") {
            Some(v) => serde_json::from_value(v.clone())
                .map_err(|e| trial_error(format!("fixed_params: {e}")))?,
            None => BTreeMap::new(),
        };
        for (name, (d, v)) in &t.params {
            let external = d
                .to_external(*v)
                .map_err(|e| trial_error(format!("parameter {name:?}: {e}")))?;
            params.insert(name.clone(), external);
        }
        events.push(Event::Enqueued { number, params });
        return Ok(());
    }
    events.push(Event::Asked {
        number,
        relative: BTreeMap::new(),
        trial_attrs: BTreeMap::new(),
        study_attrs: BTreeMap::new(),
        at: t.start,
    });
    for (name, (distribution, value)) in t.params {
        events.push(Event::ParamSet {
            number,
            name,
            distribution,
            value,
        });
    }
    let step_costs: BTreeMap<u64, f64> = match t.system_attrs.get("edgetune:step_costs") {
        Some(v) => serde_json::from_value::<BTreeMap<String, f64>>(v.clone())
            .map_err(|e| trial_error(format!("edgetune:step_costs: {e}")))?
            .into_iter()
            .filter_map(|(k, c)| k.parse().ok().map(|s| (s, c)))
            .collect(),
        None => BTreeMap::new(),
    };
    for (step, value) in t.intermediate {
        events.push(Event::Reported {
            number,
            step,
            value: JsonF64(value),
            cost: step_costs.get(&step).copied(),
        });
    }
    for (key, value) in t.user_attrs {
        events.push(Event::UserAttrSet {
            number: Some(number),
            key,
            value,
        });
    }
    if let Some(values) = constraints(&t.system_attrs).map_err(trial_error)? {
        events.push(Event::ConstraintsSet { number, values });
    }
    if finished(t.state) {
        let state = match t.state {
            1 => TrialState::Complete,
            2 => TrialState::Pruned,
            _ => TrialState::Fail,
        };
        let text = |k: &str| {
            t.system_attrs
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        events.push(Event::Told {
            number,
            state,
            values: t.values.map(|vs| vs.into_iter().map(JsonF64).collect()),
            fail_reason: text("edgetune:fail_reason"),
            cost: t.system_attrs.get("edgetune:cost").and_then(Value::as_f64),
            at: t.complete,
        });
    }
    Ok(())
}

/// A trial's constraint values: Optuna's `constraints` list, or its `constraints:<key>`
/// attributes in key order.
fn constraints(system: &BTreeMap<String, Value>) -> std::result::Result<Option<Vec<f64>>, String> {
    let as_number = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| format!("a constraint value must be a number, got {v}"))
    };
    if let Some(list) = system.get("constraints") {
        return match list {
            Value::Null => Ok(None),
            Value::Array(vs) => vs
                .iter()
                .map(as_number)
                .collect::<std::result::Result<_, _>>()
                .map(Some),
            other => Err(format!("constraints must be a list, got {other}")),
        };
    }
    let keyed: Vec<f64> = system
        .iter()
        .filter(|(k, _)| k.starts_with("constraints:"))
        .map(|(_, v)| as_number(v))
        .collect::<std::result::Result<_, _>>()?;
    Ok((!keyed.is_empty()).then_some(keyed))
}
