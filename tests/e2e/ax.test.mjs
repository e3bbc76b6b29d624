// The Ax-compatible API, driven exactly as @ax-llm/ax <= 19.0.45's optimizer client
// calls it (same paths, methods, headers and bodies), through /ax/{key}/ and the root.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { contractViolations } from "./contract.mjs";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const base = () => `${server.base}/ax/${KEYS.alpha}`;
async function ax(method, path, body, root = base()) {
  // The Ax client sends only Content-Type, on POST.
  const r = await fetch(`${root}${path}`, {
    method,
    headers: method === "POST" ? { "Content-Type": "application/json" } : undefined,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const parsed = text ? JSON.parse(text) : null;
  // The bare root routes are the /ax/{key} routes of the anonymous tenant.
  const violations = contractViolations(method, `/ax/key${path}`, r.status, r.headers.get("content-type"), parsed);
  assert.deepEqual(violations, [], `response breaks /openapi.json: ${text.slice(0, 2000)}`);
  return { status: r.status, body: parsed };
}

const miproJob = (name, nTrials, extra = {}) => ({
  study_name: name,
  parameters: [
    { name: "temperature", type: "float", low: 0.1, high: 2 },
    { name: "bootstrappedDemos", type: "int", low: 0, high: 3 },
    { name: "instruction", type: "categorical", choices: ["Answer briefly.", "Think step by step, then answer.", "Use the examples."] },
    { name: "labeledExamples", type: "int", low: 0, high: 0 },
  ],
  objective: { name: "score", direction: "maximize" },
  n_trials: nTrials,
  sampler: "TPESampler",
  pruner: "MedianPruner",
  ...extra,
});

test("a MiPRO-shaped job runs to completion through /ax/{key}", async () => {
  assert.equal((await ax("GET", "/health")).status, 200);
  const job = await ax("POST", "/optimize", miproJob("mipro_1700000000000_abc123xyz", 6));
  assert.equal(job.status, 200, JSON.stringify(job.body));
  assert.equal(job.body.status, "pending");
  assert.equal((await ax("GET", `/jobs/${job.body.job_id}`)).body.status, "pending");
  let best = -Infinity;
  for (let i = 0; i < 6; i++) {
    const s = await ax("POST", "/studies/mipro_1700000000000_abc123xyz/suggest");
    assert.equal(s.status, 200);
    const { temperature, bootstrappedDemos, instruction, labeledExamples } = s.body.params;
    assert.ok(temperature >= 0.1 && temperature <= 2 && [0, 1, 2, 3].includes(bootstrappedDemos));
    assert.equal(labeledExamples, 0);
    const score = 1 - Math.abs(temperature - 0.7) + (instruction === "Use the examples." ? 0.5 : 0);
    best = Math.max(best, score);
    const e = await ax("POST", "/studies/mipro_1700000000000_abc123xyz/evaluate", {
      study_name: "mipro_1700000000000_abc123xyz", trial_number: s.body.trial_number, value: score,
    });
    assert.equal(e.status, 200, JSON.stringify(e.body));
    if (i === 2) assert.equal((await ax("GET", `/jobs/${job.body.job_id}`)).body.status, "running");
  }
  const status = await ax("GET", `/jobs/${job.body.job_id}`);
  assert.equal(status.body.status, "completed");
  assert.deepEqual([status.body.progress.completed_trials, status.body.progress.best_value], [6, best]);
  assert.equal((await ax("POST", "/studies/mipro_1700000000000_abc123xyz/suggest")).status, 409);
  const results = await ax("GET", "/studies/mipro_1700000000000_abc123xyz/results");
  assert.equal(results.body.best_value, best);
  assert.equal(results.body.direction, "maximize");
  assert.deepEqual([results.body.n_trials, results.body.trials.length], [6, 6]);
  assert.ok(results.body.trials.every((t) => t.state === "COMPLETE"));
  assert.ok(results.body.best_params.instruction);
  const listed = await ax("GET", "/studies");
  assert.ok(listed.body.studies.some((s) => s.study_name === "mipro_1700000000000_abc123xyz"));
});

test("intermediate values are reported in step order and can prune", async () => {
  const job = miproJob("pruning", 3, { pruner: { type: "ThresholdPruner", upper: 1 } });
  assert.equal((await ax("POST", "/optimize", job)).status, 200);
  const s = await ax("POST", "/studies/pruning/suggest");
  const e = await ax("POST", "/studies/pruning/evaluate", {
    study_name: "pruning", trial_number: s.body.trial_number, value: 5, intermediate_values: { 1: 0.9, 0: 0.5, 2: 3.0, 3: 0.1 },
  });
  assert.deepEqual([e.body.state, e.body.pruned], ["PRUNED", true]);
  const trial = (await ax("GET", "/studies/pruning/results")).body.trials[0];
  assert.deepEqual(trial.intermediate_values, { 0: 0.5, 1: 0.9, 2: 3 });
  const again = await ax("POST", "/studies/pruning/evaluate", { trial_number: s.body.trial_number, value: 1 });
  assert.equal(again.status, 409);
});

test("jobs can be cancelled, expire at their deadline, and are listed", async () => {
  const c = await ax("POST", "/optimize", miproJob("cancel-me", 10));
  const cancelled = await ax("DELETE", `/jobs/${c.body.job_id}`);
  assert.deepEqual([cancelled.status, cancelled.body.status], [200, "cancelled"]);
  const refused = await ax("POST", "/studies/cancel-me/suggest");
  assert.equal(refused.status, 409);
  assert.match(refused.body.error.message, /cancelled/);
  const d = await ax("POST", "/optimize", miproJob("deadline", 10, { timeout: 0.3 }));
  await new Promise((r) => setTimeout(r, 500));
  const expired = await ax("GET", `/jobs/${d.body.job_id}`);
  assert.equal(expired.body.status, "failed");
  assert.match(expired.body.error, /deadline/);
  assert.equal((await ax("POST", "/studies/deadline/suggest")).status, 409);
  const jobs = await ax("GET", "/jobs?limit=2");
  assert.deepEqual(jobs.body.jobs.map((j) => j.study_name), ["deadline", "cancel-me"]);
  assert.equal((await ax("GET", "/jobs/nope")).status, 404);
});

test("duplicate instruction candidates are one choice, as Optuna treats them", async () => {
  const job = miproJob("dupes", 2);
  job.parameters[2].choices = ["Be brief.", "Be brief.", "Explain."];
  assert.equal((await ax("POST", "/optimize", job)).status, 200);
  const s = await ax("POST", "/studies/dupes/suggest");
  assert.ok(["Be brief.", "Explain."].includes(s.body.params.instruction));
  const bad = await ax("POST", "/optimize", { ...miproJob("b0", 5), parameters: [{ name: "x", type: "float", low: 2, high: 1 }] });
  assert.equal(bad.body.error.message, "parameters[0].low: must be <= high, got low=2 > high=1");
});

test("MAX_CONCURRENT_JOBS limits pending and running jobs per tenant", async () => {
  const active = (await ax("GET", "/jobs?limit=100")).body.jobs.filter((j) => ["pending", "running"].includes(j.status)).length;
  for (let i = active; i < 6; i++) {
    assert.equal((await ax("POST", "/optimize", miproJob(`busy-${i}`, 3))).status, 200);
  }
  const refused = await ax("POST", "/optimize", miproJob("one-too-many", 3));
  assert.deepEqual([refused.status, refused.body.error.code], [429, "too_many_jobs"]);
  // Another tenant is not affected.
  assert.equal((await ax("POST", "/optimize", miproJob("beta-job", 3), `${server.base}/ax/${KEYS.beta}`)).status, 200);
});

test("bad requests, keys and tenants", async () => {
  assert.equal((await ax("GET", "/health", undefined, `${server.base}/ax/not-a-key`)).status, 401);
  const cases = [
    [{ ...miproJob("b1", 0) }, "n_trials"],
    [{ ...miproJob("b2", 10001) }, "n_trials"],
    [{ ...miproJob("b3", 5), parameters: [{ name: "x", type: "float", low: 2, high: 1 }] }, "parameters[0].low"],
    [{ ...miproJob("b4", 5), objective: { name: "s", direction: "up" } }, "objective.direction"],
    [{ ...miproJob("b5", 5), sampler: "GridSearchSampler" }, "sampler.type"],
    [{ ...miproJob("b6", 5), timeout: -1 }, "timeout"],
  ];
  for (const [body, field] of cases) {
    const r = await ax("POST", "/optimize", body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
  }
  const s = await ax("POST", "/studies/mipro_1700000000000_abc123xyz/evaluate", { study_name: "other", trial_number: 0, value: 1 });
  assert.deepEqual([s.status, s.body.error.field], [400, "study_name"]);
  // The root serves the anonymous tenant, which does not see alpha's studies.
  const root = await ax("GET", "/studies/mipro_1700000000000_abc123xyz/results", undefined, server.base);
  assert.equal(root.status, 404);
  assert.equal((await ax("GET", "/health", undefined, server.base)).status, 200);
  const anon = await ax("POST", "/optimize", miproJob("anon-job", 2), server.base);
  assert.equal(anon.status, 200);
  assert.equal((await ax("GET", `/jobs/${anon.body.job_id}`)).status, 404, "alpha cannot see the anonymous job");
});
