/**
 * Aave v3 rules beyond the health factor, in lending documents and the exact rulebook:
 * - scaled balances: `balance = scaled × index` with v3.5+ rounding (aToken floor, vToken ceil;
 *   aave-v3-origin `docs/3.5/Aave-v3.5-features.md` "balance = floor(shares × index)",
 *   `TokenMath.getATokenBalance`/`getVTokenBalance`) and v3.0–v3.4 `WadRayMath.rayMul` half-up;
 * - e-mode: the category's LT/LTV/bonus replace the reserve's for the category's collateral
 *   (`GenericLogic.calculateUserAccountData`, `LiquidationLogic.executeLiquidationCall`);
 * - isolation mode, siloed borrowing and e-mode borrowability as `ValidationLogic.validateBorrow`
 *   checks them, and the isolated debt a liquidation repays (`IsolationModeLogic.updateIsolatedDebtIfIsolated`).
 * Aave's own suites have no fixed-number vectors for these (research note §12), so every number here
 * is hand-derived from the named functions.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import {
  aTokenBalance,
  isolatedDebtAfterRepay,
  isolationModeState,
  validateBorrow,
  variableDebtBalance,
} from "../../src/venues/aave-v3.js";
import {
  aaveLiquidateReport,
  aaveV3Lending,
  type ResolvedAaveDocument,
} from "../../src/venues/lending/aave-v3.js";
import { lendingLiqPriceReport, resolveLendingDocument } from "../../src/venues/lending/registry.js";
import { isVenueRevert } from "../../src/venues/revert.js";

/** The revert `validateBorrow` throws for the borrow (its custom error name), or null when it passes. */
function borrowRevertOf(...args: Parameters<typeof validateBorrow>): string | null {
  try {
    validateBorrow(...args);
    return null;
  } catch (e) {
    if (isVenueRevert(e, "aave-v3")) return e.reason;
    throw e;
  }
}

const RAY = 10n ** 27n;
const root = new URL("../../", import.meta.url);
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`examples/lending/${name}`, root), "utf8")) as Record<string, unknown>;
const EMODE = load("aave-v3-emode.json");
const ISOLATION = load("aave-v3-isolation.json");
const aave = (raw: unknown) => resolveLendingDocument(raw) as ResolvedAaveDocument;

function throwsOn(fn: () => unknown, field: string, mention?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.field, field, err.message);
    if (mention !== undefined) assert.match(err.message, mention);
    return true;
  });
}

describe("scaled balances × index (RAY)", () => {
  it("hand-derived rounding: 3 × 1.5 = 4.5 → aToken 4 and debt 5 (v3.5+), 5 and 5 (half-up before)", () => {
    const index = 15n * 10n ** 26n;
    assert.equal(aTokenBalance(3n, index, "3.7"), 4n);
    assert.equal(variableDebtBalance(3n, index, "3.7"), 5n);
    assert.equal(aTokenBalance(3n, index, "3.5"), 4n);
    assert.equal(aTokenBalance(3n, index, "3.3"), 5n);
    assert.equal(variableDebtBalance(3n, index, "3.2"), 5n);
    // 1e18 × 1.05 exactly
    assert.equal(aTokenBalance(10n ** 18n, 105n * 10n ** 25n), 105n * 10n ** 16n);
  });

  it("property: floor ≤ half-up ≤ ceil, within one unit, and index 1 is the identity", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: RAY, max: 3n * RAY }), (s, i) => {
        const lo = aTokenBalance(s, i, "3.7");
        const mid = aTokenBalance(s, i, "3.3");
        const hi = variableDebtBalance(s, i, "3.7");
        assert.ok(lo <= mid && mid <= hi && hi - lo <= 1n);
        assert.equal(aTokenBalance(s, RAY), s);
      }),
    );
  });

  it("the e-mode example reads 10 × 1.002 = 10.02 wstETH and 10 × 1.05 = 10.5 WETH of debt", () => {
    const doc = aave(EMODE);
    assert.equal(doc.account.supplies[0]?.balance, 1002n * 10n ** 16n);
    assert.equal(doc.account.borrows[0]?.balance, 105n * 10n ** 17n);
  });
});

describe("e-mode", () => {
  it("category LT 95 % replaces wstETH's 81 %: HF 33,316.5 / 31,500 in e-mode, 0.9018 without", () => {
    const r = lendingLiqPriceReport(aave(EMODE));
    // ⌊wadDiv(3,507,000,000,000 · 9,500, 3,150,000,000,000) / 1e4⌋ = 1.057666…666 (floor)
    assert.equal(r.healthFactor.exact, "1.057666666666666666");
    assert.equal(r.liquidatable, false);
    assert.deepEqual(r.aaveRules?.eMode, {
      id: 1,
      label: "ETH correlated",
      overrides: ["wstETH"],
      borrowable: ["WETH"],
    });
    const none = lendingLiqPriceReport(aave({ ...EMODE, eModeCategoryId: 0 }));
    // 3,507,000,000,000 · 8,100 / 3,150,000,000,000 / 1e4 = 28,406.7 / 31,500 = 0.9018 exactly
    assert.equal(none.healthFactor.exact, "0.9018");
    assert.equal(none.liquidatable, true);
    assert.equal(none.aaveRules?.eMode, null);
  });

  it("liquidation in e-mode takes the category bonus (101 %), outside it the reserve's (106 %)", () => {
    const drop = { ...EMODE, collateral: [{ symbol: "wstETH", scaledAmount: "10", price: 3300 }] };
    const inE = aaveLiquidateReport(aave(drop), { debtToCover: "1" });
    assert.equal(inE.revert, null);
    // base = ⌊1e18 · 3,000e8 / 3,300e8⌋ = 909,090,909,090,909,090; × 10,100 / 1e4 floor (v3.7 percentMulFloor)
    assert.equal(inE.collateralSeized.amount, "0.91818181818181818");
    const out = aaveLiquidateReport(aave({ ...drop, eModeCategoryId: 0 }), { debtToCover: "1" });
    assert.equal(out.collateralSeized.amount, "0.963636363636363635"); // ⌊909,090,909,090,909,090 × 1.06⌋
  });

  it("a category the market does not list names eModeCategoryId; a borrow outside the borrowable list reverts", () => {
    throwsOn(() => resolveLendingDocument({ ...EMODE, eModeCategoryId: 2 }), "eModeCategoryId");
    const doc = aave(EMODE);
    assert.equal(borrowRevertOf(doc.account, doc.market, "wstETH", 1n), "NotBorrowableInEMode");
    assert.equal(borrowRevertOf(doc.account, doc.market, "WETH", 1n), null);
  });
});

