// The cold-start benchmark of `bench/run coldstart`: a study's Durable Object
// rebuilds its study from storage when it wakes. For each size, it fills one study with
// that many finished trials (TPE, five parameters, 1000 per MCP `add_trials` call), then
// restarts `wrangler dev` (the real Worker build, workerd, SQLite storage) several times
// and times the first ask after each restart, beside a warm ask. It also reads the
// workerd processes' resident memory before that first ask and after it.
//
//   node bench/coldstart.mjs CONFIG OUT_PREFIX
//
// CONFIG: {"sizes": [1000, 10000, 100000], "restarts": 3}. Writes OUT_PREFIX.md and .json.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { DevServer, KEYS } from "../tests/e2e/server.mjs";

const [configText, outPrefix] = process.argv.slice(2);
const config = JSON.parse(configText);
const space = [
  { name: "x", type: "float", low: -5, high: 5 },
  { name: "lr", type: "float", low: 1e-5, high: 1, log: true },
  { name: "n", type: "int", low: 1, high: 10 },
  { name: "opt", type: "categorical", choices: ["adam", "sgd", "rmsprop"] },
  { name: "dropout", type: "float", low: 0, high: 0.5, step: 0.05 },
];

/** A small seeded generator (mulberry32), so every run stores the same trials. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function trialsFrom(random, count) {
  return Array.from({ length: count }, () => {
    const params = {
      x: random() * 10 - 5,
      lr: 10 ** (random() * 5 - 5),
      n: 1 + Math.floor(random() * 10),
      opt: ["adam", "sgd", "rmsprop"][Math.floor(random() * 3)],
      dropout: Math.round(random() * 10) * 0.05,
    };
    params.dropout = Number(params.dropout.toFixed(2));
    return { params, value: params.x ** 2 + Math.log10(params.lr) ** 2 / 10 + params.n / 10 };
  });
}

/** The workerd processes under a wrangler dev (Miniflare's proxy and the runtime). */
function workerdPids(root) {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      children.set(Number(entry), { name, ppid });
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    for (const [child, { name, ppid }] of children) {
      if (ppid !== pid) continue;
      if (name === "workerd") found.push(child);
      stack.push(child);
    }
  }
  return found;
}

/** The resident memory of `pids`, together. */
const rssMiB = (pids) =>
  pids.reduce((sum, pid) => sum + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]), 0) / 1024;

async function timed(f) {
  const t0 = performance.now();
  const out = await f();
  return [performance.now() - t0, out];
}

async function measure(size) {
  const server = await new DevServer({ MAX_TRIALS_PER_STUDY: String(size + 100) }).start();
  try {
    const study = "cold";
    const created = await server.call("POST", "/api/v1/studies", { body: { study_name: study, search_space: space, seed: 1 } });
    if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    const random = generator(size);
    const fillStart = performance.now();
    for (let added = 0; added < size; added += 1000) {
      const trials = trialsFrom(random, Math.min(1000, size - added));
      const r = await fetch(`${server.base}/mcp`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "add_trials", arguments: { study_name: study, trials } } }),
      });
      const body = await r.json();
      if (!body.result || body.result.isError) throw new Error(JSON.stringify(body).slice(0, 500));
    }
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const runs = [];
    for (let i = 0; i < config.restarts; i++) {
      await server.restart();
      const pids = workerdPids(server.proc.pid);
      const before = rssMiB(pids);
      const [cold, first] = await timed(() => server.call("POST", `/api/v1/studies/${study}/trials/suggest`));
      if (first.status !== 200) throw new Error(JSON.stringify(first.body));
      const after = rssMiB(pids);
      await server.call("POST", `/api/v1/studies/${study}/trials/${first.body.trial_number}/complete`, { body: { value: 1 } });
      const [warm, second] = await timed(() => server.call("POST", `/api/v1/studies/${study}/trials/suggest`));
      if (second.status !== 200) throw new Error(JSON.stringify(second.body));
      await server.call("POST", `/api/v1/studies/${study}/trials/${second.body.trial_number}/complete`, { body: { value: 1 } });
      runs.push({ cold_ms: cold, warm_ms: warm, rss_before_mib: before, rss_after_mib: after });
      console.error(`${size} trials, restart ${i + 1}: cold ask ${cold.toFixed(0)} ms, warm ask ${warm.toFixed(1)} ms, workerd RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB`);
    }
    const storedBytes = Number(execFileSync("du", ["-sb", server.persist]).toString().split("\t")[0]);
    return { size, fill_seconds: fillSeconds, stored_mib: storedBytes / 2 ** 20, runs };
  } finally {
    await server.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const size of config.sizes) results.push(await measure(size));

const lines = [
  "# Cold starts of a study's Durable Object",
  "",
  `The first ask after \`wrangler dev\` restarts (workerd, SQLite storage), beside a warm ask, on one study of N finished trials (TPE, five parameters); ${config.restarts} restarts per size, medians. Memory is the workerd processes' resident set just before the first ask and just after it (the study loaded). Reproduce: \`bench/run coldstart\`.`,
  "",
  "| trials | cold first ask (ms) | warm ask (ms) | RSS before → after (MiB) | stored (MiB) | fill (s) |",
  "|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => {
    const m = (k) => median(r.runs.map((x) => x[k]));
    return `| ${r.size} | ${m("cold_ms").toFixed(0)} | ${m("warm_ms").toFixed(1)} | ${m("rss_before_mib").toFixed(0)} → ${m("rss_after_mib").toFixed(0)} | ${r.stored_mib.toFixed(1)} | ${r.fill_seconds.toFixed(0)} |`;
  }),
  "",
];
writeFileSync(`${outPrefix}.md`, lines.join("\n"));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ config, results }, null, 2) + "\n");
console.log(lines.join("\n"));
