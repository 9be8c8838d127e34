#!/usr/bin/env python3
"""Independent reference values for liqopt's depth calibration of 2025-10-10 (src/risk/depth-dynamics.ts).

Writes test/fixtures/depth-dynamics-2025-10-10.json, read by test/risk/depth-dynamics.test.ts.

Run from anywhere (paths are resolved from this file):

    python3 scripts/reference/depth_dynamics.py

Python standard library (csv) and numpy only (numpy.linalg.lstsq, numpy.linalg.inv). Every step is
re-implemented here from the method's statement in docs/depth-calibration.md, not translated from
the TypeScript:

1. Price at a snapshot: the 1-minute kline whose open time t0 <= t < t0 + 60 s, linearly from its
   open to its close: m = open + (close - open) (t - t0) / 60 s; no kline, no price.
2. Stale bid: a snapshot is crossed when its bid band 1 average (notional/depth) exceeds its ask
   band 1 average. Then its bands are measured from ref = (S + m)/2, S = the bid band 1 average,
   and re-based to the market: an ask edge at ref (1 + b/100) lies x = ref (1 + b/100)/m - 1 above
   m, a bid edge at ref (1 - b/100) lies y = 1 - ref (1 - b/100)/m below m (kept only when y > 0),
   and the bid notional of band 1 (the stale entry) is taken off every bid band. A snapshot that is
   not crossed keeps its edges at b/100, but when its bid band 1 average lies above m (a stale bid
   above the market that does not cross the ask average) its bid side is unobserved.
3. Notional within distance d of one side: from the points (distance, cumulative notional) of its
   edges, power-law (log-log linear) interpolation between the two edges around d; below the first
   edge N(d) = N1 (d/x1)^beta with beta the calm shape exponent (least squares slope of log median
   notional on log b over both sides' calm medians); beyond the last edge: unobserved (NaN).
4. Depth scale: calm baseline B_side = median over snapshots before 12:00 of the side's notional
   within d (d = 1 %); scale = (N_bid + N_ask)/(B_bid + B_ask), or N_ask/B_ask when the bid side is
   unobserved (flagged).
5. Per 1-minute kline from 12:00: L_t = mean of ln(scale) over the snapshots in the minute; r_t =
   ln(close_t/close_{t-1}); OLS of L_t = alpha + phi L_{t-1} + gamma |r_{t-1}| over the minutes where
   all three exist; standard errors sqrt(diag(s^2 (X'X)^-1)), s^2 = RSS/(n - 3); R^2 = 1 - RSS/TSS.
6. Square-root law scale per snapshot and side (from 12:00): book-walk points Q_k = cumulative
   notional, I_k = |VWAP_k/m - 1| with VWAP_k = notional/depth (bid side: the stale entry taken off
   notional and depth of a crossed snapshot, bands with y > 0 only); c = sum(sqrt(Q) I)/sum(Q), the
   least-squares Y sigma_D / sqrt(V_D) of I = c sqrt(Q) through the origin.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DEPTH = ROOT / "data" / "crashes" / "2025-10-10_binance-usdm_btcusdt_bookdepth.csv"
KLINES = ROOT / "data" / "crashes" / "2025-10-10_binance-usdm_btcusdt_1m.csv"
OUT = ROOT / "test" / "fixtures" / "depth-dynamics-2025-10-10.json"
D = 0.01
CALM_END_MS = 1760097600000  # 2025-10-10 12:00 UTC
FIT_FROM_MS = CALM_END_MS
FIT_TO_MS = 1760140800000  # 2025-10-11 00:00 UTC


def epoch_ms(text: str) -> int:
    y, mo, d = int(text[0:4]), int(text[5:7]), int(text[8:10])
    h, mi, s = int(text[11:13]), int(text[14:16]), int(text[17:19])
    days = (np.datetime64(f"{y:04d}-{mo:02d}-{d:02d}") - np.datetime64("1970-01-01")).astype(int)
    return int(((days * 24 + h) * 60 + mi) * 60 + s) * 1000


def load_snapshots():
    snaps: dict[int, dict[int, tuple[float, float]]] = {}
    with open(DEPTH, newline="") as f:
        for row in csv.DictReader(f):
            snaps.setdefault(epoch_ms(row["timestamp_utc"]), {})[int(row["percentage"])] = (
                float(row["depth"]),
                float(row["notional"]),
            )
    return [(t, snaps[t]) for t in sorted(snaps)]


def load_klines():
    with open(KLINES, newline="") as f:
        return [
            (int(r["open_time_ms"]), float(r["open"]), float(r["close"]))
            for r in csv.DictReader(f)
        ]


def price_at(klines_by_open, t):
    t0 = t - t % 60000
    k = klines_by_open.get(t0)
    if k is None:
        return math.nan
    return k[0] + (k[1] - k[0]) * (t - t0) / 60000


def within(points, d, beta):
    """Power-law interpolation of cumulative notional at distance d; points sorted by distance."""
    pts = [(x, n) for x, n in points if x > 0]
    if not pts or d > pts[-1][0]:
        return math.nan
    x1, n1 = pts[0]
    if d <= x1:
        return n1 * (d / x1) ** beta
    for (xa, na), (xb, nb) in zip(pts, pts[1:]):
        if d <= xb:
            if na <= 0 or nb <= 0:
                return na + (nb - na) * (d - xa) / (xb - xa)
            return math.exp(math.log(na) + (math.log(nb) - math.log(na)) * math.log(d / xa) / math.log(xb / xa))
    return math.nan


def side_points(snap, m, bands):
    """(ask points, bid points, crossed, bid walk points, ask walk points)."""
    bid_avg = snap[-1][1] / snap[-1][0]
    ask_avg = snap[1][1] / snap[1][0]
    crossed = bid_avg > ask_avg
    if crossed:
        if not math.isfinite(m):
            return None
        ref = (bid_avg + m) / 2
        ask = [(ref * (1 + b / 100) / m - 1, snap[b][1]) for b in bands]
        stale_n, stale_d = snap[-1][1], snap[-1][0]
        bid = [
            (1 - ref * (1 - b / 100) / m, snap[-b][1] - stale_n, snap[-b][0] - stale_d) for b in bands
        ]
        bid = [(y, n, dd) for y, n, dd in bid if y > 0]
    else:
        ask = [(b / 100, snap[b][1]) for b in bands]
        # A bid band 1 averaging above the market holds a stale bid: the bid side is unobserved.
        above = math.isfinite(m) and bid_avg > m
        bid = [] if above else [(b / 100, snap[-b][1], snap[-b][0]) for b in bands]
    return ask, [(y, n) for y, n, _ in bid], crossed, bid


def main():
    snaps = load_snapshots()
    klines = load_klines()
    by_open = {t: (o, c) for t, o, c in klines}
    bands = [1, 2, 3, 4, 5]
    calm = [s for t, s in snaps if t < CALM_END_MS]
    med = []
    for b in bands:
        for side in (-1, 1):
            med.append((math.log(b / 100), math.log(float(np.median([s[side * b][1] for s in calm])))))
    xs = np.array([a for a, _ in med])
    ys = np.array([b for _, b in med])
    beta = float(np.sum((xs - xs.mean()) * (ys - ys.mean())) / np.sum((xs - xs.mean()) ** 2))

    rows = []
    for t, s in snaps:
        m = price_at(by_open, t)
        sp = side_points(s, m, bands)
        if sp is None:
            rows.append((t, m, math.nan, math.nan, False))
            continue
        ask, bid, crossed, _ = sp
        rows.append((t, m, within(bid, D, beta), within(ask, D, beta), crossed))
    base_bid = float(np.median([r[2] for r in rows if r[0] < CALM_END_MS]))
    base_ask = float(np.median([r[3] for r in rows if r[0] < CALM_END_MS]))
    scale = []
    for t, m, nb, na, crossed in rows:
        if math.isfinite(nb) and math.isfinite(na):
            scale.append((nb + na) / (base_bid + base_ask))
        elif math.isfinite(na):
            scale.append(na / base_ask)
        else:
            scale.append(math.nan)

    # Minute series from the first kline.
    minutes = [t for t, _, _ in klines if FIT_FROM_MS <= t < FIT_TO_MS]
    close = {t: c for t, _, c in klines}
    sums: dict[int, list[float]] = {}
    for (t, *_), sc in zip(rows, scale):
        if math.isfinite(sc) and sc > 0:
            sums.setdefault(t - t % 60000, []).append(math.log(sc))
    level = {t: (sum(v) / len(v)) for t, v in sums.items()}
    X, Y = [], []
    for t in minutes:
        prev = t - 60000
        prev2 = prev - 60000
        if t in level and prev in level and prev in close and prev2 in close:
            X.append([1.0, level[prev], abs(math.log(close[prev] / close[prev2]))])
            Y.append(level[t])
    X = np.array(X)
    Y = np.array(Y)
    coef, rss, _, _ = np.linalg.lstsq(X, Y, rcond=None)
    resid = Y - X @ coef
    n = len(Y)
    s2 = float(resid @ resid) / (n - 3)
    cov = s2 * np.linalg.inv(X.T @ X)
    se = np.sqrt(np.diag(cov))
    r2 = 1 - float(resid @ resid) / float(((Y - Y.mean()) ** 2).sum())

    # Square-root scale per snapshot (from 12:00) and side.
    sqrt_scale = []
    for t, s in snaps:
        m = price_at(by_open, t)
        if not math.isfinite(m):
            continue
        sp = side_points(s, m, bands)
        if sp is None:
            continue
        _, _, crossed, bidwalk = sp
        out = {"timeMs": t}
        ask_pts = [(s[b][1], abs(s[b][1] / s[b][0] / m - 1)) for b in bands]
        bid_pts = [(n_, abs(n_ / d_ / m - 1)) for _, n_, d_ in bidwalk if d_ > 0 and n_ > 0]
        for name, pts in (("ask", ask_pts), ("bid", bid_pts)):
            if pts:
                out[name] = sum(math.sqrt(q) * i for q, i in pts) / sum(q for q, _ in pts)
            else:
                out[name] = None
        sqrt_scale.append(out)

    fixture = {
        "source": "scripts/reference/depth_dynamics.py (numpy " + np.__version__ + ")",
        "distance": D,
        "calmShapeExponent": beta,
        "baselineBidUsd": base_bid,
        "baselineAskUsd": base_ask,
        "snapshots": len(snaps),
        "crossed": sum(1 for r in rows if r[4]),
        "scale": [None if not math.isfinite(x) else x for x in scale],
        "fit": {
            "n": n,
            "alpha": float(coef[0]),
            "phi": float(coef[1]),
            "gamma": float(coef[2]),
            "seAlpha": float(se[0]),
            "sePhi": float(se[1]),
            "seGamma": float(se[2]),
            "rSquared": r2,
        },
        "sqrtScale": sqrt_scale,
    }
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(json.dumps({k: v for k, v in fixture.items() if k not in ("scale", "sqrtScale")}, indent=1))
    hl = math.log(0.5) / math.log(coef[1])
    print("half-life min", hl, "equilibrium", math.exp(coef[0] / (1 - coef[1])))
    for t, sc in list(zip([r[0] for r in rows], scale))[::120]:
        print(np.datetime64(t, "ms"), sc)


if __name__ == "__main__":
    main()
