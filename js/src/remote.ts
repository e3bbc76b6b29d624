// `RemoteStudy`: a study that lives in the edgetune HTTP service (`/api/v1`), with the
// local `Study`'s interface, so that moving from in-process to shared-at-the-edge is one
// line. Calls are async (`await study.ask()` works for both), the trial's parameters
// come from the service's ask over a search space given up front, and `report` asks the
// study's pruner on the server.
import {
  EdgetuneError, TrialPruned, type CostOptions, type Direction, type ObjectiveResult, type OptimizeOptions,
  type OptimizeResult, type ParamValue, type PrunerOptions, type SamplerOptions, type SearchSpace, type StopReason,
  type StoppingOptions, type SuggestOptions, type TellOutcome, type TrialRecord, type TrialState,
} from "./study.js";
import { failReason, loopStop } from "./stop.js";
import { studySpec, type CreateStudyOptions } from "./wasm/edgetune_wasm.js";

/** Where the service is and how to call it. */
export interface RemoteOptions {
  /** The service's origin, such as `https://edgetune.example.workers.dev`. */
  url: string;
  /** A tenant's API key (sent as `Authorization: Bearer`). */
  apiKey: string;
  /** Milliseconds per request before it is abandoned (default 10000). */
  timeoutMs?: number;
  /** Retries of a request that failed on the network or timed out, never of an HTTP
   * answer, with exponential backoff from 200 ms (default 3). */
  retries?: number;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof fetch;
}

/** What `RemoteStudy.create` sends: the local `createStudy` options (one declaration
 * with the HTTP body's; see `CreateStudyOptions`), with a name, and where to send them. */
export interface CreateRemoteStudyOptions extends RemoteOptions, CreateStudyOptions {
  studyName: string;
  /** Load the study when one of this name exists, instead of failing (default false). */
  loadIfExists?: boolean;
}

interface ApiTrial {
  number: number;
  state: TrialState;
  value: number | null;
  values: number[] | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, unknown>;
  intermediate_values: Record<string, number>;
  user_attrs: Record<string, unknown>;
  constraints: number[] | null;
  fail_reason: string | null;
  datetime_start: string | null;
  datetime_complete: string | null;
}

const ms = (iso: string | null) => (iso == null ? undefined : Date.parse(iso));

/** A trial of the service as the local package's `TrialRecord`. */
function record(t: ApiTrial): TrialRecord {
  return {
    number: t.number, state: t.state, value: t.value ?? undefined, values: t.values ?? undefined, params: t.params,
    distributions: t.distributions, intermediateValues: t.intermediate_values, userAttrs: t.user_attrs,
    constraints: t.constraints ?? undefined, failReason: t.fail_reason ?? undefined,
    datetimeStart: ms(t.datetime_start), datetimeComplete: ms(t.datetime_complete),
  } as TrialRecord;
}

const invalid = (field: string, reason: string) => new EdgetuneError(`${field}: ${reason}`, "invalid_argument", field);

/** The HTTP body of `createStudy`'s options: the wasm reads and checks them as a local
 * study would, and writes them as the service's snake_case study spec. */
function serviceSpec(options: CreateStudyOptions): unknown {
  try {
    return studySpec(options);
  } catch (e) {
    const err = e as { message?: string; field?: string };
    throw new EdgetuneError(String(err.message), "invalid_argument", err.field);
  }
}

/** One HTTP client of the service: JSON in and out, timeouts, retries, typed errors. */
class Client {
  readonly #url: string;
  readonly #key: string;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #fetch: typeof fetch;

