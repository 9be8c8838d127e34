/**
 * Aave v3 invariants over random markets and accounts (fast-check): close-factor shares, collateral
 * bounds, the split of the seized collateral, the value of what is seized, the v3.7 rounding against
 * the liquidator, deficit accounting, the dust rule, when a liquidation raises or lowers the health
 * factor, and exact/float agreement.
 *
 * A tempting claim does not hold as stated: "the HF rises after a partial liquidation when the bonus
 * is below 1/LT". Repaying `x` of debt and removing `x·LB` of collateral value changes
 * `HF = C·LT/D` to `(C − x·LB)·LT / (D − x)`, which is ≥ HF exactly when `HF ≥ LT·LB`. So the
 * liquidation helps only while the account is still above `LT·LB`; below it (deep in the red, or with a
 * high e-mode LT), each liquidation lowers the HF further (see D8 in test/parity/aave-v3.test.ts). The
 * property tested is that condition, with a margin for integer rounding.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromFixed } from "../../src/math/fixed-point.js";
import {
  type Account,
  baseValue,
  CLOSE_FACTOR_HF_THRESHOLD,
  calculateAvailableCollateralToLiquidate,
  closeFactor,
  createFloatBook,
  healthFactorFloat,
  healthFactorsBatch,
  healthFactorWad,
  isLiquidatable,
  type LiquidationOutcome,
  liquidationCall,
  MAX_UINT256,
  type Market,
  MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
  MIN_LEFTOVER_BASE,
  type ReserveParams,
  userAccountData,
  type Version,
} from "../../src/venues/aave-v3.js";
import { isVenueRevert } from "../../src/venues/revert.js";

const RUNS = { numRuns: 300 };

/** Token kinds with price ranges that keep one token unit below $0.01 (so rounding stays small). */
const KINDS = [
  { decimals: 18, minUsd: 0.05, maxUsd: 10_000 },
  { decimals: 8, minUsd: 100, maxUsd: 100_000 },
  { decimals: 6, minUsd: 0.5, maxUsd: 2 },
] as const;
const SYMBOLS = ["A", "B", "C"] as const;

const reserveArb = (symbol: string, decimals: number): fc.Arbitrary<ReserveParams> =>
  fc
    .record({
      lt: fc.integer({ min: 5_000, max: 9_300 }),
      bonus: fc.integer({ min: 50, max: 1_500 }),
      fee: fc.integer({ min: 0, max: 5_000 }),
      ltvGap: fc.integer({ min: 0, max: 500 }),
    })
    .map(({ lt, bonus, fee, ltvGap }) => ({
      symbol,
      decimals,
      ltvBps: lt - ltvGap,
      liquidationThresholdBps: lt,
      // LT × LB ≤ 100 % (PoolConfigurator): LB ≤ ⌊1e8 / LT⌋
      liquidationBonusBps: Math.min(10_000 + bonus, Math.floor(1e8 / lt)),
      liquidationProtocolFeeBps: fee,
    }));

const marketArb = (version: Version): fc.Arbitrary<Market> =>
  fc
    .tuple(...SYMBOLS.map((s, i) => reserveArb(s, KINDS[i]?.decimals ?? 18)))
    .map((reserves) => ({ name: "random", version, reserves }));

const priceArb = (i: number): fc.Arbitrary<bigint> => {
  const k = KINDS[i] ?? KINDS[0];
  return fc
    .double({ min: Math.log(k.minUsd), max: Math.log(k.maxUsd), noNaN: true })
    .map((x) => BigInt(Math.max(1, Math.round(Math.exp(x) * 1e8))));
};

/** Token units worth `usd` at `price` (8-decimal base units). */
const units = (usd: number, price: bigint, decimals: number): bigint =>
  (BigInt(Math.round(usd * 1e4)) * 10_000n * 10n ** BigInt(decimals)) / price;

interface Case {
  market: Market;
  account: Account;
}

/**
 * A random account: 1–3 collateral reserves worth $5k–$1M each, 1–3 debt reserves whose total is set
 * so that `Σ C·LT / D` hits a target HF in [0.4, 1.2] (half of the draws in (0.95, 1), where the 50 %
 * close factor applies).
 */
