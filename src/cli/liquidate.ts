import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { unrealizedPnlAt } from "../margin/position.js";
import { fromFixed } from "../math/fixed-point.js";
import {
  type AaveRevert,
  formatWad,
  isolatedDebtAfterRepay,
  isolationModeState,
  liquidationCall,
} from "../venues/aave-v3.js";
import type { ResolvedAccount } from "../venues/account-document.js";
import { absorb, CometRevertError, storeFrontDiscount, storeFrontSale } from "../venues/compound-v3.js";
import { type DriftLiquidateReport, driftLiquidateReport } from "../venues/drift-document.js";
import type { LiquidationStep } from "../venues/index.js";
import {
  type ResolvedAaveDocument,
  type ResolvedCompoundDocument,
  type ResolvedMakerDocument,
  readDecimalUnits,
} from "../venues/lending-document.js";
import { liqPriceReport } from "../venues/liq-price-report.js";
import {
  type BarkResult,
  bark,
  type ClipperParams,
  chostOf,
  DssRevertError,
  type DssRevertReason,
  type KickResult,
  kick,
  makerLiquidationPrice,
  status,
} from "../venues/maker-clip.js";
import { formatNumber, formatPercent, loadDocument, renderTable, toJson, writeOut } from "./io.js";
import { LENDING_VENUE_NAMES, lendingHealth, makerVatIlk, rayToNumber, unitsToDecimal } from "./lending.js";
import { driftAccountRows, sideLabel } from "./liq-price.js";

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
  /**
   * Isolation mode: the isolated collateral's `isolationModeTotalDebt` (USD) before and after, reduced by
   * the debt repaid (`IsolationModeLogic.updateIsolatedDebtIfIsolated`); null when not isolated.
   */
  isolation: { collateral: string; totalDebtBeforeUsd: number; totalDebtAfterUsd: number } | null;
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
  /**
   * The store-front sale of the seized collateral after absorb (`storeFrontSale`): per asset whether
   * `buyCollateral` is open (reserves below target), base paid, collateral sold and left; what the
   * protocol recovers and its net result against `basePaidOut`. Null on a revert.
   */
  storeFront: {
    lots: {
      symbol: string;
      forSale: boolean;
      discount: number;
      basePaid: string;
      collateralSold: string;
      collateralLeft: string;
      reservesAfter: string;
    }[];
    baseRecovered: TokenAmount;
    netToReserves: string;
    reservesAfter: string;
    targetReserves: string;
  } | null;
  steps: string[];
}

/** One point of a Clipper auction's price curve. */
export interface AuctionPoint {
  label: string;
  /** Seconds since the kick. */
  seconds: number;
  /** Auction price [DAI per collateral token]. */
  price: number;
  /** `price / top`. */
  fractionOfTop: number;
  /** `Clipper.status` says the auction needs a reset (elapsed > tail or price/top < cusp). */
  needsReset: boolean;
}

/** `liqopt liquidate --json` for a Maker vault: `Dog.bark` then `Clipper.kick` and the price curve. */
export interface MakerLiquidateReport {
  venue: "maker";
  ilk: string;
  symbol: string;
  healthFactor: { exact: string; float: number };
  /** Collateral price at which the vault becomes unsafe (`makerLiquidationPrice`); null without debt. */
  liquidationPrice: number | null;
  feedPrice: number;
  /** The dss revert string when bark or kick reverts, else null. */
  revert: DssRevertReason | null;
  revertReason: string | null;
  /** `Dog.bark`, amounts in tokens/DAI as exact decimals; null on a revert. */
  bark: {
    room: string;
    collateralSeized: string;
    debtConfiscated: string;
    tab: string;
    penalty: string;
    partial: boolean;
    forcedFull: boolean;
    vaultAfter: { collateral: string; debt: string };
  } | null;
  /** `Clipper.kick`: starting price and keeper incentive (DAI); null on a revert. */
  kick: { top: number; lot: string; tab: string; keeperIncentive: string } | null;
  /** The auction's price after 0 s, 10 min, 30 min, 1 h and at the cusp; null on a revert. */
  curve: {
    kind: "stairstep";
    cut: number;
    step: number;
    tail: number;
    cusp: number;
    points: AuctionPoint[];
    /** First second at which price/top < cusp (the auction needs a reset), null if never. */
    cuspReachedAfter: number | null;
  } | null;
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
      isolation: null,
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
    isolation: isolationLine(doc, out.debtRepaid, debtDec),
    steps,
  };
}

