/**
 * Keepers taking Maker Clipper lots (the Dutch auctions of Liquidations 2.0, `src/venues/maker-clip.ts`)
 * for the venue simulation: a pure, unseeded decision rule for one rational keeper, the Dutch-auction
 * counterpart of the Flipper keeper (`flip-keeper.ts`), with the same economics and the same
 * profitability rule ({@link keeperReservation}).
 *
 * A Dutch auction has no bidding war: the price `calc.price(top, now − tic)` falls from
 * `top = feed·buf`, and the first keeper to call `take` buys at it. A keeper buys the slice
 * `s = min(lot, tab/P, capital/P)` at the current price `P` when that pays after gas:
 * `s·P ≤ (s·p − g)/(1 + m)` for the market price `p`, gas `g` DAI and margin `m`, i.e.
 * `P ≤ (s·p − g)/((1 + m)·s)`. It does not act when its gas cap is below the network's price, when it
 * has no DAI, or when the auction is done (it needs `redo`). Sources: dss `src/clip.sol` (`take`,
 * `status`), `src/abaci.sol`; docs https://docs.makerdao.com/smart-contract-modules/dog-and-clipper-detailed-documentation.
 */

import { fromFixed, WAD } from "../math/fixed-point.js";
import { type ClipperParams, type Ray, type Sale, status, type Wad } from "../venues/maker-clip.js";
import { checkKeeper, checkMarket, type FlipKeeper, type FlipMarket, gasCostDai } from "./flip-keeper.js";
import { keeperReservation } from "./keeper-reservation.js";

/** A take a keeper would call: `take(id, amt, max, …)` and what it expects from it. */
export interface ClipTake {
  readonly keeper: string;
  /** Collateral asked for [wad] and the highest price accepted (the current one) [ray]. */
  readonly amt: Wad;
  readonly max: Ray;
  /** The current auction price, DAI per unit. */
  readonly priceDai: number;
  /** Gas cost of the transaction, DAI. */
  readonly gasCostDai: number;
  /** `s·p − s·P − gas` for the slice it expects, DAI. */
  readonly expectedProfitDai: number;
}

const NANO = 1_000_000_000;

/**
 * The slice a keeper buys at the auction price `priceDai`, `s = min(lot, tab/P, capital/P)` (the whole
 * lot at a price of 0), if it pays: `s·P ≤ (s·p − g)/(1 + m)` ({@link keeperReservation}); else 0. Floats,
 * so a simulation can screen many auctions with it before the exact {@link clipKeeperTake}.
 */
export function sliceWorthTaking(
  priceDai: number,
  lotEth: number,
  tabDai: number,
  keeper: FlipKeeper,
  market: FlipMarket,
): number {
  const slice = priceDai > 0 ? Math.min(lotEth, tabDai / priceDai, keeper.capitalDai / priceDai) : lotEth;
  if (!(slice > 0)) return 0;
  const gas = gasCostDai(keeper, market);
  return slice * priceDai <= keeperReservation(slice * market.collateralPriceDai, gas, keeper.margin)
    ? slice
    : 0;
}

/**
 * The take `keeper` calls on `sale` at `now`, or null when it would not or could not: no sale, the
 * auction is done (`elapsed > tail` or `price/top < cusp`: it needs `redo`), the gas price is above the
 * keeper's cap, it has no DAI, or the price is above its reservation for the slice it can buy
 * (`P > (s·p − g)/((1 + m)·s)`, {@link keeperReservation}). A slice that the chost rule would forbid
 * (`tab ≤ chost` and the keeper cannot take all of it) is not attempted. `amt` is the whole lot unless
 * the keeper's DAI is the bound (then `take` collects at most the tab and returns the rest of the lot);
 * a DAI-bound `amt` is rounded down to 10⁻⁹ of a unit so that `amt·P` stays within its DAI. Pure and
 * unseeded.
 * Example: lot 50 ETH, tab 7,062.5 DAI, price 160, market 170, gas 3.4 DAI, margin 5 % → slice
 * 44.14 ETH (the tab's worth) for 7,062.5 DAI, reservation 161.83 per ETH: it takes.
 */
export function clipKeeperTake(
  params: ClipperParams,
  sale: Sale | null,
  keeper: FlipKeeper,
  market: FlipMarket,
  now: bigint,
): ClipTake | null {
  checkKeeper(keeper);
  checkMarket(market);
  if (sale === null || sale.tab <= 0n || sale.lot <= 0n) return null;
  if (market.gasPriceGwei > keeper.maxGasPriceGwei || !(keeper.capitalDai > 0)) return null;
  const st = status(params, sale, now);
  if (st.done) return null;
  const price = fromFixed(st.price, 27);
  const lot = fromFixed(sale.lot, 18);
  const tab = fromFixed(sale.tab, 45);
  const slice = sliceWorthTaking(price, lot, tab, keeper, market);
  if (slice === 0) return null;
  if (slice < lot && tab - slice * price < fromFixed(params.chost, 45) && sale.tab <= params.chost)
    return null;
  const gas = gasCostDai(keeper, market);
  const value = slice * market.collateralPriceDai;
  // a slice bounded by the lot or the tab asks for the whole lot: take then caps owe at the tab exactly
  const capitalBound = price > 0 && keeper.capitalDai / price < Math.min(lot, tab / price);
  const amt = capitalBound ? (BigInt(Math.floor(slice * NANO)) * WAD) / BigInt(NANO) : sale.lot;
  if (amt <= 0n) return null;
  return {
    keeper: keeper.name,
    amt,
    max: st.price,
    priceDai: price,
    gasCostDai: gas,
    expectedProfitDai: value - slice * price - gas,
  };
}
