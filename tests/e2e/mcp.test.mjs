// POST /mcp under `wrangler dev`, driven by the official MCP TypeScript SDK
// (Client + StreamableHTTPClientTransport), as an agent would: every tool listed with
// its schemas, an ask/tell loop to a known optimum, the AutoML workflow (template,
// status, best, top 5, resume), tenant isolation, and bad arguments answered as
// isError results that name the field, with storage unchanged.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

async function connect(key = KEYS.alpha) {
  const client = new Client({ name: "edgetune-e2e", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its structured content; throws on an isError result. */
async function call(client, name, args) {
  const r = await client.callTool({ name, arguments: args });
  assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content)}`);
  assert.equal(r.content[0].type, "text");
  return { data: r.structuredContent, text: r.content[0].text };
}

const TOOLS = [
  "start_study", "get_study_status", "get_best_params", "list_studies", "compare_trials", "ask", "tell",
  "report", "set_trial_user_attr", "get_trials", "best_trials", "importance", "delete_study", "dashboard_url",
  "set_metric_names", "add_trials",
];

test("the SDK connects and lists every tool with an input and an output schema", async () => {
  const client = await connect();
  assert.equal(client.getServerVersion().name, "edgetune");
  assert.ok(client.getServerCapabilities().tools);
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, "object", tool.name);
    assert.equal(tool.outputSchema.type, "object", tool.name);
    assert.ok(tool.description.length > 20, tool.name);
    assert.ok(!JSON.stringify(tool).includes("$schema"), tool.name);
  }
  const start = tools.find((t) => t.name === "start_study");
  assert.deepEqual(start.inputSchema.required, ["study_name"]);
  assert.ok(start.inputSchema.properties.search_space && start.inputSchema.properties.template);
  await client.close();
});

test("40 trials of ask and tell end near the optimum of a known function", async () => {
  const client = await connect();
  await client.listTools();
  const space = [
    { name: "x", type: "float", low: -5, high: 5 },
    { name: "y", type: "float", low: -5, high: 5 },
  ];
  await call(client, "start_study", { study_name: "mcp-quadratic", search_space: space, seed: 7, n_trials: 40 });
  for (let i = 0; i < 40; i++) {
    const { data } = await call(client, "ask", { study_name: "mcp-quadratic" });
    const { x, y } = data.params;
    await call(client, "tell", { study_name: "mcp-quadratic", trial_number: data.trial_number, value: (x - 1) ** 2 + (y + 2) ** 2 });
  }
  const { data: best } = await call(client, "get_best_params", { study_name: "mcp-quadratic" });
  assert.ok(best.best_value < 0.5, `best ${best.best_value}`);
  assert.ok(Math.abs(best.best_params.x - 1) < 1 && Math.abs(best.best_params.y + 2) < 1, JSON.stringify(best));
  const { data: status } = await call(client, "get_study_status", { study_name: "mcp-quadratic" });
  assert.deepEqual([status.n_trials, status.n_trials_planned, status.trial_counts.COMPLETE], [40, 40, 40]);
  await client.close();
});

test("the AutoML workflow: start from a template, status, best, top 5, then resume with more trials", async () => {
  const client = await connect();
  await client.listTools();
  const objective = ({ lr, batch_size, epochs }) => 0.99 - Math.abs(Math.log10(lr) + 3) * 0.02 - Math.abs(epochs - 4) * 0.005 - (batch_size === 128 ? 0 : 0.003);
  const run = async (n) => {
    for (let i = 0; i < n; i++) {
      const { data } = await call(client, "ask", { study_name: "mnist-opt" });
      if (i === 0) await call(client, "set_trial_user_attr", { study_name: "mnist-opt", trial_number: data.trial_number, key: "gpu", value: "t4" });
      await call(client, "report", { study_name: "mnist-opt", trial_number: data.trial_number, value: 0.5, step: 0 });
      await call(client, "tell", { study_name: "mnist-opt", trial_number: data.trial_number, value: objective(data.params) });
    }
  };
  const started = await call(client, "start_study", { study_name: "mnist-opt", template: "mnist", directions: ["maximize"], n_trials: 10, seed: 3 });
  assert.equal(started.data.created, true);
  assert.deepEqual(started.data.parameters, ["lr", "batch_size", "epochs"]);
  await run(10);
  const status = await call(client, "get_study_status", { study_name: "mnist-opt" });
  assert.equal(status.data.trial_counts.COMPLETE, 10);
  assert.match(status.text, /Trials: 10 of 10 planned/);
  assert.match(status.text, /Best hyperparameters:\n {2}batch_size: \d+\n {2}epochs: \d+\n {2}lr: /);
  const best = await call(client, "get_best_params", { study_name: "mnist-opt" });
  assert.match(best.text, /As arguments: batch_size=\d+, epochs=\d+, lr=/);
  const top = await call(client, "compare_trials", { study_name: "mnist-opt", top_k: 5 });
  assert.equal(top.data.trials.length, 5);
  const values = top.data.trials.map((t) => t.value);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), "best first, maximizing");
  assert.equal(values[0], best.data.best_value);
  assert.match(top.text, /Top 5 trials for mnist-opt:\nTrial +Value +batch_size +epochs +lr/);
  // Resume: the same name continues the same study.
  const resumed = await call(client, "start_study", { study_name: "mnist-opt", template: "mnist", directions: ["maximize"] });
  assert.equal(resumed.data.created, false);
  assert.equal(resumed.data.n_trials, 10);
  await run(5);
  const after = await call(client, "get_study_status", { study_name: "mnist-opt" });
  assert.equal(after.data.n_trials, 15);
  const csv = await call(client, "get_trials", { study_name: "mnist-opt", format: "csv" });
  assert.equal(csv.data.total, 15);
  assert.match(csv.data.csv.split("\n")[0], /^number,/);
  const json = await call(client, "get_trials", { study_name: "mnist-opt", states: ["COMPLETE"], limit: 3 });
  assert.deepEqual([json.data.total, json.data.trials.length], [15, 3]);
  assert.equal(json.data.trials[0].user_attrs.gpu, "t4");
  const importance = await call(client, "importance", { study_name: "mnist-opt" });
  assert.deepEqual(Object.keys(importance.data.importances).sort(), ["batch_size", "epochs", "lr"]);
  const bests = await call(client, "best_trials", { study_name: "mnist-opt" });
  const bestNow = await call(client, "get_best_params", { study_name: "mnist-opt" });
  assert.equal(bests.data.trials[0].value, bestNow.data.best_value);
  assert.ok(bestNow.data.best_value >= best.data.best_value, "maximizing: the best never gets worse");
  const link = await call(client, "dashboard_url", { study_name: "mnist-opt" });
  assert.equal(link.data.url, `${server.base}/dashboard/#/study/mnist-opt`);
  const listed = await call(client, "list_studies", {});
  assert.ok(listed.data.studies.some((s) => s.study_name === "mnist-opt"));
  await client.close();
});

