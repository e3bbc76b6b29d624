// The sampler and pruner option types are generated from the Rust types' JSON Schema:
// every variant of the core's SamplerConfig and PrunerConfig has a TypeScript type in
// the built package, with Optuna's option names in camelCase, and the package takes
// each of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createStudy, type PrunerOptions, type SamplerOptions } from "edgetune";

const root = new URL("../../", import.meta.url);

/** The options schema, as the Rust types give it. */
function optionsSchema(): any {
  const text = execFileSync(
    "cargo",
    ["run", "-q", "-p", "edgetune-api", "--features", "schema", "--bin", "edgetune-schemas", "options"],
    { cwd: root, encoding: "utf8" },
  );
  return JSON.parse(text);
}

test("every sampler and pruner of the core has a generated TypeScript type", () => {
  const schema = optionsSchema();
  const declarations = readFileSync(new URL("js/dist/wasm/edgetune_wasm.d.ts", root), "utf8");
  let checked = 0;
  for (const union of [schema.$defs.Sampler, schema.$defs.Pruner]) {
    for (const alternative of union.oneOf) {
      const title: string = alternative.title;
      assert.match(declarations, new RegExp(`export (interface|type) ${title}\\b`), `${title} is not declared`);
      for (const name of alternative.properties?.type?.enum ?? []) {
        assert.ok(declarations.includes(`"${name}"`), `${title}: the name ${name} is not in the types`);
      }
      for (const option of Object.keys(alternative.properties ?? {})) {
        const camel = option.replace(/_([a-z0-9])/g, (_: string, c: string) => c.toUpperCase());
        assert.ok(declarations.includes(`${camel}?:`) || declarations.includes(`${camel}:`), `${title}: no option ${camel}`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 19, `checked ${checked} types`);
});

test("the generated types take camelCase options, and the package accepts them", () => {
  const samplers: SamplerOptions[] = [
    "TPESampler",
    { type: "tpe", nStartupTrials: 5, constantLiar: true, seed: 1 },
    { type: "gp", nPreliminarySamples: 256, deterministicObjective: true },
    { type: "cmaes", x0: { x: 0.5 }, restartStrategy: "ipop" },
    { type: "CmaEsSampler", sourceTrials: [{ params: { x: 0.1 }, value: 1 }], withMargin: true },
    { type: "grid", searchSpace: { x: [0, 0.5, 1] } },
    { type: "QMCSampler", qmcType: "halton", scramble: true },
  ];
  const pruners: PrunerOptions[] = [
    "median",
    { type: "patient", patience: 2, wrappedPruner: { type: "median", nWarmupSteps: 1 } },
    { type: "successive_halving", minResource: "auto", reductionFactor: 3 },
  ];
  for (const sampler of samplers) {
    const study = createStudy({ sampler });
    const trial = study.ask();
    study.tell(trial, trial.suggestFloat("x", 0, 1));
  }
  for (const pruner of pruners) {
    const study = createStudy({ pruner });
    const trial = study.ask();
    trial.suggestFloat("x", 0, 1);
    trial.report(1, 0);
  }
  // @ts-expect-error: an option of another sampler is a type error.
  const wrong: SamplerOptions = { type: "tpe", popsize: 4 };
  assert.throws(() => createStudy({ sampler: wrong }), /popsize/);
});
