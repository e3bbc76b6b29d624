//! The MCP tools: seed 003's AutoML tools and Optuna MCP's study tools, each a
//! function from its arguments to study operations on a [`Backend`] and an answer with
//! structured content and a short readable text. Their input and output schemas come
//! from the argument and answer types below ([`definitions`], feature `schema`).

use std::collections::BTreeMap;

use edgetune_core::json_f64::JsonF64;
use edgetune_core::{
    Direction, Distribution, Param, ParamValue, SearchSpace, StudySpec, TrialState,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use crate::failure::Failure;
use crate::requests::shape;
use crate::specs::{PrunerSpec, SamplerSpec};
use crate::study_op::NewTrial;
use crate::study_op::StudyOp;
use crate::views::{
    AddedTrials, BestView, Deleted, ImportanceView, ParetoView, ReportAnswer, StudyList, StudyView,
    Suggestion, TrialCounts, TrialView, TrialsPage,
};

/// How the tools reach studies: the Worker's Durable Objects, or an in-process store.
#[allow(async_fn_in_trait)]
pub trait Backend {
    /// Runs `op` on study `name`; the answer's body (JSON, or CSV for a CSV table).
    async fn study(&self, name: &str, op: StudyOp) -> Result<String, Failure>;
    /// Creates a study (the backend fills its defaults); its view as JSON.
    async fn create(&self, spec: StudySpec) -> Result<String, Failure>;
    /// The studies, as a [`StudyList`] in JSON.
    async fn list(&self) -> Result<String, Failure>;
    /// Deletes a study.
    async fn delete(&self, name: &str) -> Result<(), Failure>;
    /// Where a dashboard shows study `name`, if the backend has one.
    fn dashboard_url(&self, name: &str) -> Result<String, Failure>;
}

/// Builds the tool list and the dispatcher from one list of rows: name, title,
/// description, argument type and answer type.
macro_rules! tool_table {
    ($( $function:ident: $name:literal, $title:literal, $description:literal, $args:ty => $answer:ty; )*) => {
        /// Every tool's name.
        pub const TOOL_NAMES: &[&str] = &[$($name),*];

        /// Runs tool `name` on `arguments`; `None` when there is no such tool.
        pub async fn call<B: Backend>(backend: &B, name: &str, arguments: Value) -> Option<Value> {
            Some(match name {
                $($name => answer(match parse::<$args>(arguments) {
                    Ok(args) => $function(backend, args).await,
                    Err(failure) => Err(failure),
                }),)*
                _ => return None,
            })
        }

        /// The tool list of `tools/list`: names, descriptions, input and output schemas.
        #[cfg(feature = "schema")]
        pub fn definitions() -> Value {
            Value::Array(vec![$(
                definition::<$args, $answer>($name, $title, $description),
            )*])
        }
    };
}

tool_table! {
    start_study: "start_study", "Start or resume a study",
        "Create a study, or resume it when one of that name exists. Give a search_space (as POST /api/v1/studies takes it) or a template: \"mnist\" (lr 1e-5..1e-2 log, batch_size 32/64/128/256, epochs 1..10) or \"llm\" (the same plus weight_decay 0..0.1).",
        StartStudy => StudyStatus;
    get_study_status: "get_study_status", "Study status",
        "Trials by state, the best value and parameters, and progress towards n_trials.",
        StudyRef => StudyStatus;
    get_best_params: "get_best_params", "Best parameters",
        "The best parameters and value, ready to use; with several objectives, the Pareto set.",
        StudyRef => BestParams;
    list_studies: "list_studies", "List studies",
        "The studies of this tenant, oldest first.",
        ListArgs => StudyList;
    compare_trials: "compare_trials", "Compare the top trials",
        "The top_k (default 5) complete trials, best first, side by side.",
        CompareTrials => Comparison;
    ask: "ask", "Ask for a trial",
        "Start a trial and get its parameters, over the study's search space or the search_space given.",
        Ask => Suggestion;
    tell: "tell", "Tell a trial's outcome",
        "Finish a running trial: its value(s), or state \"pruned\" or \"fail\".",
        Tell => TrialView;
    report: "report", "Report an intermediate value",
        "Report a running trial's intermediate value at a step; answers whether the pruner says to stop it.",
        Report => ReportAnswer;
    set_trial_user_attr: "set_trial_user_attr", "Set a trial attribute",
        "Set a user attribute of a running or waiting trial.",
        SetTrialUserAttr => TrialView;
    get_trials: "get_trials", "Get trials",
        "The study's trials, as JSON (paged, optionally filtered by state) or as a CSV table.",
        GetTrials => TrialsAnswer;
    best_trials: "best_trials", "Best trials",
        "The best trial, or every Pareto-optimal trial with several objectives.",
        StudyRef => BestTrials;
    importance: "importance", "Parameter importance",
        "How much each parameter matters: PED-ANOVA (default), fANOVA or MDI.",
        ImportanceArgs => ImportanceView;
    delete_study: "delete_study", "Delete a study",
        "Delete the study and all its trials.",
        StudyRef => Deleted;
    dashboard_url: "dashboard_url", "Dashboard link",
        "The study's page on the dashboard.",
        StudyRef => DashboardLink;
    set_metric_names: "set_metric_names", "Name the objectives",
        "Name the study's objectives, one name per direction (Optuna's metric names): views, reports and the dashboard show them instead of \"objective 0\".",
        SetMetricNames => StudyStatus;
    add_trials: "add_trials", "Record trials run elsewhere",
        "Record finished trials run outside the study (params, value or values, state COMPLETE, PRUNED or FAIL), over the study's search space, as Optuna's add_trials. All are recorded or none.",
        AddTrials => AddedTrials;
}

/// A tool's definition, its schemas self-contained.
#[cfg(feature = "schema")]
fn definition<A: schemars::JsonSchema, O: schemars::JsonSchema>(
    name: &str,
    title: &str,
    description: &str,
) -> Value {
    let schema = |mut s: schemars::Schema| {
        s.remove("$schema");
        s.remove("title");
        let mut v = s.to_value();
        crate::descriptions::tidy_descriptions(&mut v);
        crate::descriptions::drop_number_formats(&mut v);
        v
    };
    let generator = || schemars::generate::SchemaSettings::draft2020_12().into_generator();
    json!({
        "name": name,
        "title": title,
        "description": description,
        "inputSchema": schema(generator().into_root_schema_for::<A>()),
        "outputSchema": schema(generator().into_root_schema_for::<O>()),
    })
}

/// Arguments as the tool's type, or a failure naming the field.
fn parse<T: DeserializeOwned>(arguments: Value) -> Result<T, Failure> {
    let arguments = if arguments.is_null() {
        json!({})
    } else {
        arguments
    };
    serde_path_to_error::deserialize(arguments).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (path.as_str(), missing) {
            (".", Some(name)) => name.to_string(),
            (_, Some(name)) => format!("{path}.{name}"),
            (".", None) => "arguments".to_string(),
            (_, None) => path,
        };
        Failure::invalid(field, message)
    })
}

