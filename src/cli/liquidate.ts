import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { unrealizedPnlAt } from "../margin/position.js";
import { fromFixed } from "../math/fixed-point.js";
import { type AaveRevert, formatWad, liquidationCall } from "../venues/aave-v3.js";
import type { ResolvedAccount } from "../venues/account-document.js";
import { absorb, CometRevertError, storeFrontDiscount } from "../venues/compound-v3.js";
import type { LiquidationStep } from "../venues/index.js";
import {
  type ResolvedAaveDocument,
  type ResolvedCompoundDocument,
  readDecimalUnits,
} from "../venues/lending-document.js";
import { formatNumber, formatPercent, loadDocument, renderTable, toJson, writeOut } from "./io.js";
import { LENDING_VENUE_NAMES, lendingHealth, unitsToDecimal } from "./lending.js";
import { liqPriceReport, sideLabel } from "./liq-price.js";

/** An amount of a token: exact decimal string in tokens and its USD value. */
export interface TokenAmount {
  symbol: string;
  amount: string;
  usd: number;
}

/** What each Aave revert means, for the report. */
const AAVE_REVERTS: Record<AaveRevert, string> = {
  PriceOracleSentinelCheckFailed: "the sentinel grace period requires HF < 0.95",
  HealthFactorNotBelowThreshold: "the health factor is not below 1: nothing to liquidate",
  CollateralCannotBeLiquidated: "the collateral is not enabled as collateral with LT > 0",
  SpecifiedCurrencyNotBorrowedByUser: "the user owes none of the debt asset",
  MustNotLeaveDust: "a partial liquidation must leave ≥ $1,000 of debt and collateral; cover all of it",
};

/** `liqopt liquidate --json` for an Aave v3 account: one `liquidationCall`. */
export interface AaveLiquidateReport {
  venue: "aave-v3";
  market: string;
  version: string;
  collateral: string;
  debt: string;
  /** As requested: `"max"` or an amount in debt tokens. */
  debtToCoverRequested: string;
  /** The Pool's custom error when the call reverts, else null. */
  revert: AaveRevert | null;
  revertReason: string | null;
  healthFactorBefore: string;
  healthFactorAfter: string;
  debtRepaid: TokenAmount;
  collateralSeized: TokenAmount;
  bonus: TokenAmount;
  protocolFee: TokenAmount;
  liquidatorReceives: TokenAmount;
  /** USD value received by the liquidator minus the debt repaid. */
  liquidatorProfitUsd: number;
  /** Debt written off to reserve deficits (v3.3+), when no collateral is left. */
  deficit: TokenAmount[];
  /** `liquidationCall`'s steps, values in tokens (WAD health factors as decimals). */
  steps: { name: string; value: string; note: string }[];
}

/** `liqopt liquidate --json` for a Compound v3 account: one `absorb`. */
export interface CometAbsorbReport {
  venue: "compound-v3";
  market: string;
  revert: "NotLiquidatable" | null;
  revertReason: string | null;
  healthFactor: { exact: string; float: number };
  /** Each collateral seized in full, its value, its credit at the liquidation factor, and the store-front discount buyers get. */
  seized: {
    symbol: string;
    amount: string;
    usd: number;
    creditUsd: number;
    liquidationFactor: number;
    storeFrontDiscount: number;
  }[];
  baseSymbol: string;
  /** Base balance before (negative: debt), the credit in base, the balance after; base tokens. */
  balanceBefore: string;
  credit: string;
  balanceAfter: string;
  /** Debt the credit did not cover, absorbed by reserves (base tokens). */
  shortfall: string;
  /** Paid out of reserves: debt repaid plus any supply created (base tokens and USD). */
  basePaidOut: TokenAmount;
  reservesBefore: string;
  reservesAfter: string;
  steps: string[];
}

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
  /** `liquidationFeeRate(symbol)` and the fee `rate × notional` at the mark, in the margin asset. */
  liquidationFeeRate: number;
  liquidationFee: number;
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

