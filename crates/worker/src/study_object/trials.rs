//! Ask and tell: suggest, complete, report, prune and fail.

use edgetune_api::views::{ReportAnswer, Suggestion, TrialView};
use edgetune_core::{Outcome, SearchSpace, Study};

use super::StudyObject;
use crate::http::{ok, ApiError, ApiResult};
use crate::settings::env_u64;

impl StudyObject {
    pub(super) fn suggest(&self, search_space: Option<SearchSpace>) -> ApiResult {
        self.mutate(|study| {
            self.check_trial_limit(study)?;
            let space = match search_space {
                Some(space) => space,
                None => study.config().search_space.clone().ok_or_else(|| {
                    ApiError::invalid(
                        "search_space",
                        "the study has no search space; create it with one or send one here",
                    )
                })?,
            };
            let number = study.ask_with_space(&space)?;
            ok(&Suggestion {
                study_name: study.name().to_string(),
                trial_number: number,
                trial_id: Some(number),
                params: study.trial(number)?.external_params(),
            })
        })
    }

    pub(super) fn complete(
        &self,
        number: u64,
        values: Vec<f64>,
        constraints: Option<Vec<f64>>,
    ) -> ApiResult {
        self.mutate(|study| {
            let outcome = Outcome::Values(values);
            match constraints {
                Some(c) => study.tell_with_constraints(number, outcome, c)?,
                None => study.tell(number, outcome)?,
            };
            ok(&TrialView::of(study.trial(number)?))
        })
    }

    pub(super) fn report(&self, number: u64, step: u64, value: f64) -> ApiResult {
        self.mutate(|study| {
            study.report(number, step, value)?;
            let should_prune = study.should_prune(number)?;
            ok(&ReportAnswer {
                trial_number: number,
                step,
                should_prune,
            })
        })
    }

    pub(super) fn prune(&self, number: u64) -> ApiResult {
        self.finish(number, Outcome::Pruned)
    }

    pub(super) fn fail(&self, number: u64, reason: Option<String>) -> ApiResult {
        self.finish(number, Outcome::Fail(reason))
    }

    pub(super) fn set_trial_user_attr(
        &self,
        number: u64,
        key: &str,
        value: serde_json::Value,
    ) -> ApiResult {
        self.mutate(|study| {
            study.set_trial_user_attr(number, key, value)?;
            ok(&TrialView::of(study.trial(number)?))
        })
    }

    fn finish(&self, number: u64, outcome: Outcome) -> ApiResult {
        self.mutate(|study| {
            study.tell(number, outcome)?;
            ok(&TrialView::of(study.trial(number)?))
        })
    }

    /// `MAX_TRIALS_PER_STUDY` (default 10000): asks beyond it are refused.
    pub(super) fn check_trial_limit(&self, study: &Study) -> ApiResult<()> {
        let max = env_u64(&self.env, "MAX_TRIALS_PER_STUDY", 10_000);
        if study.trials().len() as u64 >= max {
            return Err(ApiError::conflict(format!(
                "the study holds MAX_TRIALS_PER_STUDY = {max} trials; no more can be asked"
            )));
        }
        Ok(())
    }
}
