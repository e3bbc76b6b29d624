//! # edgetune-mcp-local
//!
//! The local MCP server of `npx edgetune-mcp`: the tools of `edgetune-api` over studies
//! held in this process. JS supplies only the storage, one journal (JSON text) per
//! study: `load(name)`, `save(name, text)`, `remove(name)` and `names()`. It is a wasm
//! module of its own, loaded only by the bin, so the package's main bundle does not
//! carry the MCP layer.
#![warn(missing_docs)]

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context as TaskContext, Poll, Waker};

use edgetune_api::entropy::fresh_seed;
use edgetune_api::exec::{self, Body, Context};
use edgetune_api::failure::Failure;
use edgetune_api::mcp::{self, Backend};
use edgetune_api::study_op::StudyOp;
use edgetune_api::time::iso8601;
use edgetune_api::views::{StudyList, StudySummary, StudyView};
use edgetune_core::{Study, StudySpec};
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn clock() -> Option<edgetune_core::Clock> {
    Some(Box::new(js_sys::Date::now))
}

/// The tool list, generated at build time from the tools' types (`build.rs`).
const TOOLS: &str = include_str!(concat!(env!("OUT_DIR"), "/mcp_tools.json"));

/// Asks beyond this many trials in one study are refused.
const MAX_TRIALS: u64 = 100_000;

#[wasm_bindgen]
extern "C" {
    /// The journal store JS gives the server.
    pub type JournalStore;

    #[wasm_bindgen(method, catch)]
    fn load(this: &JournalStore, name: &str) -> Result<Option<String>, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn save(this: &JournalStore, name: &str, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn remove(this: &JournalStore, name: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn names(this: &JournalStore) -> Result<Vec<String>, JsValue>;
}

/// The MCP server over studies in this process. Use the `edgetune-mcp` bin.
#[wasm_bindgen]
pub struct McpServer {
    store: JournalStore,
    studies: RefCell<BTreeMap<String, Study>>,
    dashboard: Option<String>,
    tools: Value,
}

fn storage_failure(e: JsValue) -> Failure {
    let message = js_sys::Error::from(e).message();
    Failure::internal(format!("storage: {message}"))
}

impl McpServer {
    /// Runs `f` on study `name`, loading it from its journal first.
    fn with_study<T>(
        &self,
        name: &str,
        f: impl FnOnce(&mut Study) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let mut studies = self.studies.borrow_mut();
        if !studies.contains_key(name) {
            let text = self
                .store
                .load(name)
                .map_err(storage_failure)?
                .ok_or_else(|| Failure::not_found(format!("study {name:?} not found")))?;
            let mut study = Study::from_journal_json(&text)
                .map_err(|e| Failure::internal(format!("journal of {name:?}: {e}")))?;
            study.set_clock(clock());
            studies.insert(name.to_string(), study);
        }
        let study = studies
            .get_mut(name)
            .ok_or_else(|| Failure::not_found(name))?;
        let before = study.journal_len();
        let out = f(study);
        if study.journal_len() != before {
            // A failed operation stores nothing: forget the study, reload it next time.
            let saved = match &out {
                Ok(_) => self.store.save(name, &study.to_journal().to_json()),
                Err(_) => Ok(()),
            };
            if out.is_err() || saved.is_err() {
                studies.remove(name);
                saved.map_err(storage_failure)?;
            }
        }
        out
    }
}

impl Backend for McpServer {
    async fn study(&self, name: &str, op: StudyOp) -> Result<String, Failure> {
        let ctx = Context {
            now_ms: js_sys::Date::now(),
            max_trials: MAX_TRIALS,
        };
        match self.with_study(name, |study| exec::run(study, op, &ctx))? {
            Body::Json(text) | Body::Csv(text) | Body::Lines(text) => Ok(text),
        }
    }

    async fn create(&self, spec: StudySpec) -> Result<String, Failure> {
        let config = spec
            .into_config(fresh_seed()?, &"tpe".into(), &"none".into())
            .map_err(|e| {
                let mut f = Failure::from(e);
                if f.field.as_deref() == Some("name") {
                    f.field = Some("study_name".into());
                }
                f
            })?;
        let name = config.name.clone();
        let exists = self.studies.borrow().contains_key(&name)
            || self.store.load(&name).map_err(storage_failure)?.is_some();
        if exists {
            return Err(Failure::conflict(format!("study {name:?} already exists")));
        }
        let study = Study::create_with_clock(config, clock())?;
        self.store
            .save(&name, &study.to_journal().to_json())
            .map_err(storage_failure)?;
        let view = serde_json::to_string(&StudyView::of(&study)).unwrap_or_default();
        self.studies.borrow_mut().insert(name, study);
        Ok(view)
    }

    async fn list(&self) -> Result<String, Failure> {
        let mut names = self.store.names().map_err(storage_failure)?;
        names.sort();
        let mut studies = Vec::new();
        for name in names {
            let summary = self.with_study(&name, |s| {
                Ok(StudySummary {
                    study_name: s.name().to_string(),
                    directions: s.directions().to_vec(),
                    sampler: s.config().sampler.name().to_string(),
                    created_at: iso8601(s.created_at().unwrap_or(0.0)),
                })
            });
            // A journal that does not load is skipped, not fatal to the listing.
            if let Ok(summary) = summary {
                studies.push(summary);
            }
        }
        studies.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then(a.study_name.cmp(&b.study_name))
        });
        let total = studies.len();
        let list = StudyList {
            studies,
            total,
            offset: 0,
            limit: total.max(1),
        };
        Ok(serde_json::to_string(&list).unwrap_or_default())
    }

    async fn delete(&self, name: &str) -> Result<(), Failure> {
        self.with_study(name, |_| Ok(()))?;
        self.store.remove(name).map_err(storage_failure)?;
        self.studies.borrow_mut().remove(name);
        Ok(())
    }

    fn dashboard_url(&self, name: &str) -> Result<String, Failure> {
        match &self.dashboard {
            Some(base) => Ok(format!("{}/dashboard/#/study/{name}", base.trim_end_matches('/'))),
            None => Err(Failure::plain(
                409,
                "not_available",
                "the local server has no dashboard: start it with --dashboard <service URL> after importing the study there (POST /api/v1/studies/{name}/journal), or use the npm package's dashboard components",
            )),
        }
    }
}

/// Polls a future that never waits (every call of the local backend is synchronous).
fn ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut TaskContext::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

#[wasm_bindgen]
impl McpServer {
    /// A server over `store`; `dashboard` is a service URL whose dashboard shows the
    /// studies once imported there.
    #[wasm_bindgen(constructor)]
    pub fn new(store: JournalStore, dashboard: Option<String>) -> McpServer {
        McpServer {
            store,
            studies: RefCell::new(BTreeMap::new()),
            dashboard,
            tools: serde_json::from_str(TOOLS).unwrap_or(Value::Array(Vec::new())),
        }
    }

    /// Answers one JSON-RPC message (a line of the stdio transport): the response's
    /// JSON text, or undefined for a notification.
    pub fn handle(&self, message: &str) -> Option<String> {
        let reply = ready(mcp::handle(self, message.as_bytes(), None, &self.tools))?;
        reply.body.map(|body| body.to_string())
    }
}
