/**
 * MakerDAO's bad-debt socialization: the Vow's debt queue and accounts (`fess`, `flog`, `heal`,
 * `kiss`, `flop`, the `flap` preconditions) and the Flopper's debt auction (`kick`, `dent`, `tick`,
 * `deal`, `yank`), re-derived from the rules of makerdao/dss `src/vow.sol` and `src/flop.sol` (dss is
 * AGPL-3.0; no code is copied). Two Flopper releases are modelled:
 *
 * | version | dss | in force | first dent |
 * |---|---|---|---|
 * | `"1.0"` | tag 1.0.4 @ 44330065999621834b08de1edf3b962f6bbd74c6 | MCD launch to the 2020-07-27 executive spell, **live for the debt auctions of 2020-03-19** | the bid goes to the Vow as surplus (`Joy`); `Ash` stays until someone calls `Vow.kiss`, and `Vow.flop` is blocked while `Joy > 0` |
 * | `"1.2"` | tag 1.2.0 @ 36dab5c9fdce4fc36812e4fd8228be3beb18774d (PR #110 "kiss gal in first dent", in force from 2020-07-27) | after | the first dent calls `Vow.kiss(min(bid, Ash))`; a bidder overbidding itself moves no DAI |
 *
 * A debt auction sells newly minted MKR for a fixed `bid` of `sump` DAI: bidders `dent` the `lot` of
 * MKR down (start `dump`) by at least `beg`; a bid wins after `ttl` without a better one or at the
 * auction's `end` (`tau` after kick); an auction nobody bid on is restarted by `tick` with `lot × pad`;
 * `deal` mints the lot to the winner.
 *
 * Units are dss's, as bigint: MKR (`lot`, `dump`) and `beg`, `pad` in wad (1e18), DAI (`bid`, `sump`,
 * `Sin`, `Ash`, `Joy`, `Awe`) in rad (1e45); time in seconds. Every division rounds down.
 *
 * The Vow and the auction are plain data ({@link VowState}, {@link FlopAuction}); every call returns
 * the state after it and never mutates its input. A call the contracts would revert throws a
 * {@link VenueRevertError} (venue `maker`) carrying the dss revert string, e.g.
 * `"Flopper/insufficient-decrease"`; Solidity's checked subtraction (no string) is
 * `"arithmetic-underflow"`. Parameters dss could not hold throw an {@link InputError}.
 *
 * The Vat side is reduced to what the Vow reads: its DAI balance (`joy`, `vat.dai(vow)`) and its bad
 * debt (`awe`, `vat.sin(vow)`), which the Cat's `grab` raises by each bitten vault's debt. Not
 * modelled: authorisation, the Flapper's auction itself, `cage`/`End` beyond `yank`'s `live` flag.
 * Sources: makerdao/dss `src/vow.sol`, `src/flop.sol`, `src/test/vow.t.sol`, `src/test/flop.t.sol` at
 * the two tags above; docs https://docs.makerdao.com/smart-contract-modules/system-stabilizer-module.
 */
import { InputError } from "../errors.js";
import { minBig, WAD } from "../math/fixed-point.js";
import { type Rad, requireNonNegative, type Wad } from "./maker-clip.js";
import { type FlipTransfer, requireTime, validateFlipperParams } from "./maker-flip.js";
import { revertsOf } from "./revert.js";

/** Which Flopper: `"1.0"` (launch, live in March 2020) or `"1.2"` (kiss on the first dent). */
export type FlopVersion = "1.0" | "1.2";

/** Revert strings of `vow.sol` and `flop.sol` this module reproduces (one names the reasonless revert). */
export type FlopRevertReason =
  | "Vow/wait-not-finished"
  | "Vow/insufficient-surplus"
  | "Vow/insufficient-debt"
  | "Vow/not-enough-ash"
  | "Vow/surplus-not-zero"
  | "Vow/debt-not-zero"
  | "Flopper/not-live"
  | "Flopper/still-live"
  | "Flopper/guy-not-set"
  | "Flopper/already-finished-tic"
  | "Flopper/already-finished-end"
  | "Flopper/not-matching-bid"
  | "Flopper/lot-not-lower"
  | "Flopper/insufficient-decrease"
  | "Flopper/not-finished"
  | "Flopper/bid-already-placed"
  | "arithmetic-underflow";

