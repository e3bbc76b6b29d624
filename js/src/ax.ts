// `edgetune/ax`: an Ax-native prompt tuner (for `@ax-llm/ax` >= 20, which dropped MiPRO
// and its optimizer service) that runs TPE in-process. It searches a program's
// instruction (among candidates given or proposed by a teacher model), how many
// bootstrapped demos and labeled examples it sees, and its temperature and topP;
// evaluates each configuration on a minibatch, with a full evaluation every k trials;
// prunes bad candidates early with the median pruner on the running score; and applies
// the best configuration to the program.
//
// For Node. It needs no Ax at import: the program and AI service are used through the methods Ax
// programs have (`forward`, `setInstruction`, `setDemos`, `setExamples`), and Ax itself
// is imported only to let a teacher propose instructions.
// Node: the entry that loads the wasm from disk (Ax tunes against model APIs from Node).
import { createStudy, EdgetuneError, TrialPruned, type Study } from "./index.js";

/**
 * The part of an Ax program (`AxGen`, from `ax("...")`) the tuner uses. Demos and
 * examples are Ax's own shapes (`{ programId, traces }[]` and labeled examples), typed
 * loosely so that any signature's program fits.
 */
export interface AxProgramLike<IN, OUT> {
  /** Runs the program on `values`, an example's input fields (`IN`). Ax types its own
   * parameter as a union with chat messages, which no `IN` is assignable to under
   * `strictFunctionTypes`, so the parameter is left open here, or no Ax program fits. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(ai: any, values: any, options?: any): Promise<OUT>;
  setInstruction(instruction: string): void;
  getInstruction?(): string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setDemos(demos: any): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  setExamples(examples: any): void;
  getId?(): string;
  getSignature?(): { toString(): string; getInputFields?(): readonly { name: string }[] };
}

export interface TunePromptOptions<IN, OUT> {
  program: AxProgramLike<IN, OUT>;
  /** The AI service the program runs on. */
  ai: unknown;
  /** Labeled examples: the program's inputs with the expected outputs. */
  examples: readonly (IN & Partial<OUT>)[];
  /** Scores a prediction against its example; higher is better (usually 0 to 1). */
  metric: (args: { prediction: OUT; example: IN & Partial<OUT> }) => number | Promise<number>;
  /** Candidate instructions. Without them, `teacher` proposes `nInstructions`. */
  instructions?: readonly string[];
  /** An AI service that proposes instructions (needs `@ax-llm/ax` installed). */
  teacher?: unknown;
  /** Instructions the teacher proposes (default 5). */
  nInstructions?: number;
  /** Most bootstrapped demos a configuration may use (default 4). */
  maxDemos?: number;
  /** Most labeled examples a configuration may use (default 4). */
  maxExamples?: number;
  /** Range of the temperature (default [0, 1.5]). */
  temperature?: readonly [number, number];
  /** Range of topP (default [0.5, 1]). */
  topP?: readonly [number, number];
  /** Configurations tried (default 30). */
  nTrials?: number;
  /** Examples per minibatch evaluation (default 8). */
  minibatchSize?: number;
  /** Every this many trials, a configuration is evaluated on every example (default 5). */
  fullEvaluationEvery?: number;
  seed?: number;
  /** Called after each configuration. */
  onTrial?: (trial: { number: number; state: string; score: number | undefined; config: PromptConfig }) => void;
}

/** One point of the search. */
export interface PromptConfig {
  instruction: string;
  demos: number;
  examples: number;
  temperature: number;
  topP: number;
}

export interface TunePromptResult {
  /** The best configuration's score on every example. */
  bestScore: number;
  /** The best configuration, now applied to the program. */
  config: PromptConfig;
  /** The study, for its trials, plots and importance. */
  study: Study;
  /** Pass to `program.forward(ai, values, { modelConfig })` to run with the tuned sampling. */
  modelConfig: { temperature: number; topP: number };
}

