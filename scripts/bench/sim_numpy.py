#!/usr/bin/env python3
"""Vectorised numpy version of liqopt's liquidation Monte Carlo, for the speed comparison in
bench/sim.ts (which runs this script with child_process and reads one JSON line from stdout).

    /usr/bin/python3 scripts/bench/sim_numpy.py --seconds 2 --steps 168 --batch 20000

The same simulation as src/sim/liquidation.ts: log price with unit-variance Student-t shocks,
x_{k+1} = x_k + (mu - sigma^2/2) dt + sigma sqrt(dt) z_k, a long liquidated at ln(H/S0), the
Brownian-bridge test exp(-2 d_k d_{k+1} / (sigma^2 dt)) between grid points (one uniform per step:
numpy cannot draw it lazily). Runs whole batches until the time budget is spent and reports
path-steps per second (wall clock, and process CPU time) and the probability estimate.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np


def batch(rng: np.random.Generator, paths: int, steps: int, nu: float, drift: float, scale: float,
          b: float, var: float) -> int:
    z = rng.standard_t(nu, size=(paths, steps)) * math.sqrt((nu - 2) / nu)
    x = np.cumsum(drift + scale * z, axis=1)
    d1 = x - b
    d0 = np.empty_like(d1)
    d0[:, 0] = -b
    d0[:, 1:] = d1[:, :-1]
    crossed = (d1 <= 0).any(axis=1)
    with np.errstate(over="ignore"):
        p = np.exp(-2.0 * np.maximum(d0, 0) * np.maximum(d1, 0) / var)
    bridged = (rng.random((paths, steps)) < p).any(axis=1)
    return int(np.count_nonzero(crossed | bridged))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--steps", type=int, default=168)
    ap.add_argument("--batch", type=int, default=20_000)
    ap.add_argument("--nu", type=float, default=4.0)
    ap.add_argument("--annual-vol", type=float, default=0.8)
    ap.add_argument("--horizon-years", type=float, default=7 / 365)
    ap.add_argument("--barrier-ratio", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=20261124)
    a = ap.parse_args()
    dt = a.horizon_years / a.steps
    drift = -0.5 * a.annual_vol**2 * dt
    scale = a.annual_vol * math.sqrt(dt)
    b = math.log(a.barrier_ratio)
    rng = np.random.default_rng(a.seed)
    paths = hits = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        hits += batch(rng, a.batch, a.steps, a.nu, drift, scale, b, scale * scale)
        paths += a.batch
        wall = time.perf_counter() - wall0
        if wall >= a.seconds:
            break
    cpu = time.process_time() - cpu0
    print(json.dumps({
        "numpy": np.__version__,
        "paths": paths,
        "steps": a.steps,
        "probability": hits / paths,
        "wallSeconds": wall,
        "cpuSeconds": cpu,
        "pathStepsPerSecond": paths * a.steps / wall,
        "pathStepsPerCpuSecond": paths * a.steps / cpu,
    }))


if __name__ == "__main__":
    main()
