/**
 * Reconciliation 1 of issue 11 on a simulated venue: a Hyperliquid-like BTC venue
 * ({@link PerpVenue} with Hyperliquid's procedure) stepped along 2025-10-10 21:00–21:40 UTC, with a
 * drawn book fitted to the published ADL aggregates (15.08 M USD needed over 16 waves; winners'
 * equity/PnL median 4.41, p10 2.28, p90 14.96: pluriholonomic/autodeleveraging-analysis, bundled
 * under data/adl/), and every ADL policy run on the same book and path.
 *
 * The path is the bundled Binance BTCUSDT 1-minute closes (`btc-1m-2025-10-10`), the best bundled
 * path of that day, not Hyperliquid's oracle or mark: the simulated ADL events are the minutes with
 * a deficit, so a handful instead of the 16 five-second waves.
 *
 * The fit (docs/assumptions.md, "Reconciliation 1 on a simulated venue"): longs and shorts are drawn
 * apart (each side the half of a balanced draw by `drawPopulation`); the shorts' leverage — the
 * crash's winners — is a lognormal whose median and log-deviation are picked on a grid to bring the
 * winners' equity/PnL quantiles at the path's lowest close nearest the published ones (least squares
 * in logs); then both sides' open interest is scaled, a fixed point `OI ← OI·(published need)/need(OI)` run
 * under pro-rata, until the simulated need is within 1 % of the published 15.08 M USD.
 */
import { bundledDataset, bundledPath } from "../../market/bundled.js";
import { readCandleFile, sliceByTime } from "../../market/candles.js";
import { Xoshiro128 } from "../../math/random.js";
import { getVenue } from "../../venues/index.js";
import { type VenueAdlPolicyName as AdlPolicyName, VENUE_ADL_POLICIES } from "./adl-policy.js";
import { type AdlEventFills, type AdlTwoPass, twoPassHaircuts } from "./adl-two-pass.js";
import { readAdlHeadlines, readAdlOvershootAtHorizon, readAdlWaves } from "./adl-waves.js";
import { bridgeBars } from "./bar-bridge.js";
import { PerpVenue, type PerpVenueParams } from "./engine.js";
import { drawPopulation, type PerpPopulation } from "./population.js";
import type { LeverageComponent, PopulationSpec } from "./population-spec.js";
import { hyperliquidProcedure } from "./procedure-hyperliquid.js";

/** The book, venue and fit settings of the reconciliation; {@link VENUE_ADL_DEFAULTS} states them. */
export interface VenueAdlOptions {
  readonly seed: number;
  /** Positions on each side. */
  readonly positionsPerSide: number;
  /** The losers' (longs') leverage mixture. */
  readonly longLeverage: readonly LeverageComponent[];
  /** The grid of the shorts' leverage lognormal: medians and log-deviations tried. */
  readonly shortMedians: readonly number[];
  readonly shortSigmas: readonly number[];
  readonly notional: PopulationSpec["notional"];
  readonly entry: PopulationSpec["entry"];
  /** Open interest a side the fixed point starts from (USD). */
  readonly startOpenInterest: number;
  readonly vaultCapitalUsd: number;
  /** Capped pro-rata's κ. */
  readonly capOfEquity: number;
  /** The contract-space queue's overshoot must be within [production/f, production·f]. */
  readonly queueToleranceFactor: number;
  /**
   * The two-pass evaluation horizon after a wave's end (s, one of the published sweep's 0–5 s): on a
   * grid of 60/k s it is ⌊horizon/(60/k)⌋ steps (0 on the 1-minute closes, 1 on the 5 s bridge).
   */
  readonly horizonSeconds: number;
  /**
   * Marks a minute: 1 steps along the 1-minute closes; k ≥ 3 along the seeded bar bridge
   * ({@link bridgeBars}, seed `seed + 2`) through each bar's open, high, low and close, every 60/k s.
   */
  readonly subStepsPerMinute: number;
}

/** Stated choices (not published figures), docs/assumptions.md. */
const VENUE_ADL_DEFAULTS: VenueAdlOptions = {
  seed: 20_251_010,
  positionsPerSide: 10_000,
  longLeverage: [
    { weight: 0.5, median: 5, sigma: 0.5 },
    { weight: 0.5, median: 20, sigma: 0.5 },
  ],
  shortMedians: [1.5, 2, 2.5, 3, 3.5, 4, 5],
  shortSigmas: [0.4, 0.55, 0.7, 0.85, 1],
  notional: { tailIndex: 1.5, min: 10_000, max: 20_000_000 },
  entry: { windowDays: 30, volatility: 0.45 },
  startOpenInterest: 3e9,
  vaultCapitalUsd: 3.5e8,
  capOfEquity: 0.02,
  queueToleranceFactor: 10,
  horizonSeconds: 5,
  subStepsPerMinute: 1,
};

