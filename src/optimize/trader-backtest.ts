/**
 * Replay of the trader's policies on historical candles, out of sample: a fresh isolated position
 * (fixed notional, long and short separately) is opened at each UTC midnight and managed over the
 * horizon by each policy —
 * - `static`: a fixed leverage, no stop, no top-up;
 * - `alpha`: the leverage whose P(liquidation within the horizon) ≤ α under the GARCH-t model,
 *   read from the dynamic policy table ({@link import("./policy.js")});
 * - `thresholds`: the static leverage with the cheapest stop and top-up trigger of the table;
 * and scored with the same path evaluator as the simulations ({@link evaluatePath}), on the real
 * bars: the venue liquidates when a bar's low (long) or high (short) reaches the engine's
 * liquidation price, moved by the funding actually paid at each settlement.
 *
 * Out-of-sample discipline (rolling origin): every `refitBars` the GARCH(1,1)-t model is fitted on
 * the returns before the refit time only (an expanding window from `minFitBars` up to `fitBars`,
 * then rolling), the decision tables are rebuilt, and the filter
 * is then run forward on each new candle; no decision uses a price after its own time.
 *
 * A refit whose GARCH-t fit is degenerate (`forecastDegeneracy`: persistence at the stationarity
 * bound, φ ≥ 1, ω at its floor) is handled as `liqopt trader` handles one
 * (src/optimize/vol-models.ts, `onDegenerate`): by default that refit falls back to the trader's
 * `t` model — the EWMA filter with the daily λ 0.94 memory (λ_bar = 0.94^(1/24)) and banks of
 * constant σ at each knot with the fit's Student-t shocks — and the refit record says so
 * (`degenerate`); `"refuse"` throws an InputError naming the refit, `"keep"` keeps the fit and
 * only reports it. Every refit also lists the fit's binding constraints (`atBound`, e.g. ν at its floor).
 */
import { InputError } from "../errors.js";
import type { Account, MarginRules, Position } from "../margin/types.js";
import type { CRASH_DAYS } from "../market/bundled.js";
import type { CandleSeries } from "../market/candles.js";
import type { FundingSeries } from "../market/funding.js";
import { filteredResiduals } from "../sim/models.js";
import type { Venue } from "../venues/types.js";
import {
  conditionalVariance,
  fit,
  fromPercentVariance,
  type GarchFit,
  type GarchParams,
  percentReturns,
} from "../vol/garch.js";
import { rangeVarianceRatio } from "./path-bank.js";
import {
  buildPolicyTable,
  decide,
  observeReturn,
  type PolicyTable,
  type VolFilterState,
  varianceKnots,
} from "./policy.js";
import {
  type CostParameters,
  DEFAULT_GRID,
  emptyOutcome,
  evaluatePath,
  type PathOutcome,
  type ThresholdGrid,
  type Thresholds,
  thresholdProblem,
} from "./stop-topup.js";
import { scenarioLiquidation, type TraderScenario } from "./trader-probability.js";
import { type DegenerateModel, type DegeneratePolicy, degenerateFit, standardized } from "./vol-models.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The policies replayed. */
export const BACKTEST_POLICIES = ["static", "alpha", "thresholds"] as const;
export type BacktestPolicy = (typeof BACKTEST_POLICIES)[number];

