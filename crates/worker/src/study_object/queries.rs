//! Read-only views of the study: trial pages, the best trial, the Pareto front,
//! importance and the trials table.

use edgetune_api::views::{BestView, ImportanceView, ParetoView, TrialView, TrialsPage};
use edgetune_core::analysis::PedAnovaOptions;
use edgetune_core::{FrozenTrial, TrialState};

use super::StudyObject;
use crate::http::{ok, ApiError, ApiResult};

impl StudyObject {
    /// A page of the trials in `states`. O(n) in trials.
    pub(super) fn trials(
        &self,
        states: &[TrialState],
        offset: usize,
        limit: usize,
        descending: bool,
    ) -> ApiResult {
        self.with_study(|study| {
            let matching = |t: &&FrozenTrial| states.contains(&t.state);
            let total = study.trials().iter().filter(matching).count();
            let trials: Vec<TrialView> = if descending {
                let it = study.trials().iter().rev().filter(matching);
                it.skip(offset).take(limit).map(TrialView::of).collect()
            } else {
                let it = study.trials().iter().filter(matching);
                it.skip(offset).take(limit).map(TrialView::of).collect()
            };
            ok(&TrialsPage {
                trials,
                total,
                offset,
                limit,
            })
        })
    }

    /// The best trial (single objective) or the first Pareto-optimal one (several),
    /// with its parameters and value(s), as the seed Tuner service's `/best`.
    pub(super) fn best(&self) -> ApiResult {
        self.with_study(|study| {
            let best = study
                .best_trials()
                .into_iter()
                .next()
                .ok_or_else(|| ApiError {
                    status: 404,
                    code: "no_completed_trials",
                    message: "no trial is complete yet, so there is no best trial".into(),
                    field: None,
                })?;
            ok(&BestView {
                study_name: study.name().to_string(),
                best_trial: TrialView::of(best),
                best_params: best.external_params(),
                best_values: best.values.clone(),
                best_value: if study.directions().len() == 1 {
                    best.value()
                } else {
                    None
                },
            })
        })
    }

    pub(super) fn pareto(&self, reference: Option<Vec<f64>>, history: Option<usize>) -> ApiResult {
        self.with_study(|study| {
            let mut view = ParetoView {
                study_name: study.name().to_string(),
                directions: study.directions().to_vec(),
                trials: study.best_trials().into_iter().map(TrialView::of).collect(),
                reference: None,
                hypervolume: None,
                hypervolume_history: None,
            };
            if let Some(reference) = reference {
                view.hypervolume = Some(study.hypervolume(&reference)?);
                if let Some(points) = history {
                    view.hypervolume_history = Some(study.hypervolume_history(&reference, points)?);
                }
                view.reference = Some(reference);
            }
            ok(&view)
        })
    }

    pub(super) fn importance(
        &self,
        evaluator: &str,
        target_quantile: f64,
        region_quantile: f64,
    ) -> ApiResult {
        let options = PedAnovaOptions {
            target_quantile,
            region_quantile,
            ..Default::default()
        };
        self.with_study(|study| {
            let ranked = study.importance(evaluator, &options)?;
            ok(&ImportanceView {
                study_name: study.name().to_string(),
                evaluator: evaluator.to_string(),
                importances: ranked.iter().cloned().collect(),
                ranking: ranked.into_iter().map(|(name, _)| name).collect(),
            })
        })
    }

    pub(super) fn table(&self, csv: bool) -> ApiResult {
        self.with_study(|study| {
            if !csv {
                return ok(&study.trials_table());
            }
            let mut response = worker::Response::ok(study.trials_table().to_csv())?;
            let _ = response
                .headers_mut()
                .set("content-type", "text/csv; charset=utf-8");
            Ok(response)
        })
    }
}
