/**
 * `what-if` on a perpetual-venue account: one collateral change, size change, or the collateral that puts
 * a position's liquidation price on a target, with the liquidation price, equity and maintenance margin
 * before and after (`margin/whatif.ts`).
 */
import { InputError } from "../errors.js";
import { formatNumber } from "../format.js";
import type { Account, Position } from "../margin/types.js";
import {
  collateralForDistance,
  collateralForLiquidationPrice,
  compareAccounts,
  type WhatIfComparison,
  withCollateral,
  withSize,
} from "../margin/whatif.js";
import { readNumberOption } from "../validate.js";
import type { ResolvedAccount } from "./account-document.js";
import { readOneAction, type WhatIfOptions } from "./lending/venue.js";

/** The one change `what-if` applies. */
export type PerpWhatIfAction =
  | { kind: "add-collateral"; amount: number }
  | { kind: "remove-collateral"; amount: number }
  | { kind: "size"; size: number; fillPrice: number | null }
  | { kind: "target-liq-price"; price: number }
  | { kind: "target-distance"; distance: number };

/** The `what-if --json` document of a position (perpetual-venue) account. */
export interface PerpWhatIfReport {
  venue: string;
  marginMode: Account["marginMode"];
  marginAsset: string;
  position: {
    index: number;
    symbol: string;
    positionSide: Position["positionSide"];
    size: number;
    markPrice: number;
  };
  action: PerpWhatIfAction;
  /** For target actions: collateral to add (negative: can be withdrawn); null otherwise. */
  collateralToAdd: number | null;
  before: WhatIfComparison["before"];
  after: WhatIfComparison["after"];
  /** For target actions: the target and whether the recomputed liquidation price meets it. */
  verification: { targetPrice: number; liquidationPrice: number | null; matches: boolean } | null;
}

/** The position actions of `what-if`, each with its option key. */
const POSITION_ACTIONS = [
  ["--add-collateral", "addCollateral"],
  ["--remove-collateral", "removeCollateral"],
  ["--size", "size"],
  ["--target-liq-price", "targetLiqPrice"],
  ["--target-distance", "targetDistance"],
] as const;

/**
 * The one position action the options give, with its raw value: none, two, or `--fill-price` without
 * `--size` are {@link InputError}s naming the option. Shared by perpetual-venue and Drift documents.
 */
export function readPositionActionOption(
  opts: WhatIfOptions,
): [(typeof POSITION_ACTIONS)[number][0], string] {
  const first = readOneAction(opts, POSITION_ACTIONS);
  if (opts.fillPrice !== undefined && first[0] !== "--size")
    throw new InputError(
      "--fill-price",
      opts.fillPrice,
      "only applies with --size",
      "Add --size or drop --fill-price.",
    );
  return [first[0], opts[first[1]] as string];
}

/** Validates `--position`: an integer index of an existing position. */
export function readPositionIndex(raw: string, account: Account): number {
  const count = account.positions.length;
  const fix = count === 0 ? "The document has no positions." : `Use 0 to ${count - 1}.`;
  const index = readNumberOption(raw, "--position", { min: 0, fix });
  if (!Number.isInteger(index) || index >= count) {
    const problem = `must be a whole number below ${count}, the number of positions in the document`;
    throw new InputError("--position", index, problem, fix);
  }
  return index;
}

/**
 * Reads exactly one action from the options, checking each number (finite, sign, side of the
 * mark, amount available) and the combinations; every failure names the option.
 */
