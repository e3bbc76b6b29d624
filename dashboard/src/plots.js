// The plots, as ECharts options built from the dashboard's trials (see source.js). Pure
// functions of their inputs: each costs O(n), and
// every series carries its points in `data`, so a test can count what was drawn.

const LARGE = 2000; // above this many points a series draws in ECharts' large mode
const base = { animation: false, grid: { left: 64, right: 24, top: 40, bottom: 48 }, tooltip: { trigger: "item" } };

/** The trials with every objective value finite, of the given states. */
export function finished(trials, states = ["COMPLETE"]) {
  return trials.filter((t) => states.includes(t.state) && t.values && t.values.every(Number.isFinite));
}

/** Each COMPLETE trial's value of `objective`, and the best so far. */
export function historyOption(trials, directions, { objective = 0, log = false, label = `objective ${objective}` } = {}) {
  const done = finished(trials);
  const points = done.map((t) => [t.number, t.values[objective]]);
  const maximize = directions[objective] === "maximize";
  const best = [];
  let incumbent = null;
  for (const [n, v] of points) {
    if (incumbent === null || (maximize ? v > incumbent : v < incumbent)) incumbent = v;
    best.push([n, incumbent]);
  }
  const logOk = log && points.every((p) => p[1] > 0);
  return {
    ...base,
    title: { text: "Optimization history", left: "center", textStyle: { fontSize: 14 } },
    legend: { top: 20, right: 10, data: ["value", "best so far"] },
    xAxis: { type: "value", name: "trial", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: logOk ? "log" : "value", name: label, scale: true },
    series: [
      { name: "value", type: "scatter", symbolSize: 5, data: points, large: points.length > LARGE },
      { name: "best so far", type: "line", step: "end", showSymbol: false, data: best },
    ],
  };
}

/** Each trial's intermediate values by step, pruned trials apart; the newest `limit`. */
export function intermediateOption(trials, { limit = 1000 } = {}) {
  const withSteps = trials.filter((t) => t.intermediate.length > 0).slice(-limit);
  // One series per kind, trials separated by a gap: thousands of curves stay cheap.
  const line = (pruned) => {
    const data = [];
    for (const t of withSteps.filter((t) => (t.state === "PRUNED") === pruned)) {
      for (const [step, v] of t.intermediate) data.push([step, v, t.number]);
      data.push("-");
    }
    return data;
  };
  return {
    ...base,
    title: { text: "Intermediate values", left: "center", textStyle: { fontSize: 14 } },
    legend: { top: 20, right: 10, data: ["kept", "pruned"] },
    xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", scale: true },
    series: [
      { name: "kept", type: "line", showSymbol: false, connectNulls: false, lineStyle: { width: 1, opacity: 0.6 }, data: line(false) },
      // Symbols too: a trial pruned at its first report is a single point.
      { name: "pruned", type: "line", showSymbol: true, symbolSize: 3, connectNulls: false, color: "#d9534f", lineStyle: { width: 1, opacity: 0.6 }, data: line(true) },
    ],
  };
}

/** The numbers drawn by a line series built by `intermediateOption` (gaps excluded). */
export const drawnPoints = (series) => series.data.filter((d) => d !== "-").length;

/** Parameter names over the trials, sorted. */
export function paramNames(trials) {
  const names = new Set();
  for (const t of trials) for (const k of Object.keys(t.params)) names.add(k);
  return [...names].sort();
}

function isCategorical(trials, name) {
  const t = trials.find((t) => t.distributions?.[name]);
  return t?.distributions[name].type === "categorical";
}

function isLog(trials, name) {
  const t = trials.find((t) => t.distributions?.[name]);
  return Boolean(t?.distributions[name].log);
}

function axisFor(trials, name, extra = {}) {
  if (isCategorical(trials, name)) {
    const choices = [...new Set(trials.filter((t) => name in t.params).map((t) => String(t.params[name])))];
    return { type: "category", data: choices, name, ...extra };
  }
  return { type: isLog(trials, name) ? "log" : "value", name, scale: true, ...extra };
}

const valueOf = (trials, name) => (isCategorical(trials, name) ? (v) => String(v) : (v) => v);

/** One line per COMPLETE trial across every parameter and the objective. */
export function parallelOption(trials, { objective = 0, label = `objective ${objective}` } = {}) {
  const done = finished(trials);
  const names = paramNames(done);
  const axes = names.map((name, dim) => axisFor(done, name, { dim, nameLocation: "end" }));
  axes.push({ dim: names.length, name: label, type: "value", scale: true });
  const cast = names.map((n) => valueOf(done, n));
  const data = done
    .filter((t) => names.every((n) => n in t.params))
    .map((t) => [...names.map((n, i) => cast[i](t.params[n])), t.values[objective]]);
  const values = data.map((d) => d[names.length]);
  return {
    animation: false,
    title: { text: "Parallel coordinates", left: "center", textStyle: { fontSize: 14 } },
    parallel: { left: 48, right: 72, top: 56, bottom: 32 },
    parallelAxis: axes,
    visualMap: {
      type: "continuous", dimension: names.length, ...range(values), orient: "vertical", right: 0, top: "middle",
      itemHeight: 120, inRange: { color: ["#2c7bb6", "#ffffbf", "#d7191c"] },
    },
    series: [{ type: "parallel", lineStyle: { width: 1, opacity: 0.35 }, progressive: 1000, data }],
  };
}

function range(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) ? { min, max: max > min ? max : min + 1 } : { min: 0, max: 1 };
}

