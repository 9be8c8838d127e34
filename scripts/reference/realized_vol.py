#!/usr/bin/env python3
"""Independent reference values for liqopt's realized-volatility estimators and EWMA.

Writes test/fixtures/realized-vol.json, read by test/vol/realized.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/realized_vol.py

Only the standard library and numpy are used. Every estimate is computed directly from the
window's bars (two-pass numpy means/variances over the slice), not by the sliding updates the
TypeScript code uses, so the two implementations share formulas but not arithmetic.

Formulas (TTR `volatility()`, joshuaulrich/TTR R/volatility.R; shared/research/quant.md §3.2), with
o = ln(O_t/C_{t-1}), u = ln(H/O), d = ln(L/O), c = ln(C/O), r = ln(C_t/C_{t-1}), w bars per window:
  close-to-close            sample variance (ddof 1) of r
  parkinson                 sum (ln H/L)^2 / (4 w ln 2)
  garman-klass              mean of 0.5 (ln H/L)^2 - (2 ln 2 - 1) c^2
  rogers-satchell           mean of ln(H/C) ln(H/O) + ln(L/C) ln(L/O)
  garman-klass-yang-zhang   mean of o^2 + 0.5 (ln H/L)^2 - (2 ln 2 - 1) c^2
  yang-zhang                var(o) + k var(c) + (1 - k) RS, k = 0.34 / (1.34 + (w+1)/(w-1))
EWMA (RiskMetrics 1996): s2_t = lam s2_{t-1} + (1 - lam) r_{t-1}^2.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "ohlcv"
OUT = ROOT / "test" / "fixtures" / "realized-vol.json"

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
YEAR_MS = 365 * DAY_MS
GK_C = 2 * math.log(2) - 1
ESTIMATORS = (
    "close-to-close",
    "parkinson",
    "garman-klass",
    "rogers-satchell",
    "garman-klass-yang-zhang",
    "yang-zhang",
)
NEEDS_PREVIOUS_CLOSE = {"close-to-close", "garman-klass-yang-zhang", "yang-zhang"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_cdd(path: Path) -> dict[str, np.ndarray]:
    """CryptoDataDownload export: banner line, header, newest-first rows, `Unix` in ms."""
    with path.open(newline="") as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("https://www.CryptoDataDownload.com"), "banner expected"
    rows = list(csv.DictReader(lines[1:]))
    rows.sort(key=lambda r: int(r["Unix"]))
    return {
        "time": np.array([int(r["Unix"]) for r in rows], dtype=np.int64),
        "open": np.array([float(r["Open"]) for r in rows]),
        "high": np.array([float(r["High"]) for r in rows]),
        "low": np.array([float(r["Low"]) for r in rows]),
        "close": np.array([float(r["Close"]) for r in rows]),
    }


def load_dated(path: Path) -> dict[str, np.ndarray]:
    """Plain `Date,Open,High,Low,Close,Volume` with ISO dates (`2020-01-01 00:00:00+00:00`), ascending."""
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    times = [int(datetime.fromisoformat(r["Date"]).timestamp() * 1000) for r in rows]
    order = np.argsort(np.array(times, dtype=np.int64), kind="stable")
    out = {"time": np.array(times, dtype=np.int64)[order]}
    for key in ("Open", "High", "Low", "Close"):
        out[key.lower()] = np.array([float(rows[i][key]) for i in order])
    return out


def window_variance(s: dict[str, np.ndarray], estimator: str, end: int, w: int) -> float:
    """Per-bar variance over bars end-w+1 .. end (inclusive), computed directly on the slice."""
    a = end - w + 1
    b = end + 1
    if estimator in NEEDS_PREVIOUS_CLOSE:
        assert a >= 1, "the bar before the window supplies the previous close"
    o_, h, l_, c_ = s["open"][a:b], s["high"][a:b], s["low"][a:b], s["close"][a:b]
    hl2 = np.log(h / l_) ** 2
    oc = np.log(c_ / o_)
    rs = np.log(h / c_) * np.log(h / o_) + np.log(l_ / c_) * np.log(l_ / o_)
    if estimator == "close-to-close":
        r = np.log(c_ / s["close"][a - 1 : b - 1])
        return float(np.var(r, ddof=1))
    if estimator == "parkinson":
        return float(np.sum(hl2) / (4 * w * math.log(2)))
    if estimator == "garman-klass":
        return float(np.mean(0.5 * hl2 - GK_C * oc**2))
    if estimator == "rogers-satchell":
        return float(np.mean(rs))
    gap = np.log(o_ / s["close"][a - 1 : b - 1])
    if estimator == "garman-klass-yang-zhang":
        return float(np.mean(gap**2 + 0.5 * hl2 - GK_C * oc**2))
    if estimator == "yang-zhang":
        k = 0.34 / (1.34 + (w + 1) / (w - 1))
        return float(np.var(gap, ddof=1) + k * np.var(oc, ddof=1) + (1 - k) * np.mean(rs))
    raise ValueError(estimator)


def ewma(returns: np.ndarray, lam: float, seed: float) -> np.ndarray:
    """out[0] = seed; out[t] = lam out[t-1] + (1 - lam) r_t^2 (variance after r_1..r_t)."""
    out = np.empty(returns.size + 1)
    out[0] = seed
    for t, r in enumerate(returns, start=1):
        out[t] = lam * out[t - 1] + (1 - lam) * r * r
    return out


def arch_backcast(returns: np.ndarray) -> float:
    """arch's VolatilityProcess.backcast: 0.94^i-weighted mean of the first min(75, n) squared returns."""
    tau = min(75, returns.size)
    w = 0.94 ** np.arange(tau)
    return float(np.sum(w / w.sum() * returns[:tau] ** 2))


