// Automations through the real Worker build under wrangler dev: observations in, the
// cron trigger fired through /cdn-cgi/local/scheduled, each tenant's automations run on
// their object's alarm, recommendations out with an ETag. Every answer is checked
// against /openapi.json (server.call).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DevServer, KEYS } from "./server.mjs";

const N_TENANTS = 200;
const crowd = Object.fromEntries(Array.from({ length: N_TENANTS }, (_, i) => [`t${String(i).padStart(3, "0")}`, `key-crowd-${i}`]));
const server = new DevServer({}, { keys: crowd });
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [
  { name: "temperature", type: "float", low: 0, high: 1 },
  { name: "top_k", type: "int", low: 1, high: 10 },
];
const obs = (id, t, k, value) => ({ id, params: { temperature: t, top_k: k }, value, timestamp: "2026-12-04T10:00:00Z" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function study(name, tenant = "alpha") {
  const r = await server.call("POST", "/api/v1/studies", { tenant, body: { study_name: name, search_space: space, seed: 5, direction: "maximize" } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function observe(name, observations, tenant = "alpha") {
  return server.call("POST", `/api/v1/studies/${name}/observations`, { tenant, body: { observations } });
}

async function runs(automation, tenant = "alpha") {
  const r = await server.call("GET", `/api/v1/automations/${automation}/runs?limit=100`, { tenant });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.runs;
}

/** Polls until `check()` returns a truthy value. */
async function until(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function recommendation(name, etag) {
  const headers = { authorization: `Bearer ${KEYS.alpha}` };
  if (etag) headers["if-none-match"] = etag;
  const r = await fetch(`${server.base}/api/v1/studies/${name}/recommendation`, { headers });
  const text = await r.text();
  return { status: r.status, etag: r.headers.get("etag"), body: text ? JSON.parse(text) : null };
}

test("ingestion is checked, all or nothing, and idempotent by id", async () => {
  await study("ranker");
  const first = Array.from({ length: 5 }, (_, i) => obs(`o${i}`, i / 10, i + 1, 0.5 + i / 20));
  const r = await observe("ranker", first);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { study_name: "ranker", accepted: 5, duplicates: 0, pending: 5 });
  // Sent again (and one twice in the same call): stored once, counted as duplicates.
  const again = await observe("ranker", [...first, first[0]]);
  assert.deepEqual(again.body, { study_name: "ranker", accepted: 0, duplicates: 6, pending: 5 });
  // One bad observation refuses the batch, naming its index and field.
  const bad = [obs("n1", 0.1, 2, 1), obs("n2", 0.2, 3, 1), obs("n3", 1.5, 3, 1)];
  const refused = await observe("ranker", bad);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.field, "observations[2].params.temperature");
  const cases = [
    [{ observations: [] }, "observations"],
    [{ observations: [{ ...obs("x", 0.1, 2, 1), params: { temperature: 0.1 } }] }, "observations[0].params.top_k"],
    [{ observations: [{ ...obs("x", 0.1, 2, 1), value: undefined }] }, "observations[0].value"],
    [{ observations: [{ ...obs("x", 0.1, 2, 1), timestamp: "noon" }] }, "observations[0].timestamp"],
    [{ observations: [{ ...obs("", 0.1, 2, 1) }] }, "observations[0].id"],
    [{ observations: [{ ...obs("x", 0.1, 2, 1), extra: 1 }] }, "observations[0].extra"],
    [{ observations: Array.from({ length: 1001 }, (_, i) => obs(`m${i}`, 0.1, 2, 1)) }, "observations"],
  ];
  for (const [body, field] of cases) {
    const res = await server.call("POST", "/api/v1/studies/ranker/observations", { body });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.field, field, JSON.stringify(res.body));
  }
  const pending = await server.call("GET", "/api/v1/studies/ranker/observations?state=pending&limit=2");
  assert.equal(pending.body.total, 5);
  assert.equal(pending.body.observations.length, 2);
  assert.deepEqual(pending.body.observations[0].params, { temperature: 0, top_k: 1 });
  assert.equal(pending.body.observations[0].trial_number, null);
  assert.equal((await server.call("GET", "/api/v1/studies/ranker/observations?state=later")).body.error.field, "state");
  assert.equal((await server.call("POST", "/api/v1/studies/nothing/observations", { body: { observations: [obs("a", 0.1, 1, 1)] } })).status, 404);
});

test("an automation skips for each reason, then the cron folds observations in and publishes a recommendation with a working ETag", async () => {
  const put = await server.call("PUT", "/api/v1/automations/nightly", {
    body: { studies: ["ranker"], interval_seconds: 3600, min_new_observations: 8, recommendations: 3 },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.config.retry.limit, 3);
  assert.ok(put.body.next_run_at);
  // Too few: 5 pending of 8.
  let run = await server.call("POST", "/api/v1/automations/nightly/run");
  assert.equal(run.status, 200, JSON.stringify(run.body));
  assert.equal(run.body.trigger, "manual");
  assert.equal(run.body.status, "skipped");
  const [s] = run.body.studies;
  assert.deepEqual([s.outcome, s.reason], ["skipped", "too_few_observations"]);
  assert.deepEqual(s.conditions.map((c) => [c.name, c.met, c.value, c.required]), [
    ["enabled", true, true, true],
    ["interval_elapsed", true, null, 3600],
    ["new_observations", false, 5, 8],
  ]);
  assert.equal((await server.call("GET", "/api/v1/studies/ranker/trials")).body.total, 0);
  // Enough now; the cron runs it (it is due since its creation).
  const temps = [0.6, 0.7, 0.8, 0.9];
  const values = [0.9, 0.91, 0.92, 0.93];
  await observe("ranker", temps.map((t, i) => obs(`p${i}`, t, 7, values[i])));
  await server.cron();
  const cron = await until(async () => (await runs("nightly")).find((r) => r.trigger === "cron"), "the cron run");
  assert.equal(cron.status, "succeeded", JSON.stringify(cron));
  const done = cron.studies[0];
  assert.deepEqual([done.outcome, done.folded, done.recommendation_version], ["succeeded", 9, 1]);
  assert.equal(done.previous_best_value, undefined);
  assert.equal(done.best_value, 0.93);
  const trials = (await server.call("GET", "/api/v1/studies/ranker/trials?limit=100")).body;
  assert.equal(trials.total, 9);
  assert.equal(trials.trials[5].user_attrs.observation_id, "p0");
  assert.equal(trials.trials[5].user_attrs.observed_at, "2026-12-04T10:00:00.000Z");
  const folded = await server.call("GET", "/api/v1/studies/ranker/observations?state=pending");
  assert.equal(folded.body.total, 0);
  const marked = await server.call("GET", "/api/v1/studies/ranker/observations?state=folded&limit=1");
  assert.deepEqual([marked.body.total, marked.body.observations[0].trial_number, marked.body.observations[0].run_id], [9, 0, cron.run_id]);
  // The recommendation, and its ETag.
  const rec = await recommendation("ranker");
  assert.equal(rec.status, 200);
  assert.equal(rec.body.version, 1);
  assert.equal(rec.body.run_id, cron.run_id);
  assert.deepEqual(rec.body.best, { trial_number: 8, params: { temperature: 0.9, top_k: 7 }, value: 0.93 });
  assert.equal(rec.body.next.length, 3);
  for (const n of rec.body.next) assert.deepEqual(Object.keys(n.params).sort(), ["temperature", "top_k"]);
  assert.ok(rec.etag);
  const same = await recommendation("ranker", rec.etag);
  assert.deepEqual([same.status, same.etag, same.body], [304, rec.etag, null]);
  assert.equal((await recommendation("ranker", `W/${rec.etag}`)).status, 304);
  assert.equal((await recommendation("ranker", '"other"')).status, 200);
  // The study gained only the observations: recommending adds no trial.
  assert.equal((await server.call("GET", "/api/v1/studies/ranker/trials")).body.total, 9);
  // Interval not elapsed: a success moments ago.
  run = await server.call("POST", "/api/v1/automations/nightly/run");
  assert.deepEqual([run.body.studies[0].reason, run.body.studies[0].conditions[1].met], ["interval_not_elapsed", false]);
  assert.equal(run.body.studies[0].conditions[1].required, 3600);
  // Disabled: skipped even when forced.
  await server.call("PUT", "/api/v1/automations/nightly", { body: { studies: ["ranker"], enabled: false, min_new_observations: 8 } });
  const disabled = await server.call("GET", "/api/v1/automations/nightly");
  assert.equal(disabled.body.next_run_at, null);
  run = await server.call("POST", "/api/v1/automations/nightly/run", { body: { force: true } });
  assert.deepEqual([run.body.studies[0].reason, run.body.studies[0].conditions.length], ["disabled", 1]);
  // Forced and enabled: the interval and the count are skipped, and recorded as forced.
  await server.call("PUT", "/api/v1/automations/nightly", { body: { studies: ["ranker"], min_new_observations: 8 } });
  await observe("ranker", [obs("q0", 0.95, 9, 0.99)]);
  run = await server.call("POST", "/api/v1/automations/nightly/run", { body: { force: true } });
  const forced = run.body.studies[0];
  assert.deepEqual([forced.outcome, forced.folded, forced.recommendation_version], ["succeeded", 1, 2]);
  assert.deepEqual(forced.conditions.map((c) => c.forced ?? false), [false, true, true]);
  assert.ok(Math.abs(forced.delta - 0.06) < 1e-9);
  const newer = await recommendation("ranker", rec.etag);
  assert.deepEqual([newer.status, newer.body.version], [200, 2]);
  assert.notEqual(newer.etag, rec.etag);
  // The audit trail, newest first.
  const trail = await runs("nightly");
  assert.deepEqual(trail.map((r) => r.status), ["succeeded", "skipped", "skipped", "succeeded", "skipped"]);
  const automation = (await server.call("GET", "/api/v1/automations/nightly")).body;
  assert.equal(automation.last_run.run_id, trail[0].run_id);
  assert.ok(automation.last_success.ranker);
});

test("bad automation requests get a 400 or 404 naming the field", async () => {
  const bad = [
    [{ studies: [] }, "studies"],
    [{ studies: ["a", "a"] }, "studies[1]"],
    [{ studies: ["ranker"], interval_seconds: 10 }, "interval_seconds"],
    [{ studies: ["ranker"], recommendations: 21 }, "recommendations"],
    [{ studies: ["ranker"], retry: { limit: 11 } }, "retry.limit"],
    [{ studies: ["ranker"], retry: { backoff_seconds: 0 } }, "retry.backoff_seconds"],
    [{ studies: ["ranker"], history_limit: 0 }, "history_limit"],
    [{ studies: ["ranker"], cron: "hourly" }, "cron"],
    [{ studies: "ranker" }, "studies"],
  ];
  for (const [body, field] of bad) {
    const r = await server.call("PUT", "/api/v1/automations/bad", { body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  assert.equal((await server.call("PUT", "/api/v1/automations/a%20b", { body: { studies: ["x"] } })).body.error.field, "automation_name");
  assert.equal((await server.call("GET", "/api/v1/automations/bad")).status, 404);
  assert.equal((await server.call("POST", "/api/v1/automations/bad/run")).status, 404);
  assert.equal((await server.call("GET", "/api/v1/automations/nightly/runs?limit=0")).body.error.field, "limit");
  assert.equal((await server.call("POST", "/api/v1/automations/nightly/run", { body: { force: "yes" } })).body.error.field, "force");
  assert.equal((await server.call("GET", "/api/v1/automations/nightly", { tenant: "beta" })).status, 404, "tenants do not see each other's automations");
  assert.equal((await server.call("GET", "/api/v1/automations")).body.automations.length, 1);
});

test("a tenant's failing automation retries with backoff and is recorded, while another tenant's run succeeds", async () => {
  await study("gone", "beta");
  await server.call("PUT", "/api/v1/automations/doomed", { tenant: "beta", body: { studies: ["gone"], min_new_observations: 0, retry: { limit: 2, backoff_seconds: 1 } } });
  assert.equal((await server.call("DELETE", "/api/v1/studies/gone", { tenant: "beta" })).status, 200);
  await study("fine");
  await observe("fine", [obs("f0", 0.3, 3, 0.4)]);
  await server.call("PUT", "/api/v1/automations/healthy", { body: { studies: ["fine"], min_new_observations: 1 } });
  await server.cron();
  const ok = await until(async () => (await runs("healthy")).find((r) => r.trigger === "cron"), "tenant alpha's run");
  assert.equal(ok.status, "succeeded");
  const trail = await until(async () => {
    const list = await runs("doomed", "beta");
    return list.length >= 3 && list;
  }, "tenant beta's retries", 60_000);
  assert.deepEqual(trail.map((r) => [r.trigger, r.attempt, r.status]), [["retry", 2, "failed"], ["retry", 1, "failed"], ["cron", 0, "failed"]]);
  assert.match(trail[2].studies[0].error, /not found/);
  assert.ok(trail[2].retry_at && trail[1].retry_at && !trail[0].retry_at, "the limit of 2 retries is kept");
  const gap1 = Date.parse(trail[1].started_at) - Date.parse(trail[2].finished_at);
  const gap2 = Date.parse(trail[0].started_at) - Date.parse(trail[1].finished_at);
  assert.ok(gap1 >= 1000 && gap2 >= 2000, `backoff 1 s then 2 s, got ${gap1} and ${gap2} ms`);
  await sleep(3000);
  assert.equal((await runs("doomed", "beta")).length, 3, "no retry past the limit");
  const view = (await server.call("GET", "/api/v1/automations/doomed", { tenant: "beta" })).body;
  assert.equal(view.retry, null);
});

test("two triggers at once never overlap a run", async () => {
  const names = ["c1", "c2", "c3", "c4"];
  for (const n of names) await study(n);
  await server.call("PUT", "/api/v1/automations/busy", { body: { studies: names, min_new_observations: 0, recommendations: 20 } });
  const answers = await Promise.all([
    server.cron(),
    server.cron(),
    server.call("POST", "/api/v1/automations/busy/run"),
    server.call("POST", "/api/v1/automations/busy/run"),
    server.call("POST", "/api/v1/automations/busy/run"),
  ]);
  for (const a of answers.slice(2)) {
    assert.ok(a.status === 200 || (a.status === 409 && a.body.error.code === "run_in_progress"), JSON.stringify(a.body));
  }
  // A scheduled run that found a manual one in progress comes a few seconds later.
  await until(async () => (await runs("busy")).some((r) => r.trigger === "cron"), "the scheduled run");
  await until(async () => !(await server.call("GET", "/api/v1/automations/busy")).body.running, "the runs to end");
  const trail = await runs("busy");
  assert.equal(trail.filter((r) => r.trigger === "cron").length, 1, "one scheduled run for the slot");
  const spans = trail.map((r) => [Date.parse(r.started_at), Date.parse(r.finished_at)]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i][0] >= spans[i - 1][1], `runs ${i - 1} and ${i} overlap`);
  assert.equal(trail.length, answers.slice(2).filter((a) => a.status === 200).length + trail.filter((r) => r.trigger === "cron").length);
  // Deleting the automation keeps its studies.
  const deleted = await server.call("DELETE", "/api/v1/automations/busy");
  assert.deepEqual(deleted.body, { deleted: true, automation_name: "busy" });
  assert.equal((await server.call("GET", "/api/v1/studies/c1")).status, 200);
  assert.equal((await server.call("GET", "/api/v1/automations/busy")).status, 404);
});

test(`${N_TENANTS} tenants with one automation each all complete after one trigger`, { timeout: 600_000 }, async () => {
  const tenants = Object.values(crowd);
  const pool = async (items, width, f) => {
    const queue = [...items];
    await Promise.all(Array.from({ length: width }, async () => {
      while (queue.length) await f(queue.shift());
    }));
  };
  await pool(tenants, 16, async (key) => {
    await study("module", key);
    const r = await observe("module", [obs("a", 0.2, 2, 0.1), obs("b", 0.8, 8, 0.7)], key);
    assert.equal(r.status, 200);
    const p = await server.call("PUT", "/api/v1/automations/auto", { tenant: key, body: { studies: ["module"], min_new_observations: 2 } });
    assert.equal(p.status, 200);
  });
  const started = Date.now();
  await server.cron();
  const left = new Set(tenants);
  while (left.size) {
    if (Date.now() - started > 300_000) throw new Error(`${left.size} tenants did not run within 300 s`);
    await pool([...left], 16, async (key) => {
      const r = await server.call("GET", "/api/v1/automations/auto", { tenant: key });
      if (r.body.last_run) {
        assert.equal(r.body.last_run.status, "succeeded", JSON.stringify(r.body.last_run));
        left.delete(key);
      }
    });
    if (left.size) await sleep(250);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`# ${N_TENANTS} tenants: every automation ran and succeeded ${seconds.toFixed(1)} s after one cron trigger`);
  const rec = await server.call("GET", "/api/v1/studies/module/recommendation", { tenant: tenants[17] });
  assert.equal(rec.body.best.value, 0.7);
});