export function readPerpWhatIfAction(opts: WhatIfOptions, account: Account, index: number): PerpWhatIfAction {
  const [option, raw] = readPositionActionOption(opts);
  const p = account.positions[index] as Position;
  const long = p.size > 0;
  switch (option) {
    case "--add-collateral":
    case "--remove-collateral": {
      const amount = readNumberOption(raw, option, {
        min: 0,
        exclusiveMin: true,
        fix: "Give a positive amount in the margin asset, e.g. 1000.",
      });
      if (option === "--add-collateral") return { kind: "add-collateral", amount };
      const available = account.marginMode === "cross" ? account.walletBalance : (p.isolatedMargin ?? 0);
      if (amount > available) {
        throw new InputError(
          option,
          amount,
          `exceeds the ${account.marginMode === "cross" ? "wallet balance" : "isolated margin"} ${available}`,
          "Remove less.",
        );
      }
      return { kind: "remove-collateral", amount };
    }
    case "--size": {
      const size = readNumberOption(raw, "--size", { fix: "Give the new signed size, e.g. 0.5 (0 closes)." });
      if (size !== 0 && Math.sign(size) !== Math.sign(p.size)) {
        throw new InputError(
          "--size",
          size,
          `flips the ${long ? "long" : "short"} position's side`,
          `Keep the sign of ${p.size}, or 0 to close.`,
        );
      }
      const fillPrice =
        opts.fillPrice === undefined
          ? null
          : readNumberOption(opts.fillPrice, "--fill-price", {
              min: 0,
              exclusiveMin: true,
              fix: "Give a positive price.",
            });
      return { kind: "size", size, fillPrice };
    }
    case "--target-liq-price": {
      const price = readNumberOption(raw, "--target-liq-price", {
        min: 0,
        exclusiveMin: true,
        fix: "Give a positive price.",
      });
      if (long ? price >= p.markPrice : price <= p.markPrice) {
        throw new InputError(
          "--target-liq-price",
          price,
          `must be ${long ? "below" : "above"} the mark price ${p.markPrice} for a ${long ? "long" : "short"}`,
          "A liquidation price lies on the losing side of the mark.",
        );
      }
      return { kind: "target-liq-price", price };
    }
    case "--target-distance": {
      const distance = readNumberOption(raw, "--target-distance", {
        min: 0,
        exclusiveMin: true,
        max: 1,
        exclusiveMax: true,
        fix: "Give a fraction of the mark price in (0, 1): 0.1 for 10 %.",
      });
      return { kind: "target-distance", distance };
    }
  }
}

/** Applies a collateral change, turning "removes more than there is" into an error on `option`. */
function applyCollateral(
  account: Account,
  delta: number,
  index: number,
  option: string,
  value: number,
): Account {
  const p = account.positions[index] as Position;
  const cross = account.marginMode === "cross";
  const available = cross ? account.walletBalance : (p.isolatedMargin ?? 0);
  if (available + delta < 0) {
    throw new InputError(
      option,
      value,
      `is out of reach: it needs ${formatNumber(-delta)} withdrawn but the ${cross ? "wallet balance" : "isolated margin"} is ${formatNumber(available)}`,
      "Choose a target closer to the mark price.",
    );
  }
  return withCollateral(account, delta, index);
}

/**
 * Runs one what-if on a resolved account: add/remove collateral (`withCollateral`), change the
 * size (`withSize`), or find the collateral for a target liquidation price or distance
 * (`collateralForLiquidationPrice` / `collateralForDistance`) and verify it by recomputing the
 * liquidation price after applying it. Before/after figures come from `compareAccounts`.
 */
export function perpWhatIfReport(
  resolved: ResolvedAccount,
  index: number,
  action: PerpWhatIfAction,
): PerpWhatIfReport {
  const { account, rules } = resolved;
  const p = account.positions[index] as Position;
  let after: Account;
  let collateralToAdd: number | null = null;
  let targetPrice: number | null = null;
  switch (action.kind) {
    case "add-collateral":
      after = withCollateral(account, action.amount, index);
      break;
    case "remove-collateral":
      after = withCollateral(account, -action.amount, index);
      break;
    case "size":
      after = withSize(account, index, action.size, action.fillPrice ?? undefined);
      break;
    case "target-liq-price":
      targetPrice = action.price;
      collateralToAdd = collateralForLiquidationPrice(account, rules, index, action.price);
      after = applyCollateral(account, collateralToAdd, index, "--target-liq-price", action.price);
      break;
    case "target-distance":
      targetPrice = p.markPrice * (1 - Math.sign(p.size) * action.distance);
      collateralToAdd = collateralForDistance(account, rules, index, action.distance);
      after = applyCollateral(account, collateralToAdd, index, "--target-distance", action.distance);
      break;
  }
  const comparison = compareAccounts(account, after, rules, index);
  const lp = comparison.after.liquidationPrice;
  return {
    venue: resolved.venue.id,
    marginMode: account.marginMode,
    marginAsset: p.instrument.marginAsset,
    position: {
      index,
      symbol: resolved.symbols[index] ?? p.instrument.symbol,
      positionSide: p.positionSide,
      size: p.size,
      markPrice: p.markPrice,
    },
    action,
    collateralToAdd,
    ...comparison,
    verification:
      targetPrice === null
        ? null
        : {
            targetPrice,
            liquidationPrice: lp,
            matches: lp !== null && Math.abs(lp - targetPrice) <= 1e-6 * targetPrice,
          },
  };
}
