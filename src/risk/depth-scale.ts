/**
 * How deep the book is, snapshot by snapshot, relative to a calm baseline: the **depth scale** that
 * multiplies the daily volume V_D of the square-root law `I(Q) = Y σ_D √(Q / (V_D · scale))`
 * (impact.ts), measured from Binance `bookDepth` snapshots (market/book-depth.ts), with the file's
 * stale-bid artefact handled explicitly.
 *
 * The artefact (2025-10-10 BTCUSDT, shared/data/CRASHES.md): from 15:30:42 a stale bid entry
 * (17.65 BTC at about 121,363) sits on top of the bid side, above the market. Binance measures every
 * band from a reference price; in the crossed snapshots that reference is the midpoint of the stale
 * bid and the market, `ref = (S + m)/2` (S = bid band 1 average, m = the 1-minute kline's price):
 * the reference implied by the ask bands' average prices matches it to a median 0.06 % over the 969
 * crossed snapshots (5th–95th percentile −0.06 % … +0.13 %, docs/depth-calibration.md). So a
 * crossed snapshot's bands are re-based to the market: an ask edge at `ref·(1 + b)` lies
 * `x = ref·(1 + b)/m − 1` above m, a bid edge at `ref·(1 − b)` lies `y = 1 − ref·(1 − b)/m` below m
 * (edges above the market hold no real bid and are dropped), and the stale entry (bid band 1) is
 * taken off every bid band. When no re-based bid edge reaches the distance asked for, the bid side
 * is unobserved and the scale is the ask side's alone (flagged). Between 15:24 and 16:41 a stale
 * bid also sits above the market without crossing the ask average in 56 snapshots (bid band 1
 * averages above the kline price, which live bids cannot): their reference is unknown, so their bid
 * side is unobserved too (flagged `bidAboveMarket`).
 */
import { InputError } from "../errors.js";
import type { BookDepthSnapshots } from "../market/book-depth.js";
import { quantileSorted } from "../market/book-walk.js";
import type { CandleSeries } from "../market/candles.js";
import { firstIndexAtOrAfter } from "../market/row-order.js";
import { readNumber } from "../validate.js";

/** Options of {@link depthScaleSeries}. */
export interface DepthScaleOptions {
  /** Distance from the market, a fraction (default 0.01: notional within ±1 %). */
  readonly distance?: number;
  /** Calm window for the baseline, ms UTC (default: the first snapshot's UTC day, 00:00 → 12:00). */
  readonly calmFromMs?: number;
  readonly calmToMs?: number;
}

/** Per-snapshot depth, parallel to the snapshots' times. */
export interface SnapshotDepthScale {
  readonly time: Float64Array;
  /** Market price at the snapshot from the klines (NaN where no kline covers it). */
  readonly price: Float64Array;
  /** Bid notional within `distance` of the market (quote; NaN when unobserved). */
  readonly bidWithin: Float64Array;
  /** Ask notional within `distance` of the market (quote; NaN when unobserved). */
  readonly askWithin: Float64Array;
  /** Depth scale: `(bid + ask) / (baseline bid + baseline ask)`, or ask / baseline ask when flagged. */
  readonly scale: Float64Array;
  /** 1 where the snapshot was crossed (stale bid) and its bands were re-based to the market. */
  readonly rebased: Uint8Array;
  /** 1 where the bid side was unobserved at `distance` and the scale is the ask side's. */
  readonly bidReplaced: Uint8Array;
  /** 1 where an uncrossed snapshot's bid band 1 averages above the market (a stale bid): bids unobserved. */
  readonly bidAboveMarket: Uint8Array;
}

/** The depth scale of every snapshot, its baseline, and what was done about the artefact. */
export interface DepthScaleResult {
  readonly distance: number;
  /** β of the calm book's cumulative shape `N(d) ∝ d^β` (used below the first band edge). */
  readonly calmShapeExponent: number;
  /** Calm medians of the notional within `distance`, quote. */
  readonly baselineBid: number;
  readonly baselineAsk: number;
  readonly snapshots: SnapshotDepthScale;
  /** Counts of the flags, and snapshots without a scale (crossed but no kline to re-base them). */
  readonly counts: {
    readonly rebased: number;
    readonly bidAboveMarket: number;
    readonly bidReplaced: number;
    readonly unscaled: number;
  };
  /** Model-failure and artefact lines for the CLI and the report. */
  readonly warnings: readonly string[];
}

const HALF_DAY_MS = 43_200_000;

