/**
 * MakerDAO collateral auctions before Liquidations 2.0: the Cat (`bite`) and the Flipper's English
 * auction (`kick`, `tick`, `tend`, `dent`, `deal`, `yank`), re-derived from the rules of makerdao/dss
 * `src/cat.sol` and `src/flip.sol` (dss is AGPL-3.0; no code is copied). Two versions are modelled:
 *
 * | version | dss | in force | Cat | Flipper |
 * |---|---|---|---|---|
 * | `"1.0"` | tag 1.0.4 @ 44330065999621834b08de1edf3b962f6bbd74c6 (launch code of Nov 2019; pragma only since 1.0.0) | MCD launch to Aug 2020, **live on 2020-03-12** | `lump` [wad] caps the lot, `chop` [ray] | an overbid of one's own bid still moves the old bid |
 * | `"1.2"` | tag 1.2.0 @ 36dab5c9fdce4fc36812e4fd8228be3beb18774d (Liquidations 1.2, dss 1.1.0 of Aug 2020) | Aug 2020 to Liquidations 2.0 | `dunk` [rad] caps the tab, `chop` [wad], `box`/`litter` limit the DAI on auction | `deal`/`yank` release the tab from `litter` (`Cat.claw`) |
 *
 * Units are dss's, as bigint: collateral (`lot`, `ink`) and `beg` in wad (1e18), `spot`/`rate` in ray
 * (1e27), DAI (`bid`, `tab`, `dunk`, `box`, `litter`, `dust`) in rad (1e45); time in seconds. Every
 * division rounds down as Solidity's does.
 *
 * The auction is plain data ({@link FlipAuction}); each call returns the auction after it and the
 * transfers it made, and never mutates its input, so a simulator can drive many auctions. A call the
 * contracts would revert throws a {@link VenueRevertError} (venue `maker`) carrying the dss revert
 * string, e.g. `"Flipper/insufficient-increase"`; a revert without a string (Solidity's division by
 * zero or checked subtraction) carries `"division-by-zero"` or `"arithmetic-underflow"`. Parameters or
 * times dss could not hold (a negative amount, a time beyond uint48) throw an {@link InputError}.
 *
 * Not modelled: `kicks` counter overflow, `mul` overflow beyond 2^256 (unreachable with real amounts),
 * authorisation (`auth`), and the Vow's side beyond naming `gal`. Sources: makerdao/dss `src/flip.sol`,
 * `src/cat.sol`, `src/test/flip.t.sol`, `src/test/vat.t.sol` (`BiteTest`) at the two tags above; docs
 * https://docs.makerdao.com/keepers/the-auctions-of-the-maker-protocol.
 */
import { InputError } from "../errors.js";
import { ceilDiv, maxBig, minBig, RAY, WAD } from "../math/fixed-point.js";
import {
  isUnsafe,
  type Rad,
  type Ray,
  requireNonNegative,
  type Urn,
  type VatIlk,
  type Wad,
} from "./maker-clip.js";
import { revertsOf } from "./revert.js";

/** Which dss release: `"1.0"` (launch, live on Black Thursday) or `"1.2"` (Liquidations 1.2). */
export type FlipVersion = "1.0" | "1.2";

/** Revert strings of `cat.sol` and `flip.sol` this module reproduces (two name reasonless reverts). */
export type FlipRevertReason =
  | "Cat/not-live"
  | "Cat/not-unsafe"
  | "Cat/liquidation-limit-hit"
  | "Cat/null-auction"
  | "Cat/overflow"
  | "Flipper/not-finished"
  | "Flipper/bid-already-placed"
  | "Flipper/guy-not-set"
  | "Flipper/already-finished-tic"
  | "Flipper/already-finished-end"
  | "Flipper/lot-not-matching"
  | "Flipper/higher-than-tab"
  | "Flipper/bid-not-higher"
  | "Flipper/insufficient-increase"
  | "Flipper/not-matching-bid"
  | "Flipper/tend-not-finished"
  | "Flipper/lot-not-lower"
  | "Flipper/insufficient-decrease"
  | "Flipper/already-dent-phase"
  | "division-by-zero"
  | "arithmetic-underflow";

