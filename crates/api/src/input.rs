//! Reading a request's input: JSON bodies and query strings, with errors that name the
//! field, and each request type checked into the study operation it asks for. The
//! route parsers ([`crate::parse`]) and the MCP tools share these, so a rule of an
//! input holds on every surface.

use edgetune_core::analysis::MAX_HISTORY_POINTS;
use edgetune_core::TrialState;
use serde::de::DeserializeOwned;

use crate::failure::{field_of, Failure};
use crate::observations::{ObservationState, ObservationsQuery};
use crate::requests::{
    Complete, Evaluate, Fail, ImportanceQuery, ParetoQuery, Report, TableQuery, TrialsQuery,
};
use crate::study_op::{ObjectOp, StudyOp};

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
