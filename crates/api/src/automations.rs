//! Automations: scheduled per-tenant optimization from production observations. An
//! automation names studies (the modules); each run checks, for each study, that the
//! automation is enabled, that its interval has elapsed since the study's last
//! successful run, and that enough new observations are pending; then it folds them in
//! and publishes a recommendation. This module holds the shapes and every decision
//! (validation, conditions, schedule, retries); the Worker's `Automations` object only
//! stores and calls.

use std::collections::BTreeMap;

use edgetune_core::study::validate_study_name;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::failure::Failure;
use crate::requests::shape;
use crate::time::iso8601;

/// The most studies one automation may name.
pub const MAX_STUDIES: usize = 20;
/// The shortest interval between runs: the cron fires every 5 minutes, so shorter
/// intervals could not be kept anyway.
pub const MIN_INTERVAL_SECONDS: u64 = 60;
/// The longest interval, 30 days.
pub const MAX_INTERVAL_SECONDS: u64 = 30 * 86_400;
/// A run still marked running after this long is taken to have died with its object.
pub const STALE_RUN_MS: f64 = 15.0 * 60_000.0;

shape! {
/// The body of `PUT /api/v1/automations/{automation_name}`, and the configuration an
/// automation keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomationConfig {
    /// The studies (modules) to optimize, 1 to 20, each independently in a run.
    pub studies: Vec<String>,
    /// Whether runs happen; a disabled automation's manual run is recorded as skipped.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Seconds between scheduled runs, and the least time since a study's last
    /// successful run before it is optimized again: 60 to 2592000 (default 3600).
    #[serde(default = "hour")]
    #[cfg_attr(feature = "schema", schemars(range(min = 60, max = 2_592_000)))]
    pub interval_seconds: u64,
    /// Pending observations a study needs before a run folds them in: 0 to 1000000
    /// (default 100).
    #[serde(default = "hundred")]
    #[cfg_attr(feature = "schema", schemars(range(max = 1_000_000)))]
    pub min_new_observations: u64,
    /// How many next configurations a run publishes: 1 to 20 (default 3).
    #[serde(default = "three")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 20)))]
    pub recommendations: u32,
    /// Retries of a failed run.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Runs kept in the audit trail: 1 to 1000 (default 100).
    #[serde(default = "hundred_u32")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub history_limit: u32,
}
}

shape! {
/// How a failed run is retried: the studies that failed run again after
/// `backoff_seconds`, doubling each attempt, up to `limit` attempts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryPolicy {
    /// Retries after a failed run: 0 to 10 (default 3).
    #[serde(default = "three")]
    #[cfg_attr(feature = "schema", schemars(range(max = 10)))]
    pub limit: u32,
    /// Seconds before the first retry: 1 to 86400 (default 60).
    #[serde(default = "minute")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 86_400)))]
    pub backoff_seconds: u64,
}
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            limit: 3,
            backoff_seconds: 60,
        }
    }
}

fn yes() -> bool {
    true
}
fn hour() -> u64 {
    3600
}
fn minute() -> u64 {
    60
}
fn hundred() -> u64 {
    100
}
fn hundred_u32() -> u32 {
    100
}
fn three() -> u32 {
    3
}

impl AutomationConfig {
    /// Checks every bound; the error names the field.
    pub fn validate(&self) -> Result<(), Failure> {
        if self.studies.is_empty() || self.studies.len() > MAX_STUDIES {
            return Err(Failure::invalid(
                "studies",
                format!("name 1 to {MAX_STUDIES} studies"),
            ));
        }
        for (i, name) in self.studies.iter().enumerate() {
            validate_study_name(name)
                .map_err(|e| Failure::invalid(format!("studies[{i}]"), e.to_string()))?;
            if self.studies[..i].contains(name) {
                return Err(Failure::invalid(
                    format!("studies[{i}]"),
                    format!("{name:?} is named twice"),
                ));
            }
        }
        let bounds: [(&str, u64, u64, u64); 5] = [
            (
                "interval_seconds",
                self.interval_seconds,
                MIN_INTERVAL_SECONDS,
                MAX_INTERVAL_SECONDS,
            ),
            (
                "min_new_observations",
                self.min_new_observations,
                0,
                1_000_000,
            ),
            ("recommendations", self.recommendations.into(), 1, 20),
            ("history_limit", self.history_limit.into(), 1, 1000),
            ("retry.limit", self.retry.limit.into(), 0, 10),
        ];
        for (field, value, low, high) in bounds.into_iter().chain([(
            "retry.backoff_seconds",
            self.retry.backoff_seconds,
            1,
            86_400,
        )]) {
            if !(low..=high).contains(&value) {
                return Err(Failure::invalid(
                    field,
                    format!("must be from {low} to {high}, got {value}"),
                ));
            }
        }
        Ok(())
    }
}

