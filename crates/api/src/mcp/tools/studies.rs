//! The tools of a study as a whole: start or resume it, its status, the list of
//! studies, names of its objectives, its dashboard link, and its deletion.

use std::collections::BTreeMap;

use edgetune_core::{Direction, Distribution, Param, ParamValue, SearchSpace, Spending};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{num, param_text, read, Answer, Backend, Failure};
use crate::requests::shape;
use crate::study_op::StudyOp;
use crate::views::{Deleted, StudyList, StudyView, TrialCounts};

shape! {
/// A study, by name.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyRef {
    /// The study's name.
    pub study_name: String,
}
}

shape! {
/// No arguments.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {}
}

shape! {
/// A ready-made search space for `start_study`'s `template`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// lr in [1e-5, 1e-2] (log), batch_size in {32, 64, 128, 256}, epochs in [1, 10].
    Mnist,
    /// As mnist, plus weight_decay in [0, 0.1].
    Llm,
}
}

impl Template {
    /// The template's search space.
    pub fn space(self) -> SearchSpace {
        let param = |name: &str, distribution: Distribution| Param {
            name: name.into(),
            distribution,
        };
        let mut params = vec![
            param(
                "lr",
                Distribution::Float {
                    low: 1e-5,
                    high: 1e-2,
                    log: true,
                    step: None,
                },
            ),
            param(
                "batch_size",
                Distribution::Categorical {
                    choices: [32, 64, 128, 256]
                        .into_iter()
                        .map(ParamValue::Int)
                        .collect(),
                },
            ),
            param(
                "epochs",
                Distribution::Int {
                    low: 1,
                    high: 10,
                    log: false,
                    step: 1,
                },
            ),
        ];
        if self == Template::Llm {
            params.push(param(
                "weight_decay",
                Distribution::Float {
                    low: 0.0,
                    high: 0.1,
                    log: false,
                    step: None,
                },
            ));
        }
        SearchSpace(params)
    }
}

edgetune_core::with_study_options! {
/// The arguments of `start_study`: the study options of `POST /api/v1/studies`, and a
/// template and the planned number of trials.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartStudy {
    /// The study's name: 1 to 128 letters, digits and `_ - . :`.
    pub study_name: String,
    /// A ready-made search space instead of `search_space`: `mnist` or `llm`.
    #[serde(default)]
    pub template: Option<Template>,
    /// How many trials the study is meant to run (kept in its metadata; progress is
    /// shown against it).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100000)))]
    pub n_trials: Option<u64>,
}
}

shape! {
/// A study's state, as `start_study` and `get_study_status` give it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyStatus {
    /// The study.
    pub study_name: String,
    /// Whether this call created it (`start_study` only; false when resumed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<bool>,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The sampler's name.
    pub sampler: String,
    /// How many trials it holds.
    pub n_trials: usize,
    /// How many trials it is meant to run, if said at start.
    pub n_trials_planned: Option<u64>,
    /// Trials by state.
    pub trial_counts: TrialCounts,
    /// The best value, with one objective.
    pub best_value: Option<f64>,
    /// The best trial's parameters, with one objective.
    pub best_params: Option<BTreeMap<String, ParamValue>>,
    /// The parameter names of its search space.
    pub parameters: Vec<String>,
    /// The objectives' names, if set.
    pub metric_names: Option<Vec<String>>,
    /// What the study spent against its cost budget.
    pub cost: Spending,
    /// How many trials were pruned because of the budget.
    pub n_pruned_for_cost: usize,
    /// True once the stopping rule fired.
    pub converged: bool,
}
}

/// The metadata key of the planned number of trials.
const PLANNED: &str = "n_trials";

impl StudyStatus {
    fn of(view: StudyView, created: Option<bool>) -> Self {
        StudyStatus {
            study_name: view.study_name,
            created,
            directions: view.directions,
            sampler: view.sampler.name().to_string(),
            n_trials: view.n_trials,
            n_trials_planned: view.metadata.get(PLANNED).and_then(Value::as_u64),
            trial_counts: view.trial_counts,
            best_value: view.best_trial.as_ref().and_then(|t| t.value),
            best_params: view.best_trial.map(|t| t.params),
            parameters: view
                .search_space
                .map(|s| s.0.into_iter().map(|p| p.name).collect())
                .unwrap_or_default(),
            metric_names: view.metric_names,
            cost: view.cost,
            n_pruned_for_cost: view.n_pruned_for_cost,
            converged: view.converged,
        }
    }