test("add_trials records trials run elsewhere; set_metric_names names the objectives everywhere", async () => {
  const client = await connect();
  await client.listTools();
  const space = [{ name: "lr", type: "float", low: 1e-5, high: 1e-2, log: true }, { name: "layers", type: "int", low: 1, high: 4 }];
  await call(client, "start_study", { study_name: "imported", search_space: space, directions: ["maximize", "minimize"] });
  const named = await call(client, "set_metric_names", { study_name: "imported", metric_names: ["accuracy", "latency_ms"] });
  assert.deepEqual(named.data.metric_names, ["accuracy", "latency_ms"]);
  const added = await call(client, "add_trials", {
    study_name: "imported",
    trials: [
      { params: { lr: 0.001, layers: 2 }, values: [0.91, 12] },
      { params: { lr: 0.003, layers: 4 }, values: [0.95, 30] },
      { params: { lr: 0.0001, layers: 1 }, state: "FAIL" },
      { params: { lr: 0.005, layers: 3 }, state: "PRUNED" },
    ],
  });
  assert.deepEqual(added.data.trial_numbers, [0, 1, 2, 3]);
  const view = (await server.call("GET", "/api/v1/studies/imported")).body;
  assert.deepEqual(view.metric_names, ["accuracy", "latency_ms"]);
  assert.deepEqual(view.trial_counts, { RUNNING: 0, COMPLETE: 2, PRUNED: 1, FAIL: 1, WAITING: 0 });
  const best = await call(client, "get_best_params", { study_name: "imported" });
  assert.deepEqual(best.data.pareto_front.map((p) => p.trial_number).sort(), [0, 1]);
  // The next ask continues after the recorded trials; the journal keeps the names.
  const ask = await call(client, "ask", { study_name: "imported" });
  assert.equal(ask.data.trial_number, 4);
  const journal = (await server.call("GET", "/api/v1/studies/imported/journal")).body;
  assert.ok(journal.events.some((e) => e.event === "system_attr_set" && e.key === "study:metric_names"));
  // All or none: a bad trial anywhere records nothing.
  const before = (await server.call("GET", "/api/v1/studies/imported/trials")).body.total;
  for (const [trials, field] of [
    [[{ params: { lr: 0.001, layers: 2 }, values: [0.9, 10] }, { params: { lr: 5 }, values: [0.9, 10] }], "trials[1].params.lr"],
    [[{ params: { depth: 3 }, values: [0.9, 10] }], "trials[0].params.depth"],
    [[{ params: { lr: 0.001 }, value: 0.9 }], "trials[0].values"],
    [[{ params: { lr: 0.001 }, state: "PRUNED", values: [1, 2] }], "trials[0].value"],
    // Past MAX_TRIALS_PER_STUDY (205 here), as an ask would be.
    [Array.from({ length: 201 }, () => ({ params: { lr: 0.001, layers: 2 }, values: [0.9, 10] })), "trials"],
  ]) {
    const r = await client.callTool({ name: "add_trials", arguments: { study_name: "imported", trials } });
    assert.equal(r.isError, true, JSON.stringify(trials));
    assert.equal(r._meta["edgetune/error"].field, field, r.content[0].text);
  }
  assert.equal((await server.call("GET", "/api/v1/studies/imported/trials")).body.total, before);
  const wrong = await client.callTool({ name: "set_metric_names", arguments: { study_name: "imported", metric_names: ["only_one"] } });
  assert.equal(wrong._meta["edgetune/error"].field, "metric_names");
  // The HTTP API takes them at creation too.
  const created = await server.call("POST", "/api/v1/studies", { body: { study_name: "named", metric_names: ["loss"] } });
  assert.deepEqual([created.status, created.body.metric_names], [201, ["loss"]]);
  await client.close();
});

