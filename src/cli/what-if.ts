import type { Command } from "@commander-js/extra-typings";
import {
  type Account,
  collateralForDistance,
  collateralForLiquidationPrice,
  compareAccounts,
  InputError,
  type Position,
  type ResolvedAccount,
  type WhatIfComparison,
  withCollateral,
  withSize,
} from "../index.js";
import { resolveAccountDocument } from "../venues/account-document.js";
import {
  type DriftWhatIfAction,
  type DriftWhatIfReport,
  driftWhatIfReport,
  isDriftDocument,
  type ResolvedDriftDocument,
  resolveDriftDocument,
} from "../venues/drift-document.js";
import { isLendingDocument, resolveLendingDocument } from "../venues/lending-document.js";
import { formatNumber, parseJson, readInput, readNumberOption, renderTable, toJson, writeOut } from "./io.js";
import {
  LENDING_ONLY_OPTIONS,
  lendingWhatIfReport,
  readLendingAction,
  renderLendingWhatIf,
} from "./lending-what-if.js";
import { driftAccountRows, sideLabel } from "./liq-price.js";

/** The one change `what-if` applies. */
export type WhatIfAction =
  | { kind: "add-collateral"; amount: number }
  | { kind: "remove-collateral"; amount: number }
  | { kind: "size"; size: number; fillPrice: number | null }
  | { kind: "target-liq-price"; price: number }
  | { kind: "target-distance"; distance: number };

/** The raw `what-if` options as commander hands them over. */
export interface WhatIfOptions {
  position: string;
  addCollateral?: string;
  removeCollateral?: string;
  size?: string;
  fillPrice?: string;
  targetLiqPrice?: string;
  targetDistance?: string;
}

/** The `what-if --json` document. */
export interface WhatIfReport {
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
  action: WhatIfAction;
  /** For target actions: collateral to add (negative: can be withdrawn); null otherwise. */
  collateralToAdd: number | null;
  before: WhatIfComparison["before"];
  after: WhatIfComparison["after"];
  /** For target actions: the target and whether the recomputed liquidation price meets it. */
  verification: { targetPrice: number; liquidationPrice: number | null; matches: boolean } | null;
}