/// A tool's answer: what it found, or an error naming the field, as a result.
type Answer<T> = Result<(T, String), Failure>;

fn answer<T: Serialize>(outcome: Answer<T>) -> Value {
    match outcome {
        Ok((structured, text)) => json!({
            "content": [{"type": "text", "text": text}],
            "structuredContent": structured,
            "isError": false,
        }),
        // An error result has no structured content (clients check that against the
        // tool's output schema); the error's code and field ride in `_meta`.
        Err(f) => {
            let mut error = json!({"code": f.code, "message": f.message});
            if let Some(field) = &f.field {
                error["field"] = json!(field);
            }
            json!({
                "content": [{"type": "text", "text": format!("[Error] {}", f.message)}],
                "isError": true,
                "_meta": {ERROR_META: error},
            })
        }
    }
}

/// The `_meta` key of an error result's `{code, message, field}`.
pub const ERROR_META: &str = "edgetune/error";

/// The JSON of a backend's answer as `T`.
fn read<T: DeserializeOwned>(body: &str) -> Result<T, Failure> {
    serde_json::from_str(body).map_err(|e| Failure {
        status: 500,
        code: "internal".into(),
        message: format!("unreadable answer: {e}"),
        field: None,
    })
}

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
/// A default search space of seed 003's AutoML service.
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

