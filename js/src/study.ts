// The user API of the `edgetune` package: Study, Trial, createStudy. Every algorithm
// lives in the Rust core; this file only shapes the calls for JS.
import { failReason, loopStop } from "./stop.js";
import { WasmStudy } from "./wasm/edgetune_wasm.js";
import type {
  Convergence,
  CreateStudyOptions,
  Direction,
  Distribution,
  ParamValue,
  SearchSpace,
  Spending,
  TellOutcome,
  TrialRecord,
  TrialState,
  TrialsTable,
} from "./wasm/edgetune_wasm.js";

export type {
  Convergence,
  CreateStudyOptions,
  Direction,
  Distribution,
  Param,
  ParamValue,
  PrunerOptions,
  SamplerOptions,
  SearchSpace,
  Spending,
  StoppingOptions,
  TellOutcome,
  TellState,
  TrialRecord,
  TrialState,
  TrialsTable,
} from "./wasm/edgetune_wasm.js";

/** An error from edgetune: `code` says what kind, `field` names the bad argument. */
export class EdgetuneError extends Error {
  readonly code: string;
  readonly field?: string;
  constructor(message: string, code: string, field?: string) {
    super(message);
    this.name = "EdgetuneError";
    this.code = code;
    this.field = field;
  }
}

/** Throw this from an objective to mark the trial PRUNED (as Optuna's `TrialPruned`). */
export class TrialPruned extends Error {
  constructor(message = "trial pruned") {
    super(message);
    this.name = "TrialPruned";
  }
}

function call<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as { name?: string; message?: string; code?: string; field?: string };
    if (err && err.name === "EdgetuneError") {
      throw new EdgetuneError(String(err.message), String(err.code), err.field);
    }
    throw e;
  }
}

/** Throws, naming the field, unless every value is a number (the wasm call would coerce). */
function numbers(values: Record<string, unknown>, log: unknown): void {
  for (const [field, v] of Object.entries(values)) {
    if (typeof v !== "number") throw invalid(`distribution.${field}`, `must be a number, got ${typeof v}`);
  }
  if (log !== undefined && typeof log !== "boolean") {
    throw invalid("distribution.log", `must be a boolean, got ${typeof log}`);
  }
}

function invalid(field: string, reason: string): EdgetuneError {
  return new EdgetuneError(`${field}: ${reason}`, "invalid_argument", field);
}

/** The cost argument of `report` and `tell`: a number, or undefined. */
function costOf(options: { cost?: number } | undefined): number | undefined {
  const cost = options?.cost;
  if (cost !== undefined && typeof cost !== "number") {
    throw invalid("cost", `must be a number, got ${typeof cost}`);
  }
  return cost;
}

/** What `report` and `tell` may carry besides the value. */
export interface CostOptions {
  /**
   * What the trial cost: so far with `report`, in all with `tell`; a number >= 0 in
   * the study's `costUnit`, never less than an earlier cost of the trial.
   */
  cost?: number;
}

/** Why `optimize` stopped. */
export type StopReason = "n_trials" | "timeout" | "aborted" | "budget_exhausted" | "converged" | "error";

/** What `optimize` resolves with. */
export interface OptimizeResult {
  /** Why it stopped. */
  reason: StopReason;
  /** How many trials it started. */
  nTrials: number;
}

/** Options of `suggestFloat` and `suggestInt`. */
export interface SuggestOptions {
  /** Sample on a log scale. */
  log?: boolean;
  /** Grid spacing from `low`. */
  step?: number;
}

/** A running trial: suggest parameters, report intermediate values, ask to prune. */
export class Trial {
  readonly number: number;
  readonly #study: WasmStudy;
  #cost: number | undefined;

  /** @internal Trials come from `study.ask()`. */
  constructor(study: WasmStudy, number: number) {
    this.#study = study;
    this.number = number;
  }

