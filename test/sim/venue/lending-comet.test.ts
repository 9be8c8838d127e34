/**
 * Compound III in the lending engine (src/sim/venue/lending-procedure-comet.ts).
 *
 * Parity inside the simulation: the engine's absorb and store-front purchase on a one-account book
 * reproduce comet's own test values (compound-finance/comet `test/absorb-test.ts` @ 17a6e7ac…,
 * `test/buy-collateral-test.ts`, as in test/parity/compound-v3.test.ts) and the rulebook's `absorb`
 * on the same state. Properties (fast-check): the ledger's identities (collateral, debt, reserves,
 * cash) to 1e-9 relative, determinism and bit-identical reruns after `reset()`; no store-front sale
 * while reserves ≥ target; reserves go negative by exactly what absorb paid out.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import type { LendingAccount } from "../../../src/margin/lending.js";
import { fromFixed, toFixed } from "../../../src/math/fixed-point.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import { LendingEngine } from "../../../src/sim/venue/lending-engine.js";
import { drawLendingBook } from "../../../src/sim/venue/lending-population.js";
import { type CometProcedure, cometProcedure } from "../../../src/sim/venue/lending-procedure-comet.js";
import { floatBookOf } from "../../../src/venues/aave-v3/float-view.js";
import {
  absorb,
  assetInfo,
  type Config,
  CUSDCV3_MAINNET_LAUNCH,
  factor,
} from "../../../src/venues/compound-v3.js";
import { assertRel } from "../../helpers/close.js";
import { cometTestMarket } from "../../helpers/comet-market.js";

const market = cometTestMarket;

/** A one-market engine: `symbols` (the base among them), one account per view. */
function engineOf(
  config: Config,
  symbols: string[],
  views: LendingAccount[],
  opts: { reserves: number; gas?: number; calls?: number; reward?: number },
): { engine: LendingEngine; comet: CometProcedure } {
  const engine = new LendingEngine(floatBookOf(views, symbols), {
    assets: symbols.map((symbol) => ({ symbol, liquidationBonus: 0, protocolFeeShare: 0 })),
    gasUsdPerCall: opts.gas ?? 0,
    callsPerStep: opts.calls ?? 1,
    procedure: cometProcedure({
      config,
      reserves: opts.reserves,
      ...(opts.reward === undefined ? {} : { absorbReward: opts.reward }),
    }),
  });
  return { engine, comet: engine.procedure as CometProcedure };
}

/** The liquidate collateral factor as Comet stores it (4 decimals): the book's LT. */
const lcf = (config: Config, symbol: string) =>
  fromFixed(assetInfo(config, symbol).liquidateCollateralFactor, 18);
function view(config: Config, collateral: [string, number][], debt: number): LendingAccount {
  return {
    collateral: collateral.map(([symbol, amount]) => ({
      symbol,
      amount,
      price: 0,
      liquidationThreshold: lcf(config, symbol),
      ltv: 0,
    })),
    debt: debt > 0 ? [{ symbol: config.baseSymbol, amount: debt, price: 1 }] : [],
  };
}