const caseArb = (
  version: Version,
  opts: { maxCollateral?: number; maxDebt?: number } = {},
): fc.Arbitrary<Case> =>
  fc
    .record({
      market: marketArb(version),
      prices: fc.tuple(priceArb(0), priceArb(1), priceArb(2)),
      coll: fc.array(fc.double({ min: 5_000, max: 1_000_000, noNaN: true }), { minLength: 3, maxLength: 3 }),
      collMask: fc.integer({ min: 1, max: 7 }),
      debtShares: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
      debtMask: fc.integer({ min: 1, max: 7 }),
      hf: fc.oneof(
        fc.double({ min: 0.4, max: 1.2, noNaN: true }),
        fc.double({ min: 0.951, max: 0.999, noNaN: true }),
      ),
    })
    .map(({ market, prices, coll, collMask, debtShares, debtMask, hf }) => {
      const maxC = opts.maxCollateral ?? 3;
      const maxD = opts.maxDebt ?? 3;
      const collIdx = [0, 1, 2].filter((i) => collMask & (1 << i)).slice(0, maxC);
      const debtIdx = [0, 1, 2].filter((i) => debtMask & (1 << i)).slice(0, maxD);
      const price = (i: number): bigint => prices[i] as bigint;
      const weighted = collIdx.reduce(
        (s, i) => s + (coll[i] as number) * ((market.reserves[i]?.liquidationThresholdBps ?? 0) / 1e4),
        0,
      );
      const shareSum = debtIdx.reduce((s, i) => s + (debtShares[i] as number), 0);
      const debtUsd = weighted / hf;
      const account: Account = {
        supplies: collIdx.map((i) => ({
          symbol: SYMBOLS[i] as string,
          balance: units(coll[i] as number, price(i), KINDS[i]?.decimals ?? 18),
        })),
        borrows: debtIdx.map((i) => ({
          symbol: SYMBOLS[i] as string,
          balance: units(
            (debtUsd * (debtShares[i] as number)) / shareSum,
            price(i),
            KINDS[i]?.decimals ?? 18,
          ),
        })),
        prices: { A: price(0), B: price(1), C: price(2) },
      };
      return { market, account };
    });

/** A liquidation call on a random case: one of its collaterals, one of its debts, a share of that debt. */
const callArb = (version: Version, opts: { maxCollateral?: number; maxDebt?: number } = {}) =>
  fc
    .record({
      c: caseArb(version, opts),
      ci: fc.nat(),
      di: fc.nat(),
      share: fc.oneof(fc.constant(2), fc.double({ min: 0.01, max: 1.2, noNaN: true })),
    })
    .map(({ c, ci, di, share }) => {
      const coll = c.account.supplies[ci % c.account.supplies.length]?.symbol as string;
      const debt = c.account.borrows[di % c.account.borrows.length];
      const debtToCover =
        share >= 2 ? ("max" as const) : BigInt(Math.floor(Number(debt?.balance ?? 0n) * share));
      return { ...c, call: { collateral: coll, debt: debt?.symbol as string, debtToCover } };
    });

/** `liquidationCall`'s outcome, or null when the Pool reverts (an Aave `VenueRevertError`). */
function callOrNull(
  account: Account,
  market: Market,
  call: Parameters<typeof liquidationCall>[2],
): LiquidationOutcome | null {
  try {
    return liquidationCall(account, market, call);
  } catch (e) {
    if (isVenueRevert(e, "aave-v3")) return null;
    throw e;
  }
}

const decimalsOf = (m: Market, s: string): number => m.reserves.find((r) => r.symbol === s)?.decimals ?? 18;
const balanceOf = (rows: readonly { symbol: string; balance: bigint }[], s: string): bigint =>
  rows.find((r) => r.symbol === s)?.balance ?? 0n;

