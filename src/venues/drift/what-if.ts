/**
 * The Drift `what-if` report: one deposit, withdrawal, size change or target liquidation price on the
 * exact calculation, before and after.
 */

import { InputError } from "../../errors.js";
import { fixedToDecimalText } from "../../math/fixed-point.js";
import { readNumberOption } from "../../validate.js";
import { type ResolvedDriftDocument, readSignedDecimalUnits } from "../drift-document.js";
import { BASE_PRECISION, baseAssetValue, marginCalculation, type PerpPosition } from "../drift-v2.js";
import type { WhatIfOptions } from "../lending/venue.js";
import { readDecimalUnits } from "../lending-document.js";
import { readPositionActionOption } from "../perp-what-if.js";
import {
  type DriftMarginReport,
  driftExactLiquidationPrice,
  driftMarginReport,
  quoteToUsd,
  repriced,
} from "./margin-report.js";

/** One Drift what-if action (amounts in USDC / base tokens / USD). */
export type DriftWhatIfAction =
  | { kind: "add-collateral" | "remove-collateral"; amount: string }
  | { kind: "size"; position: number; size: string; fillPrice: string | null }
  | { kind: "target-liq-price"; position: number; price: string };

/** The Drift `what-if` document. */
export interface DriftWhatIfReport {
  venue: "drift-v2";
  action: DriftWhatIfAction;
  /** For target-liq-price: USDC to deposit (negative: withdrawable), exact decimal. */
  collateralToAdd: string | null;
  before: DriftMarginReport;
  after: DriftMarginReport;
  /**
   * For target-liq-price: the recomputed exact liquidation price and whether it lies within `tolerance`
   * (USD) of the target: one tick, or the price step that moves the position's value by 1e-6 USD
   * (`⌈1e9/|base|⌉` ticks), the program's resolution for that position.
   */
  verification: {
    targetPrice: number;
    liquidationPrice: number | null;
    tolerance: number;
    matches: boolean;
  } | null;
}

function withQuote(doc: ResolvedDriftDocument, delta: bigint): ResolvedDriftDocument {
  return { ...doc, account: { ...doc.account, quoteBalance: doc.account.quoteBalance + delta } };
}

function positionAt(doc: ResolvedDriftDocument, index: number, option: string): PerpPosition {
  const p = doc.account.positions[index];
  if (p === undefined)
    throw new InputError(
      option,
      index,
      `is not a position index (the document has ${doc.account.positions.length})`,
      doc.account.positions.length === 0
        ? "The document has no positions."
        : `Use 0 to ${doc.account.positions.length - 1}.`,
    );
  return p;
}

/**
 * One what-if on a Drift account, on the exact calculation: deposit or withdraw USDC; change a
 * position's size (the change fills at `fillPrice`, default the oracle, and moves `quote_asset_amount`
 * by `−Δbase·fill`); or deposit what puts a position's liquidation price on a target:
 * `Δ = MR(P*) − TC(P*)` at the target tick (so `TC = MR`, not liquidatable, at P*), then recomputes the
 * liquidation price and checks it against the target to the program's price resolution for the
 * position. Bad amounts are {@link InputError}s naming the option.
 */