/// Checks an automation's name: the rules of a study name.
pub fn validate_name(name: &str) -> Result<(), Failure> {
    validate_study_name(name)
        .map_err(|e| Failure::invalid("automation_name", e.to_string().replacen("name: ", "", 1)))
}

shape! {
/// The optional body of `POST /api/v1/automations/{automation_name}/run`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Skip the interval and observation-count conditions (never `enabled`).
    #[serde(default)]
    pub force: bool,
}
}

shape! {
/// `?limit=`: the most recent runs.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RunsQuery {
    /// At most this many, 1 to 1000 (default 20).
    #[cfg_attr(feature = "schema", schemars(with = "Option<u64>", range(min = 1, max = 1000)))]
    pub limit: Option<String>,
}
}

/// What started a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The schedule (the Worker's cron trigger).
    Cron,
    /// `POST .../run`.
    Manual,
    /// A retry of a failed run.
    Retry,
}

/// How a study fared in a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Observations folded in and a recommendation published.
    Succeeded,
    /// A condition was not met (see `reason`).
    Skipped,
    /// An error (see `error`); the run is retried.
    Failed,
}

/// Why a study was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The automation is disabled.
    Disabled,
    /// Less than `interval_seconds` since the study's last successful run.
    IntervalNotElapsed,
    /// Fewer than `min_new_observations` observations pending.
    TooFewObservations,
}

/// A run's overall status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// At least one study succeeded and none failed.
    Succeeded,
    /// Every study was skipped.
    Skipped,
    /// At least one study failed.
    Failed,
}

shape! {
/// One condition of a run, as it was checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// `enabled`, `interval_elapsed` or `new_observations`.
    pub name: String,
    /// Whether it held (a forced run counts the interval and count as held).
    pub met: bool,
    /// What was found: enabled's flag, the seconds since the study's last successful
    /// run (null: never), the number of pending observations.
    pub value: Value,
    /// What it needs: true, `interval_seconds`, `min_new_observations`.
    pub required: Value,
    /// True when a forced run skipped it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forced: bool,
}
}

shape! {
/// How one study fared in a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StudyRun {
    /// The study.
    pub study_name: String,
    /// Succeeded, skipped or failed.
    pub outcome: Outcome,
    /// Why it was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<SkipReason>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The conditions, in the order checked; checking stops at the first unmet one.
    pub conditions: Vec<Condition>,
    /// Observations folded in as trials.
    pub folded: u64,
    /// The best value before the run (one objective).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_best_value: Option<f64>,
    /// The best value after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best_value: Option<f64>,
    /// best_value − previous_best_value, when both exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<f64>,
    /// The version of the recommendation it published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation_version: Option<u64>,
}
}

shape! {
/// One run of an automation: the audit trail's record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Unique: the automation's name, the start in ms, and a random suffix.
    pub run_id: String,
    /// The automation.
    pub automation_name: String,
    /// What started it.
    pub trigger: Trigger,
    /// 0 for a first run, n for the n-th retry.
    pub attempt: u32,
    /// Whether it was forced.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force: bool,
    /// When it started.
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
    /// Succeeded, skipped or failed.
    pub status: RunStatus,
    /// Each study's conditions and outcome.
    pub studies: Vec<StudyRun>,
    /// When its retry is due, if it failed and retries are left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<String>,
}
}

shape! {
/// A retry waiting for its time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingRetry {
    /// Which retry it is (1 is the first).
    pub attempt: u32,
    /// When it is due, ms since the epoch.
    pub at_ms: f64,
    /// The studies that failed, to run again.
    pub studies: Vec<String>,
    /// Whether the failed run was forced.
    pub force: bool,
}
}

