// The example's study and objective, shared by the page and by the test that checks the
// page reproduces a Node run of the same seed (tests/browser/browser.test.mjs).

/** The study's options: TPE and the median pruner, seeded. */
export const studyOptions = { seed: 7, sampler: { type: "tpe" }, pruner: { type: "median" } };

/**
 * A learning curve per trial, reported step by step (so pruning shows), whose final
 * value is best near lr = 10^-2.5, a wide layer and gelu. `TrialPruned` is the
 * package's class, passed in so that this file imports nothing.
 */
export function objective(TrialPruned, pause = () => Promise.resolve()) {
  return async (trial) => {
    const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
    const width = trial.suggestInt("width", 8, 256, { log: true });
    const act = trial.suggestCategorical("activation", ["relu", "tanh", "gelu"]);
    const final = (Math.log10(lr) + 2.5) ** 2 + 30 / width + (act === "gelu" ? 0 : 0.3);
    for (let step = 0; step < 8; step++) {
      trial.report(final + 2 / (step + 1), step);
      if (trial.shouldPrune()) throw new TrialPruned();
      await pause();
    }
    return final;
  };
}
