//! The packed form of journal events (`edgetune_core::packed`): every kind of event
//! survives it bit for bit, a replay of unpacked events is the study, and bytes that are
//! not a chunk are an error.

use std::collections::BTreeMap;

use edgetune_core::{
    packed, Direction, Event, Outcome, ParamValue, SamplerConfig, SearchSpace, Study, StudyConfig,
};
use serde_json::json;

fn space() -> SearchSpace {
    serde_json::from_value(json!([
        {"name": "x", "type": "float", "low": -5.0, "high": 5.0},
        {"name": "lr", "type": "float", "low": 1e-5, "high": 1.0, "log": true},
        {"name": "n", "type": "int", "low": 1, "high": 10},
        {"name": "opt", "type": "categorical", "choices": ["adam", "sgd", 3, true]},
        {"name": "dropout", "type": "float", "low": 0.0, "high": 0.5, "step": 0.05}
    ]))
    .unwrap()
}

/// A study with every kind of event: relative parameters (multivariate TPE), sampler
/// attributes, enqueued trials, attributes, constraints, reports with costs and NaN,
/// and every final state.
fn busy_study(sampler: serde_json::Value, directions: usize) -> Study {
    let (sampler, _) = SamplerConfig::parse(&sampler).unwrap();
    let config = StudyConfig::new("packed")
        .with_sampler(sampler)
        .with_seed(3)
        .with_directions(vec![Direction::Minimize; directions]);
    let mut study = Study::create_with_clock(config, Some(Box::new(|| 1.5e12))).unwrap();
    study
        .set_user_attr("owner", json!({"team": "ml", "n": [1, 2]}))
        .unwrap();
    let space = space();
    for i in 0..40u64 {
        if i % 9 == 4 {
            let fixed = BTreeMap::from([("x".to_string(), ParamValue::Float(0.5))]);
            study.enqueue(fixed).unwrap();
        }
        let n = study.ask_with_space(&space).unwrap();
        let x = study.trial(n).unwrap().external_params()["x"]
            .as_f64()
            .unwrap();
        study.set_trial_user_attr(n, "i", json!(i)).unwrap();
        for step in 0..if directions == 1 { 3 } else { 0 } {
            let value = if step == 1 && i % 5 == 0 {
                f64::NAN
            } else {
                x + step as f64
            };
            study
                .report_with_cost(n, step, value, Some((step + 1) as f64))
                .unwrap();
        }
        let values = vec![x * x; directions];
        let outcome = match i % 7 {
            3 => Outcome::Pruned,
            5 => Outcome::Fail(Some("diverged".into())),
            6 => Outcome::Fail(None),
            _ => Outcome::Values(values),
        };
        let constraints = (i % 2 == 0).then(|| vec![x - 1.0, -x]);
        study
            .tell_with(n, outcome, constraints, Some(4.0 + i as f64))
            .unwrap();
    }
    study
}

