#!/usr/bin/env node
// `edgetune-mcp [--storage DIR] [--dashboard URL]` (this bin, `node js/dist/mcp-bin.js`): the MCP server of the
// edgetune service, over stdio, with the engine in this process. It serves the same
// tools, schemas and answers as the Worker's `POST /mcp` (they come from the same Rust
// code); each study's journal is kept in DIR as `<name>.journal.json`, the format that
// `POST /api/v1/studies/{name}/journal` imports, so a study started here moves to the
// edge as it is.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { initSync, McpServer } from "./wasm-mcp/edgetune_mcp_local.js";

initSync({ module: readFileSync(new URL("./wasm-mcp/edgetune_mcp_local_bg.wasm", import.meta.url)) });

const USAGE = "usage: edgetune-mcp [--storage DIR] [--dashboard URL]";

function parseArgs(argv: string[]): { storage: string; dashboard?: string } {
  let storage = join(homedir(), ".edgetune", "studies");
  let dashboard: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) {
        process.stderr.write(`edgetune-mcp: ${arg} needs a value\n${USAGE}\n`);
        process.exit(2);
      }
      return v;
    };
    if (arg === "--storage") storage = value();
    else if (arg.startsWith("--storage=")) storage = arg.slice("--storage=".length);
    else if (arg === "--dashboard") dashboard = value();
    else if (arg.startsWith("--dashboard=")) dashboard = arg.slice("--dashboard=".length);
    else if (arg === "--help" || arg === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`edgetune-mcp: unknown argument ${JSON.stringify(arg)}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return { storage: resolve(storage), dashboard };
}

const SUFFIX = ".journal.json";

/** One journal file per study, written whole and renamed into place. */
function journalStore(dir: string) {
  mkdirSync(dir, { recursive: true });
  const path = (name: string) => join(dir, `${name}${SUFFIX}`);
  return {
    load: (name: string): string | undefined => (existsSync(path(name)) ? readFileSync(path(name), "utf8") : undefined),
    save: (name: string, text: string): void => {
      const tmp = `${path(name)}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, path(name));
    },
    remove: (name: string): void => rmSync(path(name), { force: true }),
    names: (): string[] => readdirSync(dir).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length)),
  };
}

const { storage, dashboard } = parseArgs(process.argv.slice(2));
const server = new McpServer(journalStore(storage) as never, dashboard);
process.stderr.write(`edgetune-mcp: serving MCP over stdio; journals in ${storage}\n`);

// The stdio transport: one JSON-RPC message per line each way.
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const answer = server.handle(line);
  if (answer !== undefined) process.stdout.write(`${answer}\n`);
});
lines.on("close", () => process.exit(0));
