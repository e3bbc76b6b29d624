//! Production observations: what a deployed configuration did and how it went. They are
//! checked against the study's search space when they arrive, kept pending, and folded
//! into the study as COMPLETE trials by an automation's run (as Optuna's `add_trials`),
//! which then publishes a [`Recommendation`]: the best parameters so far and the
//! sampler's next configurations.

use std::collections::BTreeMap;

use edgetune_core::{Outcome, ParamValue, Study};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::failure::Failure;
use crate::requests::shape;
use crate::time::{iso8601, parse_rfc3339};

/// The most observations one call may send.
pub const MAX_OBSERVATIONS: usize = 1000;
/// The longest observation id.
pub const MAX_ID_CHARS: usize = 128;
/// The user attribute of a folded trial that holds its observation's id.
pub const OBSERVATION_ID_ATTR: &str = "observation_id";
/// The user attribute of a folded trial that holds its observation's time.
pub const OBSERVED_AT_ATTR: &str = "observed_at";

shape! {
/// The body of `POST /api/v1/studies/{study_name}/observations`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observe {
    /// 1 to 1000 observations; one bad observation refuses them all.
    pub observations: Vec<Observation>,
}
}

shape! {
/// What production did with one configuration, and how it went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Unique within the study (1 to 128 characters): an observation sent again is a
    /// duplicate, stored once.
    pub id: String,
    /// Every parameter of the study's search space, each within its distribution.
    pub params: BTreeMap<String, ParamValue>,
    /// The objective's value (one objective).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// One value per objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
    /// When it was observed, RFC 3339 (`2026-12-04T10:00:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Anything else to keep on the trial it becomes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_attrs: BTreeMap<String, Value>,
}
}

shape! {
/// The answer to an ingest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObserveAnswer {
    /// The study.
    pub study_name: String,
    /// Observations stored by this call.
    pub accepted: usize,
    /// Observations whose id the study already had (or that came twice in this call):
    /// not stored again.
    pub duplicates: usize,
    /// Observations waiting for a run to fold them in, this call's included.
    pub pending: u64,
}
}

shape! {
/// `?state=&offset=&limit=`: a page of a study's observations.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ObservationsQuery {
    /// `pending` (not folded in yet), `folded`, or `all` (default).
    pub state: Option<String>,
    /// Skip this many (default 0).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>"))]
    pub offset: Option<String>,
    /// At most this many, 0 to 1000 (default 100; 0 only counts).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>", range(max = 1000)))]
    pub limit: Option<String>,
}
}

/// Which observations a query asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObservationState {
    /// Not folded in yet.
    Pending,
    /// Folded in as trials.
    Folded,
    /// Both.
    All,
}

impl ObservationState {
    /// Parses `?state=`; a missing state is `all`.
    pub fn parse(text: Option<&str>) -> Result<ObservationState, Failure> {
        match text.unwrap_or("all") {
            "pending" => Ok(ObservationState::Pending),
            "folded" => Ok(ObservationState::Folded),
            "all" | "" => Ok(ObservationState::All),
            other => Err(Failure::invalid(
                "state",
                format!("must be pending, folded or all, got {other:?}"),
            )),
        }
    }
}

shape! {
/// A stored observation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObservationView {
    /// The observation as it was sent.
    #[serde(flatten)]
    pub observation: Observation,
    /// When the service received it.
    pub received_at: String,
    /// The trial it became, once folded in.
    pub trial_number: Option<u64>,
    /// The run that folded it in.
    pub run_id: Option<String>,
}
}

shape! {
/// A page of a study's observations.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObservationsPage {
    /// The study.
    pub study_name: String,
    /// The state asked for.
    pub state: ObservationState,
    /// How many observations are in that state.
    pub total: u64,
    /// Skipped.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The page, oldest first.
    pub observations: Vec<ObservationView>,
}
}

/// Checks a batch against the study: its size, then each observation (its id, its
/// parameters against the search space, its value(s) against the directions, its time
/// and its attributes). The first bad one names its index and field. O(batch × params).
pub fn check_batch(study: &Study, observations: &[Observation]) -> Result<(), Failure> {
    if observations.is_empty() || observations.len() > MAX_OBSERVATIONS {
        return Err(Failure::invalid(
            "observations",
            format!(
                "give 1 to {MAX_OBSERVATIONS} observations, got {}",
                observations.len()
            ),
        ));
    }
    for (i, observation) in observations.iter().enumerate() {
        check(study, observation).map_err(|(field, message)| {
            Failure::invalid(format!("observations[{i}].{field}"), message)
        })?;
    }
    Ok(())
}