/** Options of `liqopt liquidate` for Aave (all optional). */
export interface AaveLiquidateOptions {
  collateral?: string;
  debt?: string;
  debtToCover?: string;
}

function largest(items: readonly { symbol: string; amount: number; price: number }[]): string | undefined {
  let best: { symbol: string; value: number } | undefined;
  for (const x of items) {
    const value = x.amount * x.price;
    if (best === undefined || value > best.value) best = { symbol: x.symbol, value };
  }
  return best?.symbol;
}

function pickSymbol(
  given: string | undefined,
  option: string,
  held: readonly string[],
  fallback: string | undefined,
  what: string,
): string {
  if (given === undefined) {
    if (fallback === undefined)
      throw new InputError(
        option,
        undefined,
        `has no default: the account holds no ${what}`,
        `Pass ${option}.`,
      );
    return fallback;
  }
  if (!held.includes(given))
    throw new InputError(option, given, `is not a ${what} of the account`, `Use one of: ${held.join(", ")}.`);
  return given;
}

/**
 * Runs Aave's `liquidationCall` on the document's account: `--collateral` and `--debt` default to
 * the largest collateral and debt by value, `--debt-to-cover` (debt tokens) to the maximum allowed.
 * A revert is a result (with its reason), not an error. An account without debt reports
 * `HealthFactorNotBelowThreshold` without a call.
 */
export function aaveLiquidateReport(
  doc: ResolvedAaveDocument,
  opts: AaveLiquidateOptions = {},
): AaveLiquidateReport {
  const { account, market, lending } = doc;
  const reserves = new Map(market.reserves.map((r) => [r.symbol, r]));
  const version = market.version ?? "3.7";
  const debtSymbols = account.borrows.filter((b) => b.balance > 0n).map((b) => b.symbol);
  const hfBefore = lendingHealth(doc).healthFactor.exact;
  const collateral = pickSymbol(
    opts.collateral,
    "--collateral",
    account.supplies.map((s) => s.symbol),
    largest(lending.collateral) ?? account.supplies[0]?.symbol,
    "collateral",
  );
  const empty = (symbol: string): TokenAmount => ({ symbol, amount: "0", usd: 0 });
  if (debtSymbols.length === 0 && opts.debt === undefined) {
    return {
      venue: "aave-v3",
      market: market.name,
      version,
      collateral,
      debt: "",
      debtToCoverRequested: opts.debtToCover ?? "max",
      revert: "HealthFactorNotBelowThreshold",
      revertReason: "the account has no debt: nothing to liquidate",
      healthFactorBefore: hfBefore,
      healthFactorAfter: hfBefore,
      debtRepaid: empty(""),
      collateralSeized: empty(collateral),
      bonus: empty(collateral),
      protocolFee: empty(collateral),
      liquidatorReceives: empty(collateral),
      liquidatorProfitUsd: 0,
      deficit: [],
      steps: [],
    };
  }
  const debt = pickSymbol(
    opts.debt,
    "--debt",
    account.borrows.map((b) => b.symbol),
    largest(lending.debt),
    "debt",
  );
  const collDec = reserves.get(collateral)?.decimals ?? 0;
  const debtDec = reserves.get(debt)?.decimals ?? 0;
  const requested =
    opts.debtToCover === undefined || opts.debtToCover === "max"
      ? ("max" as const)
      : readDecimalUnits(opts.debtToCover, "--debt-to-cover", debtDec, {
          excess: "reject",
          fix: `Give the debt to cover in ${debt} tokens (at most ${debtDec} decimals), or max.`,
        });
  const out = liquidationCall(account, market, { collateral, debt, debtToCover: requested });
  const price = (s: string) => fromFixed(account.prices[s] as bigint, 8);
  const amount = (symbol: string, units: bigint, decimals: number): TokenAmount => ({
    symbol,
    amount: unitsToDecimal(units, decimals),
    usd: fromFixed(units, decimals) * price(symbol),
  });
  const coll = (u: bigint) => amount(collateral, u, collDec);
  const debtAmount = amount(debt, out.debtRepaid, debtDec);
  const received = coll(out.liquidatorAmount);
  const collSteps = new Set([
    "baseCollateral",
    "maxCollateralToLiquidate",
    "collateralSeized",
    "bonus",
    "protocolFee",
    "liquidatorAmount",
  ]);
  const debtSteps = new Set(["maxLiquidatableDebt", "debtToCover", "debtRepaid"]);
  const steps = out.steps.map((s) => {
    let value: string;
    if (typeof s.value === "boolean") value = s.value ? "yes" : "no";
    else if (typeof s.value === "string") value = s.value;
    else if (s.name === "healthFactor" || s.name === "healthFactorAfter") value = formatWad(s.value);
    else if (collSteps.has(s.name)) value = `${unitsToDecimal(s.value, collDec)} ${collateral}`;
    else if (debtSteps.has(s.name)) value = `${unitsToDecimal(s.value, debtDec)} ${debt}`;
    else value = String(s.value);
    return { name: s.name, value, note: s.note };
  });
  return {
    venue: "aave-v3",
    market: market.name,
    version,
    collateral,
    debt,
    debtToCoverRequested: requested === "max" ? "max" : unitsToDecimal(requested, debtDec),
    revert: out.revert,
    revertReason: out.revert === null ? null : AAVE_REVERTS[out.revert],
    healthFactorBefore: formatWad(out.healthFactorBeforeWad),
    healthFactorAfter: formatWad(out.healthFactorAfterWad),
    debtRepaid: debtAmount,
    collateralSeized: coll(out.collateralSeized),
    bonus: coll(out.bonus),
    protocolFee: coll(out.protocolFee),
    liquidatorReceives: received,
    liquidatorProfitUsd: received.usd - debtAmount.usd,
    deficit: out.deficit.map((d) => amount(d.symbol, d.amount, reserves.get(d.symbol)?.decimals ?? 0)),
    steps,
  };
}

