/**
 * The structure-of-arrays kernels (`src/margin/batch.ts`) against the general engine:
 * `marginCheckBatch` against `accountMargin`, `liquidationPriceBatch` and `crossLiquidationPrices`
 * against `liquidationPrices`, under Binance USDⓈ-M rules on the real 2024-10 BTCUSDT brackets
 * (and random continuous tables), plus the worked examples of the Binance FAQ
 * "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
 * (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { accountMargin } from "../../src/margin/account.js";
import {
  bookFromPositions,
  crossBookFromAccounts,
  crossLiquidationPrices,
  flatTierIndex,
  flattenTiers,
  flattenTierTables,
  isolatedLiquidationPrice,
  liquidationPriceBatch,
  marginCheckBatch,
} from "../../src/margin/batch.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { buildTierTable, type TierTable, tierIndex } from "../../src/margin/tiers.js";
import type { Account, MarginRules, Position } from "../../src/margin/types.js";
import {
  accountArb,
  BTCUSDT_TIERS,
  continuousTierTableArb,
  grossScale,
  linearInstrument,
  logUniform,
  positionArb,
} from "../helpers/arbitraries.js";
import { account, position } from "../helpers/positions.js";

const RULES: MarginRules = { maintenanceBasis: "mark", closeFeeRate: 0, liquidateAtEquality: true };
const RUNS = { seed: 20241024, numRuns: 200, includeErrorInReport: true } as const;
const REL = 1e-12;
const BTC = flattenTiers(BTCUSDT_TIERS);

/**
 * Asserts the kernel's price (NaN for none) agrees with the engine's (null for none) to a relative
 * error of {@link REL}, relative to the price or to `scale` when that is larger.
 */
function assertSamePrice(kernel: number, engine: number | null, what: () => string, scale = 0): void {
  if (engine === null) {
    if (!Number.isNaN(kernel)) assert.fail(`${what()}: engine has no price, kernel gives ${kernel}`);
    return;
  }
  const rel = Math.abs(kernel - engine) / Math.max(engine, scale);
  if (!(rel <= REL)) assert.fail(`${what()}: kernel ${kernel}, engine ${engine}, relative error ${rel}`);
}

/** The tier (within `tiers`) of a linear position's notional at `price`. */
function tierAtPrice(p: Position, price: number): number {
  return tierIndex(p.tiers, Math.abs(p.size) * p.instrument.contractSize * price);
}

/**
 * Isolated linear positions on the BTCUSDT brackets ($10 to $2bn at entry, leverage 1.05–200, mark
 * within ±20 % of entry, with funding), one in five given a margin of 1–3 times its entry notional
 * (a long then has no liquidation price).
 */
const isolatedPositionArb: fc.Arbitrary<Position> = fc
  .tuple(
    positionArb({ kind: "linear", tiers: "real", symbol: "BTCUSDT", funding: true }),
    fc.option(fc.double({ min: 1, max: 3, noNaN: true }), { freq: 4 }),
  )
  .map(([p, cover]) => {
    if (cover === null) return p;
    const notional = Math.abs(p.size) * p.instrument.contractSize * p.entryPrice;
    return { ...p, isolatedMargin: notional * cover };
  });

