/**
 * Maker's Black Thursday (2020-03-12/13) replayed: a documented ETH-A vault population, bitten by the
 * 1.0 Cat when the OSM price crosses 150 %, its lots sold in Flipper auctions (`src/venues/maker-flip.ts`)
 * to keepers that bid as `src/sim/flip-keeper.ts` decides, under failure conditions that are each a
 * parameter: the gas price path and each keeper's fixed gas-price cap, a transaction failure probability,
 * DAI capital limits (no bid beyond the DAI a keeper holds; won ETH turned back into DAI only after a
 * delay, or never), withdrawal under stress, and the number of keepers. A zero bid wins only when no
 * other keeper's bid lands before `ttl`: nothing scripts the outcome (issue 11, reconciliation 3).
 *
 * Published figures (Whiterabbit, "Black Thursday for MakerDAO: $8.32 million was liquidated for 0 DAI",
 * 2020-03-14): zero-bid auctions 36 % of liquidations, 8.32 M USD of ETH won for 0 DAI, 5.67 M DAI of
 * unbacked debt, the largest vault lost ~35,000 ETH, lots of up to 50 ETH. Day parameters of ETH-A
 * (dss 1.0 Cat and Flipper): `chop` 1.13, `lump` 50 ETH, `beg` 1.03, `ttl` 10 min, `tau` 6 h,
 * liquidation ratio 150 %. Units as in maker-flip: wad, ray, rad bigints inside the auctions; DAI
 * floats outside.
 */
import { InputError } from "../../errors.js";
import { bundledPath } from "../../market/bundled.js";
import { readCandleFile } from "../../market/candles.js";
import { fromFixed, RAY, WAD } from "../../math/fixed-point.js";
import { normalSampler, Xoshiro128 } from "../../math/random.js";
import { isUnsafe } from "../../venues/maker-clip.js";
import {
  bite,
  type CatIlk,
  deal,
  dent,
  type FlipAuction,
  type FlipperParams,
  kick,
  tend,
  tick,
} from "../../venues/maker-flip.js";
import { type FlipKeeper, keeperBid } from "../flip-keeper.js";
import {
  type DayKeeper,
  type DayMinute,
  type KeeperConditions,
  KeeperDesk,
  runMakerDay,
  type VaultBook,
} from "./maker-day.js";
import { type MakerDayMarket, type MakerDayMarketSpec, makerDayMarket } from "./maker-day-market.js";
import { truncatedParetoQuantile } from "./population.js";

export type { DayKeeper, KeeperConditions, VaultBook } from "./maker-day.js";

/** How the vault population is drawn. */
export interface VaultPopulationSpec {
  /** Number of vaults drawn (besides the largest). */
  readonly count: number;
  /** Collateral: Pareto `P(ink > x) = (minEth/x)^α` truncated to `[minEth, largestEth]` (no atom at the cap). */
  readonly minEth: number;
  readonly tailIndex: number;
  /** Collateralization ratio at the start's OSM price: lognormal, median and log-sd, truncated below at `floorRatio`. */
  readonly ratioMedian: number;
  readonly ratioSigma: number;
  readonly floorRatio: number;
  /** The largest vault (Whiterabbit: it lost ~35,000 ETH) and its ratio at the start. */
  readonly largestEth: number;
  readonly largestRatio: number;
}

/**
 * Draws the population: `ink_i` truncated Pareto on `[minEth, largestEth]` (inverse CDF); ratio
 * `r_i = ratioMedian·exp(ratioSigma·z_i)`, z redrawn until `r_i ≥ floorRatio`; `debt_i = ink_i·p₀/r_i` at the start's OSM price `p₀`; then the
 * largest vault, `largestEth` at `largestRatio`. Seeded by `rng`.
 */