const invalid = (field: string, reason: string) => new EdgetuneError(`${field}: ${reason}`, "invalid_argument", field);

function range(name: string, value: readonly [number, number] | undefined, fallback: [number, number], max: number): [number, number] {
  const [low, high] = value ?? fallback;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low >= 0 && low <= high && high <= max)) {
    throw invalid(name, `must be [low, high] with 0 <= low <= high <= ${max}, got ${JSON.stringify(value)}`);
  }
  return [low, high];
}

function count(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!(Number.isSafeInteger(n) && n >= min && n <= max)) throw invalid(name, `must be a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

/** Asks `teacher` for `n` distinct instructions for `program`'s task. */
async function proposeInstructions(program: AxProgramLike<unknown, unknown>, teacher: unknown, n: number): Promise<string[]> {
  const specifier = "@ax-llm/ax";
  const { ax } = (await import(specifier)) as { ax: (signature: string) => AxProgramLike<Record<string, unknown>, { instructions: string[] }> };
  const proposer = ax('task:string, currentInstruction:string, count:number -> instructions:string[] "distinct, specific instructions for the task"');
  const out = await proposer.forward(teacher, {
    task: String(program.getSignature?.() ?? "the program's task"),
    currentInstruction: program.getInstruction?.() || "(none yet)",
    count: n,
  });
  return out.instructions;
}

/**
 * Tunes `program`'s prompt and sampling with TPE over the examples, applies the best
 * configuration, and returns it. Costs `nTrials` minibatch or full evaluations, each
 * one `forward` per example evaluated (fewer when pruned), plus the demo bootstrap.
 */
export async function tunePrompt<IN extends Record<string, unknown>, OUT extends Record<string, unknown>>(
  options: TunePromptOptions<IN, OUT>,
): Promise<TunePromptResult> {
  const { program, ai, metric } = options;
  if (typeof program?.forward !== "function" || typeof program.setInstruction !== "function" || typeof program.setDemos !== "function") {
    throw invalid("program", "must be an Ax program (forward, setInstruction, setDemos, setExamples)");
  }
  if (typeof metric !== "function") throw invalid("metric", "must be a function");
  const examples = options.examples;
  if (!Array.isArray(examples) || examples.length === 0) throw invalid("examples", "must be a non-empty array");
  const nTrials = count("nTrials", options.nTrials, 30, 1, 10_000);
  const maxDemos = count("maxDemos", options.maxDemos, 4, 0, 64);
  const maxExamples = count("maxExamples", options.maxExamples, 4, 0, 64);
  const minibatchSize = count("minibatchSize", options.minibatchSize, 8, 1, 10_000);
  const fullEvery = count("fullEvaluationEvery", options.fullEvaluationEvery, 5, 1, 10_000);
  const temperature = range("temperature", options.temperature, [0, 1.5], 2);
  const topP = range("topP", options.topP, [0.5, 1], 1);

  let candidates = [...(options.instructions ?? [])];
  if (candidates.length === 0) {
    if (options.teacher === undefined) throw invalid("instructions", "give candidate instructions, or a teacher to propose them");
    candidates = await proposeInstructions(program as AxProgramLike<unknown, unknown>, options.teacher, count("nInstructions", options.nInstructions, 5, 1, 50));
  }
  const current = program.getInstruction?.();
  if (current) candidates.unshift(current);
  candidates = [...new Set(candidates.filter((c) => typeof c === "string" && c.trim() !== ""))];
  if (candidates.length === 0) throw invalid("instructions", "no usable instruction");

  const inputNames = program.getSignature?.()?.getInputFields?.()?.map((f) => f.name);
  const inputsOf = (example: IN & Partial<OUT>): IN =>
    (inputNames ? Object.fromEntries(inputNames.filter((n) => n in example).map((n) => [n, example[n]])) : { ...example }) as IN;

  // Bootstrapped demos: the program's own successful traces on the first examples.
  const demos: Record<string, unknown>[] = [];
  for (const example of examples.slice(0, 2 * maxDemos)) {
    if (demos.length >= maxDemos) break;
    try {
      const prediction = await program.forward(ai, inputsOf(example));
      if ((await metric({ prediction, example })) > 0) demos.push({ ...inputsOf(example), ...prediction });
    } catch {
      // A failed bootstrap run is just not a demo.
    }
  }

  const study = createStudy({
    studyName: "prompt",
    directions: ["maximize"],
    sampler: { type: "tpe" },
    pruner: { type: "median", nStartupTrials: 5, nWarmupSteps: 1 },
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const programId = program.getId?.() ?? "root";
  const apply = (config: PromptConfig) => {
    program.setInstruction(config.instruction);
    program.setDemos(config.demos > 0 ? [{ programId, traces: demos.slice(0, config.demos) }] : []);
    program.setExamples(examples.slice(0, config.examples) as Record<string, unknown>[]);
  };
  const configOf = (params: Record<string, unknown>): PromptConfig => ({
    instruction: params.instruction as string, demos: params.demos as number, examples: params.examples as number,
    temperature: params.temperature as number, topP: params.topP as number,
  });
  // A seeded order of the examples; trial t's minibatch is a window of it.
  let state = (options.seed ?? 1) >>> 0 || 1;
  const order = examples.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const full = new Set<number>();
  await study.optimize(async (trial) => {
    const config: PromptConfig = {
      instruction: trial.suggestCategorical("instruction", candidates),
      demos: trial.suggestInt("demos", 0, Math.min(maxDemos, demos.length)),
      examples: trial.suggestInt("examples", 0, Math.min(maxExamples, examples.length)),
      temperature: trial.suggestFloat("temperature", temperature[0], temperature[1]),
      topP: trial.suggestFloat("topP", topP[0], topP[1]),
    };
    apply(config);
    const isFull = (trial.number + 1) % fullEvery === 0 || minibatchSize >= examples.length;
    const batch = isFull
      ? order
      : Array.from({ length: minibatchSize }, (_, k) => order[(trial.number * minibatchSize + k) % order.length]);
    if (isFull) full.add(trial.number);
    let total = 0;
    for (const [step, index] of batch.entries()) {
      const example = examples[index];
      let score = 0;
      try {
        const prediction = await program.forward(ai, inputsOf(example), { modelConfig: { temperature: config.temperature, topP: config.topP } });
        score = await metric({ prediction, example });
      } catch {
        score = 0; // a failed generation scores nothing
      }
      total += score;
      trial.report(total / (step + 1), step);
      if (!isFull && trial.shouldPrune()) throw new TrialPruned();
    }
    return total / batch.length;
  }, {
    nTrials,
    onTrial: (t) => options.onTrial?.({ number: t.number, state: t.state, score: t.value, config: configOf(t.params) }),
  });

  // The best fully evaluated configuration; without one, the best minibatch one is
  // evaluated on every example.
  const complete = study.getTrials({ states: ["COMPLETE"] });
  if (complete.length === 0) throw new EdgetuneError("every configuration was pruned or failed", "not_available");
  const fullyEvaluated = complete.filter((t) => full.has(t.number));
  let best = (fullyEvaluated.length ? fullyEvaluated : complete).reduce((a, b) => ((b.value ?? -Infinity) > (a.value ?? -Infinity) ? b : a));
  let bestScore = best.value as number;
  const config = configOf(best.params);
  apply(config);
  if (!fullyEvaluated.length) {
    let total = 0;
    for (const example of examples) {
      const prediction = await program.forward(ai, inputsOf(example), { modelConfig: { temperature: config.temperature, topP: config.topP } });
      total += await metric({ prediction, example });
    }
    bestScore = total / examples.length;
    best = { ...best, value: bestScore };
  }
  return { bestScore, config, study, modelConfig: { temperature: config.temperature, topP: config.topP } };
}
