#!/usr/bin/env python3
"""Independent reference values for liqopt's bar range densities (src/vol/range-density.ts).

Writes test/fixtures/range-density.json, read by test/vol/range-density.test.ts.

    python3 scripts/reference/range_density.py

Needs sympy, mpmath, numpy and scipy (Debian python3-sympy, python3-scipy). Per bar, in log price
relative to the bar's open; drift mu and variance sigma^2 per bar.

1. Brownian bar, close b and minimum m: the density is sympy's mixed derivative d^2G/db dm of the
   joint survival function G(b, m) = P(close >= b, min >= m) = Phi((mu - b)/sigma)
   - exp(2 mu m / sigma^2) Phi((2m - b + mu)/sigma), m <= min(0, b) (Shreve 2004, *Stochastic
   Calculus for Finance II*, section 7.2), evaluated with mpmath at 30 digits -- not the closed form liqopt uses.
2. Merton bar, n jumps of total J ~ N(n theta, n delta^2), a down total (J < 0) at the bar's open and
   an up total at its close: the density of (close x, low l) as scipy.integrate.quad of
   phi(J) g(x - J, l - J) over l <= J < 0 plus phi(J) g(x - J, l) over 0 <= J <= x - l, with g from
   step 1 (not liqopt's completed-square closed form), mixed over n with scipy.stats.poisson to n = 40.
3. A brute-force simulation check of step 1's law (printed and stored, not asserted by the tests):
   200,000 random walks of 2,000 steps, the share of bars with min <= m against 1 - G(m, m) and
   against 1 - G at m shifted down by 0.5826 sigma / sqrt(steps), the walk's known discretisation
   bias (Broadie, Glasserman & Kou 1997, *Mathematical Finance* 7(4)).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath
import numpy as np
import scipy
import sympy as sp
from scipy import integrate
from scipy.stats import norm, poisson

mpmath.mp.dps = 30
b, m, mu, s = sp.symbols("b m mu sigma", real=True)
Phi = lambda t: (1 + sp.erf(t / sp.sqrt(2))) / 2  # noqa: E731
G = Phi((mu - b) / s) - sp.exp(2 * mu * m / s**2) * Phi((2 * m - b + mu) / s)
density_expr = sp.simplify(sp.diff(G, b, m))
min_tail = sp.lambdify((m, mu, s), 1 - G.subs(b, m), "mpmath")
density_mp = sp.lambdify((b, m, mu, s), density_expr, "mpmath")
density_np = sp.lambdify((b, m, mu, s), density_expr, "math")


def g(bb: float, mm: float, mu_: float, s_: float) -> float:
    """Close-and-minimum density at 30 digits, 0 outside m <= min(0, b)."""
    if mm > 0 or mm > bb:
        return 0.0
    return float(density_mp(mpmath.mpf(bb), mpmath.mpf(mm), mpmath.mpf(mu_), mpmath.mpf(s_)))


def g_float(bb: float, mm: float, mu_: float, s_: float) -> float:
    if mm > 0 or mm > bb:
        return 0.0
    return float(density_np(bb, mm, mu_, s_))


BROWNIAN = [(0.0, 0.005), (0.0004, 0.005), (-0.001, 0.003), (0.002, 0.02)]
brownian = []
for mu_, s_ in BROWNIAN:
    for kb in (-4, -1.5, -0.3, 0, 0.4, 2, 5):
        for km in (-6, -3, -1, -0.5, -0.1, 0):
            bb = kb * s_
            mm = min(0.0, bb) + km * s_  # on and below the support's edge min(0, b)
            brownian.append({"mu": mu_, "sigma": s_, "close": bb, "low": mm, "density": g(bb, mm, mu_, s_)})

MERTON = [
    # mu, sigma, lam, theta, delta
    (0.0, 0.005, 0.03, -0.01, 0.02),
    (0.0003, 0.004, 0.05, 0.0, 0.01),
    (-0.0005, 0.008, 0.3, -0.03, 0.015),
    (0.0, 0.003, 0.01, 0.05, 0.03),
]


def merton_low(x: float, l: float, mu_: float, s_: float, lam: float, th: float, d: float) -> float:
    """Down jumps (J < 0) at the open, up jumps (J >= 0) at the close: low l = J + m or m."""
    total = poisson.pmf(0, lam) * g_float(x, l, mu_, s_)
    for n in range(1, 41):
        sd = math.sqrt(n) * d
        pdf = lambda j: norm.pdf(j, n * th, sd)  # noqa: E731
        opts = {"epsabs": 0, "epsrel": 1e-12, "limit": 500}
        down = integrate.quad(lambda j: pdf(j) * g_float(x - j, l - j, mu_, s_), l, 0, **opts)[0] if l < 0 else 0.0
        up = integrate.quad(lambda j: pdf(j) * g_float(x - j, l, mu_, s_), 0, x - l, **opts)[0]
        total += poisson.pmf(n, lam) * (down + up)
    return float(total)


merton = []
for mu_, s_, lam, th, d in MERTON:
    for x, l in ((-0.05, -0.06), (-0.02, -0.025), (-0.004, -0.009), (0.0, -0.003), (0.003, -0.002),
                 (0.01, -0.001), (0.04, -0.002), (-0.03, -0.03), (0.02, -0.0001)):
        merton.append({"params": {"mu": mu_, "sigma": s_, "lambda": lam, "jumpMean": th, "jumpVol": d},
                       "close": x, "low": l, "density": merton_low(x, l, mu_, s_, lam, th, d)})

# Brute-force simulation check of the minimum's law (step 3).
rng = np.random.default_rng(20261207)
sim_mu, sim_s, paths, steps = 0.0003, 0.005, 200_000, 2_000
mins = np.empty(paths)
for k in range(0, paths, 10_000):
    inc = rng.normal(sim_mu / steps, sim_s / math.sqrt(steps), size=(10_000, steps))
    mins[k : k + 10_000] = np.minimum(np.cumsum(inc, axis=1).min(axis=1), 0.0)
simulation = []
for km in (-0.5, -1, -2, -3):
    mm = km * sim_s
    exact = float(min_tail(mpmath.mpf(mm), mpmath.mpf(sim_mu), mpmath.mpf(sim_s)))
    shift = mm - 0.5826 * sim_s / math.sqrt(steps)
    shifted = float(min_tail(mpmath.mpf(shift), mpmath.mpf(sim_mu), mpmath.mpf(sim_s)))
    share = float((mins <= mm).mean())
    simulation.append({"low": mm, "exact": exact, "exactShifted": shifted, "simulated": share,
                       "se": math.sqrt(exact * (1 - exact) / paths)})

# the closed form checked against the symbolic derivative (same values, to print)
closed = lambda bb, mm, mu_, s_: 2 * (bb - 2 * mm) / (s_**3 * math.sqrt(2 * math.pi)) * math.exp(  # noqa: E731
    -((bb - 2 * mm) ** 2) / (2 * s_**2) + mu_ * bb / s_**2 - mu_**2 / (2 * s_**2)
)
worst = max(abs(closed(c["close"], c["low"], c["mu"], c["sigma"]) - c["density"]) / max(c["density"], 1e-300)
            for c in brownian if c["density"] > 0)

out = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "range-density.json"
out.write_text(json.dumps({
    "generator": "scripts/reference/range_density.py", "sympy": sp.__version__, "scipy": scipy.__version__,
    "numpy": np.__version__, "densityExpression": str(density_expr), "brownian": brownian, "merton": merton,
    "simulation": {"mu": sim_mu, "sigma": sim_s, "paths": paths, "steps": steps, "minimumTail": simulation},
}, indent=1) + "\n")
print(f"wrote {out}: {len(brownian)} Brownian, {len(merton)} Merton; closed form vs sympy worst rel {worst:.2e}")
for r in simulation:
    print(f"P(min <= {r['low']:.4f}): exact {r['exact']:.5f}, shifted {r['exactShifted']:.5f}, simulated {r['simulated']:.5f} (se {r['se']:.5f})")
