//! From a request to what the service does: one parser for every row of the route table
//! ([`crate::routes::ROUTES`]), from the route's path parameters, query string and body
//! to an [`Operation`], with every check of the input and errors that name the field.
//! The Worker's router looks the route up, calls [`parse`] and forwards what it gets;
//! the MCP tools build the same study operations with the same functions.

use edgetune_core::analysis::MAX_HISTORY_POINTS;
use edgetune_core::{StudySpec, TrialState};
use serde::de::DeserializeOwned;

use crate::automations::{validate_name, AutomationConfig, RunRequest, RunsQuery};
use crate::failure::{field_of, Failure};
use crate::observations::{ObservationState, ObservationsQuery, Observe};
use crate::requests::{
    Complete, Evaluate, Fail, ImportanceQuery, JobsQuery, Optimize, PageQuery, ParetoQuery, Report,
    Suggest, TableQuery, TrialsQuery,
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
    /// Answered by the Worker from what it has: the index, health, readiness, the
    /// OpenAPI document, the docs page, the Ax API's health.
    Service(RouteId),
    /// A page of the tenant's studies.
    ListStudies { offset: usize, limit: usize },
    /// Create a study.
    CreateStudy(Box<StudySpec>),
    /// Delete a study.
    DeleteStudy { name: String },
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
        RouteId::Index
        | RouteId::Health
        | RouteId::Ready
        | RouteId::OpenApi
        | RouteId::Docs
        | RouteId::AxHealth => Operation::Service(route),
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
        RouteId::ExportJournal => study(StudyOp::Journal),
        RouteId::ImportJournal => Operation::ImportJournal { name: name() },
        RouteId::ListTrials => study(trials(query(request.query)?)?),
        RouteId::Suggest => {
            let body: Option<Suggest> = optional_body(request.body)?;
            study(StudyOp::Suggest {
                search_space: body.and_then(|b| b.search_space),
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

/// A trial number from the path; anything else is a trial that does not exist.
pub fn trial_number(text: &str) -> Result<u64, Failure> {
    text.parse()
        .map_err(|_| Failure::not_found(format!("trial {text:?} not found")))
}

/// A required JSON body.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    optional_body(bytes)?.ok_or_else(|| Failure::invalid("body", "a JSON body is required"))
}

/// A JSON body, or `None` when it is empty. Every body of this API is a JSON object.
pub fn optional_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<Option<T>, Failure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    // A struct would also accept an array positionally: refuse anything but an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(Failure::invalid("body", "must be a JSON object"));
    }
    json(bytes).map(Some)
}

/// Parses JSON bytes; errors name the JSON path of the bad field (for a missing field,
/// the field itself; for malformed JSON, `body`).
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            // Inside a field (a number out of range, say), name the field.
            let field = if path == "." || path.starts_with('?') {
                "body".to_string()
            } else {
                path
            };
            return Failure::invalid(field, format!("malformed JSON: {inner}"));
        }
        let message = inner.to_string();
        Failure::invalid(field_of(&path, &message, "body"), message)
    })?;
    de.end()
        .map_err(|e| Failure::invalid("body", format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// The query string as `T` (every field a string its parser checks).
pub fn query<T: DeserializeOwned>(text: Option<&str>) -> Result<T, Failure> {
    serde_urlencoded::from_str(text.unwrap_or(""))
        .map_err(|e| Failure::invalid("query", e.to_string()))
}

/// A non-negative count from a query string, with a default and a maximum.
pub fn parse_count(
    value: Option<&str>,
    field: &str,
    default: usize,
    max: usize,
) -> Result<usize, Failure> {
    match value {
        None | Some("") => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(Failure::invalid(
                field,
                format!("must be a whole number from 0 to {max}, got {text:?}"),
            )),
        },
    }
}

/// Tell: one value or one per objective, with constraints and the cost.
pub fn complete(number: u64, body: Complete) -> Result<StudyOp, Failure> {
    let values = match (body.value, body.values) {
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
    };
    Ok(StudyOp::Complete {
        number,
        values,
        constraints: body.constraints,
        cost: body.cost,
    })
}

/// An intermediate value.
pub fn report(number: u64, body: Report) -> StudyOp {
    StudyOp::Report {
        number,
        step: body.step,
        value: body.value,
        cost: body.cost,
    }
}

/// Finish as FAIL (the reason's rule is the core's, on every surface).
pub fn fail(number: u64, body: Fail) -> StudyOp {
    StudyOp::Fail {
        number,
        reason: body.reason,
        cost: body.cost,
    }
}

/// `?state=&offset=&limit=&order=` of the trials.
pub fn trials(query: TrialsQuery) -> Result<StudyOp, Failure> {
    let states = match query.state.as_deref() {
        None | Some("") => TrialState::ALL.to_vec(),
        Some(list) => list
            .split(',')
            .map(|s| {
                TrialState::parse(s.trim()).ok_or_else(|| {
                    Failure::invalid(
                        "state",
                        format!(
                            "unknown state {s:?}; use RUNNING, COMPLETE, PRUNED, FAIL or WAITING"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?,
    };
    let offset = parse_count(query.offset.as_deref(), "offset", 0, usize::MAX)?;
    let limit = parse_count(query.limit.as_deref(), "limit", 100, 1000)?;
    if limit == 0 {
        return Err(Failure::invalid("limit", "must be from 1 to 1000"));
    }
    let descending = match query.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(Failure::invalid(
                "order",
                format!("must be asc or desc, got {other:?}"),
            ))
        }
    };
    Ok(StudyOp::Trials {
        states,
        offset,
        limit,
        descending,
    })
}

/// `?reference=&history=` of the Pareto front.
pub fn pareto(query: ParetoQuery) -> Result<StudyOp, Failure> {
    let history = match query.history.as_deref() {
        None | Some("") => None,
        Some(text) => Some(parse_count(Some(text), "history", 0, MAX_HISTORY_POINTS)?),
    };
    let reference = match query.reference.as_deref() {
        None | Some("") => None,
        Some(text) => Some(
            text.split(',')
                .map(|v| v.trim().parse::<f64>())
                .collect::<Result<Vec<f64>, _>>()
                .map_err(|_| {
                    Failure::invalid(
                        "reference",
                        "must be comma-separated numbers, one per objective",
                    )
                })?,
        ),
    };
    if reference.is_none() && history.is_some() {
        return Err(Failure::invalid(
            "reference",
            "a hypervolume history needs a reference point",
        ));
    }
    Ok(StudyOp::Pareto { reference, history })
}

/// `?evaluator=&target_quantile=&region_quantile=` of the importance.
pub fn importance(query: ImportanceQuery) -> Result<StudyOp, Failure> {
    let number = |text: Option<&str>, field: &str, default: f64| -> Result<f64, Failure> {
        match text {
            None | Some("") => Ok(default),
            Some(t) => t
                .parse::<f64>()
                .map_err(|_| Failure::invalid(field, format!("must be a number, got {t:?}"))),
        }
    };
    Ok(StudyOp::Importance {
        target_quantile: number(query.target_quantile.as_deref(), "target_quantile", 0.1)?,
        region_quantile: number(query.region_quantile.as_deref(), "region_quantile", 1.0)?,
        evaluator: query.evaluator.unwrap_or_else(|| "ped_anova".into()),
    })
}

/// `?format=json|csv` of the trials table.
pub fn table(query: TableQuery) -> Result<StudyOp, Failure> {
    match query.format.as_deref() {
        None | Some("json") => Ok(StudyOp::Table { csv: false }),
        Some("csv") => Ok(StudyOp::Table { csv: true }),
        Some(other) => Err(Failure::invalid(
            "format",
            format!("must be json or csv, got {other:?}"),
        )),
    }
}

/// The Ax API's evaluate: intermediate values in step order, then the value.
pub fn evaluate(body: Evaluate) -> Result<StudyOp, Failure> {
    let mut steps = Vec::new();
    for (key, value) in body.intermediate_values.into_iter().flatten() {
        let step = key.parse::<u64>().map_err(|_| {
            Failure::invalid(
                format!("intermediate_values.{key}"),
                "keys are steps: whole numbers >= 0",
            )
        })?;
        steps.push((step, value));
    }
    steps.sort_by_key(|s| s.0);
    Ok(StudyOp::AxEvaluate {
        study_name: body.study_name,
        number: body.trial_number,
        value: body.value,
        steps,
    })
}

/// `?state=&offset=&limit=` of the observations.
pub fn observations(query: ObservationsQuery) -> Result<ObjectOp, Failure> {
    Ok(ObjectOp::Observations {
        state: ObservationState::parse(query.state.as_deref())?,
        offset: parse_count(query.offset.as_deref(), "offset", 0, i64::MAX as usize)?,
        limit: parse_count(query.limit.as_deref(), "limit", 100, 1000)?,
    })
}
