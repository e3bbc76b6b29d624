// The local MCP server, `edgetune-mcp`, as an MCP client starts it: the official SDK's
// StdioClientTransport runs the built bin. Same tools as the Worker's; journals in the
// storage folder, in the format the service imports.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Study } from "edgetune";

const bin = fileURLToPath(new URL("../../js/dist/mcp-bin.js", import.meta.url));

async function connect(storage: string) {
  const client = new Client({ name: "edgetune-stdio-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "--storage", storage], stderr: "ignore" }));
  open.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<any> {
  const r: any = await client.callTool({ name, arguments: args });
  assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content)}`);
  return r.structuredContent;
}

/** Clients still open at the end of a test are closed, so no bin outlives it. */
const open: Client[] = [];
after(() => Promise.all(open.map((c) => c.close())));

test("the stdio bin serves the tools, keeps journals, and a restart resumes the study", async () => {
  const storage = mkdtempSync(join(tmpdir(), "edgetune-mcp-"));
  let client = await connect(storage);
  const { tools } = await client.listTools();
  assert.equal(tools.length, 16);
  assert.ok(tools.every((t) => t.inputSchema.type === "object" && t.outputSchema?.type === "object"));
  await call(client, "start_study", { study_name: "local", search_space: [{ name: "x", type: "float", low: -5, high: 5 }], seed: 11 });
  for (let i = 0; i < 30; i++) {
    const ask = await call(client, "ask", { study_name: "local" });
    await call(client, "tell", { study_name: "local", trial_number: ask.trial_number, value: (ask.params.x - 2) ** 2 });
  }
  const best = await call(client, "get_best_params", { study_name: "local" });
  assert.ok(best.best_value < 0.1, `best ${best.best_value}`);
  const bad: any = await client.callTool({ name: "tell", arguments: { study_name: "local", trial_number: 0, value: 1 } });
  assert.equal(bad.isError, true);
  assert.equal(bad._meta["edgetune/error"].code, "conflict");
  await client.close();

  // The journal is the service's import format, and replays to the same study.
  assert.deepEqual(readdirSync(storage), ["local.journal.json"]);
  const journal = readFileSync(join(storage, "local.journal.json"), "utf8");
  const replayed = Study.fromJournal(journal);
  assert.equal(replayed.trials.length, 30);
  assert.equal(replayed.bestValue, best.best_value);

  // A new process resumes where the journal ends.
  client = await connect(storage);
  const resumed = await call(client, "start_study", { study_name: "local", search_space: [{ name: "x", type: "float", low: -5, high: 5 }] });
  assert.equal(resumed.created, false);
  assert.equal(resumed.n_trials, 30);
  const next = await call(client, "ask", { study_name: "local" });
  const local = Study.fromJournal(journal);
  const expected = local.ask();
  assert.equal(next.trial_number, 30);
  assert.equal(next.params.x, expected.suggestFloat("x", -5, 5), "the bin asks what the journal's study would");
  const listed = await call(client, "list_studies", {});
  assert.deepEqual(listed.studies.map((s: any) => s.study_name), ["local"]);
  const link: any = await client.callTool({ name: "dashboard_url", arguments: { study_name: "local" } });
  assert.equal(link.isError, true, "no dashboard without --dashboard");
  await call(client, "delete_study", { study_name: "local" });
  assert.deepEqual(readdirSync(storage), []);
  await client.close();
});