#[test]
fn every_event_survives_packing_and_replays_to_the_study() {
    for (sampler, directions) in [
        (json!({"type": "tpe", "n_startup_trials": 5}), 1),
        (json!({"type": "nsga2", "population_size": 4}), 2),
        (json!({"type": "cmaes", "popsize": 4}), 1),
        (
            json!({"type": "gp", "n_startup_trials": 4, "n_preliminary_samples": 64}),
            1,
        ),
    ] {
        let study = busy_study(sampler.clone(), directions);
        let events = study.events();
        let kinds: std::collections::BTreeSet<_> = events
            .iter()
            .map(|e| {
                serde_json::to_value(e).unwrap()["event"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert!(
            kinds.len() >= 7 + usize::from(directions == 1),
            "{sampler}: {kinds:?}"
        );
        // In several chunks, as a store compacts it.
        let mut unpacked = Vec::new();
        for part in events.chunks(37) {
            packed::unpack(&packed::pack(part), &mut unpacked).unwrap();
        }
        // NaN is not equal to itself: compare the journal JSON, which spells it out.
        let json = |es: &[Event]| serde_json::to_string(es).unwrap();
        assert_eq!(json(&unpacked), json(&events), "{sampler}");
        let mut replayed = Study::replay(unpacked).unwrap();
        let mut live = busy_study(sampler.clone(), directions);
        // Debug spells NaN out too.
        assert_eq!(
            format!("{:?}", replayed.trials()),
            format!("{:?}", live.trials())
        );
        // The same next suggestion.
        let a = replayed.ask_with_space(&space()).unwrap();
        let b = live.ask_with_space(&space()).unwrap();
        assert_eq!(
            replayed.trial(a).unwrap().external_params(),
            live.trial(b).unwrap().external_params(),
            "{sampler}"
        );
    }
}

#[test]
fn packing_is_at_least_three_times_smaller_than_the_json() {
    let study = busy_study(json!({"type": "tpe", "n_startup_trials": 5}), 1);
    let bytes = packed::pack(&study.events()).len();
    let json = study.to_journal().to_json().len();
    assert!(bytes * 3 < json, "{bytes} bytes packed, {json} as JSON");
}

#[test]
fn bytes_that_are_not_a_chunk_are_an_error() {
    let study = busy_study(json!({"type": "random"}), 1);
    let bytes = packed::pack(&study.events());
    let mut events = Vec::new();
    for cut in [0, 1, 7, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            packed::unpack(&bytes[..cut], &mut events).is_err(),
            "cut at {cut}"
        );
    }
    let mut flipped = bytes.clone();
    flipped[0] ^= 0x7f; // the version
    let err = packed::unpack(&flipped, &mut events)
        .unwrap_err()
        .to_string();
    assert!(err.contains("version"), "{err}");
    // Any corruption is an error or other events, never a panic.
    for i in 0..bytes.len().min(3000) {
        let mut b = bytes.clone();
        b[i] = b[i].wrapping_add(101);
        let _ = packed::unpack(&b, &mut Vec::new());
    }
}

#[test]
fn a_chunk_of_version_1_still_unpacks_bit_for_bit() {
    // Packed by version 1 (twelve trials of the busy study above, TPE): chunks that
    // stores wrote before version 2 are read as they were.
    let hex = include_str!("data/packed-v1.hex").trim();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    assert_eq!(bytes[0], 1, "the fixture is of version 1");
    let mut events = Vec::new();
    packed::unpack(&bytes, &mut events).unwrap();
    let expected: Vec<Event> = serde_json::from_str(include_str!("data/packed-v1.json")).unwrap();
    let json = |es: &[Event]| serde_json::to_string(es).unwrap();
    assert_eq!(json(&events), json(&expected));
    // Packed again, it is version 2, smaller, and the same events.
    let again = packed::pack(&events);
    assert_eq!(again[0], 2);
    assert!(
        again.len() < bytes.len(),
        "{} >= {}",
        again.len(),
        bytes.len()
    );
    let mut unpacked = Vec::new();
    packed::unpack(&again, &mut unpacked).unwrap();
    assert_eq!(json(&unpacked), json(&expected));
}

#[test]
fn whole_numbers_and_times_take_few_bytes_and_keep_their_bits() {
    let mut study = Study::create_with_clock(
        StudyConfig::new("t").with_seed(1),
        Some(Box::new({
            let now = std::cell::Cell::new(1.7e12);
            move || {
                now.set(now.get() + 3.0);
                now.get()
            }
        })),
    )
    .unwrap();
    let space = space();
    for i in 0..300 {
        let n = study.ask_with_space(&space).unwrap();
        // Whole, negative zero, fractional and huge values, all kept bit for bit.
        let value = [1.0, -0.0, 0.25, 1e300, -7.0][i % 5];
        study.tell(n, Outcome::value(value)).unwrap();
    }
    let events = study.events();
    let bytes = packed::pack(&events);
    let mut unpacked = Vec::new();
    packed::unpack(&bytes, &mut unpacked).unwrap();
    let bits = |es: &[Event]| {
        es.iter()
            .filter_map(|e| match e {
                Event::Told { values, at, .. } => Some((
                    values.as_ref().map(|v| v[0].0.to_bits()),
                    at.map(f64::to_bits),
                )),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&unpacked), bits(&events));
    let per_trial = bytes.len() / 300;
    assert!(per_trial <= 80, "{per_trial} bytes per trial");
}
