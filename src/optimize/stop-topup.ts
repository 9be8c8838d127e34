/**
 * The trader's own thresholds — a stop level (close the position yourself before the venue does)
 * and a margin top-up trigger with an amount — scored by their expected cost over a horizon on
 * bars (simulated by a {@link PathBank}, or historical candles), and the whole cost curve over a
 * grid of thresholds with Monte Carlo standard errors.
 *
 * Mechanics (one position, linear contract, long shown; a short mirrors every inequality):
 * - the venue liquidates on touch: in bar k, if the bar's low ≤ H_k (the liquidation price from
 *   the margin engine, shifted by the funding paid up to the end of bar k), the position is
 *   liquidated at H_k;
 * - the trader acts at bar closes (an alert or a bot on candles): if the close ≤ the top-up
 *   trigger U (and no top-up yet), the amount A is added and the liquidation price moves to the
 *   engine's price with collateral M + A; if the close ≤ the stop level K, the position is closed
 *   at that close (a market order: taker fee + slippage);
 * - otherwise it is closed at the close of the last bar of the horizon (same execution cost).
 * Within a bar the intrabar touch of H comes first (the close ends the bar), which is what makes
 * a stop too close to H useless and a stop close to the spot costly.
 *
 * Costs per path (margin-asset units):
 * - forced liquidation: the venue's liquidation fee and the slippage of the liquidation order on
 *   the notional at H (quant.md §3.9–3.10), plus, where the venue keeps what is left of the margin
 *   (Binance: the insurance fund), the margin lost; in all, at most the equity left at H;
 * - exit execution of a stop or horizon close: taker fee + slippage on the notional;
 * - premature close (quant.md §3.10, "needless" liquidation, applied to the trader's own stop):
 *   the position is stopped at bar k and, within the recovery window of W bars after it, some bar's
 *   high gets back to K before any bar's low touches the liquidation price the position would have
 *   had (a bar doing both counts as not premature); its cost is the foregone recovery
 *   `|q|·max(0, s·(P_{k+W} − P_exit))` (its execution cost is already in the exit cost). The same
 *   test is applied to forced liquidations (recovery past the liquidation price within W: the
 *   venue's premature liquidation), so that a stop and a liquidation are charged alike;
 * - idle collateral: `r·(M·t_open + A·t_after_top-up)` at an annual rate r on the collateral and
 *   the top-up while they are committed.
 */
import { InputError } from "../errors.js";
import { sideOf } from "../margin/position.js";
import { walkBook } from "../market/book-walk.js";
import type { OrderBook } from "../market/orderbook.js";
import { type SquareRootImpactModel, squareRootImpact } from "../risk/impact.js";
import { readNumber } from "../validate.js";
import type { PathBank } from "./path-bank.js";
import {
  type FundingAssumption,
  HOURS_PER_YEAR,
  liquidationPriceOn,
  scenarioCollateral,
  scenarioEquity,
  scenarioLiquidation,
  scenarioPosition,
  scenarioWithCollateral,
  scenarioWithFundingPaid,
  type TraderScenario,
} from "./trader-probability.js";

/** Slippage of a market order, as a fraction of its notional. */
export type SlippageModel =
  /** A fixed fraction: `bps/10⁴`. */
  | { readonly kind: "proportional"; readonly bps: number }
  /**
   * Half-spread plus the square-root law `Y·σ_D·(Q/V_D)^δ` of src/risk/impact.ts (Tóth et al.
   * 2011; quant.md §3.9), Q the order's notional and V_D the daily traded notional (quote units).
   */
  | { readonly kind: "square-root"; readonly impact: SquareRootImpactModel; readonly halfSpreadBps?: number }
  /**
   * Walk of the order through an L2 book (src/market/book-walk.ts): the book's relative shape
   * (slippage against its mid), whatever the price level at which the order is sent.
   */
  | { readonly kind: "book"; readonly book: OrderBook };

