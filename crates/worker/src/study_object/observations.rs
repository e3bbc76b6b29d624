//! The study's production observations and its published recommendation, in SQLite
//! beside the journal. Ingest checks a whole batch before it writes a row; a fold adds
//! the trials, marks the observations and publishes the recommendation with no await
//! in between, so storage holds all of it or none.

use edgetune_api::automations::{FoldAnswer, Folded};
use edgetune_api::failure::Failure;
use edgetune_api::observations::{
    self, Observation, ObservationState, ObservationView, ObservationsPage, ObserveAnswer,
    Recommendation,
};
use serde::Deserialize;
use serde_json::Value;
use worker::Response;

use super::StudyObject;
use crate::http::{self, ok, ApiResult};

#[derive(Deserialize)]
struct Count {
    n: f64,
}

#[derive(Deserialize)]
struct Row {
    seq: f64,
    body: String,
    received_at: f64,
    trial_number: Option<f64>,
    run_id: Option<String>,
}

impl Row {
    fn observation(&self) -> ApiResult<Observation> {
        serde_json::from_str(&self.body)
            .map_err(|e| Failure::internal(format!("a stored observation is unreadable: {e}")))
    }
}

impl StudyObject {
    fn observations_sql(&self) -> ApiResult<worker::SqlStorage> {
        let sql = self.sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS observations (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, received_at REAL NOT NULL, trial_number INTEGER, run_id TEXT)",
            None,
        )?;
        // Pending observations by an index of their own, so a run's count and read of
        // them cost O(pending), not O(every observation ever received).
        sql.exec(
            "CREATE INDEX IF NOT EXISTS observations_pending ON observations (seq) WHERE trial_number IS NULL",
            None,
        )?;
        sql.exec(
            "CREATE TABLE IF NOT EXISTS recommendation (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL)",
            None,
        )?;
        Ok(sql)
    }

    fn count_observations(
        &self,
        sql: &worker::SqlStorage,
        state: ObservationState,
    ) -> ApiResult<u64> {
        let query = match state {
            ObservationState::Pending => {
                "SELECT COUNT(*) AS n FROM observations WHERE trial_number IS NULL"
            }
            ObservationState::Folded => {
                "SELECT COUNT(*) AS n FROM observations WHERE trial_number IS NOT NULL"
            }
            ObservationState::All => "SELECT COUNT(*) AS n FROM observations",
        };
        Ok(sql.exec(query, None)?.one::<Count>()?.n as u64)
    }

    /// Stores a checked batch; ids the study already has are duplicates, not stored
    /// again. O(batch × params).
    pub(super) fn observe(&self, batch: Vec<Observation>) -> ApiResult {
        let name = self.with_study(|study| {
            observations::check_batch(study, &batch)?;
            Ok(study.name().to_string())
        })?;
        let sql = self.observations_sql()?;
        let now = http::now_ms();
        let mut accepted = 0;
        for o in &batch {
            let body = serde_json::to_string(o)
                .map_err(|e| Failure::internal(format!("observation not serializable: {e}")))?;
            // RETURNING yields a row only when the insert happened (rows_written also
            // counts the index writes).
            let inserted = sql
                .exec(
                    "INSERT OR IGNORE INTO observations (id, body, received_at) VALUES (?, ?, ?) \
                     RETURNING seq",
                    vec![o.id.clone().into(), body.into(), now.into()],
                )?
                .to_array::<Value>()?;
            accepted += inserted.len();
        }
        ok(&ObserveAnswer {
            study_name: name,
            accepted,
            duplicates: batch.len() - accepted,
            pending: self.count_observations(&sql, ObservationState::Pending)?,
        })
    }

    /// A page of observations in `state`, oldest first.
    pub(super) fn observations_page(
        &self,
        state: ObservationState,
        offset: usize,
        limit: usize,
    ) -> ApiResult {
        let name = self.with_study(|study| Ok(study.name().to_string()))?;
        let sql = self.observations_sql()?;
        let filter = match state {
            ObservationState::Pending => "WHERE trial_number IS NULL",
            ObservationState::Folded => "WHERE trial_number IS NOT NULL",
            ObservationState::All => "",
        };
        let rows: Vec<Row> = sql
            .exec(
                &format!("SELECT seq, body, received_at, trial_number, run_id FROM observations {filter} ORDER BY seq LIMIT ? OFFSET ?"),
                vec![(limit as i64).into(), (offset as i64).into()],
            )?
            .to_array()?;
        let observations = rows
            .iter()
            .map(|r| {
                Ok(ObservationView {
                    observation: r.observation()?,
                    received_at: http::iso(r.received_at),
                    trial_number: r.trial_number.map(|n| n as u64),
                    run_id: r.run_id.clone(),
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        ok(&ObservationsPage {
            study_name: name,
            state,
            total: self.count_observations(&sql, state)?,
            offset,
            limit,
            observations,
        })
    }

    /// An automation's run on this study: with enough observations pending (any number
    /// when forced), folds them in as COMPLETE trials and publishes a recommendation.
    /// A study without a history window gets one first, unless its creator opted out.
    /// O(pending × params + T) for the T trials in memory (the window).
    pub(super) fn fold(
        &self,
        run_id: &str,
        min_new_observations: u64,
        force: bool,
        recommendations: u32,
    ) -> ApiResult {
        self.with_study(|_| Ok(()))?;
        let sql = self.observations_sql()?;
        let pending = self.count_observations(&sql, ObservationState::Pending)?;
        if pending < min_new_observations && !force {
            return ok(&FoldAnswer {
                pending,
                folded: None,
            });
        }
        let rows: Vec<Row> = sql
            .exec(
                "SELECT seq, body, received_at, trial_number, run_id FROM observations WHERE trial_number IS NULL ORDER BY seq",
                None,
            )?
            .to_array()?;
        let batch = rows
            .iter()
            .map(Row::observation)
            .collect::<ApiResult<Vec<_>>>()?;
        let max_trials = self.max_trials();
        let version: u64 = sql
            .exec(
                "SELECT COALESCE(MAX(version), 0) AS n FROM recommendation",
                None,
            )?
            .one::<Count>()?
            .n as u64
            + 1;
        let now = http::now_ms();
        let (numbers, previous, best, recommendation) = self.mutate(|study| {
            observations::window_for_automations(study, max_trials)?;
            observations::check_room(study, batch.len(), max_trials)?;
            let previous = observations::best_value(study);
            let numbers = observations::fold(study, &batch)?;
            observations::check_held(study, max_trials)?;
            let best = observations::best_value(study);
            let recommendation =
                observations::recommend(study, recommendations as usize, run_id, version, now)?;
            Ok((numbers, previous, best, recommendation))
        })?;
        // Still no await since the journal was written: one atomic commit.
        for (row, number) in rows.iter().zip(&numbers) {
            sql.exec(
                "UPDATE observations SET trial_number = ?, run_id = ? WHERE seq = ?",
                vec![
                    (*number as i64).into(),
                    run_id.into(),
                    (row.seq as i64).into(),
                ],
            )?;
        }
        let body = serde_json::to_string(&recommendation)
            .map_err(|e| Failure::internal(format!("recommendation not serializable: {e}")))?;
        sql.exec(
            "INSERT OR REPLACE INTO recommendation (id, version, etag, body) VALUES (1, ?, ?, ?)",
            vec![
                (version as i64).into(),
                etag(&recommendation).into(),
                body.into(),
            ],
        )?;
        ok(&FoldAnswer {
            pending,
            folded: Some(Folded {
                count: numbers.len() as u64,
                previous_best_value: previous,
                best_value: best,
                version,
            }),
        })
    }

    /// The published recommendation with its ETag; 304 when `if_none_match` names it.
    pub(super) fn recommendation(&self, if_none_match: Option<&str>) -> ApiResult {
        self.with_study(|_| Ok(()))?;
        #[derive(Deserialize)]
        struct Published {
            etag: String,
            body: String,
        }
        let rows: Vec<Published> = self
            .observations_sql()?
            .exec("SELECT etag, body FROM recommendation WHERE id = 1", None)?
            .to_array()?;
        let Some(published) = rows.into_iter().next() else {
            return Err(Failure::plain(
                404,
                "no_recommendation",
                "no run has published a recommendation for this study yet",
            ));
        };
        let mut response = if if_none_match.is_some_and(|h| matches_etag(h, &published.etag)) {
            Response::empty()?.with_status(304)
        } else {
            let mut r = Response::ok(published.body)?;
            r.headers_mut()
                .set("content-type", "application/json; charset=utf-8")?;
            r
        };
        let headers = response.headers_mut();
        headers.set("etag", &published.etag)?;
        headers.set("cache-control", "no-cache")?;
        Ok(response)
    }
}

/// The ETag of a recommendation: its version and the run that published it, so a
/// study deleted and created again never repeats one.
fn etag(r: &Recommendation) -> String {
    format!("\"v{}.{}\"", r.version, r.run_id)
}

/// Whether an `If-None-Match` header names `etag` (or is `*`); weak tags compare by
/// their value, as RFC 9110 says for `If-None-Match`.
fn matches_etag(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}