    fn text(&self, headline: &str) -> String {
        let c = &self.trial_counts;
        let mut out = format!("{headline}: {}\n", self.study_name);
        let planned = self
            .n_trials_planned
            .map_or(String::new(), |n| format!(" of {n} planned"));
        let for_cost = match self.n_pruned_for_cost {
            0 => String::new(),
            n => format!(" ({n} for cost)"),
        };
        out += &format!(
            "Trials: {}{planned} ({} complete, {} pruned{for_cost}, {} failed, {} running)\n",
            self.n_trials, c.COMPLETE, c.PRUNED, c.FAIL, c.RUNNING
        );
        let cost = &self.cost;
        let unit = cost
            .unit
            .as_ref()
            .map_or(String::new(), |u| format!(" {u}"));
        match (cost.budget, cost.left) {
            (Some(budget), Some(left)) => {
                out += &format!(
                    "Total cost: {}{unit} of a {}{unit} budget ({}{unit} left)\n",
                    num(cost.spent),
                    num(budget),
                    num(left)
                )
            }
            _ if cost.spent > 0.0 => out += &format!("Total cost: {}{unit}\n", num(cost.spent)),
            _ => {}
        }
        if self.converged {
            out += "Converged: the stopping rule fired\n";
        }
        if let Some(value) = self.best_value {
            let metric = self
                .metric_names
                .as_ref()
                .and_then(|n| n.first())
                .map_or("value", String::as_str);
            out += &format!("Best {metric}: {}\n", num(value));
        }
        if let Some(params) = &self.best_params {
            out += "\nBest hyperparameters:\n";
            for (name, value) in params {
                out += &format!("  {name}: {}\n", param_text(value));
            }
        }
        out
    }
}

pub(super) async fn start_study<B: Backend>(backend: &B, args: StartStudy) -> Answer<StudyStatus> {
    let mut spec = args.to_spec(args.study_name.clone());
    match (&spec.search_space, args.template) {
        (Some(_), Some(_)) => {
            return Err(Failure::invalid(
                "template",
                "give search_space or template, not both",
            ))
        }
        (None, Some(template)) => spec.search_space = Some(template.space()),
        _ => {}
    }
    if let Some(n) = args.n_trials {
        if n == 0 || n > 100_000 {
            return Err(Failure::invalid("n_trials", "must be from 1 to 100000"));
        }
        spec.metadata.insert(PLANNED.into(), json!(n));
    }
    match backend.create(spec).await {
        Ok(body) => {
            let status = StudyStatus::of(read(&body)?, Some(true));
            let text = status.text("[OK] Study created");
            Ok((status, text))
        }
        Err(f) if f.status == 409 => {
            let view: StudyView = read(&backend.study(&args.study_name, StudyOp::Get).await?)?;
            let status = StudyStatus::of(view, Some(false));
            let text = status.text("[OK] Study resumed");
            Ok((status, text))
        }
        Err(f) => Err(f),
    }
}

pub(super) async fn get_study_status<B: Backend>(
    backend: &B,
    args: StudyRef,
) -> Answer<StudyStatus> {
    let view: StudyView = read(&backend.study(&args.study_name, StudyOp::Get).await?)?;
    let status = StudyStatus::of(view, None);
    let text = status.text("[Info] Study");
    Ok((status, text))
}

pub(super) async fn list_studies<B: Backend>(backend: &B, _args: ListArgs) -> Answer<StudyList> {
    let list: StudyList = read(&backend.list().await?)?;
    let mut text = format!("[Info] {} studies:\n", list.total);
    for s in &list.studies {
        let directions: Vec<&str> = s.directions.iter().map(|d| d.as_str()).collect();
        text += &format!(
            "  {} ({}, {}, created {})\n",
            s.study_name,
            directions.join("/"),
            s.sampler,
            s.created_at
        );
    }
    Ok((list, text))
}

pub(super) async fn delete_study<B: Backend>(backend: &B, args: StudyRef) -> Answer<Deleted> {
    backend.delete(&args.study_name).await?;
    let text = format!("[OK] Study {} deleted.", args.study_name);
    Ok((
        Deleted {
            deleted: true,
            study_name: args.study_name,
        },
        text,
    ))
}

shape! {
/// A link to the dashboard.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardLink {
    /// The study.
    pub study_name: String,
    /// Its page.
    pub url: String,
}
}

pub(super) async fn dashboard_url<B: Backend>(
    backend: &B,
    args: StudyRef,
) -> Answer<DashboardLink> {
    // The study must exist (and be this tenant's).
    backend.study(&args.study_name, StudyOp::Get).await?;
    let url = backend.dashboard_url(&args.study_name)?;
    let text = format!("[Info] Dashboard of {}: {url}", args.study_name);
    Ok((
        DashboardLink {
            study_name: args.study_name,
            url,
        },
        text,
    ))
}

shape! {
/// The arguments of `set_metric_names`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetMetricNames {
    /// The study's name.
    pub study_name: String,
    /// One name per objective, in the order of the directions.
    pub metric_names: Vec<String>,
}
}

pub(super) async fn set_metric_names<B: Backend>(
    backend: &B,
    args: SetMetricNames,
) -> Answer<StudyStatus> {
    let op = StudyOp::SetMetricNames {
        names: args.metric_names,
    };
    let view: StudyView = read(&backend.study(&args.study_name, op).await?)?;
    let status = StudyStatus::of(view, None);
    let text = format!(
        "[OK] Objectives of {}: {}",
        status.study_name,
        status.metric_names.clone().unwrap_or_default().join(", ")
    );
    Ok((status, text))
}
