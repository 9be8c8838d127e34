#!/usr/bin/env python3
"""Independent reference for liqopt's ARJI model (src/vol/arji.ts).

Writes test/fixtures/arji-likelihood.json, read by test/vol/arji.test.ts:

    python3 scripts/reference/arji_likelihood.py

Needs numpy and scipy (Debian python3-scipy). Written from the equations of W. H. Chan &
J. M. Maheu, "Conditional jump dynamics in stock market returns", Journal of Business & Economic
Statistics 20(3), 2002, with normal jump sizes and a constant-sigma diffusion, per bar t:

    R_t = mu + sigma z_t + sum_{k <= n_t} Y_{t,k} - theta lam_t,   Y ~ N(theta, delta^2)
    P(n_t = j | past) = exp(-lam_t) lam_t^j / j!
    f(R_t | past) = sum_{j=0}^{20} P(n_t = j | past) phi(R_t; mu - theta lam_t + j theta,
                                                         sigma^2 + j delta^2)
    P(n_t = j | R_t, past) = P(n_t = j | past) norm.pdf(...) / f(R_t | past)          (Bayes)
    lam_{t+1} = lam0 + rho lam_t + gamma (E[n_t | R_t, past] - lam_t),  lam_1 = lam0 / (1 - rho)

The sum is truncated at 20 jumps a bar, weights not renormalised, as liqopt states. Plain sums of
the densities written out with numpy (j! by scipy.special.factorial; no log-sum-exp, no
precomputed log terms as liqopt has): a different computation of the same formula; the first
parameter point is also checked against scipy.stats' poisson.pmf and norm.pdf. The returns are the hourly log returns of the bundled Binance USD-M BTCUSDT closes
(data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv) from 2022-10-25 00:00 to 2022-11-15
00:00 UTC (the FTX collapse), 504 returns. The maximum-likelihood optimum is found by
scipy.optimize.minimize (L-BFGS-B, several starts) over the same box as liqopt's fit: mu in
[-0.05, 0.05], sigma in [1e-5, 0.5], lam_bar = lam0/(1 - rho) in [1e-4, 0.05], rho in [0, 0.999],
gamma/rho in [0, 1], theta in [-0.5, 0.5], delta in [1e-4, 0.5].
"""

from __future__ import annotations

import csv
import json
import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import factorial
from scipy.stats import norm, poisson

ROOT = Path(__file__).resolve().parents[2]
CANDLES = ROOT / "data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv"
FROM = "2022-10-25 00:00:00+00:00"
TO = "2022-11-15 00:00:00+00:00"
N = 20


def returns() -> np.ndarray:
    closes = []
    with CANDLES.open() as f:
        for row in csv.DictReader(f):
            if FROM <= row["Date"] <= TO:
                closes.append(float(row["Close"]))
    return np.diff(np.log(np.array(closes)))


