// RemoteStudy (the npm package against the real Worker build): the same objective runs
// locally and remotely, bad input and service errors are typed, network errors are
// retried and HTTP errors are not, and journals move studies both ways.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createStudy, EdgetuneError, RemoteStudy, Study, TrialPruned } from "../../js/dist/index.js";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "k", type: "int", low: 1, high: 4 },
  { name: "opt", type: "categorical", choices: ["adam", "sgd"] },
];

/** One objective for both forms: `await` on report makes it portable. */
async function objective(trial) {
  const x = trial.suggestFloat("x", -5, 5);
  const k = trial.suggestInt("k", 1, 4);
  const opt = trial.suggestCategorical("opt", ["adam", "sgd"]);
  const value = x * x + k + (opt === "sgd" ? 1 : 0);
  for (let step = 0; step < 3; step++) {
    await trial.report(value + 1 / (step + 1), step);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return value;
}

const remoteOptions = (extra = {}) => ({ url: server.base, apiKey: KEYS.alpha, ...extra });

test("the same objective optimizes a local and a remote study; one line differs", { timeout: 120_000 }, async () => {
  const local = createStudy({ seed: 1, sampler: { type: "tpe" }, pruner: { type: "median" }, searchSpace: space });
  await local.optimize(objective, { nTrials: 25 });
  const remote = await RemoteStudy.create(remoteOptions({ studyName: "remote", seed: 1, sampler: { type: "tpe" }, pruner: { type: "median" }, searchSpace: space }));
  const seen = [];
  await remote.optimize(objective, { nTrials: 25, concurrency: 4, onTrial: (t) => seen.push(t.state) });
  const trials = await remote.getTrials();
  assert.equal(trials.length, 25);
  assert.equal(seen.length, 25);
  assert.ok(trials.every((t) => t.state === "COMPLETE" || t.state === "PRUNED"));
  const complete = trials.filter((t) => t.state === "COMPLETE");
  assert.equal(await remote.bestValue(), Math.min(...complete.map((t) => t.value)));
  assert.deepEqual(await remote.bestParams(), complete.find((t) => t.value === (Math.min(...complete.map((c) => c.value)))).params);
  assert.ok(typeof trials[0].datetimeStart === "number" && trials[0].intermediateValues["0"] !== undefined);
  // camelCase options, as the local package takes them, reach the service as its names.
  const camel = await RemoteStudy.create(remoteOptions({ studyName: "camel", searchSpace: space, sampler: { type: "tpe", nStartupTrials: 3 }, pruner: { type: "patient", patience: 2, wrappedPruner: { type: "median", nWarmupSteps: 1 } } }));
  const view = (await server.call("GET", "/api/v1/studies/camel")).body;
  assert.equal(view.sampler.n_startup_trials, 3);
  assert.equal(view.pruner.wrapped_pruner.n_warmup_steps, 1);
  assert.equal(camel.studyName, "camel");
  // Loading it again sees the same study; creating it again is refused unless asked to load.
  assert.equal((await RemoteStudy.load(remoteOptions({ studyName: "remote" }))).directions[0], "minimize");
  await assert.rejects(RemoteStudy.create(remoteOptions({ studyName: "remote" })), (e) => e instanceof EdgetuneError && e.code === "conflict");
  const again = await RemoteStudy.create(remoteOptions({ studyName: "remote", loadIfExists: true }));
  assert.equal((await again.getTrials({ states: ["COMPLETE"] })).length, complete.length);
});

test("bad options, service errors and objective errors are typed", { timeout: 60_000 }, async () => {
  await assert.rejects(RemoteStudy.load({ url: "ftp://x", apiKey: "k", studyName: "a" }), (e) => e instanceof EdgetuneError && e.field === "url");
  await assert.rejects(RemoteStudy.load({ url: server.base, apiKey: "", studyName: "a" }), (e) => e instanceof EdgetuneError && e.field === "apiKey");
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "a", retries: 11 })), (e) => e.field === "retries");
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "missing" })), (e) => e instanceof EdgetuneError && e.code === "not_found");
  await assert.rejects(RemoteStudy.create(remoteOptions({ studyName: "bad", searchSpace: [{ name: "x", type: "float", low: 2, high: 1 }] })),
    (e) => e instanceof EdgetuneError && e.code === "invalid_argument" && /search_space/.test(e.field));
  await assert.rejects(RemoteStudy.load({ url: server.base, apiKey: "wrong", studyName: "a" }), (e) => e instanceof EdgetuneError && e.code === "unauthorized");
  const s = await RemoteStudy.create(remoteOptions({ studyName: "typed", searchSpace: space }));
  const t = await s.ask();
  assert.throws(() => t.suggestFloat("y", 0, 1), (e) => e.field === "y");
  assert.throws(() => t.suggestFloat("x", 10, 20), (e) => e.field === "x");
  assert.equal(await s.tell(t, { state: "fail", reason: "oom" }), "FAIL");
  await assert.rejects(s.tell(t, 1), (e) => e instanceof EdgetuneError && e.code === "conflict");
  // An objective error fails its trial and is rethrown; listed errors are caught.
  class Flaky extends Error {}
  await s.optimize(() => { throw new Flaky("flaky"); }, { nTrials: 2, catch: [Flaky] });
  await assert.rejects(s.optimize(() => { throw new Error("boom"); }, { nTrials: 3 }), /boom/);
  const failed = await s.getTrials({ states: ["FAIL"] });
  assert.deepEqual(failed.map((t) => t.failReason), ["oom", "flaky", "flaky", "boom"]);
});

