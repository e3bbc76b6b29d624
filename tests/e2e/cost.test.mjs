// Cost budgets, pruning for cost and stopping rules through the real Worker build under
// wrangler dev: the HTTP fields, the 409 on an ask past the budget, the amount spent
// surviving a restart (the Durable Object replays its journal), and the MCP tools.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [{ name: "epochs", type: "int", low: 1, high: 8 }, { name: "lr", type: "float", low: 1e-4, high: 1, log: true }];
const path = (study, rest = "") => `/api/v1/studies/${study}${rest}`;

test("a budgeted study spends reported and told costs, prunes for cost, and refuses asks past its budget", async () => {
  const created = await server.call("POST", "/api/v1/studies", {
    body: { study_name: "mnist-budget", search_space: space, seed: 3, cost_budget: 0.5, cost_unit: "USD" },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body.cost, { spent: 0, budget: 0.5, left: 0.5, unit: "USD" });
  assert.deepEqual([created.body.n_pruned_for_cost, created.body.converged], [0, false]);
  // A first trial: 0.05 per epoch for 4 epochs.
  const a = (await server.call("POST", path("mnist-budget", "/trials/suggest"))).body.trial_number;
  for (let step = 0; step < 4; step++) {
    const r = await server.call("POST", path("mnist-budget", `/trials/${a}/report`), { body: { value: 1 / (step + 1), step, cost: 0.05 * (step + 1) } });
    assert.deepEqual(r.body, { trial_number: a, step, should_prune: false });
  }
  const told = await server.call("POST", path("mnist-budget", `/trials/${a}/complete`), { body: { value: 0.25, cost: 0.2 } });
  assert.equal(told.status, 200, JSON.stringify(told.body));
  assert.equal(told.body.cost, 0.2);
  // A second trial costs 0.1 by step 0: projected 0.4 in all (0.3 more), but 0.2 are left.
  const b = (await server.call("POST", path("mnist-budget", "/trials/suggest"))).body.trial_number;
  const r = await server.call("POST", path("mnist-budget", `/trials/${b}/report`), { body: { value: 0.9, step: 0, cost: 0.1 } });
  assert.deepEqual(r.body, { trial_number: b, step: 0, should_prune: true, reason: "cost" });
  await server.call("POST", path("mnist-budget", `/trials/${b}/prune`));
  // A third one overruns the budget with its report.
  const c = (await server.call("POST", path("mnist-budget", "/trials/suggest"))).body.trial_number;
  const over = await server.call("POST", path("mnist-budget", `/trials/${c}/report`), { body: { value: 0.8, step: 0, cost: 0.25 } });
  assert.deepEqual([over.body.should_prune, over.body.reason], [true, "cost"]);
  await server.call("POST", path("mnist-budget", `/trials/${c}/prune`));
  const refused = await server.call("POST", path("mnist-budget", "/trials/suggest"));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, "budget_exhausted");
  assert.match(refused.body.error.message, /spent 0\.55 of 0\.5 USD/);
  const view = (await server.call("GET", path("mnist-budget"))).body;
  assert.deepEqual(view.cost, { spent: 0.55, budget: 0.5, left: 0, unit: "USD" });
  assert.equal(view.n_pruned_for_cost, 2);
  assert.equal(view.best_trial.number, a);
  // The amount spent survives a restart: the object replays its journal.
  await server.restart();
  const again = (await server.call("GET", path("mnist-budget"))).body;
  assert.deepEqual([again.cost, again.n_pruned_for_cost], [view.cost, 2]);
  assert.equal((await server.call("POST", path("mnist-budget", "/trials/suggest"))).status, 409);
});

test("bad costs and budgets get a 400 naming the field, and store nothing", async () => {
  const bad = [
    [{ study_name: "b1", cost_budget: -1 }, "cost_budget"],
    [{ study_name: "b2", cost_budget: 1, cost_unit: "" }, "cost_unit"],
    [{ study_name: "b3", stopping: { type: "never" } }, "stopping.type"],
    [{ study_name: "b4", stopping: { type: "regret_bound", top_trials_ratio: 2 } }, "stopping.top_trials_ratio"],
  ];
  for (const [body, field] of bad) {
    const r = await server.call("POST", "/api/v1/studies", { body });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.equal((await server.call("GET", path(body.study_name))).status, 404);
  }
  await server.call("POST", "/api/v1/studies", { body: { study_name: "costs", search_space: space } });
  const t = (await server.call("POST", path("costs", "/trials/suggest"))).body.trial_number;
  await server.call("POST", path("costs", `/trials/${t}/report`), { body: { value: 1, step: 0, cost: 2 } });
  for (const cost of [-1, 1, "x"]) {
    const r = await server.call("POST", path("costs", `/trials/${t}/complete`), { body: { value: 1, cost } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, "cost");
  }
  const [trial] = (await server.call("GET", path("costs", "/trials"))).body.trials;
  assert.deepEqual([trial.state, trial.cost], ["RUNNING", 2]);
});

test("a stopping rule fires and the study view says converged, with the evaluator's numbers", async () => {
  await server.call("POST", "/api/v1/studies", {
    body: { study_name: "stagnant", search_space: space, stopping: { type: "best_value_stagnation", max_stagnation_trials: 2 } },
  });
  for (let i = 0; i < 4; i++) {
    const t = (await server.call("POST", path("stagnant", "/trials/suggest"))).body.trial_number;
    await server.call("POST", path("stagnant", `/trials/${t}/complete`), { body: { value: 1 } });
  }
  const view = (await server.call("GET", path("stagnant"))).body;
  assert.equal(view.converged, true);
  assert.deepEqual(view.stopping, { type: "best_value_stagnation", max_stagnation_trials: 2 });
  assert.deepEqual(view.convergence, { rule: "best_value_stagnation", converged: true, stagnant_trials: 3, max_stagnation_trials: 2 });
});

test("MCP: start_study takes cost_budget, get_study_status reports the cost, and an ask past the budget is an error result", async () => {
  const client = new Client({ name: "edgetune-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${KEYS.alpha}` } },
  }));
  const started = await client.callTool({ name: "start_study", arguments: { study_name: "agent-budget", search_space: space, cost_budget: 1, cost_unit: "USD" } });
  assert.ok(!started.isError, JSON.stringify(started.content));
  assert.deepEqual(started.structuredContent.cost, { spent: 0, budget: 1, left: 1, unit: "USD" });
  const asked = await client.callTool({ name: "ask", arguments: { study_name: "agent-budget" } });
  const number = asked.structuredContent.trial_number;
  const reported = await client.callTool({ name: "report", arguments: { study_name: "agent-budget", trial_number: number, value: 0.5, step: 0, cost: 1.5 } });
  assert.deepEqual([reported.structuredContent.should_prune, reported.structuredContent.reason], [true, "cost"]);
  assert.match(reported.content[0].text, /cost budget/);
  await client.callTool({ name: "tell", arguments: { study_name: "agent-budget", trial_number: number, state: "pruned" } });
  const status = await client.callTool({ name: "get_study_status", arguments: { study_name: "agent-budget" } });
  assert.deepEqual([status.structuredContent.cost.spent, status.structuredContent.n_pruned_for_cost], [1.5, 1]);
  assert.match(status.content[0].text, /1 pruned \(1 for cost\)/);
  assert.match(status.content[0].text, /Total cost: 1\.5 USD of a 1 USD budget \(0 USD left\)/);
  const refused = await client.callTool({ name: "ask", arguments: { study_name: "agent-budget" } });
  assert.equal(refused.isError, true);
  assert.match(refused.content[0].text, /budget/);
  await client.close();
});
