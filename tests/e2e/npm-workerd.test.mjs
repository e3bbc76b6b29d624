// The npm package in workerd: a Worker importing "edgetune" (the `workerd` export
// condition, the wasm bundled as a module) reproduces the native determinism goldens bit
// for bit, throws typed errors and round-trips journals.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkDeterminism } from "../shared/determinism.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
let proc;
let base;
let log = "";

before(async () => {
  const port = await new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
  base = `http://127.0.0.1:${port}`;
  proc = spawn(join(root, "node_modules/.bin/wrangler"),
    ["dev", "--config", "tests/workerd/wrangler.toml", "--ip", "127.0.0.1", "--port", String(port), "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    try {
      await fetch(`${base}/`, { method: "HEAD" }); // any answer: the Worker is up
      return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer:\n${log}`);
}, { timeout: 240_000 });

after(() => {
  if (proc && proc.exitCode === null) process.kill(-proc.pid, "SIGKILL");
});

test("the npm package in workerd reproduces the native goldens and behaves", { timeout: 60_000 }, async () => {
  const r = await fetch(`${base}/`);
  const result = await r.json();
  assert.equal(r.status, 200, JSON.stringify(result));
  const golden = JSON.parse(readFileSync(join(root, "tests/golden/determinism.json"), "utf8"));
  checkDeterminism(assert, result, golden, "workerd");
  assert.equal(result.userAgent, "Cloudflare-Workers");
});