/**
 * Market price at each time from klines: the bar with `open ≤ t < open + interval`, linearly from
 * its open to its close, `m = open + (close − open)·(t − open)/interval`; NaN where no bar covers t.
 */
function klinePriceAt(klines: CandleSeries, times: Float64Array): Float64Array {
  const out = new Float64Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    const j = firstIndexAtOrAfter(klines.time, t + 1) - 1;
    const open = klines.time[j];
    if (open === undefined || t >= open + klines.intervalMs) {
      out[i] = Number.NaN;
      continue;
    }
    const o = klines.open[j] as number;
    out[i] = o + (((klines.close[j] as number) - o) * (t - open)) / klines.intervalMs;
  }
  return out;
}

/**
 * One side of one snapshot as (distance from the market, cumulative notional, cumulative depth)
 * points in ascending distance, re-based when the snapshot is crossed (see the module's note);
 * returns the number of points written into the scratch arrays.
 */
function sidePoints(
  s: BookDepthSnapshots,
  i: number,
  side: "bid" | "ask",
  ref: number,
  price: number,
  out: { distance: Float64Array; notional: Float64Array; depth: Float64Array },
): number {
  const rebase = Number.isFinite(ref);
  const notional = side === "bid" ? s.bidNotional : s.askNotional;
  const depth = side === "bid" ? s.bidDepth : s.askDepth;
  const staleN = rebase && side === "bid" ? (s.bidNotional[0]?.[i] as number) : 0;
  const staleD = rebase && side === "bid" ? (s.bidDepth[0]?.[i] as number) : 0;
  if (side === "bid" && !rebase && bidAboveMarket(s, i, price)) return 0;
  let n = 0;
  for (let k = 0; k < s.bands.length; k++) {
    const b = (s.bands[k] as number) / 100;
    const d = !rebase ? b : side === "ask" ? (ref * (1 + b)) / price - 1 : 1 - (ref * (1 - b)) / price;
    if (!(d > 0)) continue;
    out.distance[n] = d;
    out.notional[n] = (notional[k]?.[i] as number) - staleN;
    out.depth[n] = (depth[k]?.[i] as number) - staleD;
    n++;
  }
  return n;
}

/**
 * Cumulative notional at distance `d` from `n` points (ascending distance): power-law (log-log
 * linear) interpolation between the two points around d (linear when one holds no notional); below
 * the first point `N₁·(d/x₁)^β`; beyond the last point NaN (unobserved).
 */
export function notionalWithin(
  distance: ArrayLike<number>,
  notional: ArrayLike<number>,
  n: number,
  d: number,
  beta: number,
): number {
  if (n === 0 || d > (distance[n - 1] as number)) return Number.NaN;
  const x1 = distance[0] as number;
  if (d <= x1) return (notional[0] as number) * (d / x1) ** beta;
  for (let k = 1; k < n; k++) {
    const xb = distance[k] as number;
    if (d > xb) continue;
    const xa = distance[k - 1] as number;
    const na = notional[k - 1] as number;
    const nb = notional[k] as number;
    if (na <= 0 || nb <= 0) return na + ((nb - na) * (d - xa)) / (xb - xa);
    return Math.exp(Math.log(na) + ((Math.log(nb) - Math.log(na)) * Math.log(d / xa)) / Math.log(xb / xa));
  }
  return Number.NaN;
}

/** Median of the finite values of `x` at the indices where `keep` holds (numpy's median). */
function medianWhere(x: Float64Array, keep: (i: number) => boolean): number {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (keep(i) && Number.isFinite(x[i] as number)) v.push(x[i] as number);
  return quantileSorted(
    v.sort((a, b) => a - b),
    0.5,
  );
}

/** Scratch arrays for the points of one side ({@link sidePoints}). */
function sideScratch(bands: number): { distance: Float64Array; notional: Float64Array; depth: Float64Array } {
  return {
    distance: new Float64Array(bands),
    notional: new Float64Array(bands),
    depth: new Float64Array(bands),
  };
}

/**
 * The price a crossed snapshot's bands are measured from, `(S + m)/2` with S its bid band 1
 * average (the stale bid) and m the market price; NaN for an uncrossed snapshot (its bands are
 * taken as measured from the market).
 */
function bandReference(s: BookDepthSnapshots, i: number, m: number): number {
  if (!crossedAt(s, i)) return Number.NaN;
  return ((s.bidNotional[0]?.[i] as number) / (s.bidDepth[0]?.[i] as number) + m) / 2;
}

