//! From a request's path, query and body to the [`StudyOp`] the study's object runs:
//! every check of the input happens here, once, and errors name the field.

use edgetune_api::observations::{ObservationState, ObservationsQuery};
use edgetune_api::requests::{
    Complete, Evaluate, Fail, ImportanceQuery, ParetoQuery, Report, TableQuery, TrialsQuery,
};
use edgetune_core::analysis::MAX_HISTORY_POINTS;
use edgetune_core::TrialState;

use crate::http::{parse_count, ApiResult};
use crate::study_object::StudyOp;
use edgetune_api::failure::Failure;

/// A trial number from the path; anything else is a trial that does not exist.
pub fn trial_number(text: &str) -> ApiResult<u64> {
    text.parse()
        .map_err(|_| Failure::not_found(format!("trial {text:?} not found")))
}

pub fn complete(number: u64, body: Complete) -> ApiResult<StudyOp> {
    let values = match (body.value, body.values) {
        (Some(v), None) => vec![v],
        (None, Some(vs)) => vs,
        (Some(_), Some(_)) => {
            return Err(Failure::invalid("value", "give value or values, not both"))
        }
        (None, None) => return Err(Failure::invalid("value", "missing field")),
    };
    Ok(StudyOp::Complete {
        number,
        values,
        constraints: body.constraints,
        cost: body.cost,
    })
}

pub fn report(number: u64, body: Report) -> StudyOp {
    StudyOp::Report {
        number,
        step: body.step,
        value: body.value,
        cost: body.cost,
    }
}

pub fn fail(number: u64, body: Fail) -> ApiResult<StudyOp> {
    Ok(StudyOp::Fail {
        number,
        reason: body.reason,
        cost: body.cost,
    })
}

pub fn trials(query: TrialsQuery) -> ApiResult<StudyOp> {
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
            .collect::<ApiResult<Vec<_>>>()?,
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

pub fn pareto(query: ParetoQuery) -> ApiResult<StudyOp> {
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

pub fn importance(query: ImportanceQuery) -> ApiResult<StudyOp> {
    let number = |text: Option<&str>, field: &str, default: f64| -> ApiResult<f64> {
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

pub fn table(query: TableQuery) -> ApiResult<StudyOp> {
    match query.format.as_deref() {
        None | Some("json") => Ok(StudyOp::Table { csv: false }),
        Some("csv") => Ok(StudyOp::Table { csv: true }),
        Some(other) => Err(Failure::invalid(
            "format",
            format!("must be json or csv, got {other:?}"),
        )),
    }
}

pub fn evaluate(body: Evaluate) -> ApiResult<StudyOp> {
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
pub fn observations(query: ObservationsQuery) -> ApiResult<StudyOp> {
    Ok(StudyOp::Observations {
        state: ObservationState::parse(query.state.as_deref())?,
        offset: parse_count(query.offset.as_deref(), "offset", 0, i64::MAX as usize)?,
        limit: parse_count(query.limit.as_deref(), "limit", 100, 1000)?,
    })
}
