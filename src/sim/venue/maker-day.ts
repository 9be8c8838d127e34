/**
 * The day loop shared by the Maker ETH-A replays (`black-thursday.ts` with the 1.0 Cat and Flipper,
 * `black-thursday-clip.ts` with the Dog and Clipper): minute by minute, won ETH comes back to the
 * keepers as DAI, unsafe vaults are handed to the liquidation mechanism in the order the OSM reaches
 * them, the keepers' online state is set by the day's failure conditions, and the mechanism steps its
 * open auctions with the keepers' desk. The mechanism decides what a liquidation and a bid are; the
 * loop and the desk are the same for both, so the two runs differ only in the auction rules.
 */
import { InputError } from "../../errors.js";
import { Xoshiro128 } from "../../math/random.js";
import type { FlipKeeper } from "../flip-keeper.js";
import type { MakerDayMarket } from "./maker-day-market.js";

/** ETH-A vaults: collateral (ETH) and debt (DAI), structure of arrays. */
export interface VaultBook {
  readonly ink: Float64Array;
  readonly debt: Float64Array;
}

/** A keeper of the day: its bidding economics and the conditions it fails under. */
export interface DayKeeper extends FlipKeeper {
  /** Goes offline while ETH has fallen more than the conditions' `withdrawalDrop` over the last hour. */
  readonly withdrawsUnderStress: boolean;
}

/** The failure conditions, each switchable. */
export interface KeeperConditions {
  /** Multiplies the market's gas path (1: the day's; 0: free gas). */
  readonly gasMultiplier: number;
  /** Probability that a bid transaction that would land fails (reverted or dropped). */
  readonly txFailure: number;
  /** Seconds after a win before its ETH is back as DAI at the market price; null: not within the run. */
  readonly recycleSeconds: number | null;
  /** One-hour fall of ETH beyond which keepers that withdraw under stress stay offline. */
  readonly withdrawalDrop: number;
}

/** Checks the conditions, naming the field of a bad one. */
function checkConditions(conditions: KeeperConditions): void {
  if (!(conditions.txFailure >= 0 && conditions.txFailure < 1))
    throw new InputError(
      "conditions.txFailure",
      conditions.txFailure,
      "must be in [0, 1)",
      "Give a probability.",
    );
  if (!(conditions.gasMultiplier >= 0))
    throw new InputError(
      "conditions.gasMultiplier",
      conditions.gasMultiplier,
      "must be ≥ 0",
      "Give a factor, 1 for the day's gas.",
    );
  if (!(conditions.withdrawalDrop >= 0 && conditions.withdrawalDrop < 1))
    throw new InputError(
      "conditions.withdrawalDrop",
      conditions.withdrawalDrop,
      "must be in [0, 1)",
      "Give the one-hour fall, e.g. 0.1 for 10 %.",
    );
  if (conditions.recycleSeconds !== null && !(conditions.recycleSeconds >= 0))
    throw new InputError(
      "conditions.recycleSeconds",
      conditions.recycleSeconds,
      "must be ≥ 0 or null",
      "Give seconds, or null when won ETH does not come back as DAI within the run.",
    );
}

/** What the keepers see in one minute. */
export interface DayMinute {
  readonly tMs: number;
  /** Seconds (dss `block.timestamp`). */
  readonly now: bigint;
  /** ETH price, DAI. */
  readonly price: number;
  /** The OSM price the Spotter (and the Clipper's feed) reads, DAI. */
  readonly osm: number;
  /** Network gas price × the conditions' multiplier, gwei. */
  readonly gasGwei: number;
}

/**
 * The keepers' DAI, locks and online state through the day, and the seeded stream their order and
 * transaction failures are drawn from. DAI is `capital − locked`; won ETH returns as DAI after
 * `recycleSeconds` at the market price.
 */
export class KeeperDesk {
  readonly keepers: readonly DayKeeper[];
  readonly rng: Xoshiro128;
  readonly capital: Float64Array;
  readonly locked: Float64Array;
  readonly online: Uint8Array;
  readonly index: ReadonlyMap<string, number>;
  /** Keeper-minutes, while auctions were open, in which a keeper's gas cap was below the network's price. */
  pricedOutKeeperMinutes = 0;
  /** Bids or takes that would have landed but failed (`txFailure`). */
  failedBids = 0;
  private readonly rotation: number[];
  private readonly recycle: { at: number; keeper: number; eth: number }[] = [];

  constructor(
    keepers: readonly DayKeeper[],
    readonly conditions: KeeperConditions,
    seed: number,
  ) {
    checkConditions(conditions);
    this.keepers = keepers;
    this.rng = new Xoshiro128(seed);
    this.capital = Float64Array.from(keepers, (k) => k.capitalDai);
    this.locked = new Float64Array(keepers.length);
    this.online = new Uint8Array(keepers.length);
    this.index = new Map(keepers.map((k, i) => [k.name, i]));
    this.rotation = keepers.map((_, i) => i);
  }

  /** Free DAI of keeper `k`: capital less the DAI locked in its high bids. */
  free(k: number): number {
    return (this.capital[k] as number) - (this.locked[k] as number);
  }

