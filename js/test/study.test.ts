// Tests of the built `edgetune` package, imported as users import it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createStudy, EdgetuneError, Study, TrialPruned, type SearchSpace } from "edgetune";

test("the README quick start works", async () => {
  const study = createStudy({
    studyName: "demo",
    directions: ["minimize"],
    sampler: { type: "random", seed: 42 },
    pruner: { type: "none" },
  });
  const trial = study.ask();
  const x = trial.suggestFloat("x", -5, 5);
  const n = trial.suggestInt("n", 1, 10);
  const o = trial.suggestCategorical("opt", ["adam", "sgd"]);
  assert.ok(x >= -5 && x <= 5);
  assert.ok(Number.isInteger(n) && n >= 1 && n <= 10);
  assert.ok(o === "adam" || o === "sgd");
  trial.report(0.5, 1);
  assert.equal(trial.shouldPrune(), false);
  assert.equal(study.tell(trial, x * x), "COMPLETE");

  await study.optimize(async (t) => {
    const a = t.suggestFloat("x", -5, 5);
    const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
    const d = t.suggestFloat("dropout", 0, 0.5, { step: 0.1 });
    const b = t.suggestInt("batch", 16, 128, { step: 16 });
    assert.ok(lr >= 1e-5 && lr <= 1);
    assert.ok(Math.abs(d * 10 - Math.round(d * 10)) < 1e-9);
    assert.equal(b % 16, 0);
    return a * a;
  }, { nTrials: 100 });

  assert.equal(study.trials.length, 101);
  const best = study.bestTrial!;
  assert.equal(best.state, "COMPLETE");
  assert.equal(study.bestValue, Math.min(...study.trials.map((t) => t.value!)));
  assert.deepEqual(study.bestParams, best.params);
  assert.equal(study.seed, 42);
});

test("tell takes values, states and checks them", () => {
  const study = createStudy({ directions: ["minimize", "maximize"], seed: 1 });
  const t = study.ask();
  assert.throws(() => study.tell(t, 1), (e: unknown) => e instanceof EdgetuneError && e.field === "values");
  assert.equal(study.tell(t, [1, 2]), "COMPLETE");
  assert.throws(() => study.tell(t, [1, 2]), (e: unknown) => e instanceof EdgetuneError && e.code === "trial_not_running");
  assert.equal(study.tell(study.ask(), { state: "fail", reason: "oom" }), "FAIL");
  assert.equal(study.tell(study.ask(), { state: "pruned" }), "PRUNED");
  assert.equal(study.tell(study.ask(), [NaN, 1]), "FAIL");
  assert.deepEqual(study.trials.map((x) => x.state), ["COMPLETE", "FAIL", "PRUNED", "FAIL"]);
  assert.equal(study.trials[1].failReason, "oom");
  assert.throws(() => study.bestTrial, EdgetuneError);
});

test("bad options and arguments throw EdgetuneError naming the field", () => {
  const cases: [() => unknown, string][] = [
    [() => createStudy({ directions: ["up" as never] }), "directions[0]"],
    [() => createStudy({ sampler: { type: "bogus" } as never }), "sampler.type"],
    [() => createStudy({ studyName: "has space" }), "name"],
    [() => createStudy({ sampler: { type: "random", seed: 1 }, seed: 2 }), "seed"],
    [() => createStudy({ bogus: 1 } as never), "options.bogus"],
    [() => createStudy().ask().suggestFloat("x", 1, 0), "distribution.low"],
    [() => createStudy().ask().suggestFloat("x", 0, 1, { log: true }), "distribution.low"],
    [() => createStudy().ask().suggestFloat("x", "0" as never, 1), "distribution.low"],
    [() => createStudy().ask().suggestFloat("x", Number.NaN, 1), "distribution.low"],
    [() => createStudy().ask().suggestFloat("x", 0, 1, { step: -1 }), "distribution.step"],
    [() => createStudy().ask().suggestFloat("x", 0, 1, { log: "yes" as never }), "distribution.log"],
    [() => createStudy().ask().suggestInt("n", 0, 1.5), "distribution.high"],
    [() => createStudy().ask().suggestInt("n", 1, 8, { log: true, step: 2 }), "distribution.step"],
    [() => createStudy().ask().suggestCategorical("c", []), "distribution.choices"],
    [() => createStudy().ask().report(1, -1), "step"],
    [() => { const s = createStudy(); s.tell(s.ask(), "1" as never); }, "outcome"],
    [() => { const s = createStudy(); s.tell(s.ask(), { state: "done" } as never); }, "outcome.state"],
    [() => { const s = createStudy(); s.tell(s.ask(), { state: "complete", values: [1, "a"] } as never); }, "outcome.values[1]"],
    [() => { const s = createStudy(); s.tell(s.ask(), { state: "pruned", values: [1] } as never); }, "outcome.values"],
    [() => { const s = createStudy(); s.tell(s.ask(), { state: "fail", reason: 3 } as never); }, "outcome.reason"],
    [() => createStudy().ask([{ name: "x", type: "float", low: 2, high: 1 }]), "search_space[0].low"],
  ];
  for (const [f, field] of cases) {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof EdgetuneError, `not an EdgetuneError: ${e}`);
      assert.equal(e.field, field, e.message);
      return true;
    });
  }
});

