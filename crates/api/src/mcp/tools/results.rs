//! The tools that read a study's results: the best parameters, the top trials side
//! by side, the best (Pareto-optimal) trials and parameter importance.

use std::collections::BTreeMap;

use edgetune_core::{Direction, ParamValue, TrialState};
use serde::{Deserialize, Serialize};

use super::studies::StudyRef;
use super::{num, param_text, read, Answer, Backend, Failure};
use crate::requests::shape;
use crate::study_op::StudyOp;
use crate::views::{ImportanceView, ParetoView, TrialView, TrialsPage};

shape! {
/// A Pareto-optimal trial.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParetoPoint {
    /// The trial.
    pub trial_number: u64,
    /// Its values, one per objective.
    pub values: Vec<f64>,
    /// Its parameters.
    pub params: BTreeMap<String, ParamValue>,
}
}

shape! {
/// The best parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestParams {
    /// The study.
    pub study_name: String,
    /// The best trial, with one objective.
    pub best_trial_number: Option<u64>,
    /// Its value, with one objective.
    pub best_value: Option<f64>,
    /// Its parameters, with one objective.
    pub best_params: Option<BTreeMap<String, ParamValue>>,
    /// Every Pareto-optimal trial, with several objectives.
    pub pareto_front: Vec<ParetoPoint>,
}
}

pub(super) async fn get_best_params<B: Backend>(backend: &B, args: StudyRef) -> Answer<BestParams> {
    let name = &args.study_name;
    // One read: with one objective the front is the best trial (and its ties).
    let pareto: ParetoView = read(&backend.study(name, pareto_op()).await?)?;
    if pareto.trials.is_empty() {
        return Err(Failure::plain(
            404,
            "no_completed_trials",
            "no trial is complete yet, so there is no best trial",
        ));
    }
    if pareto.directions.len() == 1 {
        let best = pareto
            .trials
            .into_iter()
            .next()
            .ok_or_else(|| Failure::internal("empty front"))?;
        let assignments: Vec<String> = best
            .params
            .iter()
            .map(|(k, v)| format!("{k}={}", param_text(v)))
            .collect();
        let mut text = format!("[Info] Best hyperparameters for {name}:\n\n");
        for line in &assignments {
            text += &format!("  {line}\n");
        }
        text += &format!(
            "\nBest value: {} (trial #{})\nAs arguments: {}\n",
            best.value.map_or("-".into(), num),
            best.number,
            assignments.join(", ")
        );
        let answer = BestParams {
            study_name: name.clone(),
            best_trial_number: Some(best.number),
            best_value: best.value,
            best_params: Some(best.params),
            pareto_front: Vec::new(),
        };
        return Ok((answer, text));
    }
    let front: Vec<ParetoPoint> = pareto
        .trials
        .into_iter()
        .map(|t| ParetoPoint {
            trial_number: t.number,
            values: t.values.unwrap_or_default(),
            params: t.params,
        })
        .collect();
    let mut text = format!("[Info] Pareto set of {name} ({} trials):\n", front.len());
    for p in &front {
        let values: Vec<String> = p.values.iter().map(|v| num(*v)).collect();
        let params: Vec<String> = p
            .params
            .iter()
            .map(|(k, v)| format!("{k}={}", param_text(v)))
            .collect();
        text += &format!(
            "  #{} values [{}]: {}\n",
            p.trial_number,
            values.join(", "),
            params.join(", ")
        );
    }
    let answer = BestParams {
        study_name: name.clone(),
        best_trial_number: None,
        best_value: None,
        best_params: None,
        pareto_front: front,
    };
    Ok((answer, text))
}

fn pareto_op() -> StudyOp {
    StudyOp::Pareto {
        reference: None,
        history: None,
    }
}

shape! {
/// The arguments of `compare_trials`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareTrials {
    /// The study's name.
    pub study_name: String,
    /// How many trials, 1 to 100 (default 5).
    #[serde(default = "five")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub top_k: usize,
}
}

fn five() -> usize {
    5
}

shape! {
/// The top trials, best first.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// The study.
    pub study_name: String,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The trials, best first (with several objectives, the Pareto-optimal ones).
    pub trials: Vec<TrialView>,
}
}

