//! The MCP tools: the AutoML workflow tools and Optuna MCP's study tools, each a
//! function from its arguments to study operations on a [`Backend`] and an answer with
//! structured content and a short readable text. Their input and output schemas come
//! from the argument and answer types below ([`definitions`], feature `schema`).

mod results;
mod studies;
mod trials;

use edgetune_core::{ParamValue, StudySpec};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

pub use crate::failure::Failure;
use crate::study_op::StudyOp;
#[cfg(feature = "schema")]
use crate::views::ReportAnswer;
#[cfg(feature = "schema")]
use crate::views::{AddedTrials, Deleted, ImportanceView, StudyList, Suggestion, TrialView};

pub use results::{BestParams, BestTrials, CompareTrials, Comparison, ImportanceArgs, ParetoPoint};
pub use studies::{
    DashboardLink, ListArgs, SetMetricNames, StartStudy, StudyRef, StudyStatus, Template,
};
pub use trials::{
    AddTrials, Ask, GetTrials, Report, SetTrialUserAttr, Tell, TellState, TrialsAnswer,
    TrialsFormat,
};

use results::{best_trials, compare_trials, get_best_params, importance};
use studies::{
    dashboard_url, delete_study, get_study_status, list_studies, set_metric_names, start_study,
};
use trials::{add_trials, ask, get_trials, report, set_trial_user_attr, tell};

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
        let field = crate::failure::field_of(&path, &message, "arguments");
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

/// A number as the texts write it: 6 significant decimals, or scientific for the very
/// small and large.
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
