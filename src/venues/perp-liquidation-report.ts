/**
 * The `liquidate` report of a perpetual-venue account: per liquidatable position the venue's procedure,
 * the liquidation fee, the bankruptcy price and the insurance fund's result of closing it.
 */
import { unrealizedPnlAt } from "../margin/position.js";
import type { ResolvedAccount } from "./account-document.js";
import { liqPriceReport, sideLabel } from "./liq-price-report.js";
import type { LiquidationFill, LiquidationStep } from "./types.js";

/** One liquidatable perpetual position in `liqopt liquidate`. */
export interface PerpPositionLiquidation {
  position: number;
  symbol: string;
  side: string;
  size: number;
  markPrice: number;
  notional: number;
  liquidationPrice: number | null;
  bankruptcyPrice: number | null;
  /**
   * `liquidationFeeRate(symbol)` and the fee, in the margin asset: the fill's where the venue prices
   * its liquidation order (`fill`), else `rate × notional` at the mark.
   */
  liquidationFeeRate: number;
  liquidationFee: number;
  /**
   * The liquidation order closing the whole position where the venue prices one (dYdX v4): fillable
   * price, spread to the mark, and the fee capped by what remains above bankruptcy; null elsewhere.
   */
  fill: LiquidationFill | null;
  steps: LiquidationStep[];
  /**
   * The insurance fund's result of taking the position over at the bankruptcy price and closing it:
   * at the bankruptcy price nothing is left over (0); at the mark, `PnL(mark) − PnL(bankruptcy)`
   * (positive: the fund gains the surplus; negative: it pays the shortfall). Null without a
   * bankruptcy price.
   */
  insuranceFund: { closedAtBankruptcy: number | null; closedAtMark: number | null };
}

/** `liqopt liquidate --json` for a perpetual-venue account. */
export interface PerpLiquidateReport {
  venue: string;
  marginMode: string;
  marginAsset: string | null;
  liquidatable: boolean;
  positions: PerpPositionLiquidation[];
}

/**
 * For each liquidatable position of a perpetual-venue account: the venue's `liquidationSteps`, the
 * liquidation fee (`liquidationFeeRate × notional`, or the venue's priced fill: dYdX v4 caps the fee by
 * what remains above bankruptcy, so a bankrupt account pays 0), the bankruptcy price and the insurance
 * fund's result of closing at the bankruptcy price and at the mark. Empty `positions` when healthy.
 */
export function perpLiquidateReport(resolved: ResolvedAccount): PerpLiquidateReport {
  const report = liqPriceReport(resolved);
  const positions = (report.liquidation ?? []).map((l): PerpPositionLiquidation => {
    const p = resolved.account.positions[l.position];
    const row = report.positions[l.position];
    if (p === undefined || row === undefined) throw new Error(`no position ${l.position}`);
    const rate = resolved.venue.liquidationFeeRate(p.instrument.symbol);
    const bp = row.bankruptcyPrice;
    const fill =
      resolved.venue.liquidationFill === undefined || !(row.notional > 0)
        ? null
        : resolved.venue.liquidationFill({
            size: p.size * p.instrument.contractSize,
            markPrice: p.markPrice,
            maintenanceMarginFraction: row.maintenanceMargin / row.notional,
            equity: l.state.equity,
            maintenanceMargin: l.state.maintenanceMargin,
          });
    return {
      position: l.position,
      symbol: l.symbol,
      side: sideLabel(p.size, p.positionSide),
      size: p.size,
      markPrice: p.markPrice,
      notional: row.notional,
      liquidationPrice: row.liquidationPrice,
      bankruptcyPrice: bp,
      liquidationFeeRate: rate,
      liquidationFee: fill === null ? rate * row.notional : fill.fee,
      fill,
      steps: l.steps,
      insuranceFund: {
        closedAtBankruptcy: bp === null ? null : 0,
        closedAtMark: bp === null ? null : unrealizedPnlAt(p, p.markPrice) - unrealizedPnlAt(p, bp),
      },
    };
  });
  return {
    venue: report.venue,
    marginMode: report.marginMode,
    marginAsset: report.marginAsset,
    liquidatable: report.account.liquidatable,
    positions,
  };
}
