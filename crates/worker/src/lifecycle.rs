//! A study's life at the tenant level: the registry takes a name before the study's
//! object is created (and gets it back if the object refuses), and forgets it after
//! the object deleted the study. So a failed create or import leaves nothing behind.

use edgetune_api::requests::CreateStudy;
use edgetune_api::views::Deleted;
use edgetune_core::study::validate_study_name;
use edgetune_core::study::StudySpec;
use edgetune_core::{optuna, Event, Journal, StudyConfig};
use serde_json::json;
use worker::{Env, Method, Request};

use crate::http::{self, ok, ApiResult};
use crate::settings::{config_from_spec, rename_field};
use crate::stubs::{registry_call, study_call};
use crate::study_object::ObjectOp;
use edgetune_api::failure::Failure;

/// `POST /api/v1/studies`.
pub async fn create_study(body: CreateStudy, env: &Env, tenant: &str) -> ApiResult {
    let config = config_from_spec(env, body)?;
    create_from_config(env, tenant, config).await
}

/// Registers and creates a study from a validated configuration. Its metric names
/// travel beside it: a config's serde form leaves them out (the journal records them
/// as the event after the creation).
pub async fn create_from_config(env: &Env, tenant: &str, mut config: StudyConfig) -> ApiResult {
    let name = config.name.clone();
    let metric_names = config.metric_names.take();
    let op = ObjectOp::Create {
        config: Box::new(config.clone()),
        metric_names,
    };
    register_then_store(env, tenant, &config, &name, &op).await
}

/// Where an imported journal comes from.
#[derive(Clone, Copy, Debug)]
pub enum JournalSource<'a> {
    /// An edgetune journal (`toJournal()`, `GET …/journal`).
    Edgetune,
    /// An Optuna journal file; its study `from_study_name`, or its only one.
    Optuna { from_study_name: Option<&'a str> },
}

/// `POST /api/v1/studies/{name}/journal`: creates study `name` from an exported
/// journal (the body, as `toJournal()` writes it); the study continues exactly where
/// the journal ends, under this name.
pub async fn import_journal(
    req: &mut Request,
    env: &Env,
    tenant: &str,
    name: &str,
    source: JournalSource<'_>,
) -> ApiResult {
    validate_study_name(name).map_err(|e| {
        let mut e = rename_field(e.into());
        if matches!(source, JournalSource::Optuna { .. }) {
            e.message += " (Optuna allows study names this service refuses: import the study under another name, the one in the path)";
        }
        e
    })?;
    let bytes = req.bytes().await?;
    if bytes.len() > http::MAX_JOURNAL_BYTES {
        return Err(Failure::too_large(http::MAX_JOURNAL_BYTES));
    }
    let text =
        std::str::from_utf8(&bytes).map_err(|_| Failure::invalid("body", "must be UTF-8"))?;
    let journal = match source {
        JournalSource::Edgetune => Journal::from_json(text).and_then(|j| j.renamed(name)),
        JournalSource::Optuna { from_study_name } => {
            let config = config_from_spec(env, StudySpec::named(name))?;
            optuna::read_journal(text, from_study_name).and_then(|s| s.into_journal(config))
        }
    }
    .map_err(|e| match e {
        // Which study of an Optuna journal: the query's `from_study_name`.
        edgetune_core::Error::InvalidArgument { field, reason } if field == "study_name" => {
            Failure::invalid("from_study_name", reason)
        }
        other => Failure::invalid("journal", other.to_string()),
    })?;
    let Some(Event::Created { config, .. }) = journal.events.first() else {
        return Err(Failure::invalid(
            "journal",
            "the first event must create the study",
        ));
    };
    check_event_sizes(&journal)?;
    let config = config.clone();
    // The study's object replays every event before it stores anything; if one is
    // wrong, it answers 400 and the registry gets the name back.
    register_then_store(env, tenant, &config, name, &ObjectOp::Import { journal }).await
}

/// The largest event a journal may hold: what one request may carry, as every event a
/// study makes itself. The study's object stores each event in one SQLite row, which
/// may hold 2 MB.
const MAX_EVENT_BYTES: usize = http::MAX_BODY_BYTES;

/// Refuses a journal with an event larger than [`MAX_EVENT_BYTES`], naming it, before
/// anything is stored. O(bytes).
fn check_event_sizes(journal: &Journal) -> ApiResult<()> {
    for (i, event) in journal.events.iter().enumerate() {
        let bytes = serde_json::to_string(event).map_or(0, |s| s.len());
        if bytes > MAX_EVENT_BYTES {
            return Err(Failure::invalid(
                format!("journal.events[{i}]"),
                format!(
                    "is {bytes} bytes of JSON; an event may be at most {MAX_EVENT_BYTES} bytes (1 MiB), as one request may"
                ),
            ));
        }
    }
    Ok(())
}

/// Lists study `name` in the tenant's registry, then runs `op` (a create or an
/// import) on the study's object. If the object does not answer 201, the registry
/// gets the name back.
async fn register_then_store(
    env: &Env,
    tenant: &str,
    config: &StudyConfig,
    name: &str,
    op: &ObjectOp,
) -> ApiResult {
    let entry = json!({
        "study_name": name,
        "directions": config.directions,
        "sampler": config.sampler.name(),
    });
    let added = registry_call(env, tenant, Method::Post, "/add", Some(&entry)).await?;
    if added.status_code() != 201 {
        return Ok(added);
    }
    match study_call(env, tenant, name, op).await {
        Ok(r) if r.status_code() == 201 => Ok(r),
        other => {
            let undo = json!({"study_name": name});
            let _ = registry_call(env, tenant, Method::Post, "/remove", Some(&undo)).await;
            other
        }
    }
}

/// `DELETE /api/v1/studies/{name}`: the object deletes the study, then the registry
/// forgets the name.
pub async fn delete_study(env: &Env, tenant: &str, name: &str) -> ApiResult {
    let deleted = study_call(env, tenant, name, &ObjectOp::Delete).await?;
    if deleted.status_code() != 200 {
        return Ok(deleted);
    }
    let body = json!({"study_name": name});
    registry_call(env, tenant, Method::Post, "/remove", Some(&body)).await?;
    ok(&Deleted {
        deleted: true,
        study_name: name.to_string(),
    })
}

/// The tenant's studies, paged by `query` (the registry checks it).
pub async fn list_studies(env: &Env, tenant: &str, offset: usize, limit: usize) -> ApiResult {
    let path = format!("/list?offset={offset}&limit={limit}");
    registry_call::<()>(env, tenant, Method::Get, &path, None).await
}
