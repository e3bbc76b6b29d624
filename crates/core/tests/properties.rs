//! Property tests: distributions, the transform, and journal replay.

use edgetune_core::{transform, Distribution, Outcome, ParamValue, Study, StudyConfig, TrialState};
use proptest::prelude::*;
use serde_json::json;

fn float_distribution() -> impl Strategy<Value = Distribution> {
    (
        -1e6f64..1e6,
        0f64..1e6,
        any::<bool>(),
        prop::option::of(1e-3f64..1e3),
    )
        .prop_filter_map("invalid", |(low, width, log, step)| {
            let (low, log) = if log {
                (low.abs() + 1e-9, true)
            } else {
                (low, false)
            };
            let step = if log { None } else { step };
            Distribution::float(low, low + width, log, step).ok()
        })
}

fn int_distribution() -> impl Strategy<Value = Distribution> {
    (-10_000i64..10_000, 0i64..10_000, any::<bool>(), 1i64..50).prop_filter_map(
        "invalid",
        |(low, width, log, step)| {
            if log {
                Distribution::int(low.abs() + 1, low.abs() + 1 + width, true, 1).ok()
            } else {
                Distribution::int(low, low + width, false, step).ok()
            }
        },
    )
}

fn any_distribution() -> impl Strategy<Value = Distribution> {
    prop_oneof![
        float_distribution(),
        int_distribution(),
        (1usize..8).prop_map(|n| Distribution::categorical(
            (0..n).map(|i| ParamValue::Str(format!("c{i}"))).collect()
        )
        .unwrap()),
    ]
}

proptest! {
    #[test]
    fn untransform_always_lands_inside(d in any_distribution(), u in 0f64..=1.0) {
        let b = transform::bounds(&d);
        let v = transform::untransform(&d, b.low + u * (b.high - b.low));
        prop_assert!(d.contains(v), "{v} outside {d:?}");
        let external = d.to_external(v).unwrap();
        prop_assert_eq!(d.to_internal(&external).unwrap(), v);
    }

    #[test]
    fn validated_distributions_are_idempotent(d in any_distribution()) {
        prop_assert_eq!(d.clone().validated().unwrap(), d);
    }

    #[test]
    fn constructors_never_panic(low in any::<f64>(), high in any::<f64>(), log in any::<bool>(), step in prop::option::of(any::<f64>())) {
        if let Ok(d) = Distribution::float(low, high, log, step) {
            let b = transform::bounds(&d);
            prop_assert!(b.low.is_finite() && b.high.is_finite());
            prop_assert!(d.contains(transform::untransform(&d, b.low)));
        }
    }

    #[test]
    fn journal_replay_rebuilds_the_same_study(ops in prop::collection::vec((0u8..7, any::<u16>()), 1..60), seed in any::<u64>()) {
        let mut s = Study::create(StudyConfig::new("p").with_seed(seed)).unwrap();
        let d = Distribution::float(0.0, 1.0, false, None).unwrap();
        let mut running: Vec<u64> = Vec::new();
        for (op, arg) in ops {
            let pick = |running: &Vec<u64>| running.get(arg as usize % running.len().max(1)).copied();
            match op {
                0 => running.push(s.ask().unwrap()),
                1 => if let Some(n) = pick(&running) { s.suggest(n, &format!("p{}", arg % 3), &d).unwrap(); },
                2 => if let Some(n) = pick(&running) { s.report(n, u64::from(arg % 5), f64::from(arg)).unwrap(); },
                3 => if let Some(n) = pick(&running) {
                    let outcome = match arg % 3 { 0 => Outcome::value(f64::from(arg)), 1 => Outcome::Pruned, _ => Outcome::Fail(None) };
                    s.tell(n, outcome).unwrap();
                    running.retain(|&r| r != n);
                },
                4 => { s.enqueue([("p0".to_string(), ParamValue::Float(0.5))].into()).unwrap(); },
                5 => s.set_user_attr(&format!("k{}", arg % 4), json!(arg)).unwrap(),
                _ => if let Some(n) = pick(&running) { s.set_trial_user_attr(n, "a", json!([arg])).unwrap(); },
            }
        }
        let text = s.to_journal().to_json();
        let again = Study::from_journal_json(&text).unwrap();
        prop_assert_eq!(again.trials(), s.trials());
        prop_assert_eq!(again.events(), s.events());
        for state in TrialState::ALL {
            prop_assert_eq!(again.count(state), s.count(state));
        }
        // A replayed study keeps suggesting exactly as the original would.
        let mut a = s;
        let mut b = again;
        let na = a.ask().unwrap();
        let nb = b.ask().unwrap();
        prop_assert_eq!(a.suggest(na, "fresh", &d).unwrap(), b.suggest(nb, "fresh", &d).unwrap());
    }
}
