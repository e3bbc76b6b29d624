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
  executablePath: "/usr/bin/chromium",
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
} finally {
  await browser.close();
  server.close();
}
const ms = (v) => `${Math.round(v)} ms`;
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
];
writeFileSync(join(root, `${out}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