/// One observation's first fault, as (field, reason).
fn check(study: &Study, o: &Observation) -> Result<(), (String, String)> {
    let bad = |field: &str, message: String| Err((field.to_string(), message));
    let id_chars = o.id.chars().count();
    if id_chars == 0 || id_chars > MAX_ID_CHARS || o.id.chars().any(char::is_control) {
        return bad(
            "id",
            format!("must be 1 to {MAX_ID_CHARS} characters, none a control character"),
        );
    }
    let space = study.config().search_space.as_ref().ok_or_else(|| {
        (
            "params".to_string(),
            "the study has no search space to check observations against".to_string(),
        )
    })?;
    for param in &space.0 {
        let Some(value) = o.params.get(&param.name) else {
            return bad(
                &format!("params.{}", param.name),
                "is missing: an observation gives every parameter of the search space".into(),
            );
        };
        if param.distribution.to_internal(value).is_err() {
            return bad(
                &format!("params.{}", param.name),
                format!(
                    "{value} is not in its {} distribution",
                    param.distribution.kind()
                ),
            );
        }
    }
    if let Some(name) = o.params.keys().find(|n| space.get(n).is_none()) {
        return bad(
            &format!("params.{name}"),
            "is not in the study's search space".into(),
        );
    }
    let n_objectives = study.directions().len();
    match (&o.value, &o.values) {
        (Some(_), Some(_)) => return bad("value", "give value or values, not both".into()),
        (None, None) => return bad("value", "an observation needs value or values".into()),
        (Some(_), None) if n_objectives != 1 => {
            return bad(
                "values",
                format!("the study has {n_objectives} objectives: give values"),
            )
        }
        (None, Some(values)) if values.len() != n_objectives => {
            return bad(
                "values",
                format!(
                    "gives {} values for {n_objectives} objectives",
                    values.len()
                ),
            )
        }
        _ => {}
    }
    if let Some(v) = o
        .value
        .iter()
        .chain(o.values.iter().flatten())
        .find(|v| !v.is_finite())
    {
        return bad("value", format!("{v} is not a finite number"));
    }
    if let Some(t) = &o.timestamp {
        if parse_rfc3339(t).is_none() {
            return bad(
                "timestamp",
                format!("{t:?} is not an RFC 3339 time such as 2026-12-04T10:00:00Z"),
            );
        }
    }
    for key in o.user_attrs.keys() {
        if key.is_empty() || key.chars().count() > 128 {
            return bad("user_attrs", "keys are 1 to 128 characters".into());
        }
        if key == OBSERVATION_ID_ATTR || key == OBSERVED_AT_ATTR {
            return bad(
                &format!("user_attrs.{key}"),
                "is set by the service when the observation is folded in".into(),
            );
        }
    }
    Ok(())
}

/// Folds checked observations into the study as COMPLETE trials, in order, each with
/// its id (and time) as user attributes. Returns their trial numbers. All or nothing:
/// on an error the caller drops the study's new events. O(observations × params) plus
/// a tell each.
pub fn fold(study: &mut Study, observations: &[Observation]) -> Result<Vec<u64>, Failure> {
    let space = study
        .config()
        .search_space
        .clone()
        .ok_or_else(|| Failure::invalid("search_space", "the study has no search space"))?;
    let mut numbers = Vec::with_capacity(observations.len());
    for o in observations {
        let mut attrs = o.user_attrs.clone();
        attrs.insert(OBSERVATION_ID_ATTR.into(), Value::from(o.id.clone()));
        if let Some(ms) = o.timestamp.as_deref().and_then(parse_rfc3339) {
            attrs.insert(OBSERVED_AT_ATTR.into(), Value::from(iso8601(ms)));
        }
        let outcome = match (&o.value, &o.values) {
            (Some(v), _) => Outcome::value(*v),
            (None, Some(vs)) => Outcome::Values(vs.clone()),
            (None, None) => return Err(Failure::invalid("value", "is missing")),
        };
        numbers.push(study.add_trial_with_attrs(&o.params, &space, outcome, &attrs)?);
    }
    Ok(numbers)
}

