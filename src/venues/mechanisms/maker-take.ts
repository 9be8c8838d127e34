import { InputError } from "../../errors.js";
import { fixedToDecimalText } from "../../math/fixed-point.js";
import { readArray, readChoice, readRecord } from "../../validate.js";
import {
  type ClipperParams,
  chostOf,
  type DssRevertReason,
  type PriceCurve,
  type Rad,
  type Ray,
  redo,
  type Sale,
  status,
  take,
  validateClipperParams,
  type Wad,
} from "../maker-clip.js";
import { isVenueRevert } from "../revert.js";
import { dssUnits, readKeeperCall } from "./dss-calls.js";

/** A keeper's call on the running auction: `take(amt, max)` or `redo(feedPrice)`, at a time. */
export type ClipperAction =
  | { kind: "take"; keeper: string; at: bigint; amt: Wad; max: Ray }
  | { kind: "redo"; keeper: string; at: bigint; feedPrice: Ray };

/** The input of {@link runAuction}: the Clipper, its running sale and the keepers' calls in time order. */
export interface AuctionInput {
  params: ClipperParams;
  sale: Sale;
  actions: readonly ClipperAction[];
}

/** What one call did; a reverted call leaves the auction as it was. */
export interface AuctionStep {
  action: ClipperAction;
  /** Seconds since the sale's `tic` and the curve's price then [ray]; `done` = needs a reset. */
  elapsed: bigint;
  price: Ray;
  done: boolean;
  revert: { reason: DssRevertReason; explanation: string } | null;
  /** take: collateral bought [wad], DAI paid [rad], whether the chost rule cut it, collateral returned to the vault [wad]. */
  slice: Wad;
  owe: Rad;
  chostAdjusted: boolean;
  returned: Wad;
  /** take: DAI removed from `Dirt` (`Dog.digs`) [rad]. */
  digs: Rad;
  /** redo: keeper incentive [rad]. */
  coin: Rad;
  /** The auction after the call, null once it ended. */
  sale: Sale | null;
  /** take: DAI of tab left uncollected when the lot sold out (written off) [rad]. */
  writtenOff: Rad;
}

/** The calls in order and the auction they leave. */
export interface AuctionRun {
  steps: AuctionStep[];
  sale: Sale | null;
}

/**
 * Runs keepers' calls against a running Clipper auction, each on the auction the previous one left:
 * `take` ({@link take}: price `calc.price(top, now − tic)`, `slice = min(lot, amt)`, `owe = slice·price`
 * capped at `tab`, the chost rule, leftover collateral returned once `tab` is covered) and `redo`
 * ({@link redo}: `tic = now`, `top = feedPrice·buf`, incentive `tip + tab·chip` unless dusty). A call dss
 * would revert (`Clipper/needs-reset`, `Clipper/too-expensive`, `Clipper/no-partial-purchase`,
 * `Clipper/cannot-reset`, `Clipper/not-running-auction`) is recorded with its reason and changes nothing.
 * Source: dss `src/clip.sol` `take`, `redo`, `status`; example dss `src/test/clip.t.sol`
 * `test_take_multiple_bids_different_prices` (10 at 5 for 50 DAI, then after 30 s the rest of the 110 tab at
 * 5·0.99³⁰). Throws an {@link InputError} on `actions[i].at` when a call is before the sale's `tic`.
 */
export function runAuction(input: AuctionInput): AuctionRun {
  validateClipperParams(input.params);
  let sale: Sale | null = input.sale;
  const steps: AuctionStep[] = input.actions.map((action, i) => {
    const running = sale ?? { ...input.sale, tab: 0n, lot: 0n };
    if (action.at < running.tic)
      throw new InputError(
        `actions[${i}].at`,
        action.at,
        `is before the auction's tic (${running.tic})`,
        "Calls run forward in time from the sale's tic.",
      );
    const now = status(input.params, running, action.at);
    const step: AuctionStep = {
      action,
      elapsed: now.elapsed,
      price: now.price,
      done: now.done,
      revert: null,
      slice: 0n,
      owe: 0n,
      chostAdjusted: false,
      returned: 0n,
      digs: 0n,
      coin: 0n,
      sale,
      writtenOff: 0n,
    };
    try {
      if (action.kind === "take") {
        const r = take(input.params, running, { amt: action.amt, max: action.max, now: action.at });
        sale = r.sale;
        return {
          ...step,
          slice: r.slice,
          owe: r.owe,
          chostAdjusted: r.chostAdjusted,
          returned: r.returned,
          digs: r.digs,
          sale,
          writtenOff: r.ended && r.returned === 0n ? r.tab : 0n,
        };
      }
      const r = redo(input.params, running, { now: action.at, feedPrice: action.feedPrice });
      sale = r.sale;
      return { ...step, coin: r.coin, sale };
    } catch (err) {
      if (!isVenueRevert<DssRevertReason>(err, "maker")) throw err;
      return { ...step, revert: { reason: err.reason, explanation: err.explanation } };
    }
  });
  return { steps, sale };
}