const EXPLANATIONS: Record<FlipRevertReason, string> = {
  "Cat/not-live": "the Cat is caged (global settlement): no more liquidations",
  "Cat/not-unsafe": "the vault is safe (spot = 0 or ink·spot ≥ art·rate), so it cannot be bitten",
  "Cat/liquidation-limit-hit": "box − litter leaves no room, or a room below the ilk's dust",
  "Cat/null-auction": "the debt or collateral to seize (dart, dink) rounds to 0",
  "Cat/overflow": "lot or art does not fit int256",
  "Flipper/not-finished":
    "tick needs the auction's end passed; deal needs a bid whose tic or the auction's end has passed",
  "Flipper/bid-already-placed": "tick restarts only auctions nobody has bid on",
  "Flipper/guy-not-set": "there is no such auction (it was dealt, yanked or never kicked)",
  "Flipper/already-finished-tic": "the high bid's ttl has run out (tic ≤ now): the auction can only be dealt",
  "Flipper/already-finished-end": "the auction's end has passed (end ≤ now)",
  "Flipper/lot-not-matching": "a tend bids for the whole current lot",
  "Flipper/higher-than-tab": "a tend may not bid more than tab",
  "Flipper/bid-not-higher": "a tend must bid more than the current bid",
  "Flipper/insufficient-increase": "a tend below tab must be at least beg × the current bid",
  "Flipper/not-matching-bid": "a dent keeps the bid as it is (= tab)",
  "Flipper/tend-not-finished": "dent is allowed only once the bid has reached tab",
  "Flipper/lot-not-lower": "a dent must ask for less collateral than the current lot",
  "Flipper/insufficient-decrease": "a dent's lot × beg must be at most the current lot",
  "Flipper/already-dent-phase": "yank only moves tend-phase auctions (bid < tab) to the End",
  "division-by-zero": "Solidity reverts without a reason string (ink = 0 in the 1.0 Cat's art = lot·art/ink)",
  "arithmetic-underflow": "Solidity's checked subtraction reverts without a reason string (litter > box)",
};

const flipRevert = revertsOf<FlipRevertReason>("maker", EXPLANATIONS);

const UINT48 = 2n ** 48n;
const INT256_MAX = 2n ** 255n;

/** `value` as seconds that fit dss's uint48 timestamps, else an {@link InputError} naming `field`. */
export function requireTime(field: string, value: unknown): bigint {
  const t = requireNonNegative(field, value);
  if (t >= UINT48)
    throw new InputError(field, value, "does not fit uint48", "Give seconds (unix time) below 2^48.");
  return t;
}

/** The Flipper's governed parameters (`Flipper.file`) and the dss release. */
export interface FlipperParams {
  /** Minimum bid increase (tend) and lot decrease (dent) factor, e.g. 1.03 for 3 % [wad]. dss default 1.05. */
  readonly beg: Wad;
  /** Bid lifetime: a bid wins once `ttl` seconds pass without a better one. dss default 3 h. */
  readonly ttl: bigint;
  /** Auction lifetime from kick (or tick). dss default 2 days. */
  readonly tau: bigint;
  readonly version: FlipVersion;
}

/** An auction (`Flipper.bids(id)`): plain data. Addresses are names (`guy`, `usr`, `gal`). */
export interface FlipAuction {
  /** DAI paid by the high bidder [rad]. */
  readonly bid: Rad;
  /** Collateral the high bid buys [wad]. */
  readonly lot: Wad;
  /** High bidder (the kicker, i.e. the Cat, until the first tend). */
  readonly guy: string;
  /** When the high bid wins (0 until the first bid) [s]. */
  readonly tic: bigint;
  /** When the auction ends [s]. */
  readonly end: bigint;
  /** The vault owner: receives the collateral given back in the dent phase. */
  readonly usr: string;
  /** Receives the DAI (the Vow). */
  readonly gal: string;
  /** DAI to raise, debt plus penalty [rad]. */
  readonly tab: Rad;
}

