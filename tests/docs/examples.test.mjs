// Every code block that README.md and docs/*.md mark runnable, run as a reader would
// paste it. A block is marked by the word `runnable` in its info string:
//   ```ts runnable    compiled with tsc (strict) against the built npm package, then run
//                     in Node;
//   ```ts compiles    compiled the same way, not run (it needs what a test does not have,
//                     such as an LLM provider's key);
//   ```sh runnable    run with bash against the real Worker under `wrangler dev` (a fresh
//                     one per document, with the dev key), blocks of one document in
//                     order, as one script; an answer with an error body fails the test
//                     unless the block is also marked `errors`;
//   ```rust runnable  a doctest: the document must be included in the core crate's docs
//                     (crates/core/src/lib.rs), where `cargo test` runs its Rust blocks.
// `127.0.0.1:8787` in a block is the test server's address.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DevServer } from "../e2e/server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const DEV_KEY = "edgetune-dev-key";

/** The marked blocks of one Markdown file: { lang, tags, body, line }. */
export function runnableBlocks(text) {
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, lang, rest] = open;
    const tags = rest.split(/[\s,]+/).filter(Boolean);
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith(`${indent}\`\`\``); i++) {
      body.push(lines[i].slice(indent.length));
    }
    if (tags.includes("runnable") || tags.includes("compiles")) blocks.push({ lang, tags, body: body.join("\n") + "\n", line: start + 1 });
  }
  return blocks;
}

const documents = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]
  .map((path) => ({ path, blocks: runnableBlocks(readFileSync(join(root, path), "utf8")) }))
  .filter((d) => d.blocks.length > 0);

const of = (lang) => documents.flatMap((d) => d.blocks.filter((b) => b.lang === lang).map((b) => ({ ...b, path: d.path })));

test("the docs mark runnable blocks only in languages this test runs", () => {
  for (const d of documents) {
    for (const b of d.blocks) {
      assert.ok(["ts", "sh", "rust"].includes(b.lang), `${d.path}:${b.line}: \`\`\`${b.lang} runnable`);
      assert.ok(b.lang === "ts" || b.tags.includes("runnable"), `${d.path}:${b.line}: only TypeScript blocks may be marked compiles`);
    }
  }
  assert.ok(of("ts").length > 0 && of("sh").length > 0 && of("rust").length > 0, "no marked blocks found");
});

test("every document with runnable Rust is a doctest of the core crate", () => {
  const lib = readFileSync(join(root, "crates/core/src/lib.rs"), "utf8");
  for (const path of new Set(of("rust").map((b) => b.path))) {
    assert.ok(lib.includes(`include_str!("../../../${path}")`), `${path} has runnable Rust but crates/core/src/lib.rs does not include it`);
  }
  for (const b of of("rust")) {
    assert.ok(!b.tags.some((t) => ["ignore", "no_run"].includes(t)), `${b.path}:${b.line} is marked runnable and not run`);
  }
});

describe("TypeScript blocks", () => {
  const dir = join(root, "build/docs-examples");
  const blocks = of("ts");
  const file = (b) => `${b.path.replace(/[/.]/g, "_")}_${b.line}.mts`;
  let server;

  before(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const b of blocks) writeFileSync(join(dir, file(b)), b.body);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, types: ["node"], outDir: "out", skipLibCheck: true },
        include: ["*.mts"],
      }),
    );
    server = await new DevServer({ API_KEYS: `'${JSON.stringify({ [sha256(DEV_KEY)]: "dev" })}'` }).start();
  });
  after(() => server?.stop());

  test("compile against the built package", () => {
    const r = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  for (const b of blocks.filter((b) => b.tags.includes("runnable"))) {
    test(`${b.path}:${b.line} runs`, () => {
      const out = join(dir, "out", file(b).replace(/\.mts$/, ".mjs"));
      const source = readFileSync(out, "utf8").replaceAll("http://127.0.0.1:8787", server.base);
      writeFileSync(out, source);
      const r = spawnSync(process.execPath, [out], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 0, `${b.path}:${b.line}\n${r.stdout}\n${r.stderr}`);
    });
  }
});

describe("shell blocks, against wrangler dev", () => {
  for (const d of documents) {
    const blocks = d.blocks.filter((b) => b.lang === "sh" && b.tags.includes("runnable"));
    if (blocks.length === 0) continue;
    test(`${d.path}: ${blocks.length} block(s) run`, async () => {
      const server = await new DevServer({ API_KEYS: `'${JSON.stringify({ [sha256(DEV_KEY)]: "dev" })}'` }).start();
      try {
        for (const b of blocks) {
          const script = b.body.replaceAll("127.0.0.1:8787", server.base.replace("http://", ""));
          const r = spawnSync("bash", ["-eo", "pipefail", "-c", preamble + script], { cwd: root, encoding: "utf8", timeout: 300_000 });
          assert.equal(r.status, 0, `${d.path}:${b.line} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
          if (!b.tags.includes("errors")) {
            assert.ok(!/"error"\s*:\s*\{/.test(r.stdout), `${d.path}:${b.line} answered an error:\n${r.stdout}`);
          }
          // Variables a block sets (K=...) carry over to the next, as in one terminal.
          preambleFrom(b.body);
        }
      } finally {
        await server.stop();
        preamble = "";
      }
    });
  }
});

let preamble = "";
/** Keeps a block's plain assignments (`K="..."`) for the blocks after it. */
function preambleFrom(body) {
  for (const line of body.split("\n")) {
    if (/^[A-Z_][A-Z0-9_]*=/.test(line)) preamble += `${line}\n`;
  }
}

function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}
