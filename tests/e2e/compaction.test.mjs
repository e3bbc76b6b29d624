// A study's journal compacted into packed chunks (every 4096 events) and woken from
// them: after a restart, the trials, the exported journal and the next suggestion are
// what they were, and equal to a copy imported from the journal. A study with a history
// window goes past MAX_TRIALS_PER_STUDY, keeps every trial in storage and wakes from
// its snapshot. Imports and added
// trials stop at MAX_TRIALS_PER_STUDY, and an import with an event too large to store
// is refused whole.
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { KEYS, DevServer } from "./server.mjs";

const server = new DevServer({ MAX_TRIALS_PER_STUDY: "2500" });
before(() => server.start());
after(() => server.stop());

const space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
  { name: "n", type: "int", low: 1, high: 10 },
  { name: "opt", type: "categorical", choices: ["adam", "sgd", "rmsprop"] },
];

async function addTrials(study, trials) {
  const r = await fetch(`${server.base}/mcp`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "add_trials", arguments: { study_name: study, trials } } }),
  });
  return (await r.json()).result;
}

const batch = (from, count) =>
  Array.from({ length: count }, (_, i) => {
    const k = from + i;
    const params = { x: ((k * 37) % 100) / 10 - 5, lr: 10 ** -(1 + (k % 4)), n: 1 + (k % 10), opt: ["adam", "sgd", "rmsprop"][k % 3] };
    return { params, value: params.x ** 2 + params.n, ...(k % 50 === 7 ? { value: undefined, state: "FAIL" } : {}) };
  });

/**
 * What the study objects' SQLite files under the persistence folder hold, read with
 * Python's sqlite3: packed chunks in all, and the JSON rows of each object.
 */
function storedJournals() {
  const script = `import glob, json, sqlite3, sys
out = {"chunks": 0, "rows": [], "snapshots": 0}
for path in glob.glob(sys.argv[1] + "/**/*.sqlite", recursive=True):
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "packed" in tables:
        out["chunks"] += db.execute("SELECT count(*) FROM packed").fetchone()[0]
        out["rows"].append(db.execute("SELECT count(*) FROM events").fetchone()[0])
    if "snapshot" in tables:
        out["snapshots"] += db.execute("SELECT count(DISTINCT covers) FROM snapshot").fetchone()[0]
print(json.dumps(out))`;
  return JSON.parse(execFileSync("python3", ["-c", script, server.persist]).toString());
}

const trialsOf = async (study) => (await server.call("GET", `/api/v1/studies/${study}/trials?limit=1000&offset=0`)).body;
const allTrials = async (study) => {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await server.call("GET", `/api/v1/studies/${study}/trials?limit=1000&offset=${offset}`)).body;
    out.push(...page.trials);
    if (out.length >= page.total) return out;
  }
};