/** One movement of DAI (`Vat.move`, rad) or collateral (`Vat.flux`, wad); the Flipper holds the lot as `"flipper"`. */
export interface FlipTransfer {
  readonly asset: "dai" | "gem";
  readonly from: string;
  readonly to: string;
  readonly amount: bigint;
}

/** What a Flipper call did. */
export interface FlipResult {
  /** The auction afterwards; null once dealt or yanked. */
  readonly auction: FlipAuction | null;
  /** The movements, in call order (zero amounts left out). */
  readonly transfers: readonly FlipTransfer[];
  /** DAI the caller had to hold for the call to pass (Vat balances cannot go negative) [rad]. */
  readonly daiNeeded: Rad;
  /** DAI released from the Cat's `litter` by `Cat.claw` (1.2 `deal`/`yank`, else 0) [rad]. */
  readonly clawed: Rad;
}

/** The Flipper's holding account in {@link FlipTransfer}s. */
export const FLIPPER = "flipper";

/**
 * Checks the Flipper parameters: `beg` a non-negative bigint, `ttl` and `tau` fit uint48 (dss stores
 * them as uint48), `version` `"1.0"` or `"1.2"`. dss itself accepts any `beg`, so a `beg` below 1 is
 * allowed (bids must still strictly rise). Throws an {@link InputError} naming the field.
 */
export function validateFlipperParams(params: FlipperParams, field = "flipper"): FlipperParams {
  requireNonNegative(`${field}.beg`, params.beg);
  requireTime(`${field}.ttl`, params.ttl);
  requireTime(`${field}.tau`, params.tau);
  if (params.version !== "1.0" && params.version !== "1.2")
    throw new InputError(
      `${field}.version`,
      params.version,
      'must be "1.0" or "1.2"',
      'Use "1.0" for the launch contracts (live on 2020-03-12), "1.2" for Liquidations 1.2 (Aug 2020).',
    );
  return params;
}

const transfer = (asset: "dai" | "gem", from: string, to: string, amount: bigint): FlipTransfer[] =>
  amount > 0n ? [{ asset, from, to, amount }] : [];

function live(auction: FlipAuction | null): FlipAuction {
  if (auction === null || auction.guy === "") throw flipRevert("Flipper/guy-not-set");
  return auction;
}

/** A bid on `auction`: checked inputs, an existing auction, biddable at `now` — `tic > now` or no bid yet, and `end > now` (dss `tend`/`dent` guards, in their order). */
function biddable(
  params: FlipperParams,
  auction: FlipAuction | null,
  input: { lot: Wad; bid: Rad; now: bigint },
): { a: FlipAuction; now: bigint; lot: Wad; bid: Rad } {
  validateFlipperParams(params);
  const a = live(auction);
  const now = requireTime("now", input.now);
  const lot = requireNonNegative("lot", input.lot);
  const bid = requireNonNegative("bid", input.bid);
  if (!(a.tic > now || a.tic === 0n))
    throw flipRevert("Flipper/already-finished-tic", `tic ${a.tic} ≤ now ${now}`);
  if (!(a.end > now)) throw flipRevert("Flipper/already-finished-end", `end ${a.end} ≤ now ${now}`);
  return { a, now, lot, bid };
}

/**
 * `Flipper.kick`: a new auction with `bid` (0 from the Cat), `lot`, `tab`, `guy = kicker`,
 * `end = now + tau`, `tic = 0`; the lot moves from the kicker to the Flipper.
 * Source: dss `src/flip.sol` `kick`. Example (dss `src/test/flip.t.sol` `test_kick`): lot 100, tab 50, bid 0.
 */