/// What an automation's object keeps of it between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AutomationState {
    /// Its configuration.
    pub config: AutomationConfig,
    /// Created, ms since the epoch.
    pub created_at: f64,
    /// Last configured, ms since the epoch.
    pub updated_at: f64,
    /// When the schedule next runs it, ms since the epoch.
    pub next_run_at: f64,
    /// When the run in progress started.
    pub running_since: Option<f64>,
    /// A retry waiting for its time.
    pub retry: Option<PendingRetry>,
    /// Each study's last successful run's start, ms since the epoch.
    pub last_success: BTreeMap<String, f64>,
}

impl AutomationState {
    /// A new automation: the next cron tick runs it.
    pub fn new(config: AutomationConfig, now_ms: f64) -> AutomationState {
        AutomationState {
            config,
            created_at: now_ms,
            updated_at: now_ms,
            next_run_at: now_ms,
            running_since: None,
            retry: None,
            last_success: BTreeMap::new(),
        }
    }

    /// A new configuration. A changed interval reschedules from now; the studies'
    /// history and a pending retry are kept.
    pub fn reconfigure(&mut self, config: AutomationConfig, now_ms: f64) {
        if config.interval_seconds != self.config.interval_seconds {
            self.next_run_at = self.next_run_at.min(now_ms + interval_ms(&config));
        }
        self.config = config;
        self.updated_at = now_ms;
    }

    /// Whether a run is in progress (and not stale).
    pub fn running(&self, now_ms: f64) -> bool {
        self.running_since
            .is_some_and(|since| now_ms - since < STALE_RUN_MS)
    }

    /// What is due at `now`: a retry first, else a scheduled run of an enabled
    /// automation. Nothing while a run is in progress.
    pub fn due(&self, now_ms: f64) -> Option<Trigger> {
        if self.running(now_ms) {
            return None;
        }
        match &self.retry {
            Some(retry) if retry.at_ms <= now_ms => Some(Trigger::Retry),
            _ if self.config.enabled && self.next_run_at <= now_ms => Some(Trigger::Cron),
            _ => None,
        }
    }

    /// When it is next eligible to run on its own: its pending retry or its next
    /// scheduled time; none while disabled with no retry.
    pub fn next_eligible(&self) -> Option<f64> {
        let scheduled = self.config.enabled.then_some(self.next_run_at);
        match (&self.retry, scheduled) {
            (Some(r), Some(s)) => Some(r.at_ms.min(s)),
            (Some(r), None) => Some(r.at_ms),
            (None, s) => s,
        }
    }

    /// Marks a run started: taken, and for a scheduled run the schedule moved to its
    /// next slot (so a missed schedule catches up once).
    pub fn start(&mut self, trigger: Trigger, now_ms: f64) {
        self.running_since = Some(now_ms);
        match trigger {
            Trigger::Cron => {
                self.next_run_at = next_slot(self.next_run_at, interval_ms(&self.config), now_ms)
            }
            Trigger::Retry => self.retry = None,
            Trigger::Manual => {}
        }
    }

    /// Records a finished run: each succeeded study's success time (the run's start,
    /// so the next scheduled run finds the interval elapsed), and a retry of the
    /// failed studies while attempts are left. Returns the retry's time.
    pub fn finish(&mut self, run: &RunFacts, studies: &[StudyRun]) -> Option<f64> {
        self.running_since = None;
        for s in studies {
            if s.outcome == Outcome::Succeeded {
                self.last_success
                    .insert(s.study_name.clone(), run.started_ms);
            }
        }
        let failed: Vec<String> = studies
            .iter()
            .filter(|s| s.outcome == Outcome::Failed)
            .map(|s| s.study_name.clone())
            .collect();
        let attempt = run.attempt + 1;
        if failed.is_empty() || attempt > self.config.retry.limit {
            return None;
        }
        let at_ms = run.finished_ms + retry_delay_ms(&self.config.retry, attempt);
        self.retry = Some(PendingRetry {
            attempt,
            at_ms,
            studies: failed,
            force: run.force,
        });
        Some(at_ms)
    }

