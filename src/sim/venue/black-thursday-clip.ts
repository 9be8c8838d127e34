/**
 * Black Thursday (2020-03-12/13) under Maker Liquidations 2.0: the same ETH-A vault population, minute
 * market, gas path, keepers and failure conditions as the reconciled 1.2 replay (`black-thursday.ts`),
 * in the same day loop (`maker-day.ts`), with the Dog and Clipper (`src/venues/maker-clip.ts`: `bark`,
 * `kick`, `status`, `take`, `redo`, the stairstep price curve, `Hole`/`hole`) instead of the Cat and
 * Flipper, and keepers that take as `src/sim/clip-keeper.ts` decides. A counterfactual: the day was
 * reconciled with flip, not with clip.
 *
 * A Dutch auction cannot be won with a zero bid: its price only falls to `cusp·top` (or until `tail`),
 * then the auction is reset (`redo`) at the current feed price. What replaces the zero bid under
 * stress is a sale far below the market, a reset, or a vault the Dog cannot bark because the room
 * under `Hole`/`hole` is used up; each is counted.
 *
 * Parameters (ETH-A when Liquidations 2.0 went live, MakerDAO executive spell of 2021-04-30,
 * `flipperToClipper` for ETH-A): `ilk.hole` 22 M DAI, `chop` 1.13, `buf` 1.30, `tail` 140 min,
 * `cusp` 0.40, `chip` 0.1 %, `tip` 0, StairstepExponentialDecrease `cut` 0.99 every `step` 90 s; the
 * Dog's global `Hole` 100 M DAI (set when the Dog was deployed, April 2021 executive spell).
 */
import { fromFixed, maxBig, minBig, RAD, RAY, WAD } from "../../math/fixed-point.js";
import {
  auctionPriceFloat,
  barkAndKick,
  type ClipperParams,
  isUnsafe,
  type Rad,
  redo,
  type Sale,
  status,
  take,
  validateClipperParams,
  type Wad,
} from "../../venues/maker-clip.js";
import { clipKeeperTake, sliceWorthTaking } from "../clip-keeper.js";
import type { FlipKeeper } from "../flip-keeper.js";
import {
  BLACK_THURSDAY_DEFAULTS,
  type BlackThursdayOptions,
  dayInputs,
  dayKeepers,
  readEthHourly,
} from "./black-thursday.js";
import {
  type DayKeeper,
  type DayMinute,
  type DayWindow,
  type KeeperConditions,
  KeeperDesk,
  runMakerDay,
  type VaultBook,
} from "./maker-day.js";
import type { MakerDayMarket } from "./maker-day-market.js";

/** The Dog's limits and penalty for the ilk. */
export interface ClipDog {
  /** Global limit on the tab of all active auctions [rad]. */
  readonly Hole: Rad;
  /** The ilk's limit [rad]. */
  readonly hole: Rad;
  /** Liquidation penalty multiplier [wad]. */
  readonly chop: Wad;
}

/** The day under Liquidations 2.0. */
export interface ClipDaySpec extends DayWindow {
  readonly dog: ClipDog;
  readonly clipper: ClipperParams;
  /** A take counts as "far below the market" when its price is under this share of the ETH price. */
  readonly belowMarketShare: number;
  readonly seed: number;
}

/**
 * ETH-A's Liquidations 2.0 parameters when it went live: the MakerDAO executive spell of 2021-04-30
 * (`DssSpell.sol`, `flipperToClipper` for ETH-A: hole 22 M DAI, chop 1.13, buf 1.30, tail 140 minutes,
 * cusp 0.40, chip 0.1 %, tip 0, cut 0.99, step 90 s; `tip` was raised to 300 DAI by the spell of
 * 2021-05-28) and the Dog's `Hole` of 100 M DAI (the April 2021 spell that deployed the Dog). `dust`
 * is 0, as in the flip replay's Vat, so `chost` is 0.
 */
