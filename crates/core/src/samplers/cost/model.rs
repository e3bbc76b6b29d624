//! TPE's own cost estimate, for `cost_aware`: a Nadaraya–Watson kernel regression of
//! log cost over the finished trials that have a cost, in the normalized space GP
//! uses (each parameter's transformed value scaled to [0, 1]; categoricals compared
//! by equality). Gaussian kernels with Scott's bandwidth per dimension,
//! `max(σ_j, 0.05) · n^(-1/(d+4))`; a differing category weighs e^-1.
//!
//! Cost: O(n · d) to fit and per estimate.

use crate::distributions::Distribution;
use crate::samplers::gp::normalize;
use crate::trial::{FrozenTrial, TrialState};
use crate::view::StudyView;

/// The fitted estimate.
pub(crate) struct CostModel {
    points: Vec<Vec<f64>>,
    log_costs: Vec<f64>,
    /// 1 / (2 h_j²) per continuous dimension; None for a categorical one.
    inverse_widths: Vec<Option<f64>>,
}

impl CostModel {
    /// Fits the estimate over `space` to the COMPLETE trials with a cost and every
    /// parameter (a pruned trial's cost is only what it cost before it stopped); None
    /// with fewer than two such trials or no positive cost.
    pub fn fit(view: &StudyView<'_>, space: &[(&String, &Distribution)]) -> Option<CostModel> {
        let rows: Vec<(&FrozenTrial, f64)> = view
            .trials_in(&[TrialState::Complete])
            .filter(|t| space.iter().all(|(name, _)| t.params.contains_key(name)))
            .filter_map(|t| Some((t, t.cost()?)))
            .collect();
        let floor = rows
            .iter()
            .map(|r| r.1)
            .filter(|c| *c > 0.0)
            .reduce(f64::min)?
            / 2.0;
        if rows.len() < 2 {
            return None;
        }
        let points: Vec<Vec<f64>> = rows
            .iter()
            .map(|(t, _)| {
                space
                    .iter()
                    .map(|(name, d)| normalize(d, t.params[*name]))
                    .collect()
            })
            .collect();
        let log_costs = rows.iter().map(|r| libm::log(r.1.max(floor))).collect();
        let n = points.len() as f64;
        let shrink = libm::pow(n, -1.0 / (space.len() as f64 + 4.0));
        let inverse_widths = space
            .iter()
            .enumerate()
            .map(|(j, (_, d))| {
                if matches!(d, Distribution::Categorical { .. }) {
                    return None;
                }
                let mean = points.iter().map(|p| p[j]).sum::<f64>() / n;
                let var = points.iter().map(|p| (p[j] - mean).powi(2)).sum::<f64>() / n;
                let h = var.sqrt().max(0.05) * shrink;
                Some(1.0 / (2.0 * h * h))
            })
            .collect();
        Some(CostModel {
            points,
            log_costs,
            inverse_widths,
        })
    }

    /// The estimated log cost at a point of internal values over the fitted space.
    pub fn log_cost(&self, space: &[(&String, &Distribution)], internal: &[f64]) -> f64 {
        let x: Vec<f64> = space
            .iter()
            .zip(internal)
            .map(|((_, d), v)| normalize(d, *v))
            .collect();
        let exponents: Vec<f64> = self
            .points
            .iter()
            .map(|p| {
                p.iter()
                    .zip(&x)
                    .zip(&self.inverse_widths)
                    .map(|((pj, xj), w)| match w {
                        Some(w) => -(pj - xj).powi(2) * w,
                        None if pj == xj => 0.0,
                        None => -1.0,
                    })
                    .sum()
            })
            .collect();
        let top = exponents.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (mut weight, mut total) = (0.0, 0.0);
        for (e, c) in exponents.iter().zip(&self.log_costs) {
            let w = libm::exp(e - top);
            weight += w;
            total += w * c;
        }
        total / weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, Study, StudyConfig};

    #[test]
    fn the_estimate_follows_the_cost() {
        let mut study = Study::create(StudyConfig::new("c").with_seed(1)).unwrap();
        for _ in 0..30 {
            let mut trial = study.ask_trial().unwrap();
            let x = trial.suggest_float("x", 0.0, 1.0).unwrap();
            let n = trial.number();
            study
                .tell_with_cost(n, Outcome::value(x), Some(1.0 + 99.0 * x))
                .unwrap();
        }
        let name = "x".to_string();
        let d = Distribution::float(0.0, 1.0, false, None).unwrap();
        let space = [(&name, &d)];
        let model = CostModel::fit(&study.view(), &space).unwrap();
        let cheap = model.log_cost(&space, &[0.05]);
        let dear = model.log_cost(&space, &[0.95]);
        assert!(cheap < dear - 2.0, "{cheap} {dear}");
    }
}