/**
 * An uncrossed snapshot whose bid band 1 averages above the market price: a stale bid above the
 * market that does not reach the ask average (15:24 → 16:41 on 2025-10-10); its bid side is
 * unobserved (its reference is unknown).
 */
function bidAboveMarket(s: BookDepthSnapshots, i: number, price: number): boolean {
  return (s.bidNotional[0]?.[i] as number) / (s.bidDepth[0]?.[i] as number) > price;
}

/** The snapshot is crossed: bid band 1's average price above ask band 1's (a stale bid on top). */
function crossedAt(s: BookDepthSnapshots, i: number): boolean {
  const bid = (s.bidNotional[0]?.[i] as number) / (s.bidDepth[0]?.[i] as number);
  const ask = (s.askNotional[0]?.[i] as number) / (s.askDepth[0]?.[i] as number);
  return bid > ask;
}

/**
 * The depth scale of every snapshot: notional within `distance` of the market per side (crossed
 * snapshots re-based to the kline price, see the module's note; between band edges a power law,
 * below the first edge the calm shape `N(d) ∝ d^β`, β the least-squares slope of ln(median calm
 * notional) on ln(band) over both sides), divided by the calm window's medians:
 * `scale = (N_bid + N_ask)/(B_bid + B_ask)`, or `N_ask / B_ask` where the bid side is unobserved.
 * The baseline window must hold uncrossed snapshots (an {@link InputError} otherwise).
 */
export function depthScaleSeries(
  s: BookDepthSnapshots,
  klines: CandleSeries,
  options: DepthScaleOptions = {},
): DepthScaleResult {
  const d = readNumber(options.distance ?? 0.01, "distance", { min: 0, exclusiveMin: true, max: 0.5 });
  const n = s.time.length;
  const dayStart = Math.floor((s.time[0] ?? 0) / 86_400_000) * 86_400_000;
  const calmFrom = options.calmFromMs ?? dayStart;
  const calmTo = options.calmToMs ?? dayStart + HALF_DAY_MS;
  const inCalm = (i: number) => (s.time[i] as number) >= calmFrom && (s.time[i] as number) < calmTo;
  const crossed = new Uint8Array(n);
  let calmCount = 0;
  for (let i = 0; i < n; i++) {
    crossed[i] = crossedAt(s, i) ? 1 : 0;
    if (inCalm(i) && crossed[i] === 0) calmCount++;
  }
  if (calmCount === 0)
    throw new InputError(
      "calmFromMs",
      new Date(calmFrom).toISOString(),
      "leaves no uncrossed snapshot in the calm window",
      "Pass calmFromMs and calmToMs around a calm stretch of the file.",
    );
  const beta = calmShapeExponent(s, (i) => inCalm(i) && crossed[i] === 0);
  const price = klinePriceAt(klines, s.time);
  const bidWithin = new Float64Array(n);
  const askWithin = new Float64Array(n);
  const scratch = sideScratch(s.bands.length);
  for (let i = 0; i < n; i++) {
    const m = price[i] as number;
    const ref = bandReference(s, i, m);
    if (crossed[i] === 1 && !Number.isFinite(ref)) {
      bidWithin[i] = Number.NaN;
      askWithin[i] = Number.NaN;
      continue;
    }
    const nb = sidePoints(s, i, "bid", ref, m, scratch);
    bidWithin[i] = notionalWithin(scratch.distance, scratch.notional, nb, d, beta);
    const na = sidePoints(s, i, "ask", ref, m, scratch);
    askWithin[i] = notionalWithin(scratch.distance, scratch.notional, na, d, beta);
  }
  const calm = (i: number) => inCalm(i) && crossed[i] === 0;
  const baselineBid = medianWhere(bidWithin, calm);
  const baselineAsk = medianWhere(askWithin, calm);
  if (!(baselineBid > 0 && baselineAsk > 0))
    throw new InputError(
      "calmFromMs",
      new Date(calmFrom).toISOString(),
      `gives no positive calm depth within ${d * 100} % on both sides (bids ${baselineBid}, asks ${baselineAsk})`,
      "Pass a calm window whose snapshots hold depth on both sides within the distance.",
    );
  const scale = new Float64Array(n);
  const bidReplaced = new Uint8Array(n);
  const above = new Uint8Array(n);
  let aboveCount = 0;
  let replaced = 0;
  let unscaled = 0;
  for (let i = 0; i < n; i++) {
    const b = bidWithin[i] as number;
    const a = askWithin[i] as number;
    if (Number.isFinite(b) && Number.isFinite(a)) scale[i] = (b + a) / (baselineBid + baselineAsk);
    else if (Number.isFinite(a)) {
      if (crossed[i] === 0 && bidAboveMarket(s, i, price[i] as number)) {
        above[i] = 1;
        aboveCount++;
      }
      scale[i] = a / baselineAsk;
      bidReplaced[i] = 1;
      replaced++;
    } else {
      scale[i] = Number.NaN;
      unscaled++;
    }
  }
  const rebased = crossed.reduce((sum, c) => sum + c, 0);
  const warnings: string[] = [];
  if (rebased > 0)
    warnings.push(
      `${rebased} snapshots are crossed (a stale bid above the market): their bands were re-based to the kline price from the reference (stale bid + price)/2 and the stale entry taken off the bids`,
    );
  if (replaced > 0)
    warnings.push(
      `${replaced} snapshots have no real bid within ${d * 100} % of the market: their scale is the ask side's`,
    );
  if (aboveCount > 0)
    warnings.push(
      `${aboveCount} uncrossed snapshots have their bid band 1 above the market price (a stale bid): their bid side is unobserved`,
    );
  if (unscaled > 0)
    warnings.push(`${unscaled} crossed snapshots have no kline price to re-base them: no scale`);
  return {
    distance: d,
    calmShapeExponent: beta,
    baselineBid,
    baselineAsk,
    snapshots: {
      time: s.time,
      price,
      bidWithin,
      askWithin,
      scale,
      rebased: crossed,
      bidReplaced,
      bidAboveMarket: above,
    },
    counts: { rebased, bidAboveMarket: aboveCount, bidReplaced: replaced, unscaled },
    warnings,
  };
}

