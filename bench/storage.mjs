// The storage benchmark of `bench/run storage`: how a study's Durable Object storage
// grows with production observations. Under wrangler dev (the real Worker build,
// workerd, SQLite storage), an automation folds batches of observations into a study
// with five parameters (the study gets its history window at the first fold); at each
// checkpoint the object's SQLite file is measured, with the bytes each table holds.
// The slope between the first and last checkpoints, per million observations, is set
// against a Durable Object's storage limit.
//
//   node bench/storage.mjs CONFIG OUT_PREFIX
//
// CONFIG: {"checkpoints": [5000, 20000], "batch": 1000, "fold_every": 5000}.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { DevServer } from "../tests/e2e/server.mjs";

const [configText, outPrefix] = process.argv.slice(2);
const config = JSON.parse(configText);
/** A SQLite-backed Durable Object's storage limit (Workers Paid), in bytes. */
const DO_LIMIT = 10 * 1024 ** 3;
const space = [
  { name: "temperature", type: "float", low: 0, high: 2 },
  { name: "top_p", type: "float", low: 0.1, high: 1 },
  { name: "max_tokens", type: "int", low: 64, high: 4096, log: true },
  { name: "model", type: "categorical", choices: ["small", "medium", "large"] },
  { name: "retries", type: "int", low: 0, high: 5 },
];

function observation(i) {
  const f = (k) => ((i * 2654435761 + k * 40503) % 100000) / 100000;
  const params = {
    temperature: 2 * f(1),
    top_p: 0.1 + 0.9 * f(2),
    max_tokens: Math.round(64 * 64 ** f(3)),
    model: ["small", "medium", "large"][i % 3],
    retries: i % 6,
  };
  const stamp = new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString();
  return { id: `req-${String(i).padStart(9, "0")}`, params, value: f(4), timestamp: stamp, user_attrs: { region: ["eu", "us"][i % 2] } };
}

/** Bytes in the object SQLite files, and what each table's columns hold. */
function measure(dir) {
  const script = `import glob, json, os, sqlite3, sys
out = {"file": 0, "tables": {}}
for path in glob.glob(sys.argv[1] + "/**/*.sqlite", recursive=True):
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if "observations" not in tables:
        continue
    out["file"] += os.path.getsize(path) + sum(os.path.getsize(p) for p in glob.glob(path + "-*"))
    for t in tables:
        if t.startswith("_") or t.startswith("sqlite"):
            continue
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({t})")]
        total = " + ".join(f"COALESCE(length({c}), 0)" for c in cols) or "0"
        out["tables"][t] = db.execute(f"SELECT COALESCE(SUM({total}), 0) FROM {t}").fetchone()[0]
print(json.dumps(out))`;
  return JSON.parse(execFileSync("python3", ["-c", script, dir]).toString());
}

const server = new DevServer({ MAX_TRIALS_PER_STUDY: "10000" });
await server.start();
const rows = [];
try {
  const created = await server.call("POST", "/api/v1/studies", { body: { study_name: "traffic", search_space: space, seed: 1, direction: "maximize" } });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const put = await server.call("PUT", "/api/v1/automations/ingest", { body: { studies: ["traffic"], recommendations: 1 } });
  if (put.status !== 200) throw new Error(JSON.stringify(put.body));
  let sent = 0;
  for (const checkpoint of config.checkpoints) {
    while (sent < checkpoint) {
      const batch = Array.from({ length: config.batch }, (_, k) => observation(sent + k));
      const r = await server.call("POST", "/api/v1/studies/traffic/observations", { body: { observations: batch } });
      if (r.status !== 200) throw new Error(JSON.stringify(r.body));
      sent += batch.length;
      if (sent % config.fold_every === 0) {
        const run = await server.call("POST", "/api/v1/automations/ingest/run", { body: { force: true } });
        const study = run.body.studies?.[0];
        if (study?.outcome !== "succeeded") throw new Error(JSON.stringify(run.body));
      }
    }
    const view = (await server.call("GET", "/api/v1/studies/traffic")).body;
    const sizes = measure(server.persist);
    rows.push({ observations: sent, n_trials: view.n_trials, in_memory: view.n_trials_in_memory, window: view.history_window, ...sizes });
    console.error(`${sent} observations: ${sizes.file} bytes`);
  }
} finally {
  await server.stop();
}

const [a, b] = [rows[0], rows.at(-1)];
const slope = (b.file - a.file) / (b.observations - a.observations);
const tables = Object.keys(b.tables).sort();
const perTable = Object.fromEntries(tables.map((t) => [t, (b.tables[t] - (a.tables[t] ?? 0)) / (b.observations - a.observations)]));
const perMillion = slope * 1e6;
const result = { config, rows, bytes_per_observation: slope, per_table: perTable, bytes_per_million: perMillion, do_limit: DO_LIMIT, observations_to_limit: DO_LIMIT / slope };
const gib = (x) => (x / 1024 ** 3).toFixed(2);
const md = [
  "# Storage per observation",
  "",
  `Measured by \`bench/run storage\` under wrangler dev: an automation folds batches of ${config.batch} observations (five parameters, a timestamp and one user attribute each) into one study, forcing a run every ${config.fold_every}; the object's SQLite file is measured at each checkpoint.`,
  "",
  "| observations | trials | in memory | window | SQLite file (bytes) |",
  "|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.observations} | ${r.n_trials} | ${r.in_memory} | ${r.window ?? "none"} | ${r.file} |`),
  "",
  `**${slope.toFixed(0)} bytes per observation** (the slope from ${a.observations} to ${b.observations}): **${gib(perMillion)} GiB per million observations**, so a Durable Object's ${gib(DO_LIMIT)} GiB holds about **${(DO_LIMIT / slope / 1e6).toFixed(1)} million**.`,
  "",
  "What each table adds per observation, in bytes of column data (SQLite's pages and indexes come on top):",
  "",
  "| table | bytes per observation |",
  "|---|---|",
  ...tables.map((t) => `| \`${t}\` | ${perTable[t].toFixed(0)} |`),
  "",
].join("\n");
writeFileSync(`${outPrefix}.md`, md);
writeFileSync(`${outPrefix}.json`, JSON.stringify(result, null, 2) + "\n");
console.log(md);
