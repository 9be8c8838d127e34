/**
 * `liqopt trader backtest`: the out-of-sample replay of the trader's policies ({@link runTraderBacktest})
 * on the user's own hourly candles (and funding), as one library call returning a plain,
 * JSON-serialisable report: the settings, each policy's totals, the calibration of the α policy
 * (realized liquidation frequency against α with its binomial p-value), the crash windows the sample
 * covers, the refits (with the degenerate fits and the fits with ν at its floor counted) and the trades.
 */
import { InputError } from "../errors.js";
import { CRASH_DAYS } from "../market/bundled.js";
import type { CandleSeries } from "../market/candles.js";
import type { FundingSeries } from "../market/funding.js";
import { binomialSurvival } from "../math/distributions.js";
import { getVenue } from "../venues/index.js";
import {
  BACKTEST_POLICIES,
  type BacktestPolicy,
  type PolicySummary,
  type RefitRecord,
  runTraderBacktest,
  summarizeTrades,
  type TradeRecord,
  tradesInWindow,
} from "./trader-backtest.js";
import type { DegenerateModel, DegeneratePolicy } from "./vol-models.js";

const HOUR_MS = 3_600_000;

/** Options of {@link traderBacktestReport}; durations in hours, rates as fractions. */
export interface TraderBacktestReportOptions {
  /** Venue id whose tier tables, liquidation fee and rules apply (`liqopt venues`). */
  readonly venue: string;
  /** The venue's symbol of the candles (its tier table and liquidation fee). */
  readonly symbol: string;
  /** Target P(liquidation within the horizon) of the `alpha` policy. */
  readonly alpha: number;
  readonly horizonHours: number;
  /** The policies reported (all three are replayed; the report keeps these). */
  readonly policies: readonly BacktestPolicy[];
  /** Notional of each trade, in the margin asset. */
  readonly notional: number;
  /** Leverage of the `static` and `thresholds` policies. */
  readonly staticLeverage: number;
  /** Top-up of the `thresholds` policy, a fraction of the initial collateral. */
  readonly topUpFraction: number;
  /** Recovery window W of the premature-close test. */
  readonly recoveryHours: number;
  /** Longest fitting window (the window expands from `minFitHours` to this, then rolls). */
  readonly fitHours: number;
  /** The first fit's window. */
  readonly minFitHours: number;
  /** Time between refits. */
  readonly refitHours: number;
  /** Monte Carlo paths per decision table and variance knots per refit. */
  readonly paths: number;
  readonly knots: number;
  readonly seed: number;
  readonly takerFeeRate: number;
  /** Fixed slippage of the decision tables, basis points of notional. */
  readonly slippageBps: number;
  /** Y of the square-root law for every realized close; undefined: the fixed slippage instead. */
  readonly impactY?: number;
  readonly idleRatePerYear: number;
  /** Whether the venue keeps the margin left at liquidation (Binance: true). */
  readonly forfeitRemainder: boolean;
  /** What a refit does when its GARCH-t fit is degenerate (src/optimize/trader-backtest.ts); default fallback. */
  readonly onDegenerate?: DegeneratePolicy;
  /** Called after each refit with the share of the sample done. */
  readonly onProgress?: (done: number) => void;
}

/** The α policy's realized liquidations on one side against its target. */
export interface AlphaCalibration {
  readonly side: "long" | "short";
  readonly trades: number;
  readonly liquidations: number;
  /** liquidations / trades (null without trades). */
  readonly frequency: number | null;
  /** P(X ≥ liquidations) for X ~ Binomial(trades, α): small values say α is exceeded. */
  readonly pValue: number | null;
}