/** Runs Comet's `absorb` on the document's account (reserves from the document, default 0). */
export function cometAbsorbReport(doc: ResolvedCompoundDocument): CometAbsorbReport {
  const { config, account, prices, reserves } = doc;
  const baseDec = config.baseDecimals;
  const base = (u: bigint) => unitsToDecimal(u, baseDec);
  const health = lendingHealth(doc).healthFactor;
  const head = {
    venue: "compound-v3" as const,
    market: config.name,
    healthFactor: health,
    baseSymbol: config.baseSymbol,
  };
  try {
    const r = absorb(config, account, prices, reserves);
    const decimals = new Map(config.assets.map((a) => [a.symbol, a.decimals]));
    const factors = new Map(config.assets.map((a) => [a.symbol, a.liquidationFactor]));
    const basePrice = prices[config.baseSymbol] as bigint;
    return {
      ...head,
      revert: null,
      revertReason: null,
      seized: r.seized.map((s) => ({
        symbol: s.symbol,
        amount: unitsToDecimal(s.amount, decimals.get(s.symbol) ?? 0),
        usd: fromFixed(s.value, 8),
        creditUsd: fromFixed(s.credit, 8),
        liquidationFactor: fromFixed(factors.get(s.symbol) ?? 0n, 18),
        storeFrontDiscount: fromFixed(storeFrontDiscount(config, s.symbol), 18),
      })),
      balanceBefore: base(r.oldBalance),
      credit: base(r.deltaBalance),
      balanceAfter: base(r.newBalance),
      shortfall: base(r.shortfall),
      basePaidOut: {
        symbol: config.baseSymbol,
        amount: base(r.basePaidOut),
        usd: fromFixed(r.basePaidOut, baseDec) * fromFixed(basePrice, 8),
      },
      reservesBefore: base(r.reservesBefore),
      reservesAfter: base(r.reservesAfter),
      steps: [...r.steps],
    };
  } catch (err) {
    if (!(err instanceof CometRevertError) || err.reason !== "NotLiquidatable") throw err;
    return {
      ...head,
      revert: "NotLiquidatable",
      revertReason: `${err.explanation}: nothing to liquidate`,
      seized: [],
      balanceBefore: base(account.baseBalance),
      credit: "0",
      balanceAfter: base(account.baseBalance),
      shortfall: "0",
      basePaidOut: { symbol: config.baseSymbol, amount: "0", usd: 0 },
      reservesBefore: base(reserves),
      reservesAfter: base(reserves),
      steps: [],
    };
  }
}