test("optimize records failures and prunes", async () => {
  const study = createStudy({ seed: 3 });
  await assert.rejects(
    study.optimize(() => {
      throw new Error("objective exploded");
    }, { nTrials: 5 }),
    /objective exploded/,
  );
  assert.equal(study.trials[0].state, "FAIL");
  assert.equal(study.trials[0].failReason, "objective exploded");
  await study.optimize((t) => {
    t.report(1, 0);
    throw new TrialPruned();
  }, { nTrials: 2 });
  assert.deepEqual(study.trials.slice(1).map((t) => [t.state, t.value]), [["PRUNED", 1], ["PRUNED", 1]]);
  await assert.rejects(study.optimize(() => 1), EdgetuneError);
});

test("journals round-trip and the study continues identically", () => {
  const a = createStudy({ seed: 7 });
  a.setUserAttr("owner", { team: "ml" });
  a.enqueueTrial({ x: 0.5 });
  for (let i = 0; i < 10; i++) {
    const t = a.ask();
    const x = t.suggestFloat("x", -1, 1);
    t.setUserAttr("i", i);
    a.tell(t, x * x);
  }
  assert.equal(a.trials[0].params.x, 0.5);
  const b = Study.fromJournal(a.toJournal());
  assert.deepEqual(b.trials, a.trials);
  assert.deepEqual(b.userAttrs, { owner: { team: "ml" } });
  assert.equal(b.ask().suggestFloat("y", 0, 1), a.ask().suggestFloat("y", 0, 1));
  assert.throws(() => Study.fromJournal("{}"), (e: unknown) => e instanceof EdgetuneError && e.code === "invalid_journal");
  const parsed = JSON.parse(a.toJournal());
  parsed.version = 2;
  assert.throws(() => Study.fromJournal(parsed), /version 2/);
});

test("a history window: memory keeps the window, snapshots wake the study with the journal's tail", () => {
  const space: SearchSpace = [{ name: "x", type: "float", low: -2, high: 2 }, { name: "k", type: "int", low: 0, high: 4 }];
  const live = createStudy({ seed: 3, historyWindow: 25, sampler: { type: "tpe", nStartupTrials: 5 } });
  const run = (study: Study, n: number) => {
    for (let i = 0; i < n; i++) {
      const t = study.ask(space);
      const { x, k } = t.params as { x: number; k: number };
      study.tell(t, (x - 0.5) ** 2 + k);
    }
  };
  run(live, 40);
  const mid = live.snapshot();
  run(live, 30);
  assert.deepEqual([live.nTrials, live.historyWindow], [70, 25]);
  // Every trial is still listed; the best is the best of all 70.
  const all = live.trials;
  assert.deepEqual(all.map((t) => t.number), [...Array(70).keys()]);
  assert.equal(live.bestValue, Math.min(...all.map((t) => t.value!)));
  // Woken from the snapshot and caught up with the journal: the same next trial as the
  // live study and as a full replay.
  const woken = Study.fromSnapshot(mid, live.toJournal());
  const replayed = Study.fromJournal(live.toJournal());
  const next = [live, woken, replayed].map((s) => s.ask(space).params);
  assert.deepEqual(next[1], next[0]);
  assert.deepEqual(next[2], next[0]);
  // A woken study holds only the events after its snapshot: its journal is elsewhere.
  assert.throws(() => Study.fromSnapshot(live.snapshot()).toJournal(), /snapshot/);
  assert.throws(() => Study.fromSnapshot("{}"), (e: unknown) => e instanceof EdgetuneError && e.code === "invalid_journal");
  assert.throws(() => live.setHistoryWindow(5), (e: unknown) => e instanceof EdgetuneError && e.field === "history_window");
  assert.throws(() => createStudy({ historyWindow: 3 }), (e: unknown) => e instanceof EdgetuneError && e.field === "history_window");
});

