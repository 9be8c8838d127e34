import { InputError } from "../errors.js";
import { fromFixed } from "../math/fixed-point.js";
import { isRecord } from "../validate.js";
import {
  type AaveBorrowRevert,
  isolatedDebtAfterRepay,
  isolatedDebtUnits,
  isolationModeState,
  validateBorrow,
} from "../venues/aave-v3.js";
import {
  type ResolvedLendingDocument,
  readDecimalUnits,
  resolveLendingDocument,
} from "../venues/lending-document.js";
import { isVenueRevert } from "../venues/revert.js";
import { formatNumber, readNumberOption, renderTable } from "./io.js";
import {
  LENDING_VENUE_NAMES,
  type LendingLiqPriceReport,
  lendingLiqPriceReport,
  unitsToDecimal,
} from "./lending.js";

/** The `what-if` options a lending document reads (the perpetual-only ones are refused). */
export interface LendingWhatIfOptions {
  asset?: string;
  addCollateral?: string;
  removeCollateral?: string;
  repay?: string;
  borrow?: string;
  targetHf?: string;
  position?: string;
  size?: string;
  fillPrice?: string;
  targetLiqPrice?: string;
  targetDistance?: string;
}

/** The one change `what-if` applies to a lending document; amounts are exact token decimals. */
export type LendingWhatIfAction =
  | { kind: "add-collateral" | "remove-collateral" | "repay" | "borrow"; asset: string; amount: string }
  | { kind: "target-hf"; asset: string; healthFactor: number };

/** The lending `what-if --json` document. */
export interface LendingWhatIfReport {
  venue: ResolvedLendingDocument["venue"];
  action: LendingWhatIfAction & {
    /** For `target-hf`: tokens of `asset` to add (negative: removable), as applied; else absent. */
    collateralToAdd?: string;
    /** For `target-hf`: the recomputed float health factor and whether it lands on the target. */
    check?: { healthFactor: number; tolerance: number; matches: boolean };
  };
  before: LendingLiqPriceReport;
  after: LendingLiqPriceReport;
}

const LENDING_ACTIONS = [
  ["--add-collateral", "addCollateral", "add-collateral"],
  ["--remove-collateral", "removeCollateral", "remove-collateral"],
  ["--repay", "repay", "repay"],
  ["--borrow", "borrow", "borrow"],
  ["--target-hf", "targetHf", "target-hf"],
] as const;

const PERP_ONLY = [
  ["--position", "position"],
  ["--size", "size"],
  ["--fill-price", "fillPrice"],
  ["--target-liq-price", "targetLiqPrice"],
  ["--target-distance", "targetDistance"],
] as const;

/** The lending-only `what-if` options, refused on perpetual documents. */
export const LENDING_ONLY_OPTIONS = [
  ["--asset", "asset"],
  ["--repay", "repay"],
  ["--borrow", "borrow"],
  ["--target-hf", "targetHf"],
] as const;

/** One holding of the document as the venue sees it: exact units, decimals and float price. */
interface Holding {
  symbol: string;
  units: bigint;
  decimals: number;
  price: number;
}

/** Collateral and debt of a resolved lending document, in document order, with exact units. */
function holdings(doc: ResolvedLendingDocument): { collateral: Holding[]; debt: Holding[] } {
  if (doc.venue === "aave-v3") {
    const reserves = new Map(doc.market.reserves.map((r) => [r.symbol, r]));
    const holding = (h: { symbol: string; balance: bigint }): Holding => ({
      symbol: h.symbol,
      units: h.balance,
      decimals: reserves.get(h.symbol)?.decimals ?? 0,
      price: fromFixed(doc.account.prices[h.symbol] ?? 0n, 8),
    });
    return { collateral: doc.account.supplies.map(holding), debt: doc.account.borrows.map(holding) };
  }
  if (doc.venue === "maker") {
    // ink and the DAI debt art·rate/RAY are both wad (the document's rate is 1)
    const collateral = [
      { symbol: doc.symbol, units: doc.urn.ink, decimals: 18, price: fromFixed(doc.feedPrice, 27) },
    ];
    const debt =
      doc.urn.art === 0n
        ? []
        : [{ symbol: "DAI", units: (doc.urn.art * doc.rate) / 10n ** 27n, decimals: 18, price: 1 }];
    return { collateral, debt };
  }
  const { config, account, prices } = doc;
  const collateral = config.assets
    .filter((a) => account.collateral[a.symbol] !== undefined)
    .map((a) => ({
      symbol: a.symbol,
      units: account.collateral[a.symbol] ?? 0n,
      decimals: a.decimals,
      price: fromFixed(prices[a.symbol] ?? 0n, 8),
    }));
  const basePrice = prices[config.baseSymbol];
  const debt =
    basePrice === undefined
      ? []
      : [
          {
            symbol: config.baseSymbol,
            units: -account.baseBalance,
            decimals: config.baseDecimals,
            price: fromFixed(basePrice, 8),
          },
        ];
  return { collateral, debt };
}