/** The `liqopt trader backtest --json` document. */
export interface TraderBacktestReport {
  readonly venue: string;
  readonly symbol: string;
  readonly candles: { readonly bars: number; readonly from: string; readonly to: string };
  /** The funding series paid by open positions, or null when none was given. */
  readonly funding: {
    readonly symbol: string;
    readonly settlements: number;
    readonly from: string;
    readonly to: string;
  } | null;
  readonly settings: Omit<TraderBacktestReportOptions, "onProgress" | "impactY" | "onDegenerate"> & {
    readonly impactY: number | null;
    readonly liquidationFeeRate: number;
    readonly onDegenerate: DegeneratePolicy;
  };
  /**
   * The refits whose GARCH-t fit was degenerate (persistence at the stationarity bound, φ ≥ 1, ω at
   * its floor) out of all refits, when they were, and the model the policies used there instead:
   * `igarch-drift` (the fit's IGARCH(1,1) with drift as filter and in the banks, with the fit's
   * Student-t shocks; each refit's parameters in `refits[].degenerate.igarch`), or null when kept.
   */
  readonly degenerateFits: {
    readonly count: number;
    readonly refits: number;
    readonly fallback: "igarch-drift" | null;
    readonly reasons: readonly string[];
    readonly at: readonly string[];
  };
  /** The refits whose fitted ν ended on its floor 2 (`atBound` has `nu`): tails too heavy for a unit-variance t. */
  readonly nuAtFloorFits: { readonly count: number; readonly at: readonly string[] };
  readonly firstTrade: string | null;
  readonly lastTrade: string | null;
  /** Each reported policy's totals (P&L and costs in the margin asset). */
  readonly summary: readonly PolicySummary[];
  /** The α policy's calibration per side (empty when `alpha` is not reported). */
  readonly alphaCalibration: readonly AlphaCalibration[];
  /** Totals of the trades overlapping each crash window the sample covers. */
  readonly crashWindows: readonly { readonly label: string; readonly summary: readonly PolicySummary[] }[];
  readonly refits: readonly {
    readonly at: string;
    readonly fitFrom: string;
    readonly params: Readonly<Record<string, number | undefined>>;
    /** Constraints binding at the fit's optimum (`GarchFit.atBound`); empty when interior. */
    readonly atBound: readonly string[];
    /** Present when the fit is degenerate: why, and the model used instead. */
    readonly degenerate?: DegenerateModel;
    /** The filter the policies ran on after this refit: garch, or the fallback's igarch-drift. */
    readonly filter: RefitRecord["filter"];
  }[];
  /** Every trade of the reported policies, in open order. */
  readonly trades: readonly TradeRecord[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Replays the static, α and stop/top-up policies on `candles` (hourly) out of sample, with `funding`
 * paid by the open positions when given, and reports them (see {@link TraderBacktestReport}). The α
 * calibration is the exact binomial tail P(X ≥ x | n, α) = I_α(x, n − x + 1) (Abramowitz & Stegun
 * 26.5.24). Candles that are not hourly, or too short for one fit and one horizon, are an
 * {@link InputError} on `--candles`.
 */
export function traderBacktestReport(
  candles: CandleSeries,
  funding: FundingSeries | undefined,
  o: TraderBacktestReportOptions,
): TraderBacktestReport {
  if (candles.intervalMs !== HOUR_MS)
    throw new InputError(
      "--candles",
      `${candles.intervalMs / 60_000} min bars`,
      "are not hourly",
      "Pass hourly candles (the policies are fitted and replayed bar by bar on an hourly grid).",
    );
  const needed = Math.round(o.minFitHours) + 1 + 24 + Math.round(o.horizonHours);
  if (candles.close.length < needed)
    throw new InputError(
      "--candles",
      `${candles.close.length} bars`,
      `are too few: the first fit (${Math.round(o.minFitHours)} bars), a day to the first UTC midnight and the horizon need ${needed}`,
      "Pass a longer series, widen --from/--to, or shorten --min-fit.",
    );
  const venue = getVenue(o.venue, "--venue");
  const liquidationFeeRate = venue.liquidationFeeRate(o.symbol);
  const result = runTraderBacktest({
    venue,
    symbol: o.symbol,
    candles,
    ...(funding === undefined ? {} : { funding }),
    notionalUsd: o.notional,
    horizonHours: o.horizonHours,
    recoveryHours: o.recoveryHours,
    fitBars: Math.round(o.fitHours),
    minFitBars: Math.round(o.minFitHours),
    refitBars: Math.round(o.refitHours),
    alpha: o.alpha,
    staticLeverage: o.staticLeverage,
    topUpFraction: o.topUpFraction,
    costs: {
      takerFeeRate: o.takerFeeRate,
      liquidationFeeRate,
      slippage: { kind: "proportional", bps: o.slippageBps },
      forfeitRemainder: o.forfeitRemainder,
      idleRatePerYear: o.idleRatePerYear,
    },
    ...(o.impactY === undefined ? {} : { impactY: o.impactY }),
    knots: o.knots,
    paths: o.paths,
    seed: o.seed,
    ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress }),
    onDegenerate: o.onDegenerate ?? "fallback",
  });
  const reported = (p: BacktestPolicy) => o.policies.includes(p);
  const trades = result.trades.filter((t) => reported(t.policy));
  const summarize = (t: readonly TradeRecord[]) => summarizeTrades(t).filter((s) => reported(s.policy));
  const n = candles.time.length;
  const { onProgress, impactY, onDegenerate, ...settings } = o;
  const degenerate = result.refits.flatMap((r) =>
    r.degenerate === undefined ? [] : [{ ...r.degenerate, atMs: r.atMs }],
  );
  const nuAtFloor = result.refits.filter((r) => r.atBound.includes("nu"));
  return {
    venue: venue.id,
    symbol: o.symbol,
    candles: { bars: n, from: iso(candles.time[0] as number), to: iso(candles.time[n - 1] as number) },
    funding:
      funding === undefined || funding.time.length === 0
        ? null
        : {
            symbol: funding.symbol,
            settlements: funding.time.length,
            from: iso(funding.time[0] as number),
            to: iso(funding.time[funding.time.length - 1] as number),
          },
    settings: {
      ...settings,
      policies: BACKTEST_POLICIES.filter(reported),
      impactY: impactY ?? null,
      liquidationFeeRate,
      onDegenerate: onDegenerate ?? "fallback",
    },
    degenerateFits: {
      count: degenerate.length,
      refits: result.refits.length,
      fallback: (onDegenerate ?? "fallback") === "fallback" ? "igarch-drift" : null,
      reasons: [...new Set(degenerate.map((r) => r.reason))],
      at: degenerate.map((r) => iso(r.atMs)),
    },
    nuAtFloorFits: { count: nuAtFloor.length, at: nuAtFloor.map((r) => iso(r.atMs)) },
    firstTrade: result.trades.length === 0 ? null : iso(result.firstTradeMs),
    lastTrade: result.trades.length === 0 ? null : iso(result.lastTradeMs),
    summary: summarize(result.trades),
    alphaCalibration: reported("alpha")
      ? (["long", "short"] as const).map((side) => {
          const t = result.trades.filter((x) => x.policy === "alpha" && x.side === side);
          const x = t.filter((y) => y.outcome === "liquidated").length;
          return {
            side,
            trades: t.length,
            liquidations: x,
            frequency: t.length === 0 ? null : x / t.length,
            pValue: t.length === 0 ? null : binomialSurvival(x, t.length, o.alpha),
          };
        })
      : [],
    crashWindows: CRASH_DAYS.map((w) => ({ label: w.label, trades: tradesInWindow(result.trades, w) }))
      .filter((w) => w.trades.length > 0)
      .map((w) => ({ label: w.label, summary: summarize(w.trades) })),
    refits: result.refits.map((r) => ({
      at: iso(r.atMs),
      fitFrom: iso(r.fitFromMs),
      params: r.params,
      atBound: r.atBound,
      ...(r.degenerate === undefined ? {} : { degenerate: r.degenerate }),
      filter: r.filter,
    })),
    trades,
  };
}
