#!/usr/bin/env python3
"""Independent reference values for liqopt's jump-diffusion densities (src/vol/jumps.ts).

Writes test/fixtures/jump-densities.json, read by test/vol/jumps.test.ts.

    python3 scripts/reference/jump_densities.py

Needs numpy and scipy (Debian python3-scipy). Per bar, x = one bar's log return:

1. Merton (1976): the Poisson mixture of normals, sum_n poisson.pmf(n, lam) * norm.pdf(x, mu + n muJ,
   sqrt(sigma^2 + n delta^2)) with scipy.stats, summed to n = 60 (every case has lam <= 0.5, so the
   tail weight left is below 1e-60);
2. Kou (2002), one jump at most: (1 - lam) norm.pdf(x, mu, sigma) + lam * (normal * double-exponential
   convolution), the convolution integral computed by scipy.integrate.quad over the jump size
   (not by Kou's closed form, which liqopt uses), so the fixture checks the closed form.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate
from scipy.stats import norm, poisson

MERTON = [
    # mu, sigma, lam, muJ, delta
    (0.0, 0.004, 0.02, -0.02, 0.03),
    (0.0002, 0.0035, 0.3, 0.0, 0.01),
    (-0.001, 0.01, 0.5, -0.05, 0.02),
    (0.0, 0.02, 0.001, 0.1, 0.05),
]
KOU = [
    # mu, sigma, lam, p, eta1, eta2
    (0.0, 0.004, 0.02, 0.4, 50.0, 25.0),
    (0.0002, 0.0035, 0.05, 0.55, 120.0, 80.0),
    (-0.001, 0.01, 0.3, 0.3, 10.0, 5.0),
    (0.0, 0.002, 0.01, 0.5, 500.0, 300.0),
]


def merton(x: float, mu: float, s: float, lam: float, mj: float, d: float) -> float:
    return float(sum(poisson.pmf(n, lam) * norm.pdf(x, mu + n * mj, math.sqrt(s * s + n * d * d)) for n in range(61)))


def kou(x: float, mu: float, s: float, lam: float, p: float, e1: float, e2: float) -> float:
    up = integrate.quad(lambda y: p * e1 * math.exp(-e1 * y) * norm.pdf(x - y, mu, s), 0, np.inf, epsabs=0, epsrel=1e-12, limit=200)[0]
    down = integrate.quad(lambda y: (1 - p) * e2 * math.exp(e2 * y) * norm.pdf(x - y, mu, s), -np.inf, 0, epsabs=0, epsrel=1e-12, limit=200)[0]
    return (1 - lam) * float(norm.pdf(x, mu, s)) + lam * (up + down)


def grid(s: float) -> list[float]:
    return [k * s for k in (-40, -12, -6, -3, -1, 0, 0.5, 2, 5, 15, 40)]


cases = {"merton": [], "kou": []}
for mu, s, lam, mj, d in MERTON:
    for x in grid(s):
        cases["merton"].append({"params": {"mu": mu, "sigma": s, "lambda": lam, "jumpMean": mj, "jumpVol": d}, "x": x, "density": merton(x, mu, s, lam, mj, d)})
for mu, s, lam, p, e1, e2 in KOU:
    for x in grid(s):
        cases["kou"].append({"params": {"mu": mu, "sigma": s, "lambda": lam, "upProbability": p, "upRate": e1, "downRate": e2}, "x": x, "density": kou(x, mu, s, lam, p, e1, e2)})

out = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "jump-densities.json"
out.write_text(json.dumps({"generator": "scripts/reference/jump_densities.py", "scipy": scipy.__version__, "numpy": np.__version__, **cases}, indent=1) + "\n")
print(f"wrote {out}: {len(cases['merton'])} Merton and {len(cases['kou'])} Kou densities")