shape! {
/// The arguments of `start_study`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartStudy {
    /// The study's name: 1 to 128 letters, digits and `_ - . :`.
    pub study_name: String,
    /// The parameters to tune, as `POST /api/v1/studies` takes them.
    #[serde(default)]
    pub search_space: Option<SearchSpace>,
    /// A default search space instead: `mnist` or `llm`.
    #[serde(default)]
    pub template: Option<Template>,
    /// How many trials the study is meant to run (kept in its metadata; progress is
    /// shown against it).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100000)))]
    pub n_trials: Option<u64>,
    /// One direction per objective; default `["minimize"]`.
    #[serde(default)]
    pub directions: Option<Vec<Direction>>,
    /// The sampler, by name or with options.
    #[serde(default)]
    pub sampler: Option<SamplerSpec>,
    /// The pruner, by name or with options.
    #[serde(default)]
    pub pruner: Option<PrunerSpec>,
    /// The seed of every random draw.
    #[serde(default)]
    pub seed: Option<u64>,
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
        }
    }

    fn text(&self, headline: &str) -> String {
        let c = &self.trial_counts;
        let mut out = format!("{headline}: {}\n", self.study_name);
        let planned = self
            .n_trials_planned
            .map_or(String::new(), |n| format!(" of {n} planned"));
        out += &format!(
            "Trials: {}{planned} ({} complete, {} pruned, {} failed, {} running)\n",
            self.n_trials, c.COMPLETE, c.PRUNED, c.FAIL, c.RUNNING
        );
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

fn num(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e6) {
        format!("{v:.4e}")
    } else {
        format!("{}", (v * 1e6).round() / 1e6)
    }
}