describe("flat tier lookup", () => {
  it("finds the tier of tierIndex at, just below and between every floor of the BTCUSDT brackets", () => {
    for (const tier of BTCUSDT_TIERS) {
      const f = tier.notionalFloor;
      for (const n of [f, f * (1 - 1e-16), f * (1 + 1e-16), f - 1e-9, f + 1e-9, f * 1.5, f * 0.999_999_999]) {
        assert.equal(flatTierIndex(BTC, 0, n), tierIndex(BTCUSDT_TIERS, n), `notional ${n}`);
      }
    }
    assert.equal(flatTierIndex(BTC, 0, 1e15), BTCUSDT_TIERS.length - 1);
    assert.equal(flatTierIndex(BTC, 0, Number.POSITIVE_INFINITY), BTCUSDT_TIERS.length - 1);
  });

  it("agrees with tierIndex on several random continuous tables flattened together", () => {
    fc.assert(
      fc.property(
        fc.array(continuousTierTableArb(1e5), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), logUniform(1e-3, 1e8)), { minLength: 1, maxLength: 50 }),
        (tables, probes) => {
          const flat = flattenTierTables(tables);
          for (const [pick, notional] of probes) {
            const s = pick % tables.length;
            const table = tables[s] as TierTable;
            const floor = table[pick % table.length]?.notionalFloor ?? 0;
            for (const n of [notional, floor, floor * (1 - 2 ** -52)]) {
              assert.equal(flatTierIndex(flat, s, n) - (flat.start[s] as number), tierIndex(table, n));
            }
          }
        },
      ),
      RUNS,
    );
  });

  it("flattens each table once: the same table object gives the same flat table, and a table listed with others keeps its tiers and index", () => {
    assert.equal(flattenTiers(BTCUSDT_TIERS), BTC);
    assert.equal(flattenTierTables([BTCUSDT_TIERS]), BTC);
    const copy = BTCUSDT_TIERS.map((t) => ({ ...t }));
    assert.notEqual(flattenTiers(copy), BTC);
    const both = flattenTierTables([copy, BTCUSDT_TIERS]);
    const second = both.start[1] as number;
    assert.deepEqual([...both.floors.subarray(second)], [...BTC.floors]);
    assert.deepEqual([...both.mmr.subarray(second)], [...BTC.mmr]);
    assert.deepEqual([...both.bucketTier.subarray(both.bucketStart[1] as number)], [...BTC.bucketTier]);
    assert.equal(both.bucketScale[1], BTC.bucketScale[0]);
    for (const n of [0, 49_999, 50_000, 3e6, 1e9]) {
      assert.equal(flatTierIndex(both, 1, n) - second, flatTierIndex(BTC, 0, n));
    }
  });

  it("rejects a table that is not continuous, and one of more than 256 tiers", () => {
    const broken = BTCUSDT_TIERS.map((t, k) => (k === 2 ? { ...t, cum: t.cum + 10 } : t));
    assert.throws(() => flattenTiers(broken), InputError);
    const long = buildTierTable(
      Array.from({ length: 257 }, (_, k) => ({
        notionalFloor: 1000 * k,
        mmr: 0.001 + k * 1e-4,
        maxLeverage: 10,
      })),
    );
    assert.throws(() => flattenTiers(long), InputError);
  });
});

describe("marginCheckBatch agrees with accountMargin", () => {
  it("on random isolated books over the BTCUSDT brackets (longs and shorts, every bracket)", () => {
    let liquidatable = 0;
    const brackets = new Set<number>();
    fc.assert(
      fc.property(fc.array(isolatedPositionArb, { minLength: 1, maxLength: 40 }), (positions) => {
        for (const p of positions) brackets.add(tierAtPrice(p, p.markPrice));
        const expected = accountMargin(account("isolated", 0, positions), RULES).positions.map(
          (r) => r.liquidatable,
        );
        const out = new Uint8Array(positions.length);
        const count = marginCheckBatch(bookFromPositions(positions), BTC, out);
        assert.deepEqual([...out].map(Boolean), expected);
        assert.equal(count, expected.filter(Boolean).length);
        liquidatable += count;
      }),
      RUNS,
    );
    assert.ok(liquidatable > 0, "some positions are liquidatable");
    assert.equal(brackets.size, BTCUSDT_TIERS.length, "every bracket holds some position");
  });

  it("liquidates at equality (margin ratio = 100 %), not a cent above", () => {
    // 0.5 BTC long at 41,000, mark 40,000: notional 20,000 in the first bracket (0.4 %), MM = 80.
    const at = position(BTCUSDT_TIERS, {
      size: 0.5,
      entryPrice: 41_000,
      markPrice: 40_000,
      isolatedMargin: 580,
    });
    const above = { ...at, isolatedMargin: 580.01 };
    const out = new Uint8Array(2);
    assert.equal(marginCheckBatch(bookFromPositions([at, above]), BTC, out), 1);
    assert.deepEqual([...out], [1, 0]);
    const engine = accountMargin(account("isolated", 0, [at, above]), RULES).positions;
    assert.deepEqual(
      engine.map((r) => r.liquidatable),
      [true, false],
    );
  });

  it("works the doc example: 1 BTC long at 60,000 with 600 margin is liquidatable at a 59,500 mark", () => {
    const p = position(BTCUSDT_TIERS, {
      size: 1,
      entryPrice: 60_000,
      markPrice: 59_500,
      isolatedMargin: 600,
    });
    assert.equal(marginCheckBatch(bookFromPositions([p]), BTC, new Uint8Array(1)), 1);
  });
});