/**
 * Slippage cost of a closing order per unit of its notional `notional` (quote units: the cost is
 * `notional × fraction`), for a position on `side`
 * (a long closes by selling into the bids, a short by buying from the asks). For a book that runs
 * out, the unfilled remainder is priced at the last level's price (a lower bound on the true
 * cost of an exhausted book).
 */
export function slippageFraction(model: SlippageModel, notional: number, side: 1 | -1 = 1): number {
  if (model.kind === "proportional") return model.bps / 1e4;
  if (model.kind === "square-root")
    return (model.halfSpreadBps ?? 0) / 1e4 + squareRootImpact(Math.max(0, notional), model.impact);
  if (!(notional > 0)) return 0;
  const w = walkBook(model.book, side > 0 ? "sell" : "buy", notional, "quote");
  const worst = Math.abs(w.worstPrice - w.midPrice) / w.midPrice;
  return (w.slippageQuote + w.unfilled * worst) / notional;
}

/** The cost side of the problem. */
export interface CostParameters {
  /** Taker fee of the trader's own market orders, a fraction (0.0005 = 5 bp). */
  readonly takerFeeRate: number;
  /** The venue's liquidation (clearance) fee on the notional liquidated, a fraction. */
  readonly liquidationFeeRate: number;
  /** Slippage of the trader's market orders. */
  readonly slippage: SlippageModel;
  /** Slippage of the liquidation order (default: `slippage`). */
  readonly liquidationSlippage?: SlippageModel;
  /** Whether the venue keeps the margin left after a liquidation (Binance: true). */
  readonly forfeitRemainder: boolean;
  /** Annual rate charged on committed collateral and top-ups (opportunity cost), a fraction. */
  readonly idleRatePerYear: number;
}

/** Everything the path evaluator needs, in plain numbers. */
export interface ThresholdProblem {
  /** +1 long, −1 short. */
  readonly side: 1 | -1;
  /** |size| in base units. */
  readonly units: number;
  readonly spotPrice: number;
  readonly collateral: number;
  /**
   * Equity behind the position now (isolated: its margin + uPnL; cross: the account's equity, the
   * other positions held at their marks): what a liquidation can consume, with any top-up added.
   */
  readonly equity: number;
  readonly topUpAmount: number;
  /** ln(H/S₀) with collateral M, and with M + A. */
  readonly logBarrier: number;
  readonly logBarrierAfterTopUp: number;
  /** Cumulative log shift of the liquidation price from funding at the end of each bar (length horizon + recovery). */
  readonly barrierLogShift: Float64Array;
  /** Cumulative funding paid by the position at the end of each bar (margin units). */
  readonly fundingPaid: Float64Array;
  readonly horizonBars: number;
  readonly recoveryBars: number;
  readonly barYears: number;
  readonly costs: CostParameters;
}

/** Options of {@link thresholdProblem}. */
export interface ThresholdProblemOptions {
  readonly horizonHours: number;
  readonly barHours: number;
  /** Recovery window W of the premature-close test, hours. */
  readonly recoveryHours: number;
  /** Collateral added when the top-up triggers. */
  readonly topUpAmount: number;
  readonly funding?: FundingAssumption;
  readonly costs: CostParameters;
}

/**
 * Builds the problem of a scenario's position from the margin engine: its liquidation price with
 * the collateral as is and after the top-up, and the drift of both from funding (a constant rate,
 * see `scenarioBarrier`). Linear contracts only (the P&L of the premature-close test is linear).
 */