shape! {
/// What production should run: `GET /api/v1/studies/{study_name}/recommendation`.
/// Answered with an ETag; `If-None-Match` with it answers 304 until a run publishes
/// a new one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recommendation {
    /// The study.
    pub study_name: String,
    /// 1 for the first recommendation of the study, then one more each publish.
    pub version: u64,
    /// The automation run that published it.
    pub run_id: String,
    /// When it was published.
    pub created_at: String,
    /// The best trial so far (the first Pareto-optimal one with several objectives);
    /// null while no trial is complete.
    pub best: Option<BestConfig>,
    /// The sampler's next configurations, as many as the automation's
    /// `recommendations`.
    pub next: Vec<NextConfig>,
}
}

shape! {
/// The best parameters so far.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BestConfig {
    /// The trial they come from.
    pub trial_number: u64,
    /// Its parameters.
    pub params: BTreeMap<String, ParamValue>,
    /// Its value (one objective).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its values (several objectives).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
}
}

shape! {
/// A configuration to try next.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NextConfig {
    /// Its parameters.
    pub params: BTreeMap<String, ParamValue>,
}
}

/// The best trial of the study and `n` configurations its sampler asks next, drawn
/// on a copy (from the study's snapshot) so the study itself gains no trial:
/// deterministic in the study's seed and history. O(T) for the copy of the T trials
/// in memory (the window, with one), plus `n` asks.
pub fn recommend(
    study: &Study,
    n: usize,
    run_id: &str,
    version: u64,
    now_ms: f64,
) -> Result<Recommendation, Failure> {
    let best = study.best_trials().into_iter().next().map(|t| {
        let single = study.directions().len() == 1;
        BestConfig {
            trial_number: t.number,
            params: t.external_params(),
            value: if single { t.value() } else { None },
            values: if single { None } else { t.values.clone() },
        }
    });
    let space = study
        .config()
        .search_space
        .clone()
        .ok_or_else(|| Failure::invalid("search_space", "the study has no search space"))?;
    let mut scratch = Study::from_snapshot(&study.snapshot())?;
    let mut next = Vec::with_capacity(n);
    for _ in 0..n {
        let number = scratch.ask_with_space(&space)?;
        next.push(NextConfig {
            params: scratch.trial(number)?.external_params(),
        });
    }
    Ok(Recommendation {
        study_name: study.name().to_string(),
        version,
        run_id: run_id.to_string(),
        created_at: iso8601(now_ms),
        best,
        next,
    })
}

/// The history window automations give a study: [`AUTOMATION_HISTORY_WINDOW`], or
/// half of `MAX_TRIALS_PER_STUDY` when that is smaller.
pub const AUTOMATION_HISTORY_WINDOW: u64 = 1000;

/// Gives a study that automations fold into a history window, so that it never
/// reaches `MAX_TRIALS_PER_STUDY`: [`AUTOMATION_HISTORY_WINDOW`] trials, or half the
/// cap when that is smaller. Nothing happens if the study has a window, or if its
/// creator opted out with `history_window: 0`. The window is a journal event.
pub fn window_for_automations(study: &mut Study, max_trials: u64) -> Result<(), Failure> {
    if study.history_window().is_some() || study.config().history_window == Some(0) {
        return Ok(());
    }
    let window = AUTOMATION_HISTORY_WINDOW.min(max_trials / 2);
    if study.config().check_history_window(window).is_err() {
        // Too small a cap for a window (or a sampler that cannot have one): the study
        // runs without, and check_room names the cause once it is full.
        return Ok(());
    }
    study.set_history_window(window)?;
    Ok(())
}

/// Refuses a fold of `n` observations into a study without a history window that
/// would pass `MAX_TRIALS_PER_STUDY`, naming the cause and the fix.
pub fn check_room(study: &Study, n: usize, max_trials: u64) -> Result<(), Failure> {
    let held = study.trials().len() as u64;
    if study.history_window().is_some() || held + n as u64 <= max_trials {
        return Ok(());
    }
    let why = if study.config().history_window == Some(0) {
        "the study was created with history_window: 0, so it keeps every trial in memory"
    } else {
        "the study has no history window (its sampler cannot have one, or the cap is below twice the smallest window)"
    };
    Err(Failure::conflict(format!(
        "folding {n} observations would pass MAX_TRIALS_PER_STUDY = {max_trials} ({held} trials in memory): {why}. Fix: create the study with a history_window (20 to 1000000), so that only its newest finished trials stay in memory and it never fills"
    )))
}

/// After a fold into a windowed study: the trials in memory (the window, the incumbent
/// and the unfinished ones) must still be within `MAX_TRIALS_PER_STUDY`.
pub fn check_held(study: &Study, max_trials: u64) -> Result<(), Failure> {
    let held = study.trials().len() as u64;
    if held <= max_trials {
        return Ok(());
    }
    Err(Failure::conflict(format!(
        "the study would hold {held} trials in memory, more than MAX_TRIALS_PER_STUDY = {max_trials}: its history window ({}) with its best trials and running trials does not fit. Fix: a smaller history_window",
        study.history_window().unwrap_or(0)
    )))
}

