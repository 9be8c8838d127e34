/**
 * MakerDAO Liquidations 2.0 (dss `dog.sol`, `clip.sol`, `abaci.sol`), re-derived from the formulas
 * (dss is AGPL-3.0; no code is copied). Units are those of dss, as bigint:
 *
 * | unit | scale | used for |
 * |---|---|---|
 * | wad | 1e18 | collateral amounts (`ink`, `lot`, `slice`), normalised debt (`art`), `chop`, `chip` |
 * | ray | 1e27 | prices (`top`, auction price, feed price, `spot`), `rate`, `buf`, `cusp`, `cut` |
 * | rad | 1e45 | DAI amounts (`tab`, `owe`, `dust`, `hole`, `Hole`, `Dirt`, `tip`, `chost`) |
 *
 * Time is in seconds (bigint). Every division rounds down, as Solidity's does; products follow the
 * contracts' order of operations so that results match to the last unit.
 *
 * A call that the contracts would revert throws a {@link VenueRevertError} carrying the dss revert
 * string (e.g. `"Clipper/no-partial-purchase"`); parameters that dss could never hold (a `chop`
 * below 1, a `cut` above 1, …) throw an {@link InputError} naming the field.
 *
 * Sources: makerdao/dss `src/dog.sol` (`bark`), `src/clip.sol` (`kick`, `take`, `redo`, `status`,
 * `upchost`), `src/abaci.sol` (`LinearDecrease`, `StairstepExponentialDecrease`,
 * `ExponentialDecrease`); docs https://docs.makerdao.com/smart-contract-modules/dog-and-clipper-detailed-documentation;
 * research note `/work/shared/research/mechanics.md` §7 and §10.8.
 */
import { InputError } from "../errors.js";
import type { LendingAccount } from "../margin/lending.js";
import { fromFixed, minBig, RAD, RAY, rdivDown, rmulDown, rpow, WAD, wmulDown } from "../math/fixed-point.js";
import { revertsOf } from "./revert.js";

/** 1e18 fixed point (collateral amounts, normalised debt, `chop`, `chip`). */
export type Wad = bigint;
/** 1e27 fixed point (prices, `rate`, `buf`, `cusp`, `cut`). */
export type Ray = bigint;
/** 1e45 fixed point (DAI amounts). */
export type Rad = bigint;

/** dss revert strings this module reproduces. */
export type DssRevertReason =
  | "Dog/not-unsafe"
  | "Dog/liquidation-limit-hit"
  | "Dog/dusty-auction-from-partial-liquidation"
  | "Dog/null-auction"
  | "Clipper/stopped-incorrect"
  | "Clipper/zero-tab"
  | "Clipper/zero-lot"
  | "Clipper/zero-top-price"
  | "Clipper/not-running-auction"
  | "Clipper/needs-reset"
  | "Clipper/too-expensive"
  | "Clipper/no-partial-purchase"
  | "Clipper/cannot-reset";

const EXPLANATIONS: Record<DssRevertReason, string> = {
  "Dog/not-unsafe": "the vault is safe (ink·spot ≥ art·rate), so it cannot be barked",
  "Dog/liquidation-limit-hit": "no room left under Hole − Dirt or ilk.hole − ilk.dirt",
  "Dog/dusty-auction-from-partial-liquidation":
    "the room allows only a partial liquidation whose debt (dart·rate) is below dust",
  "Dog/null-auction": "the collateral to seize (dink = ink·dart/art) rounds to 0",
  "Clipper/stopped-incorrect": "the circuit breaker `stopped` forbids this action",
  "Clipper/zero-tab": "an auction needs a positive tab",
  "Clipper/zero-lot": "an auction needs a positive lot",
  "Clipper/zero-top-price": "the starting price top = feedPrice·buf is 0",
  "Clipper/not-running-auction": "the auction is not running (its tab or lot is 0)",
  "Clipper/needs-reset": "the auction is done (elapsed > tail or price/top < cusp): call redo first",
  "Clipper/too-expensive": "the current auction price is above the buyer's max",
  "Clipper/no-partial-purchase":
    "the purchase would leave less than chost and tab ≤ chost: the buyer must take the whole tab",
  "Clipper/cannot-reset": "redo is allowed only when the auction is done",
};

/**
 * A call the dss contracts would revert: a {@link VenueRevertError} carrying the contract's revert
 * string in `reason` and a plain explanation. (dss: every `require(…, "Contract/reason")` in `dog.sol`
 * and `clip.sol`.)
 */
const dssRevert = revertsOf<DssRevertReason>("maker", EXPLANATIONS);

// --- validation ------------------------------------------------------------------------------

/** `value` as a non-negative bigint (a dss integer unit), else an {@link InputError} naming `field`. */
export function requireNonNegative(field: string, value: unknown): bigint {
  if (typeof value !== "bigint" || value < 0n)
    throw new InputError(
      field,
      value,
      "must be a non-negative bigint",
      "Give dss integer units (wad, ray, rad).",
    );
  return value;
}

