// Tenant boundaries on every route, table-driven from the served /openapi.json (so a
// new route is covered the day it is added): each route of /api/v1, /ax/{key}/..., the
// bare-root Ax routes and every MCP tool is tried with no key, a wrong key, and
// another tenant's key against tenant alpha's study, trial, job and automation. Each
// attempt gets 401 or 404 (a route that creates by name creates the caller's own),
// no answer carries alpha's data, and alpha's storage is the same afterwards.
import { before, after, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

// Alpha's names, and data only alpha's storage holds: no request of the test sends them
// except where a name is the point (the path), and no answer to another tenant may
// carry them.
const STUDY = "alpha-secret-study";
const JOB_STUDY = "alpha-secret-job";
const AUTOMATION = "alpha-secret-automation";
const MARKERS = ["alpha_only_param", "31415.9265", "alpha-private-note"];
let jobId;

const space = [
  { name: "alpha_only_param", type: "float", low: 0, high: 100000 },
  { name: "k", type: "int", low: 1, high: 4 },
];

/** Raw request: `key` is a bearer key, or null for none. */
async function request(method, path, { key = null, body, raw } = {}) {
  const headers = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined || raw !== undefined) headers["content-type"] = "application/json";
  if (path === "/mcp") headers.accept = "application/json, text/event-stream";
  const r = await fetch(`${server.base}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  return { status: r.status, text: await r.text() };
}

/** A GET that declares a body of `length` bytes (fetch will not send one). */
function rawGetWithBody(path, length) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.base}${path}`, {
      method: "GET",
      headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json", "content-length": String(length) },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.end("x".repeat(length));
  });
}

