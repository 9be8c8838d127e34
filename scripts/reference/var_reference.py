#!/usr/bin/env python3
"""Independent reference values for liqopt's VaR/ES models and VaR backtests.

Writes test/fixtures/var-reference.json, read by test/risk/var.test.ts,
test/risk/backtest.test.ts and test/parity/var-backtests.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/var_reference.py

Uses numpy and scipy only. Nothing here shares code with the TypeScript implementation; where
a closed form exists in src/risk/var-parametric.ts the value here is obtained a different way:
  normal / unit-variance t VaR: scipy.stats ppf; ES: numerical integration (scipy.integrate.quad)
    of x f(x) over the tail divided by alpha (no closed-form ES formula is used);
  Cornish-Fisher VaR: the expansion (it is its own definition); ES: quad of z_cf(Phi^-1(u)) over
    u in (q, 1) divided by alpha; monotone flags: sign of the derivative on a dense grid;
  historical quantiles: numpy.quantile (method "linear" = R type 7, and "inverted_cdf" = type 1);
  Student-t MLE: scipy.stats.t.fit (standard-t scale converted to the sd of the unit-variance t);
  chi-square and binomial probabilities: scipy.stats.chi2.sf and scipy.stats.binom.cdf/sf;
  Kupiec LR and non-rejection regions: numpy with scipy.special.xlogy.
Convention: losses L = -r, r = ln(C_t / C_{t-1}) of the bundled Binance BTCUSDT spot daily closes
in ascending time (the loader of src/market/candles.ts sorts the newest-first file the same way).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy import integrate, stats
from scipy.special import xlogy

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "ohlcv" / "binance-spot_btcusdt_1d_2017-08_2026-03.csv"
OUT = ROOT / "test" / "fixtures" / "var-reference.json"

QS = [0.9, 0.95, 0.975, 0.99, 0.995, 0.999]
NUS = [2.5, 3, 4, 5, 6, 10, 30]


def normal_rows():
    rows = []
    for q in QS:
        a = 1 - q
        z = stats.norm.ppf(q)
        es = integrate.quad(lambda x: x * stats.norm.pdf(x), z, np.inf, epsabs=1e-14, epsrel=1e-13)[0] / a
        rows.append({"q": q, "var": float(z), "es": float(es)})
    return rows


def t_rows():
    rows = []
    for nu in NUS:
        s = math.sqrt((nu - 2) / nu)
        for q in QS:
            a = 1 - q
            t = stats.t.ppf(q, nu)
            tail = integrate.quad(lambda x: x * stats.t.pdf(x, nu), t, np.inf, epsabs=1e-14, epsrel=1e-13)[0]
            rows.append({"q": q, "nu": nu, "var": float(s * t), "es": float(s * tail / a)})
    return rows


def zcf(z, S, K):
    return z + (z**2 - 1) * S / 6 + (z**3 - 3 * z) * K / 24 - (2 * z**3 - 5 * z) * S**2 / 36


def cf_rows():
    rows = []
    for S, K in [(0.0, 0.0), (0.5, 1.0), (-0.5, 2.0), (1.0, 3.0), (0.96, 15.5), (-1.2, 6.0), (0.3, 8.0)]:
        grid = np.linspace(-12, 12, 240001)
        d = np.gradient(zcf(grid, S, K), grid)
        for q in [0.95, 0.975, 0.99]:
            a = 1 - q
            z = stats.norm.ppf(q)
            es = integrate.quad(lambda u: zcf(stats.norm.ppf(u), S, K), q, 1, limit=200, epsabs=1e-13)[0] / a
            tail = grid >= z
            rows.append(
                {
                    "q": q,
                    "skewness": S,
                    "excessKurtosis": K,
                    "var": float(zcf(z, S, K)),
                    "es": float(es),
                    "monotone": bool(np.all(d > 0)),
                    "monotoneInTail": bool(np.all(d[tail] > 0)),
                }
            )
    return rows


def btc_returns():
    with DATA.open() as f:
        lines = f.read().splitlines()[1:]
    reader = csv.DictReader(lines)
    rows = []
    for row in reader:
        unix = float(row["Unix"])
        ms = unix if unix >= 1e11 else unix * 1000
        rows.append((ms, float(row["Close"])))
    rows.sort()
    close = np.array([c for _, c in rows])
    return np.diff(np.log(close))


def historical(losses, q, method):
    v = float(np.quantile(losses, q, method=method))
    return {"q": q, "method": method, "var": v, "es": float(losses[losses >= v].mean())}


def btc_block(r):
    losses = -r
    out = {
        "n": int(len(r)),
        "firstReturn": float(r[0]),
        "lastReturn": float(r[-1]),
        "historical": [],
        "historicalLast500": [],
        "historical5Day": [],
    }
    last = losses[-500:]
    agg5 = -np.array([r[i : i + 5].sum() for i in range(len(r) - 4)])
    for q in [0.95, 0.975, 0.99]:
        for method in ["linear", "inverted_cdf"]:
            out["historical"].append(historical(losses, q, method))
            out["historicalLast500"].append(historical(last, q, method))
        out["historical5Day"].append(historical(agg5, q, "linear"))
    m = losses.mean()
    sd = losses.std(ddof=1)
    S = float(stats.skew(losses))
    K = float(stats.kurtosis(losses))
    out["moments"] = {"mean": float(m), "sd": float(sd), "skewness": S, "excessKurtosis": K}
    z = stats.norm.ppf(0.99)
    out["normal99"] = {"var": float(m + sd * z), "es": float(m + sd * stats.norm.pdf(z) / 0.01)}
    out["cornishFisher99"] = {"var": float(m + sd * zcf(z, S, K))}
    df, loc, scale = stats.t.fit(losses)
    sigma = scale * math.sqrt(df / (df - 2))
    ll = float(np.sum(stats.t.logpdf(losses, df, loc, scale)))
    out["studentTMle"] = {"nu": float(df), "mu": float(loc), "sigma": float(sigma), "loglikelihood": ll}
    return out


def kupiec_lr(x, n, p):
    phat = x / n
    return float(-2 * (xlogy(n - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(n - x, 1 - phat) + xlogy(x, phat)))


def backtest_block():
    crit1 = float(stats.chi2.ppf(0.95, 1))
    crit2 = float(stats.chi2.ppf(0.95, 2))
    regions = []
    for p in [0.01, 0.025, 0.05, 0.075, 0.1]:
        for n in [255, 510, 1000]:
            ok = [x for x in range(n + 1) if kupiec_lr(x, n, p) <= crit1]
            regions.append({"p": p, "n": n, "lowest": min(ok), "highest": max(ok)})
    pof = []
    for x, n, p in [(57, 1043, 0.05), (0, 250, 0.01), (3, 250, 0.01), (10, 250, 0.01), (25, 1000, 0.01), (5, 500, 0.01)]:
        lr = kupiec_lr(x, n, p)
        pof.append({"x": x, "n": n, "p": p, "lr": lr, "pValue": float(stats.chi2.sf(lr, 1))})
    chi = []
    for k in [1, 2]:
        for s in [0.01, 0.25866, 0.46147, 0.72013, 3.8415, 10.0, 40.0]:
            chi.append({"x": s, "k": k, "sf": float(stats.chi2.sf(s, k))})
    binom = []
    for x, n, p in [(57, 1043, 0.05), (56, 1043, 0.05), (12, 250, 0.01), (30, 250, 0.025)] + [(x, 250, 0.01) for x in range(11)]:
        binom.append({"x": x, "n": n, "p": p, "cdf": float(stats.binom.cdf(x, n, p))})
    return {"chiSquare95": {"df1": crit1, "df2": crit2}, "kupiecRegions": regions, "kupiecPof": pof, "chiSquareSurvival": chi, "binomialCdf": binom}


def main():
    fixture = {
        "command": "python3 scripts/reference/var_reference.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
        "normal": normal_rows(),
        "studentT": t_rows(),
        "cornishFisher": cf_rows(),
        "btcDaily": btc_block(btc_returns()),
        "backtests": backtest_block(),
    }
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
