//! Heartbeats and stale trials, as Optuna's `fail_stale_trials`: a RUNNING trial with
//! no sign of life for the study's timeout is failed, with the reason. Sans-IO: the
//! Worker's study object keeps the heartbeat times and the alarm; this decides.

use std::collections::BTreeMap;

use edgetune_core::{Error, Outcome, Study, TrialState};

/// Checks that trial `number` may send a heartbeat: it exists and is RUNNING.
pub fn check_heartbeat(study: &Study, number: u64) -> Result<(), Error> {
    let trial = study.trial(number)?;
    if trial.state != TrialState::Running {
        return Err(Error::TrialNotRunning {
            number,
            state: trial.state,
        });
    }
    Ok(())
}

/// Fails every RUNNING trial whose last sign of life (its last heartbeat in `beats`,
/// else its start, else `now_ms`) is more than `timeout_ms` old. Returns when to check
/// again: the earliest deadline of a trial still running. O(trials).
///
/// ```
/// use std::collections::BTreeMap;
/// use edgetune_api::heartbeat::fail_stale_trials;
/// use edgetune_core::{Study, StudyConfig, TrialState};
/// let mut study = Study::create(StudyConfig::new("s")).unwrap();
/// let (a, b) = (study.ask().unwrap(), study.ask().unwrap());
/// let beats = BTreeMap::from([(a, 1_000.0), (b, 5_000.0)]);
/// assert_eq!(fail_stale_trials(&mut study, &beats, 7_000.0, 3_000.0).unwrap(), Some(8_000.0));
/// assert_eq!(study.trial(a).unwrap().state, TrialState::Fail);
/// assert_eq!(study.trial(b).unwrap().state, TrialState::Running);
/// ```
pub fn fail_stale_trials(
    study: &mut Study,
    beats: &BTreeMap<u64, f64>,
    now_ms: f64,
    timeout_ms: f64,
) -> Result<Option<f64>, Error> {
    let running: Vec<(u64, f64)> = study
        .trials()
        .iter()
        .filter(|t| t.state == TrialState::Running)
        .map(|t| {
            let last = beats.get(&t.number).copied().or(t.datetime_start());
            (t.number, last.unwrap_or(now_ms))
        })
        .collect();
    let mut next: Option<f64> = None;
    for (number, last) in running {
        if now_ms - last > timeout_ms {
            let reason = format!(
                "stale: no heartbeat for {} s (the study's heartbeat_timeout)",
                timeout_ms / 1000.0
            );
            study.tell(number, Outcome::Fail(Some(reason)))?;
        } else {
            let due = last + timeout_ms;
            next = Some(next.map_or(due, |n| n.min(due)));
        }
    }
    Ok(next)
}
