/**
 * The lending engine (src/sim/venue/lending-engine.ts).
 *
 * Independent check: the engine's liquidation of one account against the exact Aave v3 rulebook
 * `liquidationCall` (src/venues/aave-v3/liquidation-call.ts, itself parity-tested against Aave's own
 * tests in test/parity/aave-v3.test.ts) on the same state, for the close factor's three cases
 * (50 % of the position's debt, 100 % below HF 0.95, 100 % of a small reserve), the collateral cap
 * and the v3.3 deficit. Properties (fast-check): conservation of the ledger per asset and of cash to
 * 1e-9 relative, determinism, and bit-identical reruns after `reset()`; the toxic case
 * LT·(1 + bonus) ≥ 1 (each call lowers HF) and the rational liquidator.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { fromFixed } from "../../../src/math/fixed-point.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { LendingEngine, type LendingMarketParams } from "../../../src/sim/venue/lending-engine.js";
import {
  drawLendingBook,
  type LendingPopulationSpec,
  lendingAssetsOf,
} from "../../../src/sim/venue/lending-population.js";
import { createFloatBook } from "../../../src/venues/aave-v3/float-view.js";
import { liquidationCall } from "../../../src/venues/aave-v3/liquidation-call.js";
import type { Account, Market } from "../../../src/venues/aave-v3/types.js";
import { assertRel } from "../../helpers/close.js";

const MARKET: Market = {
  name: "test",
  version: "3.7",
  reserves: [
    {
      symbol: "WETH",
      decimals: 18,
      ltvBps: 8050,
      liquidationThresholdBps: 8300,
      liquidationBonusBps: 10500,
      liquidationProtocolFeeBps: 1000,
    },
    {
      symbol: "WBTC",
      decimals: 8,
      ltvBps: 7300,
      liquidationThresholdBps: 7800,
      liquidationBonusBps: 10500,
      liquidationProtocolFeeBps: 1000,
    },
    {
      symbol: "USDC",
      decimals: 6,
      ltvBps: 7500,
      liquidationThresholdBps: 7800,
      liquidationBonusBps: 10450,
      liquidationProtocolFeeBps: 1000,
    },
    {
      symbol: "USDT",
      decimals: 6,
      ltvBps: 7500,
      liquidationThresholdBps: 7800,
      liquidationBonusBps: 10450,
      liquidationProtocolFeeBps: 1000,
    },
  ],
};
const ORDER = MARKET.reserves.map((r) => r.symbol);
const unit = (s: string) => 10n ** BigInt(MARKET.reserves.find((r) => r.symbol === s)?.decimals ?? 0);
const tokens = (s: string, x: number) => (BigInt(Math.round(x * 1e6)) * unit(s)) / 1_000_000n;
const PRICES = { WETH: 3_000_00000000n, WBTC: 100_000_00000000n, USDC: 1_00000000n, USDT: 1_00000000n };
const priceArray = (p: Record<string, bigint>) =>
  Float64Array.from(ORDER, (s) => fromFixed(p[s] as bigint, 8));

function account(supplies: [string, number][], borrows: [string, number][]): Account {
  return {
    supplies: supplies.map(([symbol, x]) => ({ symbol, balance: tokens(symbol, x) })),
    borrows: borrows.map(([symbol, x]) => ({ symbol, balance: tokens(symbol, x) })),
    prices: PRICES,
  };
}

const PARAMS: LendingMarketParams = { assets: lendingAssetsOf(MARKET), gasUsdPerCall: 0, callsPerStep: 1 };

/** One call of the engine on `a` at its own prices, market = oracle, no gas, no impact. */
function engineCall(a: Account): LendingEngine {
  const engine = new LendingEngine(createFloatBook([a], MARKET, ORDER), PARAMS);
  const p = priceArray(a.prices);
  engine.step(p, p);
  return engine;
}

