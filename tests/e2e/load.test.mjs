// Concurrency and faults against the real worker build: 32 clients sharing one study,
// and a SIGKILL of the server in the middle of such a run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DevServer } from "./server.mjs";

const server = new DevServer({ MAX_TRIALS_PER_STUDY: "100000" });
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [{ name: "x", type: "float", low: -5, high: 5 }, { name: "k", type: "int", low: 1, high: 9 }];

/** One client: ask/tell cycles until `budget.left` runs out; records acknowledged tells. */
async function client(study, budget, acked, errors) {
  while (budget.left > 0) {
    budget.left--;
    try {
      const s = await server.call("POST", `/api/v1/studies/${study}/trials/suggest`);
      if (s.status !== 200) throw new Error(`suggest ${s.status}`);
      const value = s.body.params.x ** 2 + s.body.params.k;
      const c = await server.call("POST", `/api/v1/studies/${study}/trials/${s.body.trial_number}/complete`, { body: { value } });
      if (c.status !== 200) throw new Error(`complete ${c.status}`);
      acked.set(s.body.trial_number, value);
    } catch (e) {
      errors.push(String(e));
      if (budget.stopOnError) return;
    }
  }
}

test("32 clients, 2000 ask/tell cycles: distinct numbers, every tell kept, exact count", { timeout: 300_000 }, async () => {
  const r = await server.call("POST", "/api/v1/studies", { body: { study_name: "load", search_space: space, seed: 1 } });
  assert.equal(r.status, 201);
  const budget = { left: 2000 };
  const acked = new Map();
  const errors = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: 32 }, () => client("load", budget, acked, errors)));
  const seconds = (Date.now() - started) / 1000;
  assert.deepEqual(errors, []);
  assert.equal(acked.size, 2000, "2000 distinct trial numbers acknowledged");
  const listed = [];
  for (let offset = 0; offset < 2000; offset += 1000) {
    listed.push(...(await server.call("GET", `/api/v1/studies/load/trials?limit=1000&offset=${offset}`)).body.trials);
  }
  assert.equal(listed.length, 2000);
  assert.ok(listed.every((t) => t.state === "COMPLETE" && t.value === acked.get(t.number)));
  const study = await server.call("GET", "/api/v1/studies/load");
  assert.deepEqual([study.body.n_trials, study.body.trial_counts.COMPLETE], [2000, 2000]);
  console.log(`# 32 clients: 2000 ask+tell cycles in ${seconds.toFixed(1)} s (${(2000 / seconds).toFixed(0)} cycles/s)`);
});

test("SIGKILL mid-run: every acknowledged tell survives the restart and the study continues", { timeout: 300_000 }, async () => {
  const r = await server.call("POST", "/api/v1/studies", { body: { study_name: "crash", search_space: space, seed: 2 } });
  assert.equal(r.status, 201);
  const budget = { left: 100_000, stopOnError: true };
  const acked = new Map();
  const errors = [];
  const run = Promise.all(Array.from({ length: 32 }, () => client("crash", budget, acked, errors)));
  while (acked.size < 150) await new Promise((res) => setTimeout(res, 20));
  process.kill(-server.proc.pid, "SIGKILL");
  await run;
  assert.ok(errors.length > 0, "the kill interrupted the clients");
  const ackedAtKill = new Map(acked);
  await server.start();
  const trials = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await server.call("GET", `/api/v1/studies/crash/trials?limit=1000&offset=${offset}`)).body.trials;
    trials.push(...page);
    if (page.length < 1000) break;
  }
  const byNumber = new Map(trials.map((t) => [t.number, t]));
  for (const [number, value] of ackedAtKill) {
    const t = byNumber.get(number);
    assert.ok(t, `acknowledged trial ${number} is missing`);
    assert.deepEqual([t.state, t.value], ["COMPLETE", value]);
  }
  // The study goes on: a new ask gets the next number, and tells are accepted.
  const next = await server.call("POST", "/api/v1/studies/crash/trials/suggest");
  assert.equal(next.body.trial_number, trials.length);
  const told = await server.call("POST", `/api/v1/studies/crash/trials/${next.body.trial_number}/complete`, { body: { value: 1 } });
  assert.equal(told.status, 200);
  console.log(`# SIGKILL after ${ackedAtKill.size} acknowledged tells: all ${ackedAtKill.size} present after restart, ${trials.length} trials stored`);
});