/** Options of {@link runTraderBacktest}. */
export interface TraderBacktestOptions {
  readonly venue: Venue;
  readonly symbol: string;
  readonly candles: CandleSeries;
  /** Funding settlements applied to open positions (a proxy series may be passed; say so in the report). */
  readonly funding?: FundingSeries;
  readonly notionalUsd: number;
  readonly horizonHours: number;
  /**
   * Shocks of the decision banks: `student-t` (the fitted ν, default) or `filtered-bootstrap`
   * (the in-sample standardised residuals resampled in day-long blocks).
   */
  readonly innovations?: "student-t" | "filtered-bootstrap";
  /**
   * Scale the banks' intrabar bridge variance by the in-sample ratio of Parkinson to close-to-close
   * variance (path-bank.ts `rangeVarianceRatio`), so simulated wicks reach as far as the candles' (default false).
   */
  readonly rangeCalibrated?: boolean;
  readonly recoveryHours: number;
  /** Returns in each fitting window, at most (e.g. 180 days of hourly bars). */
  readonly fitBars: number;
  /** Returns before the first refit (default `fitBars`): the window expands from this to `fitBars`. */
  readonly minFitBars?: number;
  /** Bars between refits (e.g. 30 days). */
  readonly refitBars: number;
  readonly alpha: number;
  readonly staticLeverage: number;
  /** Top-up amount as a fraction of the initial collateral. */
  readonly topUpFraction: number;
  readonly costs: CostParameters;
  /**
   * When set, the slippage of every close (own and forced) is the square-root law with this Y,
   * σ_D from the volatility filter at the decision and V_D the mean daily quote volume of the
   * previous 30 days of candles (Σ volume·close / 30), replacing `costs.slippage` per trade.
   */
  readonly impactY?: number;
  readonly grid?: ThresholdGrid;
  readonly knots: number;
  readonly paths: number;
  readonly seed: number;
  readonly sides?: readonly ("long" | "short")[];
  /** What a refit does when its GARCH-t fit is degenerate (module comment); default `"fallback"`. */
  readonly onDegenerate?: DegeneratePolicy;
  /** Called after each refit with the share of the sample done. */
  readonly onProgress?: (done: number) => void;
}

/** One trade of one policy. */
export interface TradeRecord {
  readonly policy: BacktestPolicy;
  readonly side: "long" | "short";
  readonly openMs: number;
  readonly exitMs: number;
  readonly openPrice: number;
  readonly leverage: number;
  readonly collateral: number;
  readonly topUpAmount: number;
  readonly thresholds: Thresholds;
  /** Liquidation price at the open (engine), and the barrier in force in the exit bar. */
  readonly liquidationPrice: number;
  readonly barrierAtExit: number;
  /** Conditional annualized volatility of the filter at the decision. */
  readonly annualVol: number;
  readonly outcome: PathOutcome["outcome"];
  readonly exitPrice: number;
  readonly toppedUp: boolean;
  readonly premature: boolean;
  readonly liquidationCost: number;
  readonly exitCost: number;
  readonly foregoneRecovery: number;
  readonly idleCost: number;
  /** Collateral committed: initial + top-up if used. */
  readonly committed: number;
  readonly pnl: number;
}

/** One refit: when, on what, and the tables it produced. */
export interface RefitRecord {
  readonly atMs: number;
  readonly fitFromMs: number;
  readonly params: Readonly<Record<string, number | undefined>>;
  /** Constraints binding at the fit's optimum (`GarchFit.atBound`: `persistence`, `nu`, …); empty when interior. */
  readonly atBound: readonly string[];
  /** Present when the fit is degenerate: why, and the model used instead (`t`; null when kept). */
  readonly degenerate?: DegenerateModel;
  /** The filter the policies ran on until the next refit: the fit's GARCH, or the fallback's IGARCH(1,1) with drift. */
  readonly filter: "garch" | "igarch-drift";
  readonly tables: readonly PolicyTable[];
}

/** A backtest's raw results. */
export interface TraderBacktestResult {
  readonly symbol: string;
  readonly trades: readonly TradeRecord[];
  readonly refits: readonly RefitRecord[];
  readonly firstTradeMs: number;
  readonly lastTradeMs: number;
}