test("Optuna's journal files: a study written and read back, and bad ones refused", () => {
  const a = createStudy({ studyName: "op", seed: 5, metricNames: ["loss"] });
  a.setUserAttr("owner", "ml");
  for (let i = 0; i < 8; i++) {
    const t = a.ask([{ name: "x", type: "float", low: -1, high: 1 }, { name: "c", type: "categorical", choices: ["a", "b"] }]);
    t.setUserAttr("i", i);
    if (i === 3) a.tell(t, { state: "fail", reason: "boom" });
    else a.tell(t, (t.params.x as number) ** 2);
  }
  const text = a.toOptunaJournal();
  assert.equal(text.split("\n").filter(Boolean)[0], '{"op_code":0,"worker_id":"edgetune","study_name":"op","directions":[1]}');
  const b = Study.fromOptunaJournal(text, { studyName: "back", seed: 5 });
  assert.equal(b.studyName, "back");
  assert.deepEqual(b.userAttrs, { owner: "ml" });
  assert.deepEqual(b.trials.map((t) => [t.number, t.state, t.params, t.value, t.userAttrs]), a.trials.map((t) => [t.number, t.state, t.params, t.value, t.userAttrs]));
  assert.equal(b.bestValue, a.bestValue);
  assert.throws(() => Study.fromOptunaJournal(text, { fromStudyName: "nope" }), (e: unknown) => e instanceof EdgetuneError && e.field === "study_name" && /no study named "nope"/.test(e.message));
  assert.throws(() => Study.fromOptunaJournal('{"op_code": 99}'), (e: unknown) => e instanceof EdgetuneError && /unknown op_code 99/.test(e.message));
});

test("every determinism scenario matches the native golden file", async () => {
  const golden = JSON.parse(readFileSync(new URL("../../tests/golden/determinism.json", import.meta.url), "utf8"));
  // The runner Chromium and workerd use too (a plain module, so imported by its URL).
  const shared = new URL("../../tests/shared/determinism.mjs", import.meta.url).href;
  const { runDeterminism, checkDeterminism } = await import(shared);
  checkDeterminism(assert, await runDeterminism({ createStudy, Study, EdgetuneError }, golden), golden, "Node");
});

test("constraints steer TPE away from infeasible regions", async () => {
  const study = createStudy({ sampler: { type: "tpe", seed: 5 } });
  await study.optimize((t) => {
    const x = t.suggestFloat("x", -5, 5);
    t.setConstraints([x]); // x > 0 is infeasible
    return (x - 2) ** 2;
  }, { nTrials: 40 });
  assert.deepEqual(study.trials[0].constraints?.length, 1);
  const late = study.trials.slice(20).filter((t) => (t.params.x as number) <= 0).length;
  assert.ok(late >= 8, `${late} feasible of the last 20`);
  assert.throws(() => study.ask().setConstraints([NaN]), (e: unknown) => e instanceof EdgetuneError && e.field === "constraints[0]");
});