export function kick(
  params: FlipperParams,
  input: { usr: string; gal: string; tab: Rad; lot: Wad; bid?: Rad; now: bigint; kicker?: string },
): FlipResult {
  validateFlipperParams(params);
  const now = requireTime("now", input.now);
  const kicker = input.kicker ?? "cat";
  const end = requireTime("now + tau", now + params.tau);
  const auction: FlipAuction = {
    bid: requireNonNegative("bid", input.bid ?? 0n),
    lot: requireNonNegative("lot", input.lot),
    guy: kicker,
    tic: 0n,
    end,
    usr: input.usr,
    gal: input.gal,
    tab: requireNonNegative("tab", input.tab),
  };
  return { auction, transfers: transfer("gem", kicker, FLIPPER, auction.lot), daiNeeded: 0n, clawed: 0n };
}

/**
 * `Flipper.tick`: restart an auction nobody bid on once its end has passed: requires `end < now`
 * (`Flipper/not-finished`) and `tic = 0` (`Flipper/bid-already-placed`); `end = now + tau`. On a
 * null (dealt) auction it changes nothing, as dss's tick of an empty record is unusable.
 * Source: dss `src/flip.sol` `tick`; `src/test/flip.t.sol` `test_tick`, `test_no_deal_after_end`.
 */
export function tick(params: FlipperParams, auction: FlipAuction | null, now: bigint): FlipResult {
  validateFlipperParams(params);
  const t = requireTime("now", now);
  // dss lets anyone tick a deleted or never-kicked id (its end is 0): it writes an end nobody can use.
  if (auction === null) return { auction: null, transfers: [], daiNeeded: 0n, clawed: 0n };
  if (!(auction.end < t)) throw flipRevert("Flipper/not-finished", `end ${auction.end} ≥ now ${t}`);
  if (auction.tic !== 0n) throw flipRevert("Flipper/bid-already-placed", `tic ${auction.tic}`);
  return {
    auction: { ...auction, end: requireTime("now + tau", t + params.tau) },
    transfers: [],
    daiNeeded: 0n,
    clawed: 0n,
  };
}

/**
 * `Flipper.tend`: the tend (rising-bid) phase — `guy` offers `bid` DAI for the whole `lot`.
 *
 * Requires an auction (`Flipper/guy-not-set`), biddable (`tic > now` or no bid yet,
 * `Flipper/already-finished-tic`; `end > now`, `Flipper/already-finished-end`), `lot` equal to the
 * auction's (`Flipper/lot-not-matching`), `bid ≤ tab` (`Flipper/higher-than-tab`), `bid > bid₀`
 * (`Flipper/bid-not-higher`) and `bid·WAD ≥ beg·bid₀` unless `bid = tab` (`Flipper/insufficient-increase`).
 * The bidder refunds the previous high bidder's `bid₀` and pays `bid − bid₀` to `gal`; then `guy` is the
 * bidder and `tic = now + ttl`. In 1.2 an overbid of one's own bid moves only the increase; in 1.0 the
 * refund to oneself still needs `bid₀` in the Vat (`daiNeeded = max(bid₀, bid − bid₀)`).
 * Source: dss `src/flip.sol` `tend`. Example (dss `src/test/flip.t.sol` `test_tend`): ali bids 1, bob
 * 2 (refunds ali 1, gal gets 1 more); `test_beg`: beg 1.05 → 1.01 after 1 fails, 1.07 passes, 50 = tab
 * after 49 passes.
 */