const EXPLANATIONS: Record<FlopRevertReason, string> = {
  "Vow/wait-not-finished": "a queued debt can be flogged only `wait` seconds after its era",
  "Vow/insufficient-surplus":
    "heal and kiss need the DAI in the Vow (Joy); flap needs Joy ≥ Awe + bump + hump",
  "Vow/insufficient-debt": "heal needs rad ≤ Woe = Awe − Sin − Ash; flop needs sump ≤ Woe",
  "Vow/not-enough-ash": "kiss cancels at most the debt on auction (Ash)",
  "Vow/surplus-not-zero": "flop starts only when the Vow holds no DAI (Joy = 0): heal first",
  "Vow/debt-not-zero": "flap starts only when no bad debt is left (Woe = 0)",
  "Flopper/not-live": "the Flopper is caged (global settlement)",
  "Flopper/still-live": "yank is for a caged Flopper only",
  "Flopper/guy-not-set": "there is no such auction (it was dealt, yanked or never kicked)",
  "Flopper/already-finished-tic": "the high bid's ttl has run out (tic ≤ now): the auction can only be dealt",
  "Flopper/already-finished-end": "the auction's end has passed (end ≤ now)",
  "Flopper/not-matching-bid": "a dent keeps the fixed bid (sump)",
  "Flopper/lot-not-lower": "a dent must accept less MKR than the current lot",
  "Flopper/insufficient-decrease": "a dent's lot × beg must be at most the current lot",
  "Flopper/not-finished":
    "tick needs the auction's end passed; deal needs a bid whose tic or the auction's end has passed",
  "Flopper/bid-already-placed": "tick restarts only auctions nobody has bid on",
  "arithmetic-underflow":
    "Solidity's checked subtraction reverts without a reason string (Awe < Sin + Ash, or Sin < sin[era])",
};

const flopRevert = revertsOf<FlopRevertReason>("maker", EXPLANATIONS);

// --- Vow ---------------------------------------------------------------------------------------

/** The Vow's governed parameters (`Vow.file`). */
export interface VowParams {
  /** Flop delay: a queued debt becomes bad debt `wait` seconds after its era [s]. */
  readonly wait: bigint;
  /** Initial MKR lot of a debt auction [wad]. */
  readonly dump: Wad;
  /** Fixed DAI bid of a debt auction [rad]. */
  readonly sump: Rad;
  /** Fixed DAI lot of a surplus auction [rad]. */
  readonly bump: Rad;
  /** Surplus buffer [rad]. */
  readonly hump: Rad;
}

/** The Vow's books: its debt queue and what the Vat holds for it. Plain data. */
export interface VowState {
  /** `sin[era]`: debt queued at each era (the second of the `fess`), keyed by the era in decimal [rad]. */
  readonly queue: Readonly<Record<string, Rad>>;
  /** `Sin`: total queued debt [rad]. */
  readonly Sin: Rad;
  /** `Ash`: debt on auction (kicked to the Flopper, not yet cancelled by `kiss`) [rad]. */
  readonly Ash: Rad;
  /** `vat.dai(vow)`: the Vow's DAI, the surplus (`Joy`) [rad]. */
  readonly joy: Rad;
  /** `vat.sin(vow)`: the Vow's bad debt (`Awe`), raised by the Cat's `grab` [rad]. */
  readonly awe: Rad;
}

/** A Vow with nothing in it. */
export const EMPTY_VOW: VowState = { queue: {}, Sin: 0n, Ash: 0n, joy: 0n, awe: 0n };

/** Checks the Vow's parameters (non-negative bigints). Throws an {@link InputError} naming the field. */
export function validateVowParams(params: VowParams, field = "vow"): VowParams {
  for (const k of ["wait", "dump", "sump", "bump", "hump"] as const)
    requireNonNegative(`${field}.${k}`, params[k]);
  return params;
}

/**
 * `Woe = Awe − Sin − Ash`: the bad debt neither queued nor on auction, what `heal` and `flop` may
 * use. Reverts `arithmetic-underflow` when `Sin + Ash > Awe` (dss's nested `sub`). Source: dss
 * `src/vow.sol` `heal`, `flop`.
 */
