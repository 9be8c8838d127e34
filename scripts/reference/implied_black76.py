#!/usr/bin/env python3
"""Independent reference values for liqopt's Black-76 price, vega and implied volatility.

Writes test/fixtures/implied-black76.json, read by test/vol/black76.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/implied_black76.py

Uses scipy only: prices from scipy.stats.norm.cdf / norm.sf with the textbook Black (1976) form
    call = D (F N(d1) - K N(d2)),  put = D (K N(-d2) - F N(-d1)),
    d1 = (ln(F/K) + s^2/2)/s, d2 = d1 - s, s = vol sqrt(T),  vega = D F phi(d1) sqrt(T);
implied vols by scipy.optimize.brentq on price(vol) - target over [1e-6, 20] with xtol 1e-15,
rtol 8.9e-16. Nothing here shares code or arithmetic with the TypeScript implementation
(which works on the normalised out-of-the-money price with Newton steps).

Cases: a grid over kind x T x moneyness x vol (including the 0.00352-year expiry and the
forward of the bundled Deribit BTC snapshot, deep ITM/OTM), a discounted set, and the
Deribit BTC 6DEC25 mark premia converted to USD (premium_btc * S0) from
data/options/deribit_btc_option-chain_2025-12-05.csv.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import scipy
from scipy.optimize import brentq
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "implied-black76.json"
CHAIN = ROOT / "data" / "options" / "deribit_btc_option-chain_2025-12-05.csv"


def price(kind: str, f: float, k: float, t: float, vol: float, d: float = 1.0) -> float:
    s = vol * math.sqrt(t)
    d1 = (math.log(f / k) + 0.5 * s * s) / s
    d2 = d1 - s
    if kind == "call":
        return d * (f * norm.cdf(d1) - k * norm.cdf(d2))
    return d * (k * norm.sf(d2) - f * norm.sf(d1))


def vega(f: float, k: float, t: float, vol: float, d: float = 1.0) -> float:
    s = vol * math.sqrt(t)
    d1 = (math.log(f / k) + 0.5 * s * s) / s
    return d * f * norm.pdf(d1) * math.sqrt(t)


def implied(kind: str, f: float, k: float, t: float, p: float, d: float = 1.0) -> float:
    return brentq(lambda v: price(kind, f, k, t, v, d) - p, 1e-6, 20.0, xtol=1e-15, rtol=8.9e-16, maxiter=500)


def main() -> None:
    cases = []
    for kind in ("call", "put"):
        for t in (0.00352, 0.02, 0.25, 1.0, 3.0):
            for vol in (0.08, 0.45, 0.9, 2.0):
                s = vol * math.sqrt(t)
                for z in (-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0):
                    f = 92529.80714285714
                    k = round(f * math.exp(z * s), 2)
                    p = price(kind, f, k, t, vol)
                    entry = {"kind": kind, "forward": f, "strike": k, "years": t, "discount": 1.0,
                             "vol": vol, "price": p, "vega": vega(f, k, t, vol)}
                    intrinsic = max((f - k) if kind == "call" else (k - f), 0.0)
                    # Invert only where the time value is well above rounding of the price.
                    if p - intrinsic > 1e-9 * p:
                        entry["impliedVol"] = implied(kind, f, k, t, p)
                    cases.append(entry)
    for kind, f, k, t, vol, d in (("call", 100.0, 90.0, 0.5, 0.3, math.exp(-0.05 * 0.5)),
                                  ("put", 100.0, 120.0, 2.0, 0.6, math.exp(-0.03 * 2.0)),
                                  ("call", 2241.65, 2400.0, 0.0493, 0.55, 0.999)):
        p = price(kind, f, k, t, vol, d)
        cases.append({"kind": kind, "forward": f, "strike": k, "years": t, "discount": d, "vol": vol,
                      "price": p, "vega": vega(f, k, t, vol, d), "impliedVol": implied(kind, f, k, t, p, d)})
    deribit = []
    with open(CHAIN, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["expiry_date"] != "6DEC25":
                continue
            f, k, t = float(row["S0"]), float(row["strike"]), float(row["T_years"])
            coin = float(row["market_price_btc"])
            usd = coin * f
            intrinsic = max((f - k) if row["type"] == "call" else (k - f), 0.0)
            entry = {"instrument": row["instrument_name"], "kind": row["type"], "forward": f, "strike": k,
                     "years": t, "premiumCoin": coin, "markIv": float(row["mark_iv"]) / 100}
            if usd > intrinsic and usd < (f if row["type"] == "call" else k):
                entry["impliedVol"] = implied(row["type"], f, k, t, usd)
            else:
                entry["impliedVol"] = None
            deribit.append(entry)
    OUT.write_text(json.dumps({
        "command": "python3 scripts/reference/implied_black76.py",
        "tools": f"python {sys.version.split()[0]}, scipy {scipy.__version__} (stats.norm, optimize.brentq)",
        "cases": cases,
        "deribitBtc6Dec25": deribit,
    }, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases, {len(deribit)} Deribit quotes)")


if __name__ == "__main__":
    main()