function scenarioFor(
  venue: Venue,
  symbol: string,
  side: 1 | -1,
  price: number,
  notional: number,
  collateral: number,
): TraderScenario {
  const instrument = venue.instrument(symbol);
  const position: Position = {
    instrument,
    tiers: venue.tierTable(symbol).tiers,
    size: (side * notional) / price,
    entryPrice: price,
    markPrice: price,
    positionSide: "BOTH",
    isolatedMargin: collateral,
    accruedFunding: 0,
  };
  const account: Account = { marginMode: "isolated", walletBalance: 0, positions: [position] };
  const rules: MarginRules = venue.rules;
  return { account, rules, positionIndex: 0 };
}

/**
 * Runs the backtest on one symbol (see the module doc). Trades whose window lacks the horizon's
 * bars (end of sample, or a gap in the candles) are skipped; the recovery window uses what exists.
 */
export function runTraderBacktest(o: TraderBacktestOptions): TraderBacktestResult {
  const c = o.candles;
  const n = c.close.length;
  if (c.intervalMs !== HOUR_MS)
    throw new InputError("candles", c.intervalMs, "are not hourly", "Pass hourly candles.");
  const H = Math.round(o.horizonHours);
  const W = Math.round(o.recoveryHours);
  const grid = o.grid ?? DEFAULT_GRID;
  const sides = o.sides ?? ["long", "short"];
  const lnClose = new Float64Array(n);
  for (let i = 0; i < n; i++) lnClose[i] = Math.log(c.close[i] as number);
  // Prefix sums of quote volume (volume × close) for the trailing 30-day daily volume.
  const quoteVolume = new Float64Array(n + 1);
  for (let i = 0; i < n; i++)
    quoteVolume[i + 1] = (quoteVolume[i] as number) + (c.volume[i] as number) * (c.close[i] as number);
  const returns = new Float64Array(n); // returns[i] = ln(C_i / C_{i−1}); returns[0] = 0
  for (let i = 1; i < n; i++) returns[i] = (lnClose[i] as number) - (lnClose[i - 1] as number);
  const close = new Float64Array(H + W);
  const low = new Float64Array(H + W);
  const high = new Float64Array(H + W);
  const outcome = emptyOutcome();
  const trades: TradeRecord[] = [];
  const refits: RefitRecord[] = [];
  let tables: PolicyTable[] = [];
  let filter: VolFilterState | undefined;
  const first = (o.minFitBars ?? o.fitBars) + 1;
  let nextRefit = first;
  for (let i = first; i < n; i++) {
    if (i === nextRefit) {
      // In sample: the fitBars returns that end with bar i−1's close (known at bar i's open).
      const fromBar = Math.max(1, i - o.fitBars);
      const window = returns.subarray(fromBar, i);
      const inSample = percentReturns(window);
      const g = fit(inSample, { model: "garch", dist: "t" });
      const m = refitFilter(g, inSample, o, c.time[i] as number);
      const sorted = m.path.sort();
      const lo = sorted[Math.floor(0.05 * (sorted.length - 1))] as number;
      const hi = sorted[Math.floor(0.95 * (sorted.length - 1))] as number;
      const knots = varianceKnots(lo, Math.max(hi, lo * 1.0001), o.knots);
      const price = c.open[i] as number;
      tables = sides.map((side, j) =>
        buildPolicyTable({
          scenario: scenarioFor(
            o.venue,
            o.symbol,
            side === "long" ? 1 : -1,
            price,
            o.notionalUsd,
            o.notionalUsd / o.staticLeverage,
          ),
          garch: m.params,
          ...(m.residuals === undefined ? {} : { residuals: m.residuals }),
          ...(o.rangeCalibrated === true ? { intrabarVarianceRatio: rangeVarianceRatio(c, fromBar, i) } : {}),
          knotVariance: knots,
          alpha: o.alpha,
          horizonHours: H,
          recoveryHours: W,
          barHours: 1,
          referenceLeverage: o.staticLeverage,
          topUpFraction: o.topUpFraction,
          costs: o.costs,
          grid,
          paths: o.paths,
          seed: o.seed + 1000 * refits.length + 100 * j,
        }),
      );
      filter = m.filter;
      refits.push({
        atMs: c.time[i] as number,
        fitFromMs: c.time[fromBar] as number,
        params: { ...g.params },
        atBound: g.atBound,
        ...(m.degenerate === undefined ? {} : { degenerate: m.degenerate }),
        filter: m.degenerate?.fallback ?? "garch",
        tables,
      });
      nextRefit += o.refitBars;
      o.onProgress?.(i / n);
    } else if (filter !== undefined) {
      // Bar i−1 has closed: update on its return.
      filter = observeReturn(filter, returns[i - 1] as number);
    }
    const t = c.time[i] as number;
    if (filter === undefined || t % DAY_MS !== 0) continue;
    if (i + H > n || (c.time[i + H - 1] as number) !== t + (H - 1) * HOUR_MS) continue; // no gap inside the horizon
    const available = Math.min(H + W, n - i);
    const open = c.open[i] as number;
    const lnOpen = Math.log(open);
    for (let k = 0; k < available; k++) {
      close[k] = (lnClose[i + k] as number) - lnOpen;
      low[k] = Math.log(c.low[i + k] as number) - lnOpen;
      high[k] = Math.log(c.high[i + k] as number) - lnOpen;
    }
    const annualVol = Math.sqrt(filter.variance * 8760);
    const costs: CostParameters =
      o.impactY === undefined
        ? o.costs
        : {
            ...o.costs,
            slippage: {
              kind: "square-root",
              impact: {
                y: o.impactY,
                dailyVol: Math.sqrt(24 * filter.variance),
                dailyVolume: Math.max(
                  1,
                  ((quoteVolume[i] as number) - (quoteVolume[Math.max(0, i - 720)] as number)) /
                    (Math.min(i, 720) / 24),
                ),
                exponent: 0.5,
              },
            },
          };
    for (const [j, side] of sides.entries()) {
      const table = tables[j] as PolicyTable;
      const d = decide(table, filter);
      const sign = side === "long" ? 1 : -1;
      for (const policy of BACKTEST_POLICIES) {
        const leverage = policy === "alpha" ? d.alphaLeverage : o.staticLeverage;
        const th: Thresholds =
          policy === "thresholds"
            ? { stopDistance: d.stopDistance, topUpDistance: d.topUpDistance }
            : { stopDistance: null, topUpDistance: null };
        const collateral = o.notionalUsd / leverage;
        const s = scenarioFor(o.venue, o.symbol, sign, open, o.notionalUsd, collateral);
        const liq = scenarioLiquidation(s);
        if (liq.status !== "safe") continue;
        const topUp = o.topUpFraction * collateral;
        const base = thresholdProblem(s, {
          horizonHours: H,
          barHours: 1,
          recoveryHours: W,
          topUpAmount: topUp,
          costs,
        });
        const { barrierLogShift, fundingPaid } = realizedFunding(
          o,
          s,
          c,
          i,
          H + W,
          liq.liquidationPrice as number,
        );
        const problem = { ...base, barrierLogShift, fundingPaid };
        evaluatePath(problem, th, close, low, high, 0, available, outcome);
        const topped = outcome.toppedUp;
        const barrierLog =
          (topped ? problem.logBarrierAfterTopUp : problem.logBarrier) +
          (barrierLogShift[outcome.exitBar] as number);
        trades.push({
          policy,
          side,
          openMs: t,
          exitMs: t + outcome.exitBar * HOUR_MS,
          openPrice: open,
          leverage,
          collateral,
          topUpAmount: topUp,
          thresholds: th,
          liquidationPrice: liq.liquidationPrice as number,
          barrierAtExit: open * Math.exp(barrierLog),
          annualVol,
          outcome: outcome.outcome,
          exitPrice: outcome.exitPrice,
          toppedUp: topped,
          premature: outcome.premature,
          liquidationCost: outcome.liquidationCost,
          exitCost: outcome.exitCost,
          foregoneRecovery: outcome.foregoneRecovery,
          idleCost: outcome.idleCost,
          committed: collateral + (topped ? topUp : 0),
          pnl: outcome.pnl,
        });
      }
    }
  }
  o.onProgress?.(1);
  return {
    symbol: o.symbol,
    trades,
    refits,
    firstTradeMs: trades[0]?.openMs ?? Number.NaN,
    lastTradeMs: trades[trades.length - 1]?.openMs ?? Number.NaN,
  };
}

