//! The route table: every route of the service, one row each, with its method, path,
//! authentication, summary, query and body types, and its answer. The Worker's router
//! dispatches by it (an exhaustive `match` on [`RouteId`], so a row without a handler
//! does not compile) and the OpenAPI document is generated from it, so a route cannot
//! exist undocumented.

/// An HTTP method of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method of a request line (`"GET"`), if the API has it.
    pub fn parse(text: &str) -> Option<Method> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    /// The lowercase name, as OpenAPI writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Delete => "delete",
        }
    }
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Anyone.
    Public,
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// The key is the path's `{api_key}` (the Ax client sends no headers).
    PathKey,
}

/// What a route answers on success.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A JSON body of the route's response type.
    Json,
    /// An HTML page.
    Html,
    /// A JSON-RPC response (MCP): errors are JSON-RPC errors too, and notifications
    /// are answered 202 without a body.
    JsonRpc,
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Which route, for the router's `match`.
    pub id: RouteId,
    /// Its method.
    pub method: Method,
    /// Its path template, with `{name}` for each path parameter.
    pub path: &'static str,
    /// Who may call it.
    pub auth: Auth,
    /// What it does, in a line.
    pub summary: &'static str,
    /// The status of a success.
    pub status: u16,
    /// What a success answers.
    pub answer: Answer,
    /// Its group in the docs.
    pub tag: &'static str,
}

/// The schemas of one route, as the route table names them.
#[derive(Default)]
#[cfg(feature = "schema")]
pub struct RouteSchemas {
    /// The query string's parameters, as one object schema.
    pub query: Option<schemars::Schema>,
    /// The request body.
    pub body: Option<schemars::Schema>,
    /// The answer's body.
    pub response: Option<schemars::Schema>,
}