/// The `k` best COMPLETE trials by `key` (ties by number), read page by page and only
/// the best kept: O(n log k) time, O(page + k) memory, so a study of 100,000 trials
/// is never held whole.
async fn best_complete<B: Backend>(
    backend: &B,
    name: &str,
    k: usize,
    key: impl Fn(&TrialView) -> f64,
) -> Result<Vec<TrialView>, Failure> {
    let order =
        |a: &TrialView, b: &TrialView| key(a).total_cmp(&key(b)).then(a.number.cmp(&b.number));
    let mut best: Vec<TrialView> = Vec::new();
    let mut offset = 0;
    loop {
        let op = StudyOp::Trials {
            states: vec![TrialState::Complete],
            offset,
            limit: 1000,
            descending: false,
        };
        let page: TrialsPage = read(&backend.study(name, op).await?)?;
        offset += page.trials.len();
        let done = page.trials.is_empty() || offset >= page.total;
        best.extend(page.trials);
        best.sort_by(order);
        best.truncate(k);
        if done {
            return Ok(best);
        }
    }
}

pub(super) async fn compare_trials<B: Backend>(
    backend: &B,
    args: CompareTrials,
) -> Answer<Comparison> {
    if !(1..=100).contains(&args.top_k) {
        return Err(Failure::invalid("top_k", "must be from 1 to 100"));
    }
    let name = &args.study_name;
    let pareto: ParetoView = read(&backend.study(name, pareto_op()).await?)?;
    let directions = pareto.directions.clone();
    let mut trials = if directions.len() == 1 {
        let direction = directions[0];
        best_complete(backend, name, args.top_k, |t| {
            direction.loss(t.value.unwrap_or(f64::INFINITY))
        })
        .await?
    } else {
        pareto.trials
    };
    trials.truncate(args.top_k);
    let mut names: Vec<String> = trials
        .iter()
        .flat_map(|t| t.params.keys().cloned())
        .collect();
    names.sort();
    names.dedup();
    let mut text = format!("[Info] Top {} trials for {name}:\n", trials.len());
    let header: Vec<String> = ["Trial".to_string(), "Value".to_string()]
        .into_iter()
        .chain(names.iter().cloned())
        .collect();
    text += &format!(
        "{}\n",
        header
            .iter()
            .map(|h| format!("{h:<12}"))
            .collect::<String>()
            .trim_end()
    );
    text += &format!("{}\n", "-".repeat(12 * header.len()));
    for t in &trials {
        let value = match &t.values {
            Some(vs) if vs.len() > 1 => vs.iter().map(|v| num(*v)).collect::<Vec<_>>().join("/"),
            _ => t.value.map_or("-".into(), num),
        };
        let mut cells = vec![format!("#{}", t.number), value];
        cells.extend(
            names
                .iter()
                .map(|n| t.params.get(n).map_or("-".into(), param_text)),
        );
        text += &format!(
            "{}\n",
            cells
                .iter()
                .map(|c| format!("{c:<12}"))
                .collect::<String>()
                .trim_end()
        );
    }
    Ok((
        Comparison {
            study_name: name.clone(),
            directions,
            trials,
        },
        text,
    ))
}

shape! {
/// The best trials.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BestTrials {
    /// The study.
    pub study_name: String,
    /// One direction per objective.
    pub directions: Vec<Direction>,
    /// The best trial, or the Pareto-optimal ones.
    pub trials: Vec<TrialView>,
}
}

pub(super) async fn best_trials<B: Backend>(backend: &B, args: StudyRef) -> Answer<BestTrials> {
    let pareto: ParetoView = read(&backend.study(&args.study_name, pareto_op()).await?)?;
    let numbers: Vec<String> = pareto
        .trials
        .iter()
        .map(|t| format!("#{}", t.number))
        .collect();
    let text = format!(
        "[Info] Best trials of {}: {}",
        pareto.study_name,
        numbers.join(", ")
    );
    let answer = BestTrials {
        study_name: pareto.study_name,
        directions: pareto.directions,
        trials: pareto.trials,
    };
    Ok((answer, text))
}

shape! {
/// The arguments of `importance`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportanceArgs {
    /// The study's name.
    pub study_name: String,
    /// `ped_anova` (default), `fanova` or `mdi`.
    #[serde(default)]
    pub evaluator: Option<String>,
}
}

pub(super) async fn importance<B: Backend>(
    backend: &B,
    args: ImportanceArgs,
) -> Answer<ImportanceView> {
    let op = StudyOp::Importance {
        evaluator: args.evaluator.unwrap_or_else(|| "ped_anova".into()),
        target_quantile: 0.1,
        region_quantile: 1.0,
    };
    let view: ImportanceView = read(&backend.study(&args.study_name, op).await?)?;
    let mut text = format!("[Info] Parameter importance ({}):\n", view.evaluator);
    for name in &view.ranking {
        text += &format!("  {name}: {}\n", num(view.importances[name]));
    }
    Ok((view, text))
}