test("another tenant's key sees and touches nothing", async () => {
  const alpha = await connect();
  await alpha.listTools();
  await call(alpha, "start_study", { study_name: "private", template: "llm" });
  const beta = await connect(KEYS.beta);
  const listed = await call(beta, "list_studies", {});
  assert.ok(!listed.data.studies.some((s) => s.study_name === "private"));
  for (const [name, args] of [
    ["get_study_status", { study_name: "private" }],
    ["ask", { study_name: "private" }],
    ["delete_study", { study_name: "private" }],
    ["tell", { study_name: "private", trial_number: 0, value: 1 }],
  ]) {
    const r = await beta.callTool({ name, arguments: args });
    assert.equal(r.isError, true, name);
    assert.equal(r._meta["edgetune/error"].code, "not_found", name);
  }
  const status = await call(alpha, "get_study_status", { study_name: "private" });
  assert.equal(status.data.n_trials, 0);
  await alpha.close();
  await beta.close();
  // Without a key: 401 with WWW-Authenticate, as the transport's auth flow expects.
  const r = await fetch(`${server.base}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  assert.equal(r.status, 401);
  assert.match(r.headers.get("www-authenticate"), /^Bearer/);
});

test("bad arguments are isError results naming the field, and store nothing", async () => {
  const client = await connect();
  await client.listTools(); // so the client checks every result against the output schemas
  await call(client, "start_study", { study_name: "strict", search_space: [{ name: "x", type: "float", low: 0, high: 1 }] });
  const snapshot = async () => JSON.stringify((await call(client, "get_trials", { study_name: "strict", limit: 1000 })).data);
  const before = await snapshot();
  const CASES = [
    ["start_study", { study_name: 7 }, "study_name"],
    ["start_study", { study_name: "bad", search_space: [{ name: "x", type: "float", low: 2, high: 1 }] }, "search_space[0].low"],
    ["start_study", { study_name: "bad", template: "mnist", search_space: [] }, "template"],
    ["start_study", { study_name: "bad", template: "cifar" }, "template"],
    ["start_study", { study_name: "bad", template: "mnist", sampler: "SimulatedAnnealing" }, "sampler.type"],
    ["start_study", { study_name: "bad/name", template: "mnist" }, "study_name"],
    ["ask", { study_name: "nosuch" }, null],
    ["ask", { study_name: "strict", search_space: [{ name: "y", type: "int", low: 3, high: 1 }] }, "search_space[0].low"],
    ["tell", { study_name: "strict", trial_number: 0 }, "value"],
    ["tell", { study_name: "strict", trial_number: "zero", value: 1 }, "trial_number"],
    ["tell", { study_name: "strict", trial_number: 99, value: 1 }, null],
    ["report", { study_name: "strict", trial_number: 0, value: 1 }, "step"],
    ["compare_trials", { study_name: "strict", top_k: 0 }, "top_k"],
    ["get_trials", { study_name: "strict", format: "xml" }, "format"],
    ["importance", { study_name: "strict", evaluator: "shap" }, "evaluator"],
    ["get_study_status", {}, "study_name"],
    ["list_studies", { unexpected: true }, "unexpected"],
  ];
  for (const [name, args, field] of CASES) {
    const r = await client.callTool({ name, arguments: args });
    assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}: ${JSON.stringify(r)}`);
    assert.match(r.content[0].text, /^\[Error\] /);
    assert.equal(r.structuredContent, undefined);
    if (field) assert.equal(r._meta["edgetune/error"].field, field, `${name} ${JSON.stringify(args)}: ${r.content[0].text}`);
  }
  assert.equal(await snapshot(), before, "nothing changed in storage");
  const listed = await call(client, "list_studies", {});
  assert.ok(!listed.data.studies.some((s) => s.study_name === "bad"), "no half-created study");
  // An unknown tool is a protocol error, not a result.
  await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), /-32602|unknown tool/);
  await client.close();
});