test("pruners prune from JS, with camelCase options and Optuna's names", async () => {
  const study = createStudy({ seed: 2, pruner: { type: "MedianPruner", nStartupTrials: 3, nWarmupSteps: 1 } });
  let pruned = 0;
  await study.optimize((t) => {
    const level = t.suggestFloat("level", 0, 10);
    for (let step = 0; step < 10; step++) {
      t.report(level + 1 / (step + 1), step);
      if (t.shouldPrune()) {
        pruned++;
        throw new TrialPruned();
      }
    }
    return level;
  }, { nTrials: 30 });
  assert.ok(pruned >= 5, `${pruned} pruned`);
  assert.equal(study.trials.filter((t) => t.state === "PRUNED").length, pruned);
  const patient = createStudy({
    pruner: { type: "patient", patience: 2, wrappedPruner: { type: "successive_halving", minResource: 1 } },
  });
  assert.equal(patient.ask().shouldPrune(), false);
  assert.throws(
    () => createStudy({ pruner: { type: "percentile", percentile: 120 } }),
    (e: unknown) => e instanceof EdgetuneError && e.field === "pruner.percentile",
  );
});

test("best trials, Pareto front, hypervolume and the trials table", () => {
  const study = createStudy({ directions: ["minimize", "maximize"], sampler: { type: "random" } });
  for (const v of [[1, 1], [2, 3], [3, 2], [0.5, 0.5]]) study.tell(study.ask(), v);
  assert.deepEqual(study.bestTrials.map((t) => t.number), [0, 1, 3]);
  assert.deepEqual(study.paretoFront().map((t) => t.number), [0, 1, 3]);
  assert.ok(Math.abs(study.hypervolume([4, 0]) - 7.25) < 1e-12);
  assert.throws(() => study.hypervolume([1]), (e: unknown) => e instanceof EdgetuneError && e.field === "reference");
  const table = study.trialsTable();
  assert.deepEqual(table.columns.slice(0, 3), ["number", "values_0", "values_1"]);
  assert.equal(table.rows.length, 4);
  const csv = study.trialsTable({ format: "csv" });
  assert.ok(csv.startsWith("number,values_0,values_1,"), csv);
  assert.equal(csv.trim().split("\r\n").length, 5);
});

test("importance ranks the parameter that matters first", async () => {
  const study = createStudy({ sampler: { type: "random", seed: 4 } });
  await study.optimize((t) => 10 * t.suggestFloat("big", -1, 1) ** 2 + 0.01 * t.suggestFloat("small", -1, 1), { nTrials: 120 });
  const imp = study.importance();
  assert.deepEqual(Object.keys(imp), ["big", "small"]);
  assert.ok(Math.abs(imp.big + imp.small - 1) < 1e-12 && imp.big > 0.8);
  for (const evaluator of ["fanova", "mdi"] as const) {
    const forest = study.importance({ evaluator });
    assert.deepEqual(Object.keys(forest), ["big", "small"], evaluator);
    assert.ok(forest.big > 0.8, `${evaluator}: ${JSON.stringify(forest)}`);
  }
  assert.throws(() => study.importance({ evaluator: "shap" as never }), (e: unknown) => e instanceof EdgetuneError && e.field === "evaluator");
});

test("optimize runs concurrently, stops on a signal, reports trials and catches", async () => {
  const study = createStudy({ seed: 8 });
  let inFlight = 0;
  let maxInFlight = 0;
  const seen: number[] = [];
  await study.optimize(async (t) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const x = t.suggestFloat("x", -1, 1);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return x * x;
  }, { nTrials: 24, concurrency: 4, onTrial: (r) => seen.push(r.number) });
  assert.equal(maxInFlight, 4);
  assert.equal(study.trials.length, 24);
  assert.deepEqual(seen.slice().sort((a, b) => a - b), [...Array(24).keys()]);

  const controller = new AbortController();
  const stopped = createStudy({ seed: 9 });
  await stopped.optimize(async (t) => t.suggestFloat("x", 0, 1), {
    signal: controller.signal,
    onTrial: (r) => { if (r.number === 4) controller.abort(); },
  });
  assert.equal(stopped.trials.length, 5);

  class Flaky extends Error {}
  const lenient = createStudy({ seed: 10 });
  await lenient.optimize((t) => {
    const x = t.suggestFloat("x", 0, 1);
    if (t.number % 3 === 0) throw new Flaky(`flaky ${t.number}`);
    return x;
  }, { nTrials: 9, catch: [Flaky] });
  assert.equal(lenient.trials.length, 9);
  assert.deepEqual(lenient.trials.filter((t) => t.state === "FAIL").map((t) => t.failReason), ["flaky 0", "flaky 3", "flaky 6"]);
  const strict = createStudy({ seed: 11 });
  await assert.rejects(strict.optimize((t) => { if (t.number === 2) throw new Flaky("stop"); return 1; }, { nTrials: 9, concurrency: 2 }), Flaky);
  assert.ok(strict.trials.length < 9);
  assert.equal(strict.trials.filter((t) => t.state === "RUNNING").length, 0, "running trials finish before the error is rethrown");
  await assert.rejects(strict.optimize(() => 1, { nTrials: 1, concurrency: 0 }), (e: unknown) => e instanceof EdgetuneError && e.field === "concurrency");
});