const value = (h: Holding) => fromFixed(h.units, h.decimals) * h.price;

/** The holding `--asset` names, or by default the largest by value; an unknown one names `--asset`. */
function pickAsset(list: Holding[], asset: string | undefined, side: "collateral" | "debt", option: string) {
  if (asset === undefined) {
    const largest = list.reduce<Holding | undefined>(
      (m, h) => (m === undefined || value(h) > value(m) ? h : m),
      undefined,
    );
    if (largest === undefined)
      throw new InputError(
        option,
        undefined,
        `needs ${side}, and the document lists none`,
        `Add a ${side} entry to the document.`,
      );
    return largest;
  }
  const h = list.find((x) => x.symbol === asset);
  if (h === undefined)
    throw new InputError(
      "--asset",
      asset,
      `is not a ${side} of the document (needed by ${option})`,
      list.length === 0
        ? `The document lists no ${side}.`
        : `Use one of: ${list.map((x) => x.symbol).join(", ")}.`,
    );
  return h;
}

/**
 * Reads exactly one lending action from the options: amounts are token amounts read exactly at the
 * asset's decimals, removals and repayments must not exceed what is held or owed, `--target-hf` must be
 * positive and the account must have debt. Every failure is an {@link InputError} naming its option.
 */
export function readLendingAction(
  opts: LendingWhatIfOptions,
  doc: ResolvedLendingDocument,
): LendingWhatIfAction {
  for (const [option, key] of PERP_ONLY)
    if (opts[key] !== undefined)
      throw new InputError(
        option,
        opts[key],
        `does not apply to a ${doc.venue} lending document`,
        `Use ${LENDING_ACTIONS.map(([o]) => o).join(", ")} with --asset.`,
      );
  const given = LENDING_ACTIONS.filter(([, key]) => opts[key] !== undefined);
  const [first, second] = given;
  if (first === undefined)
    throw new InputError(
      "what-if",
      undefined,
      "needs an action",
      `Pass one of ${LENDING_ACTIONS.map(([o]) => o).join(", ")} for a lending document.`,
    );
  if (second !== undefined)
    throw new InputError(
      second[0],
      opts[second[1]],
      `cannot be combined with ${first[0]}`,
      "Pass one action per run.",
    );
  const [option, key, kind] = first;
  const raw = opts[key] as string;
  const { collateral, debt } = holdings(doc);
  if (kind === "target-hf") {
    const h = pickAsset(collateral, opts.asset, "collateral", option);
    const healthFactor = readNumberOption(raw, option, {
      min: 0,
      exclusiveMin: true,
      fix: "Give a positive health factor, e.g. 1.5.",
    });
    return { kind, asset: h.symbol, healthFactor };
  }
  const side = kind === "add-collateral" || kind === "remove-collateral" ? "collateral" : "debt";
  const h = pickAsset(side === "collateral" ? collateral : debt, opts.asset, side, option);
  const units = readDecimalUnits(raw, option, h.decimals, {
    excess: "reject",
    positive: true,
    fix: `Give a positive amount of ${h.symbol} with at most ${h.decimals} decimals, e.g. 1.5.`,
  });
  if ((kind === "remove-collateral" || kind === "repay") && units > h.units)
    throw new InputError(
      option,
      raw,
      `exceeds the ${unitsToDecimal(h.units, h.decimals)} ${h.symbol} ${kind === "repay" ? "owed" : "held"}`,
      kind === "repay" ? "Repay less." : "Remove less.",
    );
  return { kind, asset: h.symbol, amount: unitsToDecimal(units, h.decimals) };
}

/** A copy of the raw document with `asset`'s amount in `list` set to `units` (exact decimal text). */
function withAmount(raw: unknown, list: "collateral" | "debt", h: Holding, units: bigint): unknown {
  const doc = structuredClone(raw) as Record<string, unknown>;
  const rows = doc[list];
  if (!Array.isArray(rows)) return doc;
  doc[list] = rows.map((row: unknown) => {
    if (!isRecord(row) || row.symbol !== h.symbol) return row;
    const { scaledAmount: _scaled, ...rest } = row;
    return { ...rest, amount: unitsToDecimal(units, h.decimals) };
  });
  return doc;
}