export function tend(
  params: FlipperParams,
  auction: FlipAuction | null,
  input: { guy: string; lot: Wad; bid: Rad; now: bigint },
): FlipResult {
  const { a, now, lot, bid } = biddable(params, auction, input);
  if (lot !== a.lot) throw flipRevert("Flipper/lot-not-matching", `lot ${lot} ≠ ${a.lot}`, "lot");
  if (bid > a.tab) throw flipRevert("Flipper/higher-than-tab", `bid ${bid} > tab ${a.tab}`, "bid");
  if (bid <= a.bid) throw flipRevert("Flipper/bid-not-higher", `bid ${bid} ≤ ${a.bid}`, "bid");
  if (bid * WAD < params.beg * a.bid && bid !== a.tab)
    throw flipRevert(
      "Flipper/insufficient-increase",
      `bid ${bid} < beg·bid = ${params.beg * a.bid} / WAD`,
      "bid",
    );
  const self = input.guy === a.guy;
  const increase = bid - a.bid;
  const refund = self && params.version === "1.2" ? [] : transfer("dai", input.guy, a.guy, a.bid);
  const daiNeeded = !self ? bid : params.version === "1.2" ? increase : maxBig(a.bid, increase);
  return {
    auction: { ...a, guy: input.guy, bid, tic: requireTime("now + ttl", now + params.ttl) },
    transfers: [...refund, ...transfer("dai", input.guy, a.gal, increase)],
    daiNeeded,
    clawed: 0n,
  };
}

/**
 * `Flipper.dent`: the dent (falling-lot) phase, once the bid has reached `tab` — `guy` pays the same
 * `bid = tab` for a smaller `lot`.
 *
 * Requires an auction, biddable (as {@link tend}), `bid = bid₀` (`Flipper/not-matching-bid`),
 * `bid = tab` (`Flipper/tend-not-finished`), `lot < lot₀` (`Flipper/lot-not-lower`) and
 * `beg·lot ≤ lot₀·WAD` (`Flipper/insufficient-decrease`). The bidder refunds the previous bidder's `bid`
 * (not when overbidding itself in 1.2), `lot₀ − lot` goes back to the vault owner `usr`, then `guy` is
 * the bidder, `lot` the new lot, `tic = now + ttl`.
 * Source: dss `src/flip.sol` `dent`. Example (dss `src/test/flip.t.sol` `test_dent`): tab 50, lot 100
 * → dent 95: 5 returned to usr; `test_beg`: 99 fails (99 × 1.05 > 100), 95 passes.
 */
export function dent(
  params: FlipperParams,
  auction: FlipAuction | null,
  input: { guy: string; lot: Wad; bid: Rad; now: bigint },
): FlipResult {
  const { a, now, lot, bid } = biddable(params, auction, input);
  if (bid !== a.bid) throw flipRevert("Flipper/not-matching-bid", `bid ${bid} ≠ ${a.bid}`, "bid");
  if (bid !== a.tab) throw flipRevert("Flipper/tend-not-finished", `bid ${bid} < tab ${a.tab}`, "bid");
  if (lot >= a.lot) throw flipRevert("Flipper/lot-not-lower", `lot ${lot} ≥ ${a.lot}`, "lot");
  if (params.beg * lot > a.lot * WAD)
    throw flipRevert("Flipper/insufficient-decrease", `beg·lot = ${params.beg * lot} > lot₀·WAD`, "lot");
  const self = input.guy === a.guy;
  const skipRefund = self && params.version === "1.2";
  return {
    auction: { ...a, guy: input.guy, lot, tic: requireTime("now + ttl", now + params.ttl) },
    transfers: [
      ...(skipRefund ? [] : transfer("dai", input.guy, a.guy, bid)),
      ...transfer("gem", FLIPPER, a.usr, a.lot - lot),
    ],
    daiNeeded: skipRefund ? 0n : bid,
    clawed: 0n,
  };
}

/**
 * `Flipper.deal`: settle — requires a bid (`tic ≠ 0`) whose `tic < now` or the auction's `end < now`
 * (`Flipper/not-finished`); the lot goes to the high bidder and the auction is deleted. In 1.2 the
 * tab leaves the Cat's `litter` (`Cat.claw(tab)`). Both times are strict: at `now = tic` the auction
 * can be neither bid on nor dealt. An auction nobody bid on can never be dealt, only ticked.
 * Source: dss `src/flip.sol` `deal`. Example (dss `src/test/flip.t.sol` `test_deal`): a bid with ttl
 * 3 h cannot be dealt at once, can after 4.1 h; a bid at 44 h of a 48 h auction, after 68 h.
 */