export function woe(vow: VowState): Rad {
  if (vow.Sin > vow.awe) throw flopRevert("arithmetic-underflow", `Awe ${vow.awe} − Sin ${vow.Sin}`);
  const rest = vow.awe - vow.Sin;
  if (vow.Ash > rest) throw flopRevert("arithmetic-underflow", `Awe − Sin ${rest} − Ash ${vow.Ash}`);
  return rest - vow.Ash;
}

/**
 * `Vow.fess`: push `tab` onto the debt queue at era `now` (`sin[now] += tab`, `Sin += tab`); the Cat
 * calls it with each bite's debt after `vat.grab` has raised `Awe` by the same amount (pass
 * `grab: true` to raise it here too). Source: dss `src/vow.sol` `fess`; `src/cat.sol` `bite`.
 */
export function fess(vow: VowState, input: { tab: Rad; now: bigint; grab?: boolean }): VowState {
  const tab = requireNonNegative("tab", input.tab);
  const era = requireNonNegative("now", input.now).toString();
  return {
    ...vow,
    queue: { ...vow.queue, [era]: (vow.queue[era] ?? 0n) + tab },
    Sin: vow.Sin + tab,
    awe: input.grab === true ? vow.awe + tab : vow.awe,
  };
}

/**
 * `Vow.flog`: pop era `era` from the queue once `era + wait ≤ now` (`Vow/wait-not-finished`):
 * `Sin −= sin[era]`, `sin[era] = 0` — the debt is now bad debt (`Woe`). Source: dss `src/vow.sol`
 * `flog`. Example (dss `src/test/vow.t.sol` `test_flog_wait`, 1.2.0): wait 100 s, fess at t; flog
 * fails at t + 99, passes at t + 100.
 */
export function flog(params: VowParams, vow: VowState, input: { era: bigint; now: bigint }): VowState {
  validateVowParams(params);
  const era = requireNonNegative("era", input.era);
  const now = requireNonNegative("now", input.now);
  if (era + params.wait > now)
    throw flopRevert("Vow/wait-not-finished", `era ${era} + wait ${params.wait} > now ${now}`);
  const queued = vow.queue[era.toString()] ?? 0n;
  if (queued > vow.Sin) throw flopRevert("arithmetic-underflow", `Sin ${vow.Sin} − sin[era] ${queued}`);
  const { [era.toString()]: _popped, ...queue } = vow.queue;
  return { ...vow, queue, Sin: vow.Sin - queued };
}

/**
 * `Vow.heal`: cancel `rad` of the Vow's DAI against its bad debt (`vat.heal`): requires
 * `rad ≤ Joy` (`Vow/insufficient-surplus`) and `rad ≤ Woe` (`Vow/insufficient-debt`); `Joy` and
 * `Awe` fall by `rad`. Source: dss `src/vow.sol` `heal`. Example (`test_no_flop_pending_joy`): Woe
 * 200, Joy 100 → heal 100 leaves Woe 100, Joy 0.
 */
export function heal(vow: VowState, rad: Rad): VowState {
  const r = requireNonNegative("rad", rad);
  if (r > vow.joy) throw flopRevert("Vow/insufficient-surplus", `rad ${r} > Joy ${vow.joy}`);
  const w = woe(vow);
  if (r > w) throw flopRevert("Vow/insufficient-debt", `rad ${r} > Woe ${w}`);
  return { ...vow, joy: vow.joy - r, awe: vow.awe - r };
}

/**
 * `Vow.kiss`: cancel `rad` of the debt on auction against the Vow's DAI: requires `rad ≤ Ash`
 * (`Vow/not-enough-ash`) and `rad ≤ Joy` (`Vow/insufficient-surplus`); `Ash`, `Joy` and `Awe` fall
 * by `rad`. Source: dss `src/vow.sol` `kiss`; the 1.2 Flopper calls it on the first dent.
 */
export function kiss(vow: VowState, rad: Rad): VowState {
  const r = requireNonNegative("rad", rad);
  if (r > vow.Ash) throw flopRevert("Vow/not-enough-ash", `rad ${r} > Ash ${vow.Ash}`);
  if (r > vow.joy) throw flopRevert("Vow/insufficient-surplus", `rad ${r} > Joy ${vow.joy}`);
  return { ...vow, Ash: vow.Ash - r, joy: vow.joy - r, awe: vow.awe - r };
}