/**
 * The filter of one refit, its in-sample variance path (fraction², for the knots) and the residuals
 * of the filtered bootstrap: the GARCH-t fit `g` on the window's percent returns, or, when `g` is
 * degenerate and `o.onDegenerate` is `fallback` (the default), the fit's IGARCH(1,1) with drift
 * (`degenerateFit` of src/optimize/vol-models.ts, the rule `liqopt trader` uses), filtered over the
 * same returns from fGarch's start, with the fit's t shocks (module comment). `"refuse"` throws an
 * InputError naming the refit.
 */
function refitFilter(
  g: GarchFit,
  inSample: Float64Array,
  o: TraderBacktestOptions,
  atMs: number,
): {
  filter: VolFilterState;
  params: GarchParams;
  path: Float64Array;
  residuals?: Float64Array;
  degenerate?: DegenerateModel;
} {
  const bootstrap = o.innovations === "filtered-bootstrap";
  const degenerate = degenerateFit(
    bootstrap ? "fhs" : "garch-t",
    g,
    o.onDegenerate ?? "fallback",
    (reason) =>
      new InputError(
        "candles",
        new Date(atMs).toISOString(),
        `give a degenerate GARCH(1,1)-t fit at this refit: ${reason}`,
        "Pass --degenerate fallback (the fit's IGARCH(1,1) with drift and its Student-t shocks) or keep, or another --fit window.",
      ),
  );
  const params = degenerate?.igarch ?? g.params;
  const path = conditionalVariance(params, inSample).map(fromPercentVariance);
  return {
    filter: { kind: "garch", params, variance: path[path.length - 1] as number },
    params,
    path,
    ...(bootstrap ? { residuals: standardized(filteredResiduals(inSample, params).residuals) } : {}),
    ...(degenerate === undefined ? {} : { degenerate }),
  };
}