export function deal(params: FlipperParams, auction: FlipAuction | null, now: bigint): FlipResult {
  validateFlipperParams(params);
  const t = requireTime("now", now);
  const a = auction;
  if (a === null || a.tic === 0n || !(a.tic < t || a.end < t))
    throw flipRevert(
      "Flipper/not-finished",
      a === null ? "no auction" : `tic ${a.tic}, end ${a.end}, now ${t}`,
    );
  return {
    auction: null,
    transfers: transfer("gem", FLIPPER, a.guy, a.lot),
    daiNeeded: 0n,
    clawed: params.version === "1.2" ? a.tab : 0n,
  };
}

/**
 * `Flipper.yank` (global settlement, called by the End): requires an auction and `bid < tab`
 * (`Flipper/already-dent-phase`); the lot goes to the caller, who refunds the high bidder's `bid`.
 * In 1.2 the tab leaves `litter`. Source: dss `src/flip.sol` `yank`; `src/test/flip.t.sol`
 * `test_yank_tend`, `test_yank_dent`.
 */
export function yank(params: FlipperParams, auction: FlipAuction | null, caller = "end"): FlipResult {
  validateFlipperParams(params);
  const a = live(auction);
  if (a.bid >= a.tab) throw flipRevert("Flipper/already-dent-phase", `bid ${a.bid} = tab ${a.tab}`);
  return {
    auction: null,
    transfers: [...transfer("gem", FLIPPER, caller, a.lot), ...transfer("dai", caller, a.guy, a.bid)],
    daiNeeded: a.bid,
    clawed: params.version === "1.2" ? a.tab : 0n,
  };
}

/** The auction's phase: `tend` while `bid < tab`, `dent` once the bid has reached `tab`. */
export function phase(auction: FlipAuction): "tend" | "dent" {
  return auction.bid < auction.tab ? "tend" : "dent";
}

/**
 * The smallest bid a `tend` accepts: `min(tab, max(bid₀ + 1, ⌈beg·bid₀ / WAD⌉))` — 1 rad (10⁻⁴⁵ DAI)
 * on an auction nobody has bid on, which is the "0 DAI" bid of 2020-03-12. Meaningful in the tend
 * phase (`bid < tab`). Source: dss `src/flip.sol`
 * `tend` (`bid > bid₀`, `bid·WAD ≥ beg·bid₀` or `bid = tab`).
 */
export function minimumTendBid(params: FlipperParams, auction: FlipAuction): Rad {
  const byBeg = ceilDiv(params.beg * auction.bid, WAD);
  const floor = byBeg > auction.bid ? byBeg : auction.bid + 1n;
  return minBig(floor, auction.tab);
}

/**
 * The largest lot a `dent` accepts: `min(lot₀ − 1, ⌊lot₀·WAD / beg⌋)` (0 when `beg` is 0 leaves no
 * bound but `lot < lot₀`). Source: dss `src/flip.sol` `dent` (`lot < lot₀`, `beg·lot ≤ lot₀·WAD`);
 * the Flopper's `dent` has the same two checks (`src/flop.sol`), so it serves debt auctions too.
 */
export function maximumDentLot(params: Pick<FlipperParams, "beg">, auction: Pick<FlipAuction, "lot">): Wad {
  if (auction.lot === 0n) return 0n;
  const byBeg = params.beg === 0n ? auction.lot - 1n : (auction.lot * WAD) / params.beg;
  return minBig(byBeg, auction.lot - 1n);
}

// --- Cat.bite ---------------------------------------------------------------------------------

