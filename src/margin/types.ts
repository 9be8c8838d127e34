import type { TierTable } from "./tiers.js";

/** Linear contracts settle PnL in the quote currency; inverse contracts settle in the coin. */
export type ContractKind = "linear" | "inverse";
/** `BOTH` is one-way mode; `LONG`/`SHORT` are the two legs of hedge mode. */
export type PositionSide = "BOTH" | "LONG" | "SHORT";

/** Which way a position loses: a long loses when the price falls, a short when it rises. */
export type Direction = "long" | "short";

/** The directions, for input validation. */
export const DIRECTIONS: readonly Direction[] = ["long", "short"];
export type MarginMode = "cross" | "isolated";
/**
 * The notional on which a venue computes maintenance margin: at the mark price (Binance,
 * Hyperliquid, dYdX) or at the entry price (Bybit's classic isolated formula, BitMEX).
 */
export type MaintenanceBasis = "mark" | "entry";

/** A perpetual or dated future. */
export interface Instrument {
  symbol: string;
  kind: ContractKind;
  /**
   * Size of one contract: base units per contract for linear contracts (1 for Binance USDⓈ-M,
   * where sizes are in the coin), quote units (USD) per contract for inverse ones (100 for
   * Binance COIN-M BTCUSD, 1 for BitMEX XBTUSD).
   */
  contractSize: number;
  /** Price increment, where bundled; liquidation and bankruptcy prices are rounded to it where `MarginRules.roundsToTick`. */
  tickSize?: number;
  /** Size increment (contracts), where bundled. */
  stepSize?: number;
  /** Asset in which margin, PnL and the maintenance margin are counted (USDT, USDC, BTC, …). */
  marginAsset: string;
}

/** A position with everything needed to margin it (the instrument and its tier table resolved). */
export interface Position {
  instrument: Instrument;
  tiers: TierTable;
  /** Signed size in contracts: positive long, negative short. */
  size: number;
  entryPrice: number;
  markPrice: number;
  positionSide: PositionSide;
  /** Margin assigned to the position in isolated mode (Binance `isolatedWalletBalance`). */
  isolatedMargin?: number;
  /** Leverage chosen for the position; defaults to the tier's maximum when absent. */
  leverage?: number;
  /** Funding accrued but not yet settled to the wallet, in the margin asset (positive = received). */
  accruedFunding: number;
}

/** The parts of a venue's margin rules the engine needs. */
export interface MarginRules {
  maintenanceBasis: MaintenanceBasis;
  /**
   * Estimated fee to close, as a fraction of the notional at the bankruptcy price, added to
   * maintenance margin (Bybit inverse: the taker fee).
   */
  closeFeeRate: number;
  /** Whether equity exactly equal to maintenance margin already liquidates (Binance: margin ratio ≥ 100 %). */
  liquidateAtEquality: boolean;
  /**
   * Whether the venue rounds liquidation and bankruptcy prices to the instrument's `tickSize`, toward
   * the mark (Bybit inverse: a long's bankruptcy price up, a short's down). Absent: not rounded.
   */
  roundsToTick?: boolean;
}

/** A margin account: one wallet in one margin asset and its positions. */
export interface Account {
  marginMode: MarginMode;
  /**
   * Wallet balance in the margin asset. In cross mode it backs every position; in isolated mode it
   * is the balance not assigned to any position (each position is backed by its `isolatedMargin`).
   */
  walletBalance: number;
  positions: readonly Position[];
}