/** Published targets: the need, production's execution and the winners' equity/PnL quantiles. */
export interface VenueAdlTargets {
  readonly needed: number;
  readonly executed: number;
  /** Production's overshoot Σ(H_t − B_t) at the options' `horizonSeconds` after each wave's end. */
  readonly overshootAtHorizon: number;
  readonly waves: number;
  readonly equityToPnl: { readonly p10: number; readonly median: number; readonly p90: number };
}

/** One policy's result on the fitted book. */
export interface VenueAdlPolicyResult {
  readonly events: number;
  readonly needed: number;
  readonly executed: number;
  readonly overshoot: number;
  /** Winners with a haircut, summed over the events ({@link adlEventMetrics}). */
  readonly payers: number;
  /** The largest haircut of one winner in one event (USD). */
  readonly maxHaircut: number;
  /** The largest haircut as a share of that winner's PnL, and of its equity, at the event. */
  readonly maxHaircutOfPnl: number;
  readonly maxHaircutOfEquity: number;
  /** Leverage (notional/equity at the event) of the average dollar paid. */
  readonly payerLeverage: number;
  /** The analysis's production measure on the path ({@link twoPassHaircuts}): waves of 5 s, at the wave's end. */
  readonly twoPass: AdlTwoPass;
  /** The same at `horizonSeconds` after the wave's end. */
  readonly twoPassAtHorizon: AdlTwoPass;
}

export interface VenueAdlReconciliation {
  readonly options: VenueAdlOptions;
  readonly targets: VenueAdlTargets;
  readonly fit: {
    readonly shortLeverage: { readonly median: number; readonly sigma: number };
    /** Winners' equity/PnL quantiles at the path's lowest close, after the fit. */
    readonly equityToPnl: { readonly p10: number; readonly median: number; readonly p90: number };
    readonly openInterestPerSide: number;
    readonly iterations: number;
  };
  readonly policies: Readonly<Record<AdlPolicyName, VenueAdlPolicyResult>>;
  readonly checks: {
    /** queue-hyperliquid's (wealth-space) overshoot / production's (executed − needed), reported. */
    readonly queueOvershootRatio: number;
    /**
     * The check: queue-hyperliquid-contracts' two-pass overshoot at `horizonSeconds` / production's at
     * the same horizon (published sweep).
     */
    readonly contractQueueOvershootRatio: number;
    readonly queueWithinTolerance: boolean;
    readonly proRataMeetsNeed: boolean;
    readonly waterFillingMeetsNeed: boolean;
  };
}

/**
 * The reconciliation's inputs from bundled files: the 1-minute bars of `btc-1m-2025-10-10`
 * between 21:00 and 21:40 UTC (end excluded) — their closes, or with `o.subStepsPerMinute = k ≥ 3`
 * the seeded bar bridge through them (`40·k + 1` marks) — and the published targets of data/adl/ (the waves'
 * summed need and production haircut, the winners' equity/PnL quantiles).
 */
export function venueAdlInputs(o: VenueAdlOptions = VENUE_ADL_DEFAULTS): {
  marks: Float64Array;
  targets: VenueAdlTargets;
} {
  const d = bundledDataset("btc-1m-2025-10-10");
  if (d === undefined) throw new Error("the bundled data set btc-1m-2025-10-10 is missing");
  const series = readCandleFile(bundledPath(d.path), { symbol: d.symbol }).series;
  const window = sliceByTime(series, Date.parse("2025-10-10T21:00:00Z"), Date.parse("2025-10-10T21:40:00Z"));
  const waves = readAdlWaves();
  const { equityToPnl } = readAdlHeadlines();
  return {
    marks:
      o.subStepsPerMinute === 1
        ? Float64Array.from(window.close)
        : bridgeBars(window, o.subStepsPerMinute, new Xoshiro128(o.seed + 2)),
    targets: {
      needed: waves.reduce((a, w) => a + w.needed, 0),
      executed: waves.reduce((a, w) => a + w.production, 0),
      overshootAtHorizon: readAdlOvershootAtHorizon(o.horizonSeconds * 1000),
      waves: waves.length,
      equityToPnl: { p10: equityToPnl.p10, median: equityToPnl.median, p90: equityToPnl.p90 },
    },
  };
}

/** The analysis's wave gap: ADL fills more than 5 s apart start a new wave (`methodology.md` §3.1). */
const ADL_WAVE_GAP_SECONDS = 5;

const TIERS = () => getVenue("hyperliquid").tierTable("BTC").tiers;