/// Builds [`RouteId`], [`ROUTES`] and, with the `schema` feature, the schema of each
/// route's query, body and answer, all from one list of rows.
macro_rules! route_table {
    ($(
        $(#[$meta:meta])*
        $id:ident: $method:ident $path:literal, $auth:ident, $tag:literal, $summary:literal
            $(, query $query:ty)? $(, body $body:ty)? => $status:literal $answer:ident $($response:ty)?;
    )*) => {
        /// Every route of the service.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RouteId {
            $($(#[$meta])* $id,)*
        }

        /// The route table, in the order the docs list it.
        pub const ROUTES: &[Route] = &[$(
            Route {
                id: RouteId::$id,
                method: Method::$method,
                path: $path,
                auth: Auth::$auth,
                summary: $summary,
                status: $status,
                answer: Answer::$answer,
                tag: $tag,
            },
        )*];

        #[cfg(feature = "schema")]
        impl RouteId {
            /// The schemas of the route's query parameters, body and answer.
            pub fn schemas(self, generator: &mut schemars::SchemaGenerator) -> RouteSchemas {
                #[allow(unused_mut)]
                match self {
                    $(RouteId::$id => {
                        let mut schemas = RouteSchemas::default();
                        $(schemas.query = Some(<$query as schemars::JsonSchema>::json_schema(generator));)?
                        $(schemas.body = Some(generator.subschema_for::<$body>());)?
                        $(schemas.response = Some(generator.subschema_for::<$response>());)?
                        schemas
                    })*
                }
            }
        }
    };
}

#[cfg(feature = "schema")]
use crate::automations::{
    AutomationConfig, AutomationDeleted, AutomationList, AutomationView, RunList, RunRequest,
    RunView, RunsQuery,
};
#[cfg(feature = "schema")]
use crate::ax::{AxHealth, AxResults, EvaluateAnswer, JobCreated, JobList, JobView};
#[cfg(feature = "schema")]
use crate::observations::{
    ObservationsPage, ObservationsQuery, Observe, ObserveAnswer, Recommendation,
};
#[cfg(feature = "schema")]
use crate::requests::{
    Complete, CreateStudy, Enqueue, Evaluate, Fail, ImportanceQuery, JobsQuery, JournalQuery,
    Optimize, PageQuery, ParetoQuery, Report, SetHistoryWindow, SetMetricNames, SetUserAttr,
    Suggest, SuggestInTrial, TableQuery, TrialsQuery,
};
#[cfg(feature = "schema")]
use crate::views::{
    BestView, Deleted, Enqueued, Health, HeartbeatAnswer, ImportanceView, Index, ParetoView,
    Readiness, ReportAnswer, StudyList, StudyView, Suggestion, TableView, TrialView, TrialsPage,
};
#[cfg(feature = "schema")]
use edgetune_core::Journal;

route_table! {
    /// Where to start.
    Index: Get "/", Public, "service", "An index: the service's name and version, and where its docs, dashboard and health check are" => 200 Json Index;
    /// Liveness, with a storage round trip.
    Health: Get "/api/v1/health", Public, "service", "Liveness, with a storage round trip (503 when storage does not answer)" => 200 Json Health;
    /// Readiness.
    Ready: Get "/api/v1/ready", Public, "service", "Readiness: 200 once API keys are configured, else 503" => 200 Json Readiness;
    /// The tenant's studies.
    ListStudies: Get "/api/v1/studies", Bearer, "studies", "The tenant's studies, paged", query PageQuery => 200 Json StudyList;
    /// Create a study.
    CreateStudy: Post "/api/v1/studies", Bearer, "studies", "Create a study", body CreateStudy => 201 Json StudyView;
    /// A study's configuration and state.
    GetStudy: Get "/api/v1/studies/{study_name}", Bearer, "studies", "Configuration, counts by state, best trial, last activity" => 200 Json StudyView;
    /// Delete a study.
    DeleteStudy: Delete "/api/v1/studies/{study_name}", Bearer, "studies", "Delete the study and its trials" => 200 Json Deleted;
    /// Export the journal.
    ExportJournal: Get "/api/v1/studies/{study_name}/journal", Bearer, "studies", "Export the study's journal, to continue it elsewhere (the npm package's Study.fromJournal, or another name here); `format=optuna` answers Optuna's journal file (application/x-ndjson), which Optuna's JournalStorage and optuna-dashboard open", query JournalQuery => 200 Json Journal;
    /// Create a study from a journal.
    ImportJournal: Post "/api/v1/studies/{study_name}/journal", Bearer, "studies", "Create the study from a journal (up to 16 MiB): it continues exactly where the journal ends, under this name; with `format=optuna`, from an Optuna journal file (its study `from_study_name`), continued by this deployment's default sampler", query JournalQuery, body Journal => 201 Json StudyView;
    /// Set or resize the history window.
    SetHistoryWindow: Put "/api/v1/studies/{study_name}/history_window", Bearer, "studies", "Give the study a history window, or resize it: the sampler and the pruner see its newest N finished trials (20 to 1,000,000), the incumbent and the running trials; older trials leave memory, not the study", body SetHistoryWindow => 200 Json StudyView;
    /// Set a study user attribute.
    SetStudyUserAttr: Post "/api/v1/studies/{study_name}/user_attrs", Bearer, "studies", "Set a user attribute of the study (Optuna's study.set_user_attr)", body SetUserAttr => 200 Json StudyView;
    /// Name the objectives.
    SetMetricNames: Put "/api/v1/studies/{study_name}/metric_names", Bearer, "studies", "Name the objectives, one name per objective (Optuna's study.set_metric_names)", body SetMetricNames => 200 Json StudyView;
    /// A page of trials.
    ListTrials: Get "/api/v1/studies/{study_name}/trials", Bearer, "trials", "Trials, filtered by state(s), paged, ordered", query TrialsQuery => 200 Json TrialsPage;
    /// Ask.
    Suggest: Post "/api/v1/studies/{study_name}/trials/suggest", Bearer, "trials", "Ask: a new trial over the study's search space (or the one given)", body Suggest => 200 Json Suggestion;
    /// Suggest one parameter of a running trial.
    SuggestInTrial: Post "/api/v1/studies/{study_name}/trials/{number}/suggest", Bearer, "trials", "Define-by-run: suggest parameters of a RUNNING trial, in order (Optuna's trial.suggest_*); the same name and distribution answer the same value; all or none", body SuggestInTrial => 200 Json Suggestion;
    /// Enqueue a trial.
    Enqueue: Post "/api/v1/studies/{study_name}/trials/enqueue", Bearer, "trials", "Enqueue a WAITING trial with fixed parameters (Optuna's enqueue_trial): the next ask starts it", body Enqueue => 200 Json Enqueued;
    /// Set a trial's user attribute.
    SetTrialUserAttr: Post "/api/v1/studies/{study_name}/trials/{number}/user_attrs", Bearer, "trials", "Set a user attribute of a RUNNING or WAITING trial", body SetUserAttr => 200 Json TrialView;
    /// Tell a value.
    Complete: Post "/api/v1/studies/{study_name}/trials/{number}/complete", Bearer, "trials", "Tell: the value, or one per objective, with optional constraints", body Complete => 200 Json TrialView;
    /// Report an intermediate value.
    Report: Post "/api/v1/studies/{study_name}/trials/{number}/report", Bearer, "trials", "An intermediate value; answers whether to prune", body Report => 200 Json ReportAnswer;
    /// Prune.
    Prune: Post "/api/v1/studies/{study_name}/trials/{number}/prune", Bearer, "trials", "Finish the trial as PRUNED" => 200 Json TrialView;
    /// Heartbeat.
    Heartbeat: Post "/api/v1/studies/{study_name}/trials/{number}/heartbeat", Bearer, "trials", "Keep a RUNNING trial alive (see heartbeat_timeout)" => 200 Json HeartbeatAnswer;
    /// Fail.
    Fail: Post "/api/v1/studies/{study_name}/trials/{number}/fail", Bearer, "trials", "Finish the trial as FAIL", body Fail => 200 Json TrialView;
    /// The trials table.
    Table: Get "/api/v1/studies/{study_name}/trials/table", Bearer, "analysis", "The flat trials table (Optuna's trials_dataframe); `format=csv` answers text/csv", query TableQuery => 200 Json TableView;
    /// The best trial.
    Best: Get "/api/v1/studies/{study_name}/best", Bearer, "analysis", "The best trial (the first Pareto-optimal one with several objectives)" => 200 Json BestView;
    /// The Pareto front.
    Pareto: Get "/api/v1/studies/{study_name}/pareto", Bearer, "analysis", "The Pareto front, and its hypervolume against a reference point", query ParetoQuery => 200 Json ParetoView;
    /// Parameter importance.
    Importance: Get "/api/v1/studies/{study_name}/importance", Bearer, "analysis", "Parameter importance", query ImportanceQuery => 200 Json ImportanceView;
    /// Ingest production observations.
    Observe: Post "/api/v1/studies/{study_name}/observations", Bearer, "automations", "Ingest production observations (1 to 1000), each checked against the search space and idempotent by id; one bad observation stores none", body Observe => 200 Json ObserveAnswer;
    /// A page of observations.
    ListObservations: Get "/api/v1/studies/{study_name}/observations", Bearer, "automations", "The study's observations, pending (not folded in yet), folded or all, with their count", query ObservationsQuery => 200 Json ObservationsPage;
    /// The published recommendation.
    Recommendation: Get "/api/v1/studies/{study_name}/recommendation", Bearer, "automations", "What production should run: the best parameters and the next configurations of the latest run, with an ETag (If-None-Match answers 304)" => 200 Json Recommendation;
    /// The tenant's automations.
    ListAutomations: Get "/api/v1/automations", Bearer, "automations", "The tenant's automations, with their schedule and last run" => 200 Json AutomationList;
    /// Create or replace an automation.
    PutAutomation: Put "/api/v1/automations/{automation_name}", Bearer, "automations", "Create or replace an automation: its studies, schedule, conditions, recommendations, retries and history", body AutomationConfig => 200 Json AutomationView;
    /// An automation.
    GetAutomation: Get "/api/v1/automations/{automation_name}", Bearer, "automations", "An automation's configuration, next run and last run" => 200 Json AutomationView;
    /// Delete an automation.
    DeleteAutomation: Delete "/api/v1/automations/{automation_name}", Bearer, "automations", "Delete the automation and its history (its studies stay)" => 200 Json AutomationDeleted;
    /// Run an automation now.
    RunAutomation: Post "/api/v1/automations/{automation_name}/run", Bearer, "automations", "Run now and answer the run; `force` skips the interval and observation conditions, never `enabled`; 409 while a run is in progress", body RunRequest => 200 Json RunView;
    /// The audit trail.
    ListRuns: Get "/api/v1/automations/{automation_name}/runs", Bearer, "automations", "The audit trail, newest first: each run's trigger, times, conditions and outcomes", query RunsQuery => 200 Json RunList;
    /// Ax: health.
    AxHealth: Get "/ax/{api_key}/health", PathKey, "ax", "Ax API: health" => 200 Json AxHealth;
    /// Ax: create a job.
    AxOptimize: Post "/ax/{api_key}/optimize", PathKey, "ax", "Ax API: create a job (a study with a trial budget and a deadline)", body Optimize => 200 Json JobCreated;
    /// Ax: recent jobs.
    AxListJobs: Get "/ax/{api_key}/jobs", PathKey, "ax", "Ax API: recent jobs", query JobsQuery => 200 Json JobList;
    /// Ax: a job.
    AxGetJob: Get "/ax/{api_key}/jobs/{job_id}", PathKey, "ax", "Ax API: job status and progress" => 200 Json JobView;
    /// Ax: cancel a job.
    AxCancelJob: Delete "/ax/{api_key}/jobs/{job_id}", PathKey, "ax", "Ax API: cancel the job" => 200 Json JobView;
    /// Ax: studies.
    AxListStudies: Get "/ax/{api_key}/studies", PathKey, "ax", "Ax API: studies" => 200 Json StudyList;
    /// Ax: delete a study.
    AxDeleteStudy: Delete "/ax/{api_key}/studies/{study_name}", PathKey, "ax", "Ax API: delete a study" => 200 Json Deleted;
    /// Ax: suggest.
    AxSuggest: Post "/ax/{api_key}/studies/{study_name}/suggest", PathKey, "ax", "Ax API: suggest parameters (no body)" => 200 Json Suggestion;
    /// Ax: evaluate.
    AxEvaluate: Post "/ax/{api_key}/studies/{study_name}/evaluate", PathKey, "ax", "Ax API: report a trial's value (and intermediate values, which can prune it)", body Evaluate => 200 Json EvaluateAnswer;
    /// Ax: results.
    AxResults: Get "/ax/{api_key}/studies/{study_name}/results", PathKey, "ax", "Ax API: best trial, value, params and every trial" => 200 Json AxResults;
    /// MCP over Streamable HTTP.
    Mcp: Post "/mcp", Bearer, "mcp", "MCP (Streamable HTTP, stateless): one JSON-RPC message of protocol 2025-06-18 or 2025-11-25 (initialize, tools/list, tools/call, ping), or of 2026-07-28 (server/discover instead of initialize; the version in MCP-Protocol-Version and params._meta); the same tools as the local `edgetune-mcp`", body crate::mcp::Message => 200 JsonRpc crate::mcp::Response;
    /// This document.
    OpenApi: Get "/openapi.json", Public, "service", "This document (OpenAPI 3.1)" => 200 Json;
    /// Interactive docs.
    Docs: Get "/docs", Public, "service", "Interactive API docs (Swagger UI)" => 200 Html;
}

/// The path parameters of a matched route, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    /// The value of `{name}`, or "" when the route has no such parameter.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// What the table says of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Matched {
    /// A route, with its path parameters.
    Route(&'static Route, Params),
    /// The path is a route's, but not with this method (405).
    MethodNotAllowed,
    /// No route has this path (404).
    NotFound,
}

/// Finds the route of `method` and `path` (a URL path, empty segments ignored).
/// O(routes × segments).
///
/// ```
/// use edgetune_api::routes::{find, Matched, Method, RouteId};
/// let Matched::Route(route, params) = find(Method::Post, "/api/v1/studies/s1/trials/3/report")
/// else { panic!() };
/// assert_eq!((route.id, params.get("study_name"), params.get("number")), (RouteId::Report, "s1", "3"));
/// assert_eq!(find(Method::Put, "/api/v1/studies"), Matched::MethodNotAllowed);
/// ```
pub fn find(method: Method, path: &str) -> Matched {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut path_matched = false;
    for route in ROUTES {
        let Some(params) = match_template(route.path, &segments) else {
            continue;
        };
        if route.method == method {
            return Matched::Route(route, params);
        }
        path_matched = true;
    }
    if path_matched {
        Matched::MethodNotAllowed
    } else {
        Matched::NotFound
    }
}

/// The parameters of `segments` under `template`, if it matches. A literal segment
/// beats a parameter: `/trials/table` is the table, not trial `table`, because the
/// table's row comes first wherever both could match.
fn match_template(template: &'static str, segments: &[&str]) -> Option<Params> {
    let parts: Vec<&'static str> = template.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => params.push((name, (*segment).to_string())),
            None if part == segment => {}
            None => return None,
        }
    }
    Some(Params(params))
}