  constructor(o: RemoteOptions) {
    if (typeof o.url !== "string" || !/^https?:\/\//.test(o.url)) throw invalid("url", `must be an http(s) URL, got ${String(o.url)}`);
    if (typeof o.apiKey !== "string" || o.apiKey === "") throw invalid("apiKey", "must be a non-empty string");
    const timeoutMs = o.timeoutMs ?? 10_000;
    if (!(timeoutMs > 0)) throw invalid("timeoutMs", `must be a number > 0, got ${timeoutMs}`);
    const retries = o.retries ?? 3;
    if (!(Number.isSafeInteger(retries) && retries >= 0 && retries <= 10)) throw invalid("retries", `must be a whole number from 0 to 10, got ${retries}`);
    this.#url = o.url.replace(/\/+$/, "");
    this.#key = o.apiKey;
    this.#timeoutMs = timeoutMs;
    this.#retries = retries;
    this.#fetch = o.fetch ?? globalThis.fetch;
  }

  /** `{ status, body }` of a request; throws `EdgetuneError` on a 4xx/5xx answer. */
  async call<T>(method: string, path: string, body?: unknown, raw?: string): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}` };
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(`${this.#url}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(this.#timeoutMs) });
      } catch (e) {
        if (attempt >= this.#retries) {
          throw new EdgetuneError(`${method} ${path}: the service did not answer (${e instanceof Error ? e.message : String(e)})`, "network");
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        continue;
      }
      const text = await response.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      if (!response.ok) {
        const error = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
        throw new EdgetuneError(error?.message ?? `${method} ${path}: HTTP ${response.status}`, error?.code ?? `http_${response.status}`, error?.field);
      }
      return json as T;
    }
  }
}

/** A trial asked of the service: its parameters were drawn there. */
export class RemoteTrial {
  readonly number: number;
  readonly params: Record<string, ParamValue>;
  #prune = false;
  #reason: "pruner" | "cost" | undefined;
  #cost: number | undefined;
  readonly #study: RemoteStudy;

  constructor(study: RemoteStudy, number: number, params: Record<string, ParamValue>) {
    this.#study = study;
    this.number = number;
    this.params = params;
  }

  #param(name: string): ParamValue {
    if (!(name in this.params)) {
      throw invalid(name, `is not in the study's search space (${Object.keys(this.params).join(", ")}): a remote trial's parameters are drawn at ask`);
    }
    return this.params[name];
  }

  /** The drawn value of float `name`, checked against the bounds the objective gives. */
  suggestFloat(name: string, low: number, high: number, _options: SuggestOptions = {}): number {
    const v = this.#param(name);
    if (typeof v !== "number" || v < low || v > high) throw invalid(name, `the study draws ${String(v)}, outside [${low}, ${high}]`);
    return v;
  }

  suggestInt(name: string, low: number, high: number, _options: SuggestOptions = {}): number {
    const v = this.#param(name);
    if (typeof v !== "number" || !Number.isInteger(v) || v < low || v > high) throw invalid(name, `the study draws ${String(v)}, not an integer in [${low}, ${high}]`);
    return v;
  }

  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    const v = this.#param(name);
    if (!choices.includes(v as T)) throw invalid(name, `the study draws ${JSON.stringify(v)}, not one of the choices`);
    return v as T;
  }

  /**
   * Reports an intermediate value, with what the trial has cost so far; resolves to
   * whether the study's pruner or its cost budget prunes.
   */
  async report(value: number, step: number, options?: CostOptions): Promise<boolean> {
    const r = await this.#study._client.call<{ should_prune: boolean; reason?: "pruner" | "cost" }>(
      "POST", `${this.#study._path}/trials/${this.number}/report`, { value, step, cost: options?.cost });
    this.#prune = r.should_prune;
    this.#reason = r.reason;
    return r.should_prune;
  }

  /** Sets what the trial cost in all; `optimize` tells it with the outcome. */
  setCost(cost: number): void {
    if (typeof cost !== "number" || !(cost >= 0 && Number.isFinite(cost))) throw invalid("cost", `must be a finite number >= 0, got ${String(cost)}`);
    this.#cost = cost;
  }

  /** The cost given to `setCost`. */
  get cost(): number | undefined {
    return this.#cost;
  }

  /** Why the last `report` said to prune: `"pruner"`, `"cost"`, or undefined. */
  pruneReason(): "pruner" | "cost" | undefined {
    return this.#reason;
  }

  /** Whether the last `report` said to prune. */
  shouldPrune(): boolean {
    return this.#prune;
  }

  /** Keeps the trial alive against the study's heartbeat timeout. */
  async heartbeat(): Promise<void> {
    await this.#study._client.call("POST", `${this.#study._path}/trials/${this.number}/heartbeat`);
  }
}