/** `value` as a positive bigint, else an {@link InputError} naming `field` with `fix`. */
export function requirePositive(field: string, value: unknown, fix: string): bigint {
  if (typeof value !== "bigint" || value <= 0n)
    throw new InputError(field, value, "must be a positive bigint", fix);
  return value;
}

// --- price curves (abaci.sol) ----------------------------------------------------------------

/** The three Abacus price calculators of dss `abaci.sol`. */
export type PriceCurve =
  /** `LinearDecrease`: falls linearly from `top` to 0 over `tau` seconds. */
  | { readonly kind: "linear"; readonly tau: bigint }
  /** `StairstepExponentialDecrease`: multiplied by `cut` (ray) every `step` seconds. */
  | { readonly kind: "stairstep"; readonly cut: Ray; readonly step: bigint }
  /** `ExponentialDecrease`: multiplied by `cut` (ray) every second, continuously compounded. */
  | { readonly kind: "exponential"; readonly cut: Ray };

/**
 * Checks an Abacus configuration as the contracts' `file` would (and a little stricter): `cut ≤ RAY`
 * (`…/cut-gt-RAY`), `step > 0` (dss would divide by zero), `tau > 0` (a zero `tau` prices everything
 * at 0). Throws an {@link InputError} naming `field.cut` / `field.step` / `field.tau`.
 * Source: dss `src/abaci.sol` `file`.
 */
export function validatePriceCurve(curve: PriceCurve, field = "calc"): PriceCurve {
  if (curve.kind === "linear") {
    requirePositive(
      `${field}.tau`,
      curve.tau,
      "LinearDecrease needs tau > 0 seconds (price reaches 0 at tau).",
    );
    return curve;
  }
  const cut = requireNonNegative(`${field}.cut`, curve.cut);
  if (cut > RAY)
    throw new InputError(
      `${field}.cut`,
      curve.cut,
      "must be at most RAY (dss reverts with cut-gt-RAY)",
      "cut is the per-step multiplier in ray: 0.99 per step is 990000000000000000000000000n.",
    );
  if (curve.kind === "stairstep")
    requirePositive(`${field}.step`, curve.step, "StairstepExponentialDecrease needs step ≥ 1 second.");
  return curve;
}

/**
 * `LinearDecrease.price(top, dur)`: `0` when `dur ≥ tau`, else `rmul(top, (tau − dur)·RAY / tau)`,
 * i.e. `top·(tau − dur)/tau` rounded down twice. Source: dss `src/abaci.sol` `LinearDecrease`.
 * Example (dss `src/test/abaci.t.sol`): tau 3,600, top 1,000 → 900 at 360 s, 0 at 3,600 s.
 */
export function linearDecreasePrice(top: Ray, dur: bigint, tau: bigint): Ray {
  if (dur >= tau) return 0n;
  return rmulDown(top, ((tau - dur) * RAY) / tau);
}

/**
 * `StairstepExponentialDecrease.price(top, dur)`: `rmul(top, rpow(cut, dur / step, RAY))`, i.e.
 * `top·cut^⌊dur/step⌋` (rpow rounds half up at each squaring, rmul rounds down).
 * Source: dss `src/abaci.sol`. Example (dss `src/test/clip.t.sol`): top 5, cut 0.99, step 1 → at
 * 60 s `2735783211953807380973706855` (2.7357… ray).
 */
export function stairstepExponentialDecreasePrice(top: Ray, dur: bigint, cut: Ray, step: bigint): Ray {
  return rmulDown(top, rpow(cut, dur / step));
}

/**
 * `ExponentialDecrease.price(top, dur)`: `rmul(top, rpow(cut, dur, RAY))`, i.e. `top·cut^dur`.
 * Source: dss `src/abaci.sol`. Example (dss `src/test/abaci.t.sol`): cut 0.999230132966 (half-life
 * 900 s), top 4,000 → 2,000 at 900 s, 1,000 at 1,800 s (within 0.001).
 */
export function exponentialDecreasePrice(top: Ray, dur: bigint, cut: Ray): Ray {
  return rmulDown(top, rpow(cut, dur));
}

/**
 * The auction price `calc.price(top, dur)` of any {@link PriceCurve} `dur` seconds after the
 * auction's start (or last reset). Source: dss `src/abaci.sol`.
 */
export function auctionPrice(curve: PriceCurve, top: Ray, dur: bigint): Ray {
  if (dur < 0n) throw new InputError("dur", dur, "must be non-negative", "Time runs forward from tic.");
  switch (curve.kind) {
    case "linear":
      return linearDecreasePrice(top, dur, curve.tau);
    case "stairstep":
      return stairstepExponentialDecreasePrice(top, dur, curve.cut, curve.step);
    case "exponential":
      return exponentialDecreasePrice(top, dur, curve.cut);
  }
}

// --- Dog.bark ----------------------------------------------------------------------------------

/** A vault (`Vat.urns(ilk, urn)`). */
export interface Urn {
  /** Locked collateral [wad]. */
  readonly ink: Wad;
  /** Normalised debt [wad]; the debt is `art·rate` [rad]. */
  readonly art: Wad;
}