test("network errors are retried with backoff, HTTP errors never", { timeout: 60_000 }, async () => {
  let calls = 0;
  const flaky = (url, init) => (++calls <= 2 ? Promise.reject(new TypeError("connection reset")) : fetch(url, init));
  await RemoteStudy.create(remoteOptions({ studyName: "retried", searchSpace: space, fetch: flaky }));
  assert.equal(calls, 3);
  calls = 0;
  const down = () => { calls++; return Promise.reject(new TypeError("connection refused")); };
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "retried", fetch: down, retries: 2 })), (e) => e instanceof EdgetuneError && e.code === "network");
  assert.equal(calls, 3);
  calls = 0;
  const failing = () => { calls++; return Promise.resolve(new Response("Internal Server Error", { status: 500 })); };
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "retried", fetch: failing })), (e) => e instanceof EdgetuneError && e.code === "http_500");
  assert.equal(calls, 1);
  // A request that outlives timeoutMs is abandoned (and retried as a network error).
  calls = 0;
  const hanging = (url, init) => { calls++; return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason))); };
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "retried", fetch: hanging, timeoutMs: 50, retries: 1 })), (e) => e.code === "network");
  assert.equal(calls, 2);
});

test("journals move a study from local to the edge and back, continuing exactly", { timeout: 60_000 }, async () => {
  const local = createStudy({ studyName: "notebook", seed: 9, sampler: { type: "tpe" }, searchSpace: space });
  await local.optimize(objective, { nTrials: 15 });
  const remote = await RemoteStudy.fromJournal(local.toJournal(), remoteOptions({ studyName: "moved" }));
  assert.equal(remote.studyName, "moved");
  assert.equal((await remote.getTrials()).length, 15);
  // The edge continues as the browser would have: the same next suggestion.
  const expected = local.ask(space).params;
  const next = await remote.ask();
  assert.equal(next.number, 15);
  assert.deepEqual(next.params, expected);
  await remote.tell(next, 0.5);
  // Back: the journal of the edge study continues locally.
  const back = Study.fromJournal(await remote.toJournal());
  assert.equal(back.trials.length, 16);
  assert.equal(back.bestValue, 0.5);
  assert.equal(back.studyName, "moved");
  // A name taken, a broken journal: clear errors, nothing stored.
  await assert.rejects(RemoteStudy.fromJournal(local.toJournal(), remoteOptions({ studyName: "moved" })), (e) => e.code === "conflict");
  await assert.rejects(RemoteStudy.fromJournal({ format: "edgetune-journal", version: 1, events: [] }, remoteOptions({ studyName: "empty" })),
    (e) => e.code === "invalid_argument" && e.field === "journal");
  await assert.rejects(RemoteStudy.fromJournal("{", remoteOptions({ studyName: "broken" })), (e) => e.field === "journal");
  await assert.rejects(RemoteStudy.load(remoteOptions({ studyName: "empty" })), (e) => e.code === "not_found");
  const listed = (await server.call("GET", "/api/v1/studies")).body.studies.map((s) => s.study_name);
  assert.ok(!listed.includes("empty") && !listed.includes("broken"));
});

test("a remote study with a cost budget stops optimize when it is spent, and says why", { timeout: 60_000 }, async () => {
  const remote = await RemoteStudy.create(remoteOptions({ studyName: "remote-budget", seed: 2, searchSpace: space, costBudget: 1, costUnit: "USD" }));
  const result = await remote.optimize((t) => {
    t.setCost(0.3);
    return objective(t);
  }, { nTrials: 50, concurrency: 2 });
  assert.equal(result.reason, "budget_exhausted");
  const trials = await remote.getTrials();
  assert.equal(result.nTrials, trials.length);
  assert.ok(trials.length >= 4 && trials.length <= 5, String(trials.length));
});
