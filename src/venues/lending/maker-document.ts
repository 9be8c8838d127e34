/**
 * Maker vault documents (`venue: "maker"`, schema `schemas/lending-account.schema.json`), read into dss
 * units (`../maker-clip.ts`) plus their float view.
 */
import { InputError } from "../../errors.js";
import type { LendingAccount } from "../../margin/lending.js";
import { MAX_PRICE_USD, readArray, readRecord, readString } from "../../validate.js";
import { AMOUNT_FIX, RAY_DECIMALS, RAY_ONE, readDecimalUnits, readVenueRecord } from "../lending-document.js";
import {
  ETH_B_APRIL_2021,
  ILK_MAT,
  type PriceCurve,
  type Rad,
  type Ray,
  type Urn,
  vaultLendingAccount,
  type Wad,
} from "../maker-clip.js";

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
  if (mat < RAY_ONE) throw new InputError("ilkParams.mat", p.mat, "must be at least 1", MAKER_PARAMS.mat.fix);
  const chop = need("chop", e.chop);
  if (chop < 10n ** 18n)
    throw new InputError(
      "ilkParams.chop",
      p.chop,
      "must be at least 1 (dss reverts with Dog/file-chop-lt-WAD)",
      MAKER_PARAMS.chop.fix,
    );
  const cut = need("cut", calc.cut);
  if (cut > RAY_ONE)
    throw new InputError(
      "ilkParams.cut",
      p.cut,
      "must be at most 1 (dss: …/cut-gt-RAY)",
      MAKER_PARAMS.cut.fix,
    );
  const step = need("step", calc.step);
  if (step === 0n) throw new InputError("ilkParams.step", p.step, "must be positive", MAKER_PARAMS.step.fix);
  const cusp = need("cusp", e.cusp);
  if (cusp > RAY_ONE)
    throw new InputError("ilkParams.cusp", p.cusp, "must be at most 1", MAKER_PARAMS.cusp.fix);
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
export function resolveMakerDocument(raw: unknown): ResolvedMakerDocument {
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
    rate: RAY_ONE,
    price: Number(feedPrice) / 1e27,
    mat: Number(params.mat) / 1e27,
    symbol,
  });
  return { venue: "maker", ilk, symbol, urn, rate: RAY_ONE, feedPrice, params, lending };
}
