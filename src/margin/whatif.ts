import { InputError } from "../errors.js";
import { accountMargin } from "./account.js";
import { liquidationMarginAt, liquidationPrices } from "./liquidation.js";
import { notionalAt, sideOf, toCoordinate, unrealizedPnlAt } from "./position.js";
import { tierFor } from "./tiers.js";
import type { Account, MarginRules, Position } from "./types.js";

function positionAt(account: Account, index: number): Position {
  const p = account.positions[index];
  if (p === undefined) {
    throw new InputError(
      "position",
      index,
      `is not a position index (0–${account.positions.length - 1})`,
      "Pick an existing position.",
    );
  }
  return p;
}

/**
 * The account after adding (`delta > 0`) or removing (`delta < 0`) collateral: to the wallet in
 * cross mode, to the position's isolated margin in isolated mode. Removing more than there is, is
 * an {@link InputError}.
 */
export function withCollateral(account: Account, delta: number, index = 0): Account {
  if (account.marginMode === "cross") {
    const walletBalance = account.walletBalance + delta;
    if (walletBalance < 0) {
      throw new InputError(
        "collateral",
        delta,
        `removes more than the wallet balance ${account.walletBalance}`,
        "Remove less.",
      );
    }
    return { ...account, walletBalance };
  }
  const p = positionAt(account, index);
  const isolatedMargin = (p.isolatedMargin ?? 0) + delta;
  if (isolatedMargin < 0) {
    throw new InputError(
      "collateral",
      delta,
      `removes more than the isolated margin ${p.isolatedMargin ?? 0}`,
      "Remove less.",
    );
  }
  return {
    ...account,
    positions: account.positions.map((q, i) => (i === index ? { ...q, isolatedMargin } : q)),
  };
}

/**
 * The account after changing a position's size to `newSize` (same sign, or 0 to close) by trading at
 * `fillPrice` (default: the mark). Adding averages the entry price, `E' = (q·E + Δq·F)/(q + Δq)`;
 * reducing keeps the entry and realises `Δq·cs·(F − E)` (linear) into the wallet; in isolated mode a
 * reduction also releases the same share of isolated margin to the wallet, and an increase is
 * margined by moving `Δnotional / leverage` from the wallet (leverage: the position's, else the
 * tier's maximum).
 */
export function withSize(account: Account, index: number, newSize: number, fillPrice?: number): Account {
  const p = positionAt(account, index);
  if (newSize !== 0 && Math.sign(newSize) !== Math.sign(p.size)) {
    throw new InputError(
      "size",
      newSize,
      "flips the position's side",
      "Close the position (size 0) and open the other side separately.",
    );
  }
  const price = fillPrice ?? p.markPrice;
  const grows = Math.abs(newSize) > Math.abs(p.size);
  let wallet = account.walletBalance;
  let next: Position | null;
  if (grows) {
    const entryPrice = averageEntry(p, newSize, price);
    next = { ...p, size: newSize, entryPrice };
    if (account.marginMode === "isolated") {
      const addedNotional = notionalAt({ ...p, size: newSize - p.size }, price);
      const move = addedNotional / (p.leverage ?? tierFor(p.tiers, notionalAt(next, price)).maxLeverage);
      wallet -= move;
      next = { ...next, isolatedMargin: (p.isolatedMargin ?? 0) + move };
    }
  } else {
    const closed: Position = { ...p, size: p.size - newSize };
    const realised = unrealizedPnlAt(closed, price);
    const keep = newSize / p.size;
    wallet += realised;
    if (account.marginMode === "isolated") wallet += (p.isolatedMargin ?? 0) * (1 - keep);
    next =
      newSize === 0
        ? null
        : {
            ...p,
            size: newSize,
            ...(p.isolatedMargin === undefined ? {} : { isolatedMargin: p.isolatedMargin * keep }),
          };
  }
  const positions = account.positions.flatMap((q, i) => (i !== index ? [q] : next === null ? [] : [next]));
  return { ...account, walletBalance: wallet, positions };
}

/** Size-weighted entry after adding at `price` (for inverse contracts, the harmonic mean, as venues do). */
function averageEntry(p: Position, newSize: number, price: number): number {
  const added = newSize - p.size;
  if (p.instrument.kind === "linear") return (p.size * p.entryPrice + added * price) / newSize;
  return newSize / (p.size / p.entryPrice + added / price);
}

