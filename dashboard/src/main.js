// The edgetune dashboard: the studies of one tenant and, for one study, its plots, its
// trials, its job and its published recommendation, kept live by polling; the tenant's
// automations and each one's audit trail. `mountApp` is the page the Worker serves at
// /dashboard/; `mountStudy` renders one study from any source (the HTTP API, or a local
// `Study` of the npm package through `LocalSource`).
import { automationsPage, mountAutomation, recommendationView } from "./automations.js";
import { echarts } from "./charts.js";
import {
  costOption, defaultReference, historyOption, hypervolumeOption, importanceOption, intermediateOption, paramNames,
  pairOption, parallelOption, paretoOption,
} from "./plots.js";
import { HttpSource, LocalSource } from "./source.js";
import { h, TrialsTable, trialDetail } from "./table.js";

export { HttpSource, LocalSource };

const POLL_MS = 3000;
const KEY = "edgetune.dashboard.key";
const when = (ms) => (ms == null ? "" : new Date(ms).toISOString().replace("T", " ").slice(0, 19));

/** The charts on screen, by id, and the state behind them (read by the browser test). */
const registry = { charts: {}, study: null, trials: [] };
globalThis.edgetuneDashboard = registry;

function chart(container, id) {
  let el = container.querySelector(`[data-chart="${id}"]`);
  if (!el) {
    el = h("div", { class: "chart", "data-chart": id });
    container.append(el);
  }
  const c = echarts.getInstanceByDom(el) ?? echarts.init(el, null, { renderer: "canvas" });
  registry.charts[id] = c;
  return c;
}

/**
 * Renders study `name` of `source` into `root` and keeps it live; returns a function
 * that stops the polling.
 */
