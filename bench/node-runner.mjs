// Runs bench/'s config (JSON, first argument) with the npm package in Node and prints
// results in the same JSON form as the native runner.
import { createStudy } from "edgetune";

const config = JSON.parse(process.argv[2]);
const fns = {
  sphere: [-5, 5, () => 0, (x) => x.reduce((s, v) => s + v * v, 0)],
  rosenbrock: [-2, 2, () => 0, (x) => x.slice(0, -1).reduce((s, v, i) => s + 100 * (x[i + 1] - v * v) ** 2 + (1 - v) ** 2, 0)],
  rastrigin: [-5.12, 5.12, () => 0, (x) => 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0)],
  ackley: [-5, 5, () => 0, (x) => {
    const n = x.length;
    const s1 = x.reduce((s, v) => s + v * v, 0) / n;
    const s2 = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / n;
    return -20 * Math.exp(-0.2 * Math.sqrt(s1)) - Math.exp(s2) + 20 + Math.E;
  }],
  styblinski_tang: [-5, 5, (d) => -39.16616570377142 * d, (x) => x.reduce((s, v) => s + v ** 4 - 16 * v * v + 5 * v, 0) / 2],
};
const mixedCost = { a: 1, b: 0, c: 0.5, d: 2 };

function run(name, dim, sampler, seed, nTrials, checkpoint = () => {}) {
  const study = createStudy({ sampler: { type: sampler, seed } });
  for (let i = 1; i <= nTrials; i++) {
    const t = study.ask();
    let value;
    if (name === "mixed") {
      const x = t.suggestFloat("x", -5, 5);
      const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
      const n = t.suggestInt("n", 1, 20);
      const c = t.suggestCategorical("c", ["a", "b", "c", "d"]);
      value = x * x + (Math.log10(lr) + 3) ** 2 + (n - 7) ** 2 / 10 + mixedCost[c];
    } else {
      const [low, high, , f] = fns[name];
      const x = [];
      for (let j = 0; j < dim; j++) x.push(t.suggestFloat(`x${j}`, low, high));
      value = f(x);
    }
    study.tell(t, value);
    checkpoint(i);
  }
  return study.bestValue;
}

const optimum = (name, dim) => (fns[name] ? fns[name][2](dim) : 0);
const quality = {};
const speed = {};
for (const sampler of config.samplers) {
  quality[sampler] = {};
  for (const name of config.quality.functions) {
    quality[sampler][name] = config.quality.seeds.map(
      (seed) => run(name, config.quality.dim, sampler, seed, config.quality.n_trials) - optimum(name, config.quality.dim),
    );
  }
  const s = config.speed;
  speed[sampler] = s.seeds.map((seed) => {
    const marks = [];
    const start = performance.now();
    run(s.function, s.dim, sampler, seed, s.n_trials, (i) => {
      if (s.checkpoints.includes(i)) marks.push((performance.now() - start) / 1000);
    });
    return marks;
  });
}
console.log(JSON.stringify({ library: "edgetune (npm, Node)", quality, speed }));
