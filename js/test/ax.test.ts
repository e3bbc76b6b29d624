// edgetune/ax against the current @ax-llm/ax (24, installed as "ax-current"), with its
// mock AI service: the tuner must find the one instruction and the low temperature under
// which the mock answers right, prune bad candidates, and apply the result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ax, AxMockAIService } from "ax-current";
import { tunePrompt } from "edgetune/ax";
import { EdgetuneError } from "edgetune";

type Req = { chatPrompt: readonly { role: string; content?: unknown }[]; modelConfig?: { temperature?: number } };
const text = (c: unknown) => (typeof c === "string" ? c : JSON.stringify(c));

/**
 * Always right when the system prompt says "step by step" and temperature < 0.6;
 * otherwise right on about a third of the questions (which third depends on the
 * temperature), so running scores vary as a real model's do.
 */
function mockAI() {
  const calls = { n: 0 };
  const ai = new AxMockAIService<string>({
    features: { functions: false, streaming: false },
    chatResponse: async (req: Readonly<Req>) => {
      calls.n++;
      const system = text(req.chatPrompt.find((m) => m.role === "system")?.content);
      const user = text(req.chatPrompt.filter((m) => m.role === "user").at(-1)?.content);
      const [, a, b] = user.match(/(\d+)\s*\+\s*(\d+)/) ?? ["", "0", "0"];
      const good = system.includes("step by step") && (req.modelConfig?.temperature ?? 1) < 0.6;
      const lucky = (Number(a) * 7 + Math.round((req.modelConfig?.temperature ?? 1) * 10)) % 3 === 0;
      const answer = good || lucky ? Number(a) + Number(b) : Number(a) + Number(b) + 1;
      return { results: [{ index: 0, content: `Answer: ${answer}`, finishReason: "stop" as const }] };
    },
  } as never);
  return { ai, calls };
}

const examples = Array.from({ length: 12 }, (_, i) => ({ question: `What is ${i + 2} + ${2 * i + 1}?`, answer: String(3 * i + 3) }));
const metric = ({ prediction, example }: { prediction: { answer: string }; example: { answer?: string } }) =>
  prediction.answer.trim() === example.answer ? 1 : 0;

test("tunePrompt finds the instruction and temperature that work, prunes, and applies them", { timeout: 120_000 }, async () => {
  const { ai, calls } = mockAI();
  const program = ax("question:string -> answer:string");
  const seen: string[] = [];
  const result = await tunePrompt({
    program, ai, examples, metric,
    instructions: ["Answer briefly.", "Think step by step.", "Use the examples."],
    nTrials: 40, minibatchSize: 4, fullEvaluationEvery: 5, seed: 3,
    onTrial: (t) => seen.push(t.state),
  });
  assert.equal(result.config.instruction, "Think step by step.");
  assert.ok(result.config.temperature < 0.6, JSON.stringify(result.config));
  assert.equal(result.bestScore, 1);
  assert.equal(program.getInstruction(), "Think step by step.");
  assert.deepEqual(result.modelConfig, { temperature: result.config.temperature, topP: result.config.topP });
  assert.equal(seen.length, 40);
  const pruned = result.study.getTrials({ states: ["PRUNED"] }).length;
  assert.ok(pruned > 0, "the median pruner stopped bad candidates early");
  // Pruning saved calls: 40 trials of 4 (or 12, every 5th) examples would take 224 plus the bootstrap.
  assert.ok(calls.n < 224 + 8, `${calls.n} model calls`);
  // The tuned program answers right when run with the tuned sampling.
  const out = await program.forward(ai, { question: "What is 20 + 22?" }, { modelConfig: result.modelConfig });
  assert.equal(out.answer, "42");
});

test("a teacher proposes the instructions; bad options are typed errors", { timeout: 120_000 }, async () => {
  const { ai } = mockAI();
  const teacher = new AxMockAIService<string>({
    features: { functions: false, streaming: false },
    chatResponse: async () => ({ results: [{ index: 0, content: 'Instructions: ["Be terse.", "Think step by step.", "Show the sum."]', finishReason: "stop" as const }] }),
  } as never);
  const program = ax("question:string -> answer:string");
  const result = await tunePrompt({ program, ai, teacher, nInstructions: 3, examples, metric, nTrials: 30, minibatchSize: 4, seed: 5 });
  const tried = new Set(result.study.trials.map((t) => t.params.instruction));
  assert.deepEqual([...tried].sort(), ["Be terse.", "Show the sum.", "Think step by step."]);
  assert.equal(result.config.instruction, "Think step by step.");
  await assert.rejects(tunePrompt({ program, ai, examples, metric }), (e: unknown) => e instanceof EdgetuneError && e.field === "instructions");
  await assert.rejects(tunePrompt({ program, ai, examples: [], metric, instructions: ["a"] }), (e: unknown) => e instanceof EdgetuneError && e.field === "examples");
  await assert.rejects(tunePrompt({ program, ai, examples, metric, instructions: ["a"], temperature: [1, 0] }), (e: unknown) => e instanceof EdgetuneError && e.field === "temperature");
  await assert.rejects(tunePrompt({ program: {} as never, ai, examples, metric, instructions: ["a"] }), (e: unknown) => e instanceof EdgetuneError && e.field === "program");
});