export function thresholdProblem(s: TraderScenario, o: ThresholdProblemOptions): ThresholdProblem {
  const p = scenarioPosition(s);
  if (p.instrument.kind !== "linear") {
    throw new InputError(
      "instrument",
      p.instrument.symbol,
      "is an inverse contract",
      "The stop/top-up optimizer handles linear contracts.",
    );
  }
  const barHours = readNumber(o.barHours, "barHours", {
    min: 0,
    exclusiveMin: true,
    fix: "Pass the bar length in hours.",
  });
  const horizonBars = Math.max(
    1,
    Math.round(readNumber(o.horizonHours, "horizonHours", { min: 0, exclusiveMin: true }) / barHours),
  );
  const recoveryBars = Math.max(
    0,
    Math.round(
      readNumber(o.recoveryHours, "recoveryHours", {
        min: 0,
        fix: "Pass the recovery window in hours, e.g. 24.",
      }) / barHours,
    ),
  );
  const topUp = readNumber(o.topUpAmount, "topUpAmount", {
    min: 0,
    fix: "Pass the top-up amount in the margin asset (0 for none).",
  });
  readCosts(o.costs);
  const now = scenarioLiquidation(s);
  if (now.status !== "safe" || now.adverse !== now.side) {
    throw new InputError(
      "position",
      now.status === "safe" ? `liquidated by a move in its favour (${now.liquidationPrice})` : now.status,
      "has no liquidation price on its losing side",
      "Pass a position that can be liquidated but is not yet, and that is liquidated by a move against it.",
    );
  }
  const after = scenarioLiquidation(scenarioWithCollateral(s, scenarioCollateral(s) + topUp));
  const S0 = now.spotPrice;
  const L0 = now.liquidationPrice as number;
  // With enough top-up the position may have no liquidation price left: put the barrier at ~0 (long) / ∞ (short).
  const L1 = after.status === "safe" ? liquidationPriceOn(after, now.side) : null;
  const side = sideOf(p);
  const total = horizonBars + recoveryBars;
  const barrierLogShift = new Float64Array(total);
  const fundingPaid = new Float64Array(total);
  if (o.funding !== undefined && o.funding.ratePerInterval !== 0) {
    const later = scenarioLiquidation(scenarioWithFundingPaid(s, o.funding, o.horizonHours));
    const perBarLog =
      later.status === "safe" ? Math.log((liquidationPriceOn(later, now.side) ?? L0) / L0) / horizonBars : 0;
    const perBarPaid =
      (side * Math.abs(p.size) * p.instrument.contractSize * S0 * o.funding.ratePerInterval * barHours) /
      o.funding.intervalHours;
    for (let k = 0; k < total; k++) {
      barrierLogShift[k] = perBarLog * (k + 1);
      fundingPaid[k] = perBarPaid * (k + 1);
    }
  }
  return {
    side,
    units: Math.abs(p.size) * p.instrument.contractSize,
    spotPrice: S0,
    collateral: scenarioCollateral(s),
    equity: scenarioEquity(s),
    topUpAmount: topUp,
    logBarrier: Math.log(L0 / S0),
    logBarrierAfterTopUp: L1 === null ? side * -50 : Math.log(L1 / S0),
    barrierLogShift,
    fundingPaid,
    horizonBars,
    recoveryBars,
    barYears: barHours / HOURS_PER_YEAR,
    costs: o.costs,
  };
}

function readCosts(c: CostParameters): void {
  readNumber(c.takerFeeRate, "costs.takerFeeRate", {
    min: 0,
    max: 0.1,
    fix: "Pass a fraction, e.g. 0.0005.",
  });
  readNumber(c.liquidationFeeRate, "costs.liquidationFeeRate", {
    min: 0,
    max: 0.2,
    fix: "Pass a fraction, e.g. 0.005.",
  });
  readNumber(c.idleRatePerYear, "costs.idleRatePerYear", {
    min: 0,
    max: 1,
    fix: "Pass an annual rate as a fraction, e.g. 0.05.",
  });
}

/** A trader's thresholds as distances from the spot, fractions of the price (null: not used). */
export interface Thresholds {
  /** Stop level K = S₀·(1 − side·d). */
  readonly stopDistance: number | null;
  /** Top-up trigger U = S₀·(1 − side·u). */
  readonly topUpDistance: number | null;
}