def arji(params: dict, r: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Log-likelihood, intensities lam_1 .. lam_{n+1}, filtered counts E[n_t | R_t, past]."""
    mu, sigma, lam0, rho, gamma = params["mu"], params["sigma"], params["lambda0"], params["rho"], params["gamma"]
    theta, delta = params["jumpMean"], params["jumpVol"]
    j = np.arange(N + 1)
    fact = factorial(j)
    var = sigma**2 + j * delta**2
    lam = lam0 / (1 - rho)
    ll = 0.0
    lams, expected = [], []
    for x in r:
        lams.append(lam)
        prior = np.exp(-lam) * lam**j / fact
        dens = np.exp(-((x - (mu - theta * lam + j * theta)) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var)
        f = float(np.sum(prior * dens))
        if not f > 0:
            return -math.inf, np.array(lams), np.array(expected)
        ll += math.log(f)
        post = prior * dens / f
        e = float(np.sum(j * post))
        expected.append(e)
        lam = lam0 + rho * lam + gamma * (e - lam)
    lams.append(lam)
    return ll, np.array(lams), np.array(expected)


LOWER = [-0.05, 1e-5, 1e-4, 0.0, 0.0, -0.5, 1e-4]
UPPER = [0.05, 0.5, 0.05, 0.999, 1.0, 0.5, 0.5]


def params_of(x) -> dict:
    mu, sigma, lam_bar, rho, share, theta, delta = x
    return {
        "mu": mu,
        "sigma": sigma,
        "lambda0": lam_bar * (1 - rho),
        "rho": rho,
        "gamma": share * rho,
        "jumpMean": theta,
        "jumpVol": delta,
    }


POINTS = [
    {"mu": 0.0, "sigma": 0.004, "lambda0": 0.002, "rho": 0.9, "gamma": 0.3, "jumpMean": -0.005, "jumpVol": 0.015},
    {"mu": 1e-4, "sigma": 0.0025, "lambda0": 0.0009, "rho": 0.98, "gamma": 0.23, "jumpMean": 0.0, "jumpVol": 0.009},
    {"mu": -2e-4, "sigma": 0.006, "lambda0": 0.01, "rho": 0.5, "gamma": 0.5, "jumpMean": -0.02, "jumpVol": 0.03},
    {"mu": 0.0, "sigma": 0.003, "lambda0": 0.02, "rho": 0.0, "gamma": 0.0, "jumpMean": 0.01, "jumpVol": 0.005},
]


def main() -> None:
    r = returns()
    # The densities above against scipy.stats' own, at the first point's first intensity.
    p0 = POINTS[0]
    lam1 = p0["lambda0"] / (1 - p0["rho"])
    jj = np.arange(N + 1)
    var0 = p0["sigma"] ** 2 + jj * p0["jumpVol"] ** 2
    mine = np.exp(-lam1) * lam1**jj / factorial(jj) * np.exp(
        -((r[0] - (p0["mu"] - p0["jumpMean"] * lam1 + jj * p0["jumpMean"])) ** 2) / (2 * var0)
    ) / np.sqrt(2 * np.pi * var0)
    theirs = poisson.pmf(jj, lam1) * norm.pdf(r[0], p0["mu"] - p0["jumpMean"] * lam1 + jj * p0["jumpMean"], np.sqrt(var0))
    assert np.allclose(mine, theirs, rtol=1e-12, atol=0), (mine, theirs)
    points = []
    for p in POINTS:
        ll, lams, expected = arji(p, r)
        points.append({"params": p, "loglikelihood": ll, "intensity": lams.tolist(), "expectedJumps": expected.tolist()})

    def objective(x):
        ll = arji(params_of(x), r)[0]
        return -ll if math.isfinite(ll) else 1e10

    starts = [
        [0.0, 0.003, 0.02, 0.5, 0.99, 0.0, 0.01],
        [0.0, 0.003, 0.02, 0.95, 0.3, 0.0, 0.01],
        [0.0, 0.0025, 0.05, 0.98, 0.24, 0.0, 0.009],
    ]
    best = None
    for s in starts:
        res = minimize(objective, s, method="L-BFGS-B", bounds=list(zip(LOWER, UPPER)), options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9})
        if best is None or res.fun < best.fun:
            best = res
    out = {
        "source": "scripts/reference/arji_likelihood.py (numpy "
        + np.__version__
        + ", scipy "
        + scipy.__version__
        + "); Chan & Maheu (2002) JBES 20(3), constant sigma, normal jumps, truncation 20",
        "candles": str(CANDLES.relative_to(ROOT)),
        "from": FROM,
        "to": TO,
        "returns": r.tolist(),
        "points": points,
        "optimum": {"params": params_of(best.x), "loglikelihood": -float(best.fun), "search": best.x.tolist()},
    }
    target = ROOT / "test/fixtures/arji-likelihood.json"
    target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {target}: {len(r)} returns, optimum ln L {-best.fun:.6f} at {params_of(best.x)}")


if __name__ == "__main__":
    main()
