// The built npm package in headless Chromium (Debian's, driven by playwright-core):
// the browser entry loads, reproduces the native determinism goldens bit for bit,
// throws typed errors and round-trips journals.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));
const types = { ".html": "text/html", ".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm" };
let server;
let browser;
let base;

before(async () => {
  server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
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
    executablePath: "/usr/bin/chromium",
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
  assert.equal(result.failure, undefined, result.failure);
  assert.match(result.userAgent, /Chrome/);
  const golden = JSON.parse(readFileSync(join(root, "tests/golden/determinism.json"), "utf8"));
  assert.equal(result.scenarios.length, golden.scenarios.length);
  for (const [i, scenario] of golden.scenarios.entries()) {
    assert.deepEqual(result.scenarios[i].trials, scenario.trials, `scenario ${scenario.name} in Chromium`);
  }
  assert.deepEqual(result.error, { isEdgetuneError: true, field: "directions[0]" });
  assert.equal(result.replayed, result.bestValue);
});
