// The built npm package in headless Chromium (Debian's, driven by playwright-core):
// the browser entry loads, reproduces the native determinism goldens bit for bit,
// throws typed errors and round-trips journals.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { checkDeterminism } from "../shared/determinism.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm", ".css": "text/css", ".mjs": "text/javascript" };
let server;
let browser;
let base;

before(async () => {
  server = createServer((req, res) => {
    let path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    if (path.endsWith("/")) path = join(path, "index.html");
    if (!path.startsWith(root) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    createReadStream(path).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    // playwright gives every launch a fresh, empty profile of its own.
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the npm package in Chromium reproduces the native goldens and behaves", { timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/tests/browser/index.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
  const result = await page.evaluate(() => window.__result);
  const golden = JSON.parse(readFileSync(join(root, "tests/golden/determinism.json"), "utf8"));
  checkDeterminism(assert, result, golden, "Chromium");
  assert.match(result.userAgent, /Chrome/);
});

test("examples/browser: 200 trials in the page, plotted live, equal to the same seed in Node", { timeout: 180_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const seen = [];
  await page.goto(`${base}/examples/browser/`);
  // While it runs, the history grows; when it is done, it shows every COMPLETE trial.
  for (let i = 0; i < 1500; i++) {
    const state = await page.evaluate(() => {
      const chart = globalThis.edgetuneDashboard?.charts.history;
      return { done: document.body.dataset.done, points: chart ? chart.getOption().series[0].data.length : 0 };
    });
    seen.push(state.points);
    if (state.done) break;
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(800); // one more poll after the last trial
  const result = await page.evaluate(() => {
    const d = globalThis.edgetuneDashboard;
    const series = (id) => d.charts[id].getOption().series.map((s) => s.data.filter((x) => x !== "-").length);
    return {
      ...window.__result,
      best: document.getElementById("best").textContent,
      complete: d.trials.filter((t) => t.state === "COMPLETE").length,
      pruned: d.trials.filter((t) => t.state === "PRUNED").length,
      total: d.trials.length, history: series("history"), parallel: series("parallel"), intermediate: series("intermediate"),
    };
  });
  assert.deepEqual(errors, []);
  assert.equal(result.total, 200);
  assert.ok(result.pruned > 0, "the median pruner pruned some trials");
  assert.deepEqual(result.history, [result.complete, result.complete]);
  assert.deepEqual(result.parallel, [result.complete]);
  assert.ok(result.intermediate[1] > 0, "pruned curves are drawn");
  assert.ok(seen.some((n) => n > 0 && n < result.complete), `plots updated while running: ${seen.join(",")}`);
  assert.match(result.best, new RegExp(`^200 trials, best so far ${result.bestValue.toPrecision(6)}$`));
  assert.ok(result.bestValue < 0.3, `TPE found a good configuration: ${result.bestValue}`);
  // The same seed and objective in Node: every trial's state and value, bit for bit.
  const { createStudy, TrialPruned } = await import(join(root, "js/dist/index.js"));
  const { objective, studyOptions } = await import(join(root, "examples/browser/objective.js"));
  const study = createStudy(studyOptions);
  await study.optimize(objective(TrialPruned), { nTrials: 200 });
  assert.deepEqual(result.values, study.trials.map((t) => [t.state, t.value ?? null]));
  assert.equal(result.bestValue, study.bestValue);
  mkdirSync(join(root, "tests/artifacts"), { recursive: true });
  await page.screenshot({ path: join(root, "tests/artifacts/example-browser.png"), fullPage: true });
});
