//! From a request to what the service does: one parser for every row of the route table
//! ([`crate::routes::ROUTES`]), from the route's path parameters, query string and body
//! to an [`Operation`], with every check of the input and errors that name the field.
//! The Worker's router looks the route up, calls [`parse`] and forwards what it gets;
//! the MCP tools build the same study operations with the same functions
//! ([`crate::input`]).

use edgetune_core::StudySpec;

use crate::automations::{validate_name, AutomationConfig, RunRequest, RunsQuery};
use crate::failure::Failure;
use crate::input::{
    body, complete, evaluate, fail, importance, observations, optional_body, pareto, parse_count,
    query, report, table, trial_number, trials,
};
use crate::observations::Observe;
use crate::requests::{
    Enqueue, JobsQuery, JournalQuery, Optimize, PageQuery, SetHistoryWindow, SetMetricNames,
    SetUserAttr, Suggest, SuggestInTrial,
};
use crate::routes::{Params, RouteId};
use crate::study_op::{ObjectOp, StudyOp};

/// What a request carries besides its route: its path parameters, its query string,
/// its body (empty when it sent none) and its `If-None-Match` header.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The route's path parameters.
    pub params: &'a Params,
    /// The query string, without `?`.
    pub query: Option<&'a str>,
    /// The body's bytes.
    pub body: &'a [u8],
    /// `If-None-Match`, for the recommendation's ETag.
    pub if_none_match: Option<&'a str>,
}

/// What a request asks the service to do, checked.
#[derive(Clone, Debug)]
#[allow(missing_docs)]
pub enum Operation {
    /// Answered by the Worker from what it has.
    Service(Service),
    /// A page of the tenant's studies.
    ListStudies { offset: usize, limit: usize },
    /// Create a study.
    CreateStudy(Box<StudySpec>),
    /// Delete a study.
    DeleteStudy { name: String },
    /// Create study `name` from the Optuna journal in the body (its study
    /// `from_study_name`, or its only one), read as [`Operation::ImportJournal`] reads.
    ImportOptunaJournal {
        name: String,
        from_study_name: Option<String>,
    },
    /// Create study `name` from the journal in the body (read under the journal's own,
    /// larger, limit, and checked event by event as it is stored).
    ImportJournal { name: String },
    /// Run `op` at study `name`'s object.
    Study { name: String, op: ObjectOp },
    /// Ask the tenant's automations.
    Automation(AutomationCall),
    /// The Ax API's optimize.
    AxOptimize(Box<Optimize>),
    /// The Ax API's newest jobs.
    AxListJobs { limit: usize },
    /// The Ax API's job, or its cancellation.
    AxJob { job_id: String, cancel: bool },
    /// One MCP message (the body), handled by the MCP server.
    Mcp,
}

/// The routes the Worker answers from what it has, without a study or a tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// `GET /`: the index.
    Index,
    /// Liveness, with a storage round trip.
    Health,
    /// Readiness: whether API keys are configured.
    Ready,
    /// The OpenAPI document.
    OpenApi,
    /// The interactive docs page.
    Docs,
    /// The Ax API's health.
    AxHealth,
}

/// What a request asks of the tenant's automations.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum AutomationCall {
    List,
    /// Create or replace, with a checked configuration.
    Put {
        name: String,
        config: Box<AutomationConfig>,
    },
    Get {
        name: String,
    },
    Delete {
        name: String,
    },
    /// Run now (`force` skips the interval and count conditions).
    Run {
        name: String,
        force: bool,
    },
    /// The audit trail's newest `limit` runs.
    Runs {
        name: String,
        limit: usize,
    },
}

