//! The body of every HTTP route with one, decoded as the Worker decodes it (with the
//! path of a bad field), then run on an in-memory study where the route changes one:
//! a 4xx or an answer, never a panic or a 500, and a failed request changes nothing.
#![no_main]

use edgetune_api::automations::AutomationConfig;
use edgetune_api::failure::field_of;
use edgetune_api::observations::{check_batch, fold, recommend, Observe};
use edgetune_api::requests::{Complete, CreateStudy, Evaluate, Fail, Optimize, Report, Suggest};
use edgetune_api::study_op::StudyOp;
use edgetune_core::{Distribution, Journal, Param, SearchSpace, Study, StudyConfig};
use edgetune_fuzz::MemoryStore;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;

/// Decodes `bytes` as the Worker does: the error names the field.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Some(v),
        Err(e) => {
            let field = field_of(&e.path().to_string(), &e.inner().to_string(), "body");
            assert!(!field.is_empty());
            None
        }
    }
}

/// `POST .../observations`: whatever the check accepts, the fold takes whole, and a
/// recommendation follows; whatever it refuses is a 4xx naming a field.
fn observations(body: &[u8]) {
    let Some(batch) = decode::<Observe>(body) else {
        return;
    };
    let space = SearchSpace(vec![
        Param {
            name: "x".into(),
            distribution: Distribution::float(0.0, 1.0, false, None).expect("valid"),
        },
        Param {
            name: "k".into(),
            distribution: Distribution::int(1, 5, false, 1).expect("valid"),
        },
    ]);
    let config = StudyConfig::new("o").with_seed(3).with_search_space(space);
    let mut study = Study::create(config).expect("valid");
    match check_batch(&study, &batch.observations) {
        Ok(()) => {
            let folded = fold(&mut study, &batch.observations).expect("checked batches fold");
            assert_eq!(folded.len(), batch.observations.len());
            recommend(&study, 2, "run", 1, 0.0).expect("a folded study recommends");
        }
        Err(failure) => {
            assert_eq!(failure.status, 400, "{failure:?}");
            assert!(failure.field.is_some(), "{failure:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&route, body)) = data.split_first() else {
        return;
    };
    match route % 10 {
        8 => return observations(body),
        9 => {
            if let Some(config) = decode::<AutomationConfig>(body) {
                if let Err(failure) = config.validate() {
                    assert_eq!(failure.status, 400, "{failure:?}");
                }
            }
            return;
        }
        _ => {}
    }
    let store = MemoryStore::default();
    let mut study = Study::create(StudyConfig::new("s").with_seed(3)).expect("valid");
    edgetune_fuzz::drive(&mut study, &[0, 0, 2, 0, 2, 1, 0, 1]);
    store.studies.borrow_mut().insert("s".into(), study);
    let number = 1;
    let op = match route % 8 {
        0 => decode::<CreateStudy>(body).map(|_| StudyOp::Get),
        1 => decode::<Suggest>(body).map(|b| StudyOp::Suggest {
            search_space: b.search_space,
        }),
        2 => decode::<Complete>(body).and_then(|b| {
            Some(StudyOp::Complete {
                number,
                values: b.values.or(b.value.map(|v| vec![v]))?,
                constraints: b.constraints,
                cost: b.cost,
            })
        }),
        3 => decode::<Report>(body).map(|b| StudyOp::Report {
            number,
            step: b.step,
            value: b.value,
            cost: b.cost,
        }),
        4 => decode::<Fail>(body).map(|b| StudyOp::Fail {
            number,
            reason: b.reason,
            cost: b.cost,
        }),
        5 => decode::<Evaluate>(body).map(|_| StudyOp::Get),
        6 => decode::<Optimize>(body).map(|_| StudyOp::Get),
        _ => decode::<Journal>(body).map(|j| {
            let _ = Study::from_journal(j);
            StudyOp::Get
        }),
    };
    let Some(op) = op else {
        return;
    };
    let before = store.studies.borrow()["s"].events().to_vec();
    match store.run("s", op) {
        Ok(_) => {}
        Err(failure) => {
            assert!((400..500).contains(&failure.status), "{failure:?}");
            assert_eq!(store.studies.borrow()["s"].events(), &before[..]);
        }
    }
});
