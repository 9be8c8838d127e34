import type { MaintenanceBasis, Position } from "./types.js";

/**
 * Notional of a position at `price`, in the margin asset's units:
 * linear `|q|·contractSize·P` (quote), inverse `|q|·contractSize / P` (coin).
 */
export function notionalAt(position: Position, price: number): number {
  const units = Math.abs(position.size) * position.instrument.contractSize;
  return position.instrument.kind === "linear" ? units * price : units / price;
}

/**
 * Unrealised PnL at `price`, in the margin asset:
 * linear `q·cs·(P − E)`, inverse `q·cs·(1/E − 1/P)` (Binance COIN-M and BitMEX inverse PnL).
 */
export function unrealizedPnlAt(position: Position, price: number): number {
  const units = position.size * position.instrument.contractSize;
  return position.instrument.kind === "linear"
    ? units * (price - position.entryPrice)
    : units * (1 / position.entryPrice - 1 / price);
}

/**
 * A position written as linear functions of the venue's "price coordinate" `u`
 * (`u = P` for linear contracts, `u = 1/P` for inverse ones), in which both its PnL and its
 * maintenance notional are affine:
 * `pnl(u) = a·u + b`, maintenance notional `n·u + m`, and the notional at the mark (on which a
 * closing fee is charged) `units·u`.
 * With the tier fixed, equity minus maintenance margin is then affine in `u`, which is what makes
 * the liquidation price a closed-form solve per tier.
 */
export interface AffineExposure {
  a: number;
  b: number;
  n: number;
  m: number;
  units: number;
}

/** The {@link AffineExposure} of a position for a maintenance basis (mark or entry notional). */
export function affineExposure(position: Position, basis: MaintenanceBasis): AffineExposure {
  const q = position.size * position.instrument.contractSize;
  const units = Math.abs(q);
  const linear = position.instrument.kind === "linear";
  const a = linear ? q : -q;
  const b = linear ? -q * position.entryPrice : q / position.entryPrice;
  if (basis === "entry") {
    return { a, b, n: 0, m: linear ? units * position.entryPrice : units / position.entryPrice, units };
  }
  return { a, b, n: units, m: 0, units };
}

/** Converts a price to the price coordinate `u` of {@link AffineExposure}. */
export function toCoordinate(position: Position, price: number): number {
  return position.instrument.kind === "linear" ? price : 1 / price;
}

/** Converts a price coordinate `u` back to a price (`Infinity` for `u = 0` on an inverse contract). */
export function fromCoordinate(position: Position, u: number): number {
  return position.instrument.kind === "linear" ? u : 1 / u;
}

/** The side of a position: +1 long, −1 short. */
export function sideOf(position: Position): 1 | -1 {
  return position.size > 0 ? 1 : -1;
}
