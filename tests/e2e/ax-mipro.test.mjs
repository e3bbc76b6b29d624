// A real AxMiPRO run (@ax-llm/ax 19.0.45, the last release with the optimizer-service
// client) against the Worker, with Ax's own mock AI so no network is needed. Every
// request the Ax client makes is recorded and must succeed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { AxMiPRO, AxMockAIService, ax } from "@ax-llm/ax";
import { DevServer, KEYS } from "./server.mjs";

const server = new DevServer();
before(() => server.start(), { timeout: 240_000 });
after(() => server.stop());

/** A mock model: instructions when asked for one, the right answer otherwise. */
const mockAI = () =>
  new AxMockAIService({
    features: { functions: false, streaming: false },
    chatResponse: async (req) => {
      const system = req.chatPrompt.find((m) => m.role === "system")?.content ?? "";
      const tail = system.split("\n").slice(-30).join("\n");
      const content = /instruction/i.test(system) && !/Answer/.test(tail)
        ? "Instruction: Reply with the capital city only."
        : "Answer: Paris";
      return {
        results: [{ index: 0, content, finishReason: "stop" }],
        modelUsage: { ai: "mock", model: "mock", tokens: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } },
      };
    },
  });

test("AxMiPRO optimizes through the Worker's Ax API", { timeout: 120_000 }, async () => {
  const endpoint = `${server.base}/ax/${KEYS.alpha}`;
  const exchanges = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const response = await realFetch(url, init);
    if (String(url).startsWith(endpoint)) {
      exchanges.push({ method: init?.method ?? "GET", path: String(url).slice(endpoint.length), status: response.status });
    }
    return response;
  };
  try {
    const optimizer = new AxMiPRO({ studentAI: mockAI(), numTrials: 5, numCandidates: 2, optimizerEndpoint: endpoint, verbose: false });
    const program = ax("question:string -> answer:string");
    const examples = Array.from({ length: 6 }, (_, i) => ({ question: `Capital of France? (${i})`, answer: "Paris" }));
    const result = await optimizer.compile(program, examples, ({ prediction, example }) => (prediction.answer === example.answer ? 1 : 0));
    assert.equal(result.bestScore, 1);
  } finally {
    globalThis.fetch = realFetch;
  }
  const kinds = exchanges.map((e) => `${e.method} ${e.path.replace(/mipro_[^/]+/, "{study}").replace(/\/jobs\/\w+/, "/jobs/{id}")}`);
  assert.ok(exchanges.every((e) => e.status >= 200 && e.status < 300), JSON.stringify(exchanges));
  assert.equal(kinds[0], "GET /health");
  assert.equal(kinds[1], "POST /optimize");
  assert.equal(kinds.filter((k) => k === "POST /studies/{study}/suggest").length, 5);
  assert.equal(kinds.filter((k) => k === "POST /studies/{study}/evaluate").length, 5);
  assert.ok(kinds.includes("GET /studies/{study}/results"));
  assert.equal(kinds.at(-1), "DELETE /studies/{study}", "Ax deletes its study at the end");
});
