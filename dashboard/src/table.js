// The trials table: sortable by any column, filtered by state and by a text query over
// the parameters and attributes, paged (so 10,000 trials render as fast as 50), with
// the detail of the clicked trial.

const PAGE_ROWS = 50;

const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v != null) el.setAttribute(k, v);
  }
  el.append(...children.filter((c) => c != null));
  return el;
};

const format = (v) => (typeof v === "number" ? +v.toPrecision(6) : v == null ? "" : String(v));
const duration = (t) => (t.start != null && t.complete != null ? ((t.complete - t.start) / 1000).toFixed(2) : "");

export class TrialsTable {
  constructor(root, onSelect) {
    this.root = root;
    this.onSelect = onSelect;
    this.trials = [];
    this.sort = { column: "number", descending: false };
    this.state = "";
    this.query = "";
    this.page = 0;
    this.stateSelect = h("select", { "data-testid": "state-filter", onchange: (e) => { this.state = e.target.value; this.page = 0; this.render(); } },
      ...["", "COMPLETE", "PRUNED", "FAIL", "RUNNING", "WAITING"].map((s) => h("option", { value: s }, s || "all states")));
    this.queryInput = h("input", { type: "search", placeholder: "filter: text in params or attrs, or number", "data-testid": "query-filter",
      oninput: (e) => { this.query = e.target.value.trim().toLowerCase(); this.page = 0; this.render(); } });
    this.summary = h("span", { class: "muted" });
    this.body = h("div");
    this.pager = h("div", { class: "pager" });
    root.replaceChildren(h("div", { class: "filters" }, this.stateSelect, this.queryInput, this.summary), this.body, this.pager);
  }

  update(trials, directions) {
    this.trials = trials;
    this.directions = directions;
    this.render();
  }

  /** The trials the filters keep, sorted. */
  visible() {
    const q = this.query;
    const keep = this.trials.filter((t) => {
      if (this.state && t.state !== this.state) return false;
      if (!q) return true;
      if (String(t.number) === q) return true;
      return JSON.stringify([t.params, t.userAttrs]).toLowerCase().includes(q);
    });
    const { column, descending } = this.sort;
    const key = (t) => {
      if (column === "number") return t.number;
      if (column === "state") return t.state;
      if (column === "duration") return t.complete != null && t.start != null ? t.complete - t.start : Infinity;
      if (column.startsWith("value")) return t.values?.[Number(column.slice(5))] ?? Infinity;
      return t.params[column.slice(6)] ?? "";
    };
    keep.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return (descending ? -c : c) || a.number - b.number;
    });
    return keep;
  }

  render() {
    const rows = this.visible();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
    this.page = Math.min(this.page, pages - 1);
    const params = [...new Set(this.trials.flatMap((t) => Object.keys(t.params)))].sort();
    const columns = [["number", "#"], ["state", "state"], ...(this.directions ?? []).map((d, i) => [`value${i}`, `value ${i}`]),
      ...params.map((p) => [`param:${p}`, p]), ["duration", "seconds"]];
    const head = h("tr", {}, ...columns.map(([id, label]) => h("th", {
      class: this.sort.column === id ? (this.sort.descending ? "sorted desc" : "sorted") : "",
      onclick: () => { this.sort = { column: id, descending: this.sort.column === id && !this.sort.descending }; this.render(); },
    }, label)));
    const body = rows.slice(this.page * PAGE_ROWS, (this.page + 1) * PAGE_ROWS).map((t) => h("tr", { "data-number": String(t.number), onclick: () => this.onSelect(t) },
      h("td", {}, String(t.number)), h("td", { class: `state ${t.state}` }, t.state),
      ...(this.directions ?? []).map((_, i) => h("td", {}, format(t.values?.[i]))),
      ...params.map((p) => h("td", {}, format(t.params[p]))), h("td", {}, duration(t))));
    this.body.replaceChildren(h("table", { class: "trials", "data-testid": "trials-table" }, h("thead", {}, head), h("tbody", {}, ...body)));
    this.summary.textContent = `${rows.length} of ${this.trials.length} trials`;
    this.summary.setAttribute("data-count", String(rows.length));
    this.pager.replaceChildren(
      h("button", { disabled: this.page === 0 ? "" : null, onclick: () => { this.page--; this.render(); } }, "‹ previous"),
      h("span", {}, ` page ${this.page + 1} of ${pages} `),
      h("button", { disabled: this.page >= pages - 1 ? "" : null, onclick: () => { this.page++; this.render(); } }, "next ›"),
    );
  }
}

/** The detail of one trial: everything it holds. */
export function trialDetail(t) {
  const rows = [
    ["number", t.number], ["state", t.state], ["values", (t.values ?? []).map(format).join(", ")],
    ["started", t.start ? new Date(t.start).toISOString() : ""], ["finished", t.complete ? new Date(t.complete).toISOString() : ""],
    ["seconds", duration(t)], ...(t.failReason ? [["fail reason", t.failReason]] : []),
  ];
  const kv = (title, entries) => h("div", {}, h("h4", {}, title), h("table", { class: "kv" },
    ...entries.map(([k, v]) => h("tr", {}, h("th", {}, String(k)), h("td", {}, typeof v === "object" ? JSON.stringify(v) : format(v))))));
  return h("div", { class: "detail", "data-testid": "trial-detail" },
    kv(`Trial ${t.number}`, rows), kv("Parameters", Object.entries(t.params)),
    t.intermediate.length ? kv("Intermediate values (step → value)", t.intermediate) : null,
    Object.keys(t.userAttrs).length ? kv("User attributes", Object.entries(t.userAttrs)) : null);
}

export { h };
