/**
 * The funding report of a funding-rate history (what `liqopt funding` prints): its statistics and
 * regimes and, for a position, the funding it pays over a horizon and the drag of those payments
 * on an isolated margin (how far the liquidation price moves towards the mark on funding alone).
 */
import { InputError } from "../errors.js";
import type { Direction } from "../margin/types.js";
import type { LoadedFunding } from "../market/funding.js";
import {
  type FundingDrag,
  type FundingRegimes,
  type FundingStatistics,
  fundingCost,
  fundingDrag,
  fundingRegimes,
  fundingStatistics,
} from "./funding.js";

/** A position for the cost and drag sections of {@link fundingReport}. */
export interface FundingPosition {
  side: Direction;
  notionalQuote: number;
  /** Start of the holding period, ms UTC. */
  fromMs: number;
  horizonHours: number;
  /** Isolated leverage: the margin is notional / leverage. */
  leverage: number;
  /** Maintenance margin rate, a fraction of the notional. */
  maintenanceMarginRate: number;
}

/** Options of {@link fundingReport}. */
export interface FundingReportOptions {
  /** Rows of the rolling mean that defines regimes. */
  regimeWindow: number;
  /** Rate per interval above which the regime is positive (below minus it, negative). */
  regimeThreshold: number;
  /** The position whose funding cost and margin drag are reported, or null. */
  position: FundingPosition | null;
}

/** Statistics, regimes and a position's funding of a funding history (`liqopt funding --json`). */
export interface FundingReport {
  source: string;
  symbol: string;
  first: string;
  last: string;
  rows: number;
  anomalies: number;
  statistics: FundingStatistics;
  regimes: { windowRows: number; thresholdRate: number; summary: FundingRegimes["summary"] };
  position:
    | (FundingPosition & {
        payments: number;
        totalQuote: number;
        totalFraction: number;
        annualizedFraction: number;
        drag: Omit<FundingDrag, "timeMs" | "payment" | "marginQuote" | "liquidationPrice" | "distance"> & {
          finalDistance: number;
        };
      })
    | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The funding report of a loaded history: the rate's statistics (`risk/funding.ts`
 * fundingStatistics), its regimes by the sign of a rolling mean over `regimeWindow` rows beyond
 * ±`regimeThreshold` (fundingRegimes) and, for a position, the funding it pays from `fromMs` over
 * `horizonHours` (fundingCost: Σ side · rate · notional per settlement, Binance's funding fee)
 * annualized ×8760/`horizonHours`, and the erosion of its distance to liquidation at `leverage`×
 * isolated with the price held (fundingDrag).
 */
export function fundingReport(loaded: LoadedFunding, options: FundingReportOptions): FundingReport {
  const { series } = loaded;
  const { position } = options;
  if (series.time.length === 0)
    throw new InputError(
      "--funding",
      loaded.report.source,
      `has no funding rows${loaded.report.anomalies.length > 0 ? ` (${loaded.report.anomalies.length} dropped as bad)` : ""}`,
      "Pass a funding file with at least one row of time and rate.",
    );
  const regimes = fundingRegimes(series, options.regimeWindow, options.regimeThreshold);
  let pos: FundingReport["position"] = null;
  if (position !== null) {
    const cost = fundingCost(series, {
      side: position.side,
      fromMs: position.fromMs,
      horizonHours: position.horizonHours,
      notionalQuote: position.notionalQuote,
    });
    const drag = fundingDrag(series, {
      side: position.side,
      fromMs: position.fromMs,
      horizonHours: position.horizonHours,
      notionalQuote: position.notionalQuote,
      // The drag holds the price constant, so any entry price gives the same fractions.
      entryPrice: 1,
      marginQuote: position.notionalQuote / position.leverage,
      maintenanceMarginRate: position.maintenanceMarginRate,
    });
    pos = {
      ...position,
      payments: cost.rows,
      totalQuote: cost.totalQuote,
      totalFraction: cost.totalFraction,
      annualizedFraction: (cost.totalFraction * 8760) / position.horizonHours,
      drag: {
        initialDistance: drag.initialDistance,
        distanceErosion: drag.distanceErosion,
        liquidatedByFundingAt: drag.liquidatedByFundingAt,
        finalDistance:
          drag.distance.length > 0
            ? (drag.distance[drag.distance.length - 1] as number)
            : drag.initialDistance,
      },
    };
  }
  return {
    source: loaded.report.source,
    symbol: series.symbol,
    first: iso(series.time[0] as number),
    last: iso(series.time[series.time.length - 1] as number),
    rows: series.time.length,
    anomalies: loaded.report.anomalies.length,
    statistics: fundingStatistics(series),
    regimes: {
      windowRows: regimes.windowRows,
      thresholdRate: regimes.thresholdRate,
      summary: regimes.summary,
    },
    position: pos,
  };
}
