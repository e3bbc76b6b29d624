// Where the dashboard reads studies from: the HTTP API of the Worker (one tenant, by its
// API key), or a local `Study` of the npm package in the same page. Both hand the views
// the same shapes, made here:
//   trial: { number, state, values, params, distributions, intermediate: [[step, v]],
//            userAttrs, failReason, start, complete, cost }   (times in ms, or null)
//   study: { name, directions, metricNames, sampler, pruner, counts, nTrials, created,
//            lastActivity, jobId, cost: { spent, budget, left, unit }, nPrunedForCost,
//            converged }

/** Trials are fetched in pages of this many (the API's maximum). */
const PAGE = 1000;
const STATES = ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"];
const ms = (iso) => (iso == null ? null : Date.parse(iso));

function intermediate(map) {
  return Object.entries(map ?? {})
    .map(([step, v]) => [Number(step), v])
    .sort((a, b) => a[0] - b[0]);
}

/** A trial of the HTTP API. */
export function apiTrial(t) {
  return {
    number: t.number, state: t.state, values: t.values ?? (t.value == null ? null : [t.value]),
    params: t.params, distributions: t.distributions, intermediate: intermediate(t.intermediate_values),
    userAttrs: t.user_attrs ?? {}, failReason: t.fail_reason ?? null,
    start: ms(t.datetime_start), complete: ms(t.datetime_complete), cost: t.cost ?? null,
  };
}

/** A study view of the HTTP API. */
export function apiStudy(s) {
  return {
    name: s.study_name, directions: s.directions, metricNames: s.metric_names ?? null,
    sampler: s.sampler?.type ?? String(s.sampler),
    pruner: s.pruner?.type ?? "none", counts: s.trial_counts, nTrials: s.n_trials,
    created: ms(s.created_at), lastActivity: ms(s.last_activity),
    jobId: s.metadata?.job?.job_id ?? null,
    best: s.best_trial ? s.best_trial.values ?? [s.best_trial.value] : null,
    cost: s.cost ?? null, nPrunedForCost: s.n_pruned_for_cost ?? 0, converged: s.converged ?? false,
  };
}

/** A `TrialRecord` of the npm package. */
export function localTrial(t) {
  return {
    number: t.number, state: t.state, values: t.values ?? (t.value == null ? null : [t.value]),
    params: t.params, distributions: t.distributions, intermediate: intermediate(t.intermediateValues),
    userAttrs: t.userAttrs ?? {}, failReason: t.failReason ?? null,
    start: t.datetimeStart ?? null, complete: t.datetimeComplete ?? null, cost: t.cost ?? null,
  };
}

export class HttpSource {
  /** `base` is the Worker's origin ("" for the page's own), `key` a tenant's API key. */
  constructor(base, key) {
    this.base = base;
    this.key = key;
  }

  async #get(path) {
    const r = await fetch(`${this.base}${path}`, { headers: { authorization: `Bearer ${this.key}` } });
    const body = await r.json().catch(() => null);
    if (!r.ok) {
      const e = new Error(body?.error?.message ?? `HTTP ${r.status}`);
      e.status = r.status;
      throw e;
    }
    return body;
  }

  /** One page of the tenant's studies: { studies: [{ study_name, ... }], total }. */
  listStudies(offset = 0, limit = 50) {
    return this.#get(`/api/v1/studies?offset=${offset}&limit=${limit}`);
  }

  /** The study: configuration, counts, last activity. */
  async study(name) {
    return apiStudy(await this.#get(`/api/v1/studies/${encodeURIComponent(name)}`));
  }

  /** The trials numbered `from` and later, in number order. */
  async trialsFrom(name, from) {
    const out = [];
    for (let offset = from; ; offset += PAGE) {
      const page = await this.#get(`/api/v1/studies/${encodeURIComponent(name)}/trials?offset=${offset}&limit=${PAGE}`);
      out.push(...page.trials.map(apiTrial));
      if (page.trials.length < PAGE) return out;
    }
  }

  /** { importances, ranking } by `evaluator`. */
  importance(name, evaluator) {
    return this.#get(`/api/v1/studies/${encodeURIComponent(name)}/importance?evaluator=${evaluator}`);
  }

  /** The numbers of the Pareto-optimal trials. */
  async paretoNumbers(name) {
    return (await this.#get(`/api/v1/studies/${encodeURIComponent(name)}/pareto`)).trials.map((t) => t.number);
  }

  /** The hypervolume after each of `points` evenly spaced trials: [[number, hv], ...]. */
  async hypervolumeHistory(name, reference, points) {
    const r = await this.#get(
      `/api/v1/studies/${encodeURIComponent(name)}/pareto?reference=${reference.join(",")}&history=${points}`,
    );
    return r.hypervolume_history;
  }

  /** A job's status and progress (the Ax API serves jobs under the key). */
  job(jobId) {
    return this.#get(`/ax/${encodeURIComponent(this.key)}/jobs/${encodeURIComponent(jobId)}`);
  }

  /** The study's current recommendation, or null before an automation published one. */
  async recommendation(name) {
    try {
      return await this.#get(`/api/v1/studies/${encodeURIComponent(name)}/recommendation`);
    } catch (e) {
      if (e.status === 404) return null;
      throw e;
    }
  }

  /** The tenant's automations: { automations: [...] }. */
  automations() {
    return this.#get("/api/v1/automations");
  }

  /** One automation: configuration, schedule, last run. */
  automation(name) {
    return this.#get(`/api/v1/automations/${encodeURIComponent(name)}`);
  }

  /** Its audit trail, newest first: { runs: [...] }. */
  runs(name, limit) {
    return this.#get(`/api/v1/automations/${encodeURIComponent(name)}/runs?limit=${limit}`);
  }
}

/** A local `Study` of the npm package (`edgetune`), read in place. */
export class LocalSource {
  constructor(study, name = "local") {
    this.studyObject = study;
    this.name = name;
  }

  async listStudies() {
    return { studies: [{ study_name: this.name, directions: this.studyObject.directions }], total: 1 };
  }

  async study() {
    // Read out of wasm once per refresh: `trialsFrom` follows and reuses it.
    const trials = (this.lastRead = this.studyObject.trials);
    const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
    for (const t of trials) counts[t.state]++;
    const last = trials.reduce((m, t) => Math.max(m, t.datetimeStart ?? -Infinity, t.datetimeComplete ?? -Infinity), -Infinity);
    const best = this.studyObject.directions.length === 1 ? this.studyObject.bestValue : undefined;
    return {
      name: this.name, directions: this.studyObject.directions, metricNames: null, sampler: "local", pruner: "local", counts,
      nTrials: trials.length, created: null, lastActivity: Number.isFinite(last) ? last : null, jobId: null,
      best: best === undefined ? null : [best],
      cost: this.studyObject.spending ?? null, nPrunedForCost: this.studyObject.nPrunedForCost ?? 0,
      converged: this.studyObject.convergence?.converged ?? false,
    };
  }

  async trialsFrom(_name, from) {
    const trials = this.lastRead ?? this.studyObject.trials;
    this.lastRead = undefined;
    return trials.slice(from).map(localTrial);
  }

  async paretoNumbers() {
    return this.studyObject.paretoFront().map((t) => t.number);
  }

  async importance(_name, evaluator) {
    const importances = this.studyObject.importance({ evaluator });
    return { importances, ranking: Object.keys(importances) };
  }

  async hypervolumeHistory(_name, reference, points) {
    return this.studyObject.hypervolumeHistory(reference, points);
  }

  async job() {
    return null;
  }

  /** Automations publish recommendations on the service only. */
  async recommendation() {
    return null;
  }
}