export const ETH_A_CLIP_2021 = {
  dog: { Hole: 100_000_000n * RAD, hole: 22_000_000n * RAD, chop: (113n * WAD) / 100n },
  clipper: {
    buf: (130n * RAY) / 100n,
    tail: 140n * 60n,
    cusp: (40n * RAY) / 100n,
    chip: WAD / 1000n,
    tip: 0n,
    chost: 0n,
    calc: { kind: "stairstep", cut: (99n * RAY) / 100n, step: 90n },
  } as ClipperParams,
  source:
    "MakerDAO executive spell 2021-04-30 (DssSpell.sol, flipperToClipper ETH-A); Dog Hole 100 M DAI from the April 2021 Dog deployment spell",
} as const;

/** One auction of the clip day. */
export interface ClipAuction {
  readonly vault: number;
  readonly kickedMs: number;
  /** When it ended (lot sold out or tab covered), or null when still open at the end. */
  readonly endedMs: number | null;
  readonly lotEth: number;
  /** Debt sent to the Vow (`dart·rate`) and the tab (debt × chop), DAI. */
  readonly dueDai: number;
  readonly tabDai: number;
  readonly raisedDai: number;
  readonly soldEth: number;
  /** Collateral returned to the vault owner once the tab was covered. */
  readonly returnedEth: number;
  /** Tab left when the lot ran out (written off), DAI. */
  readonly writtenOffDai: number;
  readonly redos: number;
}

/** One take: when, at what price against the market, how much. */
export interface ClipFill {
  readonly tMs: number;
  readonly priceDai: number;
  readonly marketDai: number;
  readonly eth: number;
  readonly owedDai: number;
}

/** Totals of a clip day. */
export interface ClipDayResult {
  readonly auctions: readonly ClipAuction[];
  readonly fills: readonly ClipFill[];
  readonly kicked: number;
  readonly vaultsBarked: number;
  /** Auctions that ended having raised under 1 % of their tab (none can: the price stops at cusp·top). */
  readonly zeroBid: number;
  readonly takes: number;
  readonly redos: number;
  readonly soldEth: number;
  readonly raisedDai: number;
  /** ETH bought at a price under `belowMarketShare` of the market, and its market value, USD. */
  readonly ethBelowMarket: number;
  readonly ethBelowMarketUsd: number;
  /** Σ (market − price)·eth over all takes: what the keepers bought below the market, USD. */
  readonly discountUsd: number;
  readonly returnedEth: number;
  /** Σ max(0, due − raised) over all auctions (open ones raise nothing more): the Vow's uncovered debt, DAI. */
  readonly uncoveredDebtDai: number;
  /** Σ max(0, tab − raised) likewise, DAI. */
  readonly uncoveredTabDai: number;
  /** Tab written off when a lot sold out first, DAI. */
  readonly writtenOffDai: number;
  /** Keeper incentives paid by the Vow (`tip + chip·tab` at kick and at each paid redo), DAI. */
  readonly incentivesDai: number;
  readonly openAtEnd: number;
  readonly openLotEth: number;
  readonly openTabDai: number;
  /** Minutes in which an unsafe vault could not be (fully) barked because `Hole`/`hole` had no room. */
  readonly holeBoundMinutes: number;
  /** The largest `Dirt` (tab in active auctions) of the day, DAI. */
  readonly maxDirtDai: number;
  readonly liquidatedEth: number;
  readonly pricedOutKeeperMinutes: number;
  readonly failedBids: number;
}

interface LiveSale {
  sale: Sale | null;
  readonly vault: number;
  readonly kickedMs: number;
  readonly lot: Wad;
  readonly tab: Rad;
  readonly due: Rad;
  endedMs: number | null;
  raised: Rad;
  sold: Wad;
  returned: Wad;
  writtenOff: Rad;
  redos: number;
}

