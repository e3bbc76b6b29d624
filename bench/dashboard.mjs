// `bench/run dashboard`: the dashboard's components in headless Chromium on local studies
// of 1,000 and 10,000 trials (bench/dashboard/index.html), one and two objectives. Prints
// and writes bench/results/dashboard.md: milliseconds to the first full render, to a
// redraw of every plot, and to sort, filter and search the trials table.
//   node bench/dashboard.mjs [SIZES_JSON] [OUT_PREFIX]
import { createReadStream, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { DevServer, KEYS } from "../tests/e2e/server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  let path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  if (path.endsWith("/")) path = join(path, "index.html");
  if (!path.startsWith(root) || !existsSync(path)) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
  createReadStream(path).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const sizes = JSON.parse(process.argv[2] ?? "[1000, 10000]");
const out = process.argv[3] ?? "bench/results/dashboard";
const rows = [];
try {
  for (const objectives of [1, 2]) {
    for (const trials of sizes) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
      await page.goto(`http://127.0.0.1:${server.address().port}/bench/dashboard/?trials=${trials}&objectives=${objectives}`);
      await page.waitForFunction(() => window.__result, null, { timeout: 600_000, polling: 100 });
      const r = await page.evaluate(() => window.__result);
      console.error(JSON.stringify(r));
      rows.push(r);
      await page.close();
    }
  }
  if (process.argv.includes("--http")) rows.push(await overHttp(10_000));
} finally {
  await browser.close();
  server.close();
}

/**
 * The dashboard served by the Worker (wrangler dev) on a study of `n` trials told
 * through the API: milliseconds from opening the study's page to every trial plotted
 * (10 pages of 1000 trials fetched), and to a newly told trial appearing by polling.
 */
async function overHttp(n) {
  const worker = new DevServer({ MAX_TRIALS_PER_STUDY: String(n + 10) });
  await worker.start();
  try {
    const space = [{ name: "lr", type: "float", low: 1e-5, high: 1, log: true }, { name: "width", type: "int", low: 8, high: 512 },
      { name: "dropout", type: "float", low: 0, high: 0.5 }, { name: "act", type: "categorical", choices: ["relu", "tanh", "gelu"] }];
    await worker.call("POST", "/api/v1/studies", { body: { study_name: "scale", search_space: space, sampler: "random", seed: 1 } });
    let left = n;
    const tell = async () => {
      const s = await worker.call("POST", "/api/v1/studies/scale/trials/suggest");
      const p = s.body.params;
      const v = (Math.log10(p.lr) + 3) ** 2 + 50 / p.width + p.dropout + (p.act === "gelu" ? 0 : 0.3);
      await worker.call("POST", `/api/v1/studies/scale/trials/${s.body.trial_number}/complete`, { body: { value: v } });
    };
    await Promise.all(Array.from({ length: 16 }, async () => { while (left-- > 0) await tell(); }));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(`${worker.base}/dashboard/`);
    await page.evaluate((key) => sessionStorage.setItem("edgetune.dashboard.key", key), KEYS.alpha);
    const points = () => page.evaluate(() => globalThis.edgetuneDashboard?.charts.history?.getOption().series[0].data.length ?? 0);
    const t0 = Date.now();
    await page.goto(`${worker.base}/dashboard/#/study/scale`);
    while ((await points()) < n) await page.waitForTimeout(20);
    const firstRender = Date.now() - t0;
    await tell();
    const t1 = Date.now();
    while ((await points()) < n + 1) await page.waitForTimeout(20);
    const live = Date.now() - t1;
    console.error(JSON.stringify({ n, firstRender, live }));
    return { objectives: "1 (HTTP)", trials: n, firstRender, redraw: NaN, sort: NaN, filter: NaN, search: NaN, live };
  } finally {
    await worker.stop();
  }
}
const ms = (v) => (Number.isFinite(v) ? `${Math.round(v)} ms` : "n/a");
const lines = [
  "# Dashboard at scale",
  "",
  "One run of `bench/run dashboard` in headless Chromium on a shared 2-core VM. The study is built in the page with",
  "the npm package (random sampler, 4 parameters; with one objective every 4th trial reports 10 intermediate",
  "values), then rendered by the dashboard's components from a `LocalSource`. First render: from mounting to every",
  "plot drawn (reading the trials out of wasm included); redraw: every plot again (the log-scale toggle); the",
  "table: sorting by a column, filtering by state, searching the parameters.",
  "",
  "| objectives | trials | first render | redraw | sort | filter | search |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.objectives} | ${r.trials} | ${ms(r.firstRender)} | ${ms(r.redraw)} | ${ms(r.sort)} | ${ms(r.filter)} | ${ms(r.search)} |`),
  ...rows.filter((r) => r.live !== undefined).flatMap((r) => ["",
    `Over HTTP (the Worker under \`wrangler dev\`, ${r.trials} trials told through the API): the first render includes`,
    `fetching the trials, 10 pages of 1000; a trial told afterwards appeared after ${ms(r.live)} (the page polls every 3 s).`]),
];
writeFileSync(join(root, `${out}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
