/**
 * Keepers bidding in Maker Flipper auctions (the English auctions of `src/venues/maker-flip.ts`), for
 * the venue simulation: a pure, unseeded decision rule for one rational keeper, and a loop that lets a
 * set of keepers bid on one auction until it deals.
 *
 * A keeper bids only when the bid pays: with collateral worth `p` DAI each, a lot `L` bought for `B` DAI
 * and a transaction costing `g` DAI of gas (`gwei × 10⁻⁹ × gasUnits × ETH price`), it requires
 * `L·p − B − g ≥ m·B` for its margin `m`. Its **reservation** in the tend phase is therefore
 * `B* = (L·p − g)/(1 + m)`, and in the dent phase the smallest lot it accepts for the tab `T` is
 * `L* = (T·(1 + m) + g)/p`. It cannot bid at all when the network's gas price is above the most it is
 * configured to pay (`maxGasPriceGwei`: stock keepers on 2020-03-12), when it lacks the DAI, or when it
 * already holds the high bid. Two styles: `"reservation"` jumps straight to `B*` (or `L*`), `"increment"`
 * bids the smallest legal improvement (`beg` over the current bid, or 1 rad on an auction nobody has bid
 * on — the "0 DAI" bid) as long as it stays within the reservation.
 *
 * Sources: the auction rules, dss `src/flip.sol` (`tend`, `dent`, `deal`); the failure mode, Whiterabbit,
 * "Black Thursday for MakerDAO: $8.32 million was liquidated for 0 DAI" (2020): stock keepers did not
 * raise their gas prices, and bids of a minimal DAI fraction met no competition before `ttl`.
 */
import { InputError } from "../errors.js";
import { fromFixed, minBig, RAD, WAD } from "../math/fixed-point.js";
import {
  deal,
  dent,
  type FlipAuction,
  type FlipperParams,
  maximumDentLot,
  minimumTendBid,
  phase,
  tend,
} from "../venues/maker-flip.js";
import { keeperReservation } from "./keeper-reservation.js";

/** One keeper's economics and behaviour. Amounts in DAI, floats. */
export interface FlipKeeper {
  readonly name: string;
  /** DAI it can commit to a bid. */
  readonly capitalDai: number;
  /** Required profit over the DAI spent, a fraction (0.05 = 5 %). */
  readonly margin: number;
  /** Gas used by one tend or dent transaction. */
  readonly gasUnits: number;
  /** The highest gas price it pays, gwei (Infinity: any). Above it its transactions are not mined. */
  readonly maxGasPriceGwei: number;
  readonly style: "reservation" | "increment";
}

/** The market a keeper sees when it decides. */
export interface FlipMarket {
  /** Price of the auctioned collateral, DAI per unit. */
  readonly collateralPriceDai: number;
  /** Network gas price, gwei. */
  readonly gasPriceGwei: number;
  /** ETH price in DAI (gas is paid in ETH). */
  readonly ethPriceDai: number;
}

/** A bid a keeper would place: the call and what it expects from it. */
export interface FlipBid {
  readonly kind: "tend" | "dent";
  readonly keeper: string;
  /** The call's lot [wad] and bid [rad]. */
  readonly lot: bigint;
  readonly bid: bigint;
  /** Gas cost of the transaction, DAI. */
  readonly gasCostDai: number;
  /** `lot·p − bid − gas` if it wins, DAI. */
  readonly expectedProfitDai: number;
}

const NANO = 1_000_000_000;
/** A non-negative DAI float as rad, rounded down to 10⁻⁹ DAI. */
const radOf = (dai: number): bigint => (BigInt(Math.floor(dai * NANO)) * RAD) / BigInt(NANO);
/** A non-negative collateral float as wad, rounded up to 10⁻⁹. */
const wadUp = (x: number): bigint => (BigInt(Math.ceil(x * NANO)) * WAD) / BigInt(NANO);

/** Checks a keeper's economics, naming the field of a bad one. */
export function checkKeeper(k: FlipKeeper): void {
  for (const [field, value] of [
    ["capitalDai", k.capitalDai],
    ["margin", k.margin],
    ["gasUnits", k.gasUnits],
  ] as const)
    if (!(Number.isFinite(value) && value >= 0))
      throw new InputError(
        `keeper.${field}`,
        value,
        "must be a finite number ≥ 0",
        "Give DAI, a fraction or gas units.",
      );
  if (!(k.maxGasPriceGwei >= 0))
    throw new InputError(
      "keeper.maxGasPriceGwei",
      k.maxGasPriceGwei,
      "must be ≥ 0",
      "Give gwei, or Infinity.",
    );
}

/** Checks the market a keeper sees, naming the field of a bad value. */
export function checkMarket(m: FlipMarket): void {
  for (const [field, value] of [
    ["collateralPriceDai", m.collateralPriceDai],
    ["gasPriceGwei", m.gasPriceGwei],
    ["ethPriceDai", m.ethPriceDai],
  ] as const)
    if (!(Number.isFinite(value) && value >= 0))
      throw new InputError(`market.${field}`, value, "must be a finite number ≥ 0", "Give DAI or gwei.");
}

/** Gas cost of one transaction, DAI: `gwei × 10⁻⁹ × gasUnits × ethPriceDai`. */
export function gasCostDai(keeper: FlipKeeper, market: FlipMarket): number {
  return market.gasPriceGwei * 1e-9 * keeper.gasUnits * market.ethPriceDai;
}

