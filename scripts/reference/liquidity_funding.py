#!/usr/bin/env python3
"""Independent reference values for liqopt's funding statistics, regimes and funding cost.

Writes test/fixtures/liquidity-funding.json, read by test/risk/funding.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/liquidity_funding.py

Standard library and numpy only. Files are the bundled copies under data/funding/ (see
data/funding/PROVENANCE.md). The 8-hourly CSV repeats five rows (one every 1000 rows, identical
rates); the first of each pair is kept, as the TypeScript loader does by default. The percent JSON's
rates are divided by 100.

Statistics: numpy mean, std(ddof=1), quantile (method "linear"), share of rates < 0; annualised
mean = mean * 8760 / 8 (365-day year, simple). Regimes: rolling mean over w rows (numpy convolve),
label positive if > threshold, negative if < -threshold, else neutral, runs from the first full
window. Funding cost: a long pays rate * notional at each settlement in (from, from + horizon].
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "funding"
OUT = ROOT / "test" / "fixtures" / "liquidity-funding.json"
LEVELS = [0.01, 0.05, 0.5, 0.95, 0.99]


def ms(text: str) -> int:
    fmt = "%Y-%m-%d %H:%M:%S" if " " in text else "%Y-%m-%d"
    return int(datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp() * 1000)


def stats(rates: np.ndarray) -> dict:
    return {
        "count": int(rates.size),
        "meanRate": float(rates.mean()),
        "sdRate": float(rates.std(ddof=1)),
        "annualizedMean": float(rates.mean() * 8760 / 8),
        "minRate": float(rates.min()),
        "maxRate": float(rates.max()),
        "shareNegative": float((rates < 0).mean()),
        "shareAtCap": float((np.abs(rates) >= 0.003).mean()),
        "quantiles": [float(q) for q in np.quantile(rates, LEVELS, method="linear")],
    }


def regimes(rates: np.ndarray, w: int, thr: float) -> dict:
    roll = np.convolve(rates, np.ones(w) / w, mode="valid")  # roll[k] = mean(rates[k : k + w])
    labels = np.where(roll > thr, "positive", np.where(roll < -thr, "negative", "neutral"))
    runs = []
    start = 0
    for k in range(1, labels.size + 1):
        if k == labels.size or labels[k] != labels[start]:
            runs.append({"regime": str(labels[start]), "start": start + w - 1, "length": k - start})
            start = k
    out = {}
    for reg in ("positive", "neutral", "negative"):
        lengths = [r["length"] for r in runs if r["regime"] == reg]
        out[reg] = {"runs": len(lengths), "rows": int(sum(lengths)), "longestRunRows": max(lengths, default=0)}
    return {"window": w, "threshold": thr, "runCount": len(runs), "firstRuns": runs[:5], "summary": out}


def main() -> None:
    seen = set()
    times, rates = [], []
    with open(DATA / "binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv") as f:
        for row in csv.DictReader(f):
            t = ms(row["Open Time"])
            if t in seen:
                continue
            seen.add(t)
            times.append(t)
            rates.append(float(row["fundingRate"]))
    t8 = np.array(times, dtype=np.int64)
    r8 = np.array(rates)
    pairs = json.loads((DATA / "binance_btcusdt_funding-8h-percent_2022-11_2025-11.json").read_text())
    rj = np.array([p[1] for p in pairs]) / 100.0

    # Funding cost of a 1,000,000 USDT long over 30 days from 2021-02-01 00:00 (settlements after it).
    start = ms("2021-02-01 00:00:00")
    end = start + 30 * 24 * 3600 * 1000
    sel = (t8 > start) & (t8 <= end)
    cost = {"fromMs": start, "horizonHours": 720, "notionalQuote": 1e6, "rows": int(sel.sum()),
            "totalQuote": float((r8[sel] * 1e6).sum())}

    # Daily means of the 8-hourly prints by UTC day, against the daily-mean file.
    days = {}
    for t, r in zip(times, rates):
        days.setdefault(t // 86_400_000, []).append(r)
    worst = 0.0
    compared = 0
    with open(DATA / "binance_btcusdt_funding-daily-mean_2019-09_2026-02.csv") as f:
        for row in csv.DictReader(f):
            d = ms(row["date"]) // 86_400_000
            if d in days:
                compared += 1
                worst = max(worst, abs(np.mean(days[d]) - float(row["funding_mean"])))
    doc = {
        "source": "scripts/reference/liquidity_funding.py",
        "levels": LEVELS,
        "csv8h": stats(r8),
        "percentJson": stats(rj),
        "regimesCsv8h": regimes(r8, 21, 0.00005),
        "cost": cost,
        "dailyMeanCheck": {"daysCompared": compared, "largestAbsDifference": float(worst)},
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(json.dumps(doc, indent=1)[:3000])


if __name__ == "__main__":
    main()
