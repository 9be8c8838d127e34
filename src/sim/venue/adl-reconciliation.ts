/**
 * Reconciliation of the socialization policies with Hyperliquid's ADL of 2025-10-10 (issue 11,
 * reconciliation 1): per wave, a synthetic winners' population fitted to the published aggregates
 * ({@link drawWinners}), each policy run on the wave's needed budget B_t, and the totals set beside
 * production's (15.08 M USD needed, 60.11 M USD taken, 45.03 M USD net overshoot; Chitra, arXiv
 * 2512.01112 v3, and pluriholonomic/autodeleveraging-analysis `out/headlines.json`).
 *
 * What the comparison can and cannot say: production's queue closes contracts at the bankruptcy price
 * and its overshoot comes from the gap to the mark and the prices moving inside a wave; the simulated
 * queue is the wealth-space queue of the repository's `methodology.md` §3.7 (whole positions in rank
 * order), whose overshoot comes from the size of the last position closed. "Same order" is the claim
 * tested, not equality.
 */
import { Xoshiro128 } from "../../math/random.js";
import { type AdlEventMetrics, adlEventMetrics } from "./adl-metrics.js";
import { ADL_POLICIES, type AdlPolicyName, type AdlPolicySettings, applyAdlPolicy } from "./adl-policy.js";
import { drawWinners, type WinnersSpec } from "./adl-population.js";
import type { AdlWave, EquityToPnlQuantiles } from "./adl-waves.js";

/** The population and policy settings of a reconciliation run. */
export interface AdlReconciliationOptions {
  readonly seed: number;
  /** Independent populations drawn (the queue's overshoot is summarised over them). */
  readonly replicates: number;
  /** Winners in all waves together (17,771 in the data); fewer for a quick run. */
  readonly winners: number;
  readonly pnlTailIndex: number;
  readonly leverage: WinnersSpec["leverage"];
  readonly minEquityToPnl: number;
  readonly policy: AdlPolicySettings;
  /** The queue's median total overshoot must lie within [production/f, production·f]. */
  readonly queueToleranceFactor: number;
}

/** Published defaults: 17,771 winners, and the stated (not published) choices of docs/assumptions.md. */
export const ADL_RECONCILIATION_DEFAULTS: AdlReconciliationOptions = {
  seed: 20_251_010,
  replicates: 20,
  winners: 17_771,
  pnlTailIndex: 1.5,
  leverage: { median: 0.165, sigma: 1 },
  minEquityToPnl: 1.01,
  policy: { side: -1, capOfEquity: 0.02 },
  queueToleranceFactor: 2,
};

/**
 * One policy's totals over the waves of one population: sums (used, overshoot, residual, payers),
 * maxima (haircuts, post-ADL leverage), the Gini averaged over waves weighted by the need, payer
 * leverage and equity/PnL weighted by the budget used, the winners' leverage averaged over waves.
 */
export type AdlPolicyTotals = Omit<AdlEventMetrics, "needed" | "maxLeverageBefore">;

/** A wave of the first population: its size, its fit and each policy's metrics. */
export interface AdlWaveResult {
  readonly wave: AdlWave;
  readonly winners: number;
  readonly correlation: number;
  readonly marginScale: number;
  /** Median equity/PnL of the drawn winners (after the margin scale). */
  readonly medianEquityToPnl: number;
  readonly metrics: Readonly<Record<AdlPolicyName, AdlEventMetrics>>;
}

