// The cross-target check of the npm package, run as is in Node (js/test), Chromium
// (tests/browser) and workerd (tests/workerd): every determinism golden replayed with the
// given package, a typed error, and a journal round trip. The Worker's HTTP API replays
// the same scenarios with `evaluate` (tests/e2e/api.test.mjs). `check` asserts the result.
//
// A scenario asks `batch` trials (1 unless given) before it tells them, in order, so the
// later asks of a batch see running trials. With `snapshot_every`, the study is replaced
// by one woken from its snapshot every that many trials. Each trial's outcome is `evaluate`'s, which
// crates/core/tests/determinism.rs computes the same way, operation for operation.

/**
 * What a scenario's trial gives: its objective values (two when the scenario has two
 * directions), its constraint values when the scenario has `constraints` (`<= 0` is
 * feasible), its cost when it has a `cost_budget`, and whether it is pruned: every
 * `prune_every`-th trial (numbers k - 1, 2k - 1, ...) reports its value at step 0, with
 * its cost so far, and is pruned.
 */
export function evaluate(scenario, number, params) {
  const first = params.x ** 2 + params.n + (params.opt === "sgd" ? 1 : 0);
  const values = scenario.directions?.length === 2 ? [first, (params.x - 2) * (params.x - 2) + 10 - params.n] : [first];
  return {
    values,
    constraints: scenario.constraints ? [params.x - 1, 3 - params.n] : undefined,
    cost: scenario.cost_budget === undefined ? undefined : 1 + params.n,
    pruned: scenario.prune_every !== undefined && number % scenario.prune_every === scenario.prune_every - 1,
  };
}

/** The golden record of one trial: its number, parameters and value (or values). */
export function record(number, params, values) {
  return values.length === 1 ? { number, params, value: values[0] } : { number, params, values };
}

/** Runs the goldens with the package's `createStudy`, `Study` and `EdgetuneError`. */
export async function runDeterminism({ createStudy, Study, EdgetuneError }, golden) {
  const camel = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]));
  const scenarios = golden.scenarios.map((scenario) => {
    let study = createStudy({
      studyName: "determinism", seed: scenario.seed, sampler: camel(scenario.sampler),
      directions: scenario.directions, costBudget: scenario.cost_budget,
      historyWindow: scenario.history_window,
    });
    const trials = [];
    while (trials.length < scenario.n_trials) {
      const size = Math.min(scenario.batch ?? 1, scenario.n_trials - trials.length);
      const asked = Array.from({ length: size }, () => study.ask(scenario.search_space));
      for (const trial of asked) {
        const params = trial.params;
        const { values, constraints, cost, pruned } = evaluate(scenario, trial.number, params);
        if (pruned) {
          trial.report(values[0], 0, cost === undefined ? undefined : { cost });
          study.tell(trial, { state: "pruned" });
        } else {
          if (constraints) trial.setConstraints(constraints);
          study.tell(trial, values.length === 1 ? values[0] : values, cost === undefined ? undefined : { cost });
        }
        trials.push(record(trial.number, params, values));
        // As a Durable Object wakes: the study woken from its snapshot runs on the same.
        if (scenario.snapshot_every && trials.length % scenario.snapshot_every === 0) {
          study = Study.fromSnapshot(study.snapshot());
        }
      }
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
  // A windowed study woken from a snapshot and caught up with its journal's tail asks
  // what the live study and a full replay of its journal ask.
  const space = [{ name: "x", type: "float", low: -2, high: 2 }, { name: "k", type: "int", low: 0, high: 4 }];
  const live = createStudy({ seed: 9, historyWindow: 20, sampler: { type: "tpe", nStartupTrials: 5 } });
  let mid;
  for (let i = 0; i < 50; i++) {
    const t = live.ask(space);
    live.tell(t, (t.params.x - 0.5) ** 2 + t.params.k);
    if (i === 24) mid = live.snapshot();
  }
  const journal = live.toJournal();
  const windowed = [live, Study.fromSnapshot(mid, journal), Study.fromJournal(journal)].map((w) => w.ask(space).params);
  return { scenarios, error, bestValue: s.bestValue, replayed: again.bestValue, windowed, userAgent: globalThis.navigator?.userAgent };
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
  assert.deepEqual(result.windowed[1], result.windowed[0], `snapshot and tail in ${target}`);
  assert.deepEqual(result.windowed[2], result.windowed[0], `full replay in ${target}`);
}