export function drawVaults(spec: VaultPopulationSpec, startOsm: number, rng: Xoshiro128): VaultBook {
  for (const [field, v] of Object.entries(spec))
    if (!(Number.isFinite(v) && v > 0))
      throw new InputError(
        `population.${field}`,
        v,
        "must be a finite number > 0",
        "See docs/maker-reconciliation.md.",
      );
  const n = Math.floor(spec.count) + 1;
  const ink = new Float64Array(n);
  const debt = new Float64Array(n);
  const normal = normalSampler();
  for (let i = 0; i < n - 1; i++) {
    const u = rng.next();
    ink[i] = truncatedParetoQuantile(u, spec.tailIndex, spec.minEth, spec.largestEth);
    let ratio = 0;
    while (!(ratio >= spec.floorRatio))
      ratio = spec.ratioMedian * Math.exp(spec.ratioSigma * normal.sample(rng));
    debt[i] = ((ink[i] as number) * startOsm) / ratio;
  }
  ink[n - 1] = spec.largestEth;
  debt[n - 1] = (spec.largestEth * startOsm) / spec.largestRatio;
  return { ink, debt };
}

/**
 * The auctions the OSM path will kick from `vaults`, without running them: a vault whose liquidation
 * price `debt·mat/ink` is above the lowest OSM price before `biteUntilMs` is bitten in lots of `lump`,
 * `⌈ink/lump⌉` auctions. The population's fit uses it (the count does not depend on the keepers).
 */
export function auctionsKicked(vaults: VaultBook, market: MakerDayMarket, day: BlackThursdaySpec): number {
  let lowest = Number.POSITIVE_INFINITY;
  for (let m = 0; m < market.time.length && (market.time[m] as number) < day.biteUntilMs; m++)
    lowest = Math.min(lowest, market.osm[m] as number);
  const lump = eth(day.cat.lump);
  let count = 0;
  for (let i = 0; i < vaults.ink.length; i++) {
    const x = vaults.ink[i] as number;
    if (x > 0 && ((vaults.debt[i] as number) / x) * day.liquidationRatio > lowest)
      count += Math.ceil(x / lump);
  }
  return count;
}

/**
 * The vault count whose population kicks the nearest number of auctions to `target`
 * ({@link auctionsKicked}; a larger count draws the same vaults and more, so the count is monotone):
 * the smallest count reaching `target` by bisection on `[1, 10⁶]`, or the one below it when closer. Throws an {@link InputError} when even 10⁶ vaults fall short.
 */
