#!/usr/bin/env python3
"""Independent reference values for the correlated asset paths (src/sim/correlated-paths.ts).

Writes test/fixtures/correlated-paths.json, read by test/sim/correlated-paths.test.ts.

    python3 scripts/reference/correlated_paths.py

Needs numpy only (Debian python3-numpy). Nothing here shares code with the TypeScript side:
1. the lower Cholesky factor of two small correlation matrices by numpy.linalg.cholesky (LAPACK
   potrf), against liqopt's correlationFactor;
2. a matrix that is not positive definite (numpy.linalg.cholesky raises LinAlgError), which
   liqopt must refuse naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    # four assets with a near-collinear pair (0.95), as ETH and a liquid-staking token
    "four": [
        [1.0, 0.8, 0.95, 0.6],
        [0.8, 1.0, 0.78, 0.55],
        [0.95, 0.78, 1.0, 0.58],
        [0.6, 0.55, 0.58, 1.0],
    ],
    "three": [
        [1.0, 0.6, -0.3],
        [0.6, 1.0, 0.2],
        [-0.3, 0.2, 1.0],
    ],
}

NOT_PD = [
    [1.0, 0.9, -0.9],
    [0.9, 1.0, 0.9],
    [-0.9, 0.9, 1.0],
]


def main() -> None:
    out: dict[str, object] = {
        "command": "python3 scripts/reference/correlated_paths.py",
        "versions": {"numpy": np.__version__},
        "cholesky": {},
    }
    for name, m in CASES.items():
        a = np.array(m)
        out["cholesky"][name] = {"matrix": m, "lower": np.linalg.cholesky(a).tolist()}
    try:
        np.linalg.cholesky(np.array(NOT_PD))
        raise SystemExit("NOT_PD unexpectedly factored")
    except np.linalg.LinAlgError:
        out["notPositiveDefinite"] = {
            "matrix": NOT_PD,
            "minEigenvalue": float(np.linalg.eigvalsh(np.array(NOT_PD)).min()),
        }
    path = ROOT / "test/fixtures/correlated-paths.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