/** Relative slack of the float screen, far above the float price's error (~1e-15). */
const SCREEN = 1e-9;
const dai = (rad: bigint) => fromFixed(rad, 45);
const eth = (wad: bigint) => fromFixed(wad, 18);
const NANO = 1_000_000_000;
const wadOf = (x: number) => (BigInt(Math.round(x * NANO)) * WAD) / BigInt(NANO);
/** A DAI price as ray, rounded down to 10⁻⁹ (the OSM value the Spotter and the Clipper read). */
const rayOf = (x: number) => (BigInt(Math.floor(x * NANO)) * RAY) / BigInt(NANO);

/**
 * Replays the day on `market` with the Dog and Clipper, in the shared day loop ({@link runMakerDay}):
 * each minute (a) unsafe vaults (`ink·osm/mat < debt`) are barked (`bark` + `kick`, `top = osm·buf`)
 * while `min(Hole − Dirt, hole − dirt)` leaves room — a partial bark or no room blocks the queue until
 * takes free some (`Dirt` falls by what each take raises); (b) each open auction that is done
 * (`status`) is reset (`redo`, at the minute's OSM price), then offered to the online keepers in a
 * seeded order: each asks {@link clipKeeperTake} with its free DAI; the take fails with probability
 * `txFailure`, else it goes through `take` and the keeper pays at once and receives the ETH (back as DAI
 * after `recycleSeconds`). `bark` and `redo` are assumed called by someone each minute (anyone may; the
 * `chip` pays for it). Deterministic for a seed.
 */