/**
 * For each liquidatable position of a perpetual-venue account: the venue's `liquidationSteps`, the
 * liquidation fee (`liquidationFeeRate × notional`), the bankruptcy price and the insurance fund's
 * result of closing at the bankruptcy price and at the mark. Empty `positions` when healthy.
 */
export function perpLiquidateReport(resolved: ResolvedAccount): PerpLiquidateReport {
  const report = liqPriceReport(resolved);
  const positions = (report.liquidation ?? []).map((l): PerpPositionLiquidation => {
    const p = resolved.account.positions[l.position];
    const row = report.positions[l.position];
    if (p === undefined || row === undefined) throw new Error(`no position ${l.position}`);
    const rate = resolved.venue.liquidationFeeRate(p.instrument.symbol);
    const bp = row.bankruptcyPrice;
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
      liquidationFee: rate * row.notional,
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

const tokens = (t: TokenAmount) => `${t.amount} ${t.symbol} ($${formatNumber(t.usd)})`;

/** The readable form of an {@link AaveLiquidateReport}. */
export function renderAaveLiquidate(r: AaveLiquidateReport): string {
  const out = [
    `${LENDING_VENUE_NAMES["aave-v3"]}: liquidationCall(collateral ${r.collateral}, debt ${r.debt || "—"}, debtToCover ${r.debtToCoverRequested}), ${r.market}, Pool rules v${r.version}`,
    "",
  ];
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s.name} = ${s.value}: ${s.note}`);
  });
  if (r.revert !== null) {
    out.push("", `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactorBefore}.`);
    return out.join("\n");
  }
  out.push(
    "",
    renderTable(
      [],
      [
        ["Debt repaid", tokens(r.debtRepaid)],
        ["Collateral seized", tokens(r.collateralSeized)],
        ["Liquidation bonus", tokens(r.bonus)],
        ["Protocol fee (treasury)", tokens(r.protocolFee)],
        ["Liquidator receives", tokens(r.liquidatorReceives)],
        ["Liquidator profit", `$${formatNumber(r.liquidatorProfitUsd)}`],
        ["Deficit (bad debt)", r.deficit.length === 0 ? "none" : r.deficit.map(tokens).join(", ")],
        ["Health factor before", r.healthFactorBefore],
        ["Health factor after", r.healthFactorAfter],
      ],
      { rightAlign: [1] },
    ),
  );
  return out.join("\n");
}

/** The readable form of a {@link CometAbsorbReport}. */
export function renderCometAbsorb(r: CometAbsorbReport): string {
  const out = [`${LENDING_VENUE_NAMES["compound-v3"]}: absorb, ${r.market}`, ""];
  if (r.revert !== null) {
    out.push(`Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}.`);
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    renderTable(
      ["Seized", "Amount", "Value", "Liq. factor", "Credit", "Store-front discount"],
      r.seized.map((s) => [
        s.symbol,
        s.amount,
        formatNumber(s.usd),
        formatPercent(s.liquidationFactor),
        formatNumber(s.creditUsd),
        formatPercent(s.storeFrontDiscount),
      ]),
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    "",
    renderTable(
      [],
      [
        ["Health factor before", r.healthFactor.exact],
        [`Balance before (${r.baseSymbol})`, r.balanceBefore],
        [`Credit (${r.baseSymbol})`, r.credit],
        [`Balance after (${r.baseSymbol})`, r.balanceAfter],
        [`Shortfall absorbed by reserves (${r.baseSymbol})`, r.shortfall],
        ["Paid out of reserves", tokens(r.basePaidOut)],
        [`Reserves (${r.baseSymbol})`, `${r.reservesBefore} → ${r.reservesAfter}`],
      ],
      { rightAlign: [1] },
    ),
  );
  return out.join("\n");
}

/** The readable form of a {@link PerpLiquidateReport}. */
export function renderPerpLiquidate(r: PerpLiquidateReport, venueName: string): string {
  const asset = r.marginAsset ?? "";
  const out = [
    `${venueName} (${r.venue}), ${r.marginMode} margin${asset === "" ? "" : `, amounts in ${asset}`}`,
    "",
  ];
  if (r.positions.length === 0) {
    out.push("Nothing to liquidate: no position is liquidatable.");
    return out.join("\n");
  }
  for (const p of r.positions) {
    out.push(`Liquidation of #${p.position} ${p.symbol} (${p.side}, size ${formatNumber(p.size, 8)}):`);
    p.steps.forEach((s, k) => {
      out.push(`  ${k + 1}. ${s.action} (${formatPercent(s.fraction, 1)} of the position): ${s.note}`);
    });
    const fund = (x: number | null) =>
      x === null ? "— (no bankruptcy price)" : `${x >= 0 ? "gains" : "pays"} ${formatNumber(Math.abs(x))}`;
    out.push(
      renderTable(
        [],
        [
          ["Mark price", formatNumber(p.markPrice)],
          ["Liquidation price", p.liquidationPrice === null ? "none" : formatNumber(p.liquidationPrice)],
          ["Bankruptcy price", p.bankruptcyPrice === null ? "none" : formatNumber(p.bankruptcyPrice)],
          ["Notional", formatNumber(p.notional)],
          [
            "Liquidation fee",
            `${formatNumber(p.liquidationFee)} (${formatPercent(p.liquidationFeeRate, 3)} of notional)`,
          ],
          ["Insurance fund, closed at bankruptcy price", fund(p.insuranceFund.closedAtBankruptcy)],
          ["Insurance fund, closed at the mark", fund(p.insuranceFund.closedAtMark)],
        ],
        { rightAlign: [1] },
      ),
      "",
    );
  }
  return out.join("\n").trimEnd();
}

