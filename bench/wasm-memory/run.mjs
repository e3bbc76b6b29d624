// What a study holds per trial in wasm32: runs this package
// (a counting allocator; build it first, see src/lib.rs) at
// 10,000 and 100,000 trials and prints bytes per trial, with the slope between them.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = fileURLToPath(new URL("target/wasm32-unknown-unknown/release/edgetune_wasm_memory.wasm", import.meta.url));
const module = await WebAssembly.compile(readFileSync(path));
const rows = [];
for (const n of [10_000, 100_000]) {
  const { exports } = await WebAssembly.instantiate(module, {});
  exports.probe(n);
  const [woken, peak, after] = [0, 1, 2].map((i) => exports.result(i));
  rows.push({ n, woken, peak, after });
  console.log(`${n} trials: woken ${woken}, first ask's peak ${peak}, after it ${after} bytes/trial`);
}
const [a, b] = rows;
const slope = (k) => Math.round((b[k] * b.n - a[k] * a.n) / (b.n - a.n));
console.log(`slope ${a.n} -> ${b.n}: woken ${slope("woken")}, peak ${slope("peak")}, after ${slope("after")} bytes/trial`);
