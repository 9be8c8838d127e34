/**
 * The money-market lending venues (Aave v3, Compound v3, Maker): one health report (`liq-price`) and one
 * what-if over the float `LendingAccount` view every such document resolves to, parameterised by each
 * venue's {@link MoneyMarketRules} (its exact health factor, market label, holdings in token units and
 * any side effect of a borrow or repayment). {@link moneyMarketVenue} turns the rules into a
 * {@link LendingVenue}.
 */
import { InputError } from "../../errors.js";
import { formatNumber, type Readable } from "../../format.js";
import {
  collateralLiquidationPrice,
  debtValue,
  type LendingAccount,
  maxCollateralDrop,
  weightedCollateral,
} from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed } from "../../math/fixed-point.js";
import { isRecord, readNumberOption } from "../../validate.js";
import { readDecimalUnits } from "../lending-document.js";
import type { AaveRulesReport } from "./aave-v3.js";
import { moneyMarketLiqPriceText, moneyMarketWhatIfText } from "./money-market-text.js";
import {
  type HealthFactorFigures,
  LENDING_WHAT_IF_OPTIONS,
  type LendingVenue,
  type LiquidateOptions,
  readOneAction,
  type WhatIfOptions,
} from "./venue.js";

/** One holding of the document as the venue sees it: exact units, decimals and float price. */
export interface Holding {
  symbol: string;
  units: bigint;
  decimals: number;
  price: number;
}

/** A borrow or repayment of `units` of `holding` (`amount`: the same as exact decimal text). */
export interface DebtChange {
  kind: "repay" | "borrow";
  holding: Holding;
  units: bigint;
  amount: string;
}

/** What every money-market document resolves to: its `venue` and the float view of its account. */
export interface MoneyMarketDocument {
  venue: string;
  lending: LendingAccount;
}

/** The exact health factor of an account and whether the protocol would liquidate it now. */
export interface LendingHealth {
  healthFactor: HealthFactorFigures;
  liquidatable: boolean;
}

/** What one money-market venue adds to the shared reports; the generic parts live in this module. */
export interface MoneyMarketRules<D extends MoneyMarketDocument, L = unknown> {
  readonly id: D["venue"];
  readonly name: string;
  /** {@link LendingVenue.note}. */
  readonly note: string;
  readonly liquidateOptions: readonly (keyof LiquidateOptions)[];
  /** Reads a parsed document of this venue (re-resolves the changed document of a what-if). */
  resolve(raw: unknown): D;
  /** The exact health factor as the protocol rounds it, with the float one, and the liquidatable flag. */
  health(doc: D): LendingHealth;
  /** The report's market label and the rule-set version (null where the venue has none). */
  market(doc: D): { market: string; version: string | null };
  /** Collateral and debt in document order, in exact token units. */
  holdings(doc: D): { collateral: Holding[]; debt: Holding[] };
  /**
   * The liquidation price of the collateral when the venue fixes it itself (Maker: one collateral);
   * absent: `collateralLiquidationPrice` of the float view.
   */
  collateralLiquidationPrice?(doc: D): { price: number | null; reason: string | null };
  /** Aave's e-mode, isolation and siloed-borrowing state (absent elsewhere). */
  aaveRules?(doc: D): AaveRulesReport;
  /**
   * The raw document after the side effects of a borrow or repayment beyond the balance itself, or
   * an `InputError` on `--borrow` when the venue would revert (absent: none).
   */
  debtChange?(raw: unknown, doc: D, change: DebtChange): unknown;
  /** `liquidate --json` of the account. */
  liquidateReport(doc: D, options: LiquidateOptions): L;
  /** The readable form of its `liquidate` report. */
  liquidateText(report: L): Readable;
}

/** One collateral line of the lending `liq-price` report. */
export interface LendingCollateralReport {
  symbol: string;
  amount: number;
  price: number;
  value: number;
  /** Aave liquidation threshold / Comet liquidate collateral factor, as a fraction. */
  liquidationThreshold: number;
  /** Price of this collateral at which HF = 1, other prices held (`collateralLiquidationPrice`). */
  liquidationPrice: number | null;
  liquidationReason: string | null;
  /** `1 − liquidationPrice / price`: the fall of this collateral alone the account survives. */
  distance: number | null;
}

