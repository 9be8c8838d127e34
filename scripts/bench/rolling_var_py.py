#!/usr/bin/env python3
"""Rolling historical VaR/ES in numpy and pandas, for the comparison in bench/var.ts (which runs
this script with child_process and reads one JSON line from stdout).

    /usr/bin/python3 scripts/bench/rolling_var_py.py --returns r.f64 --ours ours.f64 \
        --window 2000 --confidence 0.99 --seconds 2

Inputs are raw little-endian float64 files written by bench/var.ts: the returns r_0 ... r_{n-1},
and liqopt's forecasts (the n - W VaRs, then the n - W ESs). The forecast for bar t uses the
losses L = -r of bars t-W ... t-1; VaR is the type-7 quantile at the confidence q (numpy.quantile's
default "linear": h = (W-1)q, VaR = L(floor h) + (h - floor h)(L(floor h + 1) - L(floor h)) over the
sorted window), ES the mean of the window's losses >= VaR. The same definition in both libraries:

- pandas: Series(L).rolling(W).quantile(q, interpolation="linear") (a skiplist updated per bar;
  pandas/_libs/window/aggregations.pyx computes vlow + (vhigh - vlow)(idx - floor idx) with
  idx = q(nobs - 1), the same expression). VaR only: pandas has no rolling tail mean.
- numpy: np.partition of each window at floor h and floor h + 1 (introselect, O(W) per window),
  vectorised over blocks of windows of numpy.lib.stride_tricks.sliding_window_view, then the
  interpolation and the tail mean on the whole block.

Each is repeated (three times at least) until the time budget is spent; the JSON gives the fastest
and the median run by the wall clock and the median process CPU time (seconds for all forecasts),
and the largest absolute difference from liqopt's VaR (and ES).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

BLOCK = 512


def numpy_rolling(losses: np.ndarray, window: int, q: float) -> tuple[np.ndarray, np.ndarray]:
    windows = sliding_window_view(losses[:-1], window)  # window t holds bars t ... t + W - 1
    h = (window - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, window - 1)
    frac = h - lo
    var = np.empty(windows.shape[0])
    es = np.empty(windows.shape[0])
    for start in range(0, windows.shape[0], BLOCK):
        part = np.partition(windows[start:start + BLOCK], (lo, hi), axis=1)
        a = part[:, lo]
        v = a + frac * (part[:, hi] - a)
        tail = part >= v[:, None]
        var[start:start + BLOCK] = v
        es[start:start + BLOCK] = np.where(tail, part, 0.0).sum(axis=1) / tail.sum(axis=1)
    return var, es


def pandas_rolling(pd, losses: np.ndarray, window: int, q: float) -> np.ndarray:
    s = pd.Series(losses[:-1])
    return s.rolling(window).quantile(q, interpolation="linear").to_numpy()[window - 1:]


def timed(fn, seconds: float) -> tuple[object, dict[str, float]]:
    wall, cpu = [], []
    out = None
    total0 = time.perf_counter()
    while len(wall) < 3 or time.perf_counter() - total0 < seconds:
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    wall.sort()
    cpu.sort()
    return out, {"bestSeconds": wall[0], "medianSeconds": wall[len(wall) // 2],
                 "medianCpuSeconds": cpu[len(cpu) // 2]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--returns", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--window", type=int, default=2000)
    ap.add_argument("--confidence", type=float, default=0.99)
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    r = np.fromfile(a.returns, dtype="<f8")
    losses = -r
    forecasts = r.size - a.window
    ours = np.fromfile(a.ours, dtype="<f8")
    our_var, our_es = ours[:forecasts], ours[forecasts:]
    result: dict[str, object] = {"numpy": np.__version__, "forecasts": forecasts, "window": a.window}
    (var, es), times = timed(lambda: numpy_rolling(losses, a.window, a.confidence), a.seconds)
    result["numpyPartition"] = {
        **times,
        "maxAbsDiffVar": float(np.max(np.abs(var - our_var))),
        "maxAbsDiffEs": float(np.max(np.abs(es - our_es))),
    }
    try:
        import pandas as pd
    except ImportError as error:
        result["pandas"] = {"skipped": f"pandas not installed ({error})"}
    else:
        var, times = timed(lambda: pandas_rolling(pd, losses, a.window, a.confidence), a.seconds)
        result["pandas"] = {
            "version": pd.__version__,
            **times,
            "maxAbsDiffVar": float(np.max(np.abs(var - our_var))),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
