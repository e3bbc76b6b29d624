//! Heartbeats and stale trials: a RUNNING trial without a heartbeat for the study's
//! timeout is failed by the object's alarm, as Optuna's `fail_stale_trials` does.

use edgetune_api::heartbeat::{check_heartbeat, fail_stale_trials};
use edgetune_api::views::HeartbeatAnswer;

use super::StudyObject;
use crate::http::{self, ok, ApiResult};

use edgetune_core::study::HEARTBEAT_TIMEOUT;

impl StudyObject {
    /// Records a heartbeat of a RUNNING trial.
    pub(super) fn heartbeat(&self, number: u64) -> ApiResult {
        self.with_study(|study| Ok(check_heartbeat(study, number)?))?;
        let now = http::now_ms();
        self.sql().exec(
            "INSERT INTO heartbeats (number, at) VALUES (?, ?) ON CONFLICT(number) DO UPDATE SET at = excluded.at",
            vec![(number as i64).into(), now.into()],
        )?;
        self.heartbeats.borrow_mut().insert(number, now);
        ok(&HeartbeatAnswer {
            trial_number: number,
            heartbeat_at: http::iso(now),
        })
    }

    /// The study's heartbeat timeout in ms, if it has one.
    fn heartbeat_timeout_ms(&self) -> Option<f64> {
        let study = self.study.borrow();
        let seconds = study
            .as_ref()?
            .config()
            .metadata
            .get(HEARTBEAT_TIMEOUT)?
            .as_f64()?;
        Some(seconds * 1000.0)
    }

    /// After a successful ask, makes sure an alarm will check the trial's heartbeat.
    pub(super) async fn armed(&self, result: ApiResult) -> ApiResult {
        if result.is_ok() {
            if let Some(timeout) = self.heartbeat_timeout_ms() {
                let storage = self.state.storage();
                if storage.get_alarm().await?.is_none() {
                    storage.set_alarm(timeout.ceil() as i64 + 50).await?;
                }
            }
        }
        result
    }

    pub(super) async fn fail_stale_trials(&self) -> ApiResult<()> {
        self.load()?;
        let Some(timeout) = self.heartbeat_timeout_ms() else {
            return Ok(());
        };
        let now = http::now_ms();
        let mut next: Option<f64> = None;
        self.mutate(|study| {
            next = fail_stale_trials(study, &self.heartbeats.borrow(), now, timeout)?;
            Ok(())
        })?;
        if let Some(due) = next {
            http::set_alarm_at(&self.state.storage(), due + 50.0).await?;
        }
        Ok(())
    }
}
