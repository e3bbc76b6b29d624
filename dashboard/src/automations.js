// The automations of a tenant (docs/automations.md): the list, one automation's
// configuration, schedule and audit trail (every condition and outcome of every run),
// and the recommendation a study publishes, shown in the study view.
import { h } from "./table.js";

const when = (iso) => (iso == null ? "" : iso.replace("T", " ").slice(0, 19));
const num = (v) => (v == null ? "" : String(+v.toPrecision(6)));
const kv = (testid, entries) => h("table", { class: "kv", "data-testid": testid },
  ...entries.map(([k, v]) => h("tr", {}, h("th", {}, k), h("td", {}, v))));

/** "in 3 min" or "due" for a time `iso` ahead of `now`. */
function until(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return "due: at the next cron tick";
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 ? "in under a minute" : minutes < 120 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}

/** The automations of the tenant, one row each, with their last run. */
export async function automationsPage(root, source) {
  const { automations } = await source.automations();
  const table = h("table", { class: "trials", "data-testid": "automations" },
    h("thead", {}, h("tr", {}, ...["automation", "studies", "enabled", "every", "min new observations", "next run", "last run", "status"].map((c) => h("th", {}, c)))),
    h("tbody", {}, ...automations.map((a) => {
      const link = `#/automation/${encodeURIComponent(a.automation_name)}`;
      return h("tr", { "data-name": a.automation_name, onclick: () => (location.hash = link) },
        h("td", {}, h("a", { href: link }, a.automation_name)),
        h("td", {}, a.config.studies.join(", ")),
        h("td", {}, a.config.enabled ? "yes" : "no"),
        h("td", {}, `${a.config.interval_seconds} s`),
        h("td", {}, String(a.config.min_new_observations)),
        h("td", {}, a.running ? "running now" : a.config.enabled || a.retry ? `${when(a.next_run_at)} (${until(a.next_run_at)})` : "disabled"),
        h("td", {}, a.last_run ? `${when(a.last_run.started_at)} (${a.last_run.trigger})` : "never"),
        h("td", { class: `outcome ${a.last_run?.status ?? ""}` }, a.last_run?.status ?? ""));
    })));
  root.replaceChildren(h("h2", {}, "Automations"),
    automations.length ? table : h("p", { class: "muted" }, "No automations yet: PUT /api/v1/automations/{name} creates one."));
}

/** One condition, as "new_observations 5 / 8 ✗". */
function condition(c) {
  const value = c.value == null ? "" : ` ${typeof c.value === "number" ? num(c.value) : c.value}`;
  const required = c.name === "enabled" ? "" : c.name === "interval_elapsed" ? ` (every ${c.required} s)` : ` / ${c.required}`;
  return h("span", { class: `condition ${c.met ? "met" : "unmet"}` }, `${c.name}${value}${required} ${c.met ? "✓" : "✗"}${c.forced ? " (forced)" : ""}`);
}

/** What a study's part of a run did. */
function studyOutcome(s) {
  const what = s.outcome === "skipped" ? `skipped: ${s.reason}`
    : s.outcome === "failed" ? `failed: ${s.error}`
      : [`folded ${s.folded}`, s.best_value == null ? null : `best ${num(s.best_value)}`,
        s.delta == null ? null : `Δ ${s.delta >= 0 ? "+" : ""}${num(s.delta)}`,
        s.recommendation_version == null ? null : `recommendation v${s.recommendation_version}`].filter(Boolean).join(" · ");
  return h("div", { class: "study-run" },
    h("strong", {}, s.study_name), " ", h("span", { class: `outcome ${s.outcome}` }, what),
    h("div", { class: "conditions" }, ...s.conditions.map(condition)));
}

/** The audit trail: one row per run, newest first. */
function history(runs) {
  return h("table", { class: "trials runs", "data-testid": "runs" },
    h("thead", {}, h("tr", {}, ...["started", "trigger", "attempt", "seconds", "status", "studies"].map((c) => h("th", {}, c)))),
    h("tbody", {}, ...runs.map((r) => h("tr", { "data-run": r.run_id },
      h("td", {}, when(r.started_at)), h("td", {}, r.trigger + (r.force ? " (forced)" : "")), h("td", {}, String(r.attempt)),
      h("td", {}, ((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(2)),
      h("td", { class: `outcome ${r.status}` }, r.status + (r.retry_at ? `, retry ${when(r.retry_at)}` : "")),
      h("td", {}, ...r.studies.map(studyOutcome))))));
}

/** One automation: its configuration, schedule, retry, and history; kept live. */
export function mountAutomation(root, source, name, { poll = 3000 } = {}) {
  let stopped = false;
  async function refresh() {
    const [a, trail] = await Promise.all([source.automation(name), source.runs(name, 100)]);
    const c = a.config;
    const schedule = [
      ["next run", a.running ? "running now" : c.enabled || a.retry ? `${when(a.next_run_at)} (${until(a.next_run_at)})` : "disabled"],
      ["pending retry", a.retry ? `attempt ${a.retry.attempt} at ${when(a.retry.at)} for ${a.retry.studies.join(", ")}` : "none"],
      ...c.studies.map((s) => [`last success of ${s}`, when(a.last_success[s]) || "never"]),
    ];
    const config = [
      ["studies", c.studies.join(", ")], ["enabled", c.enabled ? "yes" : "no"], ["interval", `${c.interval_seconds} s`],
      ["min new observations", String(c.min_new_observations)], ["recommendations", String(c.recommendations)],
      ["retry", `up to ${c.retry.limit}, backoff ${c.retry.backoff_seconds} s doubling`], ["history kept", `${c.history_limit} runs`],
      ["created", when(a.created_at)], ["updated", when(a.updated_at)],
    ];
    root.replaceChildren(h("h2", {}, `Automation ${a.automation_name}`),
      h("div", { class: "detail" }, h("div", {}, h("h4", {}, "Configuration"), kv("automation-config", config)),
        h("div", {}, h("h4", {}, "Schedule"), kv("automation-schedule", schedule))),
      h("h3", {}, `History (${trail.runs.length})`),
      trail.runs.length ? history(trail.runs) : h("p", { class: "muted" }, "No runs yet."));
  }
  (async () => {
    while (!stopped) {
      try {
        await refresh();
      } catch (e) {
        root.replaceChildren(h("p", { class: "error" }, `could not update: ${e.message}`));
      }
      await new Promise((r) => setTimeout(r, poll));
    }
  })();
  return () => {
    stopped = true;
  };
}

/** The study's current recommendation: what production reads. */
export function recommendationView(r) {
  if (!r) return "";
  const params = (p) => Object.entries(p).map(([k, v]) => `${k}=${typeof v === "number" ? num(v) : v}`).join(", ");
  const best = r.best
    ? `trial ${r.best.trial_number}: ${params(r.best.params)} → ${(r.best.values ?? [r.best.value]).map(num).join(", ")}`
    : "no complete trial yet";
  return h("div", { class: "job-status", "data-testid": "recommendation" },
    h("strong", {}, `Recommendation v${r.version}`), h("span", { class: "muted" }, ` published ${when(r.created_at)} by run ${r.run_id}`),
    h("div", {}, `best: ${best}`),
    h("ol", { start: "1" }, ...r.next.map((n) => h("li", {}, `next: ${params(n.params)}`))));
}