function isolationLine(
  doc: ResolvedAaveDocument,
  repaid: bigint,
  decimals: number,
): AaveLiquidateReport["isolation"] {
  const iso = isolationModeState(doc.account, doc.market);
  if (iso.collateral === null) return null;
  return {
    collateral: iso.collateral,
    totalDebtBeforeUsd: Number(iso.isolationModeTotalDebt) / 100,
    totalDebtAfterUsd: Number(isolatedDebtAfterRepay(iso.isolationModeTotalDebt, repaid, decimals)) / 100,
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
      storeFront: (() => {
        const sale = storeFrontSale(config, r, prices);
        return {
          lots: sale.lots.map((l) => ({
            symbol: l.symbol,
            forSale: l.forSale,
            discount: fromFixed(l.discount, 18),
            basePaid: base(l.basePaid),
            collateralSold: unitsToDecimal(l.collateralSold, decimals.get(l.symbol) ?? 0),
            collateralLeft: unitsToDecimal(l.collateralLeft, decimals.get(l.symbol) ?? 0),
            reservesAfter: base(l.reservesAfter),
          })),
          baseRecovered: {
            symbol: config.baseSymbol,
            amount: base(sale.baseRecovered),
            usd: fromFixed(sale.baseRecovered, baseDec) * fromFixed(basePrice, 8),
          },
          netToReserves: base(sale.netToReserves),
          reservesAfter: base(sale.reservesAfter),
          targetReserves: base(config.targetReserves),
        };
      })(),
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
      storeFront: null,
      steps: [],
    };
  }
}

const wadText = (x: bigint) => unitsToDecimal(x, 18);
const radText = (x: bigint) => unitsToDecimal(x, 45);

/** Clipper parameters of a Maker document; `dust` must be given (an InputError naming it otherwise). */
function makerClipper(doc: ResolvedMakerDocument): ClipperParams & { dust: bigint } {
  const p = doc.params;
  if (p.dust === undefined)
    throw new InputError(
      "ilkParams.dust",
      undefined,
      "is required by liquidate (bark checks the remnant and the auction against dust)",
      "Give the minimum vault debt in DAI, e.g. 15000.",
    );
  return {
    buf: p.buf,
    tail: p.tail,
    cusp: p.cusp,
    chip: p.chip,
    tip: p.tip,
    chost: chostOf(p.dust, p.chop),
    calc: p.calc,
    dust: p.dust,
  };
}

/** First multiple of `step` at which price/top < cusp (stairstep curve), or null within 10⁶ steps. */
function cuspTime(clip: ClipperParams, top: bigint): number | null {
  const { calc } = clip;
  if (calc.kind !== "stairstep") return null;
  for (let k = 0n; k <= 1_000_000n; k++) {
    const price = status(clip, { tab: 1n, lot: 1n, tic: 0n, top }, k * calc.step).price;
    if ((price * 10n ** 27n) / top < clip.cusp) return Number(k * calc.step);
    if (price === 0n) return null;
  }
  return null;
}

/**
 * Liquidates a Maker vault document as dss would: `Dog.bark` (room = the ilk's `hole`, used as the
 * global `Hole` too, with no other auction running: `Dirt = dirt = 0`), then `Clipper.kick` at the
 * document's price (`top = price·buf`), and the auction's price after 10 min, 30 min and 1 h and
 * when it falls below `cusp`. A revert (e.g. `Dog/not-unsafe`) is a result with dss's reason.
 * `ilkParams.dust` is required.
 */