/** The Cat's parameters for one ilk; their units differ between the two releases. */
export type CatIlk =
  /** dss 1.0: `lump` caps the collateral per auction [wad]; `chop` is a ray (1.13 = 13 % penalty). */
  | { readonly version: "1.0"; readonly chop: Ray; readonly lump: Wad }
  /** dss 1.2: `dunk` caps the tab per auction [rad]; `chop` is a wad. */
  | { readonly version: "1.2"; readonly chop: Wad; readonly dunk: Rad };

/** The Cat's global limit on DAI in auctions (dss 1.2): `box` and the `litter` already out [rad]. */
export interface CatBox {
  readonly box: Rad;
  readonly litter: Rad;
}

/** What `Cat.bite` did. */
export interface BiteResult {
  /** Normalised debt confiscated [wad]. */
  readonly dart: Wad;
  /** Collateral confiscated, the auction's lot [wad]. */
  readonly dink: Wad;
  /** Debt sent to the Vow (`Vow.fess`), `dart·rate` [rad]. */
  readonly due: Rad;
  /** DAI to raise: 1.0 `rmul(dart·rate, chop)`, 1.2 `dart·rate·chop / WAD` [rad]. */
  readonly tab: Rad;
  /** The vault afterwards. */
  readonly urn: Urn;
  /** 1.2: the Cat's box afterwards (`litter += tab`); 1.0: null. */
  readonly cat: CatBox | null;
  /** The procedure, one line per step. */
  readonly steps: readonly string[];
}

/**
 * `Cat.bite`: confiscate (part of) an unsafe vault for a Flipper auction.
 *
 * Both releases require `live` (`Cat/not-live`) and `spot > 0`, `ink·spot < art·rate` (`Cat/not-unsafe`).
 * - **1.0** (`lump`): `lot = min(ink, lump)`, `dart = min(art, lot·art / ink)`, `tab = dart·rate·chop / RAY`
 *   (`chop` a ray); no check for a null auction.
 * - **1.2** (`dunk`, `box`): `room = box − litter` must be positive and at least `dust`
 *   (`Cat/liquidation-limit-hit`); `dart = min(art, min(dunk, room)·WAD / rate / chop)`,
 *   `dink = min(ink, ink·dart / art)`, both > 0 (`Cat/null-auction`); `tab = dart·rate·chop / WAD`;
 *   `litter += tab`. A remnant below dust is allowed ("this may leave the CDP in a dusty state").
 *
 * Source: dss `src/cat.sol` `bite` at tags 1.0.4 and 1.2.0. Examples (dss `src/test/vat.t.sol`
 * `BiteTest`): ink 40, art 100, spot 2, chop 1.1 → 1.0 lump 50: lot 40, tab 110; lump 30: lot 30,
 * tab 82.5, vault left 10/25; 1.2 dunk 82.5 → the same 30 / 82.5.
 */
