//! The tools of trials: ask, tell, report, attributes, listing, and recording trials
//! run elsewhere.

use edgetune_core::json_f64::JsonF64;
use edgetune_core::{SearchSpace, TrialState};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{num, param_text, read, Answer, Backend, Failure};
use crate::input;
use crate::requests::{self, shape, Complete, Fail};
use crate::study_op::{NewTrial, StudyOp};
use crate::views::{AddedTrials, PruneReasonName, ReportAnswer, Suggestion, TrialView, TrialsPage};

shape! {
/// The arguments of `ask`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    /// The study's name.
    pub study_name: String,
    /// The parameters to draw, in place of the study's search space (define-by-run).
    #[serde(default)]
    pub search_space: Option<SearchSpace>,
}
}

pub(super) async fn ask<B: Backend>(backend: &B, args: Ask) -> Answer<Suggestion> {
    let op = StudyOp::Suggest {
        search_space: args.search_space,
    };
    let suggestion: Suggestion = read(&backend.study(&args.study_name, op).await?)?;
    let params: Vec<String> = suggestion
        .params
        .iter()
        .map(|(k, v)| format!("{k}={}", param_text(v)))
        .collect();
    let text = format!(
        "[OK] Trial #{} of {}: {}\nRun it, then tell its value with trial_number={}.",
        suggestion.trial_number,
        suggestion.study_name,
        params.join(", "),
        suggestion.trial_number
    );
    Ok((suggestion, text))
}

shape! {
/// How a trial ended.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TellState {
    /// With its value(s) (the default).
    Complete,
    /// Stopped early.
    Pruned,
    /// Failed.
    Fail,
}
}

shape! {
/// The arguments of `tell`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tell {
    /// The study's name.
    pub study_name: String,
    /// The trial.
    pub trial_number: u64,
    /// `complete` (default), `pruned` or `fail`.
    #[serde(default)]
    pub state: Option<TellState>,
    /// The objective value (one objective).
    #[serde(default)]
    pub value: Option<f64>,
    /// One value per objective.
    #[serde(default)]
    pub values: Option<Vec<f64>>,
    /// Why it failed (state `fail`).
    #[serde(default)]
    pub reason: Option<String>,
    /// What the trial cost in all, in the study's cost unit.
    #[serde(default)]
    pub cost: Option<f64>,
}
}

pub(super) async fn tell<B: Backend>(backend: &B, args: Tell) -> Answer<TrialView> {
    let number = args.trial_number;
    let state = args.state.unwrap_or(TellState::Complete);
    let op = match state {
        TellState::Complete => input::complete(
            number,
            Complete {
                value: args.value,
                values: args.values,
                constraints: None,
                cost: args.cost,
            },
        )?,
        _ if args.value.is_some() || args.values.is_some() => {
            return Err(Failure::invalid(
                "value",
                "only a complete trial has values",
            ))
        }
        TellState::Pruned if args.cost.is_some() => {
            return Err(Failure::invalid(
                "cost",
                "report the cost so far with report; a pruned trial keeps its last cost",
            ))
        }
        TellState::Pruned => StudyOp::Prune { number },
        TellState::Fail => input::fail(
            number,
            Fail {
                reason: args.reason,
                cost: args.cost,
            },
        ),
    };
    let trial: TrialView = read(&backend.study(&args.study_name, op).await?)?;
    let text = format!(
        "[OK] Trial #{} is {}{}.",
        trial.number,
        trial.state.as_str(),
        trial
            .value
            .map_or(String::new(), |v| format!(" with value {}", num(v)))
    );
    Ok((trial, text))
}

shape! {
/// The arguments of `report`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The study's name.
    pub study_name: String,
    /// The trial.
    pub trial_number: u64,
    /// The intermediate value (`"NaN"` and `"Infinity"` as strings).
    pub value: JsonF64,
    /// The step, a whole number >= 0.
    pub step: u64,
    /// What the trial has cost so far, in the study's cost unit.
    #[serde(default)]
    pub cost: Option<f64>,
}
}

pub(super) async fn report<B: Backend>(backend: &B, args: Report) -> Answer<ReportAnswer> {
    let body = requests::Report {
        value: args.value,
        step: args.step,
        cost: args.cost,
    };
    let op = input::report(args.trial_number, body);
    let answer: ReportAnswer = read(&backend.study(&args.study_name, op).await?)?;
    let text = if answer.should_prune {
        let why = match answer.reason {
            Some(PruneReasonName::Cost) => " (it would overrun the cost budget)",
            _ => "",
        };
        format!(
            "[Prune] Stop trial #{} now{why} and tell it state \"pruned\".",
            answer.trial_number
        )
    } else {
        format!("[OK] Trial #{} continues.", answer.trial_number)
    };
    Ok((answer, text))
}