  /** Keeper `k` won `eth` at `tMs`: it comes back as DAI after `recycleSeconds`, or never. */
  received(k: number, eth: number, tMs: number): void {
    if (this.conditions.recycleSeconds !== null)
      this.recycle.push({ at: tMs + this.conditions.recycleSeconds * 1000, keeper: k, eth });
  }

  /** Turns the ETH due back by `tMs` into DAI at `price`. */
  recycleDue(tMs: number, price: number): void {
    for (let r = this.recycle.length - 1; r >= 0; r--) {
      const item = this.recycle[r] as (typeof this.recycle)[number];
      if (item.at > tMs) continue;
      this.capital[item.keeper] = (this.capital[item.keeper] as number) + item.eth * price;
      this.recycle.splice(r, 1);
    }
  }

  /**
   * Sets who is online this minute: a keeper whose gas cap is below `gasGwei` is priced out (counted
   * when `auctionsOpen`), one that withdraws under stress is offline when `stressed`.
   */
  setOnline(gasGwei: number, stressed: boolean, auctionsOpen: boolean): void {
    for (let k = 0; k < this.keepers.length; k++) {
      const keeper = this.keepers[k] as DayKeeper;
      const pricedOut = gasGwei > keeper.maxGasPriceGwei;
      if (pricedOut && auctionsOpen) this.pricedOutKeeperMinutes++;
      this.online[k] = pricedOut || (keeper.withdrawsUnderStress && stressed) ? 0 : 1;
    }
  }

  /** The keepers in a fresh seeded order (Fisher–Yates), for one auction. */
  shuffled(): readonly number[] {
    const xs = this.rotation;
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      const t = xs[i] as number;
      xs[i] = xs[j] as number;
      xs[j] = t;
    }
    return xs;
  }

  /** Whether a transaction that would land does (probability `1 − txFailure`); a failure is counted. */
  lands(): boolean {
    if (this.rng.next() < this.conditions.txFailure) {
      this.failedBids++;
      return false;
    }
    return true;
  }
}

/** A liquidation mechanism driven by {@link runMakerDay}. */
export interface DayMechanism {
  /**
   * Liquidates vault `v` (unsafe at the minute's OSM price) as far as the rules allow, updating
   * `book`; `"blocked"` when a limit (the Dog's `Hole`/`hole`) stops it, so it and the vaults after it
   * wait for a later minute.
   */
  liquidate(v: number, book: VaultBook, minute: DayMinute): "done" | "blocked";
  /** Whether any auction is open (for the priced-out count). */
  hasOpen(): boolean;
  /** Steps every open auction with the keepers. */
  step(minute: DayMinute, desk: KeeperDesk): void;
}

/** When vaults may be liquidated and at which ratio. */
export interface DayWindow {
  /** Liquidation ratio `mat`. */
  readonly liquidationRatio: number;
  /** Vaults may be liquidated until this time (epoch ms); auctions run on to the market's end. */
  readonly biteUntilMs: number;
}

/**
 * Runs the day on `market`: each minute (a) won ETH due back becomes DAI; (b) until `biteUntilMs`,
 * vaults whose `ink·osm/mat < debt`, highest liquidation price first, go to `mechanism.liquidate`
 * until one is safe or blocked; (c) keepers are set online or not (gas cap against the network's
 * gas × `gasMultiplier`; withdrawal while ETH is more than `withdrawalDrop` below its price an hour
 * earlier); (d) the mechanism steps its auctions. Returns the vaults afterwards. Deterministic for
 * the desk's seed.
 */
export function runMakerDay(
  window: DayWindow,
  market: MakerDayMarket,
  vaults: VaultBook,
  desk: KeeperDesk,
  mechanism: DayMechanism,
): VaultBook {
  const book = { ink: vaults.ink.map((x) => x), debt: vaults.debt.map((x) => x) };
  const order = vaultOrder(vaults);
  let next = 0;
  const n = market.time.length;
  for (let m = 0; m < n; m++) {
    const tMs = market.time[m] as number;
    const p = market.price[m] as number;
    const minute: DayMinute = {
      tMs,
      now: BigInt(Math.floor(tMs / 1000)),
      price: p,
      osm: market.osm[m] as number,
      gasGwei: (market.gasGwei[m] as number) * desk.conditions.gasMultiplier,
    };
    desk.recycleDue(tMs, p);
    if (tMs < window.biteUntilMs) {
      const threshold = minute.osm / window.liquidationRatio;
      while (next < order.length) {
        const v = order[next] as number;
        if (!((book.ink[v] as number) * threshold < (book.debt[v] as number))) break;
        if (mechanism.liquidate(v, book, minute) === "blocked") break;
        next++;
      }
    }
    const hourAgo = market.price[Math.max(0, m - 60)] as number;
    desk.setOnline(minute.gasGwei, p < hourAgo * (1 - desk.conditions.withdrawalDrop), mechanism.hasOpen());
    mechanism.step(minute, desk);
  }
  return book;
}

/** Vault indices by liquidation price `debt·mat/ink`, highest first (the order the OSM reaches them). */
function vaultOrder(vaults: VaultBook): number[] {
  const idx = Array.from(vaults.ink, (_, i) => i).filter((i) => (vaults.ink[i] as number) > 0);
  const level = (i: number) => (vaults.debt[i] as number) / (vaults.ink[i] as number);
  return idx.sort((a, b) => level(b) - level(a) || a - b);
}
