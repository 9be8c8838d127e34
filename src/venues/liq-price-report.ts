/**
 * The liquidation-price report of a perpetual-futures account document: the account's margin, each
 * position's liquidation and bankruptcy prices, and the venue's liquidation steps for what is
 * liquidatable. A plain, JSON-serialisable result (what `liqopt liq-price --json` prints), from an
 * account document already resolved against its venue (`resolveAccountDocument`).
 */
import { type AccountMargin, accountMargin } from "../margin/account.js";
import { liquidationPrices } from "../margin/liquidation.js";
import { tierFor } from "../margin/tiers.js";
import type { MarginMode, PositionSide } from "../margin/types.js";
import type { ResolvedAccount } from "./account-document.js";
import type { LiquidationStep } from "./types.js";

/** One position's line of the `liq-price` report. */
export interface PositionReport {
  symbol: string;
  positionSide: PositionSide;
  size: number;
  notional: number;
  initialMargin: number;
  maintenanceMargin: number;
  unrealizedPnl: number;
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** Ends of the price interval where equity covers maintenance margin (hedged legs can have both). */
  lowerLiquidationPrice: number | null;
  /** Why there is no lower end (no positive price below liquidates, or it lies beyond the tier table). */
  lowerLiquidationReason: string | null;
  upperLiquidationPrice: number | null;
  /** Why there is no upper end (no price above liquidates, or it lies beyond the tier table). */
  upperLiquidationReason: string | null;
  bankruptcyPrice: number | null;
  bankruptcyReason: string | null;
  liquidatable: boolean;
}

/** The venue's liquidation procedure for one liquidatable position, with the state it acted on. */
export interface LiquidationReport {
  /** Index of the position in the document. */
  position: number;
  symbol: string;
  positionSide: PositionSide;
  /** The `LiquidationState` passed to the venue (tiers omitted). */
  state: { notional: number; equity: number; maintenanceMargin: number };
  steps: LiquidationStep[];
}

/** The margin report of a perpetual account (`liqopt liq-price --json`). */
export interface LiqPriceReport {
  venue: string;
  marginMode: MarginMode;
  /** Asset margin and PnL are counted in (null for an account without positions). */
  marginAsset: string | null;
  /** The account's margin as `accountMargin` computes it (margin/account.ts), without the per-position list. */
  account: Omit<AccountMargin, "positions">;
  positions: PositionReport[];
  /** Per liquidatable position, the venue's steps; null when nothing is liquidatable. */
  liquidation: LiquidationReport[] | null;
  /** What the document states that the venue would not accept (see {@link leverageWarnings}); absent when none. */
  warnings?: string[];
}

/**
 * One warning per position whose stated `leverage` exceeds the max leverage of the tier its notional
 * falls in (the venue would refuse the order; the report's initial margin is `notional / leverage` with
 * the stated leverage). Tier tables: margin/tiers.ts, `tierFor`.
 */
function leverageWarnings(resolved: ResolvedAccount, positions: readonly PositionReport[]): string[] {
  const warnings: string[] = [];
  resolved.account.positions.forEach((p, i) => {
    const row = positions[i];
    if (p.leverage === undefined || row === undefined) return;
    const { maxLeverage } = tierFor(p.tiers, row.notional);
    if (p.leverage > maxLeverage)
      warnings.push(
        `positions[${i}].leverage: ${p.leverage}x is above the ${maxLeverage}x ${resolved.venue.id} allows ${row.symbol} at a notional of ${Math.round(row.notional * 100) / 100}; the venue would refuse it, and the initial margin shown uses the stated ${p.leverage}x.`,
      );
  });
  return warnings;
}

/**
 * Margin, liquidation and bankruptcy prices of every position of a resolved account, and the
 * venue's liquidation steps when it is liquidatable, from `accountMargin` and `liquidationPrices`
 * (margin/account.ts, margin/liquidation.ts: Binance FAQ "How to Calculate Liquidation Price of
 * USDⓈ-M Futures Contracts" with the tier re-solve) and the venue's `liquidationSteps`.
 * The liquidation state is the account's equity and maintenance margin in cross mode, the
 * position's isolated equity and maintenance margin in isolated mode.
 */
export function liqPriceReport(resolved: ResolvedAccount): LiqPriceReport {
  const { venue, rules, account, symbols } = resolved;
  const margin = accountMargin(account, rules);
  const prices = liquidationPrices(account, rules);
  const cross = account.marginMode === "cross";
  const positions = account.positions.map((p, i): PositionReport => {
    const m = margin.positions[i];
    const lp = prices[i];
    if (m === undefined || lp === undefined) throw new Error(`no margin figures for position ${i}`);
    return {
      symbol: symbols[i] ?? p.instrument.symbol,
      positionSide: p.positionSide,
      size: p.size,
      notional: m.notional,
      initialMargin: m.initialMargin,
      maintenanceMargin: m.maintenanceMargin,
      unrealizedPnl: m.unrealizedPnl,
      liquidationPrice: lp.liquidationPrice,
      liquidationReason: lp.liquidationReason,
      lowerLiquidationPrice: lp.lowerLiquidationPrice,
      lowerLiquidationReason: lp.lowerLiquidationReason,
      upperLiquidationPrice: lp.upperLiquidationPrice,
      upperLiquidationReason: lp.upperLiquidationReason,
      bankruptcyPrice: lp.bankruptcyPrice,
      bankruptcyReason: lp.bankruptcyReason,
      liquidatable: m.liquidatable,
    };
  });
  const liquidation: LiquidationReport[] = [];
  account.positions.forEach((p, i) => {
    const m = margin.positions[i];
    const row = positions[i];
    if (m === undefined || row === undefined || !m.liquidatable) return;
    const state = {
      notional: m.notional,
      equity: cross ? margin.equity : (m.isolatedEquity ?? 0),
      maintenanceMargin: cross ? margin.maintenanceMargin : m.maintenanceMargin,
    };
    const steps = venue.liquidationSteps({ ...state, tiers: p.tiers });
    liquidation.push({ position: i, symbol: row.symbol, positionSide: row.positionSide, state, steps });
  });
  const warnings = leverageWarnings(resolved, positions);
  return {
    venue: venue.id,
    marginMode: account.marginMode,
    marginAsset: account.positions[0]?.instrument.marginAsset ?? null,
    account: {
      equity: margin.equity,
      maintenanceMargin: margin.maintenanceMargin,
      initialMargin: margin.initialMargin,
      marginRatio: margin.marginRatio,
      equityToMaintenance: margin.equityToMaintenance,
      freeCollateral: margin.freeCollateral,
      liquidatable: margin.liquidatable,
    },
    positions,
    liquidation: liquidation.length > 0 ? liquidation : null,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** `long`/`short` from the sign, with `(hedge)` for a hedge-mode leg. */
export function sideLabel(size: number, positionSide: PositionSide): string {
  const side = size > 0 ? "long" : "short";
  return positionSide === "BOTH" ? side : `${side} (hedge)`;
}
