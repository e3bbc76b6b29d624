//! The journal a study holds in memory: sealed runs of events in their packed form,
//! then the newest events as they are.
//!
//! A study that keeps its journal (the npm package's, a Rust program's) would otherwise
//! hold every event as a struct, several times the size of its trials: an event with a
//! parameter name, a distribution and maps per parameter of every trial. Packed
//! ([`super::packed`]: each distinct parameter once, the rest field by field), a trial's
//! events take tens of bytes. Reading them back gives the same events, bit for bit.
//!
//! Cost: O(1) amortised to append (a run of [`SEAL`] events is packed in O(SEAL) once);
//! O(events) to read them all; O(SEAL + events since) to read the newest.

use super::journal::Event;
use super::packed;

/// Events per sealed run.
const SEAL: usize = 4096;

/// A study's journal: `sealed` runs of [`SEAL`] packed events, then `tail`.
#[derive(Clone, Debug, Default)]
pub(super) struct EventLog {
    sealed: Vec<Box<[u8]>>,
    tail: Vec<Event>,
}

impl EventLog {
    /// How many events.
    pub(super) fn len(&self) -> usize {
        self.sealed.len() * SEAL + self.tail.len()
    }

    /// True when it holds none.
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `event`, sealing the tail once it holds [`SEAL`] events.
    pub(super) fn push(&mut self, event: Event) {
        self.tail.push(event);
        if self.tail.len() == SEAL {
            self.sealed
                .push(packed::pack(&self.tail).into_boxed_slice());
            self.tail.clear();
        }
    }

    /// Drops every event.
    pub(super) fn clear(&mut self) {
        self.sealed = Vec::new();
        self.tail = Vec::new();
    }

    /// The events from index `from` on, oldest first: only the runs that hold them are
    /// unpacked.
    pub(super) fn since(&self, from: usize) -> Vec<Event> {
        let sealed_len = self.sealed.len() * SEAL;
        let mut out = Vec::new();
        if from < sealed_len {
            let first = from / SEAL;
            for run in &self.sealed[first..] {
                packed::unpack(run, &mut out)
                    .expect("a run the study packed itself unpacks to the same events");
            }
            out.drain(..from - first * SEAL);
        }
        let tail_from = from.saturating_sub(sealed_len);
        out.extend(self.tail.iter().skip(tail_from).cloned());
        out
    }

    /// The first `n` events.
    pub(super) fn prefix(&self, n: usize) -> Vec<Event> {
        let mut out = self.since(0);
        out.truncate(n);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Distribution, Outcome, Param, SearchSpace, Study, StudyConfig};

    #[test]
    fn reads_back_the_same_events_across_sealed_runs() {
        let space = SearchSpace(vec![Param {
            name: "x".into(),
            distribution: Distribution::float(0.0, 1.0, false, None).unwrap(),
        }]);
        let mut study = Study::create(StudyConfig::new("s")).unwrap();
        for _ in 0..3000 {
            let n = study.ask_with_space(&space).unwrap();
            study.tell(n, Outcome::value(n as f64)).unwrap();
        }
        let events = study.events();
        let mut log = EventLog::default();
        for e in &events {
            log.push(e.clone());
        }
        assert_eq!(log.sealed.len(), events.len() / SEAL);
        assert_eq!(log.since(0), events);
        for from in [
            0,
            1,
            SEAL - 1,
            SEAL,
            SEAL + 7,
            2 * SEAL,
            events.len() - 1,
            events.len(),
        ] {
            assert_eq!(log.since(from), events[from..], "from {from}");
        }
        assert_eq!(log.prefix(SEAL + 3), events[..SEAL + 3]);
    }
}