/**
 * COMPLETE trials over two parameters, coloured by the objective (a contour of the
 * samples); with `y` = null, the objective against `x` (a slice).
 */
export function pairOption(trials, x, y, { objective = 0 } = {}) {
  const done = finished(trials).filter((t) => x in t.params && (y === null || y in t.params));
  const castX = valueOf(done, x);
  const values = done.map((t) => t.values[objective]);
  if (y === null) {
    return {
      ...base,
      title: { text: `Slice: ${x}`, left: "center", textStyle: { fontSize: 14 } },
      xAxis: axisFor(done, x, { nameLocation: "middle", nameGap: 28 }),
      yAxis: { type: "value", name: `objective ${objective}`, scale: true },
      series: [{ type: "scatter", symbolSize: 5, large: done.length > LARGE, data: done.map((t) => [castX(t.params[x]), t.values[objective], t.number]) }],
    };
  }
  const castY = valueOf(done, y);
  return {
    ...base,
    title: { text: `${x} × ${y}`, left: "center", textStyle: { fontSize: 14 } },
    grid: { ...base.grid, right: 96 },
    xAxis: axisFor(done, x, { nameLocation: "middle", nameGap: 28 }),
    yAxis: axisFor(done, y),
    visualMap: { type: "continuous", dimension: 2, ...range(values), right: 0, top: "middle", itemHeight: 120, inRange: { color: ["#2c7bb6", "#ffffbf", "#d7191c"] } },
    series: [{ type: "scatter", symbolSize: 6, large: done.length > LARGE, data: done.map((t) => [castX(t.params[x]), castY(t.params[y]), t.values[objective], t.number]) }],
  };
}

/**
 * Each finished trial's value against what it cost: COMPLETE trials, and PRUNED ones at
 * their last intermediate value. Only trials that carry a cost are drawn.
 */
export function costOption(trials, { objective = 0, label = `objective ${objective}`, unit = null } = {}) {
  const point = (t) => [t.cost, t.values ? t.values[objective] : t.intermediate.at(-1)?.[1], t.number];
  const costed = (states) => finished(trials, states).filter((t) => t.cost != null).map(point).filter((p) => p[1] != null);
  return {
    ...base,
    title: { text: "Value vs cost", left: "center", textStyle: { fontSize: 14 } },
    legend: { top: 20, right: 10, data: ["complete", "pruned"] },
    xAxis: { type: "value", name: unit ? `cost (${unit})` : "cost", nameLocation: "middle", nameGap: 28, scale: true },
    yAxis: { type: "value", name: label, scale: true },
    series: [
      { name: "complete", type: "scatter", symbolSize: 6, data: costed(["COMPLETE"]) },
      { name: "pruned", type: "scatter", symbolSize: 5, itemStyle: { color: "#aaa" }, data: costed(["PRUNED"]) },
    ],
  };
}

/** Importances as bars, the most important on top. */
export function importanceOption(importances, evaluator) {
  const entries = Object.entries(importances).sort((a, b) => a[1] - b[1]);
  return {
    ...base,
    grid: { ...base.grid, left: 120 },
    title: { text: `Parameter importance (${evaluator})`, left: "center", textStyle: { fontSize: 14 } },
    xAxis: { type: "value", max: 1 },
    yAxis: { type: "category", data: entries.map((e) => e[0]) },
    series: [{ type: "bar", data: entries.map((e) => e[1]) }],
  };
}

/**
 * COMPLETE trials on objectives `i` and `j`, the Pareto front apart (`front`: the
 * numbers of the Pareto-optimal trials, as the study computes them).
 */
export function paretoOption(trials, directions, front, i = 0, j = 1, names = []) {
  const done = finished(trials);
  const point = (t) => [t.values[i], t.values[j], t.number];
  return {
    ...base,
    title: { text: "Pareto front", left: "center", textStyle: { fontSize: 14 } },
    legend: { top: 20, right: 10, data: ["dominated", "Pareto-optimal"] },
    xAxis: { type: "value", name: `${names[i] ?? `objective ${i}`} (${directions[i]})`, nameLocation: "middle", nameGap: 28, scale: true },
    yAxis: { type: "value", name: `${names[j] ?? `objective ${j}`} (${directions[j]})`, scale: true },
    series: [
      { name: "dominated", type: "scatter", symbolSize: 4, color: "#9aa5b1", large: done.length > LARGE, data: done.filter((t) => !front.has(t.number)).map(point) },
      { name: "Pareto-optimal", type: "scatter", symbolSize: 7, color: "#d9534f", data: done.filter((t) => front.has(t.number)).map(point) },
    ],
  };
}

/** The hypervolume after each trial number of `history` ([[number, hv]]). */
export function hypervolumeOption(history, reference) {
  return {
    ...base,
    title: { text: `Hypervolume (reference ${reference.map((r) => +r.toPrecision(4)).join(", ")})`, left: "center", textStyle: { fontSize: 14 } },
    xAxis: { type: "value", name: "trial", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", scale: true },
    series: [{ type: "line", step: "end", showSymbol: history.length < 100, data: history }],
  };
}

/**
 * A reference point for the hypervolume: each objective's worst COMPLETE value, moved
 * outwards by a tenth of its range (the same rule as Optuna's dashboard).
 */
export function defaultReference(trials, directions) {
  const done = finished(trials);
  return directions.map((d, i) => {
    const { min, max } = range(done.map((t) => t.values[i]));
    const margin = 0.1 * (max - min || Math.abs(max) || 1);
    return d === "maximize" ? min - margin : max + margin;
  });
}
