// The npm-package runner of bench/: the speed section of the config (JSON, argv[2]) in
// Node, printed in the native runner's JSON form. Its quality equals the native
// runner's bit for bit (the determinism contract, tested in make test), so it is not
// run again here.
import { createStudy } from "edgetune";

const config = JSON.parse(process.argv[2]);
const shift = (i) => 1.5 + 0.5 * (i % 3);
const speed = {};
for (const dim of config.speed.spaces) {
  speed[dim] = config.speed.seeds.map((seed) => {
    const study = createStudy({ sampler: { type: "tpe", seed } });
    const times = [];
    for (let n = 0; n < config.speed.n_trials; n++) {
      let start = performance.now();
      const t = study.ask();
      const x = [];
      for (let j = 0; j < dim; j++) x.push(t.suggestFloat(`x${j}`, -5, 5));
      let spent = performance.now() - start;
      const value = x.reduce((s, v, i) => s + (v - shift(i)) ** 2, 0);
      start = performance.now();
      study.tell(t, value);
      spent += performance.now() - start;
      times.push(spent / 1000);
    }
    return times;
  });
}
console.log(JSON.stringify({ library: "edgetune (npm, Node)", quality: {}, speed }));