/**
 * Funding actually paid by the position at each settlement inside the window
 * (`side·units·price·rate`, price = the settlement bar's open), cumulated per bar end, and the log
 * shift of the engine's liquidation price it causes (re-solved at each settlement).
 */
function realizedFunding(
  o: TraderBacktestOptions,
  s: TraderScenario,
  c: CandleSeries,
  start: number,
  bars: number,
  liquidationPrice: number,
): { barrierLogShift: Float64Array; fundingPaid: Float64Array } {
  const barrierLogShift = new Float64Array(bars);
  const fundingPaid = new Float64Array(bars);
  const f = o.funding;
  if (f === undefined) return { barrierLogShift, fundingPaid };
  const p = s.account.positions[0] as Position;
  const openMs = c.time[start] as number;
  // First settlement strictly after the open.
  let lo = 0;
  let hi = f.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((f.time[mid] as number) <= openMs + 60_000) lo = mid + 1;
    else hi = mid;
  }
  let paid = 0;
  let shift = 0;
  let j = lo;
  for (let k = 0; k < bars && start + k < c.close.length; k++) {
    const barEnd = (c.time[start + k] as number) + HOUR_MS;
    let changed = false;
    while (j < f.time.length && (f.time[j] as number) < barEnd - 60_000) {
      const settlementBar = Math.min(
        c.close.length - 1,
        start + Math.floor(((f.time[j] as number) - openMs + 60_000) / HOUR_MS),
      );
      paid += p.size * (c.open[settlementBar] as number) * (f.rate[j] as number);
      j++;
      changed = true;
    }
    if (changed) {
      const moved = scenarioLiquidation({
        ...s,
        account: { ...s.account, positions: [{ ...p, accruedFunding: -paid }] },
      });
      shift =
        moved.status === "safe" ? Math.log((moved.liquidationPrice as number) / liquidationPrice) : shift;
    }
    fundingPaid[k] = paid;
    barrierLogShift[k] = shift;
  }
  return { barrierLogShift, fundingPaid };
}