describe("liquidationPriceBatch agrees with liquidationPrices (relative error ≤ 1e-12)", () => {
  it("on random isolated books over the BTCUSDT brackets, with re-solves across brackets and no-price cases", () => {
    const seen = { resolvedDown: 0, resolvedUp: 0, noPrice: 0, long: 0, short: 0 };
    fc.assert(
      fc.property(fc.array(isolatedPositionArb, { minLength: 1, maxLength: 40 }), (positions) => {
        const engine = liquidationPrices(account("isolated", 0, positions), RULES);
        const out = new Float64Array(positions.length);
        const book = bookFromPositions(positions);
        liquidationPriceBatch(book, BTC, out);
        positions.forEach((p, i) => {
          const expected = engine[i]?.liquidationPrice ?? null;
          assertSamePrice(out[i] as number, expected, () => `position ${i} ${JSON.stringify(p)}`);
          // The one-position kernel gives the batch's price, bit for bit.
          const one = isolatedLiquidationPrice(
            BTC,
            book.size[i] as number,
            book.entryPrice[i] as number,
            book.isolatedMargin[i] as number,
            book.markPrice[i] as number,
          );
          assert.ok(Object.is(one, out[i]), `isolatedLiquidationPrice ${one} vs ${out[i]}`);
          if (p.size > 0) seen.long++;
          else seen.short++;
          if (expected === null) {
            seen.noPrice++;
            return;
          }
          const atMark = tierAtPrice(p, p.markPrice);
          const atLiquidation = tierAtPrice(p, expected);
          if (atLiquidation < atMark) seen.resolvedDown++;
          if (atLiquidation > atMark) seen.resolvedUp++;
        });
      }),
      RUNS,
    );
    for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `covered: ${what} (${n})`);
  });

  it("works the doc example: 1 BTC long at 60,000 with 600 margin → 59,648.24", () => {
    const p = position(BTCUSDT_TIERS, { size: 1, entryPrice: 60_000, isolatedMargin: 600 });
    const out = new Float64Array(1);
    liquidationPriceBatch(bookFromPositions([p]), BTC, out);
    assert.ok(Math.abs((out[0] as number) - 59_648.24) < 0.005, `got ${out[0]}`);
  });

  it("walks several brackets: a $1bn long at 1.1x five down, a $500M short at 1.1x two up", () => {
    const long = position(BTCUSDT_TIERS, { size: 10_000, entryPrice: 100_000, isolatedMargin: 1e9 / 1.1 });
    const short = position(BTCUSDT_TIERS, { size: -5_000, entryPrice: 100_000, isolatedMargin: 5e8 / 1.1 });
    const out = new Float64Array(2);
    liquidationPriceBatch(bookFromPositions([long, short]), BTC, out);
    const engine = liquidationPrices(account("isolated", 0, [long, short]), RULES);
    assertSamePrice(out[0] as number, engine[0]?.liquidationPrice ?? null, () => "long");
    assertSamePrice(out[1] as number, engine[1]?.liquidationPrice ?? null, () => "short");
    assert.equal(tierAtPrice(long, out[0] as number) - tierAtPrice(long, long.markPrice), -5);
    assert.equal(tierAtPrice(short, out[1] as number) - tierAtPrice(short, short.markPrice), 2);
  });

  it("gives NaN for an empty position, as the engine gives null", () => {
    const p = position(BTCUSDT_TIERS, { size: 0, entryPrice: 60_000, isolatedMargin: 100 });
    const out = new Float64Array(1);
    liquidationPriceBatch(bookFromPositions([p]), BTC, out);
    assert.equal(liquidationPrices(account("isolated", 0, [p]), RULES)[0]?.liquidationPrice, null);
    assert.ok(Number.isNaN(out[0] as number));
  });
});

/**
 * Cross accounts of 1–10 one-way positions on different symbols (entry notionals drawn alone, $10 to
 * $2bn on the real brackets), backed by a wallet of their entry notional over an account leverage of
 * 1.05–100, or in one account of five of 0.25–1 (so that some symbols have no liquidation price).
 */
function crossAccountArb(tiers: "real" | "random"): fc.Arbitrary<Account> {
  return fc
    .tuple(
      accountArb({ mode: "cross", kind: "linear", tiers, funding: true, minPositions: 1, maxPositions: 10 }),
      fc.oneof(
        { arbitrary: logUniform(1.05, 100), weight: 4 },
        { arbitrary: logUniform(0.25, 1), weight: 1 },
      ),
    )
    .map(([a, leverage]) => {
      let notional = 0;
      for (const p of a.positions) notional += Math.abs(p.size) * p.instrument.contractSize * p.entryPrice;
      return { ...a, walletBalance: notional / leverage };
    });
}

