// Studies that run forever, through the real Worker build under wrangler dev with
// MAX_TRIALS_PER_STUDY lowered to 60: an automation folds past the cap because the
// study gets a history window at its first fold (recorded in its journal); every
// folded trial stays readable, its observation id stays a duplicate forever; a study
// whose creator opted out of a window stops at the cap, and the run's audit names the
// cause and the fix. A study stored before the trials table existed gets its rows when
// it first loads, and a step a sampler refuses stores nothing though the object keeps no
// journal in memory.
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DevServer } from "./server.mjs";

const server = new DevServer({ MAX_TRIALS_PER_STUDY: "60" });
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const space = [
  { name: "temperature", type: "float", low: 0, high: 1 },
  { name: "top_k", type: "int", low: 1, high: 10 },
];
const obs = (id, value) => ({ id: String(id), params: { temperature: (id % 97) / 97, top_k: 1 + (id % 10) }, value });

async function study(name, extra = {}) {
  const r = await server.call("POST", "/api/v1/studies", { body: { study_name: name, search_space: space, seed: 5, direction: "maximize", ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

/** Sends 12 observations numbered from `from`, then forces a run of `automation`. */
async function foldRound(automation, name, from) {
  const batch = Array.from({ length: 12 }, (_, i) => obs(from + i, Math.sin(from + i)));
  const sent = await server.call("POST", `/api/v1/studies/${name}/observations`, { body: { observations: batch } });
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  const run = await server.call("POST", `/api/v1/automations/${automation}/run`, { body: { force: true } });
  assert.equal(run.status, 200, JSON.stringify(run.body));
  return run.body.studies[0];
}

test("an automation folds past MAX_TRIALS_PER_STUDY: its study gets a history window", { timeout: 180_000 }, async () => {
  await study("prod");
  const put = await server.call("PUT", "/api/v1/automations/hourly", { body: { studies: ["prod"], recommendations: 2 } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  for (let round = 0; round < 10; round++) {
    const run = await foldRound("hourly", "prod", round * 12);
    assert.deepEqual([run.outcome, run.folded, run.recommendation_version], ["succeeded", 12, round + 1], JSON.stringify(run));
  }
  const view = (await server.call("GET", "/api/v1/studies/prod")).body;
  // Half the cap, as the cap (60) is below the default window (1000).
  assert.equal(view.history_window, 30);
  assert.equal(view.n_trials, 120);
  assert.ok(view.n_trials_in_memory <= 31, JSON.stringify(view));
  assert.equal(view.trial_counts.COMPLETE, 120);
  // The window is a journal event, right before the first folded trial.
  const journal = (await server.call("GET", "/api/v1/studies/prod/journal")).body;
  const at = journal.events.findIndex((e) => e.event === "history_window_set");
  assert.deepEqual(journal.events[at], { event: "history_window_set", window: 30 });
  assert.equal(journal.events[at + 1].event, "asked");
  // Every folded trial stays readable, the oldest too.
  const first = (await server.call("GET", "/api/v1/studies/prod/trials?limit=5")).body;
  assert.equal(first.total, 120);
  assert.deepEqual(first.trials.map((t) => t.number), [0, 1, 2, 3, 4]);
  assert.equal(first.trials[0].user_attrs.observation_id, "0");
  const table = await server.call("GET", "/api/v1/studies/prod/trials/table");
  assert.equal(table.status, 200, JSON.stringify(table.body));
  assert.equal(table.body.rows.length, 120);
  // The best trial is the best of all 120, whether or not it is in the window.
  const best = (await server.call("GET", "/api/v1/studies/prod/best")).body;
  const values = Array.from({ length: 120 }, (_, i) => Math.sin(i));
  assert.equal(best.best_value, Math.max(...values));
  const rec = (await server.call("GET", "/api/v1/studies/prod/recommendation")).body;
  assert.equal(rec.best.value, Math.max(...values));
  // An id folded long ago, out of memory: still a duplicate.
  const again = await server.call("POST", "/api/v1/studies/prod/observations", { body: { observations: [obs(3, 0.5)] } });
  assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 1]);
});

test("a study that opted out of a window stops at the cap, and the audit says why and what to do", { timeout: 120_000 }, async () => {
  await study("pinned", { history_window: 0 });
  const put = await server.call("PUT", "/api/v1/automations/pinned-hourly", { body: { studies: ["pinned"] } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  for (let round = 0; round < 5; round++) {
    const run = await foldRound("pinned-hourly", "pinned", round * 12);
    assert.equal(run.outcome, "succeeded", JSON.stringify(run));
  }
  const failed = await foldRound("pinned-hourly", "pinned", 60);
  assert.equal(failed.outcome, "failed", JSON.stringify(failed));
  assert.match(failed.error, /MAX_TRIALS_PER_STUDY = 60/);
  assert.match(failed.error, /created with history_window: 0/);
  assert.match(failed.error, /Fix: create the study with a history_window/);
  const audit = (await server.call("GET", "/api/v1/automations/pinned-hourly/runs?limit=1")).body.runs[0];
  assert.equal(audit.studies[0].error, failed.error);
  // Nothing of the failed fold is stored: its observations wait, the study is as it was.
  const pending = (await server.call("GET", "/api/v1/studies/pinned/observations?state=pending")).body;
  assert.equal(pending.total, 12);
  const view = (await server.call("GET", "/api/v1/studies/pinned")).body;
  assert.deepEqual([view.n_trials, view.history_window], [60, undefined]);
});

test("history_window is checked where a study is created", async () => {
  for (const [history_window, reason] of [[5, /0 \(no window\) or 20 to 1000000, got 5/], [-1, /history_window/], ["big", /history_window/]]) {
    const r = await server.call("POST", "/api/v1/studies", { body: { study_name: "bad-window", history_window } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, "history_window");
    assert.match(r.body.error.message, reason);
  }
  // Set later, over HTTP: a journal event; 0 and bad sizes refused, naming the field.
  await study("later");
  const set = await server.call("PUT", "/api/v1/studies/later/history_window", { body: { history_window: 25 } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.history_window, 25);
  for (const [history_window, reason] of [[0, /never removed/], [10, /20 to 1000000/], ["x", /history_window/]]) {
    const bad = await server.call("PUT", "/api/v1/studies/later/history_window", { body: { history_window } });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.equal(bad.body.error.field, "history_window");
    assert.match(bad.body.error.message, reason);
  }
  const events = (await server.call("GET", "/api/v1/studies/later/journal")).body.events.map((e) => e.event);
  assert.deepEqual(events, ["created", "history_window_set"]);
  const brute = await server.call("POST", "/api/v1/studies", { body: { study_name: "bad-window", history_window: 50, sampler: "brute_force" } });
  assert.equal(brute.status, 400);
  assert.match(brute.body.error.message, /must see every trial/);
  assert.equal((await server.call("GET", "/api/v1/studies/bad-window")).status, 404);
});

test("a study stored before the trials table existed gets its rows when it loads", { timeout: 120_000 }, async () => {
  await study("older");
  for (let i = 0; i < 7; i++) {
    const s = await server.call("POST", "/api/v1/studies/older/trials/suggest");
    await server.call("POST", `/api/v1/studies/older/trials/${s.body.trial_number}/complete`, { body: { value: i } });
  }
  const before = (await server.call("GET", "/api/v1/studies/older/trials")).body;
  assert.equal(before.total, 7);
  await server.stop();
  // As the storage of an older build: no trials table, no record of it.
  const script = `import glob, sqlite3, sys
for path in glob.glob(sys.argv[1] + "/**/*.sqlite", recursive=True):
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "trials" in tables and "observations" not in tables:
        db.execute("DROP TABLE trials")
        db.execute("DROP TABLE meta")
        db.commit()`;
  execFileSync("python3", ["-c", script, server.persist]);
  await server.start();
  const after = (await server.call("GET", "/api/v1/studies/older/trials")).body;
  assert.deepEqual(after, before);
});

test("a step a sampler refuses stores nothing, though the object keeps no journal in memory", async () => {
  const r = await server.call("POST", "/api/v1/studies", {
    body: { study_name: "refusing", sampler: "brute_force", search_space: [{ name: "x", type: "float", low: -1, high: 1 }] },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  for (let i = 0; i < 2; i++) {
    const refused = await server.call("POST", "/api/v1/studies/refusing/trials/suggest");
    assert.ok(refused.status >= 400 && refused.status < 500, JSON.stringify(refused.body));
    const view = (await server.call("GET", "/api/v1/studies/refusing")).body;
    assert.deepEqual([view.n_trials, view.trial_counts.RUNNING], [0, 0]);
  }
  const stepped = [{ name: "x", type: "float", low: -1, high: 1, step: 0.5 }];
  const ok = await server.call("POST", "/api/v1/studies/refusing/trials/suggest", { body: { search_space: stepped } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.trial_number, 0);
  const journal = (await server.call("GET", "/api/v1/studies/refusing/journal")).body;
  assert.deepEqual(journal.events.map((e) => e.event), ["created", "asked", "param_set"]);
});