/**
 * Aave borrow/repay side effects on the raw document: a borrow the Pool would refuse
 * ({@link validateBorrow}) is an {@link InputError} on `--borrow` naming the revert; in isolation mode the
 * isolated collateral's `isolationModeTotalDebt` moves by `⌊amount/10^(dec−2)⌋` (borrow adds; repay
 * subtracts, floored at 0, as `IsolationModeLogic.updateIsolatedDebtIfIsolated`).
 */
function aaveDebtSideEffects(
  raw: unknown,
  doc: ResolvedLendingDocument,
  kind: "repay" | "borrow",
  h: Holding,
  change: bigint,
  amountText: string,
): unknown {
  if (doc.venue !== "aave-v3") return raw;
  if (kind === "borrow") {
    try {
      validateBorrow(doc.account, doc.market, h.symbol, change);
    } catch (err) {
      if (!isVenueRevert<AaveBorrowRevert>(err, "aave-v3")) throw err;
      throw new InputError(
        "--borrow",
        amountText,
        `would revert with ${err.reason}: ${err.explanation}`,
        "Borrow less or another asset.",
      );
    }
  }
  const iso = isolationModeState(doc.account, doc.market);
  if (!iso.isolated || !isRecord(raw) || !isRecord(raw.market) || !Array.isArray(raw.market.reserves))
    return raw;
  const total =
    kind === "borrow"
      ? iso.isolationModeTotalDebt + isolatedDebtUnits(change, h.decimals)
      : isolatedDebtAfterRepay(iso.isolationModeTotalDebt, change, h.decimals);
  const out = structuredClone(raw) as Record<string, unknown> & { market: { reserves: unknown[] } };
  out.market.reserves = out.market.reserves.map((r) =>
    isRecord(r) && r.symbol === iso.collateral
      ? { ...r, isolationModeTotalDebt: unitsToDecimal(total, 2) }
      : r,
  );
  return out;
}

/**
 * Runs one what-if on a raw lending document: changes one collateral or debt amount in the raw
 * document and re-resolves it with `resolveLendingDocument` (every venue rule and check applies), or,
 * for `target-hf`, finds the collateral of `asset` that puts the float health factor on H:
 * `Δ = (H·D − W)/(price·LT)`. Supply and borrow of one asset are separate balances (Aave), a Comet
 * collateral is never the base asset and a Maker vault's collateral is never DAI, so adding
 * collateral leaves D unchanged (Maker: LT = 1/mat). Δ is rounded to the
 * token's decimals, applied, and the health factor recomputed from the re-resolved document.
 */
export function lendingWhatIfReport(
  raw: unknown,
  doc: ResolvedLendingDocument,
  action: LendingWhatIfAction,
): LendingWhatIfReport {
  const { collateral, debt } = holdings(doc);
  const before = lendingLiqPriceReport(doc);
  if (action.kind === "target-hf") {
    const option = "--target-hf";
    const h = collateral.find((x) => x.symbol === action.asset) as Holding;
    const c = doc.lending.collateral.find((x) => x.symbol === action.asset);
    const D = before.totals.debtValue;
    if (D === 0)
      throw new InputError(
        option,
        action.healthFactor,
        "needs debt: without it the health factor is unbounded",
        "Borrow first, or drop --target-hf.",
      );
    if (c === undefined || c.liquidationThreshold === 0 || c.price === 0)
      throw new InputError(
        "--asset",
        action.asset,
        "does not count as collateral (liquidation threshold 0 or disabled), so it cannot move the health factor",
        "Pick a collateral with a positive liquidation threshold.",
      );
    const W = before.totals.weightedCollateral;
    const delta = (action.healthFactor * D - W) / (c.price * c.liquidationThreshold);
    const target = fromFixed(h.units, h.decimals) + delta;
    if (target < 0)
      throw new InputError(
        option,
        action.healthFactor,
        `is out of reach: it needs ${formatNumber(-delta)} ${h.symbol} removed but ${unitsToDecimal(h.units, h.decimals)} is held`,
        "Choose a lower health factor or another --asset.",
      );
    const units = readDecimalUnits(target.toFixed(h.decimals), option, h.decimals, {
      excess: "truncate",
      fix: "Choose a smaller health factor.",
    });
    const after = lendingLiqPriceReport(resolveLendingDocument(withAmount(raw, "collateral", h, units)));
    // one token unit moves HF by 10^-decimals·price·LT/D: the rounding may leave up to half of that
    const tolerance = Math.max(1e-9, (0.5 * 10 ** -h.decimals * c.price * c.liquidationThreshold) / D);
    const hf = after.healthFactor.float;
    return {
      venue: doc.venue,
      action: {
        ...action,
        collateralToAdd: unitsToDecimal(units - h.units, h.decimals),
        check: { healthFactor: hf, tolerance, matches: Math.abs(hf - action.healthFactor) <= tolerance },
      },
      before,
      after,
    };
  }
  const side =
    action.kind === "add-collateral" || action.kind === "remove-collateral" ? "collateral" : "debt";
  const h = (side === "collateral" ? collateral : debt).find((x) => x.symbol === action.asset) as Holding;
  const change = readDecimalUnits(action.amount, `--${action.kind}`, h.decimals, {
    excess: "reject",
    fix: "",
  });
  const units =
    action.kind === "add-collateral" || action.kind === "borrow" ? h.units + change : h.units - change;
  const base =
    action.kind === "borrow" || action.kind === "repay"
      ? aaveDebtSideEffects(raw, doc, action.kind, h, change, action.amount)
      : raw;
  const after = lendingLiqPriceReport(resolveLendingDocument(withAmount(base, side, h, units)));
  return { venue: doc.venue, action, before, after };
}