describe("Compound III in the lending engine: absorb and buyCollateral equal comet's test values", () => {
  const ASSETS = [
    { symbol: "COMP", decimals: 18 },
    { symbol: "WETH", decimals: 18 },
    { symbol: "WBTC", decimals: 8 },
  ];
  const SYMBOLS = ["COMP", "WETH", "WBTC", "USDC"];
  const PRICES = Float64Array.of(175, 3_000, 41_000, 1);

  it("absorb-test 'more than enough collateral': debt 44,175 USDC − 1 wei → the account keeps 1 wei; reserves 44,174.999999 → −1 wei", () => {
    const m23 = market(
      ASSETS.map((a) => ({
        ...a,
        borrowCollateralFactor: factor("0.5"),
        liquidateCollateralFactor: 666_666_666_666_666_600n,
      })),
    );
    const debt = 44_174.999999;
    const account = view(
      m23,
      [
        ["COMP", 1],
        ["WETH", 1],
        ["WBTC", 1],
      ],
      debt,
    );
    // Gas 1 USD: at a 0 % discount no buyer takes the lot, so the reserves are absorb's alone.
    const { engine, comet } = engineOf(m23, SYMBOLS, [account], { reserves: debt, gas: 1 });
    const rulebook = absorb(
      m23,
      { baseBalance: -44_174_999_999n, collateral: { COMP: 10n ** 18n, WETH: 10n ** 18n, WBTC: 10n ** 8n } },
      comet.pricesAt(PRICES),
      44_174_999_999n,
    );
    engine.step(PRICES, PRICES);
    assert.equal(comet.totals.absorbs, 1);
    assert.equal(comet.reserves, -1n);
    assert.equal(comet.reserves, rulebook.reservesAfter);
    assert.equal(engine.ledger.credit, 0.000001); // the account keeps 1 wei of USDC
    assert.equal(comet.totals.shortfallUsd, 0);
    assert.deepEqual(comet.collateralReserves, [10n ** 18n, 10n ** 18n, 10n ** 8n, 0n]);
    assert.equal(comet.totals.storeFrontSales, 0);
    assert.equal(comet.totals.storeFrontUnprofitable, 3);
    assert.ok(engine.ledger.imbalance() <= 1e-12);
  });

  it("absorb-test '100 wei of debt, no collateral': reserves 100 → 0 wei; from 0 they go negative by exactly the shortfall", () => {
    const m = market(ASSETS);
    const { engine, comet } = engineOf(m, SYMBOLS, [view(m, [], 0.0001)], { reserves: 0.0001 });
    engine.step(PRICES, PRICES);
    assert.equal(comet.reserves, 0n);
    const fromZero = engineOf(m, SYMBOLS, [view(m, [], 0.0001)], { reserves: 0 });
    fromZero.engine.step(PRICES, PRICES);
    assert.equal(fromZero.comet.reserves, -100n);
    assertRel(fromZero.comet.totals.shortfallUsd, 0.0001, 1e-12, "shortfall");
    assert.equal(fromZero.comet.totals.minReserves, -0.0001);
  });

  it("buy-collateral-test: storeFront 0.5, liquidationFactor 0.8, COMP $1 → 50 USDC buys 55,555,555,555,555,555,555 COMP wei", () => {
    const m = market([{ symbol: "COMP", decimals: 18, liquidationFactor: factor("0.8") }], {
      storeFrontPriceFactor: factor("0.5"),
      targetReserves: 100n,
    });
    const comp = 55.55555555555556;
    const prices = Float64Array.of(1, 1);
    const { engine, comet } = engineOf(m, ["COMP", "USDC"], [view(m, [["COMP", comp]], 60)], { reserves: 0 });
    engine.step(prices, prices);
    assert.equal(comet.totals.absorbs, 1);
    // absorb: credit ⌊55.5…·0.8⌋ USDC, reserves 0 → −60 USDC; buyCollateral: + 50 USDC.
    assert.equal(comet.totals.storeFrontSales, 1);
    assert.equal(toFixed(comp, 18) - (comet.collateralReserves[0] as bigint), 55_555_555_555_555_555_555n);
    assert.equal(comet.reserves, -10_000_000n);
    assertRel(comet.totals.shortfallUsd, 60 - comp * 0.8, 1e-6, "shortfall (credit floored to 1e-6 USDC)");
    // The buyer sold 55.56 COMP at $1 for 50 USDC bought at $1.
    assertRel(engine.totals.liquidatorPnlUsd, comp - 50, 1e-9, "buyer's result");
    assert.ok(engine.ledger.imbalance() <= 1e-12);
  });

  it("no store-front sale while reserves ≥ targetReserves; the same book sells below it", () => {
    const m = market([{ symbol: "COMP", decimals: 18, liquidationFactor: factor("0.8") }], {
      storeFrontPriceFactor: factor("0.5"),
      targetReserves: 1_000_000_000n, // 1,000 USDC
    });
    const prices = Float64Array.of(1, 1);
    const run = (reserves: number) => {
      const r = engineOf(m, ["COMP", "USDC"], [view(m, [["COMP", 50]], 60)], { reserves });
      for (let t = 0; t < 5; t++) r.engine.step(prices, prices);
      return r.comet;
    };
    const rich = run(2_000); // 2,000 − 60 ≥ 1,000
    assert.equal(rich.totals.absorbs, 1);
    assert.equal(rich.totals.storeFrontSales, 0);
    assert.equal(rich.collateralReserves[0], 50n * 10n ** 18n);
    const poor = run(500);
    assert.equal(poor.totals.storeFrontSales, 1);
    assert.ok((poor.collateralReserves[0] as bigint) < 10n ** 12n);
  });

  it("a buyer does not buy when the market is below the discounted price; the absorber pays gas and gets the reward", () => {
    const m = market([{ symbol: "COMP", decimals: 18, liquidationFactor: factor("0.8") }], {
      storeFrontPriceFactor: factor("0.5"),
      targetReserves: 10n ** 12n,
    });
    const oracle = Float64Array.of(1, 1);
    const crashed = Float64Array.of(0.85, 1); // discounted price 0.9 > market 0.85
    const { engine, comet } = engineOf(m, ["COMP", "USDC"], [view(m, [["COMP", 50]], 60)], {
      reserves: 0,
      gas: 5,
      reward: 2,
    });
    engine.step(oracle, crashed);
    assert.equal(comet.totals.storeFrontSales, 0);
    assert.equal(comet.totals.storeFrontUnprofitable, 1);
    assert.equal(comet.reserves, -62_000_000n); // −60 paid out, −2 reward
    assertRel(engine.totals.liquidatorPnlUsd, 2 - 5, 1e-12, "absorber");
    assert.ok(engine.ledger.imbalance() <= 1e-12);
  });

  it("refuses a book that does not fit the market, naming the field", () => {
    const m = market(ASSETS);
    const bad = (views: LendingAccount[]) => () => engineOf(m, SYMBOLS, views, { reserves: 0 });
    assert.throws(
      bad([{ collateral: [], debt: [{ symbol: "WETH", amount: 1, price: 1 }] }]),
      (e: unknown) => e instanceof InputError && e.field === "book.debtReserve[0]",
    );
    assert.throws(
      bad([
        {
          ...view(m, [["COMP", 1]], 10),
          collateral: [{ symbol: "COMP", amount: 1, price: 1, liquidationThreshold: 0.5, ltv: 0 }],
        },
      ]),
      (e: unknown) => e instanceof InputError && e.field === "book.collLt[0]",
    );
    assert.throws(
      () => engineOf({ ...m, baseSymbol: "DAI" }, SYMBOLS, [], { reserves: 0 }),
      (e: unknown) => e instanceof InputError && e.field === "procedure.baseSymbol",
    );
  });
});