/** The collateral type's Vat parameters (`Vat.ilks(ilk)`). */
export interface VatIlk {
  /** Debt accumulator [ray]. */
  readonly rate: Ray;
  /** Price with safety margin, `price / mat` [ray]. */
  readonly spot: Ray;
  /** Minimum vault debt [rad]. */
  readonly dust: Rad;
}

/** The collateral type's Dog parameters (`Dog.ilks(ilk)`). */
export interface DogIlk {
  /** Liquidation penalty multiplier, e.g. 1.13 for 13 % [wad]; at least 1. */
  readonly chop: Wad;
  /** Limit on DAI (tab) in active auctions of this ilk [rad]. */
  readonly hole: Rad;
  /** DAI (tab) in active auctions of this ilk [rad]. */
  readonly dirt: Rad;
}

/** The Dog's global limits. */
export interface DogGlobal {
  /** Limit on DAI (tab) in all active auctions [rad]. */
  readonly Hole: Rad;
  /** DAI (tab) in all active auctions [rad]. */
  readonly Dirt: Rad;
}

/** What `Dog.bark` did. */
export interface BarkResult {
  /** `min(Hole − Dirt, ilk.hole − ilk.dirt)` [rad]. */
  readonly room: Rad;
  /** Normalised debt confiscated [wad]. */
  readonly dart: Wad;
  /** Collateral confiscated, sent to the Clipper as the lot [wad]. */
  readonly dink: Wad;
  /** Debt confiscated `dart·rate`, queued in the Vow as bad debt [rad]. */
  readonly due: Rad;
  /** DAI to raise, `due·chop / WAD` [rad]. */
  readonly tab: Rad;
  /** True when only part of the vault was liquidated. */
  readonly partial: boolean;
  /** True when the room allowed only part of it but the remnant would have been dusty, so all of it was taken. */
  readonly forcedFull: boolean;
  /** The vault afterwards. */
  readonly urn: Urn;
  /** The Dog's global counters afterwards (`Dirt += tab`). */
  readonly dog: DogGlobal;
  /** The ilk's Dog parameters afterwards (`dirt += tab`). */
  readonly dogIlk: DogIlk;
  /** The procedure, one line per step. */
  readonly steps: readonly string[];
}

/**
 * Checks the Dog parameters: `chop ≥ WAD` (dss `Dog.file` reverts with `Dog/file-chop-lt-WAD`),
 * non-negative `hole`/`dirt`. Throws an {@link InputError} naming the field. Source: dss `src/dog.sol`.
 */
export function validateDogIlk(ilk: DogIlk, field = "dogIlk"): DogIlk {
  const chop = requireNonNegative(`${field}.chop`, ilk.chop);
  if (chop < WAD)
    throw new InputError(
      `${field}.chop`,
      ilk.chop,
      "must be at least WAD (1.0); dss reverts with Dog/file-chop-lt-WAD",
      "chop is 1 + penalty in wad: a 13 % penalty is 1130000000000000000n.",
    );
  requireNonNegative(`${field}.hole`, ilk.hole);
  requireNonNegative(`${field}.dirt`, ilk.dirt);
  return ilk;
}

/**
 * Whether the vault can be barked: `spot > 0` and `ink·spot < art·rate` (Vat units: wad·ray vs
 * wad·ray). Source: dss `src/dog.sol` `bark` (`Dog/not-unsafe`).
 */
export function isUnsafe(urn: Urn, vatIlk: VatIlk): boolean {
  return vatIlk.spot > 0n && urn.ink * vatIlk.spot < urn.art * vatIlk.rate;
}

/**
 * `Dog.bark`: confiscate (part of) an unsafe vault and compute the auction's tab and lot.
 *
 * - `room = min(Hole − Dirt, ilk.hole − ilk.dirt)` (both must be positive, else `Dog/liquidation-limit-hit`);
 * - `dart = min(art, room·WAD / rate / chop)` (integer divisions in that order);
 * - if `dart < art`: when the remnant is dusty, `(art − dart)·rate < dust`, take `dart = art` (this may
 *   overshoot the holes by at most `dust·chop`); otherwise the partial auction itself must not be dusty,
 *   `dart·rate ≥ dust` (`Dog/dusty-auction-from-partial-liquidation`);
 * - `dink = ink·dart / art` (must be > 0, `Dog/null-auction`);
 * - `due = dart·rate`, `tab = due·chop / WAD`; `Dirt` and `ilk.dirt` grow by `tab`.
 *
 * Source: dss `src/dog.sol` `bark`. Example (dss `src/test/clip.t.sol` setUp): ink 40, art 100,
 * rate 1, chop 1.1, holes 1,000 DAI → tab 110 DAI, lot 40.
 */
