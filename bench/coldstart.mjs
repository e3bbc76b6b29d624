// The cold-start benchmark of `bench/run coldstart`: a study's Durable Object
// rebuilds its study from storage when it wakes. For each size, it fills one study with
// that many finished trials (TPE, five parameters, 1000 per MCP `add_trials` call), then
// restarts `wrangler dev` (the real Worker build, workerd, SQLite storage) several times
// and times the first ask after each restart, beside a warm ask. It also reads the
// workerd processes' resident memory before that first ask and after it.
//
//   node bench/coldstart.mjs CONFIG OUT_PREFIX
//
// CONFIG: {"sizes": [1000, 10000, 100000], "windows": [null, 1000], "restarts": 5}. Beside
// each wake it times the npm package in Node loading the same study from its journal.
// Writes OUT_PREFIX.md and .json.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

/**
 * The npm package in a fresh Node process: `Study.fromJournal` on the study's journal and
 * the first ask (cold), then a second ask (warm), and what that added to the process's
 * resident set (the journal text read before the "before" reading).
 */
function measureNode(journalPath) {
  const script = `
    const { Study } = await import(${JSON.stringify(new URL("../js/dist/index.js", import.meta.url).pathname)});
    const { readFileSync } = await import("node:fs");
    const space = ${JSON.stringify(space)};
    const text = readFileSync(${JSON.stringify(journalPath)}, "utf8");
    globalThis.gc();
    const before = process.memoryUsage().rss;
    let t = performance.now();
    const study = Study.fromJournal(text);
    const first = study.ask(space);
    const cold = performance.now() - t;
    study.tell(first, 1);
    t = performance.now();
    const second = study.ask(space);
    const warm = performance.now() - t;
    study.tell(second, 1);
    globalThis.gc();
    const after = process.memoryUsage().rss;
    console.log(JSON.stringify({ cold_ms: cold, warm_ms: warm, added_mib: (after - before) / 2 ** 20, in_memory: study.trials.length }));
  `;
  const out = execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { maxBuffer: 1 << 26 });
  return JSON.parse(out.toString());
}