/**
 * Collateral to add (negative: that can be withdrawn) so that position `index`'s liquidation price
 * becomes `targetPrice`. Equity minus maintenance margin is affine in collateral, with slope 1 less
 * the rise of the fees to close charged at bankruptcy prices that the collateral moves, so the amount
 * is exact: `Δ = −f(u*)/(∂f/∂Δ)` with `f` the group's equity − maintenance at the target (tier at the
 * target included), repeated where a fee's bankruptcy price reaches the end of the price range. The target must lie on the adverse side of the mark (below it for a long).
 */
export function collateralForLiquidationPrice(
  account: Account,
  rules: MarginRules,
  index: number,
  targetPrice: number,
): number {
  const p = positionAt(account, index);
  if (!(targetPrice > 0) || !Number.isFinite(targetPrice)) {
    throw new InputError(
      "targetPrice",
      targetPrice,
      "must be a positive price",
      "Give a price such as 42000.",
    );
  }
  const long = sideOf(p) > 0;
  if (long ? targetPrice >= p.markPrice : targetPrice <= p.markPrice) {
    throw new InputError(
      "targetPrice",
      targetPrice,
      `must be ${long ? "below" : "above"} the mark price ${p.markPrice} for a ${long ? "long" : "short"}`,
      "A liquidation price lies on the losing side of the mark.",
    );
  }
  const u = toCoordinate(p, targetPrice);
  // Newton's steps on f(Δ), concave and piecewise affine in Δ (a fee to close kinks where a bankruptcy
  // price reaches the end of the price range): one step without a fee, one per kink crossed with one.
  let delta = 0;
  for (let step = 0; step < 16; step++) {
    const { value, perCollateral } = liquidationMarginAt(shifted(account, index, delta), rules, index, u);
    const move = -value / perCollateral;
    delta += move;
    if (!(Math.abs(move) > 1e-13 * Math.abs(delta))) break;
  }
  return delta;
}

/** The account with `delta` more collateral where {@link withCollateral} puts it, even below zero. */
function shifted(account: Account, index: number, delta: number): Account {
  if (delta === 0) return account;
  if (account.marginMode === "cross") return { ...account, walletBalance: account.walletBalance + delta };
  return {
    ...account,
    positions: account.positions.map((q, i) =>
      i === index ? { ...q, isolatedMargin: (q.isolatedMargin ?? 0) + delta } : q,
    ),
  };
}

/**
 * Collateral to add (negative: removable) so that the liquidation price sits a fraction `distance`
 * away from the mark: `P* = mark·(1 − d)` for a long, `mark·(1 + d)` for a short.
 */
export function collateralForDistance(
  account: Account,
  rules: MarginRules,
  index: number,
  distance: number,
): number {
  const p = positionAt(account, index);
  if (!(distance > 0 && distance < 1)) {
    throw new InputError("distance", distance, "must be a fraction in (0, 1)", "Write 10 % as 0.1.");
  }
  return collateralForLiquidationPrice(account, rules, index, p.markPrice * (1 - sideOf(p) * distance));
}

/** Liquidation price of position `index` and account margin, before and after a change. */
export interface WhatIfComparison {
  before: { liquidationPrice: number | null; equity: number; maintenanceMargin: number };
  after: { liquidationPrice: number | null; equity: number; maintenanceMargin: number };
}

/** Compares position `index` (by symbol, as sizes may change) before and after `changed`. */
export function compareAccounts(
  before: Account,
  after: Account,
  rules: MarginRules,
  index: number,
): WhatIfComparison {
  const symbol = positionAt(before, index).instrument.symbol;
  const side = positionAt(before, index).positionSide;
  const view = (a: Account) => {
    const i = a.positions.findIndex((p) => p.instrument.symbol === symbol && p.positionSide === side);
    const m = accountMargin(a, rules);
    return {
      liquidationPrice: i < 0 ? null : (liquidationPrices(a, rules)[i]?.liquidationPrice ?? null),
      equity: m.equity,
      maintenanceMargin: m.maintenanceMargin,
    };
  };
  return { before: view(before), after: view(after) };
}