const WAD_DECIMALS = 18;
const RAY_DECIMALS = 27;
const RAD_DECIMALS = 45;

/** A sale as decimal text: DAI, collateral, seconds, DAI per collateral. */
export interface SaleText {
  tab: string;
  lot: string;
  tic: number;
  top: string;
}

/** The `mechanism maker-take` result: amounts as exact decimal strings (DAI, collateral, DAI per unit). */
export interface MakerTakeReport {
  venue: "maker";
  saleBefore: SaleText;
  steps: {
    keeper: string;
    action: "take" | "redo";
    at: number;
    elapsed: number;
    price: string;
    done: boolean;
    revert: { reason: DssRevertReason; explanation: string } | null;
    bought: string;
    paid: string;
    chostAdjusted: boolean;
    returnedToVault: string;
    dirtReleased: string;
    keeperIncentive: string;
    writtenOff: string;
    saleAfter: SaleText | null;
  }[];
  /** Σ bought, Σ paid, Σ returned, Σ written off. */
  totals: { bought: string; paid: string; returnedToVault: string; writtenOff: string };
  /** What is left of the auction after the last call, null once it ended. */
  saleAfter: SaleText | null;
}

const saleText = (s: Sale): SaleText => ({
  tab: fixedToDecimalText(s.tab, RAD_DECIMALS),
  lot: fixedToDecimalText(s.lot, WAD_DECIMALS),
  tic: Number(s.tic),
  top: fixedToDecimalText(s.top, RAY_DECIMALS),
});

/** The run as JSON: rad/wad/ray to exact decimal strings of DAI, collateral and DAI per collateral. */
function makerTakeView(input: AuctionInput, run: AuctionRun): MakerTakeReport {
  const sum = (f: (s: AuctionStep) => bigint) => run.steps.reduce((t, s) => t + f(s), 0n);
  return {
    venue: "maker",
    saleBefore: saleText(input.sale),
    steps: run.steps.map((s) => ({
      keeper: s.action.keeper,
      action: s.action.kind,
      at: Number(s.action.at),
      elapsed: Number(s.elapsed),
      price: fixedToDecimalText(s.price, RAY_DECIMALS),
      done: s.done,
      revert: s.revert,
      bought: fixedToDecimalText(s.slice, WAD_DECIMALS),
      paid: fixedToDecimalText(s.owe, RAD_DECIMALS),
      chostAdjusted: s.chostAdjusted,
      returnedToVault: fixedToDecimalText(s.returned, WAD_DECIMALS),
      dirtReleased: fixedToDecimalText(s.digs, RAD_DECIMALS),
      keeperIncentive: fixedToDecimalText(s.coin, RAD_DECIMALS),
      writtenOff: fixedToDecimalText(s.writtenOff, RAD_DECIMALS),
      saleAfter: s.sale === null ? null : saleText(s.sale),
    })),
    totals: {
      bought: fixedToDecimalText(
        sum((s) => s.slice),
        WAD_DECIMALS,
      ),
      paid: fixedToDecimalText(
        sum((s) => s.owe),
        RAD_DECIMALS,
      ),
      returnedToVault: fixedToDecimalText(
        sum((s) => s.returned),
        WAD_DECIMALS,
      ),
      writtenOff: fixedToDecimalText(
        sum((s) => s.writtenOff),
        RAD_DECIMALS,
      ),
    },
    saleAfter: run.sale === null ? null : saleText(run.sale),
  };
}

const units = dssUnits;

const SECONDS = "Whole seconds (unix time or seconds from the sale's start).";

function readCurve(raw: unknown): PriceCurve {
  const c = readRecord(
    raw,
    "clipper.calc",
    'Give the Abacus, e.g. {"kind": "stairstep", "cut": 0.99, "step": 90}.',
  );
  const kind = readChoice(c.kind, "clipper.calc.kind", ["linear", "stairstep", "exponential"] as const);
  const cutFix = "The price multiplier per step (per second for exponential), a fraction ≤ 1, e.g. 0.99.";
  if (kind === "linear")
    return { kind, tau: units(c.tau, "clipper.calc.tau", 0, "Seconds until the price reaches 0.") };
  const cut = units(c.cut, "clipper.calc.cut", RAY_DECIMALS, cutFix);
  if (kind === "exponential") return { kind, cut };
  return { kind, cut, step: units(c.step, "clipper.calc.step", 0, "Seconds between price cuts, e.g. 90.") };
}