async function measure(size, window) {
  const server = await new DevServer({ MAX_TRIALS_PER_STUDY: String(size + 100) }).start();
  try {
    const study = "cold";
    const body = { study_name: study, search_space: space, seed: 1, ...(window ? { history_window: window } : {}) };
    const created = await server.call("POST", "/api/v1/studies", { body });
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
    const journal = await fetch(`${server.base}/api/v1/studies/${study}/journal`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
    if (journal.status !== 200) throw new Error(`journal: ${journal.status}`);
    const journalPath = join(server.persist, "journal.json");
    writeFileSync(journalPath, await journal.text());
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
      const node = measureNode(journalPath);
      runs.push({ cold_ms: cold, warm_ms: warm, rss_before_mib: before, rss_after_mib: after, node });
      console.error(
        `${size} trials, window ${window ?? "none"}, restart ${i + 1}: workerd cold ask ${cold.toFixed(0)} ms, warm ${warm.toFixed(1)} ms, RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB; ` +
          `Node cold ${node.cold_ms.toFixed(0)} ms, warm ${node.warm_ms.toFixed(1)} ms, +${node.added_mib.toFixed(0)} MiB`,
      );
    }
    // The trials table of every trial, streamed from storage (CSV), after the restarts.
    const [tableMs, table] = await timed(async () => {
      const r = await fetch(`${server.base}/api/v1/studies/${study}/trials/table?format=csv`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
      if (r.status !== 200) throw new Error(`table: ${r.status}`);
      return r.text();
    });
    const tableRows = table.split("\r\n").length - 2;
    if (tableRows < size) throw new Error(`the table has ${tableRows} rows, not ${size} or more`);
    console.error(`${size} trials, window ${window ?? "none"}: trials table (CSV) ${tableRows} rows, ${(table.length / 2 ** 20).toFixed(1)} MiB in ${tableMs.toFixed(0)} ms`);
    const storedBytes = Number(execFileSync("du", ["-sb", "--exclude=journal.json", server.persist]).toString().split("\t")[0]);
    return { size, window: window ?? null, fill_seconds: fillSeconds, stored_mib: storedBytes / 2 ** 20, table_ms: tableMs, table_mib: table.length / 2 ** 20, runs };
  } finally {
    await server.stop();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const window of config.windows ?? [null]) {
  for (const size of config.sizes) results.push(await measure(size, window));
}

const MiB = 2 ** 20;
const stats = (r) => {
  const m = (f) => median(r.runs.map(f));
  return {
    cold: m((x) => x.cold_ms),
    warm: m((x) => x.warm_ms),
    added: m((x) => x.rss_after_mib - x.rss_before_mib),
    nodeCold: m((x) => x.node.cold_ms),
    nodeWarm: m((x) => x.node.warm_ms),
    nodeAdded: m((x) => x.node.added_mib),
  };
};
const perTrial = (mib, size) => ((mib * MiB) / size).toFixed(0);
/** Bytes per trial as the slope between the two largest sizes of the same window. */
const slopes = [];
for (const window of config.windows ?? [null]) {
  const rows = results.filter((r) => r.window === window).sort((a, b) => a.size - b.size);
  if (rows.length < 2) continue;
  const [a, b] = rows.slice(-2).map((r) => ({ size: r.size, ...stats(r) }));
  const slope = (k) => (((b[k] - a[k]) * MiB) / (b.size - a.size)).toFixed(0);
  slopes.push(`| ${window ?? "none"} | ${a.size} → ${b.size} | ${slope("added")} | ${slope("nodeAdded")} |`);
}
const lines = [
  "# Cold starts of a study",
  "",
  `One study of N finished trials (TPE, five parameters), without a history window and with one, ${config.restarts} restarts per row, medians. Reproduce: \`bench/run coldstart\`.`,
  "",
  "- **Durable Object**: the first ask after `wrangler dev` restarts (the real Worker build, workerd, SQLite storage), then a warm ask. Memory added is the workerd processes' resident set just after that first ask minus just before it.",
  "- **Trials table**: `GET …/trials/table?format=csv` once after the restarts, every trial streamed from storage: its time and size.",
  "- **npm package in Node**: a fresh Node process runs `Study.fromJournal` on the same study's journal and asks (cold), then asks again (warm). Memory added is the process's resident set after minus before (the journal text already read, garbage collected both times).",
  "",
  "| trials | window | DO cold first ask (ms) | DO warm ask (ms) | DO memory added (MiB) | DO bytes/trial | Node cold (ms) | Node warm (ms) | Node memory added (MiB) | Node bytes/trial | stored (MiB) | fill (s) | trials table, CSV (ms, MiB) |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => {
    const s = stats(r);
    return `| ${r.size} | ${r.window ?? "none"} | ${s.cold.toFixed(0)} | ${s.warm.toFixed(1)} | ${s.added.toFixed(1)} | ${perTrial(s.added, r.size)} | ${s.nodeCold.toFixed(0)} | ${s.nodeWarm.toFixed(1)} | ${s.nodeAdded.toFixed(1)} | ${perTrial(s.nodeAdded, r.size)} | ${r.stored_mib.toFixed(1)} | ${r.fill_seconds.toFixed(0)} | ${r.table_ms.toFixed(0)}, ${r.table_mib.toFixed(1)} |`;
  }),
  "",
  "Bytes per trial as the slope between the two largest sizes (what one more trial costs):",
  "",
  "| window | sizes | DO bytes/trial | Node bytes/trial |",
  "|---:|---|---:|---:|",
  ...slopes,
  "",
];
writeFileSync(`${outPrefix}.md`, lines.join("\n"));
writeFileSync(`${outPrefix}.json`, JSON.stringify({ config, results }, null, 2) + "\n");
console.log(lines.join("\n"));
