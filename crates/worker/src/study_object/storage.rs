//! The study's storage: the journal in SQLite, the in-memory study rebuilt from it,
//! and the operations that create, import and delete the whole study.

use edgetune_api::views::StudyView;
use edgetune_core::{packed, Event, Journal, Study, StudyConfig};
use serde::Deserialize;
use worker::SqlStorageValue;

use super::StudyObject;
use crate::http::{self, ok, ApiResult};
use edgetune_api::failure::Failure;

impl StudyObject {
    pub(super) fn sql(&self) -> worker::SqlStorage {
        self.state.storage().sql()
    }

    /// Loads the study from storage if it is not in memory: the heartbeats, then the
    /// journal (its packed chunks, then the JSON rows after them), replayed.
    /// O(events) on a cold start, and O(rows) of JSON at most [`PACK_EVENTS`].
    pub(super) fn load(&self) -> ApiResult<()> {
        if self.study.borrow().is_some() {
            return Ok(());
        }
        let sql = self.sql();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
            None,
        )?;
        sql.exec(
            "CREATE TABLE IF NOT EXISTS packed \
             (start INTEGER PRIMARY KEY, until INTEGER NOT NULL, data BLOB NOT NULL)",
            None,
        )?;
        sql.exec(
            "CREATE TABLE IF NOT EXISTS heartbeats (number INTEGER PRIMARY KEY, at REAL NOT NULL)",
            None,
        )?;
        #[derive(Deserialize)]
        struct Beat {
            number: f64,
            at: f64,
        }
        let beats: Vec<Beat> = sql
            .exec("SELECT number, at FROM heartbeats", None)?
            .to_array()?;
        *self.heartbeats.borrow_mut() =
            beats.into_iter().map(|b| (b.number as u64, b.at)).collect();
        let mut events = read_packed(&sql)?;
        let packed = events.len();
        read_rows(&sql, &mut events)?;
        if events.is_empty() {
            return Ok(());
        }
        let count = events.len();
        let mut study = Study::replay(events)?;
        study.set_clock(Some(Box::new(http::now_ms)));
        self.persisted.set(count);
        self.packed.set(packed);
        *self.study.borrow_mut() = Some(study);
        Ok(())
    }

    /// Runs `f` on the loaded study, or answers 404 when there is none.
    pub(super) fn with_study<T>(&self, f: impl FnOnce(&Study) -> ApiResult<T>) -> ApiResult<T> {
        self.load()?;
        match self.study.borrow().as_ref() {
            Some(s) => f(s),
            None => Err(Failure::not_found("study not found")),
        }
    }

    /// Runs `f` on the loaded study, then writes the events it added. If writing
    /// fails, the in-memory study is dropped so the next request reloads what storage
    /// really holds.
    pub(super) fn mutate<T>(&self, f: impl FnOnce(&mut Study) -> ApiResult<T>) -> ApiResult<T> {
        self.load()?;
        let mut guard = self.study.borrow_mut();
        let study = guard
            .as_mut()
            .ok_or_else(|| Failure::not_found("study not found"))?;
        let out = match f(study) {
            Ok(out) => out,
            Err(e) => {
                // A failed request stores nothing: if it got as far as adding events,
                // forget them by reloading what storage holds on the next request.
                if study.events().len() > self.persisted.get() {
                    *guard = None;
                }
                return Err(e);
            }
        };
        if let Err(e) = self.persist(study) {
            *guard = None;
            return Err(e);
        }
        Ok(out)
    }

    /// Appends the events not yet stored. No await between them: the Durable Object
    /// commits writes without an intervening await atomically.
    fn persist(&self, study: &Study) -> ApiResult<()> {
        let sql = self.sql();
        let events = study.events();
        for (seq, event) in events.iter().enumerate().skip(self.persisted.get()) {
            let body = serde_json::to_string(event)
                .map_err(|e| Failure::internal(format!("event not serializable: {e}")))?;
            sql.exec(
                "INSERT INTO events (seq, body) VALUES (?, ?)",
                vec![(seq as i64).into(), body.into()],
            )?;
        }
        self.persisted.set(events.len());
        self.compact(events)
    }

    /// Packs the JSON rows into chunks of [`PACK_EVENTS`] events (fewer when they
    /// would pass [`PACKED_BYTES`]) once that many are stored, and deletes the rows.
    /// Synchronous, like `persist`, so the chunk and the deletion commit together
    /// with the request's events. O(PACK_EVENTS) per chunk, once per chunk.
    fn compact(&self, events: &[Event]) -> ApiResult<()> {
        let sql = self.sql();
        let mut from = self.packed.get();
        while events.len() - from >= PACK_EVENTS {
            let mut until = from + PACK_EVENTS;
            let mut data = packed::pack(&events[from..until]);
            while data.len() > PACKED_BYTES && until - from > 1 {
                until = from + (until - from) / 2;
                data = packed::pack(&events[from..until]);
            }
            sql.exec(
                "INSERT INTO packed (start, until, data) VALUES (?, ?, ?)",
                vec![
                    (from as i64).into(),
                    (until as i64).into(),
                    SqlStorageValue::Blob(data),
                ],
            )?;
            sql.exec(
                "DELETE FROM events WHERE seq < ?",
                vec![(until as i64).into()],
            )?;
            from = until;
            self.packed.set(from);
        }
        Ok(())
    }

    /// Stores a new study and answers its view (201).
    fn store_new(&self, study: Study) -> ApiResult {
        self.persisted.set(0);
        self.packed.set(0);
        self.persist(&study)?;
        let view = StudyView::of(&study);
        *self.study.borrow_mut() = Some(study);
        Ok(http::json_response(201, &view))
    }

    /// Refuses to overwrite an existing study.
    fn check_absent(&self, name: &str) -> ApiResult<()> {
        self.load()?;
        if self.study.borrow().is_some() {
            return Err(Failure::conflict(format!("study {name:?} already exists")));
        }
        Ok(())
    }

    pub(super) fn create(
        &self,
        config: StudyConfig,
        metric_names: Option<Vec<String>>,
    ) -> ApiResult {
        self.check_absent(&config.name)?;
        let config = StudyConfig {
            metric_names,
            ..config
        };
        let study = Study::create_with_clock(config, Some(Box::new(http::now_ms)))?;
        self.store_new(study)
    }

    /// Creates the study from a journal the router checked and renamed: every event is
    /// replayed, then stored, so the study continues exactly where the journal ends.
    pub(super) fn import(&self, journal: Journal) -> ApiResult {
        let name = match journal.events.first() {
            Some(Event::Created { config, .. }) => config.name.clone(),
            _ => String::new(),
        };
        self.check_absent(&name)?;
        let mut study = Study::replay(journal.events)
            .map_err(|e| Failure::invalid("journal", e.to_string()))?;
        let max_trials = self.max_trials();
        if study.trials().len() as u64 > max_trials {
            return Err(Failure {
                field: Some("journal".into()),
                ..Failure::conflict(format!(
                    "the journal holds {} trials, more than MAX_TRIALS_PER_STUDY = {max_trials}",
                    study.trials().len()
                ))
            });
        }
        study.set_clock(Some(Box::new(http::now_ms)));
        self.store_new(study)
    }

    pub(super) async fn delete(&self) -> ApiResult {
        self.load()?;
        if self.study.borrow().is_none() {
            return Err(Failure::not_found("study not found"));
        }
        self.state.storage().delete_all().await?;
        self.state.storage().delete_alarm().await?;
        *self.study.borrow_mut() = None;
        self.heartbeats.borrow_mut().clear();
        self.persisted.set(0);
        self.packed.set(0);
        ok(&serde_json::json!({"deleted": true}))
    }
}

