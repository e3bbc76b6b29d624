"""Random fronts and Optuna's hypervolumes of them, for tests/golden/hypervolume.json
(checked by crates/core/tests/analysis.rs to 1e-9, without Python):
    bench/.venv/bin/python bench/hypervolume_parity.py tests/golden/hypervolume.json
"""
import json
import sys

import numpy as np
from optuna._hypervolume import compute_hypervolume

rng = np.random.RandomState(3)
cases = []
for m in (2, 3, 4, 5):
    for n in (1, 2, 5, 20, 60):
        if m == 5 and n == 60:
            n = 40
        pts = rng.uniform(0.0, 1.0, size=(n, m))
        if n >= 5:
            pts[1] = pts[0]  # a duplicate
        ref = np.full(m, 1.1)
        cases.append({"points": pts.tolist(), "reference": ref.tolist(),
                      "hypervolume": float(compute_hypervolume(pts, ref))})
json.dump({"cases": cases}, open(sys.argv[1], "w"))
print(f"wrote {len(cases)} cases")