/** Totals of one policy over a set of trades. */
export interface PolicySummary {
  readonly policy: BacktestPolicy;
  readonly trades: number;
  readonly liquidations: number;
  readonly stops: number;
  readonly prematureStops: number;
  readonly prematureLiquidations: number;
  readonly topUps: number;
  readonly pnl: number;
  readonly liquidationCost: number;
  readonly exitCost: number;
  readonly foregoneRecovery: number;
  readonly idleCost: number;
  /** Σ of the four costs. */
  readonly totalCost: number;
  readonly meanCommitted: number;
  readonly maxCommitted: number;
  readonly meanLeverage: number;
}

/** Sums the trades of each policy. */
export function summarizeTrades(trades: readonly TradeRecord[]): PolicySummary[] {
  return BACKTEST_POLICIES.map((policy) => {
    const t = trades.filter((x) => x.policy === policy);
    const sum = (f: (x: TradeRecord) => number) => t.reduce((a, x) => a + f(x), 0);
    const lc = sum((x) => x.liquidationCost);
    const ec = sum((x) => x.exitCost);
    const fr = sum((x) => x.foregoneRecovery);
    const ic = sum((x) => x.idleCost);
    return {
      policy,
      trades: t.length,
      liquidations: t.filter((x) => x.outcome === "liquidated").length,
      stops: t.filter((x) => x.outcome === "stopped").length,
      prematureStops: t.filter((x) => x.outcome === "stopped" && x.premature).length,
      prematureLiquidations: t.filter((x) => x.outcome === "liquidated" && x.premature).length,
      topUps: t.filter((x) => x.toppedUp).length,
      pnl: sum((x) => x.pnl),
      liquidationCost: lc,
      exitCost: ec,
      foregoneRecovery: fr,
      idleCost: ic,
      totalCost: lc + ec + fr + ic,
      meanCommitted: t.length === 0 ? Number.NaN : sum((x) => x.committed) / t.length,
      maxCommitted: t.reduce((a, x) => Math.max(a, x.committed), 0),
      meanLeverage: t.length === 0 ? Number.NaN : sum((x) => x.leverage) / t.length,
    };
  });
}

/** The trades whose [open, exit] overlaps a crash window. */
export function tradesInWindow(
  trades: readonly TradeRecord[],
  window: (typeof CRASH_DAYS)[number],
): TradeRecord[] {
  return trades.filter((t) => t.openMs < window.toMs && t.exitMs + HOUR_MS > window.fromMs);
}

/**
 * Equity of a policy: `initialCapital + Σ pnl` of its trades in exit order (each trade's P&L is
 * booked at its exit), as (time, equity) points, with the liquidation times marked.
 */
export function equityCurve(
  trades: readonly TradeRecord[],
  policy: BacktestPolicy,
  initialCapital: number,
): { time: Float64Array; equity: Float64Array; liquidations: { time: number; equity: number }[] } {
  const t = trades.filter((x) => x.policy === policy).sort((a, b) => a.exitMs - b.exitMs);
  const time = new Float64Array(t.length);
  const equity = new Float64Array(t.length);
  const liquidations: { time: number; equity: number }[] = [];
  let e = initialCapital;
  t.forEach((x, k) => {
    e += x.pnl;
    time[k] = x.exitMs;
    equity[k] = e;
    if (x.outcome === "liquidated") liquidations.push({ time: x.exitMs, equity: e });
  });
  return { time, equity, liquidations };
}