/** The lending `liq-price --json` document. */
export interface LendingLiqPriceReport {
  venue: string;
  market: string;
  /** Aave Pool rule set (`"3.7"` …); null for Compound and Maker. */
  version: string | null;
  healthFactor: HealthFactorFigures;
  liquidatable: boolean;
  /** Largest fall of all collateral prices together the account survives (`maxCollateralDrop`). */
  maxCollateralDrop: number;
  totals: { collateralValue: number; weightedCollateral: number; debtValue: number };
  collateral: LendingCollateralReport[];
  debt: { symbol: string; amount: number; price: number; value: number }[];
  /** Aave only (null otherwise): the user's e-mode, isolation-mode and siloed-borrowing state. */
  aaveRules: AaveRulesReport | null;
}

/** The lending `what-if --json` document. */
export interface LendingWhatIfReport {
  venue: string;
  action: LendingWhatIfAction & {
    /** For `target-hf`: tokens of `asset` to add (negative: removable), as applied; else absent. */
    collateralToAdd?: string;
    /** For `target-hf`: the recomputed float health factor and whether it lands on the target. */
    check?: { healthFactor: number; tolerance: number; matches: boolean };
  };
  before: LendingLiqPriceReport;
  after: LendingLiqPriceReport;
}

/** The one change `what-if` applies to a lending document; amounts are exact token decimals. */
export type LendingWhatIfAction =
  | { kind: "add-collateral" | "remove-collateral" | "repay" | "borrow"; asset: string; amount: string }
  | { kind: "target-hf"; asset: string; healthFactor: number };

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

/** Health factor, per-collateral liquidation prices and the survivable drop of a lending account. */
function moneyMarketLiqPriceReport<D extends MoneyMarketDocument>(
  rules: MoneyMarketRules<D>,
  doc: D,
): LendingLiqPriceReport {
  const { lending } = doc;
  const health = rules.health(doc);
  return {
    venue: doc.venue,
    ...rules.market(doc),
    ...health,
    maxCollateralDrop: maxCollateralDrop(lending),
    totals: {
      collateralValue: lending.collateral.reduce((s, c) => s + c.amount * c.price, 0),
      weightedCollateral: weightedCollateral(lending),
      debtValue: debtValue(lending),
    },
    collateral: lending.collateral.map((c, i) => {
      const lp = rules.collateralLiquidationPrice?.(doc) ?? collateralLiquidationPrice(lending, i);
      return {
        symbol: c.symbol,
        amount: c.amount,
        price: c.price,
        value: c.amount * c.price,
        liquidationThreshold: c.liquidationThreshold,
        liquidationPrice: lp.price,
        liquidationReason: lp.reason,
        distance: lp.price === null ? null : 1 - lp.price / c.price,
      };
    }),
    debt: lending.debt.map((d) => ({ ...d, value: d.amount * d.price })),
    aaveRules: rules.aaveRules?.(doc) ?? null,
  };
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
function readMoneyMarketAction<D extends MoneyMarketDocument>(
  rules: MoneyMarketRules<D>,
  opts: WhatIfOptions,
  doc: D,
): LendingWhatIfAction {
  for (const [option, key] of PERP_ONLY)
    if (opts[key] !== undefined)
      throw new InputError(
        option,
        opts[key],
        `does not apply to a ${doc.venue} lending document`,
        `Use ${LENDING_ACTIONS.map(([o]) => o).join(", ")} with --asset.`,
      );
  const first = readOneAction(opts, LENDING_ACTIONS, " for a lending document");
  const [option, key, kind] = first;
  const raw = opts[key] as string;
  const { collateral, debt } = rules.holdings(doc);
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
      `exceeds the ${fixedToDecimalText(h.units, h.decimals)} ${h.symbol} ${kind === "repay" ? "owed" : "held"}`,
      kind === "repay" ? "Repay less." : "Remove less.",
    );
  return { kind, asset: h.symbol, amount: fixedToDecimalText(units, h.decimals) };
}