export function simulateBlackThursdayClip(
  spec: ClipDaySpec,
  market: MakerDayMarket,
  vaults: VaultBook,
  keepers: readonly DayKeeper[],
  conditions: KeeperConditions,
): ClipDayResult {
  const params = validateClipperParams(spec.clipper, "clipper");
  const desk = new KeeperDesk(keepers, conditions, spec.seed);
  const live: LiveSale[] = [];
  let open: LiveSale[] = [];
  const barked = new Uint8Array(vaults.ink.length);
  let dirt = 0n;
  let maxDirt = 0n;
  let incentives = 0n;
  let holeMinutes = 0;
  let lastHoleMinute = -1;
  const fills: ClipFill[] = [];
  const views = keepers.map((k) => ({ ...k, maxGasPriceGwei: Number.POSITIVE_INFINITY }));
  const minMargin = Math.min(...keepers.map((k) => k.margin));
  const tail = Number(params.tail);
  const cusp = fromFixed(params.cusp, 27);

  runMakerDay(spec, market, vaults, desk, {
    liquidate(v, book, minute) {
      const spot = rayOf(minute.osm / spec.liquidationRatio);
      const urn = { ink: wadOf(book.ink[v] as number), art: wadOf(book.debt[v] as number) };
      const vatIlk = { rate: RAY, spot, dust: 0n };
      if (!isUnsafe(urn, vatIlk)) return "done";
      // dss bark: dart = min(art, room·WAD/rate/chop) (rate = RAY here); a room that seizes no collateral
      // (dink = ink·dart/art = 0, Dog/null-auction) or none at all (Dog/liquidation-limit-hit) blocks the queue
      const dart = minBig(urn.art, (minRoom(spec.dog, dirt) * WAD) / RAY / spec.dog.chop);
      if ((urn.ink * dart) / urn.art === 0n) return holeBound(minute);
      const b = barkAndKick({
        urn,
        vatIlk,
        dogIlk: { chop: spec.dog.chop, hole: spec.dog.hole, dirt },
        dog: { Hole: spec.dog.Hole, Dirt: dirt },
        clipper: params,
        feedPrice: rayOf(minute.osm),
        now: minute.now,
      });
      dirt = b.dog.Dirt;
      if (dirt > maxDirt) maxDirt = dirt;
      incentives += b.coin;
      barked[v] = 1;
      const lv: LiveSale = {
        sale: b.sale,
        vault: v,
        kickedMs: minute.tMs,
        lot: b.dink,
        tab: b.tab,
        due: b.due,
        endedMs: null,
        raised: 0n,
        sold: 0n,
        returned: 0n,
        writtenOff: 0n,
        redos: 0,
      };
      live.push(lv);
      open.push(lv);
      book.ink[v] = eth(b.urn.ink);
      book.debt[v] = eth(b.urn.art);
      return b.partial ? holeBound(minute) : "done";
    },
    hasOpen: () => open.length > 0,
    step(minute, d) {
      const mkt = {
        collateralPriceDai: minute.price,
        ethPriceDai: minute.price,
        gasPriceGwei: minute.gasGwei,
      };
      const still: LiveSale[] = [];
      // no keeper takes above p/(1 + its margin), nor without DAI: screen the auctions in floats first
      const bound = (minute.price / (1 + minMargin)) * (1 + SCREEN);
      let anyDai = false;
      for (let k = 0; k < keepers.length; k++) if (d.online[k] === 1 && d.free(k) > 0) anyDai = true;
      for (const lv of open) {
        let sale = lv.sale as Sale;
        const elapsed = Number(minute.now - sale.tic);
        const top = Number(sale.top) / 1e27;
        let price = auctionPriceFloat(params.calc, top, elapsed);
        const maybeDone = elapsed > tail || price < cusp * top * (1 + SCREEN);
        if (maybeDone && status(params, sale, minute.now).done) {
          const r = redo(params, sale, { now: minute.now, feedPrice: rayOf(minute.osm) });
          sale = r.sale;
          price = Number(sale.top) / 1e27;
          incentives += r.coin;
          lv.redos++;
        }
        if (!anyDai || price > bound) {
          lv.sale = sale;
          still.push(lv);
          continue;
        }
        for (const k of d.shuffled()) {
          const free = d.free(k);
          if (d.online[k] === 0 || !(free > 0)) continue;
          const view = views[k] as { capitalDai: number };
          view.capitalDai = free;
          const screen = price * (1 - SCREEN);
          if (
            sliceWorthTaking(
              screen,
              Number(sale.lot) / 1e18,
              Number(sale.tab) / 1e45,
              view as FlipKeeper,
              mkt,
            ) === 0
          )
            continue;
          const t = clipKeeperTake(params, sale, view as FlipKeeper, mkt, minute.now);
          if (t === null || !d.lands()) continue;
          const r = take(params, sale, { amt: t.amt, max: t.max, now: minute.now });
          d.capital[k] = (d.capital[k] as number) - dai(r.owe);
          d.received(k, eth(r.slice), minute.tMs);
          fills.push({
            tMs: minute.tMs,
            priceDai: t.priceDai,
            marketDai: minute.price,
            eth: eth(r.slice),
            owedDai: dai(r.owe),
          });
          dirt -= r.digs;
          lv.raised += r.owe;
          lv.sold += r.slice;
          if (r.sale === null) {
            lv.returned = r.returned;
            lv.writtenOff = r.lot === 0n ? r.tab : 0n;
            lv.endedMs = minute.tMs;
            break;
          }
          sale = r.sale;
        }
        if (lv.endedMs === null) {
          lv.sale = sale;
          still.push(lv);
        } else lv.sale = null;
      }
      open = still;
    },
  });
  return summarize();

  function holeBound(minute: DayMinute): "blocked" {
    if (lastHoleMinute !== minute.tMs) holeMinutes++;
    lastHoleMinute = minute.tMs;
    return "blocked";
  }

  function summarize(): ClipDayResult {
    let raised = 0;
    let sold = 0;
    let returned = 0;
    let debtGap = 0;
    let tabGap = 0;
    let writtenOff = 0;
    let openLot = 0;
    let openTab = 0;
    let liquidated = 0;
    let redos = 0;
    let zero = 0;
    const auctions = live.map((lv): ClipAuction => {
      const a: ClipAuction = {
        vault: lv.vault,
        kickedMs: lv.kickedMs,
        endedMs: lv.endedMs,
        lotEth: eth(lv.lot),
        dueDai: dai(lv.due),
        tabDai: dai(lv.tab),
        raisedDai: dai(lv.raised),
        soldEth: eth(lv.sold),
        returnedEth: eth(lv.returned),
        writtenOffDai: dai(lv.writtenOff),
        redos: lv.redos,
      };
      raised += a.raisedDai;
      sold += a.soldEth;
      returned += a.returnedEth;
      liquidated += a.lotEth;
      writtenOff += a.writtenOffDai;
      redos += a.redos;
      debtGap += Math.max(0, a.dueDai - a.raisedDai);
      tabGap += Math.max(0, a.tabDai - a.raisedDai);
      if (lv.endedMs !== null && a.raisedDai < 0.01 * a.tabDai) zero++;
      if (lv.sale !== null) {
        openLot += eth(lv.sale.lot);
        openTab += dai(lv.sale.tab);
      }
      return a;
    });
    let below = 0;
    let belowUsd = 0;
    let discount = 0;
    for (const f of fills) {
      discount += (f.marketDai - f.priceDai) * f.eth;
      if (f.priceDai < spec.belowMarketShare * f.marketDai) {
        below += f.eth;
        belowUsd += f.eth * f.marketDai;
      }
    }
    return {
      auctions,
      fills,
      kicked: live.length,
      vaultsBarked: barked.reduce((s, x) => s + x, 0),
      zeroBid: zero,
      takes: fills.length,
      redos,
      soldEth: sold,
      raisedDai: raised,
      ethBelowMarket: below,
      ethBelowMarketUsd: belowUsd,
      discountUsd: discount,
      returnedEth: returned,
      uncoveredDebtDai: debtGap,
      uncoveredTabDai: tabGap,
      writtenOffDai: writtenOff,
      incentivesDai: dai(incentives),
      openAtEnd: live.filter((lv) => lv.sale !== null).length,
      openLotEth: openLot,
      openTabDai: openTab,
      holeBoundMinutes: holeMinutes,
      maxDirtDai: dai(maxDirt),
      liquidatedEth: liquidated,
      pricedOutKeeperMinutes: desk.pricedOutKeeperMinutes,
      failedBids: desk.failedBids,
    };
  }
}