  /** A float in `[low, high]`. */
  suggestFloat(name: string, low: number, high: number, options: SuggestOptions = {}): number {
    numbers({ low, high, step: options.step ?? 0 }, options.log);
    return call(() => this.#study.suggestNumber(this.number, name, false, low, high, options.log === true, options.step));
  }

  /** An integer in `[low, high]`. */
  suggestInt(name: string, low: number, high: number, options: SuggestOptions = {}): number {
    for (const [field, v] of [["low", low], ["high", high], ["step", options.step ?? 1]] as const) {
      if (!Number.isSafeInteger(v)) throw invalid(`distribution.${field}`, `must be an integer, got ${v}`);
    }
    numbers({}, options.log);
    return call(() => this.#study.suggestNumber(this.number, name, true, low, high, options.log === true, options.step));
  }

  /** One of `choices`. */
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    const d: Distribution = { type: "categorical", choices: [...choices] };
    return call(() => this.#study.suggest(this.number, name, d)) as T;
  }

  /**
   * Reports an intermediate `value` at `step` (Optuna's order), with what the trial
   * has cost so far: it counts in the study's spending at once.
   */
  report(value: number, step: number, options?: CostOptions): void {
    const cost = costOf(options);
    call(() => this.#study.report(this.number, value, step, cost));
    if (cost !== undefined) this.#cost = cost;
  }

  /** Whether the study's pruner, or its cost budget, says to stop this trial now. */
  shouldPrune(): boolean {
    return this.pruneReason() !== undefined;
  }

  /** Why this trial should stop now: `"pruner"`, `"cost"` (the budget), or undefined. */
  pruneReason(): "pruner" | "cost" | undefined {
    return call(() => this.#study.pruneReason(this.number));
  }

  /** Sets what the trial cost in all; `optimize` tells it with the outcome. */
  setCost(cost: number): void {
    costOf({ cost });
    if (!(cost >= 0 && Number.isFinite(cost))) throw invalid("cost", `must be a finite number >= 0, got ${cost}`);
    this.#cost = cost;
  }

  /** The cost given to `setCost` or with the last `report`. */
  get cost(): number | undefined {
    return this.#cost;
  }

  /** Sets a user attribute (any JSON value). */
  setUserAttr(key: string, value: unknown): void {
    call(() => this.#study.setTrialUserAttr(this.number, key, value));
  }

  /**
   * Sets constraint values (`<= 0` is feasible), as Optuna's `Trial.set_constraint`:
   * TPE then avoids infeasible regions.
   */
  setConstraints(values: number[]): void {
    call(() => this.#study.setConstraints(this.number, new Float64Array(values)));
  }

  /** The parameters suggested so far. */
  get params(): Record<string, ParamValue> {
    return call(() => this.#study.trial(this.number)).params;
  }
}

/** Options of `study.optimize`. */
export interface OptimizeOptions {
  /** How many trials to run. */
  nTrials?: number;
  /** Stop starting trials after this many milliseconds. */
  timeoutMs?: number;
  /**
   * How many trials run at once (1). With TPE's constant liar (on by default), running
   * trials count as bad, so concurrent asks spread out.
   */
  concurrency?: number;
  /** Stop starting trials once aborted; trials already running finish. */
  signal?: AbortSignal;
  /** Called after each trial finished, with its record. */
  onTrial?: (trial: TrialRecord) => void;
  /**
   * Errors recorded as FAIL without stopping `optimize` (Optuna's `catch`): error
   * classes, or a predicate. Any other error fails its trial and is rethrown once the
   * running trials finished.
   */
  catch?: Array<abstract new (...args: never[]) => unknown> | ((error: unknown) => boolean);
}

/** What an objective returns: the value, or one value per objective. */
export type ObjectiveResult = number | number[];

/** A study: ask/tell, define-by-run suggestions, optimize, best trial, journal. */
export class Study {
  readonly #wasm: WasmStudy;

  private constructor(wasm: WasmStudy) {
    this.#wasm = wasm;
  }

  /** @internal */
  static _create(options?: CreateStudyOptions): Study {
    return new Study(call(() => new WasmStudy(options)));
  }

  /** Rebuilds a study from `toJournal()`'s output (a string or the parsed object). */
  static fromJournal(journal: string | object): Study {
    const text = typeof journal === "string" ? journal : JSON.stringify(journal);
    return new Study(call(() => WasmStudy.fromJournal(text)));
  }

  /**
   * A study from an Optuna journal file's text (Optuna's `JournalStorage` with
   * `JournalFileBackend`): its study `fromStudyName` (its only one when absent), created
   * with `options` (name, sampler, pruner, seed; the directions are the journal's) and
   * holding every trial, so the sampler goes on from them.
   */
  static fromOptunaJournal(text: string, options: CreateStudyOptions & { fromStudyName?: string } = {}): Study {
    const { fromStudyName, ...create } = options;
    return new Study(call(() => WasmStudy.fromOptunaJournal(text, fromStudyName, create)));
  }

  /** The study as an Optuna journal file's text, which Optuna and optuna-dashboard open. */
  toOptunaJournal(): string {
    return call(() => this.#wasm.toOptunaJournal());
  }

  /** The journal: every event of the study as JSON text. Replays into the same study. */
  toJournal(): string {
    return call(() => this.#wasm.toJournal());
  }

  /**
   * Wakes a study from `snapshot()`'s text without replaying the trials that left its
   * history window, caught up with the events of `journal` (the same study's later
   * `toJournal()`) that came after the snapshot.
   */
  static fromSnapshot(snapshot: string, journal?: string | object): Study {
    const text = journal === undefined || typeof journal === "string" ? journal : JSON.stringify(journal);
    return new Study(call(() => WasmStudy.fromSnapshot(snapshot, text)));
  }

  /** The study's state in memory as JSON text, for `Study.fromSnapshot`. */
  snapshot(): string {
    return this.#wasm.snapshot();
  }

  /**
   * How many of the newest finished trials the sampler and the pruner see (with the
   * best trial and the running ones); undefined without a history window.
   */
  get historyWindow(): number | undefined {
    return this.#wasm.historyWindow;
  }

  /** Gives the study a history window (20 to 1,000,000 trials), or resizes it. */
  setHistoryWindow(window: number): void {
    call(() => this.#wasm.setHistoryWindow(window));
  }

  /** How many trials the study has had, those that left its history window included. */
  get nTrials(): number {
    return this.#wasm.nTrials;
  }

  get studyName(): string {
    return this.#wasm.name;
  }

  get directions(): Direction[] {
    return this.#wasm.directions;
  }

  /** The seed every suggestion derives from. */
  get seed(): number {
    return this.#wasm.seed;
  }

  /** Starts a trial. With a search space, every parameter of it is suggested now. */
  ask(searchSpace?: SearchSpace): Trial {
    const number = call(() => this.#wasm.ask(searchSpace));
    return new Trial(this.#wasm, number);
  }

  /**
   * Finishes a trial: a value, one value per objective, or `{ state: "pruned" | "fail" }`,
   * with what it cost in all (without one, its last reported cost stands).
   */
  tell(trial: Trial | number, outcome: TellOutcome, options?: CostOptions): TrialState {
    const number = typeof trial === "number" ? trial : trial.number;
    const cost = costOf(options);
    return call(() => this.#wasm.tell(number, outcome, cost));
  }

  /** What the study spent against its budget: `{ spent, budget?, left?, unit? }`. */
  get spending(): Spending {
    return this.#wasm.spending();
  }

  /** How many trials were pruned because of the cost budget. */
  get nPrunedForCost(): number {
    return this.#wasm.nPrunedForCost;
  }

  /** Where the stopping rule stands, with the evaluator's numbers; undefined without one. */
  get convergence(): Convergence | undefined {
    return this.#wasm.convergence();
  }

  /** Enqueues a trial with fixed parameters; the next `ask` starts it. */
  enqueueTrial(params: Record<string, ParamValue>): number {
    return call(() => this.#wasm.enqueue(params));
  }

  /** Sets a study user attribute. */
  setUserAttr(key: string, value: unknown): void {
    call(() => this.#wasm.setUserAttr(key, value));
  }

  get userAttrs(): Record<string, unknown> {
    return this.#wasm.userAttrs;
  }

  /**
   * Every trial, by number. With a history window, the trials that left it are rebuilt
   * from the journal: O(events) then.
   */
  get trials(): TrialRecord[] {
    return call(() => this.#wasm.trials());
  }

  /** Trials in the given states. */
  getTrials(options: { states?: TrialState[] } = {}): TrialRecord[] {
    const all = this.trials;
    return options.states ? all.filter((t) => options.states!.includes(t.state)) : all;
  }

  /** The best COMPLETE trial, or undefined before the first one. Single-objective only. */
  get bestTrial(): TrialRecord | undefined {
    return call(() => this.#wasm.bestTrial());
  }

  /** The best trials: the Pareto front of the COMPLETE trials (all ties, with one objective). */
  get bestTrials(): TrialRecord[] {
    return this.#wasm.bestTrials();
  }

  /** The Pareto front of the COMPLETE trials (the same as `bestTrials`). */
  paretoFront(): TrialRecord[] {
    return this.#wasm.bestTrials();
  }

  /** The hypervolume of the COMPLETE trials against `reference` (one value per objective). */
  hypervolume(reference: number[]): number {
    return call(() => this.#wasm.hypervolume(new Float64Array(reference)));
  }

  /**
   * The hypervolume after each of `points` (1 to 1000) evenly spaced trial numbers, as
   * `[trialNumber, hypervolume]` pairs: the progress of a multi-objective study.
   */
  hypervolumeHistory(reference: number[], points = 100): [number, number][] {
    return call(() => this.#wasm.hypervolumeHistory(new Float64Array(reference), points));
  }

  /**
   * Parameter importance, normalised to sum to 1, most important first. The evaluator
   * is PED-ANOVA (Optuna 5's default; `targetQuantile` is the top share compared) or
   * `"fanova"` or `"mdi"` (mean decrease impurity), both over a random forest seeded
   * with the study seed.
   */
  importance(options: { evaluator?: "ped_anova" | "fanova" | "mdi"; targetQuantile?: number; regionQuantile?: number } = {}): Record<string, number> {
    const pairs = call(() =>
      this.#wasm.importance(options.evaluator ?? "ped_anova", options.targetQuantile ?? 0.1, options.regionQuantile ?? 1.0),
    );
    return Object.fromEntries(pairs);
  }

  /** The flat trials table, as Optuna's `trials_dataframe`: `{ columns, rows }`, or CSV text. */
  trialsTable(options: { format: "csv" }): string;
  trialsTable(options?: { format?: "json" }): TrialsTable;
  trialsTable(options: { format?: "json" | "csv" } = {}): TrialsTable | string {
    if (options.format === "csv") return call(() => this.#wasm.trialsCsv());
    if (options.format !== undefined && options.format !== "json") {
      throw invalid("format", `must be "json" or "csv", got ${String(options.format)}`);
    }
    return call(() => this.#wasm.trialsTable());
  }

  get bestParams(): Record<string, ParamValue> | undefined {
    return this.bestTrial?.params;
  }

  get bestValue(): number | undefined {
    return this.bestTrial?.value;
  }

  /**
   * Runs `objective` on new trials until `nTrials` ran, `timeoutMs` passed, `signal`
   * aborted, the cost budget is spent or the stopping rule fires, `concurrency` at a
   * time, and resolves with the reason it stopped. An objective that throws
   * `TrialPruned` prunes its trial; an error listed in `catch` fails it and
   * optimization goes on; any other error fails it, stops new trials, and is rethrown.
   * A trial's cost (from `trial.setCost` or its last `report`) is told with it.
   */
  async optimize(
    objective: (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>,
    options: OptimizeOptions = {},
  ): Promise<OptimizeResult> {
    const { nTrials, timeoutMs, signal, onTrial } = options;
    const concurrency = options.concurrency ?? 1;
    if (nTrials !== undefined && !(Number.isSafeInteger(nTrials) && nTrials >= 0)) {
      throw invalid("nTrials", `must be a whole number >= 0, got ${nTrials}`);
    }
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
      throw invalid("timeoutMs", `must be a number >= 0, got ${timeoutMs}`);
    }
    if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 1024)) {
      throw invalid("concurrency", `must be a whole number from 1 to 1024, got ${concurrency}`);
    }
    if (nTrials === undefined && timeoutMs === undefined && signal === undefined) {
      throw invalid("nTrials", "give nTrials, timeoutMs or signal, or optimize would never stop");
    }
    const caught = (e: unknown): boolean => {
      const c = options.catch;
      if (c === undefined) return false;
      return typeof c === "function" ? c(e) : c.some((cls) => e instanceof cls);
    };
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    let started = 0;
    let failure: { error: unknown } | undefined;
    let stop: StopReason | undefined;
    const studyStop = (): StopReason | undefined => {
      if (this.#wasm.spending().left === 0) return "budget_exhausted";
      return this.#wasm.convergence()?.converged ? "converged" : undefined;
    };
    const canStart = (): boolean => {
      stop ??= loopStop({ failed: failure !== undefined, signal, nTrials, started, deadline }) ?? studyStop();
      return stop === undefined;
    };
    const tellCost = (trial: Trial, outcome: TellOutcome) => {
      const cost = trial.cost;
      // A cost below the last reported one is the objective's mistake: tell without it.
      try {
        this.tell(trial, outcome, { cost });
      } catch (e) {
        if (cost === undefined || !(e instanceof EdgetuneError) || e.field !== "cost") throw e;
        this.tell(trial, outcome);
        failure ??= { error: e };
      }
    };
    const runOne = async (trial: Trial) => {
      let result: ObjectiveResult;
      try {
        result = await objective(trial);
      } catch (e) {
        if (e instanceof TrialPruned) {
          tellCost(trial, { state: "pruned" });
          return;
        }
        tellCost(trial, { state: "fail", reason: failReason(e) });
        if (!caught(e)) failure ??= { error: e };
        return;
      }
      try {
        tellCost(trial, result);
      } catch (e) {
        this.tell(trial, { state: "fail", reason: `the objective returned ${String(result)}` });
        failure ??= { error: e };
      }
    };
    const worker = async () => {
      while (canStart()) {
        let trial: Trial;
        try {
          trial = this.ask();
        } catch (e) {
          // Another worker's running trial spent the rest of the budget.
          if (e instanceof EdgetuneError && e.code === "budget_exhausted") {
            stop ??= "budget_exhausted";
            return;
          }
          throw e;
        }
        started++;
        await runOne(trial);
        onTrial?.(call(() => this.#wasm.trial(trial.number)));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure !== undefined) throw failure.error;
    return { reason: stop ?? "n_trials", nTrials: started };
  }
}

/** Creates a study. Every option has a default: `createStudy()` minimizes with random sampling. */
export function createStudy(options?: CreateStudyOptions): Study {
  return Study._create(options);
}
