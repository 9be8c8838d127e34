#!/usr/bin/env python3
"""The volatilities, correlations and Student-t ν of examples/venue/aave-lending-mc.json, from the
bundled Binance spot daily closes (data/ohlcv/, CryptoDataDownload exports; data/ohlcv/PROVENANCE.md).

Writes test/fixtures/lending-mc-inputs.json, read by test/sim/venue/lending-scenario.test.ts (the
example's figures must equal these, rounded as written there).

    python3 scripts/reference/lending_mc_inputs.py

Needs numpy only. Window: the 365 daily closes up to 2026-03-30 (the last bundled day). Returns
r_t = ln(C_t / C_{t-1}) over consecutive calendar days present in all three files (days after a gap
are dropped). Annual volatility = sd(r)·√365 (crypto trades every day); correlation = numpy.corrcoef.
ν of the common Student-t shocks: method of moments on the pooled returns standardised per asset,
excess kurtosis k = 6/(ν − 4), so ν = 4 + 6/k.

Proxies (docs/assumptions.md): WETH = ETHUSDT, WBTC = BTCUSDT, the thin CRV-like collateral = SOLUSDT
(a liquid alt: the lower bound of a thin asset's volatility), wstETH = ETHUSDT's volatility with a
correlation of 0.99 to WETH (a staking token that tracks ETH; its other correlations are WETH's),
USDC and USDT: volatility 0 (the replay's beta 0), uncorrelated.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "BTC": "data/ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv",
    "ETH": "data/ohlcv/binance-spot_ethusdt_1d_2017-08_2026-03.csv",
    "SOL": "data/ohlcv/binance-spot_solusdt_1d_2020-08_2026-03.csv",
}
LAST = dt.date(2026, 3, 30)
DAYS = 365


def closes(path: str) -> dict[dt.date, float]:
    with open(ROOT / path, newline="") as f:
        rows = list(csv.reader(f))[2:]
    return {dt.date.fromisoformat(r[1][:10]): float(r[6]) for r in rows}


def main() -> None:
    series = {k: closes(p) for k, p in FILES.items()}
    first = LAST - dt.timedelta(days=DAYS)
    days = sorted(d for d in series["BTC"] if first <= d <= LAST and all(d in s for s in series.values()))
    rets = {k: [] for k in FILES}
    for a, b in zip(days, days[1:]):
        if (b - a).days != 1:
            continue
        for k, s in series.items():
            rets[k].append(math.log(s[b] / s[a]))
    r = np.array([rets[k] for k in FILES])
    vol = r.std(axis=1, ddof=1) * math.sqrt(365)
    corr = np.corrcoef(r)
    z = (r - r.mean(axis=1, keepdims=True)) / r.std(axis=1, ddof=1, keepdims=True)
    excess = float((z**4).mean() - 3)
    nu = 4 + 6 / excess if excess > 0 else float("inf")
    idx = {k: i for i, k in enumerate(FILES)}
    # the example's assets: WETH, WBTC, wstETH, CRV-like, USDC, USDT
    src = ["ETH", "BTC", "ETH", "SOL", None, None]
    n = len(src)
    annual_vol = [float(vol[idx[s]]) if s else 0.0 for s in src]
    m = np.eye(n)
    for i in range(n):
        for j in range(n):
            if i != j and src[i] and src[j]:
                m[i, j] = 1.0 if src[i] == src[j] else float(corr[idx[src[i]], idx[src[j]]])
    m[0, 2] = m[2, 0] = 0.99
    rounded = np.round(m, 2)
    np.linalg.cholesky(rounded)  # positive definite as rounded
    out = {
        "command": "python3 scripts/reference/lending_mc_inputs.py",
        "versions": {"numpy": np.__version__},
        "window": {"from": days[0].isoformat(), "to": days[-1].isoformat(), "returns": int(r.shape[1])},
        "symbols": ["WETH", "WBTC", "wstETH", "CRV-like", "USDC", "USDT"],
        "annualVol": [round(v, 2) for v in annual_vol],
        "correlation": rounded.tolist(),
        "nu": round(nu, 1),
        "excessKurtosis": excess,
        "raw": {"annualVol": vol.tolist(), "correlation": corr.tolist(), "order": list(FILES)},
    }
    path = ROOT / "test/fixtures/lending-mc-inputs.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: out[k] for k in ("window", "annualVol", "correlation", "nu", "excessKurtosis")}))


if __name__ == "__main__":
    main()