/**
 * `Vow.flop`: start a debt auction of `dump` MKR for a fixed bid of `sump` DAI: requires
 * `sump ≤ Woe` (`Vow/insufficient-debt`) and `Joy = 0` (`Vow/surplus-not-zero`); `Ash += sump`, then
 * `Flopper.kick(gal = vow, lot = dump, bid = sump)`. Source: dss `src/vow.sol` `flop`. Examples
 * (`src/test/vow.t.sol`): `test_no_reflop` (Woe 100 = sump: one flop, not two),
 * `test_no_flop_pending_joy`.
 */
export function flop(
  vowParams: VowParams,
  flopper: FlopperParams,
  vow: VowState,
  input: { now: bigint; gal?: string; live?: boolean },
): { vow: VowState; auction: FlopAuction } {
  validateVowParams(vowParams);
  const w = woe(vow);
  if (vowParams.sump > w) throw flopRevert("Vow/insufficient-debt", `sump ${vowParams.sump} > Woe ${w}`);
  if (vow.joy !== 0n) throw flopRevert("Vow/surplus-not-zero", `Joy ${vow.joy}`);
  const auction = kick(flopper, {
    gal: input.gal ?? VOW,
    lot: vowParams.dump,
    bid: vowParams.sump,
    now: input.now,
    ...(input.live === undefined ? {} : { live: input.live }),
  });
  return { vow: { ...vow, Ash: vow.Ash + vowParams.sump }, auction };
}

/**
 * The preconditions of `Vow.flap` (a surplus auction of `bump` DAI): `Joy ≥ Awe + bump + hump`
 * (`Vow/insufficient-surplus`) and `Woe = 0` (`Vow/debt-not-zero`). Returns the lot (`bump`); the
 * Flapper's auction is not modelled. Source: dss `src/vow.sol` `flap`; `src/test/vow.t.sol`
 * `test_flap`, `test_no_flap_pending_*`.
 */
export function flapLot(params: VowParams, vow: VowState): Rad {
  validateVowParams(params);
  const need = vow.awe + params.bump + params.hump;
  if (vow.joy < need)
    throw flopRevert("Vow/insufficient-surplus", `Joy ${vow.joy} < Awe + bump + hump ${need}`);
  const w = woe(vow);
  if (w !== 0n) throw flopRevert("Vow/debt-not-zero", `Woe ${w}`);
  return params.bump;
}

// --- Flopper -----------------------------------------------------------------------------------

/** The Vow's name as `gal` of its debt auctions. */
export const VOW = "vow";
/** The MKR token's mint in {@link FlipTransfer}s: `deal` moves MKR (asset `"gem"`) from it to the winner. */
export const MKR_MINT = "mkr-mint";

/** The Flopper's governed parameters (`Flopper.file`) and the dss release. */
export interface FlopperParams {
  /** Minimum lot decrease factor, e.g. 1.03 for 3 % [wad]. dss default 1.05. */
  readonly beg: Wad;
  /** Lot increase on `tick`, e.g. 1.2 [wad]. dss default 1.5. */
  readonly pad: Wad;
  /** Bid lifetime [s]. dss default 3 h. */
  readonly ttl: bigint;
  /** Auction lifetime from kick (or tick) [s]. dss default 2 days. */
  readonly tau: bigint;
  readonly version: FlopVersion;
}

/** A debt auction (`Flopper.bids(id)`): plain data. */
export interface FlopAuction {
  /** The fixed DAI bid [rad]. */
  readonly bid: Rad;
  /** MKR the bid buys [wad]. */
  readonly lot: Wad;
  /** High bidder; the Vow (`gal`) until the first dent. */
  readonly guy: string;
  /** When the high bid wins (0 until the first dent) [s]. */
  readonly tic: bigint;
  /** When the auction ends [s]. */
  readonly end: bigint;
}