/**
 * Checks every position of the accounts against `liquidationPrices`; returns how many had no price.
 * The cross constant `WB − TMM1 + UPNL1` sums the whole account, so a price is known to a few ulps
 * of the account's gross notional per unit of the position (`grossScale / |q|`) rather than of
 * itself: a long that only liquidates near 0 (a price of 0.9 on a 76,000 entry, say) differs between
 * any two summation orders by ~1e-11 relative. The error is taken relative to the larger of the
 * two, which is the price itself whenever the position is not tiny against its account.
 */
function checkCross(accounts: readonly Account[], width: number): number {
  const { book, tiers } = crossBookFromAccounts(accounts, width);
  const out = new Float64Array(accounts.length * width);
  crossLiquidationPrices(book, tiers, out);
  let noPrice = 0;
  accounts.forEach((a, k) => {
    const engine = liquidationPrices(a, RULES);
    const gross = grossScale(a);
    for (let j = 0; j < width; j++) {
      const got = out[k * width + j] as number;
      const p = a.positions[j];
      if (p === undefined) {
        assert.ok(Number.isNaN(got), `empty slot ${j} of account ${k}: ${got}`);
        continue;
      }
      const expected = engine[j]?.liquidationPrice ?? null;
      if (expected === null) noPrice++;
      const priceScale = gross / Math.abs(p.size * p.instrument.contractSize);
      assertSamePrice(got, expected, () => `account ${k} position ${j} ${JSON.stringify(a)}`, priceScale);
    }
  });
  return noPrice;
}

describe("crossLiquidationPrices agrees with liquidationPrices (relative error ≤ 1e-12)", () => {
  it("on books of cross accounts of up to 10 symbols, each on the BTCUSDT brackets", () => {
    let noPrice = 0;
    fc.assert(
      fc.property(fc.array(crossAccountArb("real"), { minLength: 1, maxLength: 8 }), (accounts) => {
        noPrice += checkCross(accounts, 10);
      }),
      RUNS,
    );
    assert.ok(noPrice > 0, "some symbols have no liquidation price");
  });

  it("on one account of up to 10 symbols with their own random continuous tables", () => {
    fc.assert(
      fc.property(crossAccountArb("random"), (a) => {
        checkCross([a], 10);
      }),
      RUNS,
    );
  });

  it("works the FAQ cross example: ETHUSDT long 3,683.979 @ 1,456.84 in the 10 % bracket → 1,153.26", () => {
    // ETH: a continuous table whose second bracket is the FAQ's (mmr 10 %, cum 135,365):
    // floor 2,707,300 = 135,365 / (10 % − 5 %). The other contract gives TMM1 = 71,200.81144 (1 % of
    // its notional, one bracket) and UPNL1 = −56,354.57.
    const eth = buildTierTable([
      { notionalFloor: 0, mmr: 0.05, maxLeverage: 10 },
      { notionalFloor: 2_707_300, mmr: 0.1, maxLeverage: 5 },
    ]);
    const other = buildTierTable([{ notionalFloor: 0, mmr: 0.01, maxLeverage: 50 }]);
    const a: Account = {
      marginMode: "cross",
      walletBalance: 1_535_443.01,
      positions: [
        {
          ...position(eth, { size: 3_683.979, entryPrice: 1_456.84, markPrice: 1_456.84 }),
          instrument: linearInstrument("ETHUSDT"),
        },
        {
          ...position(other, { size: 1, entryPrice: 7_120_081.144 + 56_354.57, markPrice: 7_120_081.144 }),
          instrument: linearInstrument("OTHER"),
        },
      ],
    };
    const { book, tiers } = crossBookFromAccounts([a], 2);
    const out = new Float64Array(2);
    crossLiquidationPrices(book, tiers, out);
    assert.ok(Math.abs((out[0] as number) - 1_153.26) < 0.005, `got ${out[0]}`);
  });

  it("rejects isolated accounts, repeated symbols and inverse contracts", () => {
    const p = position(BTCUSDT_TIERS, { size: 1, entryPrice: 60_000, symbol: "BTCUSDT" });
    assert.throws(() => crossBookFromAccounts([account("isolated", 1, [p])], 2), InputError);
    assert.throws(() => crossBookFromAccounts([account("cross", 1, [p, p])], 2), InputError);
    assert.throws(() => crossBookFromAccounts([account("cross", 1, [p, p])], 1), InputError);
    const inverse = position(BTCUSDT_TIERS, {
      size: 1,
      entryPrice: 60_000,
      kind: "inverse",
      contractSize: 100,
    });
    assert.throws(() => bookFromPositions([inverse]), InputError);
  });
});
