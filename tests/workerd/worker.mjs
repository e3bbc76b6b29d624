// The npm package inside a Worker, as users import it: `import ... from "edgetune"`
// resolves through the `workerd` export condition. Answers with what it computed for
// the determinism goldens, a typed error and a journal round trip, for
// tests/e2e/npm-workerd.test.mjs to compare.
import { createStudy, EdgetuneError, Study } from "edgetune";
import golden from "../golden/determinism.json";

const camel = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]));

export default {
  async fetch() {
    const scenarios = golden.scenarios.map((scenario) => {
      const study = createStudy({ studyName: "determinism", seed: scenario.seed, sampler: camel(scenario.sampler) });
      const trials = [];
      for (let i = 0; i < scenario.n_trials; i++) {
        const trial = study.ask(scenario.search_space);
        const params = trial.params;
        const value = params.x ** 2 + params.n + (params.opt === "sgd" ? 1 : 0);
        study.tell(trial, value);
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
    return Response.json({ scenarios, error, bestValue: s.bestValue, replayed: again.bestValue, userAgent: navigator.userAgent });
  },
};
