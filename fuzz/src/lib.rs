//! What the fuzz targets share: an in-memory store behind the MCP backend and the
//! HTTP executor, a poller for futures that never wait, and a byte-driven driver of a
//! study's operations.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context as TaskContext, Poll, RawWaker, RawWakerVTable, Waker};

use edgetune_api::exec::{self, Body, Context};
use edgetune_api::failure::Failure;
use edgetune_api::mcp::tools::Backend;
use edgetune_api::study_op::StudyOp;
use edgetune_api::views::{StudyList, StudySummary, StudyView};
use edgetune_core::{Outcome, Study, StudySpec};

/// Runs a future that never waits (every backend here answers at once).
pub fn block_on<F: Future>(future: F) -> F::Output {
    fn clone(_: *const ()) -> RawWaker {
        RawWaker::new(std::ptr::null(), &VTABLE)
    }
    fn noop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
    // SAFETY: the vtable's functions ignore the data pointer.
    let waker = unsafe { Waker::from_raw(RawWaker::new(std::ptr::null(), &VTABLE)) };
    let mut cx = TaskContext::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The limits the Worker runs with, small enough for a fuzzer's time per input.
pub const CONTEXT: Context = Context {
    now_ms: 1.7e12,
    max_trials: 200,
};

/// Studies in memory, by name: what the Durable Objects hold in the Worker.
#[derive(Default)]
pub struct MemoryStore {
    pub studies: RefCell<BTreeMap<String, Study>>,
}

impl MemoryStore {
    /// Runs `op` on study `name` as a study object would: a failed operation keeps the
    /// study as it was (its journal is replayed up to the last stored event).
    pub fn run(&self, name: &str, op: StudyOp) -> Result<String, Failure> {
        let mut studies = self.studies.borrow_mut();
        let study = studies
            .get_mut(name)
            .ok_or_else(|| Failure::not_found(format!("study {name:?} not found")))?;
        let stored = study.journal_len();
        match exec::run(study, op, &CONTEXT) {
            Ok(Body::Json(text) | Body::Csv(text) | Body::Lines(text)) => Ok(text),
            Err(f) => {
                if study.journal_len() != stored {
                    let mut events = study.events();
                    events.truncate(stored);
                    *study = Study::replay(events).expect("a stored prefix replays");
                }
                Err(f)
            }
        }
    }
}

impl Backend for MemoryStore {
    async fn study(&self, name: &str, op: StudyOp) -> Result<String, Failure> {
        self.run(name, op)
    }

    async fn create(&self, spec: StudySpec) -> Result<String, Failure> {
        let config = spec.into_config(7, &"tpe".into(), &"none".into())?;
        let name = config.name.clone();
        if self.studies.borrow().contains_key(&name) {
            return Err(Failure::conflict(format!("study {name:?} already exists")));
        }
        let study = Study::create(config)?;
        let view = serde_json::to_string(&StudyView::of(&study)).expect("views serialize");
        self.studies.borrow_mut().insert(name, study);
        Ok(view)
    }

    async fn list(&self) -> Result<String, Failure> {
        let studies: Vec<StudySummary> = self
            .studies
            .borrow()
            .values()
            .map(|s| StudySummary {
                study_name: s.name().to_string(),
                directions: s.directions().to_vec(),
                sampler: s.config().sampler.name().to_string(),
                created_at: String::new(),
            })
            .collect();
        let total = studies.len();
        let list = StudyList {
            studies,
            total,
            offset: 0,
            limit: 1000,
        };
        Ok(serde_json::to_string(&list).expect("lists serialize"))
    }

    async fn delete(&self, name: &str) -> Result<(), Failure> {
        self.studies
            .borrow_mut()
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| Failure::not_found(format!("study {name:?} not found")))
    }

    fn dashboard_url(&self, name: &str) -> Result<String, Failure> {
        Ok(format!("http://localhost/dashboard/#/study/{name}"))
    }
}

/// Drives `study` with operations read from `data`, two bytes each (an operation and
/// an argument): ask, suggest, report (with a cost), tell, prune, fail, enqueue, set a
/// user attribute, add a finished trial. Errors are expected; panics are not.
pub fn drive(study: &mut Study, data: &[u8]) {
    use edgetune_core::{Distribution, ParamValue};
    let space = [
        ("x", Distribution::float(-5.0, 5.0, false, None).expect("valid")),
        ("n", Distribution::int(1, 8, false, 1).expect("valid")),
        (
            "c",
            Distribution::categorical(vec![ParamValue::from("a"), ParamValue::from("b")])
                .expect("valid"),
        ),
    ];
    for pair in data.chunks(2).take(64) {
        let (op, arg) = (pair[0], *pair.get(1).unwrap_or(&0));
        let n_trials = study.trials().len() as u64;
        let number = if n_trials == 0 {
            0
        } else {
            u64::from(arg) % n_trials
        };
        let value = f64::from(arg) / 16.0 - 4.0;
        let _ = match op % 10 {
            0 | 1 => study.ask().map(|_| ()),
            2 => {
                let (name, d) = &space[usize::from(arg) % space.len()];
                study.suggest(number, name, d).map(|_| ())
            }
            3 => study.report_with_cost(number, u64::from(arg % 8), value, Some(f64::from(arg) / 8.0)),
            4 => study.tell_with_cost(number, Outcome::value(value), Some(f64::from(arg))).map(|_| ()),
            5 => study.prune_reason(number).map(|_| ()),
            6 => study.tell(number, Outcome::Pruned).map(|_| ()),
            7 => study.tell(number, Outcome::Fail(None)).map(|_| ()),
            8 => study
                .enqueue(
                    [("x".to_string(), ParamValue::from(value.clamp(-5.0, 5.0)))]
                        .into_iter()
                        .collect(),
                )
                .map(|_| ()),
            _ => study.set_trial_user_attr(number, "k", serde_json::json!(arg)),
        };
    }
}
