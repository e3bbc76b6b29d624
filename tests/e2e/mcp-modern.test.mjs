// The stateless protocol generation (2026-07-28) on POST /mcp and on the stdio bin,
// driven by the official v2 client (@modelcontextprotocol/client) pinned to that
// revision: server/discover instead of the handshake, the protocol version in every
// request's _meta and header, resultType on results, cache hints on the tool list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

const MODERN = { versionNegotiation: { mode: { pin: "2026-07-28" } } };

async function workflow(client, name) {
  const { tools } = await client.listTools();
  assert.equal(tools.length, 16);
  const started = await client.callTool({ name: "start_study", arguments: { study_name: name, template: "llm", seed: 5 } });
  assert.ok(!started.isError, JSON.stringify(started.content));
  assert.deepEqual(started.structuredContent.parameters, ["lr", "batch_size", "epochs", "weight_decay"]);
  for (let i = 0; i < 5; i++) {
    const ask = await client.callTool({ name: "ask", arguments: { study_name: name } });
    const { trial_number, params } = ask.structuredContent;
    const tell = await client.callTool({ name: "tell", arguments: { study_name: name, trial_number, value: params.lr * 100 + params.weight_decay } });
    assert.equal(tell.structuredContent.state, "COMPLETE");
  }
  const top = await client.callTool({ name: "compare_trials", arguments: { study_name: name } });
  assert.equal(top.structuredContent.trials.length, 5);
  const bad = await client.callTool({ name: "ask", arguments: { study_name: "no-such-study" } });
  assert.equal(bad.isError, true);
  assert.equal(bad._meta["edgetune/error"].code, "not_found");
}

test("the v2 client pinned to 2026-07-28 runs the workflow against the Worker", async () => {
  const client = new Client({ name: "edgetune-modern", version: "1.0.0" }, MODERN);
  await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${KEYS.alpha}` } },
  }));
  assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
  await workflow(client, "modern-http");
  await client.close();
});

test("the v2 client pinned to 2026-07-28 runs the workflow against the stdio bin", async () => {
  const bin = fileURLToPath(new URL("../../js/dist/mcp-bin.js", import.meta.url));
  const storage = mkdtempSync(join(tmpdir(), "edgetune-mcp-modern-"));
  const client = new Client({ name: "edgetune-modern", version: "1.0.0" }, MODERN);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "--storage", storage], stderr: "ignore" }));
  try {
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    await workflow(client, "modern-stdio");
  } finally {
    await client.close();
  }
});

test("2026-07-28 on the wire: discovery, version errors, header checks, resultType and cache hints", async () => {
  const meta = (version = "2026-07-28") => ({ "io.modelcontextprotocol/protocolVersion": version, "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" } });
  const post = (message, headers) =>
    fetch(`${server.base}/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.alpha}`, "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body: JSON.stringify(message),
    });
  const modern = (method, extra = {}) => ({ "mcp-protocol-version": "2026-07-28", "mcp-method": method, ...extra });

  let r = await post({ jsonrpc: "2.0", id: 1, method: "server/discover", params: { _meta: meta() } }, modern("server/discover"));
  assert.equal(r.status, 200);
  let body = await r.json();
  assert.equal(body.result.resultType, "complete");
  assert.deepEqual(body.result.supportedVersions, ["2026-07-28", "2025-11-25", "2025-06-18"]);
  assert.equal(body.result._meta["io.modelcontextprotocol/serverInfo"].name, "edgetune");
  assert.ok(body.result.ttlMs >= 0 && body.result.cacheScope === "public");

  r = await post({ jsonrpc: "2.0", id: 2, method: "tools/list", params: { _meta: meta() } }, modern("tools/list"));
  body = await r.json();
  assert.equal(body.result.resultType, "complete");
  assert.equal(body.result.tools.length, 16);
  assert.ok(body.result.ttlMs > 0);
  assert.equal(body.result.cacheScope, "public");

  r = await post({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { _meta: meta(), name: "list_studies", arguments: {} } }, modern("tools/call", { "mcp-name": "list_studies" }));
  body = await r.json();
  assert.equal(body.result.resultType, "complete");
  assert.equal(body.result.isError, false);
  // The Base64 sentinel form of Mcp-Name.
  const encoded = `=?base64?${Buffer.from("list_studies").toString("base64")}?=`;
  r = await post({ jsonrpc: "2.0", id: 4, method: "tools/call", params: { _meta: meta(), name: "list_studies", arguments: {} } }, modern("tools/call", { "mcp-name": encoded }));
  assert.equal(r.status, 200);

  // An unsupported version: -32022 with the supported ones.
  r = await post({ jsonrpc: "2.0", id: 5, method: "tools/list", params: { _meta: meta("2030-01-01") } }, { "mcp-protocol-version": "2030-01-01", "mcp-method": "tools/list" });
  assert.equal(r.status, 400);
  body = await r.json();
  assert.equal(body.error.code, -32022);
  assert.deepEqual(body.error.data, { supported: ["2026-07-28", "2025-11-25", "2025-06-18"], requested: "2030-01-01" });

  // Headers that disagree with the body, or are missing: -32020.
  for (const headers of [
    { "mcp-protocol-version": "2025-11-25", "mcp-method": "tools/list" },
    modern("ping"),
    { "mcp-protocol-version": "2026-07-28" },
  ]) {
    r = await post({ jsonrpc: "2.0", id: 6, method: "tools/list", params: { _meta: meta() } }, headers);
    assert.equal(r.status, 400, JSON.stringify(headers));
    assert.equal((await r.json()).error.code, -32020, JSON.stringify(headers));
  }
  r = await post({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { _meta: meta(), name: "list_studies", arguments: {} } }, modern("tools/call", { "mcp-name": "delete_study" }));
  assert.equal((await r.json()).error.code, -32020);

  // An unknown method is a 404 with -32601; the handshake is not part of this revision.
  r = await post({ jsonrpc: "2.0", id: 8, method: "initialize", params: { _meta: meta() } }, modern("initialize"));
  assert.equal(r.status, 404);
  assert.equal((await r.json()).error.code, -32601);
});
