//! Property tests: journal replay.

use edgetune_core::{Distribution, Outcome, ParamValue, Study, StudyConfig, TrialState};
use proptest::prelude::*;
use serde_json::json;

proptest! {
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