/**
 * The bid `keeper` places on `auction` at `now`, or null when it would not or could not bid: the auction
 * is gone, not biddable (its `tic` or `end` passed), already the keeper's, the gas price is above the
 * keeper's `maxGasPriceGwei`, or no legal bid meets its margin and capital.
 *
 * - tend phase: reservation `B* = (L·p − g)/(1 + m)`; bid `min(tab, B*, capital)` (`"reservation"`) or
 *   the smallest legal bid (`"increment"`), if that is at least the smallest legal bid and at most `B*`;
 * - dent phase (needs the tab in capital): smallest acceptable lot `L* = (T·(1 + m) + g)/p`; ask for
 *   `L*` (`"reservation"`) or the largest legal lot (`"increment"`), if `L*` is at most the largest legal lot.
 *
 * Pure and unseeded. Sources: as the module; bid bounds from {@link minimumTendBid}, {@link maximumDentLot}.
 */
export function keeperBid(
  params: FlipperParams,
  auction: FlipAuction | null,
  keeper: FlipKeeper,
  market: FlipMarket,
  now: bigint,
): FlipBid | null {
  checkKeeper(keeper);
  checkMarket(market);
  if (auction === null || auction.guy === keeper.name) return null;
  if (!((auction.tic === 0n || auction.tic > now) && auction.end > now)) return null;
  if (market.gasPriceGwei > keeper.maxGasPriceGwei) return null;
  const gas = gasCostDai(keeper, market);
  const p = market.collateralPriceDai;
  const profit = (lot: bigint, bid: bigint) => fromFixed(lot, 18) * p - fromFixed(bid, 45) - gas;
  const decision = (kind: "tend" | "dent", lot: bigint, bid: bigint): FlipBid => ({
    kind,
    keeper: keeper.name,
    lot,
    bid,
    gasCostDai: gas,
    expectedProfitDai: profit(lot, bid),
  });

  if (phase(auction) === "tend") {
    const reservation = keeperReservation(fromFixed(auction.lot, 18) * p, gas, keeper.margin);
    if (!(reservation > 0)) return null;
    const ceiling = radOf(Math.min(reservation, keeper.capitalDai));
    const least = minimumTendBid(params, auction);
    if (ceiling < least) return null;
    const bid = keeper.style === "increment" ? least : minBig(ceiling, auction.tab);
    return decision("tend", auction.lot, bid);
  }
  if (keeper.capitalDai < fromFixed(auction.tab, 45) || !(p > 0)) return null;
  const smallest = wadUp((fromFixed(auction.tab, 45) * (1 + keeper.margin) + gas) / p);
  const largest = maximumDentLot(params, auction);
  if (smallest > largest) return null;
  return decision("dent", keeper.style === "increment" ? largest : smallest, auction.bid);
}

/** How an auction driven by {@link runKeepers} ended. */
export interface KeeperAuctionOutcome {
  /** The bids placed, in order, with their times. */
  readonly bids: readonly (FlipBid & { at: bigint })[];
  /** The auction when bidding stopped (before the deal). */
  readonly last: FlipAuction;
  /** True when it was dealt; false when nobody bid (it would only be ticked). */
  readonly dealt: boolean;
  /** When it was dealt (`tic + 1` or `end + 1`), else null. */
  readonly dealtAt: bigint | null;
  /** DAI raised for the Vow [rad] (the final bid when dealt, else 0). */
  readonly raised: bigint;
  /** The winner and its collateral [wad] (null / 0 when not dealt). */
  readonly winner: string | null;
  readonly won: bigint;
}

/**
 * Lets `keepers` bid on `auction` from `start`, one transaction per block of `blockSeconds`: in each block
 * the keepers are asked in turn (starting one further each block) and the first that would bid
 * ({@link keeperBid}) places its bid through the dss rules ({@link tend}, {@link dent}). When a block
 * passes with no bid, nothing can change any more (the market is held fixed), so the auction is dealt at
 * the first second it may be (`min(tic, end) + 1`), or, with no bid at all, left undealt. Pure and
 * deterministic. Throws an {@link InputError} on `blockSeconds < 1`.
 */
export function runKeepers(
  params: FlipperParams,
  auction: FlipAuction,
  keepers: readonly FlipKeeper[],
  market: FlipMarket,
  options: { start: bigint; blockSeconds?: bigint; maxBids?: number },
): KeeperAuctionOutcome {
  const block = options.blockSeconds ?? 15n;
  if (block < 1n)
    throw new InputError("blockSeconds", block, "must be at least 1", "Give seconds per block, e.g. 15.");
  const maxBids = options.maxBids ?? 100_000;
  const bids: (FlipBid & { at: bigint })[] = [];
  let a = auction;
  let now = options.start;
  for (let round = 0; bids.length < maxBids; round++, now += block) {
    let placed = false;
    for (let i = 0; i < keepers.length && !placed; i++) {
      const keeper = keepers[(round + i) % keepers.length] as FlipKeeper;
      const b = keeperBid(params, a, keeper, market, now);
      if (b === null) continue;
      const call = { guy: b.keeper, lot: b.lot, bid: b.bid, now };
      const next = (b.kind === "tend" ? tend(params, a, call) : dent(params, a, call)).auction;
      if (next === null) break;
      a = next;
      bids.push({ ...b, at: now });
      placed = true;
    }
    if (!placed) break;
  }
  if (a.tic === 0n) return { bids, last: a, dealt: false, dealtAt: null, raised: 0n, winner: null, won: 0n };
  const at = minBig(a.tic, a.end) + 1n;
  deal(params, a, at);
  return { bids, last: a, dealt: true, dealtAt: at, raised: a.bid, winner: a.guy, won: a.lot };
}
