// Cost budgets, pruning for cost, cost-aware sampling and stopping rules in the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createStudy, EdgetuneError, Study, TrialPruned } from "edgetune";

test("a budget is spent by told and reported costs, and refuses asks once spent", () => {
  const study = createStudy({ costBudget: 3, costUnit: "USD", seed: 1 });
  const a = study.ask();
  a.suggestFloat("x", 0, 1);
  a.report(0.5, 1, { cost: 1.5 });
  assert.deepEqual(study.spending, { spent: 1.5, budget: 3, left: 1.5, unit: "USD" });
  study.tell(a, 0.5, { cost: 2 });
  const b = study.ask();
  study.tell(b, 0.4, { cost: 1 });
  assert.equal(study.spending.left, 0);
  assert.throws(() => study.ask(), (e: unknown) => e instanceof EdgetuneError && e.code === "budget_exhausted");
  assert.equal(study.trials.length, 2);
  assert.equal(study.trials[0].cost, 2);
});

test("bad costs name the field and change nothing", () => {
  const study = createStudy({ costBudget: 10 });
  const t = study.ask();
  t.report(1, 0, { cost: 2 });
  for (const cost of [-1, Number.NaN, 1, "3" as unknown as number]) {
    assert.throws(() => study.tell(t, 1, { cost }), (e: unknown) => e instanceof EdgetuneError && e.field === "cost", String(cost));
  }
  assert.equal(study.trials[0].state, "RUNNING");
  assert.throws(() => createStudy({ costBudget: 0 }), (e: unknown) => e instanceof EdgetuneError && e.field === "cost_budget");
  assert.throws(() => createStudy({ stopping: { type: "regret_bound", minNTrials: 1 } }), (e: unknown) => e instanceof EdgetuneError && e.field === "stopping.min_n_trials");
});

test("a report past the budget prunes for cost, counted apart, and optimize says why it stopped", async () => {
  const study = createStudy({ costBudget: 10, seed: 3 });
  const result = await study.optimize((trial) => {
    const epochs = trial.suggestInt("epochs", 1, 8);
    for (let step = 0; step < epochs; step++) {
      trial.report(1 / (step + 1), step, { cost: 0.5 * (step + 1) });
      if (trial.pruneReason() === "cost") throw new TrialPruned();
    }
    return 1 / epochs;
  }, { nTrials: 100 });
  assert.equal(result.reason, "budget_exhausted");
  assert.ok(result.nTrials < 100);
  assert.ok(study.nPrunedForCost >= 1, String(study.nPrunedForCost));
  assert.ok(study.spending.spent >= 10);
  const again = Study.fromJournal(study.toJournal());
  assert.deepEqual(again.spending, study.spending);
  assert.equal(again.nPrunedForCost, study.nPrunedForCost);
});

test("optimize stops when the stopping rule fires and the study says it converged", async () => {
  const study = createStudy({ seed: 2, stopping: { type: "best_value_stagnation", maxStagnationTrials: 4 } });
  const result = await study.optimize(() => 1, { nTrials: 50 });
  assert.deepEqual(result, { reason: "converged", nTrials: 6 });
  assert.deepEqual(study.convergence, { rule: "best_value_stagnation", converged: true, stagnant_trials: 5, max_stagnation_trials: 4 });
  const plain = await createStudy().optimize(() => 1, { nTrials: 3 });
  assert.deepEqual(plain, { reason: "n_trials", nTrials: 3 });
});

test("cost-aware TPE spends less per trial than plain TPE on a flat-in-cost objective", async () => {
  const meanCost = async (costAware: boolean) => {
    const study = createStudy({ seed: 11, sampler: { type: "tpe", costAware }, costBudget: 1e9 });
    await study.optimize((t) => {
      const x = t.suggestFloat("x", 0, 1);
      const y = t.suggestFloat("y", 0, 1);
      t.setCost(Math.exp(4 * x));
      return (y - 0.3) ** 2;
    }, { nTrials: 40 });
    const late = study.trials.slice(20).map((t) => t.cost ?? 0);
    return late.reduce((a, b) => a + b, 0) / late.length;
  };
  const [plain, aware] = [await meanCost(false), await meanCost(true)];
  assert.ok(aware < 0.7 * plain, `${aware} vs ${plain}`);
});