def index_of(s: dict[str, np.ndarray], time_ms: int) -> int:
    i = int(np.searchsorted(s["time"], time_ms))
    assert s["time"][i] == time_ms, f"bar {time_ms} not found"
    return i


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sample_indices(s: dict[str, np.ndarray], first: int, events: list[str], count: int = 24) -> list[int]:
    """Evenly spaced indices from the first valid one to the last, plus the bars of named events."""
    last = s["time"].size - 1
    picks = {int(round(x)) for x in np.linspace(first, last, count)}
    for when in events:
        ms = int(datetime.fromisoformat(when).replace(tzinfo=timezone.utc).timestamp() * 1000)
        j = int(np.searchsorted(s["time"], ms))
        if first <= j <= last and s["time"][j] == ms:
            picks.add(j)
    return sorted(picks)


def rolling_case(name: str, s: dict[str, np.ndarray], interval_ms: int, estimator: str, w: int,
                 events: list[str]) -> dict:
    first = w if estimator in NEEDS_PREVIOUS_CLOSE else w - 1
    samples = [
        {"index": i, "time": iso(int(s["time"][i])), "sigma": math.sqrt(window_variance(s, estimator, i, w))}
        for i in sample_indices(s, first, events)
    ]
    return {
        "file": f"data/ohlcv/{name}",
        "intervalMs": interval_ms,
        "barsPerYear": YEAR_MS / interval_ms,
        "estimator": estimator,
        "window": w,
        "firstValidIndex": first,
        "samples": samples,
    }