/** One side (`long`: the first half, else the second) of a balanced draw. */
function side(
  o: VenueAdlOptions,
  mark: number,
  oi: number,
  leverage: readonly LeverageComponent[],
  seed: number,
  long: boolean,
): PerpPopulation {
  const spec: PopulationSpec = {
    count: 2 * o.positionsPerSide,
    markPrice: mark,
    openInterest: oi,
    longShare: 0.5,
    notional: o.notional,
    leverage,
    entry: o.entry,
  };
  const p = drawPopulation(spec, TIERS(), new Xoshiro128(seed)).population;
  const from = long ? 0 : o.positionsPerSide;
  const cut = (c: Float64Array) => c.slice(from, from + o.positionsPerSide);
  return {
    length: o.positionsPerSide,
    size: cut(p.size),
    entryPrice: cut(p.entryPrice),
    markPrice: cut(p.markPrice),
    isolatedMargin: cut(p.isolatedMargin),
    notional: cut(p.notional),
    leverage: cut(p.leverage),
    liquidationPrice: cut(p.liquidationPrice),
    tiers: p.tiers,
  };
}

/** Longs then shorts in one book. */
function join(a: PerpPopulation, b: PerpPopulation): PerpPopulation {
  const cat = (x: Float64Array, y: Float64Array) => {
    const out = new Float64Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    length: a.length + b.length,
    size: cat(a.size, b.size),
    entryPrice: cat(a.entryPrice, b.entryPrice),
    markPrice: cat(a.markPrice, b.markPrice),
    isolatedMargin: cat(a.isolatedMargin, b.isolatedMargin),
    notional: cat(a.notional, b.notional),
    leverage: cat(a.leverage, b.leverage),
    liquidationPrice: cat(a.liquidationPrice, b.liquidationPrice),
    tiers: a.tiers,
  };
}

/** p10, median and p90 (order statistics at ⌊p·(n − 1)⌋) of the winners' `(m + w)/w` at `mark`. */
function winnersEquityToPnl(shorts: PerpPopulation, mark: number) {
  const r: number[] = [];
  for (let i = 0; i < shorts.length; i++) {
    const w = (shorts.size[i] as number) * (mark - (shorts.entryPrice[i] as number));
    if (w > 0) r.push(((shorts.isolatedMargin[i] as number) + w) / w);
  }
  r.sort((x, y) => x - y);
  const q = (p: number) => r[Math.floor(p * (r.length - 1))] as number;
  return { p10: q(0.1), median: q(0.5), p90: q(0.9) };
}

/** The venue: Hyperliquid's procedure on the marks' grid (60/`subStepsPerMinute` s), no insurance fund, no fee, no capacity limit. */
function venueParams(o: VenueAdlOptions, policy: AdlPolicyName): PerpVenueParams {
  return {
    insuranceFundUsd: 0,
    liquidationFeeRate: 0,
    liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
    adlPolicy: policy,
    capOfEquity: o.capOfEquity,
    procedure: hyperliquidProcedure(60 / o.subStepsPerMinute, o.vaultCapitalUsd),
  };
}

function runPolicy(
  book: PerpPopulation,
  marks: Float64Array,
  o: VenueAdlOptions,
  policy: AdlPolicyName,
): VenueAdlPolicyResult {
  const venue = new PerpVenue(book, venueParams(o, policy));
  const n = book.length;
  const sizeBefore = new Float64Array(n);
  const paidBefore = new Float64Array(n);
  const path = new Float64Array(marks.length);
  const fills: AdlEventFills[] = [];
  for (let k = 0; k < marks.length; k++) {
    sizeBefore.set(venue.size);
    paidBefore.set(venue.haircutUsd);
    venue.step(marks[k] as number);
    path[k] = venue.mark;
    if (!(venue.record.adlNeededUsd > 0)) continue;
    const slots: number[] = [];
    for (let i = 0; i < n; i++)
      if ((venue.haircutUsd[i] as number) > (paidBefore[i] as number)) slots.push(i);
    fills.push({
      step: k,
      mark: venue.mark,
      needed: venue.record.adlNeededUsd,
      slot: Int32Array.from(slots),
      closed: Float64Array.from(slots, (i) => (sizeBefore[i] as number) - (venue.size[i] as number)),
      paid: Float64Array.from(slots, (i) => (venue.haircutUsd[i] as number) - (paidBefore[i] as number)),
    });
  }
  const t = venue.totals;
  let payers = 0;
  let maxHaircut = 0;
  let maxOfPnl = 0;
  let maxOfEquity = 0;
  let paidLeverage = 0;
  for (const e of venue.adlMetrics) {
    payers += e.payers;
    maxHaircut = Math.max(maxHaircut, e.maxHaircut);
    maxOfPnl = Math.max(maxOfPnl, e.maxHaircutOfPnl);
    maxOfEquity = Math.max(maxOfEquity, e.maxHaircutOfEquity);
    if (e.used > 0) paidLeverage += e.used * e.payerLeverage;
  }
  const stepSeconds = 60 / o.subStepsPerMinute;
  const gapSteps = Math.floor(ADL_WAVE_GAP_SECONDS / stepSeconds);
  return {
    events: t.adlEvents,
    needed: t.adlNeededUsd,
    executed: t.adlExecutedUsd,
    overshoot: t.adlOvershootUsd,
    payers,
    maxHaircut,
    maxHaircutOfPnl: maxOfPnl,
    maxHaircutOfEquity: maxOfEquity,
    payerLeverage: t.adlExecutedUsd > 0 ? paidLeverage / t.adlExecutedUsd : 0,
    twoPass: twoPassHaircuts(fills, path, gapSteps, 0),
    twoPassAtHorizon: twoPassHaircuts(fills, path, gapSteps, Math.floor(o.horizonSeconds / stepSeconds)),
  };
}