export function bark(input: { urn: Urn; vatIlk: VatIlk; dogIlk: DogIlk; dog: DogGlobal }): BarkResult {
  const { urn, vatIlk, dog } = input;
  const dogIlk = validateDogIlk(input.dogIlk);
  requireNonNegative("urn.ink", urn.ink);
  requireNonNegative("urn.art", urn.art);
  requirePositive("vatIlk.rate", vatIlk.rate, "rate is the debt accumulator in ray, at least RAY (1.0).");
  requireNonNegative("vatIlk.spot", vatIlk.spot);
  requireNonNegative("vatIlk.dust", vatIlk.dust);
  requireNonNegative("dog.Hole", dog.Hole);
  requireNonNegative("dog.Dirt", dog.Dirt);
  const steps: string[] = [];

  if (!isUnsafe(urn, vatIlk))
    throw dssRevert(
      "Dog/not-unsafe",
      `ink·spot = ${urn.ink * vatIlk.spot}, art·rate = ${urn.art * vatIlk.rate}`,
    );
  steps.push(`unsafe: ink·spot = ${urn.ink * vatIlk.spot} < art·rate = ${urn.art * vatIlk.rate}`);

  if (!(dog.Hole > dog.Dirt && dogIlk.hole > dogIlk.dirt))
    throw dssRevert(
      "Dog/liquidation-limit-hit",
      `Hole − Dirt = ${dog.Hole - dog.Dirt}, hole − dirt = ${dogIlk.hole - dogIlk.dirt}`,
    );
  const room = minBig(dog.Hole - dog.Dirt, dogIlk.hole - dogIlk.dirt);
  steps.push(`room = min(Hole − Dirt, ilk.hole − ilk.dirt) = ${room} rad`);

  let dart = minBig(urn.art, (room * WAD) / vatIlk.rate / dogIlk.chop);
  steps.push(`dart = min(art, room·WAD/rate/chop) = ${dart} wad`);
  let forcedFull = false;
  if (urn.art > dart) {
    if ((urn.art - dart) * vatIlk.rate < vatIlk.dust) {
      dart = urn.art;
      forcedFull = true;
      steps.push(
        "the remnant (art − dart)·rate would be below dust: the whole vault is liquidated (may exceed the holes)",
      );
    } else if (dart * vatIlk.rate < vatIlk.dust) {
      throw dssRevert(
        "Dog/dusty-auction-from-partial-liquidation",
        `dart·rate = ${dart * vatIlk.rate} < dust = ${vatIlk.dust}`,
      );
    } else {
      steps.push("partial liquidation: the remnant and the auction are both at least dust");
    }
  }

  const dink = urn.art === 0n ? 0n : (urn.ink * dart) / urn.art;
  if (dink <= 0n) throw dssRevert("Dog/null-auction", `dink = ink·dart/art = ${dink}`);
  steps.push(`dink = ink·dart/art = ${dink} wad of collateral goes to the Clipper`);

  const due = dart * vatIlk.rate;
  const tab = (due * dogIlk.chop) / WAD;
  steps.push(`due = dart·rate = ${due} rad (to the Vow as bad debt); tab = due·chop/WAD = ${tab} rad`);

  return {
    room,
    dart,
    dink,
    due,
    tab,
    partial: dart < urn.art,
    forcedFull,
    urn: { ink: urn.ink - dink, art: urn.art - dart },
    dog: { Hole: dog.Hole, Dirt: dog.Dirt + tab },
    dogIlk: { ...dogIlk, dirt: dogIlk.dirt + tab },
    steps,
  };
}

// --- Clipper -----------------------------------------------------------------------------------

/** A Clipper's governed parameters (`Clipper.file`) plus its price calculator. */
export interface ClipperParams {
  /** Starting-price multiplier over the feed price [ray]. */
  readonly buf: Ray;
  /** Seconds after which the auction must be reset. */
  readonly tail: bigint;
  /** Price drop (price/top) below which the auction must be reset [ray]. */
  readonly cusp: Ray;
  /** Keeper incentive as a share of tab [wad]. */
  readonly chip: Wad;
  /** Flat keeper incentive [rad]. */
  readonly tip: Rad;
  /** `wmul(dust, chop)`, the smallest tab an auction may be left with [rad]; see {@link chostOf}. */
  readonly chost: Rad;
  /** The Abacus. */
  readonly calc: PriceCurve;
  /** Circuit breaker: 0 none, 1 no kick, 2 also no redo, 3 also no take. */
  readonly stopped?: 0 | 1 | 2 | 3;
}

/** A running auction (`Clipper.sales(id)`). */
export interface Sale {
  /** DAI still to raise [rad]. */
  readonly tab: Rad;
  /** Collateral still for sale [wad]. */
  readonly lot: Wad;
  /** Start (or last reset) time [seconds]. */
  readonly tic: bigint;
  /** Starting price [ray]. */
  readonly top: Ray;
}

/**
 * `Clipper.chost = wmul(dust, chop)` [rad]: a partial take may not leave a tab below it.
 * Source: dss `src/clip.sol` `upchost`. Example (dss `src/test/clip.t.sol`): dust 20 DAI, chop 1.1 → 22 DAI.
 */
export function chostOf(dust: Rad, chop: Wad): Rad {
  return wmulDown(requireNonNegative("dust", dust), requireNonNegative("chop", chop));
}

