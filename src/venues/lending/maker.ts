/**
 * Maker (a dss vault) as a {@link LendingVenue}, in one file over the exact engine (`../maker-clip.ts`):
 *
 * - **the document**: `{venue: "maker", ilk?, collateral, debt, ilkParams?}` (schema
 *   `schemas/lending-account.schema.json`) read into dss units plus the float view, with the shared
 *   readers of `../lending-document.ts`;
 * - **the Vat's view**: `spot = feedPrice/mat`, the vault's exact health factor, the liquidation price
 *   of its one collateral, its holdings;
 * - **the liquidation report**: `Dog.bark` → `Clipper.kick` → the auction's price curve with the first
 *   second below `cusp` (`liqopt liquidate`), and its readable form;
 * - **the venue**: {@link makerLending}, built by `moneyMarketVenue` (which writes the `liq-price` and
 *   `what-if` reports and their text).
 */
import { InputError } from "../../errors.js";
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import { healthFactor, type LendingAccount } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed, RAY, WAD } from "../../math/fixed-point.js";
import { MAX_PRICE_USD, readArray, readRecord, readString } from "../../validate.js";
import { formatWad } from "../aave-v3.js";
import { AMOUNT_FIX, RAY_DECIMALS, readDecimalUnits, readVenueRecord } from "../lending-document.js";
import {
  type BarkResult,
  bark,
  type ClipperParams,
  chostOf,
  type DssRevertReason,
  ETH_B_APRIL_2021,
  ILK_MAT,
  isUnsafe,
  type KickResult,
  kick,
  liquidationPrice,
  type PriceCurve,
  type Rad,
  type Ray,
  status,
  type Urn,
  type VatIlk,
  vaultLendingAccount,
  type Wad,
} from "../maker-clip.js";
import { isVenueRevert } from "../revert.js";
import { type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";

// --- the document --------------------------------------------------------------------------------

/**
 * The governed parameters of a Maker ilk in dss units. `mat` is always present (the reader requires
 * it); `dust` has no default and is checked by the commands that need it (`liquidate`).
 */
export interface MakerIlkParams {
  /** Liquidation ratio [ray], e.g. 1.3 for 130 %. */
  mat: Ray;
  /** Liquidation penalty multiplier [wad], e.g. 1.13. */
  chop: Wad;
  /** Minimum vault debt [rad]; undefined when the document does not give it. */
  dust: Rad | undefined;
  /** Limit on DAI in this ilk's auctions [rad] (also used as the Dog's global `Hole`). */
  hole: Rad;
  /** Starting-price multiplier [ray]. */
  buf: Ray;
  /** Seconds after which an auction needs a reset. */
  tail: bigint;
  /** price/top below which an auction needs a reset [ray]. */
  cusp: Ray;
  /** The Abacus: stairstep exponential decrease (`cut` [ray] every `step` seconds). */
  calc: PriceCurve & { kind: "stairstep" };
  /** Flat keeper incentive [rad]. */
  tip: Rad;
  /** Keeper incentive as a share of tab [wad]. */
  chip: Wad;
}

/** A Maker vault document resolved to dss units (rate 1: the debt is the normalised debt). */
export interface ResolvedMakerDocument {
  venue: "maker";
  ilk: string;
  /** The collateral's symbol (the document's `collateral[0].symbol`). */
  symbol: string;
  /** The vault: `ink` [wad] locked collateral, `art` [wad] debt with `rate = RAY`. */
  urn: Urn;
  /** Debt accumulator [ray]; the document gives the debt in DAI, so always `RAY`. */
  rate: Ray;
  /** The collateral's (OSM) price in DAI [ray], the Clipper's feed price. */
  feedPrice: Ray;
  params: MakerIlkParams;
  /** {@link vaultLendingAccount} of the vault. */
  lending: LendingAccount;
}

/** `ilkParams` keys: dss name, decimals (null: integer seconds), default (undefined: none). */
const MAKER_PARAMS = {
  mat: { decimals: 27, fix: "The liquidation ratio, e.g. 1.3 for 130 %." },
  chop: { decimals: 18, fix: "1 + the liquidation penalty, e.g. 1.13 for 13 %." },
  dust: { decimals: 45, fix: "The minimum vault debt in DAI, e.g. 15000." },
  hole: { decimals: 45, fix: "The limit on DAI in this ilk's auctions, e.g. 8000000." },
  buf: { decimals: 27, fix: "The starting-price multiplier over the feed price, e.g. 1.3." },
  tail: { decimals: 0, fix: "Seconds before an auction needs a reset, e.g. 8400." },
  cusp: { decimals: 27, fix: "The price/top fraction below which an auction needs a reset, e.g. 0.4." },
  cut: { decimals: 27, fix: "The price multiplier per step, a fraction ≤ 1, e.g. 0.99." },
  step: { decimals: 0, fix: "Seconds between price cuts, a positive integer, e.g. 90." },
  tip: { decimals: 45, fix: "The flat keeper incentive in DAI, e.g. 0 or 300." },
  chip: { decimals: 18, fix: "The keeper incentive as a fraction of tab, e.g. 0.001." },
} as const;

type MakerParamKey = keyof typeof MAKER_PARAMS;

/**
 * The document's `ilkParams` in dss units: each key of {@link MAKER_PARAMS} read at its decimals, missing
 * ones from {@link ETH_B_APRIL_2021} (`mat` from {@link ILK_MAT}, tip and chip 0), with the bounds dss's
 * `file` enforces; an unknown key or a bad value is an {@link InputError} naming `ilkParams.<key>`.
 */
function readMakerParams(raw: unknown, ilk: string): MakerIlkParams {
  const p =
    raw === undefined
      ? {}
      : readRecord(raw, "ilkParams", 'Give the ilk\'s parameters, e.g. {"mat": 1.3, "dust": 15000}.');
  const keys = Object.keys(MAKER_PARAMS);
  for (const key of Object.keys(p))
    if (!keys.includes(key))
      throw new InputError(
        `ilkParams.${key}`,
        p[key],
        "is not a Maker ilk parameter",
        `Allowed: ${keys.join(", ")}.`,
      );
  const read = (key: MakerParamKey, fallback: bigint | undefined): bigint | undefined => {
    const spec = MAKER_PARAMS[key];
    if (p[key] === undefined) return fallback;
    return readDecimalUnits(p[key], `ilkParams.${key}`, spec.decimals, {
      excess: spec.decimals === 0 ? "reject" : "truncate",
      fix: spec.fix,
    });
  };
  const need = (key: MakerParamKey, fallback: bigint | undefined): bigint => {
    const v = read(key, fallback);
    if (v === undefined)
      throw new InputError(`ilkParams.${key}`, undefined, "is required", MAKER_PARAMS[key].fix);
    return v;
  };
  const e = ETH_B_APRIL_2021;
  const calc = e.calc as PriceCurve & { kind: "stairstep" };
  const bundledMat = ILK_MAT[ilk];
  if (p.mat === undefined && bundledMat === undefined)
    throw new InputError(
      "ilkParams.mat",
      undefined,
      `is required for ilk ${ilk} (liqopt bundles a sourced mat only for ${Object.keys(ILK_MAT).join(", ")})`,
      `${MAKER_PARAMS.mat.fix} Read it on-chain: Spot.ilks("${ilk}").mat (ray; 1.3e27 is 130 %).`,
    );
  const mat = need("mat", bundledMat);
  if (mat < RAY) throw new InputError("ilkParams.mat", p.mat, "must be at least 1", MAKER_PARAMS.mat.fix);
  const chop = need("chop", e.chop);
  if (chop < 10n ** 18n)
    throw new InputError(
      "ilkParams.chop",
      p.chop,
      "must be at least 1 (dss reverts with Dog/file-chop-lt-WAD)",
      MAKER_PARAMS.chop.fix,
    );
  const cut = need("cut", calc.cut);
  if (cut > RAY)
    throw new InputError(
      "ilkParams.cut",
      p.cut,
      "must be at most 1 (dss: …/cut-gt-RAY)",
      MAKER_PARAMS.cut.fix,
    );
  const step = need("step", calc.step);
  if (step === 0n) throw new InputError("ilkParams.step", p.step, "must be positive", MAKER_PARAMS.step.fix);
  const cusp = need("cusp", e.cusp);
  if (cusp > RAY) throw new InputError("ilkParams.cusp", p.cusp, "must be at most 1", MAKER_PARAMS.cusp.fix);
  const chip = need("chip", 0n);
  if (chip >= 2n ** 64n)
    throw new InputError("ilkParams.chip", p.chip, "does not fit uint64", MAKER_PARAMS.chip.fix);
  return {
    mat,
    chop,
    dust: read("dust", undefined),
    hole: need("hole", e.ilkHole),
    buf: need("buf", e.buf),
    tail: need("tail", e.tail),
    cusp,
    calc: { kind: "stairstep", cut, step },
    tip: need("tip", 0n),
    chip,
  };
}

/**
 * Reads a Maker vault document: `{venue: "maker", ilk? ("ETH-B"), collateral: [one {symbol, amount,
 * price}], debt: [] or [{symbol: "DAI", amount, price? (1)}], ilkParams?: {mat?, chop?, dust?, hole?,
 * buf?, tail?, cusp?, cut?, step?, tip?, chip?}}` as decimals (DAI amounts for dust/hole/tip, seconds
 * for tail/step); defaults from {@link ETH_B_APRIL_2021} (tip and chip 0); `mat` defaults to the
 * sourced {@link ILK_MAT} for ETH-A/B/C and is required for any other ilk; `dust` is required only by
 * `liquidate`. The debt is taken as `art` with `rate = 1`. Every bad field raises an
 * {@link InputError} naming it.
 */
function resolveMakerDocument(raw: unknown): ResolvedMakerDocument {
  const doc = readVenueRecord(raw, "maker", ["venue", "ilk", "collateral", "debt", "ilkParams"]);
  const ilk =
    doc.ilk === undefined ? ETH_B_APRIL_2021.ilk : readString(doc.ilk, "ilk", 'Name the ilk, e.g. "ETH-B".');
  const fixCollateral = 'A vault locks one collateral: [{"symbol": "ETH", "amount": "10", "price": 2000}].';
  const collateral = readArray(doc.collateral, "collateral", fixCollateral);
  if (collateral.length !== 1)
    throw new InputError("collateral", doc.collateral, "must hold exactly one entry", fixCollateral);
  const c = readRecord(collateral[0], "collateral[0]", fixCollateral);
  const symbol = readString(c.symbol, "collateral[0].symbol", "Give the collateral's ticker, e.g. ETH.");
  const ink = readDecimalUnits(c.amount ?? null, "collateral[0].amount", 18, {
    excess: "reject",
    fix: AMOUNT_FIX,
  });
  const feedPrice = readDecimalUnits(c.price ?? null, "collateral[0].price", RAY_DECIMALS, {
    excess: "truncate",
    positive: true,
    maxMagnitude: MAX_PRICE_USD,
    fix: "Give the collateral's (OSM) price in DAI, e.g. 2000.",
  });
  const fixDebt = 'A vault owes DAI only: [{"symbol": "DAI", "amount": "10000"}], or [] for none.';
  const debt = readArray(doc.debt, "debt", fixDebt);
  if (debt.length > 1) throw new InputError("debt", doc.debt, "must hold at most one entry (DAI)", fixDebt);
  let art = 0n;
  if (debt.length === 1) {
    const d = readRecord(debt[0], "debt[0]", fixDebt);
    const s = readString(d.symbol, "debt[0].symbol", fixDebt);
    if (s !== "DAI") throw new InputError("debt[0].symbol", s, "must be DAI", fixDebt);
    art = readDecimalUnits(d.amount ?? null, "debt[0].amount", 18, { excess: "reject", fix: AMOUNT_FIX });
    if (d.price !== undefined && Number(d.price) !== 1)
      throw new InputError(
        "debt[0].price",
        d.price,
        "must be 1 (the Vat counts DAI at par)",
        "Drop the price.",
      );
  }
  const params = readMakerParams(doc.ilkParams, ilk);
  const urn: Urn = { ink, art };
  const lending = vaultLendingAccount({
    urn,
    rate: RAY,
    price: Number(feedPrice) / 1e27,
    mat: Number(params.mat) / 1e27,
    symbol,
  });
  return { venue: "maker", ilk, symbol, urn, rate: RAY, feedPrice, params, lending };
}

// --- the Vat's view: health, liquidation price, holdings -----------------------------------------

/** A fraction/price in ray as a float. */
const rayToNumber = (x: bigint): number => Number(x) / 1e27;

/**
 * The Vat's view of a Maker vault document: `spot = rdiv(feedPrice, mat)` (par 1), `rate` and `dust`
 * (0 when the document gives none; `liquidate` requires it). Source: dss `src/spot.sol` `poke`.
 */
function makerVatIlk(doc: ResolvedMakerDocument): VatIlk {
  return { rate: doc.rate, spot: (doc.feedPrice * RAY) / doc.params.mat, dust: doc.params.dust ?? 0n };
}

/**
 * The exact health factor of a Maker vault, `ink·spot / (art·rate)` as a WAD (floor), which dss never
 * forms: below 1 exactly when `Dog.bark` accepts the vault (`Dog/not-unsafe` does not hold).
 * `"max"` without debt.
 */
function makerHealthFactorExact(doc: ResolvedMakerDocument): string {
  const debt = doc.urn.art * doc.rate;
  if (debt === 0n) return "max";
  return formatWad((doc.urn.ink * makerVatIlk(doc).spot * WAD) / debt);
}

/** {@link liquidationPrice} of a vault document, null with a reason when nothing is locked or owed. */
function makerLp(doc: ResolvedMakerDocument): { price: number | null; reason: string | null } {
  if (doc.urn.art === 0n) return { price: null, reason: "no debt: the vault cannot become unsafe" };
  const price = liquidationPrice({ urn: doc.urn, rate: doc.rate, mat: rayToNumber(doc.params.mat) });
  if (!Number.isFinite(price))
    return { price: null, reason: "no collateral locked: the vault is unsafe at any price" };
  return { price, reason: null };
}

/** {@link makerHealthFactorExact}, the float health factor, and unsafe as `Dog.bark` checks it. */
function makerHealth(doc: ResolvedMakerDocument): LendingHealth {
  return {
    healthFactor: { exact: makerHealthFactorExact(doc), float: healthFactor(doc.lending) },
    liquidatable: isUnsafe(doc.urn, makerVatIlk(doc)),
  };
}

/** The vault's collateral (`ink`, wad) and its DAI debt `art·rate` (wad; none without debt). */
function makerHoldings(doc: ResolvedMakerDocument): { collateral: Holding[]; debt: Holding[] } {
  // ink and the DAI debt art·rate/RAY are both wad (the document's rate is 1)
  const collateral = [
    { symbol: doc.symbol, units: doc.urn.ink, decimals: 18, price: fromFixed(doc.feedPrice, 27) },
  ];
  const debt =
    doc.urn.art === 0n
      ? []
      : [{ symbol: "DAI", units: (doc.urn.art * doc.rate) / RAY, decimals: 18, price: 1 }];
  return { collateral, debt };
}

// --- the liquidation report: bark, kick, the auction curve ---------------------------------------

/**
 * dss's revert string and its explanation, for a revert of `bark` or `kick` reported as a result; any
 * other error is rethrown. The one place that reads dss's revert convention.
 */
function dssRevert(err: unknown): { reason: DssRevertReason; explanation: string } {
  if (!isVenueRevert<DssRevertReason>(err, "maker")) throw err;
  return { reason: err.reason, explanation: err.message.slice(err.reason.length + 2) };
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
  /** Collateral price at which the vault becomes unsafe (`liquidationPrice`); null without debt. */
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

const wadText = (x: bigint) => fixedToDecimalText(x, 18);
const radText = (x: bigint) => fixedToDecimalText(x, 45);

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
    if ((price * RAY) / top < clip.cusp) return Number(k * calc.step);
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
  const health = makerHealth(doc).healthFactor;
  const head = {
    venue: "maker" as const,
    ilk: doc.ilk,
    symbol: doc.symbol,
    healthFactor: health,
    liquidationPrice:
      doc.urn.art === 0n
        ? null
        : liquidationPrice({ urn: doc.urn, rate: doc.rate, mat: rayToNumber(doc.params.mat) }),
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
    const { reason, explanation } = dssRevert(err);
    return {
      ...head,
      revert: reason,
      revertReason: explanation,
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
      fractionOfTop: rayToNumber((s.price * RAY) / sale.top),
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
function makerLiquidateText(r: MakerLiquidateReport): Readable {
  const out: Readable = [`${makerLending.name}: Dog.bark + Clipper.kick, ilk ${r.ilk}`, ""];
  const lp = r.liquidationPrice === null ? "none" : formatNumber(r.liquidationPrice);
  if (r.revert !== null || r.bark === null || r.kick === null || r.curve === null) {
    out.push(
      `Reverts with ${r.revert}: ${r.revertReason}. Health factor ${r.healthFactor.exact}, liquidation price ${lp}.`,
    );
    return out;
  }
  r.steps.forEach((s, k) => {
    out.push(`  ${k + 1}. ${s}`);
  });
  const b = r.bark;
  out.push(
    "",
    textTable(
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
    textTable(
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
  return out;
}

// --- the venue -----------------------------------------------------------------------------------

/** Maker (`venue: "maker"`). */
export const makerLending = moneyMarketVenue({
  id: "maker",
  name: "Maker (dss vault)",
  note: "vaults; ilk parameters in the document (mat bundled for ETH-A/B/C) — docs/reference/maker-liquidations-2.md",
  liquidateOptions: [],
  resolve: resolveMakerDocument,
  health: makerHealth,
  market: (doc) => ({
    market: `ilk ${doc.ilk}, liquidation ratio ${formatPercent(rayToNumber(doc.params.mat))}`,
    version: null,
  }),
  holdings: makerHoldings,
  collateralLiquidationPrice: makerLp,
  liquidateReport: makerLiquidateReport,
  liquidateText: makerLiquidateText,
});