/** A drawn cUSDCv3 book (launch configuration): WETH and WBTC collateral, USDC debt. */
const C = CUSDCV3_MAINNET_LAUNCH;
const SYMBOLS = ["WETH", "WBTC", "USDC"];
const SPEC = {
  count: 150,
  totalDebtUsd: 5e7,
  size: { tailIndex: 1.2, minUsd: 500, maxUsd: 5e6 },
  healthFactor: { min: 1.01, median: 1.3, sigma: 0.8 },
  collateral: [
    { asset: 0, weight: 0.7 },
    { asset: 1, weight: 0.3 },
  ],
  secondCollateralShare: 0.3,
  debt: [{ asset: 2, weight: 1 }],
  liquidationThreshold: [lcf(C, "WETH"), lcf(C, "WBTC"), 0.5], // USDC is never collateral
  price: [3_000, 100_000, 1],
};
const IMPACT = { y: 0.7, dailyVol: 0.04, dailyVolumeUsd: 1e9, halfLifeSteps: 5 };

function drawnEngine(
  seed: number,
  reserves: number,
  gas: number,
): { engine: LendingEngine; comet: CometProcedure } {
  const engine = new LendingEngine(drawLendingBook(SPEC, new Xoshiro128(seed)), {
    assets: SYMBOLS.map((symbol) => ({ symbol, liquidationBonus: 0, protocolFeeShare: 0, impact: IMPACT })),
    gasUsdPerCall: gas,
    callsPerStep: 2,
    procedure: cometProcedure({ config: C, reserves }),
  });
  return { engine, comet: engine.procedure as CometProcedure };
}