export function makerLiquidateReport(doc: ResolvedMakerDocument): MakerLiquidateReport {
  const clip = makerClipper(doc);
  const vatIlk = { ...makerVatIlk(doc), dust: clip.dust };
  const health = lendingHealth(doc).healthFactor;
  const head = {
    venue: "maker" as const,
    ilk: doc.ilk,
    symbol: doc.symbol,
    healthFactor: health,
    liquidationPrice:
      doc.urn.art === 0n
        ? null
        : makerLiquidationPrice({ urn: doc.urn, rate: doc.rate, mat: rayToNumber(doc.params.mat) }),
    feedPrice: rayToNumber(doc.feedPrice),
  };
  let barked: BarkResult;
  let kicked: KickResult;
  try {
    barked = bark({
      urn: doc.urn,
      vatIlk,
      dogIlk: { chop: doc.params.chop, hole: doc.params.hole, dirt: 0n },
      dog: { Hole: doc.params.hole, Dirt: 0n },
    });
    kicked = kick(clip, { tab: barked.tab, lot: barked.dink, feedPrice: doc.feedPrice, now: 0n });
  } catch (err) {
    if (!(err instanceof DssRevertError)) throw err;
    return {
      ...head,
      revert: err.reason,
      revertReason: err.message.slice(err.reason.length + 2),
      bark: null,
      kick: null,
      curve: null,
      steps: [],
    };
  }
  const { sale } = kicked;
  const cuspAt = cuspTime(clip, sale.top);
  const at = (label: string, seconds: number): AuctionPoint => {
    const s = status(clip, sale, BigInt(seconds));
    return {
      label,
      seconds,
      price: rayToNumber(s.price),
      fractionOfTop: rayToNumber((s.price * 10n ** 27n) / sale.top),
      needsReset: s.done,
    };
  };
  const points = [at("kick (top)", 0), at("10 min", 600), at("30 min", 1_800), at("1 h", 3_600)];
  if (cuspAt !== null) points.push(at("first below cusp", cuspAt));
  const calc = doc.params.calc;
  return {
    ...head,
    revert: null,
    revertReason: null,
    bark: {
      room: radText(barked.room),
      collateralSeized: wadText(barked.dink),
      debtConfiscated: radText(barked.due),
      tab: radText(barked.tab),
      penalty: radText(barked.tab - barked.due),
      partial: barked.partial,
      forcedFull: barked.forcedFull,
      vaultAfter: { collateral: wadText(barked.urn.ink), debt: radText(barked.urn.art * doc.rate) },
    },
    kick: {
      top: rayToNumber(sale.top),
      lot: wadText(sale.lot),
      tab: radText(sale.tab),
      keeperIncentive: radText(kicked.coin),
    },
    curve: {
      kind: "stairstep",
      cut: rayToNumber(calc.cut),
      step: Number(calc.step),
      tail: Number(clip.tail),
      cusp: rayToNumber(clip.cusp),
      points,
      cuspReachedAfter: cuspAt,
    },
    steps: [
      ...barked.steps,
      `kick: top = feedPrice·buf = ${rayToNumber(sale.top)} DAI, lot ${wadText(sale.lot)} ${doc.symbol}, tab ${radText(sale.tab)} DAI; keeper incentive tip + tab·chip = ${radText(kicked.coin)} DAI`,
    ],
  };
}