function readClipper(raw: unknown): ClipperParams {
  const c = readRecord(raw, "clipper", "Give the Clipper: {buf, tail, cusp, chip, tip, dust, chop, calc}.");
  const chost =
    c.chost !== undefined
      ? units(c.chost, "clipper.chost", RAD_DECIMALS, "The smallest tab a take may leave, in DAI.")
      : chostOf(
          units(c.dust ?? 0, "clipper.dust", RAD_DECIMALS, "The ilk's dust in DAI, e.g. 15000."),
          units(c.chop ?? 1, "clipper.chop", WAD_DECIMALS, "1 + the liquidation penalty, e.g. 1.13."),
        );
  const stopped = c.stopped ?? 0;
  if (stopped !== 0 && stopped !== 1 && stopped !== 2 && stopped !== 3)
    throw new InputError("clipper.stopped", c.stopped, "must be 0, 1, 2 or 3", "Use the dss breaker level.");
  return validateClipperParams(
    {
      buf: units(c.buf ?? 1, "clipper.buf", RAY_DECIMALS, "The starting-price multiplier, e.g. 1.2."),
      tail: units(c.tail, "clipper.tail", 0, "Seconds before the auction needs a reset, e.g. 8400."),
      cusp: units(
        c.cusp,
        "clipper.cusp",
        RAY_DECIMALS,
        "The price/top fraction that needs a reset, e.g. 0.4.",
      ),
      chip: units(
        c.chip ?? 0,
        "clipper.chip",
        WAD_DECIMALS,
        "The keeper incentive as a share of tab, e.g. 0.001.",
      ),
      tip: units(c.tip ?? 0, "clipper.tip", RAD_DECIMALS, "The flat keeper incentive in DAI, e.g. 300."),
      chost,
      calc: readCurve(c.calc),
      stopped,
    },
    "clipper",
  );
}

/**
 * Reads a Maker take document (schema `schemas/maker-take.schema.json`): `clipper {buf, tail, cusp, chip,
 * tip, dust, chop (or chost), calc, stopped}`, `sale {tab, lot, tic, top}` in DAI, collateral, seconds and
 * DAI per collateral, and `actions [{keeper, action: "take" | "redo", at, amt, max | feedPrice}]` in time
 * order. Throws an {@link InputError} naming the field, e.g. `actions[1].max`.
 */
export function readMakerTakeDocument(raw: unknown): AuctionInput {
  const doc = readRecord(
    raw,
    "document",
    "The take document is a JSON object; see schemas/maker-take.schema.json.",
  );
  const params = readClipper(doc.clipper);
  const s = readRecord(doc.sale, "sale", "Give the running auction: {tab, lot, tic, top}.");
  const sale: Sale = {
    tab: units(s.tab, "sale.tab", RAD_DECIMALS, "DAI still to raise, e.g. 110."),
    lot: units(s.lot, "sale.lot", WAD_DECIMALS, "Collateral for sale, e.g. 40."),
    tic: units(s.tic ?? 0, "sale.tic", 0, SECONDS),
    top: units(s.top, "sale.top", RAY_DECIMALS, "The starting price in DAI per collateral, e.g. 5."),
  };
  const rows = readArray(doc.actions, "actions", "List the keepers' calls in time order.");
  let last = sale.tic;
  const actions = rows.map((row, i): ClipperAction => {
    const at = `actions[${i}]`;
    const { a, keeper, time } = readKeeperCall(
      row,
      i,
      last,
      'Each call is {keeper, action, at, amt, max} or {action: "redo", at, feedPrice}.',
      SECONDS,
    );
    const kind =
      a.action === undefined ? "take" : readChoice(a.action, `${at}.action`, ["take", "redo"] as const);
    last = time;
    if (kind === "redo")
      return {
        kind,
        keeper,
        at: time,
        feedPrice: units(a.feedPrice, `${at}.feedPrice`, RAY_DECIMALS, "The OSM price in DAI, e.g. 4."),
      };
    return {
      kind,
      keeper,
      at: time,
      amt: units(a.amt, `${at}.amt`, WAD_DECIMALS, "The most collateral to buy, e.g. 10."),
      max: units(a.max, `${at}.max`, RAY_DECIMALS, "The highest price the keeper accepts, in DAI, e.g. 5."),
    };
  });
  return { params, sale, actions };
}

/** The `mechanism maker-take` workflow: reads the document, runs the calls, returns the JSON view. */
export function makerTakeReport(raw: unknown): MakerTakeReport {
  const input = readMakerTakeDocument(raw);
  return makerTakeView(input, runAuction(input));
}
