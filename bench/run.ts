/**
 * `npm run bench`: every benchmark section in one run —
 * `margin`: throughput of the structure-of-arrays margin kernels (src/margin/batch.ts) on seeded
 * random books over the real Binance USDⓈ-M brackets (2024-10), against the general engine on a
 * smaller sample (single-threaded); `engine`: `liquidationPrices` on one cross account of 10 to
 * 10,000 positions, the cached tier flattening, and what-if and one step of a collateral search on
 * the 10,000-position document of issue 10 §6 (bench/engine.ts); `sim`: liquidation Monte Carlo
 * path-steps, one thread and all cores, against numpy (bench/sim.ts); `desk`: many accounts per worker
 * job on the pool, 1 worker against all cores (bench/desk.ts); `var`: VaR/ES throughput (bench/var.ts);
 * `liquidity`: book
 * walks (bench/liquidity.ts); `garch`: GARCH fits against R fGarch timed in the same run
 * (bench/garch.ts); `liqindex`: a 1,000,000-position liquidation index against a full scan per mark tick
 * (bench/liqindex.ts); `venue`: the venue simulator's account-steps per second, and per CPU second
 * against numpy (bench/venue.ts); `server`: the HTTP API under autocannon over loopback, one account and batches of
 * 100 (bench/server.ts). `--only margin,sim` picks sections; `--json <file>` also writes the results with
 * the machine they came from; `--time <ms>` sets the time budget per case (default 2,000).
 * What each case measures, and the recorded figures: bench/README.md.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { accountMargin } from "../src/margin/account.js";
import {
  type CrossBook,
  createCrossBook,
  createPositionBook,
  crossLiquidationPrices,
  type FlatTiers,
  flatTierIndex,
  flattenTiers,
  flattenTierTables,
  liquidationPriceBatch,
  marginCheckBatch,
  type PositionBook,
} from "../src/margin/batch.js";
import { liquidationPrices } from "../src/margin/liquidation.js";
import { type TierTable, tierFor } from "../src/margin/tiers.js";
import type { Account, MarginRules, Position } from "../src/margin/types.js";
import { Xoshiro128 } from "../src/math/random.js";
import { binanceUsdm } from "../src/venues/binance-usdm.js";
import { benchDesk, formatDeskBench } from "./desk.js";
import { benchEngine, formatEngineBench } from "./engine.js";
import { benchGarch, printGarchBench } from "./garch.js";
import { benchLiqIndex, formatLiqIndexBench } from "./liqindex.js";
import { benchLiquidity } from "./liquidity.js";
import { benchServer, formatServerBench } from "./server.js";
import { benchSim, formatSimBench } from "./sim.js";
import { SYMBOLS } from "./symbols.js";
import { benchRollingVar, benchVar, formatRollingVarBench, formatVarBench } from "./var.js";
import { benchVenue, benchVenueFullModel, formatVenueBench, formatVenueFullModelBench } from "./venue.js";

const ISOLATED_POSITIONS = 1_000_000;
const CROSS_ACCOUNTS = 100_000;
const CROSS_WIDTH = 10;
const ENGINE_POSITIONS = 10_000;
const ENGINE_ACCOUNTS = 1_000;
const SEED = 20241024;

/**
 * Sizes and entries of a position of `notional` (at entry) opened at `leverage` whose mark is now
 * `mark`: the entry is `mark / (1 + u·0.6/leverage)`, u uniform in [−1, 1], so that a position has
 * moved by up to 60 % of its initial margin (a few per cent of the book is liquidatable, the
 * highest leverages first).
 */
function drawEntry(rng: Xoshiro128, mark: number, leverage: number): number {
  return mark / (1 + ((2 * rng.next() - 1) * 0.6) / leverage);
}

/**
 * Isolated BTCUSDT positions at one mark (67,000): entry notionals log-uniform over
 * [minNotional, maxNotional], leverage log-uniform from 2x to the bracket's maximum (125x in the
 * first), longs and shorts evenly. The main book spans $50 to $500M (43 % in the first bracket, the
 * rest over the next eight); the comparison book stays in the first bracket ($50 to $40,000).
 */