/** A study in the edgetune service, used like a local `Study`. */
export class RemoteStudy {
  /** @internal */ readonly _client: Client;
  /** @internal */ readonly _path: string;
  readonly studyName: string;
  readonly directions: Direction[];

  readonly #stopping: boolean;

  private constructor(client: Client, view: { study_name: string; directions: Direction[]; stopping?: unknown }) {
    this._client = client;
    this.#stopping = view.stopping != null;
    this.studyName = view.study_name;
    this.directions = view.directions;
    this._path = `/api/v1/studies/${encodeURIComponent(view.study_name)}`;
  }

  /** Creates the study in the service (or loads it, with `loadIfExists`). */
  static async create(options: CreateRemoteStudyOptions): Promise<RemoteStudy> {
    const client = new Client(options);
    const { url: _url, apiKey: _apiKey, timeoutMs: _timeoutMs, retries: _retries, fetch: _fetch, loadIfExists: _load, ...study } = options;
    const body = serviceSpec(study);
    try {
      return new RemoteStudy(client, await client.call("POST", "/api/v1/studies", body));
    } catch (e) {
      if (options.loadIfExists && e instanceof EdgetuneError && e.code === "conflict") {
        return RemoteStudy.load(options);
      }
      throw e;
    }
  }

  /** The existing study `studyName` of the service. */
  static async load(options: RemoteOptions & { studyName: string }): Promise<RemoteStudy> {
    const client = new Client(options);
    return new RemoteStudy(client, await client.call("GET", `/api/v1/studies/${encodeURIComponent(options.studyName)}`));
  }

  /**
   * Moves a study to the service: a journal (from a local `study.toJournal()`, or a
   * remote one's) becomes study `studyName` there, continuing exactly where it ends.
   */
  static async fromJournal(journal: string | object, options: RemoteOptions & { studyName: string }): Promise<RemoteStudy> {
    const client = new Client(options);
    const raw = typeof journal === "string" ? journal : JSON.stringify(journal);
    return new RemoteStudy(client, await client.call("POST", `/api/v1/studies/${encodeURIComponent(options.studyName)}/journal`, undefined, raw));
  }

  /** Every event of the study, as JSON text: `Study.fromJournal` continues it locally. */
  async toJournal(): Promise<string> {
    return JSON.stringify(await this._client.call("GET", `${this._path}/journal`));
  }

  /** A new trial drawn by the service, from the study's search space or `searchSpace`. */
  async ask(searchSpace?: SearchSpace): Promise<RemoteTrial> {
    const r = await this._client.call<{ trial_number: number; params: Record<string, ParamValue> }>(
      "POST", `${this._path}/trials/suggest`, searchSpace === undefined ? undefined : { search_space: searchSpace });
    return new RemoteTrial(this, r.trial_number, r.params);
  }

  /** Finishes a trial, as the local `tell`: a value, values, or `{ state }`. */
  async tell(trial: RemoteTrial | number, outcome: TellOutcome, options?: CostOptions): Promise<TrialState> {
    const number = typeof trial === "number" ? trial : trial.number;
    const at = `${this._path}/trials/${number}`;
    const cost = options?.cost;
    let r: ApiTrial;
    if (typeof outcome === "number") r = await this._client.call("POST", `${at}/complete`, { value: outcome, cost });
    else if (Array.isArray(outcome)) r = await this._client.call("POST", `${at}/complete`, { values: outcome, cost });
    else if (outcome.state === "complete") r = await this._client.call("POST", `${at}/complete`, { values: outcome.values, cost });
    else if (outcome.state === "pruned") {
      if (cost !== undefined) throw invalid("cost", "report the cost so far with report; a pruned trial keeps its last cost");
      r = await this._client.call("POST", `${at}/prune`);
    } else if (outcome.state === "fail") r = await this._client.call("POST", `${at}/fail`, { reason: outcome.reason, cost });
    else throw invalid("outcome", `unknown state ${JSON.stringify((outcome as { state: unknown }).state)}`);
    return r.state;
  }

