// The dashboard as a user sees it: the real Worker build under `wrangler dev` serves it at
// /dashboard/, headless Chromium (Debian's, driven by playwright-core) opens it with a
// tenant's key, and every plot must show exactly the trials that the API holds. Leaves
// screenshots in tests/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { DevServer, KEYS } from "./server.mjs";

const artifacts = fileURLToPath(new URL("../artifacts/", import.meta.url));
const server = new DevServer();
let browser;

before(async () => {
  await server.start();
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await server.stop();
});

const space = [
  { name: "lr", type: "float", low: 1e-4, high: 1, log: true },
  { name: "layers", type: "int", low: 1, high: 6 },
  { name: "opt", type: "categorical", choices: ["adam", "sgd", "rmsprop"] },
];

/** A pruned single-objective study: every trial reports 6 steps, the median pruner decides. */
async function populateSingle(name, n) {
  const body = { study_name: name, search_space: space, seed: 3, pruner: { type: "median", n_startup_trials: 4 } };
  assert.equal((await server.call("POST", "/api/v1/studies", { body })).status, 201);
  for (let i = 0; i < n; i++) await singleTrial(name, i);
  // One failed and one running trial, so that every state shows.
  const failed = await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
  await server.call("POST", `/api/v1/studies/${name}/trials/${failed.body.trial_number}/fail`, { body: { reason: "out of memory" } });
  await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
}

