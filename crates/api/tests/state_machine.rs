//! A state-machine property test of a study as the service drives it: random sequences
//! of ask, suggest, tell, report (with the pruner's verdict), prune, fail, heartbeat
//! with the clock moving and stale trials failed, enqueue, add_trials, and
//! export-then-import. After every step:
//! - a finished trial never changes again;
//! - replaying the journal gives the live study (and, at the end, its next suggestion),
//!   and so does replaying it packed in chunks, as a Durable Object compacts it;
//! - trial numbers are unique and dense, and the counts by state agree with the trials;
//! - the best trial is the first COMPLETE trial of the lowest value.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use edgetune_api::heartbeat::{check_heartbeat, fail_stale_trials};
use edgetune_core::{
    packed, Distribution, FrozenTrial, Outcome, Param, ParamValue, PrunerConfig, SearchSpace,
    Study, StudyConfig, TrialState,
};
use proptest::prelude::*;

/// How long a RUNNING trial may go without a heartbeat.
const TIMEOUT_MS: f64 = 10_000.0;

#[derive(Clone, Debug)]
enum Op {
    Ask,
    Suggest {
        pick: u16,
        param: u8,
    },
    Tell {
        pick: u16,
        value: i16,
    },
    Report {
        pick: u16,
        step: u8,
        value: i16,
    },
    Prune {
        pick: u16,
    },
    Fail {
        pick: u16,
    },
    Heartbeat {
        pick: u16,
    },
    /// The clock moves on by this many seconds, then stale trials are failed.
    Wait {
        seconds: u8,
    },
    Enqueue {
        value: i16,
    },
    AddTrial {
        value: i16,
        k: u8,
        pruned: bool,
    },
    ExportImport,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Ask),
        3 => (any::<u16>(), 0u8..3).prop_map(|(pick, param)| Op::Suggest { pick, param }),
        3 => (any::<u16>(), any::<i16>()).prop_map(|(pick, value)| Op::Tell { pick, value }),
        2 => (any::<u16>(), 0u8..6, any::<i16>()).prop_map(|(pick, step, value)| Op::Report { pick, step, value }),
        1 => any::<u16>().prop_map(|pick| Op::Prune { pick }),
        1 => any::<u16>().prop_map(|pick| Op::Fail { pick }),
        2 => any::<u16>().prop_map(|pick| Op::Heartbeat { pick }),
        1 => (0u8..15).prop_map(|seconds| Op::Wait { seconds }),
        1 => any::<i16>().prop_map(|value| Op::Enqueue { value }),
        1 => (any::<i16>(), 1u8..6, any::<bool>()).prop_map(|(value, k, pruned)| Op::AddTrial { value, k, pruned }),
        1 => Just(Op::ExportImport),
    ]
}

fn space() -> SearchSpace {
    SearchSpace(vec![
        Param {
            name: "x".into(),
            distribution: Distribution::float(-1.0, 1.0, false, None).unwrap(),
        },
        Param {
            name: "k".into(),
            distribution: Distribution::int(1, 5, false, 1).unwrap(),
        },
        Param {
            name: "c".into(),
            distribution: Distribution::categorical(vec![
                ParamValue::from("a"),
                ParamValue::from("b"),
            ])
            .unwrap(),
        },
    ])
}

/// A clock the test moves by hand, shared with the study (and its imports).
#[derive(Clone, Default)]
struct TestClock(Arc<AtomicU64>);

impl TestClock {
    fn now(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::SeqCst))
    }
    fn advance(&self, ms: f64) {
        self.0.store((self.now() + ms).to_bits(), Ordering::SeqCst);
    }
    fn boxed(&self) -> edgetune_core::study::Clock {
        let inner = self.clone();
        Box::new(move || inner.now())
    }
}

/// A RUNNING trial chosen by `pick`, if any.
fn running(study: &Study, pick: u16) -> Option<u64> {
    let running: Vec<u64> = study
        .trials()
        .iter()
        .filter(|t| t.state == TrialState::Running)
        .map(|t| t.number)
        .collect();
    (!running.is_empty()).then(|| running[usize::from(pick) % running.len()])
}

fn value(v: i16) -> f64 {
    f64::from(v) / 100.0
}

