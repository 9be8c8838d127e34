/**
 * `npx tsx bench/aave-hf.ts [--time <ms>] [--accounts <n>]`: Aave v3 health factors per second,
 * exact (bigint, `healthFactorWad` as GenericLogic computes it, input checks included) against float
 * (`healthFactorsBatch` over typed arrays, and `healthFactorFloat` through the LendingAccount view).
 * Single-threaded. Standalone: not part of `npm run bench` (bench/run.ts).
 *
 * The book: seeded (xoshiro128**, seed 20250301) accounts on an illustrative 6-reserve market
 * (WETH, wstETH, WBTC, USDC, USDT, DAI), each with 1–3 collaterals worth $100–$1M (log-uniform) and
 * 1–2 debts sized for a health factor uniform in [0.8, 3]; 1 in 5 accounts in the ETH e-mode.
 * The float goal is ≥ 20 million health factors per second on one core.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { fromFixed } from "../src/math/fixed-point.js";
import { Xoshiro128 } from "../src/math/random.js";
import {
  type Account,
  createFloatBook,
  healthFactorFloat,
  healthFactorsBatch,
  healthFactorWad,
  type Market,
} from "../src/venues/aave-v3.js";

const SEED = 20250301;

const MARKET: Market = {
  name: "illustrative (bench)",
  version: "3.7",
  reserves: [
    {
      symbol: "WETH",
      decimals: 18,
      ltvBps: 8_050,
      liquidationThresholdBps: 8_300,
      liquidationBonusBps: 10_500,
      liquidationProtocolFeeBps: 1_000,
    },
    {
      symbol: "wstETH",
      decimals: 18,
      ltvBps: 7_850,
      liquidationThresholdBps: 8_100,
      liquidationBonusBps: 10_600,
      liquidationProtocolFeeBps: 1_000,
    },
    {
      symbol: "WBTC",
      decimals: 8,
      ltvBps: 7_300,
      liquidationThresholdBps: 7_800,
      liquidationBonusBps: 10_500,
      liquidationProtocolFeeBps: 1_000,
    },
    {
      symbol: "USDC",
      decimals: 6,
      ltvBps: 7_500,
      liquidationThresholdBps: 7_800,
      liquidationBonusBps: 10_450,
      liquidationProtocolFeeBps: 1_000,
    },
    {
      symbol: "USDT",
      decimals: 6,
      ltvBps: 7_500,
      liquidationThresholdBps: 7_800,
      liquidationBonusBps: 10_450,
      liquidationProtocolFeeBps: 1_000,
    },
    {
      symbol: "DAI",
      decimals: 18,
      ltvBps: 6_300,
      liquidationThresholdBps: 7_700,
      liquidationBonusBps: 10_500,
      liquidationProtocolFeeBps: 1_000,
    },
  ],
  eModeCategories: [
    {
      id: 1,
      label: "ETH correlated",
      ltvBps: 9_300,
      liquidationThresholdBps: 9_500,
      liquidationBonusBps: 10_100,
      collateralSymbols: ["WETH", "wstETH"],
    },
  ],
};
const PRICES: Record<string, bigint> = {
  WETH: 3_000n * 10n ** 8n,
  wstETH: 3_550n * 10n ** 8n,
  WBTC: 65_000n * 10n ** 8n,
  USDC: 10n ** 8n,
  USDT: 99_980_000n,
  DAI: 100_010_000n,
};

function tokens(usd: number, symbol: string): bigint {
  const r = MARKET.reserves.find((x) => x.symbol === symbol);
  const price = PRICES[symbol] as bigint;
  return (BigInt(Math.round(usd * 1e4)) * 10_000n * 10n ** BigInt(r?.decimals ?? 18)) / price;
}

function makeAccounts(n: number, rng: Xoshiro128): Account[] {
  const symbols = MARKET.reserves.map((r) => r.symbol);
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const eMode = rng.next() < 0.2;
    const nColl = 1 + rng.int(3);
    const nDebt = 1 + rng.int(2);
    const coll = new Set<string>();
    while (coll.size < nColl)
      coll.add(eMode && coll.size === 0 ? "wstETH" : (symbols[rng.int(symbols.length)] as string));
    let weighted = 0;
    const supplies = [...coll].map((s) => {
      const usd = 100 * 10_000 ** rng.next();
      const lt =
        (eMode && (s === "WETH" || s === "wstETH")
          ? 9_500
          : (MARKET.reserves.find((r) => r.symbol === s)?.liquidationThresholdBps ?? 0)) / 1e4;
      weighted += usd * lt;
      return { symbol: s, balance: tokens(usd, s) };
    });
    const debtUsd = weighted / (0.8 + 2.2 * rng.next());
    const debtSyms = new Set<string>();
    while (debtSyms.size < nDebt)
      debtSyms.add(
        eMode ? (debtSyms.size === 0 ? "WETH" : "USDC") : (symbols[rng.int(symbols.length)] as string),
      );
    const borrows = [...debtSyms].map((s) => ({ symbol: s, balance: tokens(debtUsd / nDebt, s) }));
    out.push({ supplies, borrows, prices: PRICES, ...(eMode ? { eModeCategoryId: 1 } : {}) });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { time: { type: "string", default: "2000" }, accounts: { type: "string", default: "1000000" } },
  });
  const time = Number(values.time);
  const nFloat = Number(values.accounts);
  const nExact = Math.min(10_000, nFloat);
  const rng = new Xoshiro128(SEED);
  const accounts = makeAccounts(nFloat, rng);
  const book = createFloatBook(accounts, MARKET);
  const prices = Float64Array.from(MARKET.reserves, (r) => fromFixed(PRICES[r.symbol] as bigint, 8));
  const out = new Float64Array(nFloat);
  const exactSample = accounts.slice(0, nExact);

  // check before timing: the kernel, the LendingAccount view and the exact HF agree
  healthFactorsBatch(book, prices, out);
  let worst = 0;
  for (let i = 0; i < nExact; i++) {
    const a = accounts[i] as Account;
    const exact = Number(healthFactorWad(a, MARKET)) / 1e18;
    const view = healthFactorFloat(a, MARKET);
    if (out[i] !== view) throw new Error(`kernel and LendingAccount view differ on account ${i}`);
    worst = Math.max(worst, Math.abs(exact - view) / view);
  }
  if (worst > 1e-9) throw new Error(`exact and float HF differ by ${worst} (relative)`);
  const entries = book.collAmount.length + book.debtAmount.length;

  const bench = new Bench({ name: "Aave v3 health factors", time, warmupTime: 500, iterations: 10 });
  const cases: { name: string; items: number; fn: () => void }[] = [
    {
      name: "float healthFactorsBatch (typed arrays)",
      items: nFloat,
      fn: () => void healthFactorsBatch(book, prices, out),
    },
    {
      name: "float healthFactorFloat (LendingAccount view)",
      items: nExact,
      fn: () => {
        for (const a of exactSample) healthFactorFloat(a, MARKET);
      },
    },
    {
      name: "exact healthFactorWad (bigint, checks included)",
      items: nExact,
      fn: () => {
        for (const a of exactSample) healthFactorWad(a, MARKET);
      },
    },
  ];
  for (const c of cases) bench.add(c.name, c.fn);
  await bench.run();
  console.log(
    `book: ${nFloat.toLocaleString("en-US")} accounts, ${entries.toLocaleString("en-US")} positions ` +
      `(${(entries / nFloat).toFixed(2)} per account); exact sample ${nExact.toLocaleString("en-US")}; ` +
      `max |exact − float| / float on the sample: ${worst.toExponential(2)}`,
  );
  const rows = bench.tasks.map((task, i) => {
    const r = task.result;
    const items = cases[i]?.items ?? 0;
    if (r === undefined || !("latency" in r)) return { case: task.name, "HF/s": "failed" };
    return {
      case: task.name,
      "HF/s (mean)": Math.round((items * 1000) / r.latency.mean).toLocaleString("en-US"),
      "HF/s (median)": Math.round((items * 1000) / r.latency.p50).toLocaleString("en-US"),
      "ms/call": r.latency.mean.toFixed(3),
      "rme %": r.latency.rme.toFixed(2),
      samples: r.latency.samplesCount,
    };
  });
  console.table(rows);
  const cpu = os.cpus()[0];
  console.log(
    `machine: ${cpu?.model ?? "?"} (${os.cpus().length} cores), ${os.platform()} ${os.release()}, Node ${process.version}`,
  );
}

await main();
