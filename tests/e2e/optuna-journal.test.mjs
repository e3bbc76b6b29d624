// Optuna's journal files through the real Worker build under wrangler dev, checked
// against Optuna 5 itself (bench/.venv, tests/optuna/journal.py): a study exported with
// ?format=optuna loads in Optuna's JournalStorage with the same data and opens in
// optuna-dashboard; a study Optuna wrote imports, goes on, and exports again; bad
// journals are 400s that store nothing.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DevServer, KEYS } from "./server.mjs";

const python = new URL("../../bench/.venv/bin/python", import.meta.url).pathname;
const script = new URL("../optuna/journal.py", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "edgetune-optuna-"));
const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const optunaSays = (...args) => JSON.parse(execFileSync(python, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] }).toString());

async function exportOptuna(study) {
  const r = await fetch(`${server.base}/api/v1/studies/${study}/journal?format=optuna`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type"), /application\/x-ndjson/);
  const path = join(dir, `${study}.jsonl`);
  writeFileSync(path, await r.text());
  return path;
}

async function importOptuna(name, text, query = "", format = "optuna") {
  const r = await fetch(`${server.base}/api/v1/studies/${encodeURIComponent(name)}/journal?format=${format}${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/x-ndjson" },
    body: text,
  });
  return { status: r.status, body: await r.json() };
}

const allTrials = async (study) => (await server.call("GET", `/api/v1/studies/${study}/trials?limit=1000`)).body.trials;

/** Our trial and Optuna's, field by field. */
function assertSame(ours, theirs, what) {
  assert.equal(theirs.number, ours.number, what);
  assert.equal(theirs.state, ours.state, what);
  assert.deepEqual(theirs.params, ours.params, what);
  const values = ours.values ?? (ours.value === undefined || ours.value === null ? null : [ours.value]);
  assert.deepEqual(theirs.values, values, what);
  assert.deepEqual(theirs.intermediate_values, Object.fromEntries(Object.entries(ours.intermediate_values ?? {}).map(([k, v]) => [k, v])), what);
  assert.deepEqual(theirs.user_attrs, ours.user_attrs ?? {}, what);
  assert.deepEqual(theirs.constraints ?? null, ours.constraints ?? null, what);
  if (ours.datetime_start) assert.equal(Date.parse(theirs.datetime_start), Date.parse(ours.datetime_start), what);
  if (ours.datetime_complete) assert.equal(Date.parse(theirs.datetime_complete), Date.parse(ours.datetime_complete), what);
}

const space = [
  { name: "x", type: "float", low: -3, high: 3 },
  { name: "lr", type: "float", low: 1e-4, high: 0.1, log: true },
  { name: "n", type: "int", low: 1, high: 9, step: 2 },
  { name: "opt", type: "categorical", choices: ["sgd", "adam", 3, true] },
];

/** A study with every kind of trial, made in the npm package and imported here. */
async function fill(study, directions) {
  const { createStudy } = await import(new URL("../../js/dist/index.js", import.meta.url).href);
  const local = createStudy({ studyName: study, seed: 2, directions, metricNames: directions.map((_, i) => `m${i}`) });
  local.setUserAttr("owner", { team: "ml" });
  for (let i = 0; i < 12; i++) {
    const trial = local.ask(space);
    const x = trial.params.x;
    trial.setUserAttr("i", i);
    if (i % 4 === 1 && directions.length === 1) {
      trial.report(x, 0);
      trial.report(x / 2, 5);
      local.tell(trial, { state: "pruned" });
    } else if (i % 4 === 2) {
      local.tell(trial, { state: "fail", reason: "diverged" });
    } else {
      const values = [x * x, -x].slice(0, directions.length);
      if (i % 4 === 3) trial.setConstraints([x - 1, -1]);
      local.tell(trial, directions.length === 1 ? values[0] : values);
    }
  }
  local.ask(space);
  const r = await fetch(`${server.base}/api/v1/studies/${study}/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
    body: local.toJournal(),
  });
  assert.equal(r.status, 201, await r.text());
}