test("a compacted study wakes with its trials, its journal and its next suggestion", { timeout: 240_000 }, async () => {
  const created = await server.call("POST", "/api/v1/studies", { body: { study_name: "big", search_space: space, seed: 5, sampler: { type: "tpe", n_startup_trials: 10 } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // 2000 trials: about 12,000 events, so two packed chunks and JSON rows after them.
  for (let from = 0; from < 2000; from += 1000) {
    const added = await addTrials("big", batch(from, 1000));
    assert.equal(added.isError, false, JSON.stringify(added.content));
  }
  // Asked trials with reports and user attributes, one left running.
  for (let i = 0; i < 4; i++) {
    const s = await server.call("POST", "/api/v1/studies/big/trials/suggest");
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const number = s.body.trial_number;
    for (let step = 0; step < 3; step++) {
      await server.call("POST", `/api/v1/studies/big/trials/${number}/report`, { body: { value: step + i, step } });
    }
    if (i < 3) await server.call("POST", `/api/v1/studies/big/trials/${number}/complete`, { body: { value: i } });
  }
  const trials = await allTrials("big");
  assert.equal(trials.length, 2004);
  // The trials table streams from storage a page of 1,000 at a time, JSON and CSV.
  const table = await server.call("GET", "/api/v1/studies/big/trials/table");
  assert.equal(table.status, 200, JSON.stringify(table.body).slice(0, 300));
  assert.deepEqual(table.body.columns, ["number", "value", "datetime_start", "datetime_complete", "duration", "params_lr", "params_n", "params_opt", "params_x", "state"]);
  assert.deepEqual(table.body.rows.map((r) => r[0]), trials.map((t) => t.number));
  assert.deepEqual(table.body.rows.at(-1).slice(-1), ["RUNNING"]);
  const csv = await fetch(`${server.base}/api/v1/studies/big/trials/table?format=csv`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
  const lines = (await csv.text()).split("\r\n");
  assert.deepEqual([lines.length, lines[0], lines.at(-1)], [2006, table.body.columns.join(","), ""]);
  assert.equal(lines[1500].split(",")[0], "1499");
  const journal = (await server.call("GET", "/api/v1/studies/big/journal")).body;
  assert.ok(journal.events.length > 2 * 4096, `${journal.events.length} events`);
  // A copy from the journal: imported, so compacted at once.
  const imported = await fetch(`${server.base}/api/v1/studies/copy/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
    body: JSON.stringify(journal),
  });
  assert.equal(imported.status, 201, await imported.text());
  // Both journals are stored mostly packed: two chunks or more each, fewer than 4096
  // JSON rows after them.
  const stored = storedJournals();
  assert.ok(stored.chunks >= 4, JSON.stringify(stored));
  assert.equal(stored.rows.length, 2, JSON.stringify(stored));
  assert.ok(stored.rows.every((n) => n < 4096), JSON.stringify(stored));

  await server.restart();

  assert.deepEqual(await allTrials("big"), trials);
  assert.deepEqual((await server.call("GET", "/api/v1/studies/big/journal")).body, journal);
  const copied = await allTrials("copy");
  assert.deepEqual(copied.map((t) => [t.number, t.state, t.params, t.values]), trials.map((t) => [t.number, t.state, t.params, t.values]));
  const view = (await server.call("GET", "/api/v1/studies/big")).body;
  assert.deepEqual(view.trial_counts, { RUNNING: 1, COMPLETE: 1963, PRUNED: 0, FAIL: 40, WAITING: 0 });
  // The woken study and the copy suggest the same next trial; so do they again after
  // more tells, past the next compaction.
  for (let i = 0; i < 3; i++) {
    const a = await server.call("POST", "/api/v1/studies/big/trials/suggest");
    const b = await server.call("POST", "/api/v1/studies/copy/trials/suggest");
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual([a.body.trial_number, a.body.params], [b.body.trial_number, b.body.params]);
    for (const study of ["big", "copy"]) {
      const c = await server.call("POST", `/api/v1/studies/${study}/trials/${a.body.trial_number}/complete`, { body: { value: i / 10 } });
      assert.equal(c.status, 200, JSON.stringify(c.body));
    }
  }
  assert.equal((await trialsOf("big")).total, 2007);
});

test("a windowed study goes past MAX_TRIALS_PER_STUDY, keeps every trial in storage and wakes from its snapshot", { timeout: 300_000 }, async () => {
  const created = await server.call("POST", "/api/v1/studies", {
    body: { study_name: "windowed", search_space: space, seed: 7, history_window: 100, sampler: { type: "tpe", n_startup_trials: 10 } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  for (let from = 0; from < 3000; from += 1000) {
    const added = await addTrials("windowed", batch(from, 1000));
    assert.equal(added.isError, false, JSON.stringify(added.content));
  }
  for (let i = 0; i < 3; i++) {
    const s = await server.call("POST", "/api/v1/studies/windowed/trials/suggest");
    assert.equal(s.status, 200, JSON.stringify(s.body));
    await server.call("POST", `/api/v1/studies/windowed/trials/${s.body.trial_number}/report`, { body: { value: i, step: 0 } });
    if (i < 2) await server.call("POST", `/api/v1/studies/windowed/trials/${s.body.trial_number}/complete`, { body: { value: i } });
  }
  const view = (await server.call("GET", "/api/v1/studies/windowed")).body;
  assert.deepEqual([view.n_trials, view.history_window], [3003, 100]);
  assert.ok(view.n_trials_in_memory <= 102, JSON.stringify(view));
  const trials = await allTrials("windowed");
  assert.deepEqual(trials.map((t) => t.number), [...Array(3003).keys()]);
  const journal = (await server.call("GET", "/api/v1/studies/windowed/journal")).body;
  assert.ok(journal.events.length > 3 * 4096, `${journal.events.length} events`);
  const imported = await fetch(`${server.base}/api/v1/studies/windowed-copy/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
    body: JSON.stringify(journal),
  });
  assert.equal(imported.status, 201, await imported.text());
  assert.ok(storedJournals().snapshots >= 2, JSON.stringify(storedJournals()));

  await server.restart();

  assert.deepEqual(await allTrials("windowed"), trials);
  assert.deepEqual((await server.call("GET", "/api/v1/studies/windowed/journal")).body, journal);
  assert.deepEqual((await allTrials("windowed-copy")).map((t) => [t.number, t.state, t.params, t.values]), trials.map((t) => [t.number, t.state, t.params, t.values]));
  for (let i = 0; i < 3; i++) {
    const a = await server.call("POST", "/api/v1/studies/windowed/trials/suggest");
    const b = await server.call("POST", "/api/v1/studies/windowed-copy/trials/suggest");
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual([a.body.trial_number, a.body.params], [b.body.trial_number, b.body.params]);
    for (const study of ["windowed", "windowed-copy"]) {
      const c = await server.call("POST", `/api/v1/studies/${study}/trials/${a.body.trial_number}/complete`, { body: { value: -i } });
      assert.equal(c.status, 200, JSON.stringify(c.body));
    }
  }
  const best = (await server.call("GET", "/api/v1/studies/windowed/best")).body;
  assert.equal(best.best_value, -2);
});

test("imports and added trials stop at MAX_TRIALS_PER_STUDY; oversized events are refused", { timeout: 120_000 }, async () => {
  const { createStudy } = await import(new URL("../../js/dist/index.js", import.meta.url).href);
  const local = createStudy({ studyName: "local", sampler: { type: "random" }, seed: 1 });
  for (let i = 0; i < 2501; i++) {
    const t = local.ask();
    local.tell(t, t.suggestFloat("x", 0, 1));
  }
  const r = await fetch(`${server.base}/api/v1/studies/too-many/journal`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
    body: local.toJournal(),
  });
  const body = await r.json();
  assert.equal(r.status, 409, JSON.stringify(body));
  assert.equal(body.error.field, "journal");
  assert.match(body.error.message, /2501 trials, more than MAX_TRIALS_PER_STUDY = 2500/);
  assert.equal((await server.call("GET", "/api/v1/studies/too-many")).status, 404);

  // An event no request could make (SQLite holds at most 2 MB per row): refused whole,
  // with nothing stored, so the name stays free.
  const big = createStudy({ studyName: "big-attr", sampler: { type: "random" }, seed: 1 });
  for (let i = 0; i < 3; i++) big.tell(big.ask(), i);
  big.setUserAttr("notes", "x".repeat(2_500_000));
  big.tell(big.ask(), 3);
  for (let attempt = 0; attempt < 2; attempt++) {
    const refused = await fetch(`${server.base}/api/v1/studies/big-attr/journal`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
      body: big.toJournal(),
    });
    const error = (await refused.json()).error;
    assert.equal(refused.status, 400, JSON.stringify(error));
    assert.equal(error.field, "journal.events[7]");
    assert.match(error.message, /is 2500\d+ bytes of JSON; an event may be at most 1048576 bytes/);
    assert.equal((await server.call("GET", "/api/v1/studies/big-attr")).status, 404);
  }

  await server.call("POST", "/api/v1/studies", { body: { study_name: "near", search_space: space } });
  const ok = await addTrials("near", batch(0, 1000));
  assert.equal(ok.isError, false);
  await addTrials("near", batch(1000, 1000));
  const over = await addTrials("near", batch(2000, 501));
  assert.equal(over.isError, true);
  assert.equal(over._meta["edgetune/error"].field, "trials");
  assert.match(over.content[0].text, /2000 trials in memory; 501 more would pass MAX_TRIALS_PER_STUDY = 2500/);
  assert.equal((await trialsOf("near")).total, 2000);
});
