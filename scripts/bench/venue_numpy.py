#!/usr/bin/env python3
"""Vectorised numpy version of the simple venue model, for the speed comparison of the bench case
`venue` (bench/venue.ts runs this script with child_process and reads one JSON line from stdout).

    /usr/bin/python3 scripts/bench/venue_numpy.py --book book.f64 --paths 200 --steps 288
    /usr/bin/python3 scripts/bench/venue_numpy.py --accounts 10000 --paths 200 --impact

The model (the simple case of src/sim/venue/engine.ts):
- a book of N isolated positions on one linear symbol: signed size q_i (base units), entry E_i,
  margin m_i and liquidation price L_i (given: read from --book, a raw float64 file of the four
  columns one after the other, as bench/venue.ts writes the drawn population; or a synthetic book);
- GBM mark paths S_k = S_0 exp(sum_{j<=k} ((-sigma^2/2) dt + sigma sqrt(dt) z_j)), z standard normal;
- a long is liquidated at the first step whose mark is at or below L_i, a short at or above it;
  the engine takes the position over at that step's fill price F (the mark, moved by the step's own
  liquidation flow when impact is on) and the insurance fund receives the remainder
  r_i = m_i + q_i (F - E_i): the clearance fee min(fee_rate |q_i| F, r_i) and the rest of a positive
  remainder, or it pays the shortfall -r_i (bad debt) when F is beyond the bankruptcy price;
- with --impact, the net liquidation flow of a step, Q_k = sum |q_i| M_k over the positions it
  crosses (sells for longs, buys for shorts), moves the price by the square-root law
  I = Y sigma_D sqrt(|Q_k| / V_D) (Toth et al., Phys. Rev. X 1, 021006, 2011), transient: the
  impact state decays by 2^(-1/half-life) a step, the mark the liquidations see is
  M_k = S_k (1 + I_{k-1} d) and the fill F_k = S_k (1 + I_k), I_k = I_{k-1} d + sign I(Q_k).

What is vectorised, and how (the best we could write in numpy):
- The paths of a block are generated at once (steps x paths, one cumulative sum down the rows).
- Without impact a position's liquidation step is where its L_i falls in its path's running minimum
  (longs) or maximum (shorts), which are monotone: one np.searchsorted per path and side over the
  whole book, O(N log K) per path instead of the O(N K) scan of every position at every step.
- With impact the running extreme depends on the flow, so the steps run in order, but vectorised
  over the paths of the block: the longs sorted by L descending (shorts ascending) are crossed as a
  prefix of that order, so a step only looks up how far the prefix reaches (np.searchsorted of the
  block's marks into the sorted L) and the flow of the new part by prefix sums of |q|; each
  position's step and fill are then recovered from the prefix ends, O(K + N log K) per path.
- Remainders, bad debt, fees and the fund's path: whole-array operations over (paths x N) and a
  bincount per step.
Reports account-steps (N x steps x paths) per second of wall clock and of process CPU time (numpy
is single-threaded here), and the estimates, so that the bench can check both engines agree.
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np

MAX_ROUNDS = 100_000  # a guard: as in the engine, the rounds of a step end when one crosses nothing new


def synthetic_book(n: int, mark: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """A book of n positions (half long), lognormal notionals and leverage, one 0.4 % maintenance rate."""
    side = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    notional = np.exp(rng.normal(math.log(50_000), 1.5, n))
    lev = np.clip(np.exp(rng.normal(math.log(4), 0.6, n)), 1.1, 100)
    entry = mark * np.exp(rng.normal(0, 0.03, n))
    q = side * notional / entry
    m = np.abs(q) * entry / lev
    mmr = 0.004
    # Binance one-way isolated, one bracket (cum 0): L = (m - q E) / (|q| mmr - q)
    liq = (m - q * entry) / (np.abs(q) * mmr - q)
    # a survivor book: a position liquidatable at the mark is opened at the mark instead
    bad = (q * (mark - liq)) <= 0
    entry[bad] = mark
    m[bad] = np.abs(q[bad]) * mark / lev[bad]
    liq[bad] = (m[bad] - q[bad] * mark) / (np.abs(q[bad]) * mmr - q[bad])
    return q, entry, m, liq


class Venue:
    """The book sorted for the prefix crossings, and the constants of the model."""

    def __init__(self, q, entry, m, liq, a):
        ok = np.isfinite(liq) & (liq > 0)
        self.unliquidatable = int(np.count_nonzero(~ok))
        long = ok & (q > 0)
        short = ok & (q < 0)
        lo = np.flatnonzero(long)[np.argsort(-liq[long], kind="stable")]  # L descending
        sh = np.flatnonzero(short)[np.argsort(liq[short], kind="stable")]  # L ascending
        self.order = np.concatenate([lo, sh])
        self.n_long = lo.size
        self.q = q[self.order]
        self.entry = entry[self.order]
        self.m = m[self.order]
        self.liq = liq[self.order]
        self.neg_long_liq = -self.liq[: self.n_long]  # ascending, for searchsorted
        self.short_liq = self.liq[self.n_long :]
        self.const = self.m - self.q * self.entry  # r = const + q F
        absq = np.abs(self.q)
        self.absq = absq
        self.cum_long = np.concatenate([[0.0], np.cumsum(absq[: self.n_long])])
        self.cum_short = np.concatenate([[0.0], np.cumsum(absq[self.n_long :])])
        self.n = q.size
        self.a = a

    def marks(self, rng, paths: int) -> np.ndarray:
        """Exogenous marks, steps x paths."""
        a = self.a
        dt = a.step_minutes / (365 * 24 * 60)
        x = rng.standard_normal((a.steps, paths))
        x *= a.annual_vol * math.sqrt(dt)
        x += -0.5 * a.annual_vol**2 * dt
        for k in range(1, a.steps):
            np.add(x[k - 1], x[k], out=x[k])
        np.exp(x, out=x)
        x *= a.mark
        return x

    def steps_no_impact(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Liquidation step of each (path, sorted position), K = never; and the fill prices (= marks)."""
        k_steps, paths = s.shape
        run_min = np.minimum.accumulate(s, axis=0)
        run_max = np.maximum.accumulate(s, axis=0)
        step = np.empty((paths, self.liq.size), dtype=np.int64)
        for p in range(paths):
            # first k with run_min_k <= L (longs): -run_min ascending; first k with run_max_k >= L (shorts)
            step[p, : self.n_long] = np.searchsorted(-run_min[:, p], self.neg_long_liq, side="left")
            step[p, self.n_long :] = np.searchsorted(run_max[:, p], self.short_liq, side="left")
        return step, np.take_along_axis(s.T, np.minimum(step, k_steps - 1), axis=1)

    def steps_impact(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The same with the square-root impact of the liquidation flow: steps, and rounds within a
        step, in order, vectorised over the paths. Returns each (path, position)'s step and fill."""
        a = self.a
        k_steps, paths = s.shape
        decay = 2.0 ** (-1.0 / a.half_life_steps)
        coef = a.impact_y * a.daily_vol
        state = np.zeros(paths)
        low = np.full(paths, np.inf)
        high = np.zeros(paths)
        prev_l = np.zeros(paths, dtype=np.int64)
        prev_s = np.zeros(paths, dtype=np.int64)
        reach_l, reach_s, fills, event_step = [], [], [], []
        for k in range(k_steps):
            state *= decay
            mark = s[k] * np.exp(state)
            flow = np.zeros(paths)
            active = np.ones(paths, dtype=bool)
            for rnd in range(MAX_ROUNDS):
                np.minimum(low, mark, out=low)
                np.maximum(high, mark, out=high)
                cl = np.searchsorted(self.neg_long_liq, -low, side="right")
                cs = np.searchsorted(self.short_liq, high, side="right")
                if rnd > 0:
                    active &= (cl > prev_l) | (cs > prev_s)
                    if not active.any():
                        break
                # sells of the longs (negative) and buys of the shorts, notional at the round's mark
                flow += (self.cum_short[cs] - self.cum_short[prev_s] - self.cum_long[cl] + self.cum_long[prev_l]) * mark
                fill = s[k] * np.exp(state + np.sign(flow) * coef * np.sqrt(np.abs(flow) / a.daily_volume))
                reach_l.append(cl)
                reach_s.append(cs)
                fills.append(fill)
                event_step.append(k)
                prev_l, prev_s = cl, cs
                mark = fill
            state += np.sign(flow) * coef * np.sqrt(np.abs(flow) / a.daily_volume)
        reach_long = np.array(reach_l)  # events x paths
        reach_short = np.array(reach_s)
        fill_at = np.array(fills + [np.full(paths, np.nan)])  # a last row for "never"
        steps_of = np.array(event_step + [k_steps])
        event = np.empty((paths, self.liq.size), dtype=np.int64)
        rank_l = np.arange(self.n_long)
        rank_s = np.arange(self.liq.size - self.n_long)
        for p in range(paths):
            # a position of rank j is crossed at the first event whose reach exceeds j
            event[p, : self.n_long] = np.searchsorted(reach_long[:, p], rank_l, side="right")
            event[p, self.n_long :] = np.searchsorted(reach_short[:, p], rank_s, side="right")
        fill = np.take_along_axis(fill_at.T, event, axis=1)
        return steps_of[event], fill

    def block(self, rng, paths: int, out: dict) -> None:
        a = self.a
        s = self.marks(rng, paths)
        step, price = self.steps_impact(s) if a.impact else self.steps_no_impact(s)
        k_steps = s.shape[0]
        hit = step < k_steps
        price = np.where(hit, price, 0.0)
        r = np.where(hit, self.const + self.q * price, 0.0)
        shortfall = np.maximum(-r, 0.0)
        fee = np.minimum(a.fee_rate * self.absq * price, np.maximum(r, 0.0))
        bad = shortfall.sum(axis=1)
        flat = (step + np.arange(paths)[:, None] * (k_steps + 1)).ravel()
        per_step = np.bincount(flat, weights=r.ravel(), minlength=paths * (k_steps + 1))
        fund = a.fund + np.cumsum(per_step.reshape(paths, k_steps + 1)[:, :k_steps], axis=1)
        out["paths"] += paths
        out["liquidations"] += int(np.count_nonzero(hit))
        out["liquidatedNotional"] += float((self.absq * price * hit).sum())
        out["badDebt"] += float(bad.sum())
        out["badDebtPaths"] += int(np.count_nonzero(bad > 0))
        out["fees"] += float(fee.sum())
        out["fundExhausted"] += int(np.count_nonzero(fund.min(axis=1) < 0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--book", help="raw float64 file: size, entryPrice, isolatedMargin, liquidationPrice")
    ap.add_argument("--accounts", type=int, default=10_000, help="synthetic book size without --book")
    ap.add_argument("--mark", type=float, default=117_178.4)
    ap.add_argument("--steps", type=int, default=288)
    ap.add_argument("--step-minutes", type=float, default=5.0)
    ap.add_argument("--annual-vol", type=float, default=0.6)
    ap.add_argument("--paths", type=int, default=0, help="paths to run (0: until --seconds)")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--fee-rate", type=float, default=0.003)
    ap.add_argument("--fund", type=float, default=2e7)
    ap.add_argument("--impact", action="store_true")
    ap.add_argument("--impact-y", type=float, default=1.0)
    ap.add_argument("--daily-vol", type=float, default=0.03)
    ap.add_argument("--daily-volume", type=float, default=2e10)
    ap.add_argument("--half-life-steps", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=20261207)
    a = ap.parse_args()
    rng = np.random.Generator(np.random.SFC64(a.seed))
    if a.book:
        cols = np.fromfile(a.book, dtype=np.float64).reshape(4, -1)
        q, entry, m, liq = (cols[i].copy() for i in range(4))
    else:
        q, entry, m, liq = synthetic_book(a.accounts, a.mark, rng)
    venue = Venue(q, entry, m, liq, a)
    out = dict(paths=0, liquidations=0, liquidatedNotional=0.0, badDebt=0.0, badDebtPaths=0, fees=0.0, fundExhausted=0)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        batch = a.batch if a.paths == 0 else min(a.batch, a.paths - out["paths"])
        venue.block(rng, batch, out)
        wall = time.perf_counter() - wall0
        if (a.paths == 0 and wall >= a.seconds) or (a.paths > 0 and out["paths"] >= a.paths):
            break
    cpu = time.process_time() - cpu0
    n = out["paths"]
    account_steps = venue.n * a.steps * n
    print(json.dumps({
        "numpy": np.__version__,
        "accounts": venue.n,
        "steps": a.steps,
        "paths": n,
        "batch": a.batch,
        "impact": a.impact,
        "wallSeconds": wall,
        "cpuSeconds": cpu,
        "accountStepsPerSecond": account_steps / wall,
        "accountStepsPerCpuSecond": account_steps / cpu,
        "meanLiquidations": out["liquidations"] / n,
        "meanLiquidatedNotional": out["liquidatedNotional"] / n,
        "meanBadDebt": out["badDebt"] / n,
        "badDebtProbability": out["badDebtPaths"] / n,
        "meanFees": out["fees"] / n,
        "fundExhaustedProbability": out["fundExhausted"] / n,
    }))


if __name__ == "__main__":
    main()