  /** Every trial, oldest first. */
  async getTrials(options: { states?: TrialState[] } = {}): Promise<TrialRecord[]> {
    const state = options.states ? `&state=${options.states.join(",")}` : "";
    const out: TrialRecord[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this._client.call<{ trials: ApiTrial[] }>("GET", `${this._path}/trials?offset=${offset}&limit=1000${state}`);
      out.push(...page.trials.map(record));
      if (page.trials.length < 1000) return out;
    }
  }

  /** The best trial (the first Pareto-optimal one with several objectives), if any. */
  async bestTrial(): Promise<TrialRecord | undefined> {
    try {
      return record((await this._client.call<{ best_trial: ApiTrial }>("GET", `${this._path}/best`)).best_trial);
    } catch (e) {
      if (e instanceof EdgetuneError && e.code === "not_found") return undefined;
      throw e;
    }
  }

  async bestValue(): Promise<number | undefined> {
    return (await this.bestTrial())?.value;
  }

  async bestParams(): Promise<Record<string, ParamValue> | undefined> {
    return (await this.bestTrial())?.params;
  }

  /**
   * As the local `optimize`: `concurrency` objectives at a time (the service's TPE
   * spreads concurrent asks), until `nTrials`, `timeoutMs` or `signal`. `TrialPruned`
   * prunes; errors listed in `catch` fail the trial and optimization goes on.
   */
  async optimize(
    objective: (trial: RemoteTrial) => ObjectiveResult | Promise<ObjectiveResult>,
    options: Omit<OptimizeOptions, "onTrial"> & { onTrial?: (trial: { number: number; state: TrialState }) => void } = {},
  ): Promise<OptimizeResult> {
    const { nTrials, timeoutMs, signal, onTrial } = options;
    const concurrency = options.concurrency ?? 1;
    if (nTrials !== undefined && !(Number.isSafeInteger(nTrials) && nTrials >= 0)) throw invalid("nTrials", `must be a whole number >= 0, got ${nTrials}`);
    if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 1024)) throw invalid("concurrency", `must be a whole number from 1 to 1024, got ${concurrency}`);
    if (nTrials === undefined && timeoutMs === undefined && signal === undefined) throw invalid("nTrials", "give nTrials, timeoutMs or signal, or optimize would never stop");
    const caught = (e: unknown) => {
      const c = options.catch;
      return c !== undefined && (typeof c === "function" ? c(e) : c.some((cls) => e instanceof cls));
    };
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    let started = 0;
    let failure: { error: unknown } | undefined;
    let stop: StopReason | undefined;
    const canStart = (): boolean => {
      stop ??= loopStop({ failed: failure !== undefined, signal, nTrials, started, deadline });
      return stop === undefined;
    };
    const worker = async () => {
      while (canStart()) {
        // Counted before the ask: other workers check the count while it is in flight.
        started++;
        let trial: RemoteTrial;
        try {
          trial = await this.ask();
        } catch (e) {
          started--;
          if (e instanceof EdgetuneError && e.code === "budget_exhausted") {
            stop ??= "budget_exhausted";
            return;
          }
          throw e;
        }
        let state: TrialState;
        try {
          const result = await objective(trial);
          state = await this.tell(trial, result, { cost: trial.cost });
        } catch (e) {
          if (e instanceof EdgetuneError && e.code !== "invalid_argument") {
            failure ??= { error: e }; // the service refused or is gone: stop
            return;
          }
          state = e instanceof TrialPruned
            ? await this.tell(trial, { state: "pruned" })
            : await this.tell(trial, { state: "fail", reason: failReason(e) });
          if (!(e instanceof TrialPruned) && !caught(e)) failure ??= { error: e };
        }
        onTrial?.({ number: trial.number, state });
        if (state !== "RUNNING" && (await this.#converged())) stop ??= "converged";
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failure !== undefined) throw failure.error;
    return { reason: stop ?? "n_trials", nTrials: started };
  }

  /** Whether the study's stopping rule fired (false without one; one request). */
  async #converged(): Promise<boolean> {
    if (!this.#stopping) return false;
    const view = await this._client.call<{ converged: boolean }>("GET", this._path);
    return view.converged;
  }
}