function isolatedBook(
  tiers: TierTable,
  n: number,
  rng: Xoshiro128,
  minNotional: number,
  maxNotional: number,
): PositionBook {
  const book = createPositionBook(n);
  const mark = 67_000;
  for (let i = 0; i < n; i++) {
    const notional = rng.logUniform(minNotional, maxNotional);
    const leverage = rng.logUniform(2, Math.max(2, tierFor(tiers, notional).maxLeverage));
    const entry = drawEntry(rng, mark, leverage);
    book.size[i] = ((rng.next() < 0.5 ? 1 : -1) * notional) / entry;
    book.entryPrice[i] = entry;
    book.markPrice[i] = mark;
    book.isolatedMargin[i] = notional / leverage;
  }
  return book;
}

/**
 * Cross accounts of one position on each of the 10 symbols: entry notionals log-uniform from $50 to
 * $20M, account leverage log-uniform 2x–50x (wallet = total entry notional / leverage).
 */
function crossBook(accounts: number, rng: Xoshiro128): CrossBook {
  const book = createCrossBook(accounts, CROSS_WIDTH);
  for (let a = 0; a < accounts; a++) {
    const leverage = rng.logUniform(2, 50);
    let total = 0;
    for (let j = 0; j < CROSS_WIDTH; j++) {
      const { mark } = SYMBOLS[j] as { mark: number };
      const i = a * CROSS_WIDTH + j;
      const notional = rng.logUniform(50, 2e7);
      const entry = drawEntry(rng, mark, leverage);
      book.size[i] = ((rng.next() < 0.5 ? 1 : -1) * notional) / entry;
      book.entryPrice[i] = entry;
      book.markPrice[i] = mark;
      book.symbol[i] = j;
      total += notional;
    }
    book.walletBalance[a] = total / leverage;
  }
  return book;
}

/** The first `n` positions of a book as engine objects (linear, contract size 1, no funding). */
function positionsOf(book: PositionBook, tiers: TierTable, n: number): Position[] {
  const instrument = { symbol: "BTCUSDT", kind: "linear", contractSize: 1, marginAsset: "USDT" } as const;
  return Array.from({ length: n }, (_, i) => ({
    instrument,
    tiers,
    size: book.size[i] as number,
    entryPrice: book.entryPrice[i] as number,
    markPrice: book.markPrice[i] as number,
    positionSide: "BOTH",
    isolatedMargin: book.isolatedMargin[i] as number,
    accruedFunding: 0,
  }));
}

/** The first `n` accounts of a cross book as engine objects. */
function accountsOf(book: CrossBook, tables: readonly TierTable[], n: number): Account[] {
  return Array.from({ length: n }, (_, a) => ({
    marginMode: "cross",
    walletBalance: book.walletBalance[a] as number,
    positions: Array.from({ length: book.width }, (_, j): Position => {
      const i = a * book.width + j;
      const s = book.symbol[i] as number;
      return {
        instrument: {
          symbol: (SYMBOLS[s] as { symbol: string }).symbol,
          kind: "linear",
          contractSize: 1,
          marginAsset: "USDT",
        },
        tiers: tables[s] as TierTable,
        size: book.size[i] as number,
        entryPrice: book.entryPrice[i] as number,
        markPrice: book.markPrice[i] as number,
        positionSide: "BOTH",
        accruedFunding: 0,
      };
    }),
  }));
}

/**
 * The margin check with the tier found by a linear scan from tier 0 instead of the bucket index,
 * kept here to measure the choice made in `marginCheckBatch` (bench/README.md).
 */
function marginCheckLinearScan(book: PositionBook, tiers: FlatTiers, out: Uint8Array): number {
  const { size, entryPrice, markPrice, isolatedMargin } = book;
  const { floors, mmr, cum } = tiers;
  const last = (tiers.start[1] as number) - 2;
  let count = 0;
  for (let i = 0; i < book.length; i++) {
    const q = size[i] as number;
    const mark = markPrice[i] as number;
    const notional = Math.abs(q) * mark;
    let k = 0;
    while (k < last && notional >= (floors[k + 1] as number)) k++;
    const equity = (isolatedMargin[i] as number) + q * (mark - (entryPrice[i] as number));
    const hit = equity <= notional * (mmr[k] as number) - (cum[k] as number) ? 1 : 0;
    out[i] = hit;
    count += hit;
  }
  return count;
}