/**
 * Fits the book (see the module comment), runs every ADL policy on it along `marks` (the 1-minute
 * closes of 2025-10-10 21:00–21:40 UTC) and checks: Hyperliquid's queue overshoots within a factor
 * `queueToleranceFactor` of production's `executed − needed`; pro-rata and water-filling execute the
 * need exactly with no overshoot (both to 1e-9 of the need: float rounding of the haircut sums).
 * Throws a RangeError when the path gives no ADL need to scale (e.g. a flat path).
 */
export function reconcileAdlOnVenue(
  marks: Float64Array,
  targets: VenueAdlTargets,
  o: VenueAdlOptions = VENUE_ADL_DEFAULTS,
): VenueAdlReconciliation {
  const mark0 = marks[0] as number;
  const low = marks.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const ln = Math.log;
  const goal = targets.equityToPnl;
  let best = { median: Number.NaN, sigma: Number.NaN, loss: Number.POSITIVE_INFINITY };
  for (const median of o.shortMedians) {
    for (const sigma of o.shortSigmas) {
      const shorts = side(o, mark0, o.startOpenInterest, [{ weight: 1, median, sigma }], o.seed + 1, false);
      const q = winnersEquityToPnl(shorts, low);
      const loss =
        (ln(q.p10) - ln(goal.p10)) ** 2 +
        (ln(q.median) - ln(goal.median)) ** 2 +
        (ln(q.p90) - ln(goal.p90)) ** 2;
      if (loss < best.loss) best = { median, sigma, loss };
    }
  }
  const shortLeverage = [{ weight: 1, median: best.median, sigma: best.sigma }];
  const bookAt = (oi: number) =>
    join(
      side(o, mark0, oi, o.longLeverage, o.seed, true),
      side(o, mark0, oi, shortLeverage, o.seed + 1, false),
    );
  let oi = o.startOpenInterest;
  let iterations = 0;
  for (; iterations < 8; iterations++) {
    const need = runPolicy(bookAt(oi), marks, o, "pro-rata").needed;
    if (Math.abs(need / targets.needed - 1) <= 0.01) break;
    if (!(need > 0)) {
      throw new RangeError(
        `no ADL need on this path at ${oi.toExponential(3)} USD open interest a side: the book cannot be scaled to the published ${targets.needed.toFixed(0)} USD (try another path or subStepsPerMinute)`,
      );
    }
    oi *= targets.needed / need;
  }
  const book = bookAt(oi);
  const policies = Object.fromEntries(
    VENUE_ADL_POLICIES.map((p) => [p, runPolicy(book, marks, o, p)]),
  ) as Record<AdlPolicyName, VenueAdlPolicyResult>;
  const exact = (r: VenueAdlPolicyResult) =>
    r.needed > 0 && Math.abs(r.executed - r.needed) <= 1e-9 * r.needed && r.overshoot <= 1e-9 * r.needed;
  const ratio = policies["queue-hyperliquid"].overshoot / (targets.executed - targets.needed);
  const contractRatio =
    policies["queue-hyperliquid-contracts"].twoPassAtHorizon.overshoot / targets.overshootAtHorizon;
  return {
    options: o,
    targets,
    fit: {
      shortLeverage: { median: best.median, sigma: best.sigma },
      equityToPnl: winnersEquityToPnl(side(o, mark0, oi, shortLeverage, o.seed + 1, false), low),
      openInterestPerSide: oi,
      iterations,
    },
    policies,
    checks: {
      queueOvershootRatio: ratio,
      contractQueueOvershootRatio: contractRatio,
      queueWithinTolerance:
        contractRatio >= 1 / o.queueToleranceFactor && contractRatio <= o.queueToleranceFactor,
      proRataMeetsNeed: exact(policies["pro-rata"]),
      waterFillingMeetsNeed: exact(policies["water-filling"]),
    },
  };
}