    /// The enabled and interval conditions of `study` at `now`, and the reason to
    /// skip it if one fails. The observation count is the study's, checked by the
    /// caller when these hold.
    pub fn conditions(
        &self,
        study: &str,
        now_ms: f64,
        force: bool,
    ) -> (Vec<Condition>, Option<SkipReason>) {
        let enabled = Condition {
            name: "enabled".into(),
            met: self.config.enabled,
            value: self.config.enabled.into(),
            required: true.into(),
            forced: false,
        };
        if !self.config.enabled {
            return (vec![enabled], Some(SkipReason::Disabled));
        }
        let since = self
            .last_success
            .get(study)
            .map(|at| ((now_ms - at) / 1000.0).max(0.0));
        let elapsed = since.is_none_or(|s| s >= self.config.interval_seconds as f64);
        let interval = Condition {
            name: "interval_elapsed".into(),
            met: elapsed || force,
            value: since.map_or(Value::Null, |s| (s.round()).into()),
            required: self.config.interval_seconds.into(),
            forced: force && !elapsed,
        };
        let skip = (!interval.met).then_some(SkipReason::IntervalNotElapsed);
        (vec![enabled, interval], skip)
    }
}

/// The observation-count condition, as the study answered it.
pub fn observations_condition(pending: u64, required: u64, force: bool) -> Condition {
    let enough = pending >= required;
    Condition {
        name: "new_observations".into(),
        met: enough || force,
        value: pending.into(),
        required: required.into(),
        forced: force && !enough,
    }
}

/// The times and attempt of a run, for [`AutomationState::finish`].
#[derive(Clone, Copy, Debug)]
pub struct RunFacts {
    /// Its start, ms.
    pub started_ms: f64,
    /// Its end, ms.
    pub finished_ms: f64,
    /// 0, or the retry's number.
    pub attempt: u32,
    /// Whether it was forced.
    pub force: bool,
}

/// The interval in ms.
fn interval_ms(config: &AutomationConfig) -> f64 {
    config.interval_seconds as f64 * 1000.0
}

/// The first slot of the schedule after `now`: `scheduled + k·interval` for the least
/// k ≥ 1 that passes `now`. However many slots were missed, one run catches up.
///
/// ```
/// use edgetune_api::automations::next_slot;
/// assert_eq!(next_slot(1000.0, 100.0, 1000.0), 1100.0);
/// // Five slots missed: the next is still in the future, so one run catches up.
/// assert_eq!(next_slot(1000.0, 100.0, 1550.0), 1600.0);
/// ```
pub fn next_slot(scheduled: f64, interval: f64, now: f64) -> f64 {
    let k = ((now - scheduled) / interval).floor().max(0.0) + 1.0;
    scheduled + k * interval
}

/// The wait before retry `attempt` (1 is the first): the backoff, doubled each
/// attempt.
///
/// ```
/// use edgetune_api::automations::{retry_delay_ms, RetryPolicy};
/// let p = RetryPolicy { limit: 3, backoff_seconds: 60 };
/// assert_eq!([1, 2, 3].map(|a| retry_delay_ms(&p, a)), [60_000.0, 120_000.0, 240_000.0]);
/// ```
pub fn retry_delay_ms(policy: &RetryPolicy, attempt: u32) -> f64 {
    policy.backoff_seconds as f64 * 1000.0 * 2f64.powi(attempt.saturating_sub(1) as i32)
}

/// The run's status from its studies' outcomes.
pub fn run_status(studies: &[StudyRun]) -> RunStatus {
    if studies.iter().any(|s| s.outcome == Outcome::Failed) {
        RunStatus::Failed
    } else if studies.iter().any(|s| s.outcome == Outcome::Succeeded) {
        RunStatus::Succeeded
    } else {
        RunStatus::Skipped
    }
}

/// What a study's object answers to a fold: the pending count it checked, and what
/// it did when the count sufficed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FoldAnswer {
    /// Observations pending before the fold.
    pub pending: u64,
    /// What the fold did; none when too few were pending.
    pub folded: Option<Folded>,
}

/// A fold that happened.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Folded {
    /// Observations folded in.
    pub count: u64,
    /// The best value before (one objective).
    pub previous_best_value: Option<f64>,
    /// The best value after.
    pub best_value: Option<f64>,
    /// The recommendation published.
    pub version: u64,
}

impl StudyRun {
    /// A study skipped for `reason`.
    pub fn skipped(study: &str, conditions: Vec<Condition>, reason: SkipReason) -> StudyRun {
        StudyRun {
            study_name: study.into(),
            outcome: Outcome::Skipped,
            reason: Some(reason),
            error: None,
            conditions,
            folded: 0,
            previous_best_value: None,
            best_value: None,
            delta: None,
            recommendation_version: None,
        }
    }