/** Largest relative difference between kernel prices (NaN = none) and engine prices (null = none). */
function largestDifference(kernel: Float64Array, engine: readonly (number | null)[]): number {
  let worst = 0;
  engine.forEach((price, i) => {
    const got = kernel[i] as number;
    const diff =
      price === null ? (Number.isNaN(got) ? 0 : Number.POSITIVE_INFINITY) : Math.abs(got - price) / price;
    worst = Math.max(worst, Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff);
  });
  return worst;
}

interface CaseResult {
  name: string;
  /** Items (positions) per call of the case. */
  items: number;
  /** Calls per second, `1000 / meanMs`. */
  opsPerSecond: number;
  /** Items per second at the mean time per call, `items · opsPerSecond`. */
  itemsPerSecond: number;
  /** Items per second at the median time per call (less sensitive to pauses of a shared machine). */
  itemsPerSecondMedian: number;
  /** Mean and median time per call, milliseconds. */
  meanMs: number;
  medianMs: number;
  /** Relative margin of error of the mean, per cent. */
  rmePercent: number;
  samples: number;
}

/** The margin-kernel section: builds the books, checks them against the engine, times the kernels. */
async function marginSection(time: number): Promise<{ book: unknown; results: CaseResult[] }> {
  const venue = binanceUsdm();
  const rules: MarginRules = venue.rules;
  const btc = venue.tierTable("BTCUSDT").tiers;
  const flatBtc = flattenTiers(btc);
  const tables = SYMBOLS.map(({ symbol }) => venue.tierTable(symbol).tiers);
  const flatCross = flattenTierTables(tables);

  const rng = new Xoshiro128(SEED);
  const book = isolatedBook(btc, ISOLATED_POSITIONS, rng, 50, 5e8);
  const firstBracketBook = isolatedBook(btc, ISOLATED_POSITIONS, rng, 50, 40_000);
  const cross = crossBook(CROSS_ACCOUNTS, rng);
  const flags = new Uint8Array(ISOLATED_POSITIONS);
  const prices = new Float64Array(ISOLATED_POSITIONS);
  const crossPrices = new Float64Array(CROSS_ACCOUNTS * CROSS_WIDTH);
  const scratch = new Float64Array(2 * CROSS_WIDTH);
  const sample = positionsOf(book, btc, ENGINE_POSITIONS);
  const sampleAccount: Account = { marginMode: "isolated", walletBalance: 0, positions: sample };
  const sampleCross = accountsOf(cross, tables, ENGINE_ACCOUNTS);

  // The books, and agreement with the engine on the samples, before timing anything.
  const liquidatable = marginCheckBatch(book, flatBtc, flags);
  liquidationPriceBatch(book, flatBtc, prices);
  crossLiquidationPrices(cross, flatCross, crossPrices, scratch);
  const brackets = new Array<number>(btc.length).fill(0);
  let resolved = 0;
  let noPrice = 0;
  for (let i = 0; i < ISOLATED_POSITIONS; i++) {
    const units = Math.abs(book.size[i] as number);
    const atMark = flatTierIndex(flatBtc, 0, units * (book.markPrice[i] as number));
    brackets[atMark] = (brackets[atMark] as number) + 1;
    const price = prices[i] as number;
    if (Number.isNaN(price)) noPrice++;
    else if (flatTierIndex(flatBtc, 0, units * price) !== atMark) resolved++;
  }
  const engineFlags = accountMargin(sampleAccount, rules).positions.map((r) => (r.liquidatable ? 1 : 0));
  const flagMismatches = engineFlags.filter((f, i) => f !== flags[i]).length;
  const isolatedDiff = largestDifference(
    prices.subarray(0, ENGINE_POSITIONS),
    liquidationPrices(sampleAccount, rules).map((r) => r.liquidationPrice),
  );
  const crossDiff = largestDifference(
    crossPrices.subarray(0, ENGINE_ACCOUNTS * CROSS_WIDTH),
    sampleCross.flatMap((a) => liquidationPrices(a, rules).map((r) => r.liquidationPrice)),
  );
  const summary = {
    isolatedPositions: ISOLATED_POSITIONS,
    liquidatable,
    positionsPerBracketAtMark: brackets,
    liquidationInAnotherBracket: resolved,
    noLiquidationPrice: noPrice,
    crossAccounts: CROSS_ACCOUNTS,
    crossWidth: CROSS_WIDTH,
    crossSymbols: SYMBOLS.map((s) => s.symbol),
    engineSample: {
      marginCheckMismatches: flagMismatches,
      isolatedLargestRelativeDifference: isolatedDiff,
      crossLargestRelativeDifference: crossDiff,
    },
  };
  console.log(JSON.stringify(summary, null, 2));
  // Cross prices sum whole accounts, so they agree to round-off of the account, not of the price.
  if (flagMismatches > 0 || !(isolatedDiff <= 1e-12) || !(crossDiff <= 1e-9)) {
    throw new Error("the kernels disagree with the engine");
  }

  const bench = new Bench({ name: "liqopt margin kernels", time, warmupTime: 500, iterations: 10 });
  const items = new Map<string, number>();
  const add = (name: string, n: number, fn: () => unknown): void => {
    items.set(name, n);
    bench.add(name, fn);
  };
  add("margin checks (bucket tier index)", ISOLATED_POSITIONS, () => marginCheckBatch(book, flatBtc, flags));
  add("margin checks (linear tier scan, for comparison)", ISOLATED_POSITIONS, () =>
    marginCheckLinearScan(book, flatBtc, flags),
  );
  add("margin checks, first bracket only (bucket tier index)", ISOLATED_POSITIONS, () =>
    marginCheckBatch(firstBracketBook, flatBtc, flags),
  );
  add("margin checks, first bracket only (linear tier scan)", ISOLATED_POSITIONS, () =>
    marginCheckLinearScan(firstBracketBook, flatBtc, flags),
  );
  add("liquidation prices with tier re-solve", ISOLATED_POSITIONS, () =>
    liquidationPriceBatch(book, flatBtc, prices),
  );
  add(
    `cross liquidation prices (${CROSS_ACCOUNTS} accounts × ${CROSS_WIDTH})`,
    CROSS_ACCOUNTS * CROSS_WIDTH,
    () => crossLiquidationPrices(cross, flatCross, crossPrices, scratch),
  );
  add(`engine accountMargin (${ENGINE_POSITIONS} isolated)`, ENGINE_POSITIONS, () =>
    accountMargin(sampleAccount, rules),
  );
  add(`engine liquidationPrices (${ENGINE_POSITIONS} isolated)`, ENGINE_POSITIONS, () =>
    liquidationPrices(sampleAccount, rules),
  );
  add(
    `engine liquidationPrices (${ENGINE_ACCOUNTS} cross × ${CROSS_WIDTH})`,
    ENGINE_ACCOUNTS * CROSS_WIDTH,
    () => {
      for (const a of sampleCross) liquidationPrices(a, rules);
    },
  );
  await bench.run();

  const results: CaseResult[] = bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
    const n = items.get(task.name) ?? 1;
    const opsPerSecond = 1000 / r.latency.mean;
    return {
      name: task.name,
      items: n,
      opsPerSecond,
      itemsPerSecond: n * opsPerSecond,
      itemsPerSecondMedian: (n * 1000) / r.latency.p50,
      meanMs: r.latency.mean,
      medianMs: r.latency.p50,
      rmePercent: r.latency.rme,
      samples: r.latency.samplesCount,
    };
  });
  const millions = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
  console.table(
    results.map((r) => ({
      case: r.name,
      "ops/s": r.opsPerSecond.toFixed(2),
      "items/s (mean)": millions(r.itemsPerSecond),
      "items/s (median)": millions(r.itemsPerSecondMedian),
      "ms/op": r.meanMs.toFixed(3),
      "±%": r.rmePercent.toFixed(2),
      samples: r.samples,
    })),
  );
  return { book: summary, results };
}