test("a study exported as an Optuna journal loads in Optuna with the same data, and in optuna-dashboard", { timeout: 120_000 }, async () => {
  for (const [study, directions] of [["single", ["minimize"]], ["multi", ["minimize", "maximize"]]]) {
    await fill(study, directions);
    const path = await exportOptuna(study);
    const theirs = optunaSays("dump", path, study);
    const view = (await server.call("GET", `/api/v1/studies/${study}`)).body;
    assert.deepEqual(theirs.directions, directions.map((d) => d.toUpperCase()));
    assert.deepEqual(theirs.metric_names, view.metric_names);
    assert.deepEqual(theirs.user_attrs, view.user_attrs);
    const ours = await allTrials(study);
    assert.equal(theirs.trials.length, ours.length);
    ours.forEach((t, i) => assertSame(t, theirs.trials[i], `${study} trial ${t.number}`));
    assert.ok(theirs.trials.some((t) => t.state === "FAIL" && t.system_attrs["edgetune:fail_reason"] === "diverged"));
    assert.deepEqual(optunaSays("dashboard", path), { studies: [study], n_trials: ours.length });
  }
});

test("a study Optuna wrote imports, goes on with edgetune's sampler, and exports again", { timeout: 120_000 }, async () => {
  const path = join(dir, "optuna-made.jsonl");
  optunaSays("write", path);
  const theirs = optunaSays("dump", path, "optuna made");
  const imported = await importOptuna("from-optuna", readFileSync(path, "utf8"), "&from_study_name=optuna%20made");
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.equal(imported.body.n_trials, 20);
  const ours = await allTrials("from-optuna");
  theirs.trials.forEach((t, i) => assertSame(ours[i], t, `trial ${i}`));
  for (let i = 0; i < 5; i++) {
    const s = await server.call("POST", "/api/v1/studies/from-optuna/trials/suggest");
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.deepEqual(Object.keys(s.body.params).sort(), ["act", "layers", "lr", "x"]);
    await server.call("POST", `/api/v1/studies/from-optuna/trials/${s.body.trial_number}/complete`, { body: { value: i } });
  }
  const again = optunaSays("dump", await exportOptuna("from-optuna"), "from-optuna");
  assert.equal(again.trials.length, 25);
  assert.deepEqual(again.metric_names, ["loss"]);
  assert.deepEqual(again.user_attrs, { owner: { team: "ml" } });
  theirs.trials.forEach((t, i) => assertSame({ ...again.trials[i], value: undefined }, t, `trial ${i} again`));
});

test("bad Optuna journals are 400s naming what is wrong, and store nothing", async () => {
  const good = readFileSync(join(dir, "optuna-made.jsonl"), "utf8");
  const [first] = good.split("\n");
  const cases = [
    ["corrupt", `${first}\n{"op_code": 4, "study_id"`, "", "journal", /line 2: not a JSON object/],
    ["unknown-op", `${first}\n{"op_code":42,"worker_id":"w"}`, "", "journal", /line 2: unknown op_code 42/],
    ["missing", good, "&from_study_name=nope", "from_study_name", /no study named "nope"; it holds: "optuna made"/],
    ["bad name!", good, "", "study_name", /Optuna allows study names this service refuses/],
    ["wrong-format", good, "", "format", /must be edgetune or optuna/, "yaml"],
    ["not-edgetune", good, "", "journal", /not a valid journal/, "edgetune"],
  ];
  for (const [name, text, query, field, message, format] of cases) {
    const r = await importOptuna(name, text, query, format);
    assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field, name);
    assert.match(r.body.error.message, message, name);
    assert.equal((await server.call("GET", `/api/v1/studies/${encodeURIComponent(name)}`)).status, 404, name);
  }
});
