#!/usr/bin/env python3
"""Independent reference values for the venue population (src/sim/venue/population.ts).

Writes test/fixtures/population.json, read by test/sim/venue/population.test.ts.

    python3 scripts/reference/population.py

Needs numpy and scipy (Debian python3-scipy, >= 1.11 for truncpareto):

1. Quantiles of the truncated Pareto with scipy.stats.truncpareto(b=alpha, c=max/min, scale=min),
   scipy's own implementation of the law the population draws notionals from;
2. The leverage mixture of examples/venue/population-btcusdt.json: the share of positions below 3x,
   between 3x and 7x and above 7x, from scipy.stats.lognorm(s=sigma, scale=median), against the
   published shares of Hyperliquid open interest (2.77, 3.7 and 1.16 of 7.63 bn USD; see
   docs/assumptions.md item 33).
"""

from __future__ import annotations

import json
from pathlib import Path

from scipy.stats import lognorm, truncpareto

ROOT = Path(__file__).resolve().parents[2]
example = json.loads((ROOT / "examples/venue/population-btcusdt.json").read_text())

cases = []
for alpha, lo, hi in [(1.5, 33000.0, 2e8), (1.1, 1.0, 1e12), (2.5, 100.0, 1e4), (0.8, 10.0, 1e6)]:
    law = truncpareto(b=alpha, c=hi / lo, scale=lo)
    us = [0.0, 1e-6, 0.1, 0.5, 0.9, 0.999, 0.999999]
    cases.append({"tailIndex": alpha, "min": lo, "max": hi, "u": us, "x": [float(law.ppf(u)) for u in us]})


def cdf(x: float) -> float:
    return sum(c["weight"] * lognorm(s=c["sigma"], scale=c["median"]).cdf(x) for c in example["leverage"])


total = sum(c["weight"] for c in example["leverage"])
bands = [cdf(3) / total, (cdf(7) - cdf(3)) / total, 1 - cdf(7) / total]
published = [2.77 / 7.63, 3.7 / 7.63, (7.63 - 2.77 - 3.7) / 7.63]
out = {"truncatedPareto": cases, "leverageBands": {"edges": [3, 7], "mixture": bands, "published": published}}
(ROOT / "test/fixtures/population.json").write_text(json.dumps(out, indent=2) + "\n")