async function singleTrial(name, i) {
  const s = await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
  const { lr, layers, opt } = s.body.params;
  const final = (Math.log10(lr) + 2) ** 2 + 0.1 * layers + (opt === "adam" ? 0 : 1) + 0.01 * (i % 7);
  for (let step = 0; step < 6; step++) {
    const r = await server.call("POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/report`, { body: { value: final + 3 / (step + 1), step } });
    if (r.body.should_prune) {
      await server.call("POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/prune`);
      return;
    }
  }
  await server.call("POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/complete`, { body: { value: final } });
}

/** A study with a cost budget, run until the budget refuses an ask: costs by epoch. */
async function populateBudget(name) {
  const body = { study_name: name, search_space: space, seed: 4, cost_budget: 2, cost_unit: "USD" };
  assert.equal((await server.call("POST", "/api/v1/studies", { body })).status, 201);
  for (;;) {
    const s = await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
    if (s.status === 409) return;
    const { trial_number: number, params } = s.body;
    let pruned = false;
    for (let step = 0; step < params.layers; step++) {
      const r = await server.call("POST", `/api/v1/studies/${name}/trials/${number}/report`, { body: { value: 1 / (step + 1), step, cost: 0.04 * (step + 1) } });
      if (r.body.should_prune) {
        await server.call("POST", `/api/v1/studies/${name}/trials/${number}/prune`);
        pruned = true;
        break;
      }
    }
    if (!pruned) await server.call("POST", `/api/v1/studies/${name}/trials/${number}/complete`, { body: { value: 1 / params.layers } });
  }
}

async function populateFront(name, n) {
  const body = { study_name: name, directions: ["minimize", "minimize"], metric_names: ["error", "latency"], search_space: [{ name: "x", type: "float", low: 0, high: 1 }, { name: "y", type: "float", low: 0, high: 1 }], seed: 5 };
  assert.equal((await server.call("POST", "/api/v1/studies", { body })).status, 201);
  for (let i = 0; i < n; i++) {
    const s = await server.call("POST", `/api/v1/studies/${name}/trials/suggest`);
    const { x, y } = s.body.params;
    await server.call("POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/complete`, { body: { values: [x, 1 - Math.sqrt(x) + y] } });
  }
}

const chartData = (page, id) => page.evaluate((id) => {
  const c = globalThis.edgetuneDashboard.charts[id];
  return c ? c.getOption().series.map((s) => s.data.filter((d) => d !== "-").length) : null;
}, id);

async function waitFor(page, fn, what, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last.ok) return last;
    await page.waitForTimeout(200);
  }
  assert.fail(`${what}: ${JSON.stringify(last)}`);
}

test("the dashboard shows a tenant's studies, every plot, the trials table, live updates and jobs", { timeout: 300_000 }, async () => {
  await populateSingle("tuning", 40);
  await populateFront("front", 30);
  await populateBudget("budgeted");
  const job = await server.call("POST", `/ax/${KEYS.alpha}/optimize`, { body: { study_name: "job-study", parameters: space, objective: { name: "loss", direction: "minimize" }, n_trials: 5 } });
  assert.equal(job.status, 200);
  for (let i = 0; i < 2; i++) {
    const s = await server.call("POST", `/ax/${KEYS.alpha}/studies/job-study/suggest`);
    await server.call("POST", `/ax/${KEYS.alpha}/studies/job-study/evaluate`, { body: { study_name: "job-study", trial_number: s.body.trial_number, value: i + 1 } });
  }
  const trialsOf = async (name) => (await server.call("GET", `/api/v1/studies/${name}/trials?limit=1000`)).body.trials;

  const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${server.base}/dashboard/`);
  await page.fill('[data-testid="api-key"]', KEYS.alpha);
  await page.click('[data-testid="connect"]');
  await page.waitForSelector('[data-testid="studies"] tbody tr');
  const listed = await page.$$eval('[data-testid="studies"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent).sort());
  assert.deepEqual(listed, ["budgeted", "front", "job-study", "tuning"]);
  await page.screenshot({ path: `${artifacts}dashboard-studies.png` });

  // One single-objective study with pruning.
  const trials = await trialsOf("tuning");
  const complete = trials.filter((t) => t.state === "COMPLETE");
  const pruned = trials.filter((t) => t.state === "PRUNED");
  assert.ok(complete.length > 5 && pruned.length > 3, `${complete.length} complete, ${pruned.length} pruned`);
  const reported = trials.reduce((n, t) => n + Object.keys(t.intermediate_values).length, 0);
  const prunedSteps = pruned.reduce((n, t) => n + Object.keys(t.intermediate_values).length, 0);
  await page.goto(`${server.base}/dashboard/#/study/tuning`);
  await waitFor(page, async () => {
    const history = await chartData(page, "history");
    return { ok: history?.[0] === complete.length, history };
  }, "history shows every COMPLETE trial");
  assert.deepEqual(await chartData(page, "history"), [complete.length, complete.length]);
  assert.deepEqual(await chartData(page, "intermediate"), [reported - prunedSteps, prunedSteps]);
  assert.deepEqual(await chartData(page, "parallel"), [complete.length]);
  assert.deepEqual(await chartData(page, "pair"), [complete.length]);
  await waitFor(page, async () => {
    const bars = await chartData(page, "importance");
    return { ok: bars?.[0] === 3, bars };
  }, "importance shows the three parameters");
  // Another evaluator, chosen on the page, is asked of the API.
  await page.selectOption('[data-testid="evaluator"]', "fanova");
  await waitFor(page, async () => {
    const title = await page.evaluate(() => globalThis.edgetuneDashboard.charts.importance.getOption().title[0].text);
    return { ok: title.includes("fanova"), title };
  }, "importance redrawn with fANOVA");
  // The README's picture (docs/dashboard.png is a copy of it).
  await page.screenshot({ path: `${artifacts}dashboard-overview.png`, clip: { x: 0, y: 0, width: 1400, height: 880 } });
  // A slice of one parameter.
  await page.selectOption('[data-testid="pair-y"]', "");
  assert.deepEqual(await chartData(page, "pair"), [complete.length]);

  // The trials table filters and shows a trial's detail.
  const count = () => page.$eval('[data-count]', (el) => Number(el.dataset.count));
  assert.equal(await count(), trials.length);
  await page.selectOption('[data-testid="state-filter"]', "PRUNED");
  assert.equal(await count(), pruned.length);
  assert.equal(await page.$$eval('[data-testid="trials-table"] tbody tr', (rows) => rows.length), Math.min(50, pruned.length));
  await page.selectOption('[data-testid="state-filter"]', "");
  await page.fill('[data-testid="query-filter"]', "sgd");
  assert.equal(await count(), trials.filter((t) => t.params.opt === "sgd").length);
  await page.fill('[data-testid="query-filter"]', "");
  await page.click('[data-testid="trials-table"] tbody tr[data-number="0"]');
  const detail = await page.textContent('[data-testid="trial-detail"]');
  assert.match(detail, /Trial 0/);
  assert.match(detail, /Intermediate values/);
  await page.screenshot({ path: `${artifacts}dashboard-study.png`, fullPage: true });

  // Live: trials told elsewhere appear without a reload.
  for (let i = 0; i < 3; i++) await singleTrial("tuning", 100 + i);
  const now = (await trialsOf("tuning")).filter((t) => t.state === "COMPLETE").length;
  await waitFor(page, async () => {
    const history = await chartData(page, "history");
    return { ok: history?.[0] === now, history, now };
  }, "new trials appear", 30_000);

  // The two-objective study: its front and the hypervolume over time.
  const front = (await server.call("GET", "/api/v1/studies/front/pareto")).body.trials.length;
  await page.goto(`${server.base}/dashboard/#/study/front`);
  await waitFor(page, async () => {
    const pareto = await chartData(page, "pareto");
    return { ok: pareto?.[1] === front && pareto[0] + pareto[1] === 30, pareto, front };
  }, "Pareto front plot");
  // The objectives' metric names label the axes instead of "objective 0".
  const axes = await page.evaluate(() => {
    const { pareto, history } = globalThis.edgetuneDashboard.charts;
    return [pareto.getOption().xAxis[0].name, pareto.getOption().yAxis[0].name, history.getOption().yAxis[0].name];
  });
  assert.deepEqual(axes, ["error (minimize)", "latency (minimize)", "error"]);
  await waitFor(page, async () => {
    const hv = await chartData(page, "hypervolume");
    return { ok: hv?.[0] === 30, hv };
  }, "hypervolume after each trial");
  await page.screenshot({ path: `${artifacts}dashboard-pareto.png`, fullPage: true });

  // A budgeted study: the budget bar and each trial's value against its cost.
  const budgeted = (await server.call("GET", "/api/v1/studies/budgeted")).body;
  await page.goto(`${server.base}/dashboard/#/study/budgeted`);
  await page.waitForSelector('[data-testid="budget"]');
  const bar = await page.textContent('[data-testid="budget"]');
  assert.match(bar, /Budget.*spent [\d.]+ of 2 USD \(0 USD left\)/s);
  if (budgeted.n_pruned_for_cost) assert.match(bar, new RegExp(`${budgeted.n_pruned_for_cost} pruned for cost`));
  const costed = await trialsOf("budgeted");
  await waitFor(page, async () => {
    const cost = await chartData(page, "cost");
    const want = [costed.filter((t) => t.state === "COMPLETE").length, costed.filter((t) => t.state === "PRUNED").length];
    return { ok: JSON.stringify(cost) === JSON.stringify(want), cost, want };
  }, "value against cost");
  await page.screenshot({ path: `${artifacts}dashboard-budget.png`, fullPage: true });

  // A job's status and progress.
  await page.goto(`${server.base}/dashboard/#/study/job-study`);
  await page.waitForSelector('[data-testid="job"]');
  assert.match(await page.textContent('[data-testid="job"]'), /running.*2 \/ 5 trials, best 1/s);

  // Another tenant sees none of it.
  await page.goto(`${server.base}/dashboard/#/`);
  await page.fill('[data-testid="api-key"]', KEYS.beta);
  await page.click('[data-testid="connect"]');
  await page.waitForSelector("text=No studies yet.");
  await page.goto(`${server.base}/dashboard/#/study/tuning`);
  await page.waitForSelector("text=could not update");
  assert.deepEqual(errors, []);
});

test("the dashboard shows automations, each run's conditions and outcomes, and a study's recommendation", { timeout: 120_000 }, async () => {
  const obsSpace = [{ name: "temperature", type: "float", low: 0, high: 1 }];
  assert.equal((await server.call("POST", "/api/v1/studies", { body: { study_name: "router", search_space: obsSpace, seed: 2, direction: "maximize" } })).status, 201);
  const observations = [0.2, 0.5, 0.7].map((t, i) => ({ id: `o${i}`, params: { temperature: t }, value: t }));
  assert.equal((await server.call("POST", "/api/v1/studies/router/observations", { body: { observations } })).status, 200);
  const put = await server.call("PUT", "/api/v1/automations/hourly", { body: { studies: ["router"], min_new_observations: 5, recommendations: 2 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  // Skipped (3 of 5), then forced.
  assert.equal((await server.call("POST", "/api/v1/automations/hourly/run")).body.status, "skipped");
  assert.equal((await server.call("POST", "/api/v1/automations/hourly/run", { body: { force: true } })).body.status, "succeeded");

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${server.base}/dashboard/`);
  await page.fill('[data-testid="api-key"]', KEYS.alpha);
  await page.click('[data-testid="connect"]');
  await page.click('[data-testid="nav-automations"]');
  await page.waitForSelector('[data-testid="automations"] tbody tr[data-name="hourly"]');
  const row = await page.textContent('[data-testid="automations"] tbody tr[data-name="hourly"]');
  assert.match(row, /hourly.*router.*yes.*3600 s.*5.*manual.*succeeded/s);
  await page.click('[data-testid="automations"] tbody tr[data-name="hourly"] a');
  await page.waitForSelector('[data-testid="runs"] tbody tr');
  const rows = await page.$$eval('[data-testid="runs"] tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 2);
  assert.match(rows[0], /manual \(forced\).*succeeded.*router.*folded 3 · best 0\.7 · recommendation v1.*new_observations 3 \/ 5 ✓ \(forced\)/s);
  assert.match(rows[1], /manual.*skipped.*skipped: too_few_observations.*new_observations 3 \/ 5 ✗/s);
  assert.match(await page.textContent('[data-testid="automation-config"]'), /recommendations\s*2/);
  assert.match(await page.textContent('[data-testid="automation-schedule"]'), /last success of router\s*20\d\d-/);
  await page.screenshot({ path: `${artifacts}dashboard-automation.png`, fullPage: true });

  // The study view shows what production reads.
  const rec = (await server.call("GET", "/api/v1/studies/router/recommendation")).body;
  await page.goto(`${server.base}/dashboard/#/study/router`);
  await page.waitForSelector('[data-testid="recommendation"]');
  const text = await page.textContent('[data-testid="recommendation"]');
  assert.match(text, new RegExp(`Recommendation v1.*${rec.run_id}.*best: trial 2: temperature=0\\.7 → 0\\.7`, "s"));
  assert.equal(await page.$$eval('[data-testid="recommendation"] li', (li) => li.length), 2);
  assert.deepEqual(errors, []);
});
