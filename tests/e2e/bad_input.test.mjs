// The bad-input table: every case gets a 4xx with a JSON error naming the field, and
// storage is unchanged afterwards (the studies' full state is compared).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DevServer } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "c", type: "categorical", choices: ["a", "b"] },
];
const study = (extra) => ({ study_name: "s", search_space: space, ...extra });
const huge = "9".repeat(400);

/** [method, path, body (object, or a raw string), status, field] */
const CASES = [
  // Malformed JSON and wrong types.
  ["POST", "/api/v1/studies", "{", 400, "body"],
  ["POST", "/api/v1/studies", "[1, 2]", 400, "body"],
  ["POST", "/api/v1/studies", '{"study_name": "s"} trailing', 400, "body"],
  ["POST", "/api/v1/studies", { study_name: 7 }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "s", directions: "minimize" }, 400, "directions"],
  ["POST", "/api/v1/studies", { study_name: "s", seed: "42" }, 400, "seed"],
  ["POST", "/api/v1/studies", { study_name: "s", search_space: {} }, 400, "search_space"],
  ["POST", "/api/v1/studies", study({ metadata: [] }), 400, "metadata"],
  // Names: empty, too long, unicode, path-like.
  ["POST", "/api/v1/studies", { study_name: "" }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "x".repeat(129) }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "étude" }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "a/b" }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "../etc" }, 400, "study_name"],
  ["POST", "/api/v1/studies", { study_name: "a b" }, 400, "study_name"],
  // Distributions.
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "float", low: 2, high: 1 }] }), 400, "search_space[0].low"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "float", low: 0, high: 1, log: true }] }), 400, "search_space[0].low"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "float", low: 1, high: 2, log: true, step: 0.1 }] }), 400, "search_space[0].step"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "int", low: 0, high: 9, step: 0 }] }), 400, "search_space[0].step"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "int", low: 0.5, high: 9 }] }), 400, "search_space[0]"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "c", type: "categorical", choices: [] }] }), 400, "search_space[0].choices"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "c", type: "categorical", choices: ["a", "a"] }] }), 400, "search_space[0].choices[1]"],
  ["POST", "/api/v1/studies", study({ search_space: [space[0], { ...space[0] }] }), 400, "search_space[1].name"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "", type: "float", low: 0, high: 1 }] }), 400, "search_space[0].name"],
  ["POST", "/api/v1/studies", study({ search_space: [{ name: "x", type: "gaussian", low: 0, high: 1 }] }), 400, "search_space[0]"],
  ["POST", "/api/v1/studies", `{"study_name":"s","search_space":[{"name":"x","type":"float","low":0,"high":${huge}}]}`, 400, "search_space[0].high"],
  ["POST", "/api/v1/studies", `{"study_name":"s","search_space":[{"name":"x","type":"float","low":-1e308,"high":1e308}]}`, 400, "search_space[0].high"],
  // Samplers and pruners.
  ["POST", "/api/v1/studies", study({ sampler: "SimulatedAnnealingSampler" }), 400, "sampler.type"],
  ["POST", "/api/v1/studies", study({ sampler: "GridSampler" }), 400, "sampler.search_space"],
  ["POST", "/api/v1/studies", study({ sampler: { type: "qmc", qmc_type: "faure" } }), 400, "sampler.qmc_type"],
  ["POST", "/api/v1/studies", study({ sampler: { type: "nsga2", population_size: 1 } }), 400, "sampler.population_size"],
  ["POST", "/api/v1/studies", study({ directions: ["minimize", "maximize"], sampler: "CmaEsSampler" }), 400, "sampler.type"],
  ["POST", "/api/v1/studies", study({ sampler: { type: "tpe", n_ei_candidates: -1 } }), 400, "sampler.n_ei_candidates"],
  ["POST", "/api/v1/studies", study({ sampler: { type: "tpe", gamma: 0.2 } }), 400, "sampler.gamma"],
  ["POST", "/api/v1/studies", study({ sampler: 5 }), 400, "sampler"],
  ["POST", "/api/v1/studies", study({ pruner: "EarlyStopper" }), 400, "pruner.type"],
  ["POST", "/api/v1/studies", study({ pruner: { type: "percentile" } }), 400, "pruner.percentile"],
  ["POST", "/api/v1/studies", study({ direction: "minimize", directions: ["minimize"] }), 400, "direction"],
  ["POST", "/api/v1/studies", study({ metric_names: ["loss", "accuracy"] }), 400, "metric_names"],
  ["POST", "/api/v1/studies", study({ metric_names: [""] }), 400, "metric_names[0]"],
  // An existing name.
  ["POST", "/api/v1/studies", study({ study_name: "kept" }), 409, null],
  // Suggest and complete.
  ["POST", "/api/v1/studies/kept/trials/suggest", { search_space: [{ name: "x", type: "float", low: 1, high: 0 }] }, 400, "search_space[0].low"],
  ["POST", "/api/v1/studies/kept/trials/suggest", { bogus: 1 }, 400, "bogus"],
  ["POST", "/api/v1/studies/kept/trials/0/complete", { value: "NaN" }, 400, "value"],
  ["POST", "/api/v1/studies/kept/trials/0/complete", `{"value": ${huge}}`, 400, "value"],
  ["POST", "/api/v1/studies/kept/trials/0/complete", { value: 1, values: [1] }, 400, "value"],
  ["POST", "/api/v1/studies/kept/trials/0/complete", { values: [1, 2] }, 400, "values"],
  ["POST", "/api/v1/studies/kept/trials/0/complete", { value: 1, constraints: ["x"] }, 400, "constraints[0]"],
  ["POST", "/api/v1/studies/kept/trials/1/complete", { value: 1 }, 409, null], // finished
  ["POST", "/api/v1/studies/kept/trials/99/complete", { value: 1 }, 404, null],
  ["POST", "/api/v1/studies/other/trials/0/complete", { value: 1 }, 409, null], // another study's finished trial
  // Reports.
  ["POST", "/api/v1/studies/kept/trials/0/report", { value: 1 }, 400, "step"],
  ["POST", "/api/v1/studies/kept/trials/0/report", { value: 1, step: 1.5 }, 400, "step"],
  ["POST", "/api/v1/studies/kept/trials/0/report", { value: "big", step: 1 }, 400, "value"],
  ["POST", "/api/v1/studies/kept/trials/1/report", { value: 1, step: 1 }, 409, null], // finished
  // Listing queries.
  ["GET", "/api/v1/studies/kept/trials?limit=1001", undefined, 400, "limit"],
  ["GET", "/api/v1/studies/kept/trials?offset=-1", undefined, 400, "offset"],
  ["GET", "/api/v1/studies?limit=x", undefined, 400, "limit"],
  ["GET", "/api/v1/studies/kept/pareto?reference=a,b", undefined, 400, "reference"],
  ["GET", "/api/v1/studies/kept/pareto?history=10", undefined, 400, "reference"],
  ["GET", "/api/v1/studies/kept/pareto?reference=9&history=0", undefined, 400, "history"],
  ["GET", "/api/v1/studies/kept/pareto?reference=9&history=1001", undefined, 400, "history"],
  ["GET", "/api/v1/studies/kept/importance?evaluator=shap", undefined, 400, "evaluator"],
  ["GET", "/api/v1/studies/kept/trials/table?format=xml", undefined, 400, "format"],
];