describe("Aave v3 liquidation invariants", () => {
  it("v3.2, HF > 0.95: the debt repaid is at most percentMul(reserve debt, 50 %)", () => {
    fc.assert(
      fc.property(callArb("3.2"), ({ market, account, call }) => {
        const out = callOrNull(account, market, call);
        if (out === null || out.healthFactorBeforeWad <= CLOSE_FACTOR_HF_THRESHOLD) return;
        const reserveDebt = balanceOf(account.borrows, call.debt);
        assert.ok(out.debtRepaid <= (reserveDebt * 5_000n + 5_000n) / 10_000n);
      }),
      RUNS,
    );
  });

  it("v3.3+, HF > 0.95 and both reserves ≥ $2,000: the debt repaid is worth at most 50 % of the position's debt", () => {
    for (const version of ["3.7", "3.3"] as const)
      fc.assert(
        fc.property(callArb(version), ({ market, account, call }) => {
          const out = callOrNull(account, market, call);
          if (out === null || out.healthFactorBeforeWad <= CLOSE_FACTOR_HF_THRESHOLD) return;
          const cf = out.closeFactor;
          if (cf.reserveCollateralBase < MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD) return;
          if (cf.reserveDebtBase < MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD) return;
          const total = userAccountData(account, market).totalDebtBase;
          const repaidBase = baseValue(
            out.debtRepaid,
            account.prices[call.debt] as bigint,
            decimalsOf(market, call.debt),
            "down",
          );
          assert.ok(repaidBase <= (total * 5_000n + 5_000n) / 10_000n);
        }),
        RUNS,
      );
  });

  it("v3.3+, HF ≤ 0.95: the whole reserve debt is liquidatable", () => {
    fc.assert(
      fc.property(caseArb("3.7"), fc.nat(), fc.nat(), ({ market, account }, ci, di) => {
        if (healthFactorWad(account, market) > CLOSE_FACTOR_HF_THRESHOLD) return;
        const collateral = account.supplies[ci % account.supplies.length]?.symbol as string;
        const debt = account.borrows[di % account.borrows.length] as { symbol: string; balance: bigint };
        assert.equal(
          closeFactor(account, market, { collateral, debt: debt.symbol }).maxLiquidatableDebt,
          debt.balance,
        );
      }),
      RUNS,
    );
  });

  it("seized ≤ balance; liquidator + fee = seized; fee ≤ bonus; repaid ≤ min(debtToCover, reserve debt)", () => {
    for (const version of ["3.7", "3.5", "3.3", "3.2"] as const)
      fc.assert(
        fc.property(callArb(version), ({ market, account, call }) => {
          const out = callOrNull(account, market, call);
          if (out === null) return;
          const balance = balanceOf(account.supplies, call.collateral);
          assert.ok(out.collateralSeized <= balance);
          assert.equal(out.liquidatorAmount + out.protocolFee, out.collateralSeized);
          assert.ok(out.protocolFee <= out.bonus);
          assert.ok(out.protocolFee >= 0n && out.liquidatorAmount >= 0n);
          const requested = call.debtToCover === "max" ? MAX_UINT256 : call.debtToCover;
          assert.ok(out.debtRepaid <= requested);
          assert.ok(out.debtRepaid <= balanceOf(account.borrows, call.debt));
          assert.equal(balanceOf(out.accountAfter.supplies, call.collateral), balance - out.collateralSeized);
        }),
        RUNS,
      );
  });

  it("v3.7: the collateral seized is worth at most debt repaid × bonus (exact unless capped by the balance; then within one debt unit)", () => {
    fc.assert(
      fc.property(callArb("3.7"), ({ market, account, call }) => {
        const out = callOrNull(account, market, call);
        if (out === null) return;
        const coll = out.collateral;
        const pC = account.prices[call.collateral] as bigint;
        const pD = account.prices[call.debt] as bigint;
        const uC = 10n ** BigInt(decimalsOf(market, call.collateral));
        const uD = 10n ** BigInt(decimalsOf(market, call.debt));
        const lb = BigInt(out.steps.find((s) => s.name === "liquidationBonus")?.value as string);
        const lhs = out.collateralSeized * pC * uD * 10_000n;
        const rhs = out.debtRepaid * pD * uC * lb;
        assert.ok(coll.cappedByBalance ? lhs <= rhs + pD * uC * lb : lhs <= rhs);
      }),
      RUNS,
    );
  });

  it("v3.7 against v3.5 on the same input: the liquidator gets no more collateral and repays no less debt", () => {
    fc.assert(
      fc.property(
        fc.record({
          pc: fc.bigInt({ min: 1n, max: 10n ** 13n }),
          pd: fc.bigInt({ min: 1n, max: 10n ** 13n }),
          dc: fc.constantFrom(6, 8, 18),
          dd: fc.constantFrom(6, 8, 18),
          debt: fc.bigInt({ min: 0n, max: 10n ** 24n }),
          balance: fc.bigInt({ min: 0n, max: 10n ** 24n }),
          lb: fc.integer({ min: 10_001, max: 11_500 }),
          fee: fc.integer({ min: 0, max: 10_000 }),
        }),
        ({ pc, pd, dc, dd, debt, balance, lb, fee }) => {
          const input = {
            collateralPrice: pc,
            collateralDecimals: dc,
            debtPrice: pd,
            debtDecimals: dd,
            debtToCover: debt,
            collateralBalance: balance,
            liquidationBonusBps: lb,
            liquidationProtocolFeeBps: fee,
          };
          const a = calculateAvailableCollateralToLiquidate({ ...input, version: "3.7" });
          const b = calculateAvailableCollateralToLiquidate({ ...input, version: "3.5" });
          assert.ok(a.liquidatorAmount <= b.liquidatorAmount);
          assert.ok(a.collateralSeized <= b.collateralSeized);
          assert.ok(a.debtAmountNeeded >= b.debtAmountNeeded);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("v3.3+ deficit: when the liquidation takes all collateral value, every debt goes to zero and the write-off balances", () => {
    let seen = 0;
    for (const version of ["3.7", "3.3"] as const)
      fc.assert(
        fc.property(callArb(version, { maxCollateral: 1 }), ({ market, account, call }) => {
          const out = callOrNull(account, market, call);
          if (out === null || !out.hasNoCollateralLeft) return;
          seen++;
          const after = userAccountData(out.accountAfter, market);
          assert.equal(after.totalCollateralBase, 0n);
          assert.equal(after.totalDebtBase, 0n);
          for (const b of account.borrows) {
            const written: bigint = out.deficit.find((d) => d.symbol === b.symbol)?.amount ?? 0n;
            const repaid: bigint = b.symbol === call.debt ? out.debtRepaid : 0n;
            assert.equal(written + repaid, b.balance, b.symbol);
          }
        }),
        RUNS,
      );
    assert.ok(seen > 10, `only ${seen} deficit cases`);
  });

  it("v3.3+ dust rule: a partial liquidation leaves ≥ $1,000 of the debt reserve and of the collateral reserve", () => {
    for (const version of ["3.7", "3.3"] as const)
      fc.assert(
        fc.property(callArb(version), ({ market, account, call }) => {
          const out = callOrNull(account, market, call);
          if (out === null) return;
          if (out.leftover.debt === 0n || out.leftover.collateral === 0n) return;
          assert.ok(out.leftover.debtBase >= MIN_LEFTOVER_BASE);
          const fee = version === "3.7" ? 0n : out.protocolFee; // v3.3 counts the fee as still there
          const collLeftBase = baseValue(
            out.leftover.collateral + fee,
            account.prices[call.collateral] as bigint,
            decimalsOf(market, call.collateral),
            "down",
          );
          assert.ok(collLeftBase >= MIN_LEFTOVER_BASE);
        }),
        RUNS,
      );
  });

  it("one collateral, one debt: a partial liquidation raises the HF iff HF > LT × LB (0.1 % margin)", () => {
    let up = 0;
    let down = 0;
    fc.assert(
      fc.property(callArb("3.7", { maxCollateral: 1, maxDebt: 1 }), ({ market, account, call }) => {
        const out = callOrNull(account, market, call);
        if (out === null) return;
        if (out.leftover.debt === 0n || out.leftover.collateral === 0n) return;
        const reserve = market.reserves.find((r) => r.symbol === call.collateral) as ReserveParams;
        const ltlb = (reserve.liquidationThresholdBps / 1e4) * (reserve.liquidationBonusBps / 1e4);
        const before = Number(out.healthFactorBeforeWad) / 1e18;
        const after = Number(out.healthFactorAfterWad) / 1e18;
        if (before > ltlb * 1.001) {
          up++;
          assert.ok(after > before, `HF ${before} → ${after} with LT×LB ${ltlb}`);
        } else if (before < ltlb * 0.999) {
          down++;
          assert.ok(after < before, `HF ${before} → ${after} with LT×LB ${ltlb}`);
        }
      }),
      { numRuns: 1_000 },
    );
    assert.ok(up > 10 && down > 10, `cases up ${up}, down ${down}`);
  });

  it("the liquidatable rule agrees with liquidationCall's HealthFactorNotBelowThreshold", () => {
    fc.assert(
      fc.property(callArb("3.7"), ({ market, account, call }) => {
        let reason: string | null = null;
        try {
          liquidationCall(account, market, call);
        } catch (e) {
          assert.ok(isVenueRevert(e, "aave-v3"), String(e));
          reason = e.reason;
        }
        assert.equal(
          isLiquidatable(healthFactorWad(account, market)),
          reason !== "HealthFactorNotBelowThreshold",
        );
      }),
      RUNS,
    );
  });
});

describe("Aave v3 exact and float health factors", () => {
  it("v3.5+/v3.7: exact and float HF agree within 1e-9 relative", () => {
    for (const version of ["3.7", "3.5"] as const)
      fc.assert(
        fc.property(caseArb(version), ({ market, account }) => {
          const exact = Number(healthFactorWad(account, market)) / 1e18;
          const float = healthFactorFloat(account, market);
          assert.ok(Math.abs(exact - float) <= 1e-9 * float, `${exact} vs ${float}`);
        }),
        { numRuns: 1_000 },
      );
  });

  it("v3.0–3.4: one collateral within 1e-9; several within the truncation of the average LT to whole bps", () => {
    fc.assert(
      fc.property(caseArb("3.3"), ({ market, account }) => {
        const data = userAccountData(account, market);
        const exact = Number(data.healthFactorWad) / 1e18;
        const float = healthFactorFloat(account, market);
        const bound =
          account.supplies.length === 1 ? 1e-9 : 1e-9 + 1 / Number(data.currentLiquidationThresholdBps);
        assert.ok(Math.abs(exact - float) <= bound * float, `${exact} vs ${float}`);
        assert.ok(exact <= float * (1 + 1e-9), "truncation only lowers the HF");
      }),
      { numRuns: 1_000 },
    );
  });

  it("the typed-array kernel gives exactly the float HF of each account", () => {
    fc.assert(
      fc.property(fc.array(caseArb("3.7"), { minLength: 1, maxLength: 8 }), (cases) => {
        const market = cases[0]?.market as Market;
        const accounts = cases.map((c) => c.account);
        const book = createFloatBook(accounts, market);
        const prices = Float64Array.from(market.reserves, (r) =>
          fromFixed(accounts[0]?.prices[r.symbol] ?? 0n, 8),
        );
        // every account is priced with the first account's prices in the book: use those in the reference too
        const out = healthFactorsBatch(book, prices);
        accounts.forEach((a, i) => {
          const repriced = { ...a, prices: accounts[0]?.prices ?? {} };
          assert.equal(out[i], healthFactorFloat(repriced, market));
        });
      }),
      { numRuns: 200 },
    );
  });

  it("without debt: exact MAX_UINT256, float Infinity", () => {
    fc.assert(
      fc.property(caseArb("3.7"), ({ market, account }) => {
        const noDebt = { ...account, borrows: [] };
        assert.equal(healthFactorWad(noDebt, market), MAX_UINT256);
        assert.equal(healthFactorFloat(noDebt, market), Number.POSITIVE_INFINITY);
      }),
      { numRuns: 50 },
    );
  });
});