/// The operation of `route` on `request`. O(size of the body).
///
/// ```
/// use edgetune_api::parse::{parse, Operation, Request};
/// use edgetune_api::routes::{find, Matched, Method};
/// use edgetune_api::study_op::{ObjectOp, StudyOp};
/// let Matched::Route(route, params) = find(Method::Post, "/api/v1/studies/s/trials/3/fail") else { panic!() };
/// let request = Request { params: &params, query: None, body: br#"{"reason": "out of memory"}"#, if_none_match: None };
/// let Ok(Operation::Study { name, op: ObjectOp::Study(StudyOp::Fail { number, .. }) }) = parse(route.id, &request) else { panic!() };
/// assert_eq!((name.as_str(), number), ("s", 3));
/// let bad = Request { body: br#"{"reason": 7}"#, ..request };
/// assert_eq!(parse(route.id, &bad).unwrap_err().field.as_deref(), Some("reason"));
/// ```
pub fn parse(route: RouteId, request: &Request) -> Result<Operation, Failure> {
    let name = || request.params.get("study_name").to_string();
    let study = |op: StudyOp| Operation::Study {
        name: name(),
        op: ObjectOp::Study(op),
    };
    let object = |op: ObjectOp| Operation::Study { name: name(), op };
    let number = || trial_number(request.params.get("number"));
    let automation = || request.params.get("automation_name").to_string();
    Ok(match route {
        RouteId::Index => Operation::Service(Service::Index),
        RouteId::Health => Operation::Service(Service::Health),
        RouteId::Ready => Operation::Service(Service::Ready),
        RouteId::OpenApi => Operation::Service(Service::OpenApi),
        RouteId::Docs => Operation::Service(Service::Docs),
        RouteId::AxHealth => Operation::Service(Service::AxHealth),
        RouteId::ListStudies => {
            let query: PageQuery = query(request.query)?;
            let offset = parse_count(query.offset.as_deref(), "offset", 0, i64::MAX as usize)?;
            let limit = parse_count(query.limit.as_deref(), "limit", 100, 1000)?;
            if limit == 0 {
                return Err(Failure::invalid("limit", "must be from 1 to 1000"));
            }
            Operation::ListStudies { offset, limit }
        }
        RouteId::AxListStudies => Operation::ListStudies {
            offset: 0,
            limit: 1000,
        },
        RouteId::CreateStudy => Operation::CreateStudy(Box::new(body(request.body)?)),
        RouteId::GetStudy => study(StudyOp::Get),
        RouteId::DeleteStudy | RouteId::AxDeleteStudy => Operation::DeleteStudy { name: name() },
        RouteId::ExportJournal => {
            let query: JournalQuery = query(request.query)?;
            if query.from_study_name.is_some() {
                return Err(Failure::invalid(
                    "from_study_name",
                    "picks the study of an imported Optuna journal; an export has none",
                ));
            }
            match journal_format(query.format.as_deref())? {
                JournalFormat::Edgetune => study(StudyOp::Journal),
                JournalFormat::Optuna => study(StudyOp::OptunaJournal),
            }
        }
        RouteId::ImportJournal => {
            let query: JournalQuery = query(request.query)?;
            match journal_format(query.format.as_deref())? {
                JournalFormat::Optuna => Operation::ImportOptunaJournal {
                    name: name(),
                    from_study_name: query.from_study_name,
                },
                JournalFormat::Edgetune if query.from_study_name.is_some() => {
                    return Err(Failure::invalid(
                        "from_study_name",
                        "picks a study of an Optuna journal: give format=optuna",
                    ))
                }
                JournalFormat::Edgetune => Operation::ImportJournal { name: name() },
            }
        }
        RouteId::SetStudyUserAttr => {
            let body: SetUserAttr = body(request.body)?;
            study(StudyOp::SetUserAttr {
                key: body.key,
                value: body.value,
            })
        }
        RouteId::SetMetricNames => {
            let body: SetMetricNames = body(request.body)?;
            study(StudyOp::SetMetricNames {
                names: body.metric_names,
            })
        }
        RouteId::ListTrials => study(trials(query(request.query)?)?),
        RouteId::SetHistoryWindow => {
            let body: SetHistoryWindow = body(request.body)?;
            study(StudyOp::SetHistoryWindow {
                window: body.history_window,
            })
        }
        RouteId::Suggest => {
            let body: Option<Suggest> = optional_body(request.body)?;
            study(StudyOp::Suggest {
                search_space: body.and_then(|b| b.search_space),
            })
        }
        RouteId::SuggestInTrial => {
            let number = number()?;
            let body: SuggestInTrial = body(request.body)?;
            study(StudyOp::SuggestInTrial {
                number,
                search_space: body.search_space,
            })
        }
        RouteId::Enqueue => {
            let body: Enqueue = body(request.body)?;
            study(StudyOp::Enqueue {
                params: body.params,
            })
        }
        RouteId::SetTrialUserAttr => {
            let number = number()?;
            let body: SetUserAttr = body(request.body)?;
            study(StudyOp::SetTrialUserAttr {
                number,
                key: body.key,
                value: body.value,
            })
        }
        RouteId::Complete => study(complete(number()?, body(request.body)?)?),
        RouteId::Report => study(report(number()?, body(request.body)?)),
        RouteId::Prune => study(StudyOp::Prune { number: number()? }),
        RouteId::Heartbeat => object(ObjectOp::Heartbeat { number: number()? }),
        RouteId::Fail => {
            let number = number()?;
            study(fail(
                number,
                optional_body(request.body)?.unwrap_or_default(),
            ))
        }
        RouteId::Table => study(table(query(request.query)?)?),
        RouteId::Best => study(StudyOp::Best),
        RouteId::Pareto => study(pareto(query(request.query)?)?),
        RouteId::Importance => study(importance(query(request.query)?)?),
        RouteId::Observe => {
            let body: Observe = body(request.body)?;
            object(ObjectOp::Observe {
                observations: body.observations,
            })
        }
        RouteId::ListObservations => object(observations(query(request.query)?)?),
        RouteId::Recommendation => object(ObjectOp::Recommendation {
            if_none_match: request.if_none_match.map(str::to_string),
        }),
        RouteId::ListAutomations => Operation::Automation(AutomationCall::List),
        RouteId::PutAutomation => {
            let name = automation();
            validate_name(&name)?;
            let config: AutomationConfig = body(request.body)?;
            config.validate()?;
            Operation::Automation(AutomationCall::Put {
                name,
                config: Box::new(config),
            })
        }
        RouteId::GetAutomation => Operation::Automation(AutomationCall::Get {
            name: known_automation(&automation())?,
        }),
        RouteId::DeleteAutomation => Operation::Automation(AutomationCall::Delete {
            name: known_automation(&automation())?,
        }),
        RouteId::RunAutomation => {
            let name = known_automation(&automation())?;
            let body: Option<RunRequest> = optional_body(request.body)?;
            Operation::Automation(AutomationCall::Run {
                name,
                force: body.unwrap_or_default().force,
            })
        }
        RouteId::ListRuns => {
            let name = known_automation(&automation())?;
            let query: RunsQuery = query(request.query)?;
            let limit = parse_count(query.limit.as_deref(), "limit", 20, 1000)?;
            if limit == 0 {
                return Err(Failure::invalid("limit", "must be from 1 to 1000"));
            }
            Operation::Automation(AutomationCall::Runs { name, limit })
        }
        RouteId::AxOptimize => Operation::AxOptimize(Box::new(body(request.body)?)),
        RouteId::AxListJobs => {
            let query: JobsQuery = query(request.query)?;
            Operation::AxListJobs {
                limit: parse_count(query.limit.as_deref(), "limit", 10, 100)?,
            }
        }
        RouteId::AxGetJob | RouteId::AxCancelJob => Operation::AxJob {
            job_id: request.params.get("job_id").to_string(),
            cancel: route == RouteId::AxCancelJob,
        },
        RouteId::AxSuggest => study(StudyOp::AxSuggest),
        RouteId::AxEvaluate => study(evaluate(body(request.body)?)?),
        RouteId::AxResults => study(StudyOp::AxResults),
        RouteId::Mcp => Operation::Mcp,
    })
}

/// An automation's name from the path; a malformed one names no automation (404).
fn known_automation(name: &str) -> Result<String, Failure> {
    validate_name(name)
        .map(|_| name.to_string())
        .map_err(|_| Failure::not_found(format!("automation {name:?} not found")))
}

/// The two journal formats of `?format=`.
enum JournalFormat {
    Edgetune,
    Optuna,
}

fn journal_format(format: Option<&str>) -> Result<JournalFormat, Failure> {
    match format {
        None | Some("edgetune") | Some("") => Ok(JournalFormat::Edgetune),
        Some("optuna") => Ok(JournalFormat::Optuna),
        Some(other) => Err(Failure::invalid(
            "format",
            format!("must be edgetune or optuna, got {other:?}"),
        )),
    }
}