/** What a Flopper call did. */
export interface FlopResult {
  /** The auction afterwards; null once dealt or yanked. */
  readonly auction: FlopAuction | null;
  /** DAI moves and the MKR minted by `deal` (asset `"gem"` from {@link MKR_MINT}), in call order. */
  readonly transfers: readonly FlipTransfer[];
  /** DAI the caller had to hold for the call to pass [rad]. */
  readonly daiNeeded: Rad;
  /** 1.2 first dent: the rad to pass to `Vow.kiss` (`min(bid, Ash)`), else 0 [rad]. */
  readonly kiss: Rad;
  /** `yank`: DAI created by `vat.suck(vow, guy, bid)` for the high bidder (and as much `Awe` for the Vow) [rad]. */
  readonly sucked: Rad;
}

/**
 * Checks the Flopper parameters: those of the Flipper (`beg`, `ttl`, `tau` in uint48, `version`;
 * {@link validateFlipperParams}) and `pad` a non-negative bigint. Throws an {@link InputError} naming
 * the field.
 */
export function validateFlopperParams(params: FlopperParams, field = "flopper"): FlopperParams {
  validateFlipperParams(params, field);
  requireNonNegative(`${field}.pad`, params.pad);
  return params;
}

const dai = (from: string, to: string, amount: bigint): FlipTransfer[] =>
  amount > 0n ? [{ asset: "dai", from, to, amount }] : [];
const nothing = { transfers: [], daiNeeded: 0n, kiss: 0n, sucked: 0n } as const;

/**
 * `Flopper.kick`: a new auction `{bid, lot, guy = gal, tic = 0, end = now + tau}`; nothing moves.
 * Requires `live` (`Flopper/not-live`). Source: dss `src/flop.sol` `kick`. Example (dss
 * `src/test/flop.t.sol` 1.2.0 `test_kick`): lot 200, bid 5000, guy gal, tic 0, end now + tau.
 */
export function kick(
  params: FlopperParams,
  input: { gal: string; lot: Wad; bid: Rad; now: bigint; live?: boolean },
): FlopAuction {
  validateFlopperParams(params);
  if (input.live === false) throw flopRevert("Flopper/not-live");
  const now = requireTime("now", input.now);
  return {
    bid: requireNonNegative("bid", input.bid),
    lot: requireNonNegative("lot", input.lot),
    guy: input.gal,
    tic: 0n,
    end: requireTime("now + tau", now + params.tau),
  };
}

/**
 * `Flopper.tick`: restart an auction nobody bid on once its end has passed — requires `end < now`
 * (`Flopper/not-finished`) and `tic = 0` (`Flopper/bid-already-placed`); `lot = pad·lot / WAD`,
 * `end = now + tau`. A null (dealt) auction is returned unchanged. Source: dss `src/flop.sol` `tick`.
 * Example (`src/test/flop.t.sol` `test_tick`): lot 200, pad 1.5 → 300.
 */
export function tick(params: FlopperParams, auction: FlopAuction | null, now: bigint): FlopAuction | null {
  validateFlopperParams(params);
  const t = requireTime("now", now);
  if (auction === null) return null;
  if (!(auction.end < t)) throw flopRevert("Flopper/not-finished", `end ${auction.end} ≥ now ${t}`);
  if (auction.tic !== 0n) throw flopRevert("Flopper/bid-already-placed", `tic ${auction.tic}`);
  return { ...auction, lot: (params.pad * auction.lot) / WAD, end: requireTime("now + tau", t + params.tau) };
}

/**
 * `Flopper.dent`: `guy` offers the fixed `bid` for a smaller `lot` of MKR.
 *
 * Requires `live` (`Flopper/not-live`), an auction (`Flopper/guy-not-set`), biddable (`tic > now` or
 * no bid yet, `Flopper/already-finished-tic`; `end > now`, `Flopper/already-finished-end`),
 * `bid = bid₀` (`Flopper/not-matching-bid`), `lot < lot₀` (`Flopper/lot-not-lower`) and
 * `beg·lot ≤ lot₀·WAD` (`Flopper/insufficient-decrease`). The bidder pays `bid` to the previous high
 * bidder — the Vow on the first dent, else the bidder it outbids. 1.0 always moves the DAI (an
 * overbid of oneself needs `bid` in the Vat); 1.2 moves nothing when `guy` is already the high bidder,
 * and on the first dent asks the Vow to `kiss(min(bid, Ash))` (give `ash`, the Vow's `Ash`). Then
 * `lot` and `tic = now + ttl`.
 * Source: dss `src/flop.sol` `dent`. Example (`src/test/flop.t.sol` `test_dent`): bid 10, lot 200 →
 * ali 100 (gal +10), bob 80 (ali refunded).
 */
