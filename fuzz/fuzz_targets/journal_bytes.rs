//! A journal from arbitrary bytes: reading it never panics, and a journal that reads
//! replays into the same study again, through its JSON too.
#![no_main]

use edgetune_core::Study;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(study) = Study::from_journal_json(text) {
        let again = Study::from_journal_json(&study.to_journal().to_json())
            .expect("a journal that read reads again");
        assert_eq!(again.trials(), study.trials());
        assert_eq!(again.spending(), study.spending());
    }
});