/**
 * The Clipper's feed price from the OSM value: `rdiv(val·1e9, par)` [ray] (`val` in wad, `par` the
 * DAI target price in ray, 1.0 by default). Source: dss `src/clip.sol` `getFeedPrice`.
 */
export function feedPriceFromOsm(val: Wad, par: Ray = RAY): Ray {
  requirePositive("par", par, "par is the DAI reference price in ray, normally RAY.");
  return rdivDown(requireNonNegative("val", val) * 10n ** 9n, par);
}

/**
 * Checks Clipper parameters: non-negative bigints, `chip` fits uint64 and `tip` uint192 (the storage
 * types of `clip.sol`), and a valid {@link PriceCurve}. Throws an {@link InputError} naming the field.
 * Source: dss `src/clip.sol` `file`.
 */
export function validateClipperParams(params: ClipperParams, field = "clipper"): ClipperParams {
  for (const key of ["buf", "tail", "cusp", "chip", "tip", "chost"] as const)
    requireNonNegative(`${field}.${key}`, params[key]);
  if (params.chip >= 2n ** 64n)
    throw new InputError(
      `${field}.chip`,
      params.chip,
      "does not fit uint64",
      "chip is a share of tab in wad (0.1 % = 1e15).",
    );
  if (params.tip >= 2n ** 192n)
    throw new InputError(
      `${field}.tip`,
      params.tip,
      "does not fit uint192",
      "tip is a flat DAI amount in rad.",
    );
  if (params.stopped !== undefined && ![0, 1, 2, 3].includes(params.stopped))
    throw new InputError(
      `${field}.stopped`,
      params.stopped,
      "must be 0, 1, 2 or 3",
      "Use the dss breaker levels.",
    );
  validatePriceCurve(params.calc, `${field}.calc`);
  return params;
}

function checkStopped(params: ClipperParams, level: 1 | 2 | 3): void {
  if ((params.stopped ?? 0) >= level)
    throw dssRevert("Clipper/stopped-incorrect", `stopped = ${params.stopped}, needs < ${level}`);
}

/** What `Clipper.kick` produced. */
export interface KickResult {
  readonly sale: Sale;
  /** Keeper incentive paid by the Vow, `tip + wmul(tab, chip)` (0 when both are 0) [rad]. */
  readonly coin: Rad;
}

/**
 * `Clipper.kick`: start an auction. `top = rmul(feedPrice, buf)`; keeper incentive
 * `coin = tip + wmul(tab, chip)` (paid from the Vow, so it adds to system debt), only if `tip > 0`
 * or `chip > 0`. Reverts when stopped ≥ 1, `tab = 0`, `lot = 0` or `top = 0`.
 * Source: dss `src/clip.sol` `kick`. Example (dss `src/test/clip.t.sol` `test_kick`): tab 110 DAI,
 * feed 4, buf 1.25 → top 5; tip 100 DAI, chip 2 % → coin 102.2 DAI.
 */
export function kick(
  params: ClipperParams,
  input: { tab: Rad; lot: Wad; feedPrice: Ray; now: bigint },
): KickResult {
  validateClipperParams(params);
  checkStopped(params, 1);
  if (input.tab <= 0n) throw dssRevert("Clipper/zero-tab");
  if (input.lot <= 0n) throw dssRevert("Clipper/zero-lot");
  requireNonNegative("feedPrice", input.feedPrice);
  const top = rmulDown(input.feedPrice, params.buf);
  if (top <= 0n) throw dssRevert("Clipper/zero-top-price");
  const coin = params.tip > 0n || params.chip > 0n ? params.tip + wmulDown(input.tab, params.chip) : 0n;
  return { sale: { tab: input.tab, lot: input.lot, tic: input.now, top }, coin };
}

/** `Clipper.status` / `getStatus`. */
export interface AuctionStatus {
  /** Seconds since `tic`. */
  readonly elapsed: bigint;
  /** Current price [ray]. */
  readonly price: Ray;
  /** `elapsed > tail || price/top < cusp`: the auction needs a reset. */
  readonly done: boolean;
}

/**
 * `Clipper.status(tic, top)`: `price = calc.price(top, now − tic)`;
 * `done = (now − tic > tail) || (rdiv(price, top) < cusp)`. Source: dss `src/clip.sol` `status`.
 * Example (dss `src/test/clip.t.sol` `test_auction_reset_cusp`): linear tau 1 h, top 5, cusp 0.5 →
 * not done at 1,800 s (price/top = 0.5 exactly), done at 1,801 s.
 */
export function status(params: ClipperParams, sale: Sale, now: bigint): AuctionStatus {
  if (now < sale.tic)
    throw new InputError(
      "now",
      now,
      `is before the auction's tic (${sale.tic})`,
      "Time runs forward from tic.",
    );
  const elapsed = now - sale.tic;
  const price = auctionPrice(params.calc, sale.top, elapsed);
  const done = elapsed > params.tail || rdivDown(price, sale.top) < params.cusp;
  return { elapsed, price, done };
}

