/**
 * Scaling of the general margin engine in the number of positions: `liquidationPrices` on one
 * cross account of 10, 100, 1,000 and 10,000 linear positions, each on its own symbol (named
 * `BTCUSDT-0`, `ETHUSDT-1`, … and margined on the real 2024-10 Binance USDⓈ-M brackets of its base
 * symbol), entry notionals log-uniform $50–$2M and the mark up to 3 % from the entry, wallet a tenth
 * of the total notional; and the tier flattening of the batch kernels, cached per table
 * (`crossBookFromAccounts` for one 10-position account) against building a table's bucket index anew.
 *
 * On the 10,000-position document of issue 10 §6 (bench/big-account.ts, every position a short, so
 * that the collateral for a target is in reach): the `what-if --target-distance 0.1` workflow on a
 * parsed account, and one step of a search on collateral, as the trader's bisections take it, by
 * `positionSolver` against the whole-account `liquidationPrices` and `accountMargin` it replaces.
 *
 * Both wall time (tinybench, median) and CPU time per call (`process.cpuUsage` over the same calls)
 * are reported, since the machine may be shared. `npx tsx bench/engine.ts [--time <ms>]` runs it
 * standalone; bench/run.ts calls {@link benchEngine}.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { accountMargin } from "../src/margin/account.js";
import { crossBookFromAccounts, flattenTiers } from "../src/margin/batch.js";
import { liquidationPrices } from "../src/margin/liquidation.js";
import { positionSolver } from "../src/margin/position-solver.js";
import type { Account, Position } from "../src/margin/types.js";
import { Xoshiro128 } from "../src/math/random.js";
import { resolveAccountDocument } from "../src/venues/account-document.js";
import { binanceUsdm } from "../src/venues/binance-usdm.js";
import { perpWhatIfReport } from "../src/venues/perp-what-if.js";
import { bigAccountDocument } from "./big-account.js";
import { SYMBOLS } from "./symbols.js";

const SIZES = [10, 100, 1_000, 10_000] as const;
const SEED = 20241024;

/** One measured case. */
export interface EngineBenchCase {
  name: string;
  /** Positions per call (1 for the flattening cases). */
  positions: number;
  medianMs: number;
  meanMs: number;
  /** CPU time per call over the timed calls, milliseconds. */
  cpuMs: number;
  /** Median wall time per position, microseconds. */
  usPerPosition: number;
  samples: number;
}

/** A cross account of `n` positions, each on its own symbol (see the module comment). */
function crossAccount(n: number, rng: Xoshiro128): Account {
  const venue = binanceUsdm();
  let total = 0;
  const positions = Array.from({ length: n }, (_, i): Position => {
    const { symbol, mark } = SYMBOLS[i % SYMBOLS.length] as { symbol: string; mark: number };
    const notional = rng.logUniform(50, 2e6);
    total += notional;
    const entry = mark / (1 + (2 * rng.next() - 1) * 0.03);
    return {
      instrument: { symbol: `${symbol}-${i}`, kind: "linear", contractSize: 1, marginAsset: "USDT" },
      tiers: venue.tierTable(symbol).tiers,
      size: ((rng.next() < 0.5 ? 1 : -1) * notional) / entry,
      entryPrice: entry,
      markPrice: mark,
      positionSide: "BOTH",
      accruedFunding: 0,
    };
  });
  return { marginMode: "cross", walletBalance: total / 10, positions };
}

/** Runs the cases for about `timeMs` each. */
export async function benchEngine(timeMs: number): Promise<EngineBenchCase[]> {
  const rules = binanceUsdm().rules;
  const rng = new Xoshiro128(SEED);
  const bench = new Bench({ name: "engine", time: timeMs, warmupTime: 300 });
  const positions = new Map<string, number>();
  const cpu = new Map<string, number>();
  const add = (name: string, n: number, fn: () => unknown): void => {
    positions.set(name, n);
    let started = process.cpuUsage();
    let calls = 0;
    bench.add(name, fn, {
      beforeAll: () => {
        started = process.cpuUsage();
        calls = 0;
      },
      afterEach: () => {
        calls++;
      },
      afterAll: () => {
        const used = process.cpuUsage(started);
        cpu.set(name, (used.user + used.system) / 1000 / Math.max(1, calls));
      },
    });
  };
  for (const n of SIZES) {
    const account = crossAccount(n, rng);
    add(`liquidationPrices, cross account of ${n} positions`, n, () => liquidationPrices(account, rules));
  }
  const small = crossAccount(10, rng);
  add("crossBookFromAccounts, one account of 10 (tier tables cached)", 1, () =>
    crossBookFromAccounts([small], 10),
  );
  const btc = binanceUsdm().tierTable("BTCUSDT").tiers;
  add("flattenTiers of a new BTCUSDT table (bucket index built)", 1, () =>
    flattenTiers(btc.map((t) => ({ ...t }))),
  );
  const big = bigAccountDocument(10_000) as { positions: { size: number }[] };
  for (const p of big.positions) p.size = -p.size;
  const resolved = resolveAccountDocument(big);
  const { account } = resolved;
  add("what-if --target-distance 0.1, 10,000 positions", 10_000, () =>
    perpWhatIfReport(resolved, 0, { kind: "target-distance", distance: 0.1 }),
  );
  const solver = positionSolver(account, resolved.rules, 0);
  let wallet = account.walletBalance;
  const nextWallet = () => {
    wallet = wallet === account.walletBalance ? wallet / 2 : account.walletBalance;
    return { ...account, walletBalance: wallet };
  };
  add("collateral search step by positionSolver, 10,000 positions", 10_000, () => solver.solve(nextWallet()));
  add("collateral search step by the whole account, 10,000 positions", 10_000, () => {
    const next = nextWallet();
    return [liquidationPrices(next, resolved.rules)[0], accountMargin(next, resolved.rules).equity];
  });
  await bench.run();
  return bench.tasks.map((task) => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
    const n = positions.get(task.name) ?? 1;
    return {
      name: task.name,
      positions: n,
      medianMs: r.latency.p50,
      meanMs: r.latency.mean,
      cpuMs: cpu.get(task.name) ?? Number.NaN,
      usPerPosition: (r.latency.p50 * 1000) / n,
      samples: r.latency.samplesCount,
    };
  });
}

/** The cases as a table. */
export function formatEngineBench(cases: readonly EngineBenchCase[]): string {
  const rows = cases.map(
    (c) =>
      `${c.name.padEnd(64)} ${c.medianMs.toFixed(4).padStart(10)} ms median ${c.cpuMs.toFixed(4).padStart(10)} ms CPU ${c.usPerPosition.toFixed(3).padStart(9)} µs/position (median)`,
  );
  return rows.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { time: { type: "string", default: "2000" } } });
  console.log(formatEngineBench(await benchEngine(Number(values.time))));
}