const ACTION_OPTIONS = [
  ["--add-collateral", "addCollateral"],
  ["--remove-collateral", "removeCollateral"],
  ["--size", "size"],
  ["--target-liq-price", "targetLiqPrice"],
  ["--target-distance", "targetDistance"],
] as const;

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
export function readAction(opts: WhatIfOptions, account: Account, index: number): WhatIfAction {
  const given = ACTION_OPTIONS.filter(([, key]) => opts[key] !== undefined);
  const [first, second] = given;
  if (first === undefined) {
    throw new InputError(
      "what-if",
      undefined,
      "needs an action",
      `Pass one of ${ACTION_OPTIONS.map(([o]) => o).join(", ")}.`,
    );
  }
  if (second !== undefined) {
    throw new InputError(
      second[0],
      opts[second[1]],
      `cannot be combined with ${first[0]}`,
      "Pass one action per run.",
    );
  }
  if (opts.fillPrice !== undefined && first[0] !== "--size") {
    throw new InputError(
      "--fill-price",
      opts.fillPrice,
      "only applies with --size",
      "Add --size or drop --fill-price.",
    );
  }
  const p = account.positions[index] as Position;
  const raw = opts[first[1]] as string;
  const long = p.size > 0;
  switch (first[0]) {
    case "--add-collateral":
    case "--remove-collateral": {
      const amount = readNumberOption(raw, first[0], {
        min: 0,
        exclusiveMin: true,
        fix: "Give a positive amount in the margin asset, e.g. 1000.",
      });
      if (first[0] === "--add-collateral") return { kind: "add-collateral", amount };
      const available = account.marginMode === "cross" ? account.walletBalance : (p.isolatedMargin ?? 0);
      if (amount > available) {
        throw new InputError(
          first[0],
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
export function whatIfReport(resolved: ResolvedAccount, index: number, action: WhatIfAction): WhatIfReport {
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

function describeAction(r: WhatIfReport): string {
  const a = r.action;
  const asset = r.marginAsset;
  switch (a.kind) {
    case "add-collateral":
      return `add ${formatNumber(a.amount)} ${asset} of collateral`;
    case "remove-collateral":
      return `remove ${formatNumber(a.amount)} ${asset} of collateral`;
    case "size": {
      const fill = a.fillPrice === null ? "at the mark" : `at ${formatNumber(a.fillPrice)}`;
      return `change the size from ${formatNumber(r.position.size, 8)} to ${formatNumber(a.size, 8)} ${fill}`;
    }
    case "target-liq-price":
      return `move the liquidation price to ${formatNumber(a.price)}`;
    case "target-distance":
      return `put the liquidation price ${formatNumber(a.distance * 100, 4)} % from the mark ${formatNumber(r.position.markPrice)}`;
  }
}

/** The readable form of a {@link WhatIfReport}. */
export function renderWhatIf(r: WhatIfReport): string {
  const p = r.position;
  const out = [
    `What if: ${describeAction(r)} on #${p.index} ${p.symbol} (${sideLabel(p.size, p.positionSide)}), ${r.venue} ${r.marginMode} margin`,
  ];
  if (r.collateralToAdd !== null) {
    const c = r.collateralToAdd;
    out.push(
      c >= 0
        ? `Collateral to add: ${formatNumber(c)} ${r.marginAsset}`
        : `Collateral that can be withdrawn: ${formatNumber(-c)} ${r.marginAsset} (collateral to add: ${formatNumber(c)})`,
    );
  }
  const row = (label: string, b: number | null, a: number | null) => [
    label,
    b === null ? "none" : formatNumber(b),
    a === null ? "none" : formatNumber(a),
    a === null || b === null ? "—" : formatNumber(a - b),
  ];
  out.push(
    renderTable(
      ["", "Before", "After", "Change"],
      [
        row("Liquidation price", r.before.liquidationPrice, r.after.liquidationPrice),
        row("Equity", r.before.equity, r.after.equity),
        row("Maintenance margin", r.before.maintenanceMargin, r.after.maintenanceMargin),
      ],
      { rightAlign: [1, 2, 3] },
    ),
  );
  const v = r.verification;
  if (v !== null) {
    const mark = v.matches ? "matches the target" : "DOES NOT match the target";
    out.push(
      `Check: recomputed liquidation price after applying it = ${formatNumber(v.liquidationPrice)} (target ${formatNumber(v.targetPrice)}): ${mark}`,
    );
  }
  return out.join("\n");
}

/**
 * Reads one Drift what-if action from the perpetual options (`--add-collateral`, `--remove-collateral`,
 * `--size` with `--fill-price`, `--target-liq-price`, `--target-distance` as a fraction of the oracle);
 * amounts stay exact decimal text for {@link driftWhatIfReport}. Errors name the option.
 */
export function readDriftAction(opts: WhatIfOptions, doc: ResolvedDriftDocument): DriftWhatIfAction {
  const given = ACTION_OPTIONS.filter(([, key]) => opts[key] !== undefined);
  const [first, second] = given;
  if (first === undefined)
    throw new InputError(
      "what-if",
      undefined,
      "needs an action",
      `Pass one of ${ACTION_OPTIONS.map(([o]) => o).join(", ")}.`,
    );
  if (second !== undefined)
    throw new InputError(
      second[0],
      opts[second[1]],
      `cannot be combined with ${first[0]}`,
      "Pass one action per run.",
    );
  if (opts.fillPrice !== undefined && first[0] !== "--size")
    throw new InputError(
      "--fill-price",
      opts.fillPrice,
      "only applies with --size",
      "Add --size or drop --fill-price.",
    );
  const count = doc.account.positions.length;
  const position = readNumberOption(opts.position, "--position", {
    min: 0,
    fix: count === 0 ? "The document has no positions." : `Use 0 to ${count - 1}.`,
  });
  if (!Number.isInteger(position))
    throw new InputError("--position", position, "must be a whole number", "Give a position index.");
  const raw = opts[first[1]] as string;
  switch (first[0]) {
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

function describeDriftAction(a: DriftWhatIfAction): string {
  switch (a.kind) {
    case "add-collateral":
      return `deposit ${a.amount} USDC`;
    case "remove-collateral":
      return `withdraw ${a.amount} USDC`;
    case "size":
      return `set position #${a.position} to ${a.size} base ${a.fillPrice === null ? "at the oracle" : `at ${a.fillPrice}`}`;
    case "target-liq-price":
      return `move position #${a.position}'s liquidation price to ${a.price}`;
  }
}

/** The readable form of a {@link DriftWhatIfReport}. */
export function renderDriftWhatIf(r: DriftWhatIfReport): string {
  const what = describeDriftAction(r.action);
  const out = [`What if: ${what}, Drift v2 (drift-v2), amounts in USDC`];
  if (r.collateralToAdd !== null)
    out.push(
      r.collateralToAdd.startsWith("-")
        ? `Collateral that can be withdrawn: ${r.collateralToAdd.slice(1)} USDC`
        : `Collateral to add: ${r.collateralToAdd} USDC`,
    );
  const lp = (x: number | null) => (x === null ? "none" : formatNumber(x));
  const rows = r.before.positions.map((p, i) => [
    `${p.symbol} liquidation price`,
    lp(p.liquidationPrice),
    lp(r.after.positions[i]?.liquidationPrice ?? null),
  ]);
  const after = driftAccountRows(r.after.account);
  rows.push(...driftAccountRows(r.before.account).map((row, i) => [...row, after[i]?.[1] ?? ""]));
  out.push(renderTable(["", "Before", "After"], rows, { rightAlign: [1, 2] }));
  const v = r.verification;
  if (v !== null)
    out.push(
      `Check: recomputed liquidation price = ${lp(v.liquidationPrice)} (target ${formatNumber(v.targetPrice)}): ${v.matches ? `matches the target (within ${formatNumber(v.tolerance, 6)}, the program's price resolution for the position)` : "DOES NOT match the target"}`,
    );
  return out.join("\n");
}

/** Registers `liqopt what-if --input <file> [--position N] <one action> [--json]`. */
export function registerWhatIf(program: Command): void {
  program
    .command("what-if")
    .description("liquidation price, equity and maintenance margin before and after one change")
    .requiredOption("-i, --input <file>", "account document (JSON); - for stdin")
    .option("-p, --position <index>", "index of the position in the document (default: 0)")
    .option(
      "--add-collateral <amount>",
      "add collateral (perp: wallet in cross, isolated margin in isolated; lending: tokens of --asset)",
    )
    .option("--remove-collateral <amount>", "remove collateral")
    .option("--size <size>", "new signed size of the position (0 closes it)")
    .option("--fill-price <price>", "fill price of the size change (default: mark price)")
    .option("--target-liq-price <price>", "collateral needed for this liquidation price")
    .option(
      "--target-distance <fraction>",
      "collateral needed for a liquidation price this far from the mark (0.1 = 10 %)",
    )
    .option(
      "--asset <symbol>",
      "lending: the collateral or debt asset to change (default: the largest by value)",
    )
    .option("--repay <amount>", "lending: repay this many tokens of --asset debt")
    .option("--borrow <amount>", "lending: borrow this many more tokens of --asset")
    .option("--target-hf <factor>", "lending: --asset collateral to add for this float health factor")
    .option("--json", "print one JSON object instead of tables")
    .action(async (opts) => {
      const input = await readInput(opts.input);
      const raw = parseJson(input);
      if (isLendingDocument(raw)) {
        const doc = resolveLendingDocument(raw);
        const report = lendingWhatIfReport(raw, doc, readLendingAction(opts, doc));
        writeOut(opts.json === true ? toJson(report) : renderLendingWhatIf(report));
        return;
      }
      for (const [option, key] of LENDING_ONLY_OPTIONS)
        if (opts[key] !== undefined)
          throw new InputError(
            option,
            opts[key],
            "applies to lending documents (aave-v3, compound-v3, maker) only",
            "Drop it for a perpetual-venue document.",
          );
      if (isDriftDocument(raw)) {
        const doc = resolveDriftDocument(raw);
        const report = driftWhatIfReport(
          doc,
          readDriftAction({ ...opts, position: opts.position ?? "0" }, doc),
        );
        writeOut(opts.json === true ? toJson(report) : renderDriftWhatIf(report));
        return;
      }
      const resolved = resolveAccountDocument(raw);
      const perpOpts = { ...opts, position: opts.position ?? "0" };
      const index = readPositionIndex(perpOpts.position, resolved.account);
      const action = readAction(perpOpts, resolved.account, index);
      const report = whatIfReport(resolved, index, action);
      writeOut(opts.json === true ? toJson(report) : renderWhatIf(report));
    });
}