/** What `Clipper.take` did. */
export interface TakeResult {
  /** Auction price paid [ray]. */
  readonly price: Ray;
  /** Collateral bought [wad]. */
  readonly slice: Wad;
  /** DAI paid, `slice·price` or the capped amount [rad]. */
  readonly owe: Rad;
  /** True when `owe` was cut to leave exactly `chost` (the chost rule). */
  readonly chostAdjusted: boolean;
  /** Tab left (0 when fully covered; when the lot ran out first, the uncollected rest, written off) [rad]. */
  readonly tab: Rad;
  /** Lot left in the Clipper (0 when the auction ended) [wad]. */
  readonly lot: Wad;
  /** Collateral returned to the vault owner because the tab was covered [wad]. */
  readonly returned: Wad;
  /** True when the auction is over (lot sold out or tab covered). */
  readonly ended: boolean;
  /** Amount removed from `Dirt` and `ilk.dirt` (`Dog.digs`): `lot == 0 ? tab + owe : owe` [rad]. */
  readonly digs: Rad;
  /** The auction afterwards, or null when it ended. */
  readonly sale: Sale | null;
  /** The procedure, one line per step. */
  readonly steps: readonly string[];
}

/**
 * `Clipper.take(id, amt, max, who, data)`: buy up to `amt` collateral at the current price if it is
 * at most `max`.
 *
 * - requires the auction not done (`Clipper/needs-reset`) and `max ≥ price` (`Clipper/too-expensive`);
 * - `slice = min(lot, amt)`, `owe = slice·price`;
 * - if `owe > tab`: `owe = tab`, `slice = owe / price` (never collect more than tab);
 * - else if `owe < tab` and `slice < lot` and `tab − owe < chost`: if `tab ≤ chost` revert
 *   `Clipper/no-partial-purchase`, else `owe = tab − chost`, `slice = owe / price` (the chost rule);
 * - `tab −= owe`, `lot −= slice`; `Dog.digs(lot == 0 ? tab + owe : owe)`;
 * - if `lot == 0` the auction ends (any tab left is written off); else if `tab == 0` the leftover lot
 *   returns to the vault owner and the auction ends.
 *
 * The flash-loan callback (`clipperCall`) is not modelled. Source: dss `src/clip.sol` `take`.
 * Example (dss `src/test/clip.t.sol` `test_take_over_tab`): tab 110, lot 40, price 5, amt 25 → slice
 * 22, owe 110, 18 returned.
 */
export function take(
  params: ClipperParams,
  sale: Sale,
  input: { amt: Wad; max: Ray; now: bigint },
): TakeResult {
  validateClipperParams(params);
  checkStopped(params, 3);
  if (sale.tab <= 0n || sale.lot <= 0n)
    throw dssRevert("Clipper/not-running-auction", `tab ${sale.tab}, lot ${sale.lot}`);
  requireNonNegative("amt", input.amt);
  requireNonNegative("max", input.max);
  const steps: string[] = [];
  const { price, done, elapsed } = status(params, sale, input.now);
  if (done) throw dssRevert("Clipper/needs-reset", `elapsed ${elapsed} s, price ${price}`);
  if (input.max < price) throw dssRevert("Clipper/too-expensive", `price ${price} > max ${input.max}`, "max");
  steps.push(`price after ${elapsed} s = ${price} ray`);

  let slice = minBig(sale.lot, input.amt);
  let owe = slice * price;
  let chostAdjusted = false;
  steps.push(`slice = min(lot, amt) = ${slice} wad; owe = slice·price = ${owe} rad`);
  if (owe > sale.tab) {
    owe = sale.tab;
    slice = owe / price;
    steps.push(`owe > tab: owe = tab = ${owe} rad, slice = owe/price = ${slice} wad`);
  } else if (owe < sale.tab && slice < sale.lot) {
    if (sale.tab - owe < params.chost) {
      if (sale.tab <= params.chost)
        throw dssRevert("Clipper/no-partial-purchase", `tab ${sale.tab} ≤ chost ${params.chost}`);
      owe = sale.tab - params.chost;
      slice = owe / price;
      chostAdjusted = true;
      steps.push(`tab − owe < chost: owe = tab − chost = ${owe} rad, slice = ${slice} wad`);
    }
  }

  const tab = sale.tab - owe;
  const lot = sale.lot - slice;
  const digs = lot === 0n ? tab + owe : owe;
  steps.push(`tab left ${tab} rad, lot left ${lot} wad; Dirt and ilk.dirt fall by ${digs} rad`);

  if (lot === 0n) {
    steps.push(
      tab > 0n ? `lot sold out: auction ends, ${tab} rad of tab uncollected` : "lot sold out: auction ends",
    );
    return { price, slice, owe, chostAdjusted, tab, lot, returned: 0n, ended: true, digs, sale: null, steps };
  }
  if (tab === 0n) {
    steps.push(`tab covered: ${lot} wad of collateral returned to the vault owner; auction ends`);
    return {
      price,
      slice,
      owe,
      chostAdjusted,
      tab,
      lot: 0n,
      returned: lot,
      ended: true,
      digs,
      sale: null,
      steps,
    };
  }
  return {
    price,
    slice,
    owe,
    chostAdjusted,
    tab,
    lot,
    returned: 0n,
    ended: false,
    digs,
    sale: { ...sale, tab, lot },
    steps,
  };
}