describe("lending engine: one liquidation equals the Aave v3 rulebook's liquidationCall", () => {
  const cases: [string, Account, string, string][] = [
    [
      "HF in (0.95, 1): 50 % of the position's debt",
      account([["WETH", 10]], [["USDC", 25_500]]),
      "WETH",
      "USDC",
    ],
    ["HF ≤ 0.95: 100 % of the reserve's debt", account([["WETH", 10]], [["USDC", 26_500]]), "WETH", "USDC"],
    [
      "two collaterals and two debts, HF in (0.95, 1)",
      account(
        [
          ["WETH", 6],
          ["WBTC", 0.1],
        ],
        [
          ["USDC", 16_000],
          ["USDT", 7_300],
        ],
      ),
      "WETH",
      "USDC",
    ],
    ["small reserve (< 2,000 USD): 100 %", account([["WETH", 0.5]], [["USDC", 1_290]]), "WETH", "USDC"],
    [
      "collateral capped: all seized, the rest is deficit",
      account([["WETH", 10]], [["USDC", 29_000]]),
      "WETH",
      "USDC",
    ],
  ];
  for (const [name, a, collateral, debt] of cases) {
    it(name, () => {
      const exact = liquidationCall(a, MARKET, { collateral, debt, debtToCover: "max" });
      const engine = engineCall(a);
      const l = engine.ledger;
      const c = ORDER.indexOf(collateral);
      const d = ORDER.indexOf(debt);
      const dec = (s: string) => MARKET.reserves[ORDER.indexOf(s)]?.decimals ?? 0;
      assert.equal(engine.totals.calls, 1);
      assertRel(l.repaid[d], fromFixed(exact.debtRepaid, dec(debt)), 1e-9, "debt repaid");
      assertRel(
        (l.treasury[c] as number) + (l.sold[c] as number),
        fromFixed(exact.collateralSeized, dec(collateral)),
        1e-9,
        "collateral seized",
      );
      assertRel(l.treasury[c], fromFixed(exact.protocolFee, dec(collateral)), 1e-6, "protocol fee");
      const deficit = exact.deficit.reduce((s, x) => s + fromFixed(x.amount, dec(x.symbol)), 0);
      assert.equal(engine.totals.deficitAccounts, deficit > 0 ? 1 : 0);
      // The exact deficit is in whole USDC units (1e-6): relative 1e-8 at a few hundred USDC.
      if (deficit > 0) assertRel(l.deficit[d], deficit, 1e-8, "deficit");
    });
  }

  it("a healthy account is not liquidated", () => {
    const engine = engineCall(account([["WETH", 10]], [["USDC", 20_000]]));
    assert.equal(engine.totals.calls, 0);
    assert.equal(engine.ledger.repaid[2], 0);
  });
});

const SPEC: LendingPopulationSpec = {
  count: 200,
  totalDebtUsd: 5e7,
  size: { tailIndex: 1.2, minUsd: 1_000, maxUsd: 2e7 },
  healthFactor: { min: 1.03, median: 1.5, sigma: 0.7 },
  collateral: [
    { asset: 0, weight: 0.6 },
    { asset: 1, weight: 0.4 },
  ],
  secondCollateralShare: 0.3,
  debt: [
    { asset: 2, weight: 0.7 },
    { asset: 3, weight: 0.3 },
  ],
  liquidationThreshold: [0.83, 0.78, 0.78, 0.78],
  price: [3_000, 100_000, 1, 1],
};
const IMPACT = { y: 0.7, dailyVol: 0.04, dailyVolumeUsd: 5e8, halfLifeSteps: 10 };

function run(engine: LendingEngine, moves: readonly number[]): number[] {
  engine.reset();
  const p = Float64Array.from(SPEC.price);
  const trace: number[] = [];
  for (const m of moves) {
    p[0] = (p[0] as number) * Math.exp(m);
    p[1] = (p[1] as number) * Math.exp(0.8 * m);
    const r = engine.step(p, p);
    trace.push(r.repaidUsd, r.bonusUsd, r.deficitUsd, r.unprofitable);
  }
  return trace;
}

const movesArb = fc.array(fc.double({ min: -0.15, max: 0.05, noNaN: true }), { minLength: 1, maxLength: 30 });

