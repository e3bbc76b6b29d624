// `bench/run package`: what the npm package costs a user, measured on the built package
// (js/dist): the wasm's size raw and gzipped (and the dashboard's module), the time to
// import it in a fresh Node process, and the cost of one call across the JS↔wasm
// boundary, and a GP ask+tell in wasm as the study grows (the issue's "a GP ask at 300
// trials takes milliseconds in wasm"). Writes bench/results/package.md.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = process.argv[2] ?? "bench/results/package";
const wasm = readFileSync(join(root, "js/dist/wasm/edgetune_wasm_bg.wasm"));
const gz = gzipSync(wasm, { level: 9 }).length;
// The dashboard the Worker serves (the app and ECharts in one module).
const dashboard = readFileSync(join(root, "dashboard/dist/dashboard/dashboard.js"));

// Import time: a fresh process each time, median of 9.
const importMs = [];
for (let i = 0; i < 9; i++) {
  const script = `const t = performance.now(); await import(${JSON.stringify(join(root, "js/dist/index.js"))}); console.log(performance.now() - t);`;
  importMs.push(Number(execFileSync(process.execPath, ["--input-type=module", "-e", script]).toString()));
}
importMs.sort((a, b) => a - b);

// Boundary cost: a getter that crosses into wasm and returns a number, against a plain
// JS getter, and a call that passes a string in and a JS object out.
const { createStudy } = await import(join(root, "js/dist/index.js"));
const study = createStudy({ seed: 1 });
const trial = study.ask();
trial.suggestFloat("x", 0, 1);
const perCall = (f, n) => {
  for (let i = 0; i < 1000; i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / n;
};
const plain = { seed: 1 };
const rows = [
  ["plain JS property (reference)", perCall(() => plain.seed, 1_000_000)],
  ["study.seed (number out)", perCall(() => study.seed, 200_000)],
  ["study.studyName (string out)", perCall(() => study.studyName, 200_000)],
  ["trial.suggestFloat, repeated (string in, number out)", perCall(() => trial.suggestFloat("x", 0, 1), 100_000)],
  ["trial.params (object out)", perCall(() => trial.params, 100_000)],
];
// GP in wasm: ask + suggest + tell on a 5-parameter shifted sphere, median of trials
// n-50..n (the native runner's measure).
const gp = createStudy({ sampler: { type: "gp", seed: 0 } });
const gpMs = [];
for (let n = 0; n < 300; n++) {
  const t = performance.now();
  const tr = gp.ask();
  let value = 0;
  for (let j = 0; j < 5; j++) value += (tr.suggestFloat(`x${j}`, -5, 5) - (1.5 + 0.5 * (j % 3))) ** 2;
  gp.tell(tr, value);
  gpMs.push(performance.now() - t);
}
const median = (a) => a.slice().sort((p, q) => p - q)[Math.floor(a.length / 2)];
const lines = [
  "# The npm package: size, import time, boundary cost, GP in wasm",
  "",
  `One run of \`bench/run package\` on a shared 2-core VM, Node ${process.version}, on the built js/dist.`,
  "",
  "| measure | value |",
  "|---|---|",
  `| wasm, raw | ${(wasm.length / 1024).toFixed(0)} KB |`,
  `| wasm, gzip -9 | ${(gz / 1024).toFixed(0)} KB (target 400 KB) |`,
  `| the dashboard's module (dashboard/dist), gzip -9 | ${(gzipSync(dashboard, { level: 9 }).length / 1024).toFixed(0)} KB |`,
  `| import in a fresh Node process (median of 9) | ${importMs[4].toFixed(1)} ms |`,
  ...rows.map(([what, ns]) => `| ${what} | ${ns.toFixed(0)} ns per call |`),
  ...[100, 300].map((n) => `| GP ask + tell at n = ${n}, 5 params (median of trials n-50..n) | ${median(gpMs.slice(n - 50, n)).toFixed(1)} ms |`),
];
writeFileSync(join(root, `${out}.md`), lines.join("\n") + "\n");
console.log(lines.join("\n"));