export function fitVaultCount(
  population: VaultPopulationSpec,
  market: MakerDayMarket,
  day: BlackThursdaySpec,
  target: number,
): number {
  const kicked = (count: number) =>
    auctionsKicked(
      drawVaults({ ...population, count }, market.osm[0] as number, populationRng(day)),
      market,
      day,
    );
  let lo = 1;
  let hi = 1_000_000;
  if (kicked(hi) < target)
    throw new InputError(
      "target",
      target,
      "is more auctions than 10⁶ vaults kick",
      "Lower the target or widen the ratios.",
    );
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (kicked(mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  // one large vault can add hundreds of auctions: keep whichever side of the target is closer
  return lo > 1 && target - kicked(lo - 1) < kicked(lo) - target ? lo - 1 : lo;
}

/** The population's random stream: a function of the day's seed, apart from the auctions' stream. */
function populationRng(day: BlackThursdaySpec): Xoshiro128 {
  return new Xoshiro128(day.seed ^ 0x5eed);
}

/** The day: dss parameters and the window. */
export interface BlackThursdaySpec {
  readonly flipper: FlipperParams;
  /** The 1.0 Cat's ETH-A parameters (`chop` a ray, `lump` a wad). */
  readonly cat: Extract<CatIlk, { version: "1.0" }>;
  /** Liquidation ratio `mat` (1.5). */
  readonly liquidationRatio: number;
  /** Vaults may be bitten until this time (epoch ms); auctions run on to the market's end. */
  readonly biteUntilMs: number;
  /** An auction won for less than this share of its tab counts as a zero bid (the "0 DAI" bids were 1 rad–level). */
  readonly zeroBidShareOfTab: number;
  readonly seed: number;
}

/** One auction's outcome. */
export interface DayAuction {
  readonly kickedMs: number;
  /** Settled (dealt) time, or null when still open at the end. */
  readonly dealtMs: number | null;
  readonly lotEth: number;
  /** ETH the winner took (after dents). */
  readonly soldEth: number;
  /** Debt sent to the Vow (`dart·rate`) and the tab (debt × chop), DAI. */
  readonly dueDai: number;
  readonly tabDai: number;
  readonly raisedDai: number;
  readonly winner: string | null;
  /** ETH price when dealt (or at the end). */
  readonly priceAtEnd: number;
  readonly zeroBid: boolean;
}

/** Totals of a run. */
export interface BlackThursdayResult {
  readonly auctions: readonly DayAuction[];
  readonly kicked: number;
  readonly zeroBid: number;
  /** zeroBid / kicked. */
  readonly zeroBidShare: number;
  readonly zeroBidEth: number;
  /** Σ soldEth × price at the deal over zero-bid auctions, USD. */
  readonly zeroBidUsd: number;
  /** Σ max(0, due − raised) over settled auctions plus the due of auctions still open: the Vow's uncovered debt, DAI. */
  readonly uncoveredDebtDai: number;
  /** Σ max(0, tab − raised) likewise: debt and penalty not recovered, DAI. */
  readonly uncoveredTabDai: number;
  readonly openAtEnd: number;
  readonly liquidatedEth: number;
  /** Keeper-minutes, while auctions were open, in which a keeper's gas cap was below the network's price (its transactions stuck). */
  readonly pricedOutKeeperMinutes: number;
  /** Bids that would have landed but failed (`txFailure`). */
  readonly failedBids: number;
  /** Vaults bitten at least once. */
  readonly vaultsBitten: number;
}

interface Live {
  auction: FlipAuction | null;
  readonly kickedMs: number;
  readonly lot: bigint;
  readonly due: number;
  dealtMs: number | null;
  raised: number;
  winner: string | null;
  price: number;
}

const dai = (rad: bigint) => fromFixed(rad, 45);
const eth = (wad: bigint) => fromFixed(wad, 18);
const wadOf = (x: number) => (BigInt(Math.round(x * 1e9)) * WAD) / 1_000_000_000n;

/**
 * Replays the day on `market` with the 1.0 Cat and Flipper, in the shared day loop
 * ({@link runMakerDay}): each minute (a) vaults whose `ink·osm/mat < debt` are bitten, one `lump` at
 * a time until empty (dss 1.0 `Cat.bite`, `Flipper.kick`); (b) every open auction is dealt once its
 * `tic` or `end` has passed, ticked when unbid past its end, and otherwise offered to the keepers in a
 * seeded order: a keeper that is online asks {@link keeperBid} with its free DAI as capital; the bid
 * then fails with probability `txFailure`, else it lands through `tend`/`dent`. DAI is locked while a
 * keeper holds a high bid, refunded when outbid, spent on a win; won ETH returns as DAI after
 * `recycleSeconds`. Deterministic for a seed.
 */
export function simulateBlackThursday(
  spec: BlackThursdaySpec,
  market: MakerDayMarket,
  vaults: VaultBook,
  keepers: readonly DayKeeper[],
  conditions: KeeperConditions,
): BlackThursdayResult {
  const desk = new KeeperDesk(keepers, conditions, spec.seed);
  const params = spec.flipper;
  const live: Live[] = [];
  let open: Live[] = [];
  let bitten = 0;
  // What keeperBid sees of each keeper: its free DAI (updated before each call) and no gas cap (checked by the desk).
  const views = keepers.map((k) => ({ ...k, maxGasPriceGwei: Number.POSITIVE_INFINITY }));
  runMakerDay(spec, market, vaults, desk, {
    liquidate(v, book, minute) {
      if (biteAll(v, book, minute)) bitten++;
      return "done";
    },
    hasOpen: () => open.length > 0,
    step({ now, tMs, price: p, gasGwei }) {
      const mkt = { collateralPriceDai: p, ethPriceDai: p, gasPriceGwei: gasGwei };
      const still: Live[] = [];
      for (const lv of open) {
        let a = lv.auction as FlipAuction;
        if (a.tic !== 0n && (a.tic < now || a.end < now)) {
          settle(lv, a, now, tMs, p);
          continue;
        }
        if (a.tic === 0n && a.end < now) a = tick(params, a, now).auction as FlipAuction;
        for (const k of desk.shuffled()) {
          const free = desk.free(k);
          if (desk.online[k] === 0 || !(free > 0)) continue;
          const view = views[k] as { capitalDai: number };
          view.capitalDai = free;
          const bid = keeperBid(params, a, view as FlipKeeper, mkt, now);
          if (bid === null || !desk.lands()) continue;
          const call = { guy: bid.keeper, lot: bid.lot, bid: bid.bid, now };
          const prev = desk.index.get(a.guy);
          if (prev !== undefined) desk.locked[prev] = (desk.locked[prev] as number) - dai(a.bid);
          a = (bid.kind === "tend" ? tend(params, a, call) : dent(params, a, call)).auction as FlipAuction;
          desk.locked[k] = (desk.locked[k] as number) + dai(a.bid);
        }
        lv.auction = a;
        still.push(lv);
      }
      open = still;
    },
  });
  const last = market.price[market.time.length - 1] as number;
  for (const lv of open) lv.price = last;
  return summarize(live, spec, bitten, desk.pricedOutKeeperMinutes, desk.failedBids);

  function biteAll(v: number, book: VaultBook, { now, tMs, osm }: DayMinute): boolean {
    const threshold = osm / spec.liquidationRatio;
    const spot = (BigInt(Math.floor(threshold * 1e9)) * RAY) / 1_000_000_000n;
    let urn = { ink: wadOf(book.ink[v] as number), art: wadOf(book.debt[v] as number) };
    const vatIlk = { rate: RAY, spot, dust: 0n };
    if (!isUnsafe(urn, vatIlk)) return false;
    while (urn.ink > 0n) {
      const b = bite({ urn, vatIlk, catIlk: spec.cat });
      const kicked = kick(params, { usr: `vault-${v}`, gal: "vow", tab: b.tab, lot: b.dink, now }).auction;
      const lv: Live = {
        auction: kicked,
        kickedMs: tMs,
        lot: b.dink,
        due: dai(b.due),
        dealtMs: null,
        raised: 0,
        winner: null,
        price: Number.NaN,
      };
      live.push(lv);
      open.push(lv);
      urn = b.urn;
      if (!isUnsafe(urn, vatIlk)) break;
    }
    book.ink[v] = eth(urn.ink);
    book.debt[v] = dai(urn.art * RAY);
    return true;
  }

  function settle(lv: Live, a: FlipAuction, now: bigint, tMs: number, p: number): void {
    deal(params, a, now);
    const w = desk.index.get(a.guy);
    if (w !== undefined) {
      desk.locked[w] = (desk.locked[w] as number) - dai(a.bid);
      desk.capital[w] = (desk.capital[w] as number) - dai(a.bid);
      desk.received(w, eth(a.lot), tMs);
    }
    lv.auction = a;
    lv.dealtMs = tMs;
    lv.raised = dai(a.bid);
    lv.winner = a.guy;
    lv.price = p;
  }
}

function summarize(
  live: readonly Live[],
  spec: BlackThursdaySpec,
  bitten: number,
  stuck: number,
  failed: number,
): BlackThursdayResult {
  let zero = 0;
  let zeroEth = 0;
  let zeroUsd = 0;
  let debtGap = 0;
  let tabGap = 0;
  let openAtEnd = 0;
  let liquidated = 0;
  const auctions = live.map((lv): DayAuction => {
    const a = lv.auction as FlipAuction;
    const lotEth = eth(lv.lot);
    const tabDai = dai(a.tab);
    const dealt = lv.dealtMs !== null;
    const zeroBid = dealt && lv.raised < spec.zeroBidShareOfTab * dai(a.tab);
    const soldEth = dealt ? eth(a.lot) : 0;
    liquidated += lotEth;
    if (!dealt) openAtEnd++;
    if (zeroBid) {
      zero++;
      zeroEth += soldEth;
      zeroUsd += soldEth * lv.price;
    }
    debtGap += Math.max(0, lv.due - lv.raised);
    tabGap += Math.max(0, tabDai - lv.raised);
    return {
      kickedMs: lv.kickedMs,
      dealtMs: lv.dealtMs,
      lotEth,
      soldEth,
      dueDai: lv.due,
      tabDai,
      raisedDai: lv.raised,
      winner: lv.winner,
      priceAtEnd: lv.price,
      zeroBid,
    };
  });
  return {
    auctions,
    kicked: live.length,
    zeroBid: zero,
    zeroBidShare: live.length === 0 ? 0 : zero / live.length,
    zeroBidEth: zeroEth,
    zeroBidUsd: zeroUsd,
    uncoveredDebtDai: debtGap,
    uncoveredTabDai: tabGap,
    openAtEnd,
    liquidatedEth: liquidated,
    pricedOutKeeperMinutes: stuck,
    failedBids: failed,
    vaultsBitten: bitten,
  };
}

/** The keeper roster: who bids on the day. */
export interface KeeperRoster {
  /** Keepers that pay any gas and bid the smallest legal increment (the "0 DAI" bidders). */
  readonly opportunists: number;
  /** Keepers that pay any gas and jump to their reservation. */
  readonly gasAware: number;
  /** Keepers with a fixed gas-price setting (`stockGasCapGwei`) that jump to their reservation. */
  readonly stock: number;
  readonly stockGasCapGwei: number;
  /** DAI each reservation keeper holds at the start. */
  readonly capitalDai: number;
  /** Required margin of the reservation keepers. */
  readonly margin: number;
  /** Gas of one bid transaction. */
  readonly gasUnits: number;
  /** Whether the reservation keepers go offline under stress (the opportunists never do). */
  readonly withdrawUnderStress: boolean;
}

/** The roster's keepers, named `opportunist-i`, `gas-aware-i`, `stock-i`. */
export function dayKeepers(r: KeeperRoster): DayKeeper[] {
  const out: DayKeeper[] = [];
  const base = { margin: r.margin, gasUnits: r.gasUnits, withdrawsUnderStress: r.withdrawUnderStress };
  for (let i = 0; i < r.opportunists; i++)
    out.push({
      ...base,
      name: `opportunist-${i}`,
      capitalDai: 1_000,
      margin: 0,
      maxGasPriceGwei: Number.POSITIVE_INFINITY,
      style: "increment",
      withdrawsUnderStress: false,
    });
  for (let i = 0; i < r.gasAware; i++)
    out.push({
      ...base,
      name: `gas-aware-${i}`,
      capitalDai: r.capitalDai,
      maxGasPriceGwei: Number.POSITIVE_INFINITY,
      style: "reservation",
    });
  for (let i = 0; i < r.stock; i++)
    out.push({
      ...base,
      name: `stock-${i}`,
      capitalDai: r.capitalDai,
      maxGasPriceGwei: r.stockGasCapGwei,
      style: "reservation",
    });
  return out;
}

/** Everything a Black Thursday run needs. */
export interface BlackThursdayOptions {
  readonly day: BlackThursdaySpec;
  readonly market: MakerDayMarketSpec;
  readonly population: VaultPopulationSpec;
  readonly roster: KeeperRoster;
  readonly conditions: KeeperConditions;
}

const T0 = Date.UTC(2020, 2, 12);
const HOUR = 3_600_000;

/**
 * The day's parameters and the calibrated defaults (docs/maker-reconciliation.md gives each source):
 * ETH-A on the dss 1.0 contracts — `beg` 1.03, `ttl` 600 s, `tau` 6 h, `chop` 1.13, `lump` 50 ETH,
 * `mat` 1.5, OSM `hop` 1 h; the window 2020-03-12 00:00 to 2020-03-14 00:00 UTC for bites, auctions
 * run 6 h more; gas 13 → 80 → 200 gwei by the hour's range (Glassnode's 6× to ~80, DeFi Saver's 200).
 */
export const BLACK_THURSDAY_DEFAULTS: BlackThursdayOptions = {
  day: {
    flipper: { beg: (103n * WAD) / 100n, ttl: 600n, tau: 21_600n, version: "1.0" },
    cat: { version: "1.0", chop: (113n * RAY) / 100n, lump: 50n * WAD },
    liquidationRatio: 1.5,
    biteUntilMs: T0 + 48 * HOUR,
    zeroBidShareOfTab: 0.01,
    seed: 20200312,
  },
  market: {
    fromMs: T0,
    toMs: T0 + 54 * HOUR,
    wickClip: 1.15,
    osmDelaySeconds: 3600,
    baseGwei: 13,
    stressGwei: 80,
    peakGwei: 200,
    stressRange: 0.05,
    peakRange: 0.1,
  },
  population: {
    count: 3_640,
    minEth: 10,
    tailIndex: 1.1,
    ratioMedian: 2.6,
    ratioSigma: 0.45,
    floorRatio: 1.51,
    largestEth: 35_000,
    largestRatio: 1.9,
  },
  roster: {
    opportunists: 1,
    gasAware: 2,
    stock: 6,
    stockGasCapGwei: 100,
    capitalDai: 1_500_000,
    margin: 0.05,
    gasUnits: 200_000,
    withdrawUnderStress: true,
  },
  conditions: { gasMultiplier: 1, txFailure: 0.1, recycleSeconds: null, withdrawalDrop: 0.1 },
};

/** The bundled hourly ETHUSDT perpetual candles (data/ohlcv/, Binance USDⓈ-M). */
export function readEthHourly() {
  return readCandleFile(bundledPath("ohlcv/binance-perp_ethusdt_1h_2020-01_2024-04.csv"), {
    symbol: "ETHUSDT",
  }).series;
}

/**
 * The day's minute market ({@link makerDayMarket}) on `candles` and the vaults drawn at its first OSM
 * price ({@link drawVaults}, seeded by `day.seed`): what the flip and the clip runs share.
 */
export function dayInputs(
  options: BlackThursdayOptions,
  candles = readEthHourly(),
): { market: MakerDayMarket; vaults: VaultBook } {
  const market = makerDayMarket(candles, options.market);
  return {
    market,
    vaults: drawVaults(options.population, market.osm[0] as number, populationRng(options.day)),
  };
}

/** A run: the market, the population and the result. */
export interface BlackThursdayRun {
  readonly market: MakerDayMarket;
  readonly vaults: VaultBook;
  readonly result: BlackThursdayResult;
}

/**
 * Runs the day with `options` on the bundled hourly candles: builds the minute market
 * ({@link makerDayMarket}), draws the vaults at the first minute's OSM price ({@link drawVaults}, seeded
 * by `day.seed`), and replays the auctions ({@link simulateBlackThursday}).
 */
export function runBlackThursday(options: BlackThursdayOptions, candles = readEthHourly()): BlackThursdayRun {
  const { market, vaults } = dayInputs(options, candles);
  const result = simulateBlackThursday(
    options.day,
    market,
    vaults,
    dayKeepers(options.roster),
    options.conditions,
  );
  return { market, vaults, result };
}
