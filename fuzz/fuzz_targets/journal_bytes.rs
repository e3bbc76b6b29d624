//! A journal from arbitrary bytes, as JSON and as packed events: reading it never
//! panics, and a journal that reads replays into the same study again, through its
//! JSON and through its packed form.
#![no_main]

use edgetune_core::{packed, Study};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut events = Vec::new();
    if packed::unpack(data, &mut events).is_ok() {
        // Unpacked events replay or are refused, as JSON events are.
        let _ = Study::replay(events);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(study) = Study::from_journal_json(text) {
        let again = Study::from_journal_json(&study.to_journal().to_json())
            .expect("a journal that read reads again");
        assert_eq!(again.trials(), study.trials());
        assert_eq!(again.spending(), study.spending());
        let mut unpacked = Vec::new();
        packed::unpack(&packed::pack(&study.events()), &mut unpacked)
            .expect("packed events unpack");
        let replayed = Study::replay(unpacked).expect("unpacked events replay");
        assert_eq!(replayed.trials(), study.trials());
        assert_eq!(replayed.spending(), study.spending());
    }
});