describe("isolation mode and siloed borrowing", () => {
  it("the only collateral has a ceiling: isolated; a second collateral or the flag off ends it", () => {
    const doc = aave(ISOLATION);
    assert.deepEqual(isolationModeState(doc.account, doc.market), {
      isolated: true,
      collateral: "LDO",
      debtCeiling: 200_000_000n,
      isolationModeTotalDebt: 199_950_000n,
    });
    const off = aave({
      ...ISOLATION,
      collateral: [{ symbol: "LDO", amount: "10000", price: 2, usedAsCollateral: false }],
    });
    assert.equal(isolationModeState(off.account, off.market).isolated, false);
  });

  it("validateBorrow: ceiling to the cent, borrowable-in-isolation, siloed assets alone", () => {
    const doc = aave(ISOLATION);
    // $1,999,500 + ⌊500e6 / 1e4⌋ cents = $2,000,000: allowed; 500.01 USDC is one cent over
    assert.equal(borrowRevertOf(doc.account, doc.market, "USDC", 500_000_000n), null);
    assert.equal(borrowRevertOf(doc.account, doc.market, "USDC", 500_010_000n), "DebtCeilingExceeded");
    const market = {
      ...doc.market,
      reserves: doc.market.reserves.map((r) =>
        r.symbol === "USDC" ? { ...r, borrowableInIsolation: false } : r,
      ),
    };
    assert.equal(borrowRevertOf(doc.account, market, "USDC", 1n), "AssetNotBorrowableInIsolation");
    const silo = {
      ...doc.market,
      reserves: doc.market.reserves.map((r) =>
        r.symbol === "LDO" ? { ...r, debtCeiling: 0n, siloedBorrowing: true } : r,
      ),
    };
    assert.equal(borrowRevertOf(doc.account, silo, "LDO", 1n), "SiloedBorrowingViolation");
  });

  it("isolated debt falls by ⌊repaid / 10^(dec − 2)⌋, floored at 0", () => {
    assert.equal(isolatedDebtAfterRepay(199_950_000n, 8_000_000_000n, 6), 199_150_000n);
    assert.equal(isolatedDebtAfterRepay(100n, 10n ** 18n, 18), 0n);
  });

  it("what-if --borrow names --borrow with the revert; an allowed borrow moves the isolated total", () => {
    const doc = aave(ISOLATION);
    throwsOn(
      () => aaveV3Lending.whatIfReport(ISOLATION, doc, { borrow: "500.01" }),
      "--borrow",
      /DebtCeilingExceeded/,
    );
    const r = aaveV3Lending.whatIfReport(ISOLATION, doc, { borrow: "500" });
    assert.equal(r.after.aaveRules?.isolation?.isolationModeTotalDebtUsd, 2_000_000);
    assert.equal(r.after.totals.debtValue, 8_500);
  });

  it("liquidate reports the isolated debt the liquidation repays", () => {
    const crash = { ...ISOLATION, collateral: [{ symbol: "LDO", amount: "10000", price: 1.5 }] };
    const r = aaveLiquidateReport(aave(crash));
    assert.equal(r.revert, null);
    const repaid = Number(r.debtRepaid.amount);
    assert.equal(r.isolation?.totalDebtBeforeUsd, 1_999_500);
    assert.equal(
      r.isolation?.totalDebtAfterUsd,
      Math.round((1_999_500 - Math.floor(repaid * 100) / 100) * 100) / 100,
    );
  });

  it("bad isolation and index fields name the field", () => {
    const withReserve = (patch: Record<string, unknown>) => ({
      ...ISOLATION,
      market: {
        ...(ISOLATION.market as Record<string, unknown>),
        reserves: [
          { ...((ISOLATION.market as { reserves: Record<string, unknown>[] }).reserves[0] ?? {}), ...patch },
          (ISOLATION.market as { reserves: unknown[] }).reserves[1],
        ],
      },
    });
    throwsOn(
      () => resolveLendingDocument(withReserve({ debtCeiling: "1.001" })),
      "market.reserves[0].debtCeiling",
    );
    throwsOn(
      () => resolveLendingDocument(withReserve({ siloedBorrowing: "yes" })),
      "market.reserves[0].siloedBorrowing",
    );
    throwsOn(
      () => resolveLendingDocument(withReserve({ liquidityIndex: "0.9" })),
      "market.reserves[0].liquidityIndex",
    );
    throwsOn(
      () =>
        resolveLendingDocument({
          ...ISOLATION,
          collateral: [{ symbol: "LDO", amount: "1", scaledAmount: "1", price: 2 }],
        }),
      "collateral[0].scaledAmount",
    );
    throwsOn(
      () =>
        resolveLendingDocument({
          ...ISOLATION,
          debt: [{ symbol: "USDC", amount: "1", price: 1, usedAsCollateral: true }],
        }),
      "debt[0].usedAsCollateral",
    );
  });
});
