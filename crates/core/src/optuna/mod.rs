//! Optuna's journal files: a study written as the JSON lines of Optuna's
//! `JournalStorage` (`JournalFileBackend`), and a study read back from them, so that a
//! study moves between edgetune and Optuna (its plots, optuna-dashboard, its samplers).
//!
//! The format, from Optuna's `optuna/storages/journal/_storage.py`: one JSON object per
//! line, each an operation with an `op_code` and a `worker_id`: create a study (0),
//! delete one (1), set a study's user (2) or system (3) attribute, create a trial (4),
//! set a trial's parameter (5), state and values (6), intermediate value (7), user (8)
//! or system (9) attribute; rustuna also writes 10 (discard trials), which Optuna skips.
//! Studies and trials get ids in the order they are created, trials globally and each
//! study's trials their numbers. Non-finite numbers are the bare tokens `NaN`,
//! `Infinity` and `-Infinity`, as Python's `json` writes them.
//!
//! An export is the study's creation, its user attributes and metric names, then one
//! complete "create trial" line per trial (Optuna's `add_trial` form). What Optuna has
//! no field for goes into the trial's system attributes under `edgetune:`: its cost
//! (`edgetune:cost`), the cost at each reported step (`edgetune:step_costs`) and a
//! failed trial's reason (`edgetune:fail_reason`); constraints are Optuna's
//! `constraints` list. The study's sampler bookkeeping is not exported.

mod export;
mod import;
mod lines;

pub use export::{study_lines, trial_line, OPTUNA_WORKER_ID};
pub use import::{read_journal, OptunaStudy};

use crate::error::Result;
use crate::study::{Study, StudyConfig};

/// The study as an Optuna journal's text: [`study_lines`], then a [`trial_line`] per
/// trial, each ending with a newline. Every trial is written, those that left a history
/// window included (see [`Study::all_trials`]).
///
/// ```
/// use edgetune_core::{optuna, Outcome, Study, StudyConfig};
/// let mut study = Study::create(StudyConfig::new("s").with_seed(1)).unwrap();
/// for _ in 0..3 {
///     let mut trial = study.ask_trial().unwrap();
///     let x = trial.suggest_float("x", -1.0, 1.0).unwrap();
///     let n = trial.number();
///     study.tell(n, Outcome::value(x * x)).unwrap();
/// }
/// let text = optuna::export(&study).unwrap();
/// assert_eq!(text.lines().count(), 4);
/// let back = optuna::import(&text, Some("s"), StudyConfig::new("copy")).unwrap();
/// assert_eq!(back.best_trial().unwrap().params, study.best_trial().unwrap().params);
/// ```
pub fn export(study: &Study) -> Result<String> {
    let n_objectives = study.directions().len();
    let mut out = String::new();
    let metric_names = study.metric_names();
    for line in study_lines(
        study.name(),
        study.directions(),
        study.user_attrs(),
        metric_names.as_deref(),
    ) {
        out += &line;
        out.push('\n');
    }
    for trial in study.all_trials()?.iter() {
        out += &trial_line(trial, n_objectives);
        out.push('\n');
    }
    Ok(out)
}

/// The study called `pick` in an Optuna journal's text (its only one when None), as an
/// edgetune study created with `config` (its name, sampler, pruner and seed; the
/// directions are the journal's), holding every trial and going on from them.
pub fn import(text: &str, pick: Option<&str>, config: StudyConfig) -> Result<Study> {
    let journal = read_journal(text, pick)?.into_journal(config)?;
    Study::replay(journal.events)
}