export function mountStudy(root, source, name, { poll = POLL_MS } = {}) {
  let trials = [];
  let study = null;
  let stopped = false;
  const ui = { objective: 0, log: false, x: null, y: null, evaluator: "ped_anova", paretoX: 0, paretoY: 1 };
  const header = h("div", { class: "study-header" });
  const controls = h("div", { class: "controls" });
  const plots = h("div", { class: "plots" });
  const job = h("div", { class: "job" });
  const budget = h("div", { class: "budget" });
  const recommendation = h("div", { class: "recommendation" });
  const tableBox = h("div", { class: "table-box" });
  const detail = h("div", { class: "detail-box" });
  const status = h("div", { class: "status muted" });
  root.replaceChildren(header, job, budget, recommendation, controls, plots, h("h3", {}, "Trials"), tableBox, detail, status);
  const table = new TrialsTable(tableBox, (t) => detail.replaceChildren(trialDetail(t)));

  const select = (label, options, value, onchange, testid) => h("label", {}, `${label} `,
    h("select", { "data-testid": testid, onchange: (e) => { onchange(e.target.value); draw(); } },
      ...options.map(([v, text]) => h("option", { value: v, selected: String(v) === String(value) ? "" : null }, text))));

  function drawControls() {
    const params = paramNames(trials);
    ui.x ??= params[0] ?? null;
    ui.y ??= params[1] ?? null;
    const objectives = study.directions.map((d, i) => [i, `${objectiveName(study, i)} (${d})`]);
    controls.replaceChildren(
      study.directions.length > 1 ? select("objective", objectives, ui.objective, (v) => (ui.objective = Number(v)), "objective") : "",
      h("label", {}, h("input", { type: "checkbox", "data-testid": "log-scale", checked: ui.log ? "" : null, onchange: (e) => { ui.log = e.target.checked; draw(); } }), " log scale"),
      params.length ? select("x", params.map((p) => [p, p]), ui.x, (v) => (ui.x = v), "pair-x") : "",
      params.length ? select("y", [["", "objective (slice)"], ...params.map((p) => [p, p])], ui.y ?? "", (v) => (ui.y = v || null), "pair-y") : "",
      study.directions.length === 1
        ? select("importance", [["ped_anova", "PED-ANOVA"], ["fanova", "fANOVA"], ["mdi", "MDI"]], ui.evaluator, (v) => (ui.evaluator = v), "evaluator")
        : "",
      study.directions.length > 2 ? select("front x", objectives, ui.paretoX, (v) => (ui.paretoX = Number(v)), "pareto-x") : "",
      study.directions.length > 2 ? select("front y", objectives, ui.paretoY, (v) => (ui.paretoY = Number(v)), "pareto-y") : "",
    );
  }

  async function drawImportance() {
    if (study.directions.length !== 1) return;
    try {
      const r = await source.importance(name, ui.evaluator);
      chart(plots, "importance").setOption(importanceOption(r.importances, ui.evaluator), true);
    } catch (e) {
      chart(plots, "importance").setOption({ title: { text: `Importance: ${e.message}`, textStyle: { fontSize: 12 } } }, true);
    }
  }

  async function drawPareto() {
    try {
      const front = new Set(await source.paretoNumbers(name));
      chart(plots, "pareto").setOption(paretoOption(trials, study.directions, front, ui.paretoX, ui.paretoY, study.metricNames ?? []), true);
    } catch (e) {
      chart(plots, "pareto").setOption({ title: { text: `Pareto front: ${e.message}`, textStyle: { fontSize: 12 } } }, true);
    }
  }

  async function drawHypervolume() {
    const reference = defaultReference(trials, study.directions);
    try {
      // Each point is a hypervolume of a prefix of the trials: 100 keep a poll cheap.
      const history = await source.hypervolumeHistory(name, reference, 100);
      chart(plots, "hypervolume").setOption(hypervolumeOption(history, reference), true);
    } catch (e) {
      chart(plots, "hypervolume").setOption({ title: { text: `Hypervolume: ${e.message}`, textStyle: { fontSize: 12 } } }, true);
    }
  }

  function draw() {
    drawControls();
    chart(plots, "history").setOption(historyOption(trials, study.directions, { objective: ui.objective, log: ui.log, label: objectiveName(study, ui.objective) }), true);
    if (trials.some((t) => t.intermediate.length)) chart(plots, "intermediate").setOption(intermediateOption(trials), true);
    chart(plots, "parallel").setOption(parallelOption(trials, { objective: ui.objective, label: objectiveName(study, ui.objective) }), true);
    if (ui.x) chart(plots, "pair").setOption(pairOption(trials, ui.x, ui.y, { objective: ui.objective }), true);
    if (trials.some((t) => t.cost != null)) {
      const options = { objective: ui.objective, label: objectiveName(study, ui.objective), unit: study.cost?.unit };
      chart(plots, "cost").setOption(costOption(trials, options), true);
    }
    if (study.directions.length > 1) {
      drawPareto();
      drawHypervolume();
    }
    drawImportance();
    table.update(trials, study.directions);
  }

  function drawBudget() {
    const c = study.cost;
    if (!c || (c.budget == null && !c.spent && !study.converged)) return budget.replaceChildren();
    const unit = c.unit ? ` ${c.unit}` : "";
    const n = (v) => +v.toPrecision(6);
    const parts = [c.budget == null ? `spent ${n(c.spent)}${unit}` : `spent ${n(c.spent)} of ${n(c.budget)}${unit} (${n(c.left)}${unit} left)`];
    if (study.nPrunedForCost) parts.push(`${study.nPrunedForCost} pruned for cost`);
    if (study.converged) parts.push("converged: the stopping rule fired");
    budget.replaceChildren(h("div", { class: `job-status${c.budget != null && c.left === 0 ? " exhausted" : ""}`, "data-testid": "budget" },
      h("strong", {}, "Budget"),
      c.budget == null ? " " : h("progress", { max: String(c.budget), value: String(Math.min(c.spent, c.budget)) }),
      parts.join(" · ")));
  }

  async function drawJob() {
    if (!study.jobId) return job.replaceChildren();
    const j = await source.job(study.jobId).catch(() => null);
    if (!j) return job.replaceChildren();
    const p = j.progress;
    job.replaceChildren(h("div", { class: `job-status ${j.status}`, "data-testid": "job" },
      h("strong", {}, `Job ${j.job_id}: ${j.status}`),
      h("progress", { max: String(p.n_trials), value: String(p.completed_trials) }),
      ` ${p.completed_trials} / ${p.n_trials} trials` + (p.best_value == null ? "" : `, best ${+p.best_value.toPrecision(6)}`),
      j.error ? h("span", { class: "error" }, ` ${j.error}`) : null));
  }

  async function refresh() {
    const next = await source.study(name);
    const changed = !study || next.nTrials !== study.nTrials || JSON.stringify(next.counts) !== JSON.stringify(study.counts);
    study = next;
    header.replaceChildren(h("h2", {}, study.name), h("div", { class: "muted" },
      `${study.directions.join(", ")} · sampler ${study.sampler} · pruner ${study.pruner} · ` +
      Object.entries(study.counts).filter(([, n]) => n).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(", ") +
      (study.lastActivity ? ` · last activity ${when(study.lastActivity)}` : "")));
    if (changed) {
      // Trials before the first unfinished one are final: fetch from there on.
      const open = trials.findIndex((t) => t.state === "RUNNING" || t.state === "WAITING");
      const from = open === -1 ? trials.length : open;
      const fresh = await source.trialsFrom(name, from);
      trials = trials.slice(0, from).concat(fresh);
      registry.study = study;
      registry.trials = trials;
      draw();
    }
    drawBudget();
    await drawJob();
    recommendation.replaceChildren(recommendationView(await source.recommendation(name)));
    status.textContent = `updated ${when(Date.now())}`;
    status.setAttribute("data-trials", String(trials.length));
  }

  async function loop() {
    while (!stopped) {
      try {
        await refresh();
      } catch (e) {
        status.textContent = `could not update: ${e.message}`;
      }
      await new Promise((r) => setTimeout(r, poll));
    }
  }
  loop();
  return () => {
    stopped = true;
  };
}

