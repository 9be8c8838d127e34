import { InputError } from "../../errors.js";
import { fixedToDecimalText } from "../../math/fixed-point.js";
import { readArray, readChoice, readRecord, readString } from "../../validate.js";
import type { Rad, Wad } from "../maker-clip.js";
import {
  deal,
  dent,
  type FlipAuction,
  type FlipperParams,
  type FlipResult,
  type FlipRevertReason,
  kick,
  phase,
  tend,
  tick,
  validateFlipperParams,
} from "../maker-flip.js";
import { isVenueRevert } from "../revert.js";
import { dssUnits, readKeeperCall } from "./dss-calls.js";

/**
 * A keeper's call on a Flipper auction at a time: `tend` (a bid for the whole lot; `lot` defaults to
 * the current lot), `dent` (a smaller lot for `bid = tab`; `bid` defaults to the current bid), `deal`
 * or `tick`.
 */
export type FlipAction =
  | { kind: "tend" | "dent"; keeper: string; at: bigint; lot: Wad | null; bid: Rad | null }
  | { kind: "deal" | "tick"; keeper: string; at: bigint };

/** The input of {@link runFlipAuction}: the Flipper, the auction's kick and the calls in time order. */
export interface FlipAuctionInput {
  params: FlipperParams;
  kick: { tab: Rad; lot: Wad; at: bigint; usr: string; gal: string };
  actions: readonly FlipAction[];
}

/** What one call did; a reverted call leaves the auction as it was. */
export interface FlipStep {
  action: FlipAction;
  /** The auction before the call, null once dealt. */
  before: FlipAuction | null;
  revert: { reason: FlipRevertReason; explanation: string } | null;
  /** The call's result, null when it reverted. */
  result: FlipResult | null;
  /** The auction after the call, null once dealt. */
  auction: FlipAuction | null;
}

/** The calls in order, the auction they leave, and the kicked auction. */
export interface FlipAuctionRun {
  kicked: FlipAuction;
  steps: FlipStep[];
  auction: FlipAuction | null;
}

/**
 * Kicks a Flipper auction (`bid = 0`, `guy = "cat"`, `end = at + tau`) and runs keepers' calls on it,
 * each on the auction the previous one left: {@link tend}, {@link dent}, {@link deal} and {@link tick}
 * of `src/venues/maker-flip.ts`. A call dss would revert is recorded with its reason and changes nothing.
 * Source: dss `src/flip.sol` (`kick`, `tend`, `dent`, `deal`, `tick`); example dss `src/test/flip.t.sol`
 * `test_dent` (tab 50, lot 100: bids 1 and 50, dent to 95 returns 5 to the owner).
 */
export function runFlipAuction(input: FlipAuctionInput): FlipAuctionRun {
  const p = validateFlipperParams(input.params);
  const kicked = kick(p, { ...input.kick, bid: 0n, now: input.kick.at, kicker: "cat" }).auction;
  if (kicked === null) throw new Error("kick returned no auction");
  let auction: FlipAuction | null = kicked;
  const steps = input.actions.map((action): FlipStep => {
    const before: FlipAuction | null = auction;
    const step: FlipStep = {
      action,
      before,
      revert: null,
      result: null,
      auction: before,
    };
    try {
      let result: FlipResult;
      if (action.kind === "tend" || action.kind === "dent") {
        const call = {
          guy: action.keeper,
          lot: action.lot ?? before?.lot ?? 0n,
          bid: action.bid ?? before?.bid ?? 0n,
          now: action.at,
        };
        result = action.kind === "tend" ? tend(p, before, call) : dent(p, before, call);
      } else result = action.kind === "deal" ? deal(p, before, action.at) : tick(p, before, action.at);
      auction = result.auction;
      return { ...step, result, auction };
    } catch (err) {
      if (!isVenueRevert<FlipRevertReason>(err, "maker")) throw err;
      return { ...step, revert: { reason: err.reason, explanation: err.explanation } };
    }
  });
  return { kicked, steps, auction };
}

const WAD_DECIMALS = 18;
const RAD_DECIMALS = 45;
const dai = (x: bigint) => fixedToDecimalText(x, RAD_DECIMALS);
const gem = (x: bigint) => fixedToDecimalText(x, WAD_DECIMALS);

