import { InputError } from "../../errors.js";
import type { Readable } from "../../format.js";

/**
 * The shared shape of a lending venue (Aave v3, Compound v3, Maker, Drift v2): what a front end needs to
 * turn an account document into the health, liquidation-price, what-if and liquidation results. Each
 * venue implements it in its own file; `registry.ts` lists them by document `venue`.
 */

/** A health factor, exact (as the protocol computes it, decimal string or `"max"`) and float. */
export interface HealthFactorFigures {
  /** WAD health factor as a decimal string; `"max"` without debt. */
  exact: string;
  /** `Σ C·LT / D` in floats (`Infinity`, printed as null in JSON, without debt). */
  float: number;
}

/** An amount of a token: exact decimal string in tokens and its USD value. */
export interface TokenAmount {
  symbol: string;
  amount: string;
  usd: number;
}

/**
 * The `what-if` options as a front end hands them over (strings, as typed): lending documents read
 * `--asset` with one of `--add-collateral`, `--remove-collateral`, `--repay`, `--borrow`, `--target-hf`;
 * position documents read `--position` with one of `--add-collateral`, `--remove-collateral`, `--size`
 * (and `--fill-price`), `--target-liq-price`, `--target-distance`.
 */
export interface WhatIfOptions {
  position?: string;
  asset?: string;
  addCollateral?: string;
  removeCollateral?: string;
  repay?: string;
  borrow?: string;
  targetHf?: string;
  size?: string;
  fillPrice?: string;
  targetLiqPrice?: string;
  targetDistance?: string;
}

/**
 * The one action among `actions` (`[flag, option key, …]`) the options give; none, or two, is an
 * {@link InputError} naming the option (`forWhat` ends the "pass one of" fix, e.g. `" for a lending document"`).
 */
export function readOneAction<A extends readonly [string, keyof WhatIfOptions, ...string[]]>(
  opts: WhatIfOptions,
  actions: readonly A[],
  forWhat = "",
): A {
  const [first, second] = actions.filter(([, key]) => opts[key] !== undefined);
  if (first === undefined)
    throw new InputError(
      "what-if",
      undefined,
      "needs an action",
      `Pass one of ${actions.map(([o]) => o).join(", ")}${forWhat}.`,
    );
  if (second !== undefined)
    throw new InputError(
      second[0],
      opts[second[1]],
      `cannot be combined with ${first[0]}`,
      "Pass one action per run.",
    );
  return first;
}

/** The `what-if` options of a lending (money-market) document: `--asset` and its five actions. */
export const LENDING_WHAT_IF_OPTIONS = [
  "asset",
  "addCollateral",
  "removeCollateral",
  "repay",
  "borrow",
  "targetHf",
] as const satisfies readonly (keyof WhatIfOptions)[];

/** The `what-if` options of a position document: `--position` and its five actions (`--size` with `--fill-price`). */
export const POSITION_WHAT_IF_OPTIONS = [
  "position",
  "addCollateral",
  "removeCollateral",
  "size",
  "fillPrice",
  "targetLiqPrice",
  "targetDistance",
] as const satisfies readonly (keyof WhatIfOptions)[];

/** The `liquidate` options (Aave's `liquidationCall` arguments; all optional). */
export interface LiquidateOptions {
  /** Collateral to seize (default: the largest by value). */
  collateral?: string;
  /** Debt to repay (default: the largest by value). */
  debt?: string;
  /** Debt tokens to repay, or `"max"` (default: the maximum allowed). */
  debtToCover?: string;
}

/** The document and result types of one lending venue. */
export interface LendingVenueTypes {
  /** The resolved document. */
  doc: unknown;
  /** `health` result: at least whether the account is liquidatable. */
  health: { liquidatable: boolean };
  /** `liq-price --json`. */
  liqPrice: unknown;
  /** `what-if --json`. */
  whatIf: unknown;
  /** `liquidate --json`. */
  liquidate: unknown;
}

/**
 * A lending venue: reads its account document, and computes from it the health, the liquidation price
 * of each collateral (`liq-price`), one change (`what-if`) and the liquidation (`liquidate`). Every
 * result is a plain JSON-serialisable object; bad input is an `InputError` naming the field or option.
 */
export interface LendingVenue<T extends LendingVenueTypes> {
  /** The document's `venue`. */
  readonly id: string;
  /** Display name, e.g. `"Aave v3"`. */
  readonly name: string;
  /** The line `liqopt venues` prints for it: the kind, what the document carries, its reference page. */
  readonly note: string;
  /** The {@link LiquidateOptions} this venue reads; a front end refuses the others. */
  readonly liquidateOptions: readonly (keyof LiquidateOptions)[];
  /** The {@link WhatIfOptions} this venue reads. */
  readonly whatIfOptions: readonly (keyof WhatIfOptions)[];
  /** Reads a parsed document of this venue (every bad field an `InputError` naming it). */
  resolve(raw: unknown): T["doc"];
  /** Health of the account (exact where the protocol is exact) and whether it can be liquidated now. */
  health(doc: T["doc"]): T["health"];
  /** Health, per-collateral (or per-position) liquidation prices and totals: `liq-price --json`. */
  liqPriceReport(doc: T["doc"]): T["liqPrice"];
  /** One change to the account and its effect: `what-if --json` (`raw` is the parsed document). */
  whatIfReport(raw: unknown, doc: T["doc"], options: WhatIfOptions): T["whatIf"];
  /** The venue's liquidation of the account, step by step: `liquidate --json`. */
  liquidateReport(doc: T["doc"], options: LiquidateOptions): T["liquidate"];
  /** The readable form of each report, as lines and tables (a front end draws the tables). */
  readonly text: {
    liqPrice(report: T["liqPrice"]): Readable;
    whatIf(report: T["whatIf"]): Readable;
    liquidate(report: T["liquidate"]): Readable;
  };
}