export function driftWhatIfReport(doc: ResolvedDriftDocument, action: DriftWhatIfAction): DriftWhatIfReport {
  const before = driftMarginReport(doc);
  let after: ResolvedDriftDocument;
  let collateralToAdd: string | null = null;
  let verification: DriftWhatIfReport["verification"] = null;
  switch (action.kind) {
    case "add-collateral":
    case "remove-collateral": {
      const option = `--${action.kind}`;
      const amount = readDecimalUnits(action.amount, option, 6, {
        excess: "reject",
        positive: true,
        fix: "Give USDC with at most 6 decimals, e.g. 500.",
      });
      if (action.kind === "remove-collateral" && amount > doc.account.quoteBalance)
        throw new InputError(
          option,
          action.amount,
          `exceeds the USDC deposit ${fixedToDecimalText(doc.account.quoteBalance, 6)}`,
          "Remove less.",
        );
      after = withQuote(doc, action.kind === "add-collateral" ? amount : -amount);
      break;
    }
    case "size": {
      const p = positionAt(doc, action.position, "--position");
      const size = readSignedDecimalUnits(
        action.size,
        "--size",
        9,
        "Give the new signed base size, e.g. 50 (0 closes).",
      );
      const fill =
        action.fillPrice === null
          ? p.oraclePrice
          : readDecimalUnits(action.fillPrice, "--fill-price", 6, {
              excess: "truncate",
              positive: true,
              fix: "A positive USD price.",
            });
      const delta = size - p.baseAssetAmount;
      const cost = baseAssetValue(delta, fill);
      const positions = doc.account.positions.map((q, i) =>
        i === action.position
          ? {
              ...q,
              baseAssetAmount: size,
              quoteAssetAmount: q.quoteAssetAmount + (delta > 0n ? -cost : cost),
            }
          : q,
      );
      after = { ...doc, account: { ...doc.account, positions } };
      break;
    }
    case "target-liq-price": {
      const p = positionAt(doc, action.position, "--position");
      const target = readDecimalUnits(action.price, "--target-liq-price", 6, {
        excess: "truncate",
        positive: true,
        fix: "A positive USD price.",
      });
      if (p.baseAssetAmount === 0n)
        throw new InputError(
          "--position",
          action.position,
          "is flat: it has no liquidation price",
          "Pick an open position.",
        );
      const long = p.baseAssetAmount > 0n;
      if (long ? target >= p.oraclePrice : target <= p.oraclePrice)
        throw new InputError(
          "--target-liq-price",
          action.price,
          `must be ${long ? "below" : "above"} the oracle price ${quoteToUsd(p.oraclePrice)} for a ${long ? "long" : "short"}`,
          "A liquidation price lies on the losing side of the oracle.",
        );
      const at = marginCalculation(repriced(doc.account, action.position, target), "maintenance");
      const delta = at.marginRequirement - at.totalCollateral;
      if (doc.account.quoteBalance + delta < 0n)
        throw new InputError(
          "--target-liq-price",
          action.price,
          `is out of reach: it needs ${fixedToDecimalText(-delta, 6)} USDC withdrawn but ${fixedToDecimalText(doc.account.quoteBalance, 6)} is deposited`,
          "Choose a target closer to the oracle price.",
        );
      collateralToAdd = fixedToDecimalText(delta, 6);
      after = withQuote(doc, delta);
      const lp = driftExactLiquidationPrice(after.account, action.position);
      // the position's value |base|·P/1e9 moves in 1e-6 USD steps, i.e. every ⌈1e9/|base|⌉ price ticks
      const size = long ? p.baseAssetAmount : -p.baseAssetAmount;
      const step = (BASE_PRECISION + size - 1n) / size;
      const tolerance = step > 1n ? step : 1n;
      const gap = lp === null ? null : lp > target ? lp - target : target - lp;
      verification = {
        targetPrice: quoteToUsd(target),
        liquidationPrice: lp === null ? null : quoteToUsd(lp),
        tolerance: quoteToUsd(tolerance),
        matches: gap !== null && gap <= tolerance,
      };
      break;
    }
  }
  return {
    venue: "drift-v2",
    action,
    collateralToAdd,
    before,
    after: driftMarginReport(after),
    verification,
  };
}

/**
 * Reads one Drift what-if action from the perpetual options (`--add-collateral`, `--remove-collateral`,
 * `--size` with `--fill-price`, `--target-liq-price`, `--target-distance` as a fraction of the oracle);
 * amounts stay exact decimal text for {@link driftWhatIfReport}. Errors name the option.
 */
export function readDriftAction(opts: WhatIfOptions, doc: ResolvedDriftDocument): DriftWhatIfAction {
  const [option, raw] = readPositionActionOption(opts);
  const count = doc.account.positions.length;
  const position = readNumberOption(opts.position ?? "0", "--position", {
    min: 0,
    fix: count === 0 ? "The document has no positions." : `Use 0 to ${count - 1}.`,
  });
  if (!Number.isInteger(position))
    throw new InputError("--position", position, "must be a whole number", "Give a position index.");
  switch (option) {
    case "--add-collateral":
      return { kind: "add-collateral", amount: raw };
    case "--remove-collateral":
      return { kind: "remove-collateral", amount: raw };
    case "--size":
      return { kind: "size", position, size: raw, fillPrice: opts.fillPrice ?? null };
    case "--target-liq-price":
      return { kind: "target-liq-price", position, price: raw };
    case "--target-distance": {
      const distance = readNumberOption(raw, "--target-distance", {
        min: 0,
        exclusiveMin: true,
        max: 1,
        exclusiveMax: true,
        fix: "Give a fraction of the oracle price in (0, 1): 0.1 for 10 %.",
      });
      const p = doc.account.positions[position];
      if (p === undefined)
        throw new InputError(
          "--position",
          position,
          `is not a position index (the document has ${count})`,
          `Use 0 to ${count - 1}.`,
        );
      const oracle = Number(p.oraclePrice) / 1e6;
      const price = oracle * (1 - Math.sign(Number(p.baseAssetAmount)) * distance);
      return { kind: "target-liq-price", position, price: price.toFixed(6) };
    }
  }
}