    /// A study that failed with `error`.
    pub fn failed(study: &str, conditions: Vec<Condition>, error: String) -> StudyRun {
        StudyRun {
            outcome: Outcome::Failed,
            reason: None,
            error: Some(error),
            ..StudyRun::skipped(study, conditions, SkipReason::Disabled)
        }
    }

    /// A study as its fold answered.
    pub fn folded(
        study: &str,
        mut conditions: Vec<Condition>,
        answer: FoldAnswer,
        min_new_observations: u64,
        force: bool,
    ) -> StudyRun {
        conditions.push(observations_condition(
            answer.pending,
            min_new_observations,
            force,
        ));
        match answer.folded {
            None => StudyRun::skipped(study, conditions, SkipReason::TooFewObservations),
            Some(f) => StudyRun {
                study_name: study.into(),
                outcome: Outcome::Succeeded,
                reason: None,
                error: None,
                conditions,
                folded: f.count,
                previous_best_value: f.previous_best_value,
                best_value: f.best_value,
                delta: f.best_value.zip(f.previous_best_value).map(|(b, p)| b - p),
                recommendation_version: Some(f.version),
            },
        }
    }
}

shape! {
/// An automation: its configuration, its schedule and its last run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AutomationView {
    /// Its name.
    pub automation_name: String,
    /// Its configuration.
    pub config: AutomationConfig,
    /// When it was created.
    pub created_at: String,
    /// When it was last configured.
    pub updated_at: String,
    /// When it next runs on its own (a retry or the schedule); null while disabled.
    pub next_run_at: Option<String>,
    /// Whether a run is in progress.
    pub running: bool,
    /// A retry waiting for its time.
    pub retry: Option<RetryView>,
    /// Each study's last successful run.
    pub last_success: BTreeMap<String, String>,
    /// The latest run.
    pub last_run: Option<RunView>,
}
}

shape! {
/// A retry waiting for its time.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RetryView {
    /// Which retry (1 is the first).
    pub attempt: u32,
    /// When it is due.
    pub at: String,
    /// The studies it runs again.
    pub studies: Vec<String>,
}
}

impl AutomationView {
    /// The view of `state` named `name`, with its latest run.
    pub fn of(
        name: &str,
        state: &AutomationState,
        last_run: Option<RunView>,
        now_ms: f64,
    ) -> AutomationView {
        AutomationView {
            automation_name: name.into(),
            config: state.config.clone(),
            created_at: iso8601(state.created_at),
            updated_at: iso8601(state.updated_at),
            next_run_at: state.next_eligible().map(|at| iso8601(at.max(now_ms))),
            running: state.running(now_ms),
            retry: state.retry.as_ref().map(|r| RetryView {
                attempt: r.attempt,
                at: iso8601(r.at_ms),
                studies: r.studies.clone(),
            }),
            last_success: state
                .last_success
                .iter()
                .map(|(s, at)| (s.clone(), iso8601(*at)))
                .collect(),
            last_run,
        }
    }
}

shape! {
/// The tenant's automations.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AutomationList {
    /// Each automation, by name.
    pub automations: Vec<AutomationView>,
}
}

shape! {
/// The answer to an automation's delete.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutomationDeleted {
    /// Always true.
    pub deleted: bool,
    /// The automation deleted.
    pub automation_name: String,
}
}