/** What happened on one path. */
export interface PathOutcome {
  outcome: "liquidated" | "stopped" | "horizon";
  /** Bar (0-based) in which the position ended. */
  exitBar: number;
  exitPrice: number;
  toppedUp: boolean;
  /** Stopped (or liquidated) and the price came back past the exit level within the recovery window (see module doc). */
  premature: boolean;
  liquidationCost: number;
  exitCost: number;
  foregoneRecovery: number;
  idleCost: number;
  /** Realized P&L of the trade: price P&L − funding − fees − slippage (− the margin lost when liquidated). */
  pnl: number;
}

/** A fresh {@link PathOutcome} to reuse across paths. */
export function emptyOutcome(): PathOutcome {
  return {
    outcome: "horizon",
    exitBar: 0,
    exitPrice: 0,
    toppedUp: false,
    premature: false,
    liquidationCost: 0,
    exitCost: 0,
    foregoneRecovery: 0,
    idleCost: 0,
    pnl: 0,
  };
}

/**
 * Plays the thresholds on one path of bars — `close`, `low`, `high` in ln(price/S₀), bar k at
 * `offset + k`, `available` bars from the offset (at least the horizon; bars beyond it feed the
 * premature-close window) — and writes the outcome into `out` (no allocation).
 */
export function evaluatePath(
  pr: ThresholdProblem,
  th: Thresholds,
  close: ArrayLike<number>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  offset: number,
  available: number,
  out: PathOutcome,
): PathOutcome {
  const s = pr.side;
  const S0 = pr.spotPrice;
  const q = pr.units;
  const c = pr.costs;
  const liqSlip = c.liquidationSlippage ?? c.slippage;
  const logK = th.stopDistance === null ? Number.NaN : Math.log(1 - s * th.stopDistance);
  const logU =
    th.topUpDistance === null || pr.topUpAmount === 0 ? Number.NaN : Math.log(1 - s * th.topUpDistance);
  let barrier = pr.logBarrier;
  let topUpBar = -1;
  out.outcome = "horizon";
  out.premature = false;
  out.toppedUp = false;
  out.liquidationCost = 0;
  out.foregoneRecovery = 0;
  let k = 0;
  let exitLog = 0;
  const n = Math.min(pr.horizonBars, available);
  for (; k < n; k++) {
    const i = offset + k;
    const h = barrier + (pr.barrierLogShift[k] as number);
    const adverse = s > 0 ? (low[i] as number) : (high[i] as number);
    if (s * (adverse - h) <= 0) {
      out.outcome = "liquidated";
      exitLog = h;
      break;
    }
    const x = close[i] as number;
    if (!Number.isNaN(logK) && s * (x - logK) <= 0) {
      out.outcome = "stopped";
      exitLog = x;
      break;
    }
    if (!Number.isNaN(logU) && topUpBar < 0 && s * (x - logU) <= 0) {
      topUpBar = k;
      barrier = pr.logBarrierAfterTopUp;
    }
    exitLog = x;
  }
  if (k === n) k = n - 1;
  const exitPrice = S0 * Math.exp(exitLog);
  const committed = pr.equity + (topUpBar >= 0 ? pr.topUpAmount : 0);
  const funding = pr.fundingPaid[k] as number;
  const pricePnl = s * q * (exitPrice - S0) - funding;
  out.exitBar = k;
  out.exitPrice = exitPrice;
  out.toppedUp = topUpBar >= 0;
  out.idleCost =
    c.idleRatePerYear *
    pr.barYears *
    (pr.collateral * (k + 1) + (topUpBar >= 0 ? pr.topUpAmount * (k - topUpBar) : 0));
  if (out.outcome === "liquidated") {
    const notional = q * exitPrice;
    const equityLeft = Math.max(0, committed + pricePnl);
    const feeAndSlip = notional * (c.liquidationFeeRate + slippageFraction(liqSlip, notional, s));
    out.liquidationCost = c.forfeitRemainder ? equityLeft : Math.min(equityLeft, feeAndSlip);
    out.exitCost = 0;
    out.pnl = Math.max(-committed, pricePnl - out.liquidationCost);
    const r = recovery(pr, close, high, low, offset, available, k, barrier, exitLog, exitPrice, false);
    out.premature = r >= 0;
    out.foregoneRecovery = Math.max(0, r);
    return out;
  }
  const notional = q * exitPrice;
  out.exitCost = notional * (c.takerFeeRate + slippageFraction(c.slippage, notional, s));
  out.pnl = pricePnl - out.exitCost;
  if (out.outcome === "stopped") {
    const r = recovery(pr, close, high, low, offset, available, k, barrier, logK, exitPrice, true);
    out.premature = r >= 0;
    out.foregoneRecovery = Math.max(0, r);
  }
  return out;
}