/** A copy of the raw document with `asset`'s amount in `list` set to `units` (exact decimal text). */
function withAmount(raw: unknown, list: "collateral" | "debt", h: Holding, units: bigint): unknown {
  const doc = structuredClone(raw) as Record<string, unknown>;
  const rows = doc[list];
  if (!Array.isArray(rows)) return doc;
  doc[list] = rows.map((row: unknown) => {
    if (!isRecord(row) || row.symbol !== h.symbol) return row;
    const { scaledAmount: _scaled, ...rest } = row;
    return { ...rest, amount: fixedToDecimalText(units, h.decimals) };
  });
  return doc;
}

/**
 * Runs one what-if on a raw lending document: changes one collateral or debt amount in the raw
 * document and re-resolves it with its venue's `resolve` (every venue rule and check applies), or,
 * for `target-hf`, finds the collateral of `asset` that puts the float health factor on H:
 * `Δ = (H·D − W)/(price·LT)`. Supply and borrow of one asset are separate balances (Aave), a Comet
 * collateral is never the base asset and a Maker vault's collateral is never DAI, so adding
 * collateral leaves D unchanged (Maker: LT = 1/mat). Δ is rounded to the
 * token's decimals, applied, and the health factor recomputed from the re-resolved document.
 */
function moneyMarketWhatIfReport<D extends MoneyMarketDocument>(
  rules: MoneyMarketRules<D>,
  raw: unknown,
  doc: D,
  action: LendingWhatIfAction,
): LendingWhatIfReport {
  const { collateral, debt } = rules.holdings(doc);
  const before = moneyMarketLiqPriceReport(rules, doc);
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
        `is out of reach: it needs ${formatNumber(-delta)} ${h.symbol} removed but ${fixedToDecimalText(h.units, h.decimals)} is held`,
        "Choose a lower health factor or another --asset.",
      );
    const units = readDecimalUnits(target.toFixed(h.decimals), option, h.decimals, {
      excess: "truncate",
      fix: "Choose a smaller health factor.",
    });
    const after = moneyMarketLiqPriceReport(rules, rules.resolve(withAmount(raw, "collateral", h, units)));
    // one token unit moves HF by 10^-decimals·price·LT/D: the rounding may leave up to half of that
    const tolerance = Math.max(1e-9, (0.5 * 10 ** -h.decimals * c.price * c.liquidationThreshold) / D);
    const hf = after.healthFactor.float;
    return {
      venue: doc.venue,
      action: {
        ...action,
        collateralToAdd: fixedToDecimalText(units - h.units, h.decimals),
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
    (action.kind === "borrow" || action.kind === "repay") && rules.debtChange !== undefined
      ? rules.debtChange(raw, doc, { kind: action.kind, holding: h, units: change, amount: action.amount })
      : raw;
  const after = moneyMarketLiqPriceReport(rules, rules.resolve(withAmount(base, side, h, units)));
  return { venue: doc.venue, action, before, after };
}

/**
 * The {@link LendingVenue} of a money-market venue: its rules' health and liquidation, with the shared
 * {@link moneyMarketLiqPriceReport} and {@link moneyMarketWhatIfReport} (action read by
 * {@link readMoneyMarketAction}).
 */
export function moneyMarketVenue<D extends MoneyMarketDocument, L>(
  rules: MoneyMarketRules<D, L>,
): LendingVenue<{
  doc: D;
  health: LendingHealth;
  liqPrice: LendingLiqPriceReport;
  whatIf: LendingWhatIfReport;
  liquidate: L;
}> {
  return {
    id: rules.id,
    name: rules.name,
    note: rules.note,
    liquidateOptions: rules.liquidateOptions,
    whatIfOptions: LENDING_WHAT_IF_OPTIONS,
    resolve: (raw) => rules.resolve(raw),
    health: (doc) => rules.health(doc),
    liqPriceReport: (doc) => moneyMarketLiqPriceReport(rules, doc),
    whatIfReport: (raw, doc, options) =>
      moneyMarketWhatIfReport(rules, raw, doc, readMoneyMarketAction(rules, options, doc)),
    liquidateReport: (doc, options) => rules.liquidateReport(doc, options),
    text: {
      liqPrice: (r) => moneyMarketLiqPriceText(r, rules.name),
      whatIf: (r) => moneyMarketWhatIfText(r, rules.name),
      liquidate: (r) => rules.liquidateText(r),
    },
  };
}