/** What `Clipper.redo` did. */
export interface RedoResult {
  /** The reset auction: `tic = now`, `top = rmul(feedPrice, buf)`. */
  readonly sale: Sale;
  /** Keeper incentive, or 0 when the sale is dusty [rad]. */
  readonly coin: Rad;
  /** False when `tip`/`chip` are set but `tab < chost` or `lot·feedPrice < chost`. */
  readonly incentivePaid: boolean;
}

/**
 * `Clipper.redo`: reset a done auction. Requires `status.done` (`Clipper/cannot-reset`) and stopped < 2.
 * `tic = now`, `top = rmul(feedPrice, buf)`; incentive `coin = tip + wmul(tab, chip)` only when
 * `tab ≥ chost` and `lot·feedPrice ≥ chost` (units: wad·ray = rad). Source: dss `src/clip.sol` `redo`.
 * Example (dss `src/test/clip.t.sol` `test_redo_incentive`): lot 2 at feed 4 → 8 DAI < chost 22 → no incentive.
 */
export function redo(params: ClipperParams, sale: Sale, input: { now: bigint; feedPrice: Ray }): RedoResult {
  validateClipperParams(params);
  checkStopped(params, 2);
  if (sale.tab <= 0n || sale.lot <= 0n)
    throw dssRevert("Clipper/not-running-auction", `tab ${sale.tab}, lot ${sale.lot}`);
  const { done, elapsed, price } = status(params, sale, input.now);
  if (!done) throw dssRevert("Clipper/cannot-reset", `elapsed ${elapsed} s, price ${price}`);
  requireNonNegative("feedPrice", input.feedPrice);
  const top = rmulDown(input.feedPrice, params.buf);
  if (top <= 0n) throw dssRevert("Clipper/zero-top-price");
  let coin = 0n;
  let incentivePaid = false;
  if (params.tip > 0n || params.chip > 0n) {
    if (sale.tab >= params.chost && sale.lot * input.feedPrice >= params.chost) {
      coin = params.tip + wmulDown(sale.tab, params.chip);
      incentivePaid = true;
    }
  }
  return { sale: { ...sale, tic: input.now, top }, coin, incentivePaid };
}

/**
 * `Dog.bark` followed by the Clipper's `kick` (as `bark` calls it): the vault's part goes to auction,
 * the keeper is paid `tip + wmul(tab, chip)`. Source: dss `src/dog.sol` `bark`, `src/clip.sol` `kick`.
 */
export function barkAndKick(input: {
  urn: Urn;
  vatIlk: VatIlk;
  dogIlk: DogIlk;
  dog: DogGlobal;
  clipper: ClipperParams;
  feedPrice: Ray;
  now: bigint;
}): BarkResult & KickResult {
  const barked = bark(input);
  const kicked = kick(input.clipper, {
    tab: barked.tab,
    lot: barked.dink,
    feedPrice: input.feedPrice,
    now: input.now,
  });
  return { ...barked, ...kicked };
}

// --- float views -------------------------------------------------------------------------------

/**
 * The auction price of {@link auctionPrice} in floats, `top` and the result in DAI: linear
 * `top·(tau − dur)/tau` (0 from `tau`), stairstep `top·cut^⌊dur/step⌋`, exponential `top·cut^dur`.
 * Without the contracts' rounding (it differs from the exact price by ~1e-15 relative): for screening
 * many auctions cheaply, not for settlement. Source: dss `src/abaci.sol`.
 */
export function auctionPriceFloat(curve: PriceCurve, top: number, dur: number): number {
  switch (curve.kind) {
    case "linear": {
      const tau = Number(curve.tau);
      return dur >= tau ? 0 : (top * (tau - dur)) / tau;
    }
    case "stairstep":
      return top * (Number(curve.cut) / 1e27) ** Math.floor(dur / Number(curve.step));
    case "exponential":
      return top * (Number(curve.cut) / 1e27) ** dur;
  }
}

/**
 * The float lending view of a vault: collateral `ink` at `price` with liquidation threshold `1/mat`,
 * debt `art·rate` DAI at 1. Its `healthFactor` is `ink·price/mat / (art·rate)`, below 1 exactly when
 * `Dog/not-unsafe` no longer holds (up to float rounding). `price` is the OSM price, `mat` the
 * liquidation ratio (e.g. 1.3 for 130 %). Source: dss `src/spot.sol` (`spot = price/par/mat`), `src/dog.sol`.
 */