test("protocol faults are JSON-RPC errors; GET and DELETE are 405; a foreign Origin is 403", async () => {
  const post = (body, headers = {}) =>
    fetch(`${server.base}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json", ...headers },
      body,
    });
  let r = await post("{not json");
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, -32700);
  r = await post(JSON.stringify([{ jsonrpc: "2.0", id: 1, method: "ping" }]));
  assert.equal((await r.json()).error.code, -32600);
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "resources/list" }));
  assert.equal((await r.json()).error.code, -32601);
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { arguments: {} } }));
  assert.equal((await r.json()).error.code, -32602);
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }), { "mcp-protocol-version": "1999-01-01" });
  assert.equal(r.status, 400);
  const unsupported = await r.json();
  assert.equal(unsupported.error.code, -32022);
  assert.deepEqual(unsupported.error.data, { supported: ["2026-07-28", "2025-11-25", "2025-06-18"], requested: "1999-01-01" });
  r = await post(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  assert.equal(r.status, 202);
  assert.equal(await r.text(), "");
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } }));
  assert.equal((await r.json()).result.protocolVersion, "2025-06-18");
  for (const method of ["GET", "DELETE"]) {
    const g = await fetch(`${server.base}/mcp`, { method, headers: { authorization: `Bearer ${KEYS.alpha}` } });
    assert.equal(g.status, 405, method);
  }
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 5, method: "ping" }), { origin: "http://evil.test" });
  assert.equal(r.status, 403);
  r = await post(JSON.stringify({ jsonrpc: "2.0", id: 6, method: "ping" }), { origin: "http://app.test" });
  assert.equal(r.status, 200);
});
