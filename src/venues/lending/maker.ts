/**
 * Maker (a dss vault) as a {@link LendingVenue}: the Vat's view of the vault (`spot = feedPrice/mat`), its
 * exact health factor, the liquidation price of its one collateral, and the liquidation sequence
 * `Dog.bark` → `Clipper.kick` → the auction's price curve with the first second below `cusp`.
 */

import { InputError } from "../../errors.js";
import { formatNumber, formatPercent, type Readable, textTable } from "../../format.js";
import { healthFactor } from "../../margin/lending.js";
import { fixedToDecimalText, fromFixed, WAD } from "../../math/fixed-point.js";
import { formatWad } from "../aave-v3.js";
import {
  type BarkResult,
  bark,
  type ClipperParams,
  chostOf,
  type DssRevertReason,
  isUnsafe,
  type KickResult,
  kick,
  liquidationPrice,
  status,
  type VatIlk,
} from "../maker-clip.js";
import { isVenueRevert } from "../revert.js";
import { type ResolvedMakerDocument, resolveMakerDocument } from "./maker-document.js";
import { type Holding, type LendingHealth, moneyMarketVenue } from "./money-market.js";

const RAY = 10n ** 27n;

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
      : [{ symbol: "DAI", units: (doc.urn.art * doc.rate) / 10n ** 27n, decimals: 18, price: 1 }];
  return { collateral, debt };
}

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