shape! {
/// An automation's audit trail, newest first.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunList {
    /// The automation.
    pub automation_name: String,
    /// Its runs, newest first, at most `history_limit` kept.
    pub runs: Vec<RunView>,
}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AutomationConfig {
        serde_json::from_value(serde_json::json!({"studies": ["a", "b"]})).unwrap()
    }

    #[test]
    fn defaults_and_bounds() {
        let c = config();
        assert_eq!(
            (
                c.enabled,
                c.interval_seconds,
                c.min_new_observations,
                c.recommendations
            ),
            (true, 3600, 100, 3)
        );
        assert_eq!(
            (c.retry.limit, c.retry.backoff_seconds, c.history_limit),
            (3, 60, 100)
        );
        c.validate().unwrap();
        let bad = [
            (serde_json::json!({"studies": []}), "studies"),
            (serde_json::json!({"studies": ["a", "a"]}), "studies[1]"),
            (serde_json::json!({"studies": ["a b"]}), "studies[0]"),
            (
                serde_json::json!({"studies": ["a"], "interval_seconds": 59}),
                "interval_seconds",
            ),
            (
                serde_json::json!({"studies": ["a"], "recommendations": 21}),
                "recommendations",
            ),
            (
                serde_json::json!({"studies": ["a"], "recommendations": 0}),
                "recommendations",
            ),
            (
                serde_json::json!({"studies": ["a"], "history_limit": 0}),
                "history_limit",
            ),
            (
                serde_json::json!({"studies": ["a"], "retry": {"limit": 11}}),
                "retry.limit",
            ),
            (
                serde_json::json!({"studies": ["a"], "retry": {"backoff_seconds": 0}}),
                "retry.backoff_seconds",
            ),
        ];
        for (body, field) in bad {
            let c: AutomationConfig = serde_json::from_value(body).unwrap();
            assert_eq!(c.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn schedule_runs_once_per_slot_and_catches_up_once() {
        let mut s = AutomationState::new(config(), 0.0);
        assert_eq!(s.due(0.0), Some(Trigger::Cron));
        s.start(Trigger::Cron, 0.0);
        assert_eq!(s.due(0.0), None, "running");
        s.finish(
            &RunFacts {
                started_ms: 0.0,
                finished_ms: 10.0,
                attempt: 0,
                force: false,
            },
            &[],
        );
        assert_eq!(s.next_run_at, 3_600_000.0);
        assert_eq!(s.due(3_599_999.0), None);
        // Ten hours missed: one run, and the next slot is ahead of now.
        s.start(Trigger::Cron, 36_000_000.0 + 5.0);
        assert_eq!(s.next_run_at, 39_600_000.0);
        s.running_since = None;
        assert_eq!(s.due(36_000_010.0), None);
        s.config.enabled = false;
        assert_eq!((s.due(1e12), s.next_eligible()), (None, None));
    }

    #[test]
    fn conditions_in_order_and_forced() {
        let mut s = AutomationState::new(config(), 0.0);
        s.last_success.insert("a".into(), 0.0);
        let (c, skip) = s.conditions("a", 1_000_000.0, false);
        assert_eq!(skip, Some(SkipReason::IntervalNotElapsed));
        assert_eq!(
            (c[1].value.clone(), c[1].met),
            (serde_json::json!(1000.0), false)
        );
        let (c, skip) = s.conditions("a", 1_000_000.0, true);
        assert_eq!((skip, c[1].met, c[1].forced), (None, true, true));
        let (c, skip) = s.conditions("b", 1_000_000.0, false);
        assert_eq!((skip, c[1].value.clone()), (None, Value::Null));
        s.config.enabled = false;
        let (c, skip) = s.conditions("b", 0.0, true);
        assert_eq!(
            (skip, c.len()),
            (Some(SkipReason::Disabled), 1),
            "force never skips enabled"
        );
        let n = observations_condition(5, 100, false);
        assert_eq!((n.met, n.value.clone()), (false, serde_json::json!(5)));
    }

    #[test]
    fn failures_retry_with_doubling_backoff_up_to_the_limit() {
        let mut s = AutomationState::new(config(), 0.0);
        s.config.retry = RetryPolicy {
            limit: 2,
            backoff_seconds: 10,
        };
        let failed = [StudyRun::failed("b", vec![], "gone".into())];
        let mut facts = RunFacts {
            started_ms: 0.0,
            finished_ms: 1000.0,
            attempt: 0,
            force: true,
        };
        assert_eq!(s.finish(&facts, &failed), Some(11_000.0));
        assert_eq!(s.retry.as_ref().unwrap().studies, vec!["b".to_string()]);
        assert_eq!(s.due(11_000.0), Some(Trigger::Retry));
        s.start(Trigger::Retry, 11_000.0);
        facts = RunFacts {
            started_ms: 11_000.0,
            finished_ms: 12_000.0,
            attempt: 1,
            force: true,
        };
        assert_eq!(s.finish(&facts, &failed), Some(32_000.0));
        s.start(Trigger::Retry, 32_000.0);
        facts.attempt = 2;
        assert_eq!(s.finish(&facts, &failed), None, "the limit is spent");
        assert_eq!(run_status(&failed), RunStatus::Failed);
    }
}