/** An auction as decimal text: DAI, collateral, seconds. */
export interface FlipAuctionText {
  bid: string;
  lot: string;
  guy: string;
  tic: number;
  end: number;
  tab: string;
  phase: "tend" | "dent";
}

/** The `mechanism maker-flip` result: amounts as exact decimal strings of DAI and collateral. */
export interface MakerFlipReport {
  venue: "maker";
  version: FlipperParams["version"];
  /** The auction as kicked (bid 0, guy the Cat). */
  kicked: FlipAuctionText;
  steps: {
    keeper: string;
    action: FlipAction["kind"];
    at: number;
    phase: "tend" | "dent" | null;
    revert: { reason: FlipRevertReason; explanation: string } | null;
    /** DAI the caller paid in all (refund to the previous bidder + increase to gal). */
    paid: string;
    /** DAI refunded to the previous high bidder. */
    refunded: string;
    /** DAI to gal (the Vow): the bid's increase. */
    toGal: string;
    /** DAI the caller had to hold for the call to pass. */
    daiNeeded: string;
    /** Collateral given back to the vault owner (dent). */
    returnedToOwner: string;
    /** Collateral to the winner (deal). */
    won: string;
    /** DAI released from the Cat's litter (1.2 deal). */
    clawed: string;
    auctionAfter: FlipAuctionText | null;
  }[];
  /** DAI raised (Σ to gal), collateral won and returned, the tab left uncovered when dealt, the winner. */
  totals: {
    raised: string;
    won: string;
    returnedToOwner: string;
    uncoveredTab: string | null;
    winner: string | null;
  };
  /** What is left of the auction after the last call, null once dealt. */
  auctionAfter: FlipAuctionText | null;
}

const auctionText = (a: FlipAuction): FlipAuctionText => ({
  bid: dai(a.bid),
  lot: gem(a.lot),
  guy: a.guy,
  tic: Number(a.tic),
  end: Number(a.end),
  tab: dai(a.tab),
  phase: phase(a),
});

/** Sum of the call's transfers of `asset` to a party `to` accepts. */
function moved(s: FlipStep, asset: "dai" | "gem", to: (who: string) => boolean): bigint {
  return (s.result?.transfers ?? [])
    .filter((t) => t.asset === asset && to(t.to))
    .reduce((sum, t) => sum + t.amount, 0n);
}

/** The run as JSON: rad/wad to exact decimal strings of DAI and collateral. */
function makerFlipView(input: FlipAuctionInput, run: FlipAuctionRun): MakerFlipReport {
  const { gal, usr } = input.kick;
  const toGal = (s: FlipStep) => moved(s, "dai", (w) => w === gal);
  const returned = (s: FlipStep) => (s.action.kind === "dent" ? moved(s, "gem", (w) => w === usr) : 0n);
  const dealt = run.steps.find((s) => s.action.kind === "deal" && s.result !== null);
  const raised = run.steps.reduce((t, s) => t + toGal(s), 0n);
  return {
    venue: "maker",
    version: input.params.version,
    kicked: auctionText(run.kicked),
    steps: run.steps.map((s) => {
      const paid = moved(s, "dai", () => true);
      return {
        keeper: s.action.keeper,
        action: s.action.kind,
        at: Number(s.action.at),
        phase: s.before === null ? null : phase(s.before),
        revert: s.revert,
        paid: dai(paid),
        refunded: dai(paid - toGal(s)),
        toGal: dai(toGal(s)),
        daiNeeded: dai(s.result?.daiNeeded ?? 0n),
        returnedToOwner: gem(returned(s)),
        won: gem(s === dealt ? moved(s, "gem", () => true) : 0n),
        clawed: dai(s.result?.clawed ?? 0n),
        auctionAfter: s.auction === null ? null : auctionText(s.auction),
      };
    }),
    totals: {
      raised: dai(raised),
      won: gem(dealt === undefined ? 0n : moved(dealt, "gem", () => true)),
      returnedToOwner: gem(run.steps.reduce((t, s) => t + returned(s), 0n)),
      uncoveredTab: dealt === undefined ? null : dai(run.kicked.tab - raised),
      winner: dealt?.before?.guy ?? null,
    },
    auctionAfter: run.auction === null ? null : auctionText(run.auction),
  };
}

const units = dssUnits;