/** `min(Hole − Dirt, hole − dirt)` for the one ilk (its dirt is the Dirt), floored at 0 [rad]. */
function minRoom(dog: ClipDog, dirt: Rad): Rad {
  return maxBig(0n, minBig(dog.Hole - dirt, dog.hole - dirt));
}

/** The clip day's parameters: the flip replay's window and seed with the 2021 ETH-A Dog and Clipper. */
export function clipDaySpec(
  options: BlackThursdayOptions = BLACK_THURSDAY_DEFAULTS,
  clip: Pick<ClipDaySpec, "dog" | "clipper"> = ETH_A_CLIP_2021,
  belowMarketShare = 0.8,
): ClipDaySpec {
  return {
    dog: clip.dog,
    clipper: clip.clipper,
    liquidationRatio: options.day.liquidationRatio,
    biteUntilMs: options.day.biteUntilMs,
    belowMarketShare,
    seed: options.day.seed,
  };
}

/** A clip run: the market, the population and the result. */
export interface ClipDayRun {
  readonly market: MakerDayMarket;
  readonly vaults: VaultBook;
  readonly result: ClipDayResult;
}

/**
 * Runs the day under Liquidations 2.0 with the flip replay's `options` (the same market, the same
 * vaults drawn with the same seed, the same keepers and conditions) and the Dog/Clipper of `clip`.
 */
export function runBlackThursdayClip(
  options: BlackThursdayOptions = BLACK_THURSDAY_DEFAULTS,
  clip: Pick<ClipDaySpec, "dog" | "clipper"> = ETH_A_CLIP_2021,
  candles = readEthHourly(),
): ClipDayRun {
  const { market, vaults } = dayInputs(options, candles);
  const result = simulateBlackThursdayClip(
    clipDaySpec(options, clip),
    market,
    vaults,
    dayKeepers(options.roster),
    options.conditions,
  );
  return { market, vaults, result };
}