export function vaultLendingAccount(input: {
  urn: Urn;
  rate: Ray;
  price: number;
  mat: number;
  symbol?: string;
}): LendingAccount {
  if (!(input.mat >= 1) || !Number.isFinite(input.mat))
    throw new InputError(
      "mat",
      input.mat,
      "must be a finite number ≥ 1",
      "mat is the liquidation ratio, e.g. 1.3 for 130 %.",
    );
  if (!(input.price > 0) || !Number.isFinite(input.price))
    throw new InputError(
      "price",
      input.price,
      "must be a positive number",
      "Give the collateral's OSM price in DAI.",
    );
  return {
    collateral: [
      {
        symbol: input.symbol ?? "GEM",
        amount: fromFixed(input.urn.ink, 18),
        price: input.price,
        liquidationThreshold: 1 / input.mat,
      },
    ],
    debt: [{ symbol: "DAI", amount: fromFixed(input.urn.art * input.rate, 45), price: 1 }],
  };
}

/**
 * The price at which a vault becomes unsafe: `p* = art·rate·mat / ink` (float).
 * Source: dss `src/spot.sol`, `src/dog.sol` (`ink·spot < art·rate` with `spot = p/mat`).
 */
export function liquidationPrice(input: { urn: Urn; rate: Ray; mat: number }): number {
  const ink = fromFixed(input.urn.ink, 18);
  if (ink <= 0) return Number.POSITIVE_INFINITY;
  return (fromFixed(input.urn.art * input.rate, 45) * input.mat) / ink;
}

// --- bundled example ---------------------------------------------------------------------------

/**
 * Governed Liquidations 2.0 parameters of ETH-B as proposed for the April 2021 on-chain poll
 * (Maker forum "ETH and WBTC Vaults Liquidations 2.0 Parameters",
 * https://forum.makerdao.com/t/eth-and-wbtc-vaults-liquidations-2-0-parameters/7628; research note §7):
 * `cut = 0.99` every `step = 90 s`, `buf = 1.3`, `ilk.hole = 8M DAI`, `cusp = 0.4`, `tail = 8,400 s`
 * (140 minutes). `chop = 1.13` (13 %) is ETH-B's penalty (research note §7; restated as `ilk.chop = 13%`
 * in the July 2021 ETH-B post, https://forum.makerdao.com/t/adjusting-auction-parameters-for-eth-vault-types/8477).
 * `tip`, `chip` and the vault `dust` are not part of the quoted source: pass them to
 * {@link ethBExampleClipper}. Later polls changed these values (e.g. July 2021: step 60 s,
 * buf 1.2, tail 90 min, ilk.hole 15M) — this is an example, not the live configuration.
 */
export const ETH_B_APRIL_2021 = {
  ilk: "ETH-B",
  calc: { kind: "stairstep", cut: (99n * RAY) / 100n, step: 90n } as PriceCurve,
  buf: (13n * RAY) / 10n,
  cusp: (4n * RAY) / 10n,
  tail: 8_400n,
  ilkHole: 8_000_000n * RAD,
  chop: (113n * WAD) / 100n,
  source:
    "https://forum.makerdao.com/t/eth-and-wbtc-vaults-liquidations-2-0-parameters/7628 (April 2021 poll); research note §7",
} as const;

/**
 * Liquidation ratios (`Spot.ilks(ilk).mat`, ray) of the ETH ilks as MakerDAO's executive-spell test suite
 * expects them on mainnet: ETH-A 145 %, ETH-B 130 %, ETH-C 170 % (`mat: 14500 / 13000 / 17000` in basis
 * points). Governance can change them; the live value is `Spot.ilks(ilk).mat`.
 * Source: makerdao/spells-mainnet `src/test/config.sol` @ f7f6dbaddc16dbfbce978673edf222c4deb90b93
 * (`afterSpell.collaterals["ETH-A" | "ETH-B" | "ETH-C"].mat`).
 */
export const ILK_MAT: Readonly<Record<string, Ray>> = {
  "ETH-A": (145n * RAY) / 100n,
  "ETH-B": (130n * RAY) / 100n,
  "ETH-C": (170n * RAY) / 100n,
};

/** Where {@link ILK_MAT} comes from. */
export const ILK_MAT_SOURCE =
  "makerdao/spells-mainnet src/test/config.sol @ f7f6dbaddc16dbfbce978673edf222c4deb90b93 (afterSpell.collaterals[ilk].mat)";

/**
 * Clipper parameters of the {@link ETH_B_APRIL_2021} example with the caller's `dust` [rad]
 * (and optional `tip` [rad], `chip` [wad], both 0 by default); `chost = wmul(dust, chop)`.
 * Source: as {@link ETH_B_APRIL_2021}; `chost` from dss `src/clip.sol` `upchost`.
 */
export function ethBExampleClipper(input: { dust: Rad; tip?: Rad; chip?: Wad }): ClipperParams {
  const e = ETH_B_APRIL_2021;
  return validateClipperParams({
    buf: e.buf,
    tail: e.tail,
    cusp: e.cusp,
    chip: input.chip ?? 0n,
    tip: input.tip ?? 0n,
    chost: chostOf(input.dust, e.chop),
    calc: e.calc,
  });
}