/// Events per packed chunk: a chunk is written once the JSON rows reach this many, so
/// a cold start parses at most this many events as JSON.
pub(super) const PACK_EVENTS: usize = 4096;

/// The largest packed chunk, under the 2 MB a Durable Object's SQLite value may hold.
const PACKED_BYTES: usize = 1_000_000;

fn unreadable(e: impl std::fmt::Display) -> Failure {
    Failure::internal(format!("stored journal is unreadable: {e}"))
}

/// The packed chunks' events, in order; each chunk must start where the last ended.
fn read_packed(sql: &worker::SqlStorage) -> ApiResult<Vec<Event>> {
    let mut events = Vec::new();
    for row in sql
        .exec("SELECT start, until, data FROM packed ORDER BY start", None)?
        .raw()
    {
        let row = row?;
        let (start, until, data) = match row.as_slice() {
            [SqlStorageValue::Integer(s), SqlStorageValue::Integer(u), SqlStorageValue::Blob(d)] => {
                (*s as usize, *u as usize, d)
            }
            other => return Err(unreadable(format!("a packed row is {other:?}"))),
        };
        if start != events.len() {
            return Err(unreadable(format!(
                "a packed chunk starts at {start}, after {} events",
                events.len()
            )));
        }
        packed::unpack(data, &mut events).map_err(unreadable)?;
        if events.len() != until {
            return Err(unreadable(format!(
                "the packed chunk from {start} ends at {}, not {until}",
                events.len()
            )));
        }
    }
    Ok(events)
}

/// Appends the JSON rows, which must follow the packed events without a gap. Rows
/// that a chunk already holds (a compaction whose deletion did not happen) are left
/// out: the chunk is the journal there.
fn read_rows(sql: &worker::SqlStorage, events: &mut Vec<Event>) -> ApiResult<()> {
    #[derive(Deserialize)]
    struct Row {
        seq: f64,
        body: String,
    }
    let rows: Vec<Row> = sql
        .exec(
            "SELECT seq, body FROM events WHERE seq >= ? ORDER BY seq",
            vec![(events.len() as i64).into()],
        )?
        .to_array()?;
    for row in rows {
        if row.seq as usize != events.len() {
            return Err(unreadable(format!(
                "event {} follows {} events",
                row.seq,
                events.len()
            )));
        }
        events.push(serde_json::from_str(&row.body).map_err(unreadable)?);
    }
    Ok(())
}