function describeLendingAction(a: LendingWhatIfAction): string {
  switch (a.kind) {
    case "add-collateral":
      return `supply ${a.amount} ${a.asset} more as collateral`;
    case "remove-collateral":
      return `withdraw ${a.amount} ${a.asset} of collateral`;
    case "repay":
      return `repay ${a.amount} ${a.asset}`;
    case "borrow":
      return `borrow ${a.amount} ${a.asset} more`;
    case "target-hf":
      return `bring the health factor to ${formatNumber(a.healthFactor, 6)} with ${a.asset} collateral`;
  }
}

/** The readable form of a {@link LendingWhatIfReport}. */
export function renderLendingWhatIf(r: LendingWhatIfReport): string {
  const { action: a, before: b, after: f } = r;
  const out = [
    `What if: ${describeLendingAction(a)}, ${LENDING_VENUE_NAMES[r.venue]} (${r.venue}), ${b.market}; values in USD`,
  ];
  if (a.collateralToAdd !== undefined) {
    const c = a.collateralToAdd;
    out.push(
      c.startsWith("-")
        ? `Collateral that can be withdrawn: ${c.slice(1)} ${a.asset} (collateral to add: ${c})`
        : `Collateral to add: ${c} ${a.asset}`,
    );
  }
  const num = (x: number | null, digits?: number) => (x === null ? "none" : formatNumber(x, digits));
  const row = (label: string, x: number | null, y: number | null, digits?: number) => [
    label,
    num(x, digits),
    num(y, digits),
    x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)
      ? "—"
      : formatNumber(y - x, digits),
  ];
  const symbols = [...new Set([...b.collateral, ...f.collateral].map((c) => c.symbol))];
  const lp = (rep: LendingLiqPriceReport, s: string) =>
    rep.collateral.find((c) => c.symbol === s)?.liquidationPrice ?? null;
  const amount = (rep: LendingLiqPriceReport, list: "collateral" | "debt", s: string) =>
    (rep[list] as { symbol: string; amount: number }[]).find((c) => c.symbol === s)?.amount ?? 0;
  const rows = [
    row(
      `${a.asset} amount`,
      amount(b, a.kind === "repay" || a.kind === "borrow" ? "debt" : "collateral", a.asset),
      amount(f, a.kind === "repay" || a.kind === "borrow" ? "debt" : "collateral", a.asset),
      8,
    ),
    ["Health factor (exact)", b.healthFactor.exact, f.healthFactor.exact, ""],
    row("Health factor (float)", b.healthFactor.float, f.healthFactor.float, 6),
    row("Collateral value", b.totals.collateralValue, f.totals.collateralValue),
    row("Liquidation-weighted collateral", b.totals.weightedCollateral, f.totals.weightedCollateral),
    row("Debt value", b.totals.debtValue, f.totals.debtValue),
    ...symbols.map((s) => row(`${s} liquidation price`, lp(b, s), lp(f, s))),
    ["Liquidatable", b.liquidatable ? "YES" : "no", f.liquidatable ? "YES" : "no", ""],
  ];
  out.push(renderTable(["", "Before", "After", "Change"], rows, { rightAlign: [1, 2, 3] }));
  if (a.check !== undefined && a.kind === "target-hf") {
    const mark = a.check.matches ? "matches the target" : "DOES NOT match the target";
    out.push(
      `Check: recomputed float health factor after applying it = ${formatNumber(a.check.healthFactor, 12)} (target ${formatNumber(a.healthFactor, 12)}): ${mark}`,
    );
  }
  return out.join("\n");
}