/// Runs one step. Errors of the study are allowed (a tell on a finished trial, say);
/// what they must not do is change anything, which the invariants check.
fn step(study: &mut Study, beats: &mut BTreeMap<u64, f64>, clock: &TestClock, op: &Op) {
    let params = space();
    match *op {
        Op::Ask => {
            let _ = study.ask();
        }
        Op::Suggest { pick, param } => {
            if let Some(n) = running(study, pick) {
                let p = &params.0[usize::from(param)];
                let _ = study.suggest(n, &p.name, &p.distribution);
            }
        }
        Op::Tell { pick, value: v } => {
            if let Some(n) = running(study, pick) {
                let _ = study.tell(n, Outcome::value(value(v)));
            }
        }
        Op::Report {
            pick,
            step,
            value: v,
        } => {
            if let Some(n) = running(study, pick) {
                let _ = study.report(n, u64::from(step), value(v));
                if study.should_prune(n).unwrap_or(false) {
                    study.tell(n, Outcome::Pruned).unwrap();
                }
            }
        }
        Op::Prune { pick } => {
            if let Some(n) = running(study, pick) {
                study.tell(n, Outcome::Pruned).unwrap();
            }
        }
        Op::Fail { pick } => {
            if let Some(n) = running(study, pick) {
                study
                    .tell(n, Outcome::Fail(Some("out of memory".into())))
                    .unwrap();
            }
        }
        Op::Heartbeat { pick } => {
            // Any trial, running or not: a finished one is refused.
            let n = u64::from(pick) % (study.trials().len() as u64 + 1);
            let allowed = check_heartbeat(study, n).is_ok();
            let is_running = study.trial(n).is_ok_and(|t| t.state == TrialState::Running);
            assert_eq!(allowed, is_running, "heartbeat of trial {n}");
            if allowed {
                beats.insert(n, clock.now());
            }
        }
        Op::Wait { seconds } => {
            clock.advance(f64::from(seconds) * 1000.0);
            let before: Vec<u64> = study
                .trials()
                .iter()
                .filter(|t| t.state == TrialState::Running)
                .map(|t| t.number)
                .collect();
            let next = fail_stale_trials(study, beats, clock.now(), TIMEOUT_MS).unwrap();
            for n in before {
                let t = study.trial(n).unwrap();
                let last = beats.get(&n).copied().or(t.datetime_start()).unwrap();
                let stale = clock.now() - last > TIMEOUT_MS;
                assert_eq!(
                    t.state == TrialState::Fail,
                    stale,
                    "trial {n}: last sign of life {last}"
                );
                if stale {
                    assert!(t.fail_reason.as_deref().unwrap().starts_with("stale"));
                } else {
                    assert!(next.unwrap() <= last + TIMEOUT_MS);
                }
            }
        }
        Op::Enqueue { value: v } => {
            let _ = study.enqueue(BTreeMap::from([(
                "x".to_string(),
                ParamValue::Float(value(v).clamp(-1.0, 1.0)),
            )]));
        }
        Op::AddTrial {
            value: v,
            k,
            pruned,
        } => {
            let p = BTreeMap::from([
                (
                    "x".to_string(),
                    ParamValue::Float(value(v).clamp(-1.0, 1.0)),
                ),
                ("k".to_string(), ParamValue::Int(i64::from(k))),
                ("c".to_string(), ParamValue::from("b")),
            ]);
            let outcome = if pruned {
                Outcome::Pruned
            } else {
                Outcome::value(value(v))
            };
            study.add_trial(&p, &params, outcome).unwrap();
        }
        Op::ExportImport => {
            let text = study.to_journal().to_json();
            let mut again = Study::from_journal_json(&text).unwrap();
            again.set_clock(Some(clock.boxed()));
            *study = again;
        }
    }
}

fn check(study: &Study, finished: &mut BTreeMap<u64, FrozenTrial>) -> Result<(), TestCaseError> {
    let trials = study.trials();
    // Numbers unique and dense.
    for (i, t) in trials.iter().enumerate() {
        prop_assert_eq!(t.number, i as u64);
    }
    for state in TrialState::ALL {
        prop_assert_eq!(
            study.count(state),
            trials.iter().filter(|t| t.state == state).count()
        );
    }
    // Finished trials never change.
    for (n, was) in finished.iter() {
        prop_assert_eq!(
            study.trial(*n).unwrap(),
            was,
            "finished trial {} changed",
            n
        );
    }
    for t in trials.iter().filter(|t| t.state.is_finished()) {
        finished.entry(t.number).or_insert_with(|| t.clone());
    }
    // The best trial: the first COMPLETE one of the lowest value.
    let complete = trials.iter().filter(|t| t.state == TrialState::Complete);
    let expected = complete.fold(None::<&FrozenTrial>, |best, t| match best {
        Some(b) if b.values.as_ref().unwrap()[0] <= t.values.as_ref().unwrap()[0] => Some(b),
        _ => Some(t),
    });
    match (study.best_trial(), expected) {
        (Ok(best), Some(t)) => prop_assert_eq!(best.number, t.number),
        (Err(_), None) => {}
        (got, want) => prop_assert!(
            false,
            "best {:?}, expected {:?}",
            got.map(|t| t.number),
            want.map(|t| t.number)
        ),
    }
    // The journal replays to the live study.
    let again = Study::from_journal_json(&study.to_journal().to_json()).unwrap();
    prop_assert_eq!(again.trials(), trials);
    prop_assert_eq!(again.events(), study.events());
    // So does the journal packed in chunks, as the Worker compacts it.
    let mut unpacked = Vec::new();
    for chunk in study.events().chunks(5) {
        packed::unpack(&packed::pack(chunk), &mut unpacked).unwrap();
    }
    let again = Study::replay(unpacked).unwrap();
    prop_assert_eq!(again.trials(), trials);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn a_study_keeps_its_invariants_under_any_sequence(ops in prop::collection::vec(op(), 1..80), seed in any::<u64>()) {
        let clock = TestClock::default();
        clock.advance(1_750_000_000_000.0);
        let pruner = PrunerConfig::parse(&serde_json::json!({"type": "median", "n_startup_trials": 2})).unwrap();
        let config = StudyConfig::new("sm").with_seed(seed).with_search_space(space()).with_pruner(pruner);
        let mut study = Study::create_with_clock(config, Some(clock.boxed())).unwrap();
        let mut beats = BTreeMap::new();
        let mut finished = BTreeMap::new();
        for op in &ops {
            step(&mut study, &mut beats, &clock, op);
            check(&study, &mut finished)?;
        }
        // A replayed study suggests exactly what the live one does next.
        let mut again = Study::from_journal_json(&study.to_journal().to_json()).unwrap();
        again.set_clock(Some(clock.boxed()));
        let (a, b) = (study.ask().unwrap(), again.ask().unwrap());
        prop_assert_eq!(a, b);
        for p in space().0 {
            prop_assert_eq!(study.suggest(a, &p.name, &p.distribution).unwrap(), again.suggest(b, &p.name, &p.distribution).unwrap());
        }
    }
}
