// Fails when the top-level modules of a crate import each other in a circle (the
// error module aside, which every module may use). A module's imports are every
// `crate::<module>` path in its files; `super::` paths stay inside a module.
// Usage: node scripts/check-module-cycles.mjs crates/core/src [crates/worker/src ...]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, basename } from "node:path";

const EXEMPT = new Set(["error"]);

function files(path) {
  if (statSync(path).isFile()) return path.endsWith(".rs") ? [path] : [];
  return readdirSync(path).flatMap((f) => files(join(path, f)));
}

function cycles(root) {
  const graph = new Map();
  for (const entry of readdirSync(root)) {
    const module = basename(entry, ".rs");
    if (module === "lib" || module === "main" || EXEMPT.has(module)) continue;
    const deps = new Set();
    for (const file of files(join(root, entry))) {
      const text = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
      for (const [, used] of text.matchAll(/crate::(\w+)/g)) {
        if (used !== module && !EXEMPT.has(used)) deps.add(used);
      }
      // `use crate::{a, b::c}` groups
      for (const [, group] of text.matchAll(/crate::\{([^}]*)\}/g)) {
        for (const [, used] of group.matchAll(/(?:^|,)\s*(\w+)/g)) {
          if (used !== module && !EXEMPT.has(used)) deps.add(used);
        }
      }
    }
    graph.set(module, deps);
  }
  const found = [];
  const state = new Map();
  const stack = [];
  const visit = (m) => {
    state.set(m, "open");
    stack.push(m);
    for (const d of graph.get(m) ?? []) {
      if (!graph.has(d)) continue;
      if (state.get(d) === "open") found.push([...stack.slice(stack.indexOf(d)), d].join(" → "));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(m, "done");
  };
  for (const m of [...graph.keys()].sort()) if (!state.has(m)) visit(m);
  return found;
}

let failed = false;
for (const root of process.argv.slice(2)) {
  const found = cycles(root);
  for (const c of found) console.error(`${root}: import cycle ${c}`);
  if (found.length) failed = true;
  else console.log(`${root}: no import cycle among its modules`);
}
process.exit(failed ? 1 : 0);