const SECONDS = "Whole seconds (unix time or seconds from the kick).";

/** A time that fits dss's uint48 `tic`/`end`, else an {@link InputError} naming `field`. */
function time48(value: bigint, raw: unknown, field: string): bigint {
  if (value >= 2n ** 48n) throw new InputError(field, raw, "does not fit uint48", SECONDS);
  return value;
}

/**
 * Reads a Maker flip document (schema `schemas/maker-flip.schema.json`): `flipper {version: "1.0" |
 * "1.2", beg, ttl, tau}`, `kick {tab, lot, at, usr, gal}` in DAI, collateral and seconds, and
 * `actions [{keeper, action: "tend" | "dent" | "deal" | "tick", at, bid, lot}]` in time order.
 * Throws an {@link InputError} naming the field, e.g. `actions[1].bid`.
 */
export function readMakerFlipDocument(raw: unknown): FlipAuctionInput {
  const doc = readRecord(
    raw,
    "document",
    "The flip document is a JSON object; see schemas/maker-flip.schema.json.",
  );
  const f = readRecord(doc.flipper, "flipper", 'Give the Flipper: {version: "1.0" | "1.2", beg, ttl, tau}.');
  const params = validateFlipperParams(
    {
      version: readChoice(f.version, "flipper.version", ["1.0", "1.2"] as const),
      beg: units(f.beg ?? "1.05", "flipper.beg", WAD_DECIMALS, "The minimum bid increase factor, e.g. 1.03."),
      ttl: units(f.ttl ?? 10_800, "flipper.ttl", 0, "Bid lifetime in seconds, e.g. 600."),
      tau: units(f.tau ?? 172_800, "flipper.tau", 0, "Auction lifetime in seconds, e.g. 21600."),
    },
    "flipper",
  );
  const k = readRecord(doc.kick, "kick", "Give the auction's kick: {tab, lot, at, usr, gal}.");
  const start = time48(units(k.at ?? 0, "kick.at", 0, SECONDS), k.at, "kick.at");
  const kickInput = {
    tab: units(k.tab, "kick.tab", RAD_DECIMALS, "DAI to raise (debt × chop), e.g. 5650."),
    lot: units(k.lot, "kick.lot", WAD_DECIMALS, "Collateral for sale, e.g. 50."),
    at: start,
    usr: k.usr === undefined ? "vault owner" : readString(k.usr, "kick.usr"),
    gal: k.gal === undefined ? "vow" : readString(k.gal, "kick.gal"),
  };
  const rows = readArray(doc.actions, "actions", "List the keepers' calls in time order.");
  let last = start;
  const actions = rows.map((row, i): FlipAction => {
    const at = `actions[${i}]`;
    const { a, keeper, time } = readKeeperCall(
      row,
      i,
      last,
      'Each call is {keeper, action: "tend" | "dent" | "deal" | "tick", at, bid, lot}.',
      SECONDS,
    );
    const kind = readChoice(a.action, `${at}.action`, ["tend", "dent", "deal", "tick"] as const);
    last = time48(time, a.at, `${at}.at`);
    if (kind === "deal" || kind === "tick") return { kind, keeper, at: time };
    const bid =
      a.bid === undefined
        ? null
        : units(a.bid, `${at}.bid`, RAD_DECIMALS, "The DAI bid, e.g. 3000 (a dent's is the tab).");
    const lot =
      a.lot === undefined
        ? null
        : units(a.lot, `${at}.lot`, WAD_DECIMALS, "The collateral asked for, e.g. 45.");
    if (kind === "tend" && bid === null)
      throw new InputError(
        `${at}.bid`,
        undefined,
        "is required for a tend",
        "Give the DAI bid for the whole lot.",
      );
    if (kind === "dent" && lot === null)
      throw new InputError(
        `${at}.lot`,
        undefined,
        "is required for a dent",
        "Give the smaller lot accepted for the tab.",
      );
    return { kind, keeper, at: time, bid, lot };
  });
  return { params, kick: kickInput, actions };
}

/** The `mechanism maker-flip` workflow: reads the document, kicks the auction, runs the calls, returns the JSON view. */
export function makerFlipReport(raw: unknown): MakerFlipReport {
  const input = readMakerFlipDocument(raw);
  return makerFlipView(input, runFlipAuction(input));
}