/// The best value of a single-objective study, if any trial is complete.
pub fn best_value(study: &Study) -> Option<f64> {
    if study.directions().len() != 1 {
        return None;
    }
    study.best_trial().ok().and_then(|t| t.value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgetune_core::{Distribution, Param, SearchSpace, StudyConfig};

    fn study() -> Study {
        let space = SearchSpace(vec![
            Param {
                name: "x".into(),
                distribution: Distribution::float(0.0, 1.0, false, None).unwrap(),
            },
            Param {
                name: "k".into(),
                distribution: Distribution::int(1, 4, false, 1).unwrap(),
            },
        ]);
        let mut config = StudyConfig::new("s");
        config.search_space = Some(space);
        config.seed = 7;
        Study::create(config).unwrap()
    }

    fn observation(id: &str, x: f64, value: f64) -> Observation {
        Observation {
            id: id.into(),
            params: [
                ("x".to_string(), ParamValue::Float(x)),
                ("k".to_string(), ParamValue::Int(2)),
            ]
            .into(),
            value: Some(value),
            values: None,
            timestamp: Some("2026-12-04T10:00:00+01:00".into()),
            user_attrs: BTreeMap::new(),
        }
    }

    #[test]
    fn a_bad_observation_names_its_index_and_field() {
        let s = study();
        let good = observation("a", 0.5, 1.0);
        let cases: Vec<(Observation, &str)> = vec![
            (
                Observation {
                    id: String::new(),
                    ..good.clone()
                },
                "observations[1].id",
            ),
            (observation("b", 2.0, 1.0), "observations[1].params.x"),
            (
                Observation {
                    params: [("x".to_string(), ParamValue::Float(0.1))].into(),
                    ..good.clone()
                },
                "observations[1].params.k",
            ),
            (
                Observation {
                    value: None,
                    ..good.clone()
                },
                "observations[1].value",
            ),
            (
                Observation {
                    values: Some(vec![1.0, 2.0]),
                    value: None,
                    ..good.clone()
                },
                "observations[1].values",
            ),
            (
                Observation {
                    timestamp: Some("noon".into()),
                    ..good.clone()
                },
                "observations[1].timestamp",
            ),
            (
                Observation {
                    user_attrs: [(OBSERVATION_ID_ATTR.to_string(), Value::from(1))].into(),
                    ..good.clone()
                },
                "observations[1].user_attrs.observation_id",
            ),
        ];
        for (bad, field) in cases {
            let e = check_batch(&s, &[good.clone(), bad]).unwrap_err();
            assert_eq!(
                (e.status, e.field.as_deref()),
                (400, Some(field)),
                "{}",
                e.message
            );
        }
        let mut extra = good.clone();
        extra.params.insert("y".into(), ParamValue::Float(0.0));
        let e = check_batch(&s, &[extra]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("observations[0].params.y"));
        assert_eq!(
            check_batch(&s, &[]).unwrap_err().field.as_deref(),
            Some("observations")
        );
        assert!(check_batch(&s, &[good]).is_ok());
    }

    #[test]
    fn folding_records_complete_trials_and_recommending_adds_none() {
        let mut s = study();
        let batch = [observation("a", 0.2, 3.0), observation("b", 0.7, 1.0)];
        check_batch(&s, &batch).unwrap();
        assert_eq!(fold(&mut s, &batch).unwrap(), vec![0, 1]);
        let t = s.trial(1).unwrap();
        assert_eq!(t.user_attrs[OBSERVATION_ID_ATTR], "b");
        assert_eq!(t.user_attrs[OBSERVED_AT_ATTR], "2026-12-04T09:00:00.000Z");
        assert_eq!(best_value(&s), Some(1.0));
        let events = s.journal_len();
        let r = recommend(&s, 3, "run-1", 1, 0.0).unwrap();
        assert_eq!(s.journal_len(), events, "the study gains nothing");
        assert_eq!(r.best.as_ref().unwrap().trial_number, 1);
        assert_eq!(r.next.len(), 3);
        let again = recommend(&s, 3, "run-1", 1, 0.0).unwrap();
        assert_eq!(
            serde_json::to_string(&r.next).unwrap(),
            serde_json::to_string(&again.next).unwrap(),
            "deterministic"
        );
    }
}