fn param_text(v: &ParamValue) -> String {
    match v {
        ParamValue::Float(f) => num(*f),
        ParamValue::Str(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

async fn start_study<B: Backend>(backend: &B, args: StartStudy) -> Answer<StudyStatus> {
    let space = match (args.search_space, args.template) {
        (Some(_), Some(_)) => {
            return Err(Failure::invalid(
                "template",
                "give search_space or template, not both",
            ))
        }
        (Some(space), None) => Some(space),
        (None, Some(template)) => Some(template.space()),
        (None, None) => None,
    };
    let mut spec = StudySpec::named(args.study_name.clone());
    spec.directions = args
        .directions
        .map(|ds| ds.iter().map(|d| d.as_str().to_string()).collect());
    spec.sampler = args.sampler.map(|s| s.0);
    spec.pruner = args.pruner.map(|p| p.0);
    spec.seed = args.seed;
    spec.search_space = space.clone();
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
        Err(f) if space.is_none() && f.field.as_deref() == Some("search_space") => Err(f),
        Err(f) => Err(f),
    }
}

async fn get_study_status<B: Backend>(backend: &B, args: StudyRef) -> Answer<StudyStatus> {
    let view: StudyView = read(&backend.study(&args.study_name, StudyOp::Get).await?)?;
    let status = StudyStatus::of(view, None);
    let text = status.text("[Info] Study");
    Ok((status, text))
}

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

async fn get_best_params<B: Backend>(backend: &B, args: StudyRef) -> Answer<BestParams> {
    let name = &args.study_name;
    let pareto: ParetoView = read(&backend.study(name, pareto_op()).await?)?;
    if pareto.directions.len() == 1 {
        let best: BestView = read(&backend.study(name, StudyOp::Best).await?)?;
        let assignments: Vec<String> = best
            .best_params
            .iter()
            .map(|(k, v)| format!("{k}={}", param_text(v)))
            .collect();
        let mut text = format!("[Info] Best hyperparameters for {name}:\n\n");
        for line in &assignments {
            text += &format!("  {line}\n");
        }
        text += &format!(
            "\nBest value: {} (trial #{})\nAs arguments: {}\n",
            best.best_value.map_or("-".into(), num),
            best.best_trial.number,
            assignments.join(", ")
        );
        let answer = BestParams {
            study_name: name.clone(),
            best_trial_number: Some(best.best_trial.number),
            best_value: best.best_value,
            best_params: Some(best.best_params),
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
    if front.is_empty() {
        return Err(Failure {
            status: 404,
            code: "no_completed_trials".into(),
            message: "no trial is complete yet, so there is no best trial".into(),
            field: None,
        });
    }
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

async fn list_studies<B: Backend>(backend: &B, _args: ListArgs) -> Answer<StudyList> {
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

/// Every trial of `states`, page by page. O(n) in trials.
async fn all_trials<B: Backend>(
    backend: &B,
    name: &str,
    states: Vec<TrialState>,
) -> Result<Vec<TrialView>, Failure> {
    let mut trials = Vec::new();
    loop {
        let op = StudyOp::Trials {
            states: states.clone(),
            offset: trials.len(),
            limit: 1000,
            descending: false,
        };
        let page: TrialsPage = read(&backend.study(name, op).await?)?;
        let done = page.trials.is_empty() || trials.len() + page.trials.len() >= page.total;
        trials.extend(page.trials);
        if done {
            return Ok(trials);
        }
    }
}

async fn compare_trials<B: Backend>(backend: &B, args: CompareTrials) -> Answer<Comparison> {
    if !(1..=100).contains(&args.top_k) {
        return Err(Failure::invalid("top_k", "must be from 1 to 100"));
    }
    let name = &args.study_name;
    let pareto: ParetoView = read(&backend.study(name, pareto_op()).await?)?;
    let directions = pareto.directions.clone();
    let mut trials = if directions.len() == 1 {
        let mut trials = all_trials(backend, name, vec![TrialState::Complete]).await?;
        let key = |t: &TrialView| directions[0].loss(t.value.unwrap_or(f64::INFINITY));
        trials.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.number.cmp(&b.number)));
        trials
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

async fn ask<B: Backend>(backend: &B, args: Ask) -> Answer<Suggestion> {
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
}
}

async fn tell<B: Backend>(backend: &B, args: Tell) -> Answer<TrialView> {
    let number = args.trial_number;
    let state = args.state.unwrap_or(TellState::Complete);
    let op = match state {
        TellState::Complete => StudyOp::Complete {
            number,
            values: match (args.value, args.values) {
                (Some(v), None) => vec![v],
                (None, Some(vs)) => vs,
                (Some(_), Some(_)) => {
                    return Err(Failure::invalid("value", "give value or values, not both"))
                }
                (None, None) => {
                    return Err(Failure::invalid(
                        "value",
                        "a complete trial needs value or values",
                    ))
                }
            },
            constraints: None,
        },
        _ if args.value.is_some() || args.values.is_some() => {
            return Err(Failure::invalid(
                "value",
                "only a complete trial has values",
            ))
        }
        TellState::Pruned => StudyOp::Prune { number },
        TellState::Fail => StudyOp::Fail {
            number,
            reason: args.reason,
        },
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
}
}

async fn report<B: Backend>(backend: &B, args: Report) -> Answer<ReportAnswer> {
    let op = StudyOp::Report {
        number: args.trial_number,
        step: args.step,
        value: args.value,
    };
    let answer: ReportAnswer = read(&backend.study(&args.study_name, op).await?)?;
    let text = if answer.should_prune {
        format!(
            "[Prune] Stop trial #{} now and tell it state \"pruned\".",
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

async fn set_trial_user_attr<B: Backend>(backend: &B, args: SetTrialUserAttr) -> Answer<TrialView> {
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

async fn get_trials<B: Backend>(backend: &B, args: GetTrials) -> Answer<TrialsAnswer> {
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

async fn best_trials<B: Backend>(backend: &B, args: StudyRef) -> Answer<BestTrials> {
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

async fn importance<B: Backend>(backend: &B, args: ImportanceArgs) -> Answer<ImportanceView> {
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

async fn delete_study<B: Backend>(backend: &B, args: StudyRef) -> Answer<Deleted> {
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

async fn dashboard_url<B: Backend>(backend: &B, args: StudyRef) -> Answer<DashboardLink> {
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

async fn set_metric_names<B: Backend>(backend: &B, args: SetMetricNames) -> Answer<StudyStatus> {
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

async fn add_trials<B: Backend>(backend: &B, args: AddTrials) -> Answer<AddedTrials> {
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