/// The path parameters of a template, in order.
pub fn path_params(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_found_by_its_own_path_and_method() {
        for route in ROUTES {
            let path = route
                .path
                .replace("{study_name}", "s")
                .replace("{number}", "7")
                .replace("{job_id}", "j")
                .replace("{automation_name}", "a")
                .replace("{api_key}", "k");
            match find(route.method, &path) {
                Matched::Route(found, _) => assert_eq!(found.id, route.id, "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_root_is_the_index() {
        let Matched::Route(route, _) = find(Method::Get, "/") else {
            panic!()
        };
        assert_eq!(route.id, RouteId::Index);
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        let Matched::Route(route, _) = find(Method::Get, "/api/v1/studies/s/trials/table") else {
            panic!()
        };
        assert_eq!(route.id, RouteId::Table);
        let Matched::Route(route, params) = find(Method::Post, "/api/v1/studies/s/trials/suggest")
        else {
            panic!()
        };
        assert_eq!(
            (route.id, params.get("study_name")),
            (RouteId::Suggest, "s")
        );
    }

    #[test]
    fn unknown_paths_and_methods() {
        assert_eq!(find(Method::Get, "/api/v1/nothing"), Matched::NotFound);
        assert_eq!(find(Method::Get, "/nothing"), Matched::NotFound);
        assert_eq!(find(Method::Post, "/"), Matched::MethodNotAllowed);
        assert_eq!(
            find(Method::Delete, "/api/v1/health"),
            Matched::MethodNotAllowed
        );
        assert_eq!(
            find(Method::Get, "/api/v1/studies/s/trials/1/complete"),
            Matched::MethodNotAllowed
        );
    }

    #[test]
    fn paths_and_methods_are_unique() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "{} {} twice",
                    a.method.as_str(),
                    a.path
                );
            }
        }
    }
}
