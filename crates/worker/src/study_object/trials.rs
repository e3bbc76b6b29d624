//! The trials table: every trial's latest form, by number, so that the trials that
//! left a study's history window stay readable (`GET …/trials`, the trials table)
//! while they are out of memory. Each request writes the rows of the trials its
//! events touched, and of the trials that left memory, in the same commit as the
//! events.

use std::collections::BTreeSet;

use edgetune_api::failure::Failure;
use edgetune_api::views::{TrialView, TrialsPage};
use edgetune_core::{Event, FrozenTrial, Study, TrialState};
use serde::Deserialize;
use worker::SqlStorage;

use crate::http::ApiResult;

/// The table's layout version, in `meta`: studies stored before the table existed get
/// their rows when they first load.
const TRIALS_TABLE_VERSION: i64 = 1;

pub(super) fn create_tables(sql: &SqlStorage) -> ApiResult<()> {
    sql.exec(
        "CREATE TABLE IF NOT EXISTS trials \
         (number INTEGER PRIMARY KEY, state TEXT NOT NULL, body TEXT NOT NULL)",
        None,
    )?;
    sql.exec(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        None,
    )?;
    Ok(())
}

/// Fills the table for a study stored before it existed (every trial is in memory
/// then: such a study has no window), once.
pub(super) fn migrate(sql: &SqlStorage, study: &Study) -> ApiResult<()> {
    #[derive(Deserialize)]
    struct Version {
        value: f64,
    }
    let found: Vec<Version> = sql
        .exec("SELECT value FROM meta WHERE key = 'trials_table'", None)?
        .to_array()?;
    if found
        .first()
        .is_some_and(|v| v.value as i64 >= TRIALS_TABLE_VERSION)
    {
        return Ok(());
    }
    for trial in study.trials() {
        write(sql, trial)?;
    }
    mark_current(sql)
}

/// How many trials the table holds rows for, from the largest number: O(log n). A
/// hint for waking the study (0 before the table is filled).
pub(super) fn stored_count(sql: &SqlStorage) -> ApiResult<usize> {
    #[derive(Deserialize)]
    struct Count {
        n: f64,
    }
    let found: Vec<Count> = sql
        .exec("SELECT COALESCE(MAX(number) + 1, 0) AS n FROM trials", None)?
        .to_array()?;
    Ok(found.first().map_or(0, |c| c.n as usize))
}

/// Records that the table holds every trial.
pub(super) fn mark_current(sql: &SqlStorage) -> ApiResult<()> {
    sql.exec(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('trials_table', ?)",
        vec![TRIALS_TABLE_VERSION.into()],
    )?;
    Ok(())
}

fn write(sql: &SqlStorage, trial: &FrozenTrial) -> ApiResult<()> {
    let body = serde_json::to_string(trial)
        .map_err(|e| Failure::internal(format!("trial not serializable: {e}")))?;
    sql.exec(
        "INSERT OR REPLACE INTO trials (number, state, body) VALUES (?, ?, ?)",
        vec![
            (trial.number as i64).into(),
            trial.state.to_string().into(),
            body.into(),
        ],
    )?;
    Ok(())
}

/// Writes the rows of the trials that `events` touched and of `archived`, the trials
/// that left memory. O(touched + archived).
pub(super) fn record(
    sql: &SqlStorage,
    study: &Study,
    events: &[Event],
    archived: &[FrozenTrial],
) -> ApiResult<()> {
    let touched: BTreeSet<u64> = events.iter().filter_map(Event::trial_number).collect();
    let gone: BTreeSet<u64> = archived.iter().map(|t| t.number).collect();
    for trial in archived {
        write(sql, trial)?;
    }
    for number in touched.difference(&gone) {
        if let Ok(trial) = study.trial(*number) {
            write(sql, trial)?;
        }
    }
    Ok(())
}

fn state_filter(states: &[TrialState]) -> String {
    let names: Vec<String> = states.iter().map(|s| format!("'{s}'")).collect();
    format!("state IN ({})", names.join(", "))
}

fn parse(body: &str) -> ApiResult<FrozenTrial> {
    serde_json::from_str(body)
        .map_err(|e| Failure::internal(format!("a stored trial is unreadable: {e}")))
}

#[derive(Deserialize)]
struct Body {
    body: String,
}

#[derive(Deserialize)]
struct Count {
    n: f64,
}

/// A page of trials in `states`, by number, from storage: the trials that left the
/// history window included. O(limit) rows, plus SQLite's count.
pub(super) fn page(
    sql: &SqlStorage,
    states: &[TrialState],
    offset: usize,
    limit: usize,
    descending: bool,
) -> ApiResult<TrialsPage> {
    let filter = state_filter(states);
    let order = if descending { "DESC" } else { "ASC" };
    let rows: Vec<Body> = sql
        .exec(
            &format!(
                "SELECT body FROM trials WHERE {filter} ORDER BY number {order} LIMIT ? OFFSET ?"
            ),
            vec![(limit as i64).into(), (offset as i64).into()],
        )?
        .to_array()?;
    let total = sql
        .exec(
            &format!("SELECT COUNT(*) AS n FROM trials WHERE {filter}"),
            None,
        )?
        .one::<Count>()?
        .n as usize;
    let trials = rows
        .iter()
        .map(|r| parse(&r.body).map(|t| TrialView::of(&t)))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(TrialsPage {
        trials,
        total,
        offset,
        limit,
    })
}

/// Every trial, by number, `size` rows at a time, read as the iterator is pulled.
pub(super) fn pages(
    sql: SqlStorage,
    size: usize,
) -> impl Iterator<Item = ApiResult<Vec<FrozenTrial>>> + 'static {
    let mut after: i64 = -1;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let page = (|| -> ApiResult<Vec<FrozenTrial>> {
            let rows: Vec<Body> = sql
                .exec(
                    "SELECT body FROM trials WHERE number > ? ORDER BY number LIMIT ?",
                    vec![after.into(), (size as i64).into()],
                )?
                .to_array()?;
            rows.iter().map(|r| parse(&r.body)).collect()
        })();
        match page {
            Ok(trials) if trials.is_empty() => None,
            Ok(trials) => {
                done = trials.len() < size;
                after = trials.last().map_or(after, |t| t.number as i64);
                Some(Ok(trials))
            }
            Err(e) => {
                done = true;
                Some(Err(e))
            }
        }
    })
}