async function snapshot() {
  const names = ["kept", "other"];
  const state = {};
  for (const n of names) {
    const s = await server.call("GET", `/api/v1/studies/${n}`);
    const t = await server.call("GET", `/api/v1/studies/${n}/trials?limit=1000`);
    state[n] = { study: s.body, trials: t.body };
  }
  state.list = (await server.call("GET", "/api/v1/studies?limit=1000")).body;
  return JSON.stringify(state);
}

test(`${CASES.length} bad requests: 4xx, the field named, storage unchanged`, { timeout: 120_000 }, async () => {
  assert.ok(CASES.length >= 40);
  for (const name of ["kept", "other"]) {
    assert.equal((await server.call("POST", "/api/v1/studies", { body: study({ study_name: name, sampler: "random" }) })).status, 201);
    await server.call("POST", `/api/v1/studies/${name}/trials/suggest`); // trial 0 stays RUNNING
    const s = await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
    await server.call("POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/complete`, { body: { value: 1 } });
  }
  await server.call("POST", "/api/v1/studies/other/trials/0/complete", { body: { value: 2 } });
  const before = await snapshot();
  for (const [method, path, body, status, field] of CASES) {
    const options = typeof body === "string" ? { raw: body } : { body };
    const r = await server.call(method, path, options);
    const label = `${method} ${path} ${typeof body === "string" ? body.slice(0, 60) : JSON.stringify(body)}`;
    assert.equal(r.status, status, `${label}: ${JSON.stringify(r.body)}`);
    assert.equal(typeof r.body.error?.message, "string", label);
    if (field !== null) assert.equal(r.body.error.field, field, `${label}: ${r.body.error.message}`);
  }
  // An oversized body (over 1 MiB) is refused before it is parsed.
  const big = await server.call("POST", "/api/v1/studies", { raw: JSON.stringify({ study_name: "big", metadata: { blob: "x".repeat(1_100_000) } }) });
  assert.deepEqual([big.status, big.body.error.field], [413, "body"]);
  assert.equal(await snapshot(), before, "nothing changed in storage");
});