export function dent(
  params: FlopperParams,
  auction: FlopAuction | null,
  input: { guy: string; lot: Wad; bid: Rad; now: bigint; ash?: Rad; live?: boolean },
): FlopResult {
  validateFlopperParams(params);
  if (input.live === false) throw flopRevert("Flopper/not-live");
  if (auction === null || auction.guy === "") throw flopRevert("Flopper/guy-not-set");
  const a = auction;
  const now = requireTime("now", input.now);
  const lot = requireNonNegative("lot", input.lot);
  const bid = requireNonNegative("bid", input.bid);
  if (!(a.tic > now || a.tic === 0n))
    throw flopRevert("Flopper/already-finished-tic", `tic ${a.tic} ≤ now ${now}`);
  if (!(a.end > now)) throw flopRevert("Flopper/already-finished-end", `end ${a.end} ≤ now ${now}`);
  if (bid !== a.bid) throw flopRevert("Flopper/not-matching-bid", `bid ${bid} ≠ ${a.bid}`, "bid");
  if (lot >= a.lot) throw flopRevert("Flopper/lot-not-lower", `lot ${lot} ≥ ${a.lot}`, "lot");
  if (params.beg * lot > a.lot * WAD)
    throw flopRevert("Flopper/insufficient-decrease", `beg·lot = ${params.beg * lot} > lot₀·WAD`, "lot");
  const moves = params.version === "1.0" || input.guy !== a.guy;
  const firstKiss =
    params.version === "1.2" && moves && a.tic === 0n
      ? minBig(bid, requireNonNegative("ash", input.ash ?? 0n))
      : 0n;
  return {
    auction: { ...a, guy: input.guy, lot, tic: requireTime("now + ttl", now + params.ttl) },
    transfers: moves ? dai(input.guy, a.guy, bid) : [],
    daiNeeded: moves ? bid : 0n,
    kiss: firstKiss,
    sucked: 0n,
  };
}

/**
 * `Flopper.deal`: settle — requires `live` (`Flopper/not-live`) and a bid (`tic ≠ 0`) whose `tic < now`
 * or the auction's `end < now` (`Flopper/not-finished`); mints the lot to the high bidder and deletes
 * the auction. An auction nobody bid on can never be dealt, only ticked. Source: dss `src/flop.sol`
 * `deal`. Example (`src/test/flop.t.sol` `test_dent`): after 5 weeks bob's 80 MKR are minted.
 */
export function deal(
  params: FlopperParams,
  auction: FlopAuction | null,
  now: bigint,
  live = true,
): FlopResult {
  validateFlopperParams(params);
  const t = requireTime("now", now);
  if (!live) throw flopRevert("Flopper/not-live");
  const a = auction;
  if (a === null || a.tic === 0n || !(a.tic < t || a.end < t))
    throw flopRevert(
      "Flopper/not-finished",
      a === null ? "no auction" : `tic ${a.tic}, end ${a.end}, now ${t}`,
    );
  return {
    ...nothing,
    auction: null,
    transfers: a.lot > 0n ? [{ asset: "gem", from: MKR_MINT, to: a.guy, amount: a.lot }] : [],
  };
}

/**
 * `Flopper.yank` (global settlement, after `cage`): requires `live = false` (`Flopper/still-live`) and
 * an auction (`Flopper/guy-not-set`); `vat.suck(vow, guy, bid)` gives the high bidder `bid` DAI (the
 * Vow itself when nobody bid) and the Vow as much bad debt; the auction is deleted. Source: dss
 * `src/flop.sol` `yank`; `src/test/flop.t.sol` `test_yank`, `test_yank_no_bids`.
 */
export function yank(auction: FlopAuction | null, live = false): FlopResult {
  if (live) throw flopRevert("Flopper/still-live");
  if (auction === null || auction.guy === "") throw flopRevert("Flopper/guy-not-set");
  return { ...nothing, auction: null, sucked: auction.bid };
}
