//! Arbitrary sequences of operations on a study (ask, suggest, report with costs,
//! tell, prune, fail, enqueue, attributes): none panics, and the journal they leave
//! replays into the same study, whole and cut at any event.
#![no_main]

use edgetune_core::{Study, StudyConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&head, ops)) = data.split_first() else {
        return;
    };
    let mut config = StudyConfig::new("fuzz").with_seed(u64::from(head));
    if head & 1 == 1 {
        config = config.with_cost_budget(f64::from(head) + 1.0);
    }
    let mut study = Study::create(config).expect("a valid study");
    edgetune_fuzz::drive(&mut study, ops);
    let events = study.events().to_vec();
    let again = Study::replay(events.clone()).expect("the live journal replays");
    assert_eq!(again.trials(), study.trials());
    assert_eq!(again.spending(), study.spending());
    assert_eq!(again.n_pruned_for_cost(), study.n_pruned_for_cost());
    let cut = 1 + usize::from(head) % events.len();
    Study::replay(events[..cut].to_vec()).expect("a prefix of a journal replays");
});