const SECTIONS = [
  "margin",
  "engine",
  "sim",
  "desk",
  "var",
  "liquidity",
  "garch",
  "liqindex",
  "venue",
  "server",
] as const;

/**
 * The liquidation-index section: the margin section's 1,000,000-position BTCUSDT book at 67,000,
 * its liquidation prices from `liquidationPriceBatch`, and 2,000 mark ticks of ±2 bp (bench/liqindex.ts).
 */
function liqIndexSection(): ReturnType<typeof benchLiqIndex> {
  const btc = binanceUsdm().tierTable("BTCUSDT").tiers;
  const book = isolatedBook(btc, ISOLATED_POSITIONS, new Xoshiro128(SEED), 50, 5e8);
  const prices = new Float64Array(ISOLATED_POSITIONS);
  liquidationPriceBatch(book, flattenTiers(btc), prices);
  const r = benchLiqIndex(book.size, prices, 67_000, 2_000, 2e-4, SEED);
  console.log(formatLiqIndexBench(r));
  return r;
}

/** Paths of the venue section (the full case is 1,000: `npx tsx bench/venue.ts --paths 1000`). */
const VENUE_PATHS = 50;
/** Accounts of the desk section (the full case is 10,000: `npx tsx bench/desk.ts --accounts 10000`). */
const DESK_ACCOUNTS = 1_000;
type Section = (typeof SECTIONS)[number];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "string" },
      time: { type: "string", default: "2000" },
      only: { type: "string", default: SECTIONS.join(",") },
    },
  });
  const time = Number(values.time);
  const sections = new Set(values.only.split(",").map((x) => x.trim()));
  for (const x of sections)
    if (!(SECTIONS as readonly string[]).includes(x))
      throw new Error(`--only: unknown section ${x} (use ${SECTIONS.join(", ")})`);
  const wanted = (x: Section) => sections.has(x);
  const document: Record<string, unknown> = { seed: SEED, timeBudgetMs: time };
  if (wanted("margin")) {
    console.log("## Margin kernels");
    document.margin = await marginSection(time);
  }
  if (wanted("engine")) {
    console.log("## Engine scaling in n (one cross account)");
    const e = await benchEngine(time);
    console.log(formatEngineBench(e));
    document.engine = e;
  }
  if (wanted("sim")) {
    console.log("## Liquidation Monte Carlo");
    const sim = await benchSim(time);
    console.log(formatSimBench(sim));
    document.sim = sim;
  }
  if (wanted("desk")) {
    console.log("## Desk case: many accounts on the worker pool");
    const desk = await benchDesk(DESK_ACCOUNTS);
    console.log(formatDeskBench(desk));
    document.desk = desk;
  }
  if (wanted("var")) {
    console.log("## VaR / ES");
    const v = await benchVar(time);
    console.log(formatVarBench(v));
    const rolling = benchRollingVar(time);
    console.log(formatRollingVarBench(rolling));
    document.var = v;
    document.rollingVar = rolling;
  }
  if (wanted("liquidity")) {
    console.log("## Order book");
    const l = await benchLiquidity(time);
    console.table(
      l.map((r) => ({
        case: r.name,
        "ops/s": r.opsPerSecond.toFixed(0),
        "ms/op": r.meanMs.toFixed(4),
        "±%": r.rmePercent.toFixed(2),
      })),
    );
    document.liquidity = l;
  }
  if (wanted("garch")) {
    console.log("## GARCH fits (ours and R fGarch in the same run)");
    const g = await benchGarch(time);
    printGarchBench(g);
    document.garch = g;
  }
  if (wanted("liqindex")) {
    console.log("## Liquidation index against a full scan (one symbol, 1,000,000 positions)");
    document.liqindex = liqIndexSection();
  }
  if (wanted("venue")) {
    console.log("## Venue simulator (10,000 accounts × 288 steps, bench/venue.ts)");
    const full = await benchVenueFullModel(VENUE_PATHS);
    console.log(formatVenueFullModelBench(full));
    const v = await benchVenue(time);
    console.log(formatVenueBench(v));
    document.venue = { fullModel: full, againstNumpy: v };
  }
  if (wanted("server")) {
    console.log("## HTTP API load test (liqopt serve, autocannon over loopback, bench/server.ts)");
    const s = await benchServer();
    console.log(formatServerBench(s));
    document.server = s;
  }
  const cpus = os.cpus();
  const machine = {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
  console.log(machine);
  if (values.json !== undefined) {
    document.machine = machine;
    writeFileSync(values.json, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

await main();