/** Median and 10–90 % range over replicates. */
export interface Spread {
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

export interface AdlReconciliation {
  readonly options: AdlReconciliationOptions;
  readonly perWave: readonly AdlWaveResult[];
  /** Totals of the first population. */
  readonly totals: Readonly<Record<AdlPolicyName, AdlPolicyTotals>>;
  /** Total overshoot of each policy over the replicates. */
  readonly overshootSpread: Readonly<Record<AdlPolicyName, Spread>>;
  readonly production: {
    readonly needed: number;
    readonly used: number;
    /** Σ (H_t − B_t), negative waves included: the published 45.03 M. */
    readonly netOvershoot: number;
    /** Σ (H_t − B_t)₊. */
    readonly overshoot: number;
    readonly maxHaircut: number;
  };
  readonly checks: {
    /** Median simulated queue overshoot / production's net overshoot. */
    readonly queueOvershootRatio: number;
    readonly queueWithinTolerance: boolean;
    /** The same ratio for the queue by Hyperliquid's ranking (reported; the tolerance is not applied). */
    readonly queueHyperliquidOvershootRatio: number;
    /** Every wave of every replicate covered exactly (1e-9 relative) with no overshoot. */
    readonly proRataMeetsNeed: boolean;
    readonly waterFillingMeetsNeed: boolean;
  };
}

/** Winners per wave: the total split in proportion to the wave's ADL fill rows, at least 1. */
export function winnersPerWave(waves: readonly AdlWave[], total: number): number[] {
  const fills = waves.reduce((s, w) => s + w.fills, 0);
  return waves.map((w) => Math.max(1, Math.round((w.fills / fills) * total)));
}

function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

function medianRatio(equity: Float64Array, pnl: Float64Array): number {
  const r = equity.map((e, i) => e / (pnl[i] as number)).sort();
  return quantile(Array.from(r), 0.5);
}

function totalsOf(events: readonly AdlEventMetrics[]): AdlPolicyTotals {
  let used = 0;
  let overshoot = 0;
  let residual = 0;
  let payers = 0;
  let maxHaircut = 0;
  let maxPnl = 0;
  let maxEquity = 0;
  let gini = 0;
  let needed = 0;
  let paidLev = 0;
  let paidCover = 0;
  let maxAfter = 0;
  for (const m of events) {
    used += m.used;
    overshoot += m.overshoot;
    residual += m.residual;
    payers += m.payers;
    maxHaircut = Math.max(maxHaircut, m.maxHaircut);
    maxPnl = Math.max(maxPnl, m.maxHaircutOfPnl);
    maxEquity = Math.max(maxEquity, m.maxHaircutOfEquity);
    gini += m.giniOfPnlShare * m.needed;
    needed += m.needed;
    if (m.used > 0) {
      paidLev += m.payerLeverage * m.used;
      paidCover += m.payerEquityToPnl * m.used;
    }
    maxAfter = Math.max(maxAfter, m.maxLeverageAfter);
  }
  const winnerLeverage = events.reduce((s, m) => s + m.winnerLeverage, 0) / events.length;
  return {
    used,
    overshoot,
    residual,
    payers,
    maxHaircut,
    maxHaircutOfPnl: maxPnl,
    maxHaircutOfEquity: maxEquity,
    giniOfPnlShare: gini / needed,
    payerLeverage: paidLev / used,
    winnerLeverage,
    payerEquityToPnl: paidCover / used,
    maxLeverageAfter: maxAfter,
  };
}

const exact = (m: AdlEventMetrics) =>
  Math.abs(m.used - m.needed) <= 1e-9 * m.needed && m.overshoot <= 1e-9 * m.needed;

/**
 * Runs every policy on every wave's needed budget B_t for `options.replicates` populations drawn
 * from one seeded stream, and checks the queue's overshoot against production's and the exact
 * cover of pro-rata and water-filling.
 */
export function reconcileAdl(
  waves: readonly AdlWave[],
  equityToPnl: EquityToPnlQuantiles,
  productionOvershoot: number,
  options: AdlReconciliationOptions = ADL_RECONCILIATION_DEFAULTS,
): AdlReconciliation {
  const rng = new Xoshiro128(options.seed);
  const counts = winnersPerWave(waves, options.winners);
  const overshoots = Object.fromEntries(ADL_POLICIES.map((p) => [p, [] as number[]])) as Record<
    AdlPolicyName,
    number[]
  >;
  let perWave: AdlWaveResult[] = [];
  const totals = {} as Record<AdlPolicyName, AdlPolicyTotals>;
  let proRataMeetsNeed = true;
  let waterFillingMeetsNeed = true;
  for (let r = 0; r < options.replicates; r++) {
    const events = Object.fromEntries(ADL_POLICIES.map((p) => [p, [] as AdlEventMetrics[]])) as Record<
      AdlPolicyName,
      AdlEventMetrics[]
    >;
    const waveResults: AdlWaveResult[] = [];
    waves.forEach((wave, k) => {
      const count = counts[k] as number;
      const fitted = drawWinners(
        {
          count,
          totalPnl: wave.winnersPnl,
          totalEquity: wave.winnersEquity,
          pnlTailIndex: options.pnlTailIndex,
          equityToPnl,
          minEquityToPnl: options.minEquityToPnl,
          leverage: options.leverage,
        },
        rng,
      );
      const out = new Float64Array(count);
      const scratch = new Float64Array(count);
      const metrics = {} as Record<AdlPolicyName, AdlEventMetrics>;
      for (const policy of ADL_POLICIES) {
        applyAdlPolicy(policy, fitted.winners, wave.needed, options.policy, out, scratch);
        metrics[policy] = adlEventMetrics(fitted.winners, wave.needed, out);
        events[policy].push(metrics[policy]);
      }
      proRataMeetsNeed &&= exact(metrics["pro-rata"]);
      waterFillingMeetsNeed &&= exact(metrics["water-filling"]);
      waveResults.push({
        wave,
        winners: count,
        correlation: fitted.correlation,
        marginScale: fitted.marginScale,
        medianEquityToPnl: medianRatio(fitted.winners.equity, fitted.winners.pnl),
        metrics,
      });
    });
    for (const policy of ADL_POLICIES) {
      const t = totalsOf(events[policy]);
      overshoots[policy].push(t.overshoot);
      if (r === 0) totals[policy] = t;
    }
    if (r === 0) perWave = waveResults;
  }
  const overshootSpread = {} as Record<AdlPolicyName, Spread>;
  for (const policy of ADL_POLICIES) {
    const s = [...overshoots[policy]].sort((a, b) => a - b);
    overshootSpread[policy] = { median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9) };
  }
  const ratio = overshootSpread.queue.median / productionOvershoot;
  const f = options.queueToleranceFactor;
  return {
    options,
    perWave,
    totals,
    overshootSpread,
    production: {
      needed: waves.reduce((s, w) => s + w.needed, 0),
      used: waves.reduce((s, w) => s + w.production, 0),
      netOvershoot: waves.reduce((s, w) => s + w.production - w.needed, 0),
      overshoot: waves.reduce((s, w) => s + Math.max(0, w.production - w.needed), 0),
      maxHaircut: waves.reduce((s, w) => Math.max(s, w.productionMaxHaircut), 0),
    },
    checks: {
      queueOvershootRatio: ratio,
      queueWithinTolerance: ratio >= 1 / f && ratio <= f,
      queueHyperliquidOvershootRatio: overshootSpread["queue-hyperliquid"].median / productionOvershoot,
      proRataMeetsNeed,
      waterFillingMeetsNeed,
    },
  };
}
