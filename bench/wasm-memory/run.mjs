// What a study holds per trial in wasm32: runs this package (a counting allocator;
// build it first, see src/lib.rs) at 10,000 and 100,000 trials and prints bytes per
// trial, with the slope between them. One instance writes the packed journal; a fresh
// one wakes the study from it and asks, so its linear memory grows only for that.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const path = fileURLToPath(new URL("target/wasm32-unknown-unknown/release/edgetune_wasm_memory.wasm", import.meta.url));
const module = await WebAssembly.compile(readFileSync(path));
const rows = [];
for (const n of [10_000, 100_000]) {
  const writer = (await WebAssembly.instantiate(module, {})).exports;
  const len = writer.prepare(n);
  const journal = new Uint8Array(writer.memory.buffer, writer.prepared(), len).slice();
  const { exports } = await WebAssembly.instantiate(module, {});
  const at = exports.input(len);
  new Uint8Array(exports.memory.buffer, at, len).set(journal);
  const t0 = performance.now();
  exports.wake(n);
  const ms = performance.now() - t0;
  const warm = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    exports.again();
    warm.push(performance.now() - t);
  }
  const warmMs = warm.sort((a, b) => a - b)[2];
  const [woken, peak, after, memory, wokenMemory] = [0, 1, 2, 3, 4].map((i) => exports.result(i));
  rows.push({ n, woken, peak, after, memory, wokenMemory });
  console.log(`${n} trials: wake and first ask ${ms.toFixed(0)} ms, warm ask and tell ${warmMs.toFixed(1)} ms; packed journal ${Math.round(len / n)}; allocated woken ${woken}, first ask's peak ${peak}, after it ${after}; linear memory grew ${wokenMemory} woken, ${memory} after the ask (bytes/trial)`);
}
const [a, b] = rows;
const slope = (k) => Math.round((b[k] * b.n - a[k] * a.n) / (b.n - a.n));
console.log(`slope ${a.n} -> ${b.n}: woken ${slope("woken")}, peak ${slope("peak")}, after ${slope("after")}, linear memory woken ${slope("wokenMemory")}, after the ask ${slope("memory")} bytes/trial`);