def main() -> None:
    daily_name = "binance-spot_btcusdt_1d_2017-08_2026-03.csv"
    hourly = {
        "BTCUSDT": "binance-perp_btcusdt_1h_2020-01_2024-04.csv",
        "ETHUSDT": "binance-perp_ethusdt_1h_2020-01_2024-04.csv",
        "SOLUSDT": "binance-perp_solusdt_1h_2020-09_2024-04.csv",
    }
    daily = load_cdd(DATA / daily_name)
    series = {name: load_dated(DATA / name) for name in hourly.values()}

    # R13: calendar 2024 (366 bars), the prior close is 2023-12-31's.
    start = index_of(daily, int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp() * 1000))
    end = index_of(daily, int(datetime(2024, 12, 31, tzinfo=timezone.utc).timestamp() * 1000))
    n = end - start + 1
    assert n == 366
    r13 = {}
    for e in ESTIMATORS:
        sigma = math.sqrt(window_variance(daily, e, end, n))
        r13[e] = {"perBar": sigma, "annualized": sigma * math.sqrt(365)}
    published = {
        "close-to-close": 0.02757337,
        "parkinson": 0.02899023,
        "garman-klass": 0.02950209,
        "rogers-satchell": 0.02962168,
        "garman-klass-yang-zhang": 0.02950209,
        "yang-zhang": 0.02933364,
    }
    for e, v in published.items():
        assert abs(r13[e]["perBar"] - v) < 5e-9, (e, r13[e]["perBar"], v)
    k = 0.34 / (1.34 + (n + 1) / (n - 1))
    assert abs(k - 0.14496) < 5e-6

    # R14: EWMA(0.94) on the same 366 daily log returns, seeded with r_1^2.
    closes = daily["close"][start - 1 : end + 1]
    r2024 = np.log(closes[1:] / closes[:-1])
    e94 = ewma(r2024, 0.94, r2024[0] ** 2)
    assert abs(e94[365] - 5.617294e-4) < 5e-11 and abs(e94[366] - 5.322723e-4) < 5e-11

    # EWMA over the whole daily history, several lambdas and seeds.
    r_all = np.log(daily["close"][1:] / daily["close"][:-1])
    ewma_cases = []
    for lam in (0.94, 0.97, 0.9):
        for seed_name, seed in (
            ("first-squared-return", r_all[0] ** 2),
            ("backcast", arch_backcast(r_all)),
            ("sample-variance-30", float(np.var(r_all[:30], ddof=1))),
        ):
            path = ewma(r_all, lam, seed)
            picks = sorted({int(round(x)) for x in np.linspace(0, r_all.size, 16)} | {1, 2, 75})
            ewma_cases.append({
                "lambda": lam,
                "seed": seed_name,
                "seedVariance": float(seed),
                "returns": int(r_all.size),
                "samples": [{"index": i, "variance": float(path[i])} for i in picks],
            })

    memory = {
        str(lam): {
            "days1pct": math.log(0.01) / math.log(lam),
            "days01pct": math.log(0.001) / math.log(lam),
            "halfLife": math.log(0.5) / math.log(lam),
        }
        for lam in (0.94, 0.97)
    }

    events_daily = ["2020-03-12", "2021-05-19", "2022-05-12", "2022-11-09", "2024-08-05", "2025-10-10"]
    events_hourly = ["2020-03-12T12:00:00", "2020-03-13T02:00:00", "2021-05-19T13:00:00",
                     "2022-05-12T00:00:00", "2022-11-09T15:00:00"]
    rolling = []
    for w in (30, 365):
        for e in ESTIMATORS:
            rolling.append(rolling_case(daily_name, daily, DAY_MS, e, w, events_daily))
    plan = [("binance-perp_btcusdt_1h_2020-01_2024-04.csv", (24, 720)),
            ("binance-perp_ethusdt_1h_2020-01_2024-04.csv", (168,)),
            ("binance-perp_solusdt_1h_2020-09_2024-04.csv", (24,))]
    for name, windows in plan:
        for w in windows:
            for e in ESTIMATORS:
                rolling.append(rolling_case(name, series[name], HOUR_MS, e, w, events_hourly))

    files = [daily_name, *hourly.values()]
    fixture = {
        "description": (
            "Reference values for src/vol/realized.ts and src/vol/ewma.ts, computed independently with "
            "numpy (two-pass statistics over each window's slice) from the bundled candles. Per-bar sigma "
            "is the square root of the per-bar variance; annualized = per-bar x sqrt(bars per year), "
            "365 daily / 8760 hourly bars (crypto trades 24/7). Series are sorted ascending by open time "
            "(the daily file is newest-first on disk); a window ending at index i covers bars i-w+1..i, "
            "and close-to-close, GK-YZ and Yang-Zhang also use the close of bar i-w."
        ),
        "command": "python3 scripts/reference/realized_vol.py",
        "generator": {"python": ".".join(map(str, sys.version_info[:3])), "numpy": np.__version__},
        "inputs": [
            {"file": f"data/ohlcv/{name}", "sha256": sha256(DATA / name),
             "bars": int((daily if name == daily_name else series[name])["time"].size)}
            for name in files
        ],
        "formulas": "TTR volatility() (joshuaulrich/TTR R/volatility.R); shared/research/quant.md section 3.2",
        "r13": {
            "source": "shared/research/quant.md section 5, R13",
            "note": (
                "R13's published values were also produced by R's TTR volatility(OHLC, n = 366 (CC: 367), "
                "N = 1) per the research note, which reports TTR and numpy agreeing to 1e-10."
            ),
            "file": f"data/ohlcv/{daily_name}",
            "from": iso(int(daily["time"][start])),
            "to": iso(int(daily["time"][end])),
            "startIndex": start,
            "bars": n,
            "yangZhangK": k,
            "published": published,
            "values": r13,
        },
        "r14": {
            "source": "shared/research/quant.md section 5, R14 (EWMA part)",
            "lambda": 0.94,
            "seed": "first-squared-return",
            "returns": int(r2024.size),
            "varianceAfter365": float(e94[365]),
            "varianceAfter366": float(e94[366]),
            "published": {"varianceAfter365": 5.617294e-4, "varianceAfter366": 5.322723e-4},
        },
        "ewma": {
            "file": f"data/ohlcv/{daily_name}",
            "note": "returns r_t = ln(C_t/C_{t-1}) over the whole ascending daily series; sample index i "
                    "is the variance after r_1..r_i (index 0 is the seed); sample-variance-30 is the ddof-1 "
                    "variance of r_1..r_30; backcast is arch's 0.94-weighted mean of r_1^2..r_75^2",
            "cases": ewma_cases,
        },
        "memory": {"source": "shared/research/quant.md R16; RiskMetrics Technical Document (1996) section 5.2",
                   "values": memory},
        "rolling": rolling,
    }
    OUT.write_text(json.dumps(fixture, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: R13 ok, R14 ok, {len(rolling)} rolling cases, {len(ewma_cases)} EWMA cases")
    for e in ESTIMATORS:
        print(f"  {e:25s} {r13[e]['perBar']:.8f} {r13[e]['annualized']:.6f}")
    print(f"  EWMA(0.94) after r365 {e94[365]:.6e}, after r366 {e94[366]:.6e}")


if __name__ == "__main__":
    main()