/** Steps the engine through cumulative log-moves of WETH and WBTC (USDC at 1); the path's figures. */
function run(e: { engine: LendingEngine; comet: CometProcedure }, moves: number[]) {
  e.engine.reset();
  const p = Float64Array.from(SPEC.price);
  const out: number[] = [];
  for (const m of moves) {
    p[0] = (p[0] as number) * Math.exp(1.3 * m);
    p[1] = (p[1] as number) * Math.exp(m);
    e.engine.step(p, p);
    out.push(e.engine.record.repaidUsd, e.engine.totals.liquidatorPnlUsd, e.comet.reservesTokens);
  }
  return { out, totals: { ...e.comet.totals }, reserves: e.comet.reserves };
}

const movesArb = fc.array(fc.double({ min: -0.12, max: 0.04, noNaN: true }), { minLength: 1, maxLength: 25 });

describe("Compound III in the lending engine: properties", () => {
  it("conserves collateral, debt, reserves and cash to 1e-9 relative; the ledger's protocol collateral is Comet's (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        movesArb,
        fc.double({ min: -1e6, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (seed, moves, reserves, gas) => {
          const e = drawnEngine(seed, reserves, gas);
          const { totals } = run(e, moves);
          const { ledger } = e.engine;
          assert.ok(ledger.imbalance() <= 1e-9, `imbalance ${ledger.imbalance()}`);
          // The ledger's collateral (floats) and reserves are Comet's (units) to a unit per absorb
          // and purchase: the float amounts cross to the rulebook rounded to the token's units.
          const events = totals.absorbs + totals.storeFrontSales + 1;
          [18, 8].forEach((dec, a) => {
            const units = fromFixed(e.comet.collateralReserves[a] as bigint, dec);
            const held = ledger.protocolHeld[a] as number;
            // … plus the float rounding of the ledger's sums, relative to the book's collateral.
            const slack = events * 10 ** -dec + 1e-12 * (ledger.startCollateral[a] as number);
            assert.ok(Math.abs(held - units) <= slack, `protocol collateral ${a}: ${held} vs ${units}`);
          });
          assert.ok(
            Math.abs(ledger.reserves - e.comet.reservesTokens) <= events * 1e-6,
            `reserves ${ledger.reserves} vs ${e.comet.reservesTokens}`,
          );
          // Absorbed accounts hold nothing; no account still borrowing is below HF 1 and absorbable.
          assert.ok(totals.absorbs <= SPEC.count);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is deterministic and bit-identical after reset (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), movesArb, (seed, moves) => {
        const a = drawnEngine(seed, 0, 20);
        const b = drawnEngine(seed, 0, 20);
        const first = run(a, moves);
        assert.deepEqual(run(b, moves), first);
        assert.deepEqual(run(a, moves), first);
      }),
      { numRuns: 30 },
    );
  });

  it("never sells on the store front while reserves stay ≥ targetReserves (property)", () => {
    // Reserves above target plus the whole book's debt: absorbs can never bring them below target.
    const rich = 5e6 + SPEC.totalDebtUsd * 1.01;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), movesArb, (seed, moves) => {
        const e = drawnEngine(seed, rich, 0);
        const { totals } = run(e, moves);
        assert.equal(totals.storeFrontSales, 0);
        assert.ok(e.comet.reserves >= C.targetReserves);
        const held = e.comet.collateralReserves.reduce((x, y) => x + y, 0n);
        assert.equal(held > 0n, totals.absorbs > 0, "absorbed collateral stays with the protocol");
      }),
      { numRuns: 30 },
    );
  });

  it("a crash absorbs accounts, the reserves fall by what absorb paid out, and the store front buys back", () => {
    const e = drawnEngine(3, 0, 10);
    const { totals } = run(e, [-0.05, -0.1, -0.1, 0, 0, 0]);
    assert.ok(totals.absorbs > 0);
    assert.ok(totals.storeFrontSales > 0);
    const { ledger } = e.engine;
    // reserves = start − (debt wiped + credit) + store-front base (rewards 0)
    assertRel(ledger.reserves, -ledger.paidOut + ledger.storeFront, 1e-12, "reserves");
    assertRel(ledger.paidOut, (ledger.absorbed[2] as number) + ledger.credit, 1e-12, "paid out");
  });
});