/** Registers `liqopt liquidate --input <file|-> [--collateral S] [--debt S] [--debt-to-cover X] [--json]`. */
export function registerLiquidate(program: Command): void {
  program
    .command("liquidate")
    .description("step-by-step outcome of liquidating an account under its venue's procedure")
    .requiredOption("-i, --input <file>", "account document (perp or lending); - for stdin")
    .option("--collateral <symbol>", "Aave: collateral to seize (default: the largest by value)")
    .option("--debt <symbol>", "Aave: debt to repay (default: the largest by value)")
    .option("--debt-to-cover <amount>", "Aave: debt tokens to repay, or max (default: max allowed)")
    .option("--json", "print one JSON object instead of tables")
    .action(async (opts) => {
      const loaded = await loadDocument(opts.input);
      const aaveOnly = (["collateral", "debt", "debtToCover"] as const).find((k) => opts[k] !== undefined);
      if (aaveOnly !== undefined && (loaded.kind === "perp" || loaded.resolved.venue !== "aave-v3")) {
        const flag = aaveOnly === "debtToCover" ? "--debt-to-cover" : `--${aaveOnly}`;
        throw new InputError(flag, opts[aaveOnly], "applies to aave-v3 documents only", `Drop ${flag}.`);
      }
      const json = opts.json === true;
      if (loaded.kind === "perp") {
        const r = perpLiquidateReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderPerpLiquidate(r, loaded.resolved.venue.name));
      } else if (loaded.resolved.venue === "aave-v3") {
        const r = aaveLiquidateReport(loaded.resolved, {
          ...(opts.collateral === undefined ? {} : { collateral: opts.collateral }),
          ...(opts.debt === undefined ? {} : { debt: opts.debt }),
          ...(opts.debtToCover === undefined ? {} : { debtToCover: opts.debtToCover }),
        });
        writeOut(json ? toJson(r) : renderAaveLiquidate(r));
      } else {
        const r = cometAbsorbReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderCometAbsorb(r));
      }
    });
}