/** β of `ln median N_b = c + β ln b` over the bands of both sides in the calm snapshots (least squares). */
function calmShapeExponent(s: BookDepthSnapshots, calm: (i: number) => boolean): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < s.bands.length; k++) {
    for (const side of [s.bidNotional, s.askNotional]) {
      xs.push(Math.log((s.bands[k] as number) / 100));
      ys.push(Math.log(medianWhere(side[k] as Float64Array, calm)));
    }
  }
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let j = 0; j < xs.length; j++) {
    sxy += ((xs[j] as number) - mx) * ((ys[j] as number) - my);
    sxx += ((xs[j] as number) - mx) ** 2;
  }
  return sxy / sxx;
}

/** The square-root law's scale `c = Y σ_D / √V_D` per snapshot and side (NaN where unobserved). */
export interface SqrtImpactScale {
  readonly time: Float64Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
}

/**
 * `c = Y σ_D / √V_D` of `I(Q) = c √Q` per snapshot and side, by least squares through the origin
 * on the book-walk points of the bands (the `fitSquareRootImpact` fit of impact.ts with σ_D = V_D =
 * 1): a market order for a band's whole cumulative notional Q_k fills at its average price
 * `VWAP_k = notional_k / depth_k`, so its slippage from the market is `I_k = |VWAP_k / m − 1|`;
 * `c = Σ √Q_k I_k / Σ Q_k`. Crossed snapshots are re-based as in {@link depthScaleSeries} (bid
 * edges above the market dropped, the stale entry taken off notional and depth). NaN where the
 * snapshot has no kline price or the side no point. A thinner book has a larger c: at fixed Y σ_D,
 * the implied V_D scale is `(c_calm / c)²`.
 */
export function sqrtImpactScale(s: BookDepthSnapshots, klines: CandleSeries): SqrtImpactScale {
  const n = s.time.length;
  const price = klinePriceAt(klines, s.time);
  const bid = new Float64Array(n).fill(Number.NaN);
  const ask = new Float64Array(n).fill(Number.NaN);
  const scratch = sideScratch(s.bands.length);
  for (let i = 0; i < n; i++) {
    const m = price[i] as number;
    if (!Number.isFinite(m)) continue;
    const ref = bandReference(s, i, m);
    for (const side of ["bid", "ask"] as const) {
      const points = sidePoints(s, i, side, ref, m, scratch);
      let num = 0;
      let den = 0;
      for (let k = 0; k < points; k++) {
        const q = scratch.notional[k] as number;
        const depth = scratch.depth[k] as number;
        if (!(q > 0 && depth > 0)) continue;
        num += Math.sqrt(q) * Math.abs(q / depth / m - 1);
        den += q;
      }
      (side === "bid" ? bid : ask)[i] = den > 0 ? num / den : Number.NaN;
    }
  }
  return { time: s.time, bid, ask };
}
