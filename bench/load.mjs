// The load benchmark of `bench/run load`: ask+tell cycles against the real Worker build
// under `wrangler dev`, and in the same run against the usual Python way to share a
// study over HTTP: a FastAPI + Optuna service (bench/reference/service.py) on Optuna's
// RDB storage over SQLite and, when a PostgreSQL server can be started, over
// PostgreSQL. Every target gets the same scenarios: 1, 8 and 32 concurrent clients, on
// one study or spread over 32 studies, each a fixed number of cycles on fresh studies
// (TPE, two parameters).
//
//   node bench/load.mjs CONFIG OUT_PREFIX [--python PATH]
//
// Writes OUT_PREFIX.md and .json: throughput (cycles/s), p50/p99 of a cycle's latency
// (suggest + complete), errors, and edgetune's throughput over the reference's.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DevServer, KEYS } from "../tests/e2e/server.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const [configText, outPrefix] = process.argv.slice(2);
const config = JSON.parse(configText);
const pythonAt = process.argv.indexOf("--python");
const python = pythonAt > 0 ? process.argv[pythonAt + 1] : null;
const space = [{ name: "x", type: "float", low: -5, high: 5 }, { name: "k", type: "int", low: 1, high: 9 }];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, proc, log) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`exited:\n${log()}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not healthy:\n${log()}`);
}

/** The reference service under uvicorn, on `storageUrl`. */
async function startReference(storageUrl) {
  const port = await freePort();
  let log = "";
  const workers = String(config.reference_workers ?? 2);
  const proc = spawn(python, ["-m", "uvicorn", "service:app", "--host", "127.0.0.1", "--port", String(port),
    "--workers", workers, "--log-level", "warning"], {
    cwd: join(here, "reference"), env: { ...process.env, STORAGE_URL: storageUrl }, detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, proc, () => log);
  return {
    base,
    headers: {},
    log: () => log,
    stop: async () => {
      const exited = new Promise((r) => proc.once("exit", r));
      process.kill(-proc.pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-proc.pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("exit", (code) => resolve({ code, out: out.trim() }));
  });
}

async function call(target, method, path, body) {
  const headers = { ...target.headers };
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(`${target.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text; // the reference answers a crash with a plain "Internal Server Error"
  }
  return { status: r.status, body: json };
}

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** One scenario: `clients` concurrent clients share `cycles` ask+tell cycles. */
async function scenario(target, label, clients, studies, cycles) {
  const names = Array.from({ length: studies }, (_, i) => `${label}-${i}`);
  for (const name of names) {
    const r = await call(target, "POST", "/api/v1/studies", { study_name: name, search_space: space, seed: 1 });
    if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  let next = 0;
  const latencies = [];
  const errors = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < cycles) {
      const name = names[next++ % studies];
      const t0 = performance.now();
      try {
        const s = await call(target, "POST", `/api/v1/studies/${name}/trials/suggest`);
        if (s.status !== 200) throw new Error(`suggest ${s.status}`);
        const value = s.body.params.x ** 2 + s.body.params.k;
        const c = await call(target, "POST", `/api/v1/studies/${name}/trials/${s.body.trial_number}/complete`, { value });
        if (c.status !== 200) throw new Error(`complete ${c.status}`);
        latencies.push(performance.now() - t0);
      } catch (e) {
        errors.push(String(e.message ?? e));
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients, studies, cycles, ok: latencies.length, errors: errors.length, first_error: errors[0] ?? null, seconds,
    throughput: latencies.length / seconds, p50_ms: quantile(latencies, 0.5), p99_ms: quantile(latencies, 0.99),
  };
}

async function measure(name, target) {
  console.error(`# ${name}`);
  await scenario(target, "warmup", 4, 1, 40);
  const results = [];
  for (const studies of config.studies) {
    for (const clients of config.clients) {
      const r = await scenario(target, `s${studies}-c${clients}`, clients, studies, config.cycles);
      console.error(`  ${clients} clients, ${studies} studies: ${r.throughput.toFixed(0)} cycles/s, p50 ${r.p50_ms.toFixed(1)} ms, p99 ${r.p99_ms.toFixed(1)} ms, ${r.errors} errors`);
      results.push(r);
    }
  }
  return { name, results };
}

const targets = [];
const edgetune = new DevServer({ MAX_TRIALS_PER_STUDY: "1000000" });
await edgetune.start();
try {
  targets.push(await measure("edgetune (wrangler dev, Durable Objects on SQLite)", {
    base: edgetune.base, headers: { authorization: `Bearer ${KEYS.alpha}` },
  }));
} finally {
  await edgetune.stop();
}

const notes = [];
if (python) {
  const dir = mkdtempSync(join(tmpdir(), "edgetune-load-"));
  const sqlite = await startReference(`sqlite:///${join(dir, "reference.db")}`);
  try {
    targets.push(await measure(`FastAPI + Optuna, RDB on SQLite (uvicorn, ${config.reference_workers ?? 2} workers)`, sqlite));
  } finally {
    await sqlite.stop();
  }
  if (config.postgres) {
    const pgDir = join(dir, "pg");
    const started = await run(join(here, "reference/postgres.sh"), ["start", pgDir, String(await freePort())]);
    if (started.code === 0) {
      try {
        const pg = await startReference(started.out);
        try {
          targets.push(await measure(`FastAPI + Optuna, RDB on PostgreSQL (uvicorn, ${config.reference_workers ?? 2} workers)`, pg));
        } finally {
          await pg.stop();
        }
      } finally {
        await run(join(here, "reference/postgres.sh"), ["stop", pgDir]);
      }
    } else {
      notes.push("PostgreSQL could not be started here (bench/reference/postgres.sh exited " + started.code + "); its column is missing.");
    }
  }
}

const fmt = (v, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
const lines = [
  "# Load: edgetune's Worker beside FastAPI + Optuna",
  "",
  `One run of \`bench/run load\` on a shared 2-core VM, the load generator (Node, ${config.clients.join("/")} concurrent ` +
  `clients) on the same machine as the server. Each scenario runs ${config.cycles} ask+tell cycles (suggest, then ` +
  "complete) with TPE over two parameters on fresh studies. Latency is one whole cycle.",
  "",
  ...notes,
  ...(notes.length ? [""] : []),
  "| studies | clients | service | cycles/s | p50 (ms) | p99 (ms) | errors | edgetune's throughput over this |",
  "|---|---|---|---|---|---|---|---|",
];
targets[0].results.forEach((mine, i) => {
  for (const t of targets) {
    const r = t.results[i];
    lines.push(`| ${r.studies} | ${r.clients} | ${t.name} | ${fmt(r.throughput)} | ${fmt(r.p50_ms, 1)} | ${fmt(r.p99_ms, 1)} | ${r.errors} | ` +
      (t === targets[0] ? "" : `${fmt(mine.throughput / r.throughput, 1)}×`) + " |");
  }
});
const errorsSeen = targets.flatMap((t) => t.results.filter((r) => r.first_error).map((r) => `${t.name}, ${r.clients} clients on ${r.studies} studies: ${r.errors} errors, first: ${r.first_error}`));
if (errorsSeen.length) lines.push("", "Errors:", "", ...errorsSeen.map((e) => `- ${e}`));
writeFileSync(`${outPrefix}.md`, lines.join("\n") + "\n");
writeFileSync(`${outPrefix}.json`, JSON.stringify({ config, targets }, null, 1) + "\n");
console.log(lines.join("\n"));