/**
 * The recovery test after a close at bar k: within the next W bars, does a bar's favourable
 * extreme get back to `level` (the stop level K, or the liquidation price for a forced close)
 * before any bar's adverse extreme touches the liquidation price the position would have had
 * (a stop only; a bar doing both is not a recovery)? If so, the foregone recovery
 * `units·max(0, s·(P_{k+W} − P_exit))` (≥ 0); if not, −1.
 */
function recovery(
  pr: ThresholdProblem,
  close: ArrayLike<number>,
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  offset: number,
  available: number,
  k: number,
  barrier: number,
  level: number,
  exitPrice: number,
  checkBarrier: boolean,
): number {
  const s = pr.side;
  const end = Math.min(k + pr.recoveryBars, available - 1);
  for (let j = k + 1; j <= end; j++) {
    const i = offset + j;
    if (checkBarrier) {
      const h = barrier + (pr.barrierLogShift[j] as number);
      const adverse = s > 0 ? (low[i] as number) : (high[i] as number);
      if (s * (adverse - h) <= 0) break;
    }
    const favourable = s > 0 ? (high[i] as number) : (low[i] as number);
    if (s * (favourable - level) >= 0) {
      const later = pr.spotPrice * Math.exp(close[offset + end] as number);
      return pr.units * Math.max(0, s * (later - exitPrice));
    }
  }
  return -1;
}

/** Mean and standard error of one cost component over paths. */
export interface MeanWithError {
  readonly mean: number;
  readonly standardError: number;
}

/** One point of the cost curve. */
export interface CostPoint {
  readonly thresholds: Thresholds;
  /** Stop and top-up distances as fractions of the liquidation distance |ln(H/S₀)| (null: none). */
  readonly stopFractionOfLiquidation: number | null;
  readonly topUpFractionOfLiquidation: number | null;
  readonly liquidationCost: MeanWithError;
  readonly exitCost: MeanWithError;
  readonly foregoneRecovery: MeanWithError;
  readonly idleCost: MeanWithError;
  readonly totalCost: MeanWithError;
  readonly probabilityLiquidated: number;
  readonly probabilityStopped: number;
  /** Stopped out prematurely (see the module doc). */
  readonly probabilityPremature: number;
  /** Liquidated and the price came back past the liquidation price within the window. */
  readonly probabilityPrematureLiquidation: number;
  readonly probabilityToppedUp: number;
  readonly paths: number;
}

/** A grid of thresholds, written as fractions of the liquidation distance. */
export interface ThresholdGrid {
  /** Stop fractions φ ∈ (0, 1) of |ln(H/S₀)|; null = no stop. */
  readonly stopFractions: readonly (number | null)[];
  readonly topUpFractions: readonly (number | null)[];
}