/** The tenant's studies, a page at a time, with counts, best value and last activity. */
async function studiesPage(root, source, offset = 0) {
  const page = await source.listStudies(offset, 50);
  const rows = await Promise.all(page.studies.map((s) => source.study(s.study_name)));
  const table = h("table", { class: "trials studies", "data-testid": "studies" },
    h("thead", {}, h("tr", {}, ...["study", "directions", "sampler", "complete", "pruned", "fail", "running", "best", "last activity"].map((c) => h("th", {}, c)))),
    h("tbody", {}, ...rows.map((s) => h("tr", { onclick: () => (location.hash = `#/study/${encodeURIComponent(s.name)}`) },
      h("td", {}, h("a", { href: `#/study/${encodeURIComponent(s.name)}` }, s.name)), h("td", {}, s.directions.join(", ")), h("td", {}, s.sampler),
      ...["COMPLETE", "PRUNED", "FAIL", "RUNNING"].map((state) => h("td", {}, String(s.counts[state] ?? 0))),
      h("td", {}, s.best == null ? "" : s.best.map((v) => +v.toPrecision(6)).join(", ")), h("td", {}, when(s.lastActivity))))));
  const pager = h("div", { class: "pager" },
    h("button", { disabled: offset === 0 ? "" : null, onclick: () => studiesPage(root, source, Math.max(0, offset - 50)) }, "‹ previous"),
    h("span", {}, ` ${offset + 1}–${offset + page.studies.length} of ${page.total} `),
    h("button", { disabled: offset + 50 >= page.total ? "" : null, onclick: () => studiesPage(root, source, offset + 50) }, "next ›"));
  root.replaceChildren(h("h2", {}, "Studies"), page.total ? table : h("p", { class: "muted" }, "No studies yet."), pager);
}

/** The whole page: the API key, then the studies list or one study (by the URL hash). */
export function mountApp(root) {
  let stop = () => {};
  const main = h("main");
  const keyInput = h("input", { type: "password", placeholder: "API key", "data-testid": "api-key", value: sessionStorage.getItem(KEY) ?? "" });
  const bar = h("header", {}, h("a", { href: "#/", class: "brand" }, "edgetune"),
    h("nav", {}, h("a", { href: "#/" }, "Studies"), h("a", { href: "#/automations", "data-testid": "nav-automations" }, "Automations")),
    h("form", { onsubmit: (e) => { e.preventDefault(); sessionStorage.setItem(KEY, keyInput.value); route(); } },
      keyInput, h("button", { type: "submit", "data-testid": "connect" }, "Connect")));
  root.replaceChildren(bar, main);

  // A page that loads after the user has moved on must not replace the newer one.
  let generation = 0;

  async function route() {
    stop();
    const current = ++generation;
    const key = sessionStorage.getItem(KEY);
    if (!key) {
      main.replaceChildren(h("p", {}, "Enter a tenant's API key to see its studies. It stays in this tab only."));
      return;
    }
    const source = new HttpSource("", key);
    const match = location.hash.match(/^#\/study\/(.+)$/);
    const automation = location.hash.match(/^#\/automation\/(.+)$/);
    try {
      if (match) {
        const box = h("section");
        main.replaceChildren(h("a", { href: "#/" }, "← studies"), box);
        stop = mountStudy(box, source, decodeURIComponent(match[1]));
      } else if (automation) {
        const box = h("section");
        main.replaceChildren(h("a", { href: "#/automations" }, "← automations"), box);
        stop = mountAutomation(box, source, decodeURIComponent(automation[1]));
      } else {
        const box = h("section");
        await (location.hash === "#/automations" ? automationsPage : studiesPage)(box, source);
        if (current === generation) main.replaceChildren(box);
      }
    } catch (e) {
      if (current === generation) main.replaceChildren(h("p", { class: "error" }, e.status === 401 ? "That key is not valid." : e.message));
    }
  }
  addEventListener("hashchange", route);
  route();
}

/** An objective's name: the study's metric name, else "objective i". */
function objectiveName(study, i) {
  return study.metricNames?.[i] ?? `objective ${i}`;
}
