// End-to-end tests of the HTTP API against the real Worker build under wrangler dev.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DevServer } from "./server.mjs";
import { evaluate, record } from "../shared/determinism.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
  { name: "layers", type: "int", low: 1, high: 4 },
  { name: "opt", type: "categorical", choices: ["adam", "sgd"] },
];

async function createStudy(name, extra = {}) {
  const r = await server.call("POST", "/api/v1/studies", {
    body: { study_name: name, direction: "minimize", search_space: space, seed: 1, ...extra },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test("health and ready answer without a key", async () => {
  const health = await server.call("GET", "/api/v1/health", { tenant: null });
  assert.deepEqual([health.status, health.body.status, health.body.storage], [200, "ok", "ok"]);
  const ready = await server.call("GET", "/api/v1/ready", { tenant: null });
  assert.deepEqual([ready.status, ready.body.status], [200, "ready"]);
});

test("the API needs a known bearer key", async () => {
  for (const tenant of [null, "wrong-key"]) {
    const r = await server.call("GET", "/api/v1/studies", { tenant });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, "unauthorized");
  }
});

test("a study runs 50 ask/tell cycles, lists its trials and reads the best", async () => {
  await createStudy("fifty");
  const values = [];
  for (let i = 0; i < 50; i++) {
    const s = await server.call("POST", "/api/v1/studies/fifty/trials/suggest");
    assert.equal(s.status, 200);
    assert.equal(s.body.trial_number, i);
    const { x, layers, opt, lr } = s.body.params;
    assert.ok(x >= -5 && x <= 5 && lr >= 1e-5 && lr <= 1 && Number.isInteger(layers) && ["adam", "sgd"].includes(opt));
    const value = x * x + layers;
    values.push(value);
    const c = await server.call("POST", `/api/v1/studies/fifty/trials/${i}/complete`, { body: { value } });
    assert.equal(c.status, 200);
    assert.equal(c.body.state, "COMPLETE");
  }
  const page = await server.call("GET", "/api/v1/studies/fifty/trials?limit=20&offset=40");
  assert.equal(page.body.total, 50);
  assert.deepEqual(page.body.trials.map((t) => t.number), [40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  const desc = await server.call("GET", "/api/v1/studies/fifty/trials?order=desc&limit=1&state=complete");
  assert.equal(desc.body.trials[0].number, 49);
  const running = await server.call("GET", "/api/v1/studies/fifty/trials?state=RUNNING");
  assert.equal(running.body.total, 0);
  const study = await server.call("GET", "/api/v1/studies/fifty");
  assert.equal(study.body.n_trials, 50);
  assert.equal(study.body.trial_counts.COMPLETE, 50);
  assert.equal(study.body.best_trial.value, Math.min(...values));
});

test("bad input gets a 4xx naming the field, and stores nothing", async () => {
  await createStudy("strict");
  await server.call("POST", "/api/v1/studies/strict/trials/suggest");
  const cases = [
    ["POST", "/api/v1/studies", { raw: "{not json" }, 400, "body"],
    ["POST", "/api/v1/studies", { body: { direction: "minimize" } }, 400, "study_name"],
    ["POST", "/api/v1/studies", { body: { study_name: "bad name!" } }, 400, "study_name"],
    ["POST", "/api/v1/studies", { body: { study_name: "s1", direction: "up" } }, 400, "direction"],
    ["POST", "/api/v1/studies", { body: { study_name: "s2", sampler: "bogus" } }, 400, "sampler.type"],
    ["POST", "/api/v1/studies", { body: { study_name: "s3", seed: -1 } }, 400, "seed"],
    ["POST", "/api/v1/studies", { body: { study_name: "s4", bogus: 1 } }, 400, "bogus"],
    ["POST", "/api/v1/studies", { body: { study_name: "s5", search_space: [{ name: "x", type: "float", low: 2, high: 1 }] } }, 400, "search_space[0].low"],
    ["POST", "/api/v1/studies", { body: { study_name: "s6", search_space: [{ name: "x", type: "int", low: 0, high: 9, log: true }] } }, 400, "search_space[0].low"],
    ["POST", "/api/v1/studies/strict/trials/0/complete", { body: {} }, 400, "value"],
    ["POST", "/api/v1/studies/strict/trials/0/complete", { body: { value: "high" } }, 400, "value"],
    ["POST", "/api/v1/studies/strict/trials/0/complete", { body: { values: [1, 2] } }, 400, "values"],
    ["GET", "/api/v1/studies/strict/trials?limit=0", {}, 400, "limit"],
    ["GET", "/api/v1/studies/strict/trials?state=DONE", {}, 400, "state"],
    ["GET", "/api/v1/studies/strict/trials?order=up", {}, 400, "order"],
  ];
  for (const [method, path, options, status, field] of cases) {
    const r = await server.call(method, path, options);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(options)}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.error.message, "an error has a message");
    assert.ok(r.body.error.field?.startsWith(field), `${path}: field ${r.body.error.field}, expected ${field}`);
  }
  const names = (await server.call("GET", "/api/v1/studies?limit=1000")).body.studies.map((s) => s.study_name);
  for (const n of ["s1", "s2", "s3", "s4", "s5", "s6"]) assert.ok(!names.includes(n), `${n} was stored`);
  const study = await server.call("GET", "/api/v1/studies/strict");
  assert.equal(study.body.n_trials, 1);
  assert.equal(study.body.trial_counts.RUNNING, 1);
});

test("complete takes constraints, checked before anything is stored", async () => {
  await createStudy("constrained", { sampler: { type: "tpe", n_startup_trials: 3 } });
  await server.call("POST", "/api/v1/studies/constrained/trials/suggest");
  const bad = await server.call("POST", "/api/v1/studies/constrained/trials/0/complete", { body: { value: 1, constraints: [] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, "constraints");
  const wrong = await server.call("POST", "/api/v1/studies/constrained/trials/0/complete", { body: { values: [1, 2], constraints: [0.5] } });
  assert.equal(wrong.status, 400);
  const trial = (await server.call("GET", "/api/v1/studies/constrained/trials")).body.trials[0];
  assert.deepEqual([trial.state, trial.constraints], ["RUNNING", null]);
  const good = await server.call("POST", "/api/v1/studies/constrained/trials/0/complete", { body: { value: 1, constraints: [0.5, -1] } });
  assert.equal(good.status, 200);
  assert.deepEqual(good.body.constraints, [0.5, -1]);
  const study = await server.call("GET", "/api/v1/studies/constrained");
  assert.equal(study.body.sampler.type, "tpe");
  assert.equal(study.body.sampler.n_startup_trials, 3);
});

test("report returns should_prune, prune finishes the trial", async () => {
  await createStudy("pruned", { pruner: { type: "ThresholdPruner", upper: 10 } });
  await server.call("POST", "/api/v1/studies/pruned/trials/suggest");
  const ok = await server.call("POST", "/api/v1/studies/pruned/trials/0/report", { body: { value: 3, step: 0 } });
  assert.deepEqual([ok.status, ok.body.should_prune], [200, false]);
  const high = await server.call("POST", "/api/v1/studies/pruned/trials/0/report", { body: { value: 11, step: 1 } });
  assert.equal(high.body.should_prune, true);
  const nan = await server.call("POST", "/api/v1/studies/pruned/trials/0/report", { body: { value: "NaN", step: 2 } });
  assert.equal(nan.body.should_prune, true);
  const bad = await server.call("POST", "/api/v1/studies/pruned/trials/0/report", { body: { value: 1, step: -1 } });
  assert.deepEqual([bad.status, bad.body.error.field], [400, "step"]);
  const pruned = await server.call("POST", "/api/v1/studies/pruned/trials/0/prune");
  assert.deepEqual([pruned.status, pruned.body.state, pruned.body.intermediate_values], [200, "PRUNED", { 0: 3, 1: 11, 2: null }]);
  assert.equal((await server.call("POST", "/api/v1/studies/pruned/trials/0/prune")).status, 409);
  assert.equal((await server.call("POST", "/api/v1/studies/pruned/trials/0/report", { body: { value: 1, step: 3 } })).status, 409);
  const wrong = await server.call("POST", "/api/v1/studies", { body: { study_name: "p2", pruner: { type: "hyperband", reduction_factor: 1 } } });
  assert.deepEqual([wrong.status, wrong.body.error.field], [400, "pruner.reduction_factor"]);
});

test("best, pareto with hypervolume, and the trials table", async () => {
  const none = await server.call("POST", "/api/v1/studies", { body: { study_name: "front", directions: ["minimize", "maximize"],
    sampler: "random", search_space: [{ name: "x", type: "float", low: 0, high: 1 }] } });
  assert.equal(none.status, 201);
  assert.equal((await server.call("GET", "/api/v1/studies/front/best")).status, 404);
  for (const v of [[1, 1], [2, 3], [3, 2], [0.5, 0.5]]) {
    const s = await server.call("POST", "/api/v1/studies/front/trials/suggest");
    await server.call("POST", `/api/v1/studies/front/trials/${s.body.trial_number}/complete`, { body: { values: v } });
  }
  const best = await server.call("GET", "/api/v1/studies/front/best");
  assert.deepEqual([best.status, best.body.best_trial.number, best.body.best_values], [200, 0, [1, 1]]);
  const pareto = await server.call("GET", "/api/v1/studies/front/pareto?reference=4,0");
  assert.deepEqual(pareto.body.trials.map((t) => t.number), [0, 1, 3]);
  assert.ok(Math.abs(pareto.body.hypervolume - 7.25) < 1e-12);
  const badRef = await server.call("GET", "/api/v1/studies/front/pareto?reference=4");
  assert.deepEqual([badRef.status, badRef.body.error.field], [400, "reference"]);
  const table = await server.call("GET", "/api/v1/studies/front/trials/table");
  assert.deepEqual(table.body.columns.slice(0, 3), ["number", "values_0", "values_1"]);
  const r = await fetch(`${server.base}/api/v1/studies/front/trials/table?format=csv`, { headers: { authorization: "Bearer key-alpha" } });
  assert.equal(r.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal((await r.text()).trim().split("\r\n").length, 5);
  const single = await server.call("GET", "/api/v1/studies/fifty/best");
  assert.equal(typeof single.body.best_value, "number");
});

test("the alarm fails trials whose heartbeat stopped; heartbeat and fail routes", async () => {
  // A 2 s timeout against 300 ms heartbeats leaves room for a loaded machine.
  await createStudy("beats", { heartbeat_timeout: 2 });
  const a = (await server.call("POST", "/api/v1/studies/beats/trials/suggest")).body.trial_number;
  const b = (await server.call("POST", "/api/v1/studies/beats/trials/suggest")).body.trial_number;
  for (let i = 0; i < 11; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const hb = await server.call("POST", `/api/v1/studies/beats/trials/${a}/heartbeat`);
    assert.equal(hb.status, 200);
  }
  const trials = (await server.call("GET", "/api/v1/studies/beats/trials")).body.trials;
  assert.equal(trials[a].state, "RUNNING");
  assert.equal(trials[b].state, "FAIL");
  assert.match(trials[b].fail_reason, /stale: no heartbeat for 2 s/);
  assert.equal((await server.call("POST", `/api/v1/studies/beats/trials/${b}/heartbeat`)).status, 409);
  const failed = await server.call("POST", `/api/v1/studies/beats/trials/${a}/fail`, { body: { reason: "OOM" } });
  assert.deepEqual([failed.status, failed.body.state, failed.body.fail_reason], [200, "FAIL", "OOM"]);
  const bad = await server.call("POST", "/api/v1/studies", { body: { study_name: "beats2", heartbeat_timeout: -1 } });
  assert.deepEqual([bad.status, bad.body.error.field], [400, "heartbeat_timeout"]);
});

test("CORS follows CORS_ORIGINS, with preflight", async () => {
  const pre = await fetch(`${server.base}/api/v1/studies`, { method: "OPTIONS", headers: { origin: "http://app.test" } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), "http://app.test");
  assert.match(pre.headers.get("access-control-allow-headers"), /authorization/);
  const other = await fetch(`${server.base}/api/v1/health`, { headers: { origin: "http://evil.test" } });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  const ok = await fetch(`${server.base}/api/v1/health`, { headers: { origin: "http://app.test" } });
  assert.equal(ok.headers.get("access-control-allow-origin"), "http://app.test");
});

test("MAX_TRIALS_PER_STUDY refuses asks beyond the limit", async () => {
  await createStudy("full", { sampler: "random" });
  for (let i = 0; i < 205; i++) {
    assert.equal((await server.call("POST", "/api/v1/studies/full/trials/suggest")).status, 200);
  }
  const refused = await server.call("POST", "/api/v1/studies/full/trials/suggest");
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.message, /MAX_TRIALS_PER_STUDY = 205/);
});

test("importance ranks parameters (PED-ANOVA, fANOVA, MDI)", async () => {
  const imp = await server.call("GET", "/api/v1/studies/fifty/importance");
  assert.equal(imp.status, 200);
  assert.equal(imp.body.evaluator, "ped_anova");
  assert.deepEqual(imp.body.ranking.slice().sort(), ["layers", "lr", "opt", "x"]);
  const total = Object.values(imp.body.importances).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-9);
  for (const evaluator of ["fanova", "mdi"]) {
    const forest = await server.call("GET", `/api/v1/studies/fifty/importance?evaluator=${evaluator}`);
    assert.equal(forest.status, 200, JSON.stringify(forest.body));
    assert.equal(forest.body.evaluator, evaluator);
    assert.deepEqual(forest.body.ranking.slice().sort(), ["layers", "lr", "opt", "x"]);
  }
  const bad = await server.call("GET", "/api/v1/studies/fifty/importance?evaluator=shap");
  assert.deepEqual([bad.status, bad.body.error.field], [400, "evaluator"]);
  const badQ = await server.call("GET", "/api/v1/studies/fifty/importance?target_quantile=2");
  assert.deepEqual([badQ.status, badQ.body.error.field], [400, "target_quantile"]);
});

test("unknown studies and trials are 404, finished trials 409, names 409", async () => {
  await createStudy("codes");
  assert.equal((await server.call("GET", "/api/v1/studies/nope")).status, 404);
  assert.equal((await server.call("POST", "/api/v1/studies/nope/trials/suggest")).status, 404);
  assert.equal((await server.call("POST", "/api/v1/studies/codes/trials/7/complete", { body: { value: 1 } })).status, 404);
  assert.equal((await server.call("POST", "/api/v1/studies/codes/trials/x/complete", { body: { value: 1 } })).status, 404);
  await server.call("POST", "/api/v1/studies/codes/trials/suggest");
  assert.equal((await server.call("POST", "/api/v1/studies/codes/trials/0/complete", { body: { value: 1 } })).status, 200);
  const again = await server.call("POST", "/api/v1/studies/codes/trials/0/complete", { body: { value: 2 } });
  assert.equal(again.status, 409);
  const trial = (await server.call("GET", "/api/v1/studies/codes/trials")).body.trials[0];
  assert.equal(trial.value, 1, "a finished trial never changes");
  const dup = await server.call("POST", "/api/v1/studies", { body: { study_name: "codes" } });
  assert.equal(dup.status, 409);
  assert.equal((await server.call("GET", "/api/v1/nothing")).status, 404);
  assert.equal((await server.call("PUT", "/api/v1/studies/codes")).status, 405);
});

test("a study without a search space asks for one", async () => {
  const r = await server.call("POST", "/api/v1/studies", { body: { study_name: "spaceless" } });
  assert.equal(r.status, 201);
  const bare = await server.call("POST", "/api/v1/studies/spaceless/trials/suggest");
  assert.equal(bare.status, 400);
  assert.equal(bare.body.error.field, "search_space");
  const given = await server.call("POST", "/api/v1/studies/spaceless/trials/suggest", {
    body: { search_space: [{ name: "k", type: "int", low: 1, high: 3 }] },
  });
  assert.equal(given.status, 200);
  assert.ok([1, 2, 3].includes(given.body.params.k));
});

test("define-by-run over HTTP: parameters as the trial asks, enqueue, attributes and metric names", async () => {
  const created = await server.call("POST", "/api/v1/studies", { body: { study_name: "by-run", seed: 3, sampler: { type: "tpe", n_startup_trials: 2 } } });
  assert.equal(created.status, 201);
  const base = "/api/v1/studies/by-run";
  const lr = { name: "lr", type: "float", low: 1e-5, high: 1, log: true };
  const opt = { name: "opt", type: "categorical", choices: ["adam", "sgd"] };
  const suggest = (n, ...params) => server.call("POST", `${base}/trials/${n}/suggest`, { body: { search_space: params } });
  const ask = await server.call("POST", `${base}/trials/suggest`, { body: { search_space: [] } });
  assert.deepEqual([ask.status, ask.body.trial_number, ask.body.params], [200, 0, {}]);
  const first = await suggest(0, lr);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.ok(first.body.params.lr >= 1e-5 && first.body.params.lr <= 1);
  const again = await suggest(0, lr, opt);
  assert.equal(again.body.params.lr, first.body.params.lr, "the same name and distribution answer the same value");
  assert.ok(["adam", "sgd"].includes(again.body.params.opt));
  assert.equal((await server.call("POST", `${base}/trials/0/user_attrs`, { body: { key: "host", value: "gpu-1" } })).status, 200);
  const done = await server.call("POST", `${base}/trials/0/complete`, { body: { value: 0.5 } });
  assert.deepEqual([done.body.params.lr, done.body.params.opt, done.body.user_attrs.host], [first.body.params.lr, again.body.params.opt, "gpu-1"]);

  // Bad input names the field and stores nothing: a failing parameter undoes the ones before it.
  const cases = [
    [`${base}/trials/0/suggest`, { search_space: [{ name: "x", type: "float", low: 0, high: 1 }] }, 409, undefined], // finished
    [`${base}/trials/9/suggest`, { search_space: [{ name: "x", type: "float", low: 0, high: 1 }] }, 404, undefined],
    [`${base}/trials/enqueue`, { params: { lr: [1, 2] } }, 400, "params"],
    [`${base}/trials/enqueue`, {}, 400, "params"],
    [`${base}/user_attrs`, { key: "k" }, 400, "value"],
    [`${base}/metric_names`, { metric_names: ["a", "b"] }, 400, "metric_names"],
  ];
  await server.call("POST", `${base}/trials/suggest`, { body: { search_space: [] } });
  await suggest(1, lr);
  cases.push(
    [`${base}/trials/1/suggest`, { search_space: [{ name: "y", type: "float", low: 2, high: 1 }] }, 400, "search_space[0].low"],
    [`${base}/trials/1/suggest`, { search_space: [{ name: "", type: "float", low: 0, high: 1 }] }, 400, "search_space[0].name"],
    [`${base}/trials/1/suggest`, { search_space: [opt, { ...lr, high: 0.5 }] }, 400, "search_space[1].distribution"],
    [`${base}/trials/1/suggest`, { name: "lr" }, 400, undefined],
  );
  const before = (await server.call("GET", `${base}/journal`)).body.events.length;
  for (const [path, body, status, field] of cases) {
    const method = path.endsWith("metric_names") ? "PUT" : "POST";
    const r = await server.call(method, path, { body });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    if (field) assert.ok(r.body.error.field?.startsWith(field), `${path}: field ${r.body.error.field}, expected ${field}`);
  }
  assert.equal((await server.call("GET", `${base}/journal`)).body.events.length, before, "a refused request stores nothing");
  const one = (await server.call("GET", `${base}/trials?offset=1&limit=1`)).body.trials[0];
  assert.deepEqual(Object.keys(one.params), ["lr"], "opt was undone with the refused parameter after it");

  const queued = await server.call("POST", `${base}/trials/enqueue`, { body: { params: { lr: 0.01, opt: "sgd" } } });
  assert.deepEqual([queued.status, queued.body.trial_number], [200, 2]);
  await server.call("POST", `${base}/trials/1/complete`, { body: { value: 0.7 } });
  const next = await server.call("POST", `${base}/trials/suggest`, { body: { search_space: [] } });
  assert.equal(next.body.trial_number, 2);
  const fixed = await suggest(2, lr);
  assert.equal(fixed.body.params.lr, 0.01, "an enqueued value is what the trial suggests");
  await server.call("POST", `${base}/trials/2/complete`, { body: { value: 0.6 } });

  // After TPE's startup trials, an ask answers what the sampler drew for the relative
  // search space; suggesting it answers the same value.
  const later = await server.call("POST", `${base}/trials/suggest`, { body: { search_space: [] } });
  const drawn = later.body.relative_params;
  assert.deepEqual(Object.keys(drawn ?? {}), ["lr"], JSON.stringify(later.body));
  const used = await suggest(3, { name: "lr", ...drawn.lr.distribution });
  assert.equal(used.body.params.lr, drawn.lr.value);

  const view = await server.call("POST", `${base}/user_attrs`, { body: { key: "team", value: { a: 1 } } });
  assert.deepEqual(view.body.user_attrs, { team: { a: 1 } });
  const named = await server.call("PUT", `${base}/metric_names`, { body: { metric_names: ["loss"] } });
  assert.deepEqual(named.body.metric_names, ["loss"]);
});

test("tenants see only their own studies; delete removes a study", async () => {
  await createStudy("private");
  const other = await server.call("GET", "/api/v1/studies/private", { tenant: "beta" });
  assert.equal(other.status, 404);
  const listing = await server.call("GET", "/api/v1/studies", { tenant: "beta" });
  assert.ok(!listing.body.studies.some((s) => s.study_name === "private"));
  assert.equal((await server.call("DELETE", "/api/v1/studies/private", { tenant: "beta" })).status, 404);
  // The same name is free in another tenant.
  assert.equal((await server.call("POST", "/api/v1/studies", { tenant: "beta", body: { study_name: "private" } })).status, 201);
  const del = await server.call("DELETE", "/api/v1/studies/private");
  assert.deepEqual([del.status, del.body.deleted], [200, true]);
  assert.equal((await server.call("GET", "/api/v1/studies/private")).status, 404);
  assert.equal((await server.call("GET", "/api/v1/studies/private", { tenant: "beta" })).status, 200);
  // A deleted name can be created again, empty.
  const fresh = await createStudy("private");
  assert.equal(fresh.n_trials, 0);
});

test("8 concurrent clients, 25 trials each: 200 distinct trials, no tell lost", async () => {
  await createStudy("crowd");
  const client = async (id) => {
    const numbers = [];
    for (let i = 0; i < 25; i++) {
      const s = await server.call("POST", "/api/v1/studies/crowd/trials/suggest");
      assert.equal(s.status, 200);
      const c = await server.call("POST", `/api/v1/studies/crowd/trials/${s.body.trial_number}/complete`, {
        body: { value: id * 1000 + i },
      });
      assert.equal(c.status, 200);
      numbers.push(s.body.trial_number);
    }
    return numbers;
  };
  const all = (await Promise.all([...Array(8).keys()].map(client))).flat();
  assert.equal(new Set(all).size, 200);
  const listed = await server.call("GET", "/api/v1/studies/crowd/trials?limit=1000");
  assert.equal(listed.body.total, 200);
  assert.ok(listed.body.trials.every((t) => t.state === "COMPLETE"));
  const told = listed.body.trials.map((t) => t.value).sort((a, b) => a - b);
  const expected = [...Array(8).keys()].flatMap((id) => [...Array(25).keys()].map((i) => id * 1000 + i)).sort((a, b) => a - b);
  assert.deepEqual(told, expected);
});

test("the Worker reproduces every native determinism scenario", async () => {
  const golden = JSON.parse(readFileSync(new URL("../golden/determinism.json", import.meta.url), "utf8"));
  for (const scenario of golden.scenarios) {
    const { seed, n_trials, search_space, sampler, name, cost_budget, directions, history_window } = scenario;
    const study = `determinism-${name}`;
    const r = await server.call("POST", "/api/v1/studies", { body: { study_name: study, seed, search_space, sampler, cost_budget, directions, history_window } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const trials = [];
    while (trials.length < n_trials) {
      // Ask a batch, then tell it in order, as the other targets do.
      const asked = [];
      for (let i = 0; i < Math.min(scenario.batch ?? 1, n_trials - trials.length); i++) {
        asked.push((await server.call("POST", `/api/v1/studies/${study}/trials/suggest`)).body);
      }
      for (const { params, trial_number: number } of asked) {
        const { values, constraints, cost, pruned } = evaluate(scenario, number, params);
        if (pruned) {
          const r = await server.call("POST", `/api/v1/studies/${study}/trials/${number}/report`, { body: { value: values[0], step: 0, cost } });
          assert.equal(r.status, 200, JSON.stringify(r.body));
          const p = await server.call("POST", `/api/v1/studies/${study}/trials/${number}/prune`);
          assert.equal(p.status, 200, JSON.stringify(p.body));
        } else {
          const outcome = values.length === 1 ? { value: values[0] } : { values };
          const c = await server.call("POST", `/api/v1/studies/${study}/trials/${number}/complete`, { body: { ...outcome, constraints, cost } });
          assert.equal(c.status, 200, JSON.stringify(c.body));
        }
        trials.push(record(number, params, values));
      }
    }
    assert.deepEqual(trials, scenario.trials, `scenario ${name}`);
  }
});

test("after a restart with persistence every trial is still there", async () => {
  const before = (await server.call("GET", "/api/v1/studies/fifty/trials?limit=1000")).body.trials;
  assert.equal(before.length, 50);
  await server.restart();
  const afterRestart = (await server.call("GET", "/api/v1/studies/fifty/trials?limit=1000")).body.trials;
  assert.deepEqual(afterRestart, before);
  const next = await server.call("POST", "/api/v1/studies/fifty/trials/suggest");
  assert.equal(next.body.trial_number, 50);
  const crowd = await server.call("GET", "/api/v1/studies/crowd");
  assert.equal(crowd.body.trial_counts.COMPLETE, 200);
});

const objective = (p) => (p.x - 1) ** 2 + Math.log10(p.lr) ** 2 / 10 + p.layers + (p.opt === "sgd" ? 1 : 0);

async function runTrials(study, n) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    const s = await server.call("POST", `/api/v1/studies/${study}/trials/suggest`);
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const { params, trial_number: number } = s.body;
    const c = await server.call("POST", `/api/v1/studies/${study}/trials/${number}/complete`, { body: { value: objective(params) } });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    seen.push(params);
  }
  return seen;
}

test("every sampler runs by its name and by Optuna's class name", async () => {
  const samplers = ["qmc", "QMCSampler", { type: "qmc", scramble: true, qmc_type: "halton" }, "nsga2", "NSGAIISampler",
    { type: "nsga3", population_size: 4 }, "cmaes", "CmaEsSampler", { type: "cmaes", with_margin: true, restart_strategy: "bipop" },
    "GPSampler", { type: "gp", n_startup_trials: 4, n_preliminary_samples: 256 }];
  for (const [i, sampler] of samplers.entries()) {
    const created = await createStudy(`sampler-${i}`, { sampler });
    const seen = await runTrials(`sampler-${i}`, 12);
    assert.equal(new Set(seen.map((p) => JSON.stringify(p))).size > 1, true, `${JSON.stringify(sampler)} varies`);
    for (const p of seen) assert.ok(p.x >= -5 && p.x <= 5 && Number.isInteger(p.layers), JSON.stringify(p));
    assert.ok(["qmc", "nsga2", "nsga3", "cmaes", "gp"].includes(created.sampler?.type ?? created.sampler), JSON.stringify(created.sampler));
  }
});

test("a grid study visits each point once, then answers 409", async () => {
  const grid = { x: [-1, 0, 1], lr: [0.01], layers: [1, 2], opt: ["adam"] };
  await createStudy("grid", { sampler: { type: "grid", search_space: grid } });
  const seen = await runTrials("grid", 6);
  assert.equal(new Set(seen.map((p) => `${p.x}/${p.layers}`)).size, 6);
  const r = await server.call("POST", "/api/v1/studies/grid/trials/suggest");
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.match(r.body.error.message, /exhausted/);
  const listed = await server.call("GET", "/api/v1/studies/grid/trials?limit=100");
  assert.equal(listed.body.total, 6, "the refused ask stored nothing");
});

test("a reloaded CMA-ES study continues the same run", async () => {
  await createStudy("cma-live", { sampler: { type: "cmaes", popsize: 4 } });
  await runTrials("cma-live", 21);
  await server.restart();
  const [next] = await runTrials("cma-live", 1);
  await createStudy("cma-fresh", { sampler: { type: "cmaes", popsize: 4 } });
  const fresh = await runTrials("cma-fresh", 22);
  assert.deepEqual(next, fresh[21]);
});