async function setUpAlpha() {
  const alpha = (method, path, body) => server.call(method, path, { body });
  assert.equal((await alpha("POST", "/api/v1/studies", { study_name: STUDY, search_space: space, metadata: { note: "alpha-private-note" } })).status, 201);
  await alpha("POST", `/api/v1/studies/${STUDY}/trials/suggest`);
  await alpha("POST", `/api/v1/studies/${STUDY}/trials/0/report`, { value: 31415.9265, step: 0 });
  const t1 = await alpha("POST", `/api/v1/studies/${STUDY}/trials/suggest`);
  await alpha("POST", `/api/v1/studies/${STUDY}/trials/${t1.body.trial_number}/complete`, { value: 31415.9265 });
  const obs = { id: "o1", params: { alpha_only_param: 31415.9265, k: 2 }, value: 31415.9265 };
  assert.equal((await alpha("POST", `/api/v1/studies/${STUDY}/observations`, { observations: [obs] })).status, 200);
  const put = await alpha("PUT", `/api/v1/automations/${AUTOMATION}`, { studies: [STUDY], min_new_observations: 5 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal((await alpha("POST", `/api/v1/automations/${AUTOMATION}/run`)).status, 200);
  const job = await server.call("POST", `/ax/${KEYS.alpha}/optimize`, {
    tenant: null,
    body: { study_name: JOB_STUDY, n_trials: 5, parameters: space, objective: { name: "alpha_only_param", direction: "minimize" } },
  });
  assert.equal(job.status, 200, JSON.stringify(job.body));
  jobId = job.body.job_id;
  await server.call("POST", `/ax/${KEYS.alpha}/studies/${JOB_STUDY}/suggest`, { tenant: null });
}

/** Everything alpha holds, without what moves with the clock alone. */
async function alphaStorage() {
  const get = async (path) => (await request("GET", path, { key: KEYS.alpha })).text;
  const automation = JSON.parse(await get(`/api/v1/automations/${AUTOMATION}`));
  delete automation.next_run_at;
  return {
    studies: await get("/api/v1/studies?limit=1000"),
    journal: await get(`/api/v1/studies/${STUDY}/journal`),
    jobJournal: await get(`/api/v1/studies/${JOB_STUDY}/journal`),
    observations: await get(`/api/v1/studies/${STUDY}/observations?state=all&limit=1000`),
    recommendation: await get(`/api/v1/studies/${STUDY}/recommendation`),
    automations: (await get("/api/v1/automations")).replace(/"next_run_at":"[^"]*"/g, ""),
    automation,
    runs: await get(`/api/v1/automations/${AUTOMATION}/runs?limit=1000`),
    jobs: await get(`/ax/${KEYS.alpha}/jobs?limit=100`),
  };
}

/** A body each route accepts, so that a refusal is the boundary's and not the body's. */
function bodyFor(method, template, studyName) {
  const key = `${method} ${template.replace(/^\/ax\/\{api_key\}/, "/ax")}`;
  const bodies = {
    "POST /api/v1/studies": { study_name: "beta-own-study" },
    "POST /api/v1/studies/{study_name}/journal": plainJournal,
    "POST /api/v1/studies/{study_name}/trials/suggest": {},
    "POST /api/v1/studies/{study_name}/trials/{number}/complete": { value: 1 },
    "POST /api/v1/studies/{study_name}/trials/{number}/suggest": { search_space: [{ name: "y", type: "float", low: 0, high: 1 }] },
    "POST /api/v1/studies/{study_name}/trials/enqueue": { params: { x: 0.5 } },
    "POST /api/v1/studies/{study_name}/trials/{number}/user_attrs": { key: "k", value: 1 },
    "POST /api/v1/studies/{study_name}/trials/{number}/report": { value: 1, step: 1 },
    "POST /api/v1/studies/{study_name}/trials/{number}/fail": { reason: "no" },
    "POST /api/v1/studies/{study_name}/observations": { observations: [{ id: "x", params: { k: 1 }, value: 1 }] },
    "PUT /api/v1/studies/{study_name}/history_window": { history_window: 50 },
    "POST /api/v1/studies/{study_name}/user_attrs": { key: "k", value: 1 },
    "PUT /api/v1/studies/{study_name}/metric_names": { metric_names: ["loss"] },
    "PUT /api/v1/automations/{automation_name}": { studies: ["beta-own-study"] },
    "POST /api/v1/automations/{automation_name}/run": { force: true },
    "POST /ax/optimize": { study_name: "beta-own-ax", n_trials: 2, parameters: [{ name: "x", type: "float", low: 0, high: 1 }] },
    "POST /ax/studies/{study_name}/evaluate": { study_name: studyName, trial_number: 0, value: 1 },
    "POST /mcp": { jsonrpc: "2.0", id: 1, method: "tools/list" },
  };
  return bodies[key];
}
let plainJournal;

/** Routes that create, under the caller's tenant, what the path names. */
const CREATES_BY_NAME = new Set(["POST /api/v1/studies/{study_name}/journal", "PUT /api/v1/automations/{automation_name}"]);

function fill(template, key) {
  const ax = template.startsWith("/ax/");
  return template
    .replace("{api_key}", encodeURIComponent(key ?? "no-key"))
    .replace("{study_name}", ax ? JOB_STUDY : STUDY)
    .replace("{number}", "0")
    .replace("{job_id}", jobId)
    .replace("{automation_name}", AUTOMATION);
}

/** Asserts that `text`, answered to a stranger, holds none of alpha's data. */
function assertNoLeak(text, what, sent = "") {
  for (const marker of [...MARKERS, STUDY, JOB_STUDY, AUTOMATION, jobId]) {
    if (sent.includes(marker)) continue; // echoing the caller's own input leaks nothing
    assert.ok(!text.includes(marker), `${what} leaks ${marker}: ${text.slice(0, 300)}`);
  }
}

test("no key, a wrong key or another tenant's key reach none of a tenant's data, on every route", { timeout: 300_000 }, async () => {
  await setUpAlpha();
  // A journal of a study holding nothing of alpha's, for the import route.
  assert.equal((await server.call("POST", "/api/v1/studies", { tenant: "beta", body: { study_name: "template" } })).status, 201);
  plainJournal = JSON.parse((await request("GET", "/api/v1/studies/template/journal", { key: KEYS.beta })).text);
  await server.call("DELETE", "/api/v1/studies/template", { tenant: "beta" });

  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  const before = await alphaStorage();
  const rows = [];
  const creating = [];
  // The routes that create by name go last: after them, the other tenant owns a
  // resource of that name.
  const routes = Object.entries(doc.paths)
    .flatMap(([template, item]) => Object.keys(item).filter((m) => ["get", "post", "put", "delete", "patch"].includes(m)).map((m) => [template, item, m]))
    .sort((a, b) => CREATES_BY_NAME.has(`${a[2].toUpperCase()} ${a[0]}`) - CREATES_BY_NAME.has(`${b[2].toUpperCase()} ${b[0]}`));
  for (const [template, item, method] of routes) {
    {
      const op = item[method];
      const M = method.toUpperCase();
      const secured = (op.security ?? doc.security ?? []).length > 0 || template.startsWith("/ax/");
      const owned = /\{(study_name|number|job_id|automation_name)\}/.test(template);
      const body = bodyFor(M, template, JOB_STUDY);
      if (!secured) {
        // Public routes (health, readiness, the docs) answer, with nothing of a tenant.
        const r = await request(M, template);
        assertNoLeak(r.text, `${M} ${template}`);
        rows.push([M, template, "public", r.status]);
        continue;
      }
      const pathKey = template.startsWith("/ax/");
      const attempts = [
        ["no key", pathKey ? "" : null],
        ["wrong key", "key-nobody"],
        ["other tenant", KEYS.beta],
      ];
      for (const [who, key] of attempts) {
        const path = pathKey ? fill(template, key || "-") : fill(template);
        const r = await request(M, path, { key: pathKey ? null : key, body });
        const what = `${M} ${path} (${who})`;
        const sent = path + JSON.stringify(body ?? "");
        assertNoLeak(r.text, what, sent);
        if (who !== "other tenant") {
          assert.equal(r.status, 401, `${what}: ${r.text.slice(0, 300)}`);
        } else if (CREATES_BY_NAME.has(`${M} ${template}`)) {
          creating.push([M, path, r.status]);
        } else if (owned) {
          assert.equal(r.status, 404, `${what}: ${r.text.slice(0, 300)}`);
        } else {
          assert.ok(r.status < 500, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
        }
        rows.push([M, template, who, r.status]);
      }
      // The bare-root Ax routes serve the anonymous tenant, which is not alpha.
      if (pathKey) {
        const path = fill(template).replace(/^\/ax\/[^/]+/, "");
        const r = await request(M, path, { body });
        assertNoLeak(r.text, `${M} ${path} (anonymous)`, path + JSON.stringify(body ?? ""));
        if (owned) assert.equal(r.status, 404, `${M} ${path} (anonymous): ${r.text.slice(0, 300)}`);
        rows.push([M, path, "anonymous", r.status]);
      }
    }
  }

  // Every MCP tool, as the other tenant, on alpha's names.
  const mcp = (key, message) => request("POST", "/mcp", { key, body: { jsonrpc: "2.0", id: 1, ...message } });
  // The import above made the other tenant a study of alpha's name: its own, deleted
  // (as it) so that the tools below meet alpha's name only.
  assert.equal((await request("DELETE", `/api/v1/studies/${STUDY}`, { key: KEYS.beta })).status, 200);
  // start_study creates by name: last, like the HTTP routes that do.
  const tools = JSON.parse((await mcp(KEYS.beta, { method: "tools/list" })).text).result.tools
    .sort((a, b) => (a.name === "start_study") - (b.name === "start_study"));
  const sample = (name, schema) => {
    if (name === "study_name") return STUDY;
    if (name === "trial_number") return 0;
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
    return { string: "x", integer: 1, number: 1, boolean: false, array: [], object: {} }[type] ?? "x";
  };
  for (const tool of tools) {
    const props = tool.inputSchema.properties ?? {};
    if (!("study_name" in props)) continue;
    const args = Object.fromEntries((tool.inputSchema.required ?? ["study_name"]).map((p) => [p, sample(p, props[p] ?? {})]));
    args.study_name = STUDY;
    for (const [who, key] of [["no key", null], ["wrong key", "key-nobody"], ["other tenant", KEYS.beta]]) {
      const r = await mcp(key, { method: "tools/call", params: { name: tool.name, arguments: args } });
      const what = `MCP ${tool.name} (${who})`;
      assertNoLeak(r.text, what, JSON.stringify(args));
      if (who !== "other tenant") {
        assert.equal(r.status, 401, what);
      } else if (tool.name !== "start_study") {
        const result = JSON.parse(r.text).result;
        assert.equal(result?.isError, true, `${what}: ${r.text.slice(0, 300)}`);
      }
      rows.push(["MCP", tool.name, who, r.status]);
    }
  }

  // The routes that create by name created the other tenant's own, beside alpha's.
  for (const [M, path, status] of creating) assert.ok(status === 200 || status === 201, `${M} ${path}: ${status}`);
  assert.deepEqual(await alphaStorage(), before, "alpha's storage changed");
  console.log(`# tenant boundaries: ${rows.length} attempts over ${new Set(rows.map((r) => `${r[0]} ${r[1]}`)).size} routes and tools`);
  assert.ok(rows.length >= 150, `${rows.length} attempts`);
});

test("every route answers 413 naming its limit when the declared body passes it", { timeout: 120_000 }, async () => {
  const doc = (await server.call("GET", "/openapi.json", { tenant: null })).body;
  let checked = 0;
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item).filter((m) => ["post", "put", "delete", "patch", "get"].includes(m))) {
      const limit = template.endsWith("/journal") && method === "post" ? 16 << 20 : 1 << 20;
      const path = fill(template, KEYS.alpha);
      const big = "x".repeat(limit + 1);
      if (method === "get") {
        // fetch sends no body with GET: declare one with a raw request instead.
        const { status, text } = await rawGetWithBody(path, limit + 1);
        assert.equal(status, 413, `GET ${path}: ${text.slice(0, 200)}`);
        assert.match(text, new RegExp(`limit of ${limit} bytes`));
      } else {
        const r = await request(method.toUpperCase(), path, { key: KEYS.alpha, body: undefined, raw: big });
        assert.equal(r.status, 413, `${method} ${path}: ${r.text.slice(0, 200)}`);
        assert.match(r.text, new RegExp(`limit of ${limit} bytes`));
        assert.equal(JSON.parse(r.text).error.field, "body");
      }
      checked++;
    }
  }
  assert.ok(checked >= 40, `${checked} routes`);
  // Nothing was stored by any of them.
  assert.equal((await server.call("GET", `/api/v1/studies/${STUDY}/trials?limit=1000`)).body.total, 2);
});
