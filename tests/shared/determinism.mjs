// The cross-target check of the npm package, run as is in Chromium (tests/browser) and
// in workerd (tests/workerd): every determinism golden replayed with the given package,
// a typed error, and a journal round trip. `check` (Node only) asserts the result.

/** Runs the goldens with the package's `createStudy`, `Study` and `EdgetuneError`. */
export async function runDeterminism({ createStudy, Study, EdgetuneError }, golden) {
  const camel = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]));
  const scenarios = golden.scenarios.map((scenario) => {
    const study = createStudy({ studyName: "determinism", seed: scenario.seed, sampler: camel(scenario.sampler), costBudget: scenario.cost_budget });
    const trials = [];
    for (let i = 0; i < scenario.n_trials; i++) {
      const trial = study.ask(scenario.search_space);
      const params = trial.params;
      const value = params.x ** 2 + params.n + (params.opt === "sgd" ? 1 : 0);
      // With a budget, each trial costs 1 + n, as natively.
      study.tell(trial, value, scenario.cost_budget === undefined ? undefined : { cost: 1 + params.n });
      trials.push({ number: trial.number, params, value });
    }
    return { name: scenario.name, trials };
  });
  let error = null;
  try {
    createStudy({ directions: ["up"] });
  } catch (e) {
    error = { isEdgetuneError: e instanceof EdgetuneError, field: e.field };
  }
  const s = createStudy({ seed: 1 });
  await s.optimize((t) => t.suggestFloat("x", -1, 1) ** 2, { nTrials: 20 });
  const again = Study.fromJournal(s.toJournal());
  return { scenarios, error, bestValue: s.bestValue, replayed: again.bestValue, userAgent: navigator.userAgent };
}

/** Asserts `result` (from `runDeterminism` on `target`) against the goldens. */
export function checkDeterminism(assert, result, golden, target) {
  assert.equal(result.failure, undefined, result.failure);
  assert.equal(result.scenarios.length, golden.scenarios.length);
  for (const [i, scenario] of golden.scenarios.entries()) {
    assert.deepEqual(result.scenarios[i].trials, scenario.trials, `scenario ${scenario.name} in ${target}`);
  }
  assert.deepEqual(result.error, { isEdgetuneError: true, field: "directions[0]" });
  assert.equal(result.replayed, result.bestValue);
}