/** The readable form of a {@link MakerLiquidateReport}. */
export function renderMakerLiquidate(r: MakerLiquidateReport): string {
  const out = [`${LENDING_VENUE_NAMES.maker}: Dog.bark + Clipper.kick, ilk ${r.ilk}`, ""];
  const lp = r.liquidationPrice === null ? "none" : formatNumber(r.liquidationPrice);
  if (r.revert !== null || r.bark === null || r.kick === null || r.curve === null) {
    out.push(
      `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}, liquidation price ${lp}.`,
    );
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  const b = r.bark;
  out.push(
    "",
    renderTable(
      [],
      [
        ["Health factor before", r.healthFactor.exact],
        [`Liquidation price (${r.symbol})`, lp],
        [`Collateral seized (${r.symbol})`, b.collateralSeized],
        ["Debt confiscated (DAI)", b.debtConfiscated],
        ["Tab to raise (DAI)", b.tab],
        ["Liquidation penalty (DAI)", b.penalty],
        ["Partial", b.partial ? (b.forcedFull ? "no (remnant would be dusty)" : "yes") : "no"],
        [`Vault after (${r.symbol} / DAI)`, `${b.vaultAfter.collateral} / ${b.vaultAfter.debt}`],
        ["Keeper incentive (DAI)", r.kick.keeperIncentive],
      ],
      { rightAlign: [1] },
    ),
    "",
    `Auction price (stairstep: ×${r.curve.cut} every ${r.curve.step} s; reset after ${r.curve.tail} s or below ${formatPercent(r.curve.cusp)} of top):`,
    renderTable(
      ["When", "Seconds", "Price", "Of top", "Needs reset"],
      r.curve.points.map((p) => [
        p.label,
        String(p.seconds),
        formatNumber(p.price),
        formatPercent(p.fractionOfTop),
        p.needsReset ? "yes" : "no",
      ]),
      { rightAlign: [1, 2, 3] },
    ),
  );
  if (r.curve.cuspReachedAfter === null) out.push("The price never falls below the cusp.");
  return out.join("\n");
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
        ...(r.isolation === null
          ? []
          : [
              [
                `Isolated debt of ${r.isolation.collateral} (USD)`,
                `${formatNumber(r.isolation.totalDebtBeforeUsd)} → ${formatNumber(r.isolation.totalDebtAfterUsd)}`,
              ],
            ]),
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
  const sf = r.storeFront;
  if (sf !== null)
    out.push(
      "",
      `Store-front sale of the seized collateral (buyCollateral, open while reserves < target ${sf.targetReserves} ${r.baseSymbol}):`,
      renderTable(
        [
          "Asset",
          "For sale",
          "Discount",
          `Paid (${r.baseSymbol})`,
          "Sold",
          "Left with protocol",
          "Reserves after",
        ],
        sf.lots.map((l) => [
          l.symbol,
          l.forSale ? "yes" : "no (reserves ≥ target)",
          formatPercent(l.discount),
          l.basePaid,
          l.collateralSold,
          l.collateralLeft,
          l.reservesAfter,
        ]),
        { rightAlign: [2, 3, 4, 5, 6] },
      ),
      `Protocol recovers ${tokens(sf.baseRecovered)}; net to reserves after absorb and sale: ${sf.netToReserves} ${r.baseSymbol} (reserves ${sf.reservesAfter}).`,
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

const DRIFT_OUTCOMES: Record<DriftLiquidateReport["outcome"], string> = {
  "not-liquidatable": "not liquidatable: total collateral covers the maintenance requirement",
  "exited-liquidation": "the user leaves liquidation (TC ≥ MR + buffer)",
  bankrupt: "every position is gone and the account is negative: bankruptcy resolved",
  "positions-closed": "every position is gone; the account stays solvent",
  stalled: "no liquidator call can take more (speed limit at 100 % and nothing freeable)",
};

/** The readable form of a {@link DriftLiquidateReport}. */
export function renderDriftLiquidate(r: DriftLiquidateReport): string {
  const out = ["Drift v2 (drift-v2): liquidate_perp sequence, amounts in USDC", ""];
  if (!r.liquidatable) {
    out.push(`Nothing to liquidate: ${DRIFT_OUTCOMES[r.outcome]}.`);
    return out.join("\n");
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  out.push(
    "",
    renderTable(
      [
        "Slot",
        "Market",
        "Shortage",
        "Liq. fee",
        "IF fee",
        "Base to cover",
        "Speed limit",
        "Base taken",
        "At price",
        "Liq. fee paid",
        "IF fee paid",
        "Shortage after",
      ],
      r.calls.map((c) => [
        `+${c.slotsElapsed}`,
        c.symbol,
        formatNumber(c.marginShortageBefore),
        formatPercent(c.liquidatorFee, 4),
        formatPercent(c.ifFee, 4),
        c.baseToCoverMarginShortage === null ? "all" : formatNumber(c.baseToCoverMarginShortage, 9),
        formatPercent(c.maxPctAllowed),
        formatNumber(c.baseTaken, 9),
        formatNumber(c.transferPrice),
        formatNumber(c.liquidatorFeePaid),
        formatNumber(c.ifFeePaid),
        formatNumber(c.marginShortageAfter),
      ]),
      { rightAlign: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
    ),
  );
  const b = r.bankruptcy;
  if (b !== null)
    out.push(
      "",
      `Bankruptcy (${b.symbol})`,
      renderTable(
        [],
        [
          ["Loss", formatNumber(b.loss)],
          ["Paid by the insurance fund", formatNumber(b.ifPayment)],
          ["Paid by the fee pool", formatNumber(b.feePoolPayment)],
          ["Socialised", formatNumber(b.socializedLoss)],
          ["Cumulative funding shift per base", formatNumber(b.cumulativeFundingRateDelta, 9)],
        ],
        { rightAlign: [1] },
      ),
    );
  out.push(
    "",
    `Outcome: ${DRIFT_OUTCOMES[r.outcome]}.`,
    renderTable(
      ["", "Before", "After"],
      driftAccountRows(r.before).map((row, i) => [...row, driftAccountRows(r.after)[i]?.[1] ?? ""]),
      { rightAlign: [1, 2] },
    ),
  );
  return out.join("\n");
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
      if (aaveOnly !== undefined && (loaded.kind !== "lending" || loaded.resolved.venue !== "aave-v3")) {
        const flag = aaveOnly === "debtToCover" ? "--debt-to-cover" : `--${aaveOnly}`;
        throw new InputError(flag, opts[aaveOnly], "applies to aave-v3 documents only", `Drop ${flag}.`);
      }
      const json = opts.json === true;
      if (loaded.kind === "drift") {
        const r = driftLiquidateReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderDriftLiquidate(r));
      } else if (loaded.kind === "perp") {
        const r = perpLiquidateReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderPerpLiquidate(r, loaded.resolved.venue.name));
      } else if (loaded.resolved.venue === "aave-v3") {
        const r = aaveLiquidateReport(loaded.resolved, {
          ...(opts.collateral === undefined ? {} : { collateral: opts.collateral }),
          ...(opts.debt === undefined ? {} : { debt: opts.debt }),
          ...(opts.debtToCover === undefined ? {} : { debtToCover: opts.debtToCover }),
        });
        writeOut(json ? toJson(r) : renderAaveLiquidate(r));
      } else if (loaded.resolved.venue === "maker") {
        const r = makerLiquidateReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderMakerLiquidate(r));
      } else {
        const r = cometAbsorbReport(loaded.resolved);
        writeOut(json ? toJson(r) : renderCometAbsorb(r));
      }
    });
}