/** The default grid: no stop and φ = 0.2 … 0.95; no top-up and 0.3, 0.5, 0.7. */
export const DEFAULT_GRID: ThresholdGrid = {
  stopFractions: [null, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
  topUpFractions: [null, 0.3, 0.5, 0.7],
};

/** Converts a fraction φ of the log liquidation distance into a price-distance fraction d. */
function distanceFromFraction(pr: ThresholdProblem, fraction: number | null): number | null {
  if (fraction === null) return null;
  return pr.side * (1 - Math.exp(fraction * pr.logBarrier));
}

/**
 * The cost curve: every (stop, top-up) pair of the grid scored on every path of the bank (common
 * random numbers), with the mean and standard error (sd/√n) of each cost component and the
 * probabilities of each outcome. The bank needs horizon + recovery bars.
 */
export function costCurve(
  pr: ThresholdProblem,
  bank: PathBank,
  grid: ThresholdGrid = DEFAULT_GRID,
): CostPoint[] {
  if (bank.bars < pr.horizonBars) {
    throw new InputError(
      "bank.bars",
      bank.bars,
      `is shorter than the horizon (${pr.horizonBars} bars)`,
      "Simulate longer paths.",
    );
  }
  const out: CostPoint[] = [];
  const o = emptyOutcome();
  const n = bank.paths;
  const acc = new Float64Array(10);
  for (const tf of grid.topUpFractions) {
    for (const sf of grid.stopFractions) {
      const th: Thresholds = {
        stopDistance: distanceFromFraction(pr, sf),
        topUpDistance: distanceFromFraction(pr, tf),
      };
      acc.fill(0);
      let liq = 0;
      let stop = 0;
      let prem = 0;
      let premLiq = 0;
      let top = 0;
      for (let p = 0; p < n; p++) {
        evaluatePath(pr, th, bank.close, bank.low, bank.high, p * bank.bars, bank.bars, o);
        const total = o.liquidationCost + o.exitCost + o.foregoneRecovery + o.idleCost;
        acc[0] = (acc[0] as number) + o.liquidationCost;
        acc[1] = (acc[1] as number) + o.liquidationCost * o.liquidationCost;
        acc[2] = (acc[2] as number) + o.exitCost;
        acc[3] = (acc[3] as number) + o.exitCost * o.exitCost;
        acc[4] = (acc[4] as number) + o.foregoneRecovery;
        acc[5] = (acc[5] as number) + o.foregoneRecovery * o.foregoneRecovery;
        acc[6] = (acc[6] as number) + o.idleCost;
        acc[7] = (acc[7] as number) + o.idleCost * o.idleCost;
        acc[8] = (acc[8] as number) + total;
        acc[9] = (acc[9] as number) + total * total;
        if (o.outcome === "liquidated") liq++;
        else if (o.outcome === "stopped") stop++;
        if (o.premature) {
          if (o.outcome === "stopped") prem++;
          else premLiq++;
        }
        if (o.toppedUp) top++;
      }
      const m = (j: number): MeanWithError => {
        const mean = (acc[j] as number) / n;
        const variance = n > 1 ? Math.max(0, ((acc[j + 1] as number) - n * mean * mean) / (n - 1)) : 0;
        return { mean, standardError: Math.sqrt(variance / n) };
      };
      out.push({
        thresholds: th,
        stopFractionOfLiquidation: sf,
        topUpFractionOfLiquidation: tf,
        liquidationCost: m(0),
        exitCost: m(2),
        foregoneRecovery: m(4),
        idleCost: m(6),
        totalCost: m(8),
        probabilityLiquidated: liq / n,
        probabilityStopped: stop / n,
        probabilityPremature: prem / n,
        probabilityPrematureLiquidation: premLiq / n,
        probabilityToppedUp: top / n,
        paths: n,
      });
    }
  }
  return out;
}

/** The grid point of least expected total cost (first one on ties). */
export function cheapest(curve: readonly CostPoint[]): CostPoint {
  let best = curve[0];
  if (best === undefined)
    throw new InputError("grid", curve.length, "is empty", "Pass at least one threshold pair.");
  for (const c of curve) if (c.totalCost.mean < best.totalCost.mean) best = c;
  return best;
}
