//! The study's storage: the journal in SQLite, the in-memory study rebuilt from it,
//! and the operations that create, import and delete the whole study.

use edgetune_api::views::StudyView;
use edgetune_core::{Event, Journal, Study, StudyConfig};
use serde::Deserialize;

use super::{journal, trials, StudyObject};
use crate::http::{self, ok, ApiResult};
use edgetune_api::failure::Failure;

impl StudyObject {
    pub(super) fn sql(&self) -> worker::SqlStorage {
        self.state.storage().sql()
    }

    /// Loads the study from storage if it is not in memory: the heartbeats, then the
    /// latest snapshot (a windowed study's) and the journal's events after it, or the
    /// whole journal when there is none, replayed. O(T + events after the snapshot)
    /// on a cold start, for the T trials in memory; at most [`PACK_EVENTS`] rows of
    /// them are parsed as JSON.
    pub(super) fn load(&self) -> ApiResult<()> {
        if self.study.borrow().is_some() {
            return Ok(());
        }
        let sql = self.sql();
        journal::create_tables(&sql)?;
        trials::create_tables(&sql)?;
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
        let snapshot = journal::read_snapshot(&sql)?;
        let from = snapshot.as_ref().map_or(0, |(_, covers)| *covers);
        let mut study = match snapshot {
            Some((text, _)) => Some(Study::from_snapshot(&text).map_err(journal::unreadable)?),
            None => None,
        };
        // A chunk at a time, keeping no event: memory never holds the journal.
        let packed = journal::for_each_stored(&sql, from, |events| {
            let mut events = events.into_iter();
            let study = match &mut study {
                Some(study) => study,
                None => {
                    let created: Vec<_> = events.next().into_iter().collect();
                    let mut first = Study::replay(created).map_err(journal::unreadable)?;
                    first.forget_events();
                    // Room for every trial at once, where growing leaves holes in a
                    // wasm heap, which never shrinks.
                    first.reserve_trials(trials::stored_count(&sql)?);
                    study.insert(first)
                }
            };
            study.apply_stored(events).map_err(journal::unreadable)
        })?;
        let Some(mut study) = study else {
            return Ok(());
        };
        study.set_clock(Some(Box::new(http::now_ms)));
        study.collect_archived();
        trials::migrate(&sql, &study)?;
        self.persisted.set(study.journal_len());
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
        // Undoing a failed step rebuilds the study: ask again for what leaves memory.
        study.collect_archived();
        let out = match f(study) {
            Ok(out) => out,
            Err(e) => {
                // A failed request stores nothing: if it got as far as adding events,
                // forget them by reloading what storage holds on the next request.
                if study.journal_len() > self.persisted.get() {
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

    /// Appends the events not yet stored, with the rows of the trials they touched
    /// and of those that left memory, then compacts; once a windowed study packed a
    /// chunk, a new snapshot replaces the old. Memory then drops the events.
    /// No await in between: the Durable Object commits writes without an intervening
    /// await atomically.
    fn persist(&self, study: &mut Study) -> ApiResult<()> {
        let sql = self.sql();
        let from = self.persisted.get();
        let archived = study.take_archived();
        let new = &study.events_since(from)[..];
        journal::append(&sql, from, new)?;
        trials::record(&sql, study, new, &archived)?;
        let stored = study.journal_len();
        self.persisted.set(stored);
        let packed = journal::compact(&sql, self.packed.get(), stored)?;
        if packed > self.packed.get() && study.history_window().is_some() {
            journal::write_snapshot(&sql, &study.snapshot(), stored)?;
        }
        self.packed.set(packed);
        // Storage holds the journal: memory keeps no second copy of it.
        study.forget_events();
        Ok(())
    }

    /// Stores a new study and answers its view (201).
    fn store_new(&self, mut study: Study) -> ApiResult {
        self.persisted.set(0);
        self.packed.set(0);
        study.collect_archived();
        let sql = self.sql();
        journal::create_tables(&sql)?;
        trials::create_tables(&sql)?;
        trials::mark_current(&sql)?;
        self.persist(&mut study)?;
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
        // Replayed with the trials that leave its window collected, so the trials
        // table gets every trial.
        let mut events = journal.events.into_iter();
        let bad = |e: edgetune_core::Error| Failure::invalid("journal", e.to_string());
        let mut study = Study::replay(events.next().into_iter().collect()).map_err(bad)?;
        study.collect_archived();
        study.apply_journal(events).map_err(bad)?;
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