describe("lending engine: properties", () => {
  it("conserves collateral and debt per asset and cash, to 1e-9 relative (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        movesArb,
        fc.double({ min: 0, max: 200, noNaN: true }),
        (seed, moves, gas) => {
          const book = drawLendingBook(SPEC, new Xoshiro128(seed));
          const assets = lendingAssetsOf(MARKET).map((a) => ({ ...a, impact: IMPACT }));
          const engine = new LendingEngine(book, { assets, gasUsdPerCall: gas, callsPerStep: 3 });
          run(engine, moves);
          assert.ok(engine.ledger.imbalance() <= 1e-9, `imbalance ${engine.ledger.imbalance()}`);
          // The ledger's borrower balances are the engine's balances.
          const held = new Float64Array(4);
          engine.balances.collAmount.forEach((x, e) => {
            const a = book.collReserve[e] as number;
            held[a] = (held[a] as number) + x;
          });
          held.forEach((x, a) => {
            assertRel((engine.ledger.borrowerCollateral[a] as number) + 1, x + 1, 1e-9, `collateral ${a}`);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is deterministic and bit-identical after reset (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), movesArb, (seed, moves) => {
        const assets = lendingAssetsOf(MARKET).map((a) => ({ ...a, impact: IMPACT }));
        const a = new LendingEngine(drawLendingBook(SPEC, new Xoshiro128(seed)), {
          assets,
          gasUsdPerCall: 20,
          callsPerStep: 2,
        });
        const b = new LendingEngine(drawLendingBook(SPEC, new Xoshiro128(seed)), {
          assets,
          gasUsdPerCall: 20,
          callsPerStep: 2,
        });
        const first = run(a, moves);
        assert.deepEqual(run(b, moves), first);
        assert.deepEqual(run(a, moves), first);
      }),
      { numRuns: 30 },
    );
  });

  it("a drawn account's HF at the start prices is above the spec's minimum", () => {
    const book = drawLendingBook(SPEC, new Xoshiro128(7));
    const engine = new LendingEngine(book, PARAMS);
    const p = Float64Array.from(SPEC.price);
    engine.step(p, p);
    for (const h of engine.healthFactor) assert.ok(h >= SPEC.healthFactor.min - 1e-12, `HF ${h}`);
    assert.equal(engine.totals.calls, 0);
  });
});

describe("lending engine: the premium and the liquidator", () => {
  it("toxic collateral (LT·(1 + bonus) ≥ 1): each call lowers HF, counted and flagged", () => {
    // Aave's configurator refuses LT·LB > 100 % (the rulebook's market check), so the book is
    // built with the LT as a what-if: 0.97 × 1.05 = 1.0185.
    const a = account([["WETH", 10]], [["USDC", 29_500]]);
    const book = { ...createFloatBook([a], MARKET, ORDER), collLt: Float64Array.of(0.97) };
    const engine = new LendingEngine(book, PARAMS);
    assert.equal(engine.toxic[0], 1);
    const p = priceArray(a.prices);
    const before = engine.accountHealth(0, p);
    engine.step(p, p);
    assert.equal(engine.totals.calls, 1);
    assert.ok(engine.accountHealth(0, p) < before, "HF after < HF before");
    assert.equal(engine.totals.toxicCalls, 1);
    // With Aave's own LT (0.83·1.05 < 1) the same call raises HF.
    const safe = engineCall(account([["WETH", 10]], [["USDC", 25_500]]));
    assert.equal(safe.toxic[0], 0);
    assert.equal(safe.totals.toxicCalls, 0);
  });

  it("no liquidator acts when the market price is below what the oracle pays (stale oracle)", () => {
    const a = account([["WETH", 10]], [["USDC", 25_500]]);
    const engine = new LendingEngine(createFloatBook([a], MARKET, ORDER), PARAMS);
    const oracle = priceArray(a.prices);
    const market = Float64Array.from(oracle);
    market[0] = 0.9 * (oracle[0] as number); // 10 % below the oracle: a 5 % bonus does not pay
    engine.step(oracle, market);
    assert.equal(engine.totals.calls, 0);
    assert.equal(engine.record.unprofitable, 1);
    engine.reset();
    engine.step(oracle, oracle);
    assert.equal(engine.totals.calls, 1);
  });

  it("gas above the bonus stops small liquidations only", () => {
    const small = account([["WETH", 0.5]], [["USDC", 1_290]]); // bonus ≈ 60 USD
    const engine = new LendingEngine(createFloatBook([small], MARKET, ORDER), {
      ...PARAMS,
      gasUsdPerCall: 100,
    });
    const p = priceArray(small.prices);
    engine.step(p, p);
    assert.equal(engine.totals.calls, 0);
    const big = new LendingEngine(
      createFloatBook([account([["WETH", 10]], [["USDC", 25_500]])], MARKET, ORDER),
      {
        ...PARAMS,
        gasUsdPerCall: 100,
      },
    );
    big.step(p, p);
    assert.equal(big.totals.calls, 1);
  });

  it("refuses bad parameters naming the field", () => {
    const book = createFloatBook([account([["WETH", 1]], [["USDC", 1]])], MARKET, ORDER);
    assert.throws(
      () => new LendingEngine(book, { ...PARAMS, callsPerStep: 0 }),
      (e: unknown) => e instanceof InputError && e.field === "callsPerStep",
    );
    assert.throws(
      () => new LendingEngine(book, { ...PARAMS, assets: PARAMS.assets.slice(0, 2) }),
      (e: unknown) => e instanceof InputError && e.field.startsWith("book.debtReserve"),
    );
  });
});