export function bite(input: {
  urn: Urn;
  vatIlk: VatIlk;
  catIlk: CatIlk;
  /** Required for 1.2. */
  cat?: CatBox;
  /** The Cat's `live` flag; false after `cage`. Default true. */
  live?: boolean;
}): BiteResult {
  const { urn, vatIlk, catIlk } = input;
  const ink = requireNonNegative("urn.ink", urn.ink);
  const art = requireNonNegative("urn.art", urn.art);
  const rate = requireNonNegative("vatIlk.rate", vatIlk.rate);
  requireNonNegative("vatIlk.spot", vatIlk.spot);
  requireNonNegative("catIlk.chop", catIlk.chop);
  const steps: string[] = [];
  if (input.live === false) throw flipRevert("Cat/not-live");
  if (!isUnsafe(urn, vatIlk))
    throw flipRevert(
      "Cat/not-unsafe",
      `spot ${vatIlk.spot}, ink·spot ${ink * vatIlk.spot}, art·rate ${art * rate}`,
    );
  steps.push(`unsafe: ink·spot = ${ink * vatIlk.spot} < art·rate = ${art * rate}`);

  if (catIlk.version === "1.0") {
    const lot = minBig(ink, requireNonNegative("catIlk.lump", catIlk.lump));
    if (ink === 0n) throw flipRevert("division-by-zero", "art·lot / ink with ink = 0");
    const dart = minBig(art, (lot * art) / ink);
    if (lot > INT256_MAX || dart > INT256_MAX) throw flipRevert("Cat/overflow");
    const due = dart * rate;
    const tab = (due * catIlk.chop) / RAY;
    steps.push(`lot = min(ink, lump) = ${lot} wad; art = min(art, lot·art/ink) = ${dart} wad`);
    steps.push(`due = art·rate = ${due} rad to the Vow; tab = rmul(due, chop) = ${tab} rad`);
    return { dart, dink: lot, due, tab, urn: { ink: ink - lot, art: art - dart }, cat: null, steps };
  }

  if (input.cat === undefined)
    throw new InputError("cat", undefined, "is required for the 1.2 Cat", "Give {box, litter} in rad.");
  const box = requireNonNegative("cat.box", input.cat.box);
  const litter = requireNonNegative("cat.litter", input.cat.litter);
  const dunk = requireNonNegative("catIlk.dunk", catIlk.dunk);
  const dust = requireNonNegative("vatIlk.dust", vatIlk.dust);
  if (litter > box) throw flipRevert("arithmetic-underflow", `box ${box} − litter ${litter}`);
  const room = box - litter;
  if (!(litter < box && room >= dust))
    throw flipRevert("Cat/liquidation-limit-hit", `room ${room}, dust ${dust}`);
  if (rate === 0n || catIlk.chop === 0n) throw flipRevert("division-by-zero", "rate or chop is 0");
  const dart = minBig(art, (minBig(dunk, room) * WAD) / rate / catIlk.chop);
  const dink = minBig(ink, (ink * dart) / art);
  steps.push(
    `room = box − litter = ${room} rad; dart = min(art, min(dunk, room)·WAD/rate/chop) = ${dart} wad`,
  );
  steps.push(`dink = min(ink, ink·dart/art) = ${dink} wad`);
  if (!(dart > 0n && dink > 0n)) throw flipRevert("Cat/null-auction", `dart ${dart}, dink ${dink}`);
  if (dart > INT256_MAX || dink > INT256_MAX) throw flipRevert("Cat/overflow");
  const due = dart * rate;
  const tab = (due * catIlk.chop) / WAD;
  steps.push(`due = dart·rate = ${due} rad to the Vow; tab = due·chop/WAD = ${tab} rad; litter += tab`);
  return {
    dart,
    dink,
    due,
    tab,
    urn: { ink: ink - dink, art: art - dart },
    cat: { box, litter: litter + tab },
    steps,
  };
}

/** DAI [rad] and collateral [wad] held by one party. */
export interface FlipHoldings {
  readonly dai: Rad;
  readonly gem: Wad;
}

/**
 * The holdings after `transfers`: each moves `amount` of its asset from `from` to `to` (parties not yet
 * listed start at 0). Balances may go negative here — dss's Vat would revert the call, which
 * {@link FlipResult.daiNeeded} lets a caller check first. Returns a new record; the input is unchanged.
 */
export function applyTransfers(
  holdings: Readonly<Record<string, FlipHoldings>>,
  transfers: readonly FlipTransfer[],
): Record<string, FlipHoldings> {
  const out: Record<string, FlipHoldings> = { ...holdings };
  const add = (who: string, asset: "dai" | "gem", amount: bigint) => {
    const h = out[who] ?? { dai: 0n, gem: 0n };
    out[who] = asset === "dai" ? { ...h, dai: h.dai + amount } : { ...h, gem: h.gem + amount };
  };
  for (const t of transfers) {
    add(t.from, t.asset, -t.amount);
    add(t.to, t.asset, t.amount);
  }
  return out;
}