test("TPE options from JS are camelCase and checked", async () => {
  const study = createStudy({ sampler: { type: "tpe", seed: 3, nStartupTrials: 5, constantLiar: false } });
  await study.optimize((t) => t.suggestFloat("x", -5, 5) ** 2, { nTrials: 30 });
  assert.ok(study.bestValue! < 1);
  assert.throws(
    () => createStudy({ sampler: { type: "tpe", nEiCandidates: 0 } }),
    (e: unknown) => e instanceof EdgetuneError && e.field === "sampler.n_ei_candidates",
  );
  assert.throws(
    () => createStudy({ sampler: { type: "tpe", nStartup: 5 } as never }),
    (e: unknown) => e instanceof EdgetuneError && e.field === "sampler.n_startup",
  );
});

test("progress draws a bar in a terminal and tenths in a log", async () => {
  const { progress } = await import("edgetune");
  const tty: string[] = [];
  const study = createStudy({ seed: 2, sampler: { type: "random" }, directions: ["maximize"] });
  await study.optimize((t) => t.suggestFloat("x", 0, 1), {
    nTrials: 20,
    onTrial: progress(study, { nTrials: 20, width: 10, stream: { isTTY: true, write: (s: string) => tty.push(s) } }),
  });
  assert.equal(tty.length, 20);
  assert.ok(tty.every((s) => s.startsWith("\r[")), tty[0]);
  const last = tty[19];
  assert.match(last, /^\r\[#{10}\] 20\/20 [\d.]+s · 20 complete · best [\d.]+\x1b\[K\n$/);
  assert.ok(last.includes(`best ${+study.bestValue!.toPrecision(6)}`), last);
  const log: string[] = [];
  const other = createStudy({ seed: 3 });
  await other.optimize((t) => t.suggestFloat("x", 0, 1), {
    nTrials: 100,
    onTrial: progress(other, { nTrials: 100, stream: { write: (s: string) => log.push(s) } }),
  });
  assert.equal(log.length, 11, log.join(""));
  assert.match(log[10], /^\[#{30}\] 100\/100 /);
  assert.throws(() => progress(other, { nTrials: 0 }), (e: unknown) => e instanceof EdgetuneError && e.field === "nTrials");
});

test("options keyed by parameter names keep the names as written (CMA-ES x0)", () => {
  const study = createStudy({ seed: 1, sampler: { type: "cmaes", x0: { learningRate: 0.9, otherParam: 0.1 }, sigma0: 0.001 } });
  const space: SearchSpace = [
    { name: "learningRate", type: "float", low: 0, high: 1 },
    { name: "otherParam", type: "float", low: 0, high: 1 },
  ];
  for (let i = 0; i < 4; i++) {
    const trial = study.ask(space);
    const { learningRate, otherParam } = trial.params as { learningRate: number; otherParam: number };
    if (i > 0) {
      // CMA-ES starts from x0 with a tiny step: every draw sits at it.
      assert.ok(Math.abs(learningRate - 0.9) < 0.02 && Math.abs(otherParam - 0.1) < 0.02, JSON.stringify(trial.params));
    }
    study.tell(trial, learningRate + otherParam);
  }
});