shape! {
/// The arguments of `set_trial_user_attr`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetTrialUserAttr {
    /// The study's name.
    pub study_name: String,
    /// The trial.
    pub trial_number: u64,
    /// The attribute's name.
    pub key: String,
    /// Its value (any JSON).
    pub value: Value,
}
}

pub(super) async fn set_trial_user_attr<B: Backend>(
    backend: &B,
    args: SetTrialUserAttr,
) -> Answer<TrialView> {
    let op = StudyOp::SetTrialUserAttr {
        number: args.trial_number,
        key: args.key.clone(),
        value: args.value,
    };
    let trial: TrialView = read(&backend.study(&args.study_name, op).await?)?;
    let text = format!("[OK] Trial #{}: {} set.", trial.number, args.key);
    Ok((trial, text))
}

shape! {
/// The form of `get_trials`' answer.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TrialsFormat {
    /// The trials as objects (default).
    #[default]
    Json,
    /// The flat table as CSV text.
    Csv,
}
}

shape! {
/// The arguments of `get_trials`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetTrials {
    /// The study's name.
    pub study_name: String,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: TrialsFormat,
    /// Only trials in these states (JSON only).
    #[serde(default)]
    pub states: Option<Vec<TrialState>>,
    /// Skip this many (JSON only).
    #[serde(default)]
    pub offset: usize,
    /// At most this many, 1 to 1000 (default 100; JSON only).
    #[serde(default = "hundred")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub limit: usize,
}
}

fn hundred() -> usize {
    100
}

shape! {
/// The trials, as objects or as CSV.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialsAnswer {
    /// The study.
    pub study_name: String,
    /// The form.
    pub format: TrialsFormat,
    /// How many trials match in all.
    pub total: usize,
    /// The trials (JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trials: Option<Vec<TrialView>>,
    /// The table (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv: Option<String>,
}
}

pub(super) async fn get_trials<B: Backend>(backend: &B, args: GetTrials) -> Answer<TrialsAnswer> {
    let name = &args.study_name;
    if args.format == TrialsFormat::Csv {
        if args.states.is_some() {
            return Err(Failure::invalid("states", "filters the JSON form only"));
        }
        let csv = backend.study(name, StudyOp::Table { csv: true }).await?;
        let total = csv.lines().count().saturating_sub(1);
        let answer = TrialsAnswer {
            study_name: name.clone(),
            format: TrialsFormat::Csv,
            total,
            trials: None,
            csv: Some(csv.clone()),
        };
        return Ok((answer, csv));
    }
    if !(1..=1000).contains(&args.limit) {
        return Err(Failure::invalid("limit", "must be from 1 to 1000"));
    }
    let op = StudyOp::Trials {
        states: args.states.unwrap_or_else(|| TrialState::ALL.to_vec()),
        offset: args.offset,
        limit: args.limit,
        descending: false,
    };
    let page: TrialsPage = read(&backend.study(name, op).await?)?;
    let text = serde_json::to_string(&page.trials).unwrap_or_default();
    let answer = TrialsAnswer {
        study_name: name.clone(),
        format: TrialsFormat::Json,
        total: page.total,
        trials: Some(page.trials),
        csv: None,
    };
    Ok((answer, text))
}

shape! {
/// The arguments of `add_trials`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddTrials {
    /// The study's name.
    pub study_name: String,
    /// The trials, 1 to 1000.
    pub trials: Vec<NewTrial>,
}
}

pub(super) async fn add_trials<B: Backend>(backend: &B, args: AddTrials) -> Answer<AddedTrials> {
    let op = StudyOp::AddTrials {
        trials: args.trials,
    };
    let added: AddedTrials = read(&backend.study(&args.study_name, op).await?)?;
    let numbers: Vec<String> = added
        .trial_numbers
        .iter()
        .map(|n| format!("#{n}"))
        .collect();
    let text = format!(
        "[OK] {} trials recorded in {}: {}",
        numbers.len(),
        added.study_name,
        numbers.join(", ")
    );
    Ok((added, text))
}
