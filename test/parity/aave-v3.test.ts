/**
 * Aave v3: the exact engine (src/venues/aave-v3.ts) against published numbers, then worked examples
 * derived by hand from the formulas.
 *
 * Published (research note `mechanics.md` §10.6, and sources found since):
 * - TV-AAVE-1 [test] aave/aave-utilities `packages/math-utils/src/pool-math.test.ts` (commit 2116b39e):
 *   `calculateHealthFactorFromBalances` (collateral 1e17, borrow 5e16, LT 5000 → "1"; borrow 3e16 →
 *   "1.66666666666666666667"; borrow 0 → "-1"), the "big units" variant (LT given as a ratio and
 *   shifted by 4 decimals: "10000", "16666.66666666666666666667"), and
 *   `getMarketReferenceCurrencyAndUsdBalance` (10 tokens of 18 decimals at 1e18 → 10·1e18).
 *   math-utils works in 20-decimal BigNumber with half-up rounding; the contract keeps 18 decimals,
 *   so the two agree to 1 wei of WAD. math-utils' "-1" for no debt is the contract's `type(uint256).max`.
 *   Not used: `calculateAvailableBorrowsMarketReferenceCurrency` (its `currentLtv: 0.5` is read as
 *   0.5 bps, so both cases are 0 for a reason that integer bps cannot express).
 * - TV-AAVE-2 [doc] https://aave.com/docs/developers/liquidations (and aave.com/help/borrowing/liquidations):
 *   $10,000 of ETH at LT 80 % against $6,000 borrowed → HF 1.333.
 * - TV-AAVE-3 [code] constants of aave-dao/aave-v3-origin LiquidationLogic.sol / ValidationLogic.sol.
 * - TV-AAVE-4 [test] aave-v3-origin `tests/protocol/pool/Pool.Liquidations.CloseFactor.t.sol`: the close
 *   factor rules (HF ≤ 0.95 → 100 %; HF > 0.95 with a small collateral → 100 %; HF > 0.95 with both
 *   sides ≥ $2k → 50 %; debt above but collateral below the threshold → 100 %) at the unit instances
 *   (HF 0.94, 100 ETH), (0.97, 0.5 ETH), (0.97, 100 ETH). The test's oracle prices are not published in
 *   the file, so the prices here ($2,000 ETH) are ours; the rules are theirs.
 * - aave-v3-origin `tests/protocol/pool/Pool.Rounding.t.sol` `test_debtBalanceInBaseCurrencyShouldRoundUp`:
 *   100 ETH supplied, 1 wei of WETH borrowed → `totalDebtBase == 1` and HF ≠ max from v3.5 ("in previous
 *   versions … zero debt").
 * - aave-v3-origin `docs/3.3/Aave-v3.3-features.md`: §2.1 ($3k GHO + $3k USDC + $3k DAI of debt on $9k of
 *   ETH: 1.5k per liquidation before, the whole 3k since v3.3); §2.2 (threshold 1,000e8: 2,300e8 coll A,
 *   800e8 coll B, 900e8 debt A, 1,100e8 debt B, HF 0.96: 100 % of debt A, collateral B fully, 50 % cap
 *   otherwise); §2.3 (threshold 1,000e8, leftover 500e8: 400e8 coll A, 1,000e8 coll B, 900e8 debt A,
 *   400e8 debt B, HF 0.94: all of debt B, all of coll A, up to 400e8 of debt A, or all of it). The
 *   document gives the positions in base units only; the token prices and LTs that realise them (and
 *   the HF it states) are ours.
 * - aave-v3-origin `docs/3.7/liquidation-rounding.md` (rounding directions) and
 *   `docs/3.7/sentinel-removal.md` (HF < 0.95 carve-out during a sentinel grace period, v3.0–3.6).
 *
 * Derived (not published; recomputed independently with Python integers from the same formulas):
 * D1 = TV-AAVE-5 of the research note, D2 50 % position close factor, D6 deficit, D7 rounding sites,
 * D8 e-mode. Each is labelled "derived" below.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Account,
  baseValue,
  CLOSE_FACTOR_HF_THRESHOLD,
  calculateAvailableCollateralToLiquidate,
  closeFactor,
  DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS,
  HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  healthFactorFloat,
  healthFactorFromTotals,
  healthFactorWad,
  isLiquidatable,
  liquidationCall,
  MAX_LIQUIDATION_CLOSE_FACTOR_BPS,
  MAX_UINT256,
  type Market,
  MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
  MIN_LEFTOVER_BASE,
  MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
  userAccountData,
  type Version,
} from "../../src/venues/aave-v3.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { assertNear, assertRel } from "../helpers/close.js";

/** The Aave revert `fn` throws (its custom error name), or null when the call goes through. */
function revertOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (isVenueRevert(e, "aave-v3")) return e.reason;
    throw e;
  }
}

const E6 = 10n ** 6n;
const E8 = 10n ** 8n;
const E18 = 10n ** 18n;
const usd = (dollars: number): bigint => BigInt(dollars) * E8;

/** An illustrative market (parameters of the kind Aave lists, not a snapshot of a live market). */
function market(version: Version, extra: Partial<Market> = {}, lt: Record<string, number> = {}): Market {
  return {
    name: `illustrative v${version}`,
    version,
    reserves: [
      {
        symbol: "WETH",
        decimals: 18,
        ltvBps: Math.min(7_500, lt.WETH ?? 8_000),
        liquidationThresholdBps: lt.WETH ?? 8_000,
        liquidationBonusBps: 10_500,
        liquidationProtocolFeeBps: 1_000,
      },
      {
        symbol: "wstETH",
        decimals: 18,
        ltvBps: 7_800,
        liquidationThresholdBps: 8_100,
        liquidationBonusBps: 10_600,
        liquidationProtocolFeeBps: 1_000,
      },
      {
        symbol: "USDC",
        decimals: 6,
        ltvBps: Math.min(7_500, lt.USDC ?? 7_800),
        liquidationThresholdBps: lt.USDC ?? 7_800,
        liquidationBonusBps: 10_500,
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
      {
        symbol: "GHO",
        decimals: 18,
        ltvBps: 0,
        liquidationThresholdBps: 0,
        liquidationBonusBps: 0,
        liquidationProtocolFeeBps: 0,
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
    ...extra,
  };
}

const PRICES = { WETH: usd(2_000), wstETH: usd(2_400), USDC: E8, DAI: E8, GHO: E8 };

describe("TV-AAVE-1 @aave/math-utils pool-math.test.ts", () => {
  it("calculateHealthFactorFromBalances: 1e17 / 5e16 at LT 5000 → '1'", () => {
    assert.equal(healthFactorFromTotals(10n ** 17n, 5n * 10n ** 16n, 5_000n, "3.7"), E18);
    assert.equal(healthFactorFromTotals(10n ** 17n, 5n * 10n ** 16n, 5_000n, "3.3"), E18);
  });

  it("borrow 3e16 → '1.66666666666666666667' (to 1 wei of WAD; v3.5+ truncates, v3.0–3.4 rounds half up)", () => {
    const published = 166666666666666666667n; // "1.66666666666666666667" × 1e20
    const v37 = healthFactorFromTotals(10n ** 17n, 3n * 10n ** 16n, 5_000n, "3.7");
    const v33 = healthFactorFromTotals(10n ** 17n, 3n * 10n ** 16n, 5_000n, "3.3");
    assert.equal(v37, 1666666666666666666n); // ⌊⌊(5e20·1e18 + 1.5e16) / 3e16⌋ / 1e4⌋
    assert.equal(v33, 1666666666666666667n); // ⌊(5e16·1e18 + 1.5e16) / 3e16⌋
    for (const v of [v37, v33]) assert.ok(v * 100n - published <= 100n && published - v * 100n <= 100n);
  });

  it("borrow 0 → '-1' (math-utils' sentinel; the contract returns type(uint256).max)", () => {
    assert.equal(healthFactorFromTotals(10n ** 17n, 0n, 5_000n), MAX_UINT256);
  });

  it("big units (LT 5000 read as a ratio, i.e. 5e7 bps) → '10000' and '16666.66666666666666666667'", () => {
    assert.equal(healthFactorFromTotals(10n ** 17n, 5n * 10n ** 16n, 50_000_000n), 10_000n * E18);
    const v = healthFactorFromTotals(10n ** 17n, 3n * 10n ** 16n, 50_000_000n);
    assert.equal(v, 16666666666666666666666n); // published 16666.66666666666666666667, 18 decimals kept
  });

  it("getMarketReferenceCurrencyAndUsdBalance: 10 tokens (1e19, 18 dec) at 1e18 → 10·1e18", () => {
    assert.equal(baseValue(10n ** 19n, 10n ** 18n, 18, "down"), 10n * E18);
  });
});

describe("TV-AAVE-2 aave.com docs: $10,000 ETH at LT 80 %, $6,000 borrowed → HF 1.333", () => {
  const account: Account = {
    supplies: [{ symbol: "WETH", balance: 5n * E18 }],
    borrows: [{ symbol: "GHO", balance: 6_000n * E18 }],
    prices: PRICES,
  };
  it("exact and float", () => {
    const hf = healthFactorWad(account, market("3.7"));
    assert.equal(hf, 1333333333333333333n);
    assertNear(Number(hf) / 1e18, 1.333, 0.0005, "HF");
    assertRel(healthFactorFloat(account, market("3.7")), 4 / 3, 1e-15, "float HF");
  });
});

describe("TV-AAVE-3 constants (LiquidationLogic.sol, ValidationLogic.sol)", () => {
  it("thresholds and close factors", () => {
    assert.equal(HEALTH_FACTOR_LIQUIDATION_THRESHOLD, 10n ** 18n);
    assert.equal(CLOSE_FACTOR_HF_THRESHOLD, 95n * 10n ** 16n);
    assert.equal(MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD, 95n * 10n ** 16n);
    assert.equal(DEFAULT_LIQUIDATION_CLOSE_FACTOR_BPS, 5_000n);
    assert.equal(MAX_LIQUIDATION_CLOSE_FACTOR_BPS, 10_000n);
    assert.equal(MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, 2_000n * E8);
    assert.equal(MIN_LEFTOVER_BASE, 1_000n * E8);
  });

  it("liquidatable below HF 1; during a sentinel grace period only below 0.95 (v3.0–3.6)", () => {
    assert.equal(isLiquidatable(10n ** 18n), false);
    assert.equal(isLiquidatable(10n ** 18n - 1n), true);
    assert.equal(isLiquidatable(96n * 10n ** 16n, { sentinelGracePeriod: true }), false);
    assert.equal(isLiquidatable(95n * 10n ** 16n, { sentinelGracePeriod: true }), false);
    assert.equal(isLiquidatable(95n * 10n ** 16n - 1n, { sentinelGracePeriod: true }), true);
    assert.equal(isLiquidatable(MAX_UINT256), false);
  });
});

describe("TV-AAVE-4 Pool.Liquidations.CloseFactor.t.sol rules (v3.3+)", () => {
  /** WETH collateral, USDC debt sized for the target HF (WETH LT 80 %, $2,000 ETH). */
  function position(hf: number, eth: number): Account {
    const collateralUsd = eth * 2_000;
    const debtUsdc = BigInt(Math.floor(((collateralUsd * 0.8) / hf) * 1e6));
    return {
      supplies: [{ symbol: "WETH", balance: BigInt(Math.round(eth * 1e6)) * 10n ** 12n }],
      borrows: [{ symbol: "USDC", balance: debtUsdc }],
      prices: PRICES,
    };
  }
  const pair = { collateral: "WETH", debt: "USDC" };

  it("(HF 0.94, 100 ETH): HF ≤ 0.95 → 100 %", () => {
    const a = position(0.94, 100);
    const cf = closeFactor(a, market("3.7"), pair);
    assert.ok(cf.healthFactorWad < CLOSE_FACTOR_HF_THRESHOLD);
    assert.equal(cf.maxLiquidatableDebt, a.borrows[0]?.balance);
  });

  it("(HF 0.97, 0.5 ETH): collateral below $2,000 → 100 %", () => {
    const a = position(0.97, 0.5);
    const cf = closeFactor(a, market("3.7"), pair);
    assert.ok(cf.reserveCollateralBase < MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD);
    assert.equal(cf.maxLiquidatableDebt, a.borrows[0]?.balance);
  });

  it("(HF 0.97, 100 ETH): both sides ≥ $2,000 and HF > 0.95 → 50 % (to 1 unit, as the test allows)", () => {
    const a = position(0.97, 100);
    const cf = closeFactor(a, market("3.7"), pair);
    assert.equal(cf.basis, "half-position-debt");
    const debt = a.borrows[0]?.balance ?? 0n;
    const half = (debt * 5_000n + 5_000n) / 10_000n;
    assert.ok(cf.maxLiquidatableDebt - half <= 1n && half - cf.maxLiquidatableDebt <= 1n);
  });

  it("debt above but collateral below the threshold (USDC + WETH supplied, each < $2,000) → 100 %", () => {
    const a: Account = {
      supplies: [
        { symbol: "USDC", balance: 1_999n * E6 },
        { symbol: "WETH", balance: (1_999n * E18) / 2_000n },
      ],
      borrows: [{ symbol: "USDC", balance: 3_250n * E6 }],
      prices: PRICES,
    };
    const data = userAccountData(a, market("3.7"));
    assert.ok(data.totalDebtBase > MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD);
    assert.ok(data.healthFactorWad > CLOSE_FACTOR_HF_THRESHOLD && data.healthFactorWad < 10n ** 18n);
    const cf = closeFactor(a, market("3.7"), pair);
    assert.equal(cf.maxLiquidatableDebt, 3_250n * E6);
  });
});

describe("Pool.Rounding.t.sol: 1 wei of debt is worth 1 base unit from v3.5", () => {
  const a: Account = {
    supplies: [{ symbol: "WETH", balance: 100n * E18 }],
    borrows: [{ symbol: "WETH", balance: 1n }],
    prices: PRICES,
  };
  it("v3.5+/v3.7: totalDebtBase 1, HF finite", () => {
    const d = userAccountData(a, market("3.7"));
    assert.equal(d.totalDebtBase, 1n);
    assert.notEqual(d.healthFactorWad, MAX_UINT256);
    assert.equal(userAccountData(a, market("3.5")).totalDebtBase, 1n);
  });
  it("before v3.5 ('previous versions'): zero debt, HF max", () => {
    const d = userAccountData(a, market("3.3"));
    assert.equal(d.totalDebtBase, 0n);
    assert.equal(d.healthFactorWad, MAX_UINT256);
  });
});

describe("docs/3.3 §2.1: $3k GHO + $3k USDC + $3k DAI of debt on $9k of ETH", () => {
  // LT 97 % (ours) puts HF at 0.97, inside (0.95, 1) where the 50 % rules bite; bonus 10,300 keeps LT × LB ≤ 100 %.
  const m = (v: "3.3" | "3.2"): Market => {
    const base = market(v);
    return {
      ...base,
      reserves: base.reserves.map((r) =>
        r.symbol === "WETH" ? { ...r, liquidationThresholdBps: 9_700, liquidationBonusBps: 10_300 } : r,
      ),
    };
  };
  const a: Account = {
    supplies: [{ symbol: "WETH", balance: 45n * 10n ** 17n }],
    borrows: [
      { symbol: "GHO", balance: 3_000n * E18 },
      { symbol: "USDC", balance: 3_000n * E6 },
      { symbol: "DAI", balance: 3_000n * E18 },
    ],
    prices: PRICES,
  };
  it("HF 0.97", () => assert.equal(healthFactorWad(a, m("3.3")), 97n * 10n ** 16n));
  it("v3.2: 1.5k per liquidation (50 % of the reserve)", () => {
    assert.equal(
      closeFactor(a, m("3.2"), { collateral: "WETH", debt: "GHO" }).maxLiquidatableDebt,
      1_500n * E18,
    );
  });
  it("v3.3: the whole 3k (the 50 % cap is on the position's $9k)", () => {
    assert.equal(
      closeFactor(a, m("3.3"), { collateral: "WETH", debt: "GHO" }).maxLiquidatableDebt,
      3_000n * E18,
    );
    assert.equal(
      closeFactor(a, m("3.3"), { collateral: "WETH", debt: "USDC" }).maxLiquidatableDebt,
      3_000n * E6,
    );
  });
});

describe("docs/3.3 §2.2: threshold 1,000e8, HF 0.96", () => {
  // A = USDC ($1), B = WETH ($2,000); LT A 60 %, LT B 67.5 % (ours) make HF 0.96 exactly.
  const m = market("3.7", { minBaseMaxCloseFactorThreshold: 1_000n * E8 }, { USDC: 6_000, WETH: 6_750 });
  const a: Account = {
    supplies: [
      { symbol: "USDC", balance: 2_300n * E6 },
      { symbol: "WETH", balance: 4n * 10n ** 17n },
    ],
    borrows: [
      { symbol: "USDC", balance: 900n * E6 },
      { symbol: "WETH", balance: 55n * 10n ** 16n },
    ],
    prices: PRICES,
  };
  it("HF 0.96", () => assert.equal(healthFactorWad(a, m), 96n * 10n ** 16n));
  it("debt A (900e8 < threshold): 100 % whatever the collateral", () => {
    assert.equal(closeFactor(a, m, { collateral: "USDC", debt: "USDC" }).maxLiquidatableDebt, 900n * E6);
    assert.equal(closeFactor(a, m, { collateral: "WETH", debt: "USDC" }).maxLiquidatableDebt, 900n * E6);
  });
  it("collateral B (800e8 < threshold): 100 % of any debt, so debt B in full", () => {
    assert.equal(
      closeFactor(a, m, { collateral: "WETH", debt: "WETH" }).maxLiquidatableDebt,
      55n * 10n ** 16n,
    );
  });
  it("collateral A with debt B (both ≥ threshold): capped at 50 % of the $2,000 position = $1,000 of WETH", () => {
    const cf = closeFactor(a, m, { collateral: "USDC", debt: "WETH" });
    assert.equal(cf.basis, "half-position-debt");
    assert.equal(cf.maxLiquidatableDebt, 5n * 10n ** 17n);
  });
});

describe("docs/3.3 §2.3 dust rule: threshold 1,000e8, leftover 500e8, HF 0.94", () => {
  // A = USDC, B = WETH ($2,000); LT A 83 %, LT B 89 % (ours) make HF 0.94 exactly (so 100 % close factor).
  const m = market(
    "3.7",
    { minBaseMaxCloseFactorThreshold: 1_000n * E8, minLeftoverBase: 500n * E8 },
    { USDC: 8_300, WETH: 8_900 },
  );
  const a: Account = {
    supplies: [
      { symbol: "USDC", balance: 400n * E6 },
      { symbol: "WETH", balance: 5n * 10n ** 17n },
    ],
    borrows: [
      { symbol: "USDC", balance: 900n * E6 },
      { symbol: "WETH", balance: 2n * 10n ** 17n },
    ],
    prices: PRICES,
  };
  const call = (collateral: string, debt: string, debtToCover: bigint) =>
    liquidationCall(a, m, { collateral, debt, debtToCover });

  it("HF 0.94", () => assert.equal(healthFactorWad(a, m), 94n * 10n ** 16n));
  it("up to 400e8 of debt A: 400 USDC against B leaves exactly $500 of debt and $580 of B", () => {
    const out = call("WETH", "USDC", 400n * E6);
    assert.equal(out.leftover?.debtBase, 500n * E8);
    assert.equal(out.leftover?.collateralBase, 580n * E8);
  });
  it("one unit more of debt A leaves $499.999999 → MustNotLeaveDust", () => {
    assert.equal(
      revertOf(() => call("WETH", "USDC", 400n * E6 + 1n)),
      "MustNotLeaveDust",
    );
  });
  it("or 100 % of debt A (collateral B left at $55 is allowed once the debt is cleared)", () => {
    const out = call("WETH", "USDC", 900n * E6);
    assert.equal(out.leftover?.debt, 0n);
    assert.equal(out.leftover?.collateralBase, 55n * E8);
  });
  it("100 % of debt B is allowed; 75 % of it (leaving $100) is not", () => {
    assert.equal(
      revertOf(() => call("WETH", "WETH", 2n * 10n ** 17n)),
      null,
    );
    assert.equal(
      revertOf(() => call("WETH", "WETH", 15n * 10n ** 16n)),
      "MustNotLeaveDust",
    );
  });
  it("collateral A: all of it (debt 900 capped to what $400 buys) is allowed; $105 of it is not", () => {
    const all = call("USDC", "USDC", 900n * E6);
    assert.equal(all.collateralSeized, 400n * E6);
    assert.equal(all.debtRepaid, 380_952_381n); // ⌈400e6 ÷ 1.05⌉ (percentDivCeil)
    assert.equal(
      revertOf(() => call("USDC", "USDC", 100n * E6)),
      "MustNotLeaveDust",
    );
  });
});

describe("D1 (derived; research note TV-AAVE-5): $7,000 ETH at LT 80 % against $6,000 USDC", () => {
  const a: Account = {
    supplies: [{ symbol: "WETH", balance: 35n * 10n ** 17n }],
    borrows: [{ symbol: "USDC", balance: 6_000n * E6 }],
    prices: PRICES,
  };
  it("HF 0.9333 (< 0.95 → 100 %); repay 6,000: seize $6,300, bonus $300, fee $30, liquidator $6,270, $700 left", () => {
    const out = liquidationCall(a, market("3.7"), { collateral: "WETH", debt: "USDC", debtToCover: "max" });
    assert.equal(out.healthFactorBeforeWad, 933333333333333333n);
    assert.equal(out.closeFactor?.maxLiquidatableDebt, 6_000n * E6);
    assert.equal(out.debtRepaid, 6_000n * E6);
    assert.equal(out.collateralSeized, 315n * 10n ** 16n); // 3.15 ETH = $6,300
    assert.equal(out.bonus, 15n * 10n ** 16n); // 0.15 ETH = $300
    assert.equal(out.protocolFee, 15n * 10n ** 15n); // 0.015 ETH = $30
    assert.equal(out.liquidatorAmount, 3_135n * 10n ** 15n); // 3.135 ETH = $6,270
    assert.equal(out.leftover?.collateralBase, 700n * E8);
    assert.equal(out.healthFactorAfterWad, MAX_UINT256);
    assert.deepEqual(out.deficit, []);
  });
});

describe("D2 (derived): v3.3+ 50 % of the position's debt", () => {
  // 10 ETH ($20,000) at LT 82.5 % against 16,800 USDC → HF 0.98214…; cap 50 % × $16,800 = 8,400 USDC.
  const m = market("3.7", {}, { WETH: 8_250 });
  const a: Account = {
    supplies: [{ symbol: "WETH", balance: 10n * E18 }],
    borrows: [{ symbol: "USDC", balance: 16_800n * E6 }],
    prices: PRICES,
  };
  it("HF, cap, seized, fee and HF after", () => {
    const out = liquidationCall(a, m, { collateral: "WETH", debt: "USDC", debtToCover: "max" });
    assert.equal(out.healthFactorBeforeWad, 982142857142857142n);
    assert.equal(out.closeFactor?.basis, "half-position-debt");
    assert.equal(out.debtRepaid, 8_400n * E6);
    assert.equal(out.collateralSeized, 441n * 10n ** 16n); // 4.2 ETH × 1.05
    assert.equal(out.protocolFee, 21n * 10n ** 15n); // 10 % of the 0.21 ETH bonus
    assert.equal(out.liquidatorAmount, 4_389n * 10n ** 15n);
    assert.equal(out.healthFactorAfterWad, 1098035714285714285n); // $11,180 × 0.825 / $8,400
  });
  it("v3.2 on the same account: 50 % of the reserve (the same 8,400 here: one debt)", () => {
    const cf = closeFactor(a, market("3.2", {}, { WETH: 8_250 }), { collateral: "WETH", debt: "USDC" });
    assert.equal(cf.maxLiquidatableDebt, 8_400n * E6);
  });
});

describe("D6 (derived): all collateral consumed → deficit (v3.3+), bad debt stays (v3.2)", () => {
  // 0.5 ETH ($1,000) at LT 82.5 % against 1,000 USDC + 300 DAI → HF 0.6346…
  const a: Account = {
    supplies: [{ symbol: "WETH", balance: 5n * 10n ** 17n }],
    borrows: [
      { symbol: "USDC", balance: 1_000n * E6 },
      { symbol: "DAI", balance: 300n * E18 },
    ],
    prices: PRICES,
  };
  const call = { collateral: "WETH", debt: "USDC", debtToCover: "max" as const };
  it("v3.7: seize 0.5 ETH, repay ⌈1,000 ÷ 1.05⌉ = 952.380953 USDC, deficit 47.619047 USDC + 300 DAI", () => {
    const out = liquidationCall(a, market("3.7", {}, { WETH: 8_250 }), call);
    assert.equal(out.healthFactorBeforeWad, 634615384615384615n);
    assert.equal(out.collateral?.cappedByBalance, true);
    assert.equal(out.collateralSeized, 5n * 10n ** 17n);
    assert.equal(out.debtRepaid, 952_380_953n);
    assert.equal(out.bonus, 23809523809523810n);
    assert.equal(out.protocolFee, 2380952380952381n);
    assert.equal(out.liquidatorAmount, 497619047619047619n);
    assert.equal(out.hasNoCollateralLeft, true);
    assert.deepEqual(out.deficit, [
      { symbol: "USDC", amount: 47_619_047n },
      { symbol: "DAI", amount: 300n * E18 },
    ]);
    assert.ok(out.accountAfter.borrows.every((b) => b.balance === 0n));
    assert.equal(out.healthFactorAfterWad, MAX_UINT256);
  });
  it("v3.3: half-up percentDiv repays 952.380952, deficit 47.619048 USDC", () => {
    const out = liquidationCall(a, market("3.3", {}, { WETH: 8_250 }), call);
    assert.equal(out.debtRepaid, 952_380_952n);
    assert.equal(out.deficit[0]?.amount, 47_619_048n);
  });
  it("v3.2: no deficit; 47.619048 USDC and 300 DAI stay on an account with no collateral (HF 0)", () => {
    const out = liquidationCall(a, market("3.2", {}, { WETH: 8_250 }), call);
    assert.equal(out.hasNoCollateralLeft, false);
    assert.deepEqual(out.deficit, []);
    assert.equal(out.accountAfter.borrows[0]?.balance, 47_619_048n);
    assert.equal(out.healthFactorAfterWad, 0n);
  });
});

describe("D7 (derived): the three v3.7 rounding sites, base 1,234,571 units, bonus 10,500, fee 10 %", () => {
  const input = {
    collateralPrice: E8,
    collateralDecimals: 18,
    debtPrice: E8,
    debtDecimals: 18,
    debtToCover: 1_234_571n,
    collateralBalance: 10n ** 30n,
    liquidationBonusBps: 10_500,
    liquidationProtocolFeeBps: 1_000,
  };
  it("v3.7: seized ⌊1,296,299.55⌋, bonus 1,296,299 − ⌊1,234,570.48⌋ = 61,729, fee ⌈6,172.9⌉", () => {
    const r = calculateAvailableCollateralToLiquidate({ ...input, version: "3.7" });
    assert.deepEqual(
      [r.collateralSeized, r.bonus, r.protocolFee, r.liquidatorAmount],
      [1_296_299n, 61_729n, 6_173n, 1_290_126n],
    );
  });
  it("v3.5: seized half-up 1,296,300, fee half-up 6,173, liquidator 1,290,127 (one unit more)", () => {
    const r = calculateAvailableCollateralToLiquidate({ ...input, version: "3.5" });
    assert.deepEqual(
      [r.collateralSeized, r.bonus, r.protocolFee, r.liquidatorAmount],
      [1_296_300n, 61_729n, 6_173n, 1_290_127n],
    );
  });
});

describe("D8 (derived): e-mode LT 95 % and bonus 1 % for wstETH against WETH", () => {
  // 10 wstETH ($24,000) against 11.9 WETH ($23,800): e-mode HF 0.95798…, outside e-mode (LT 81 %) 0.81680…
  const a: Account = {
    supplies: [{ symbol: "wstETH", balance: 10n * E18 }],
    borrows: [{ symbol: "WETH", balance: 119n * 10n ** 17n }],
    prices: PRICES,
    eModeCategoryId: 1,
  };
  it("e-mode LT in the HF and the float view", () => {
    assert.equal(healthFactorWad(a, market("3.7")), 957983193277310924n);
    assert.equal(healthFactorWad({ ...a, eModeCategoryId: 0 }, market("3.7")), 816806722689075630n);
    assertRel(healthFactorFloat(a, market("3.7")), (24_000 * 0.95) / 23_800, 1e-12, "float");
  });
  it("50 % cap 5.95 WETH, e-mode bonus 1 %; HF falls to 0.95647 because HF < LT × LB = 0.9595", () => {
    const out = liquidationCall(a, market("3.7"), { collateral: "wstETH", debt: "WETH", debtToCover: "max" });
    assert.equal(out.debtRepaid, 595n * 10n ** 16n);
    assert.equal(out.collateral?.baseCollateral, 4958333333333333333n);
    assert.equal(out.collateralSeized, 5007916666666666666n);
    assert.equal(out.protocolFee, 4958333333333334n);
    assert.equal(out.liquidatorAmount, 5002958333333333332n);
    assert.equal(out.healthFactorAfterWad, 956466386554621848n);
    assert.ok(out.healthFactorAfterWad < out.healthFactorBeforeWad);
  });
});

describe("liquidationCall validation", () => {
  const a: Account = {
    supplies: [
      { symbol: "WETH", balance: 35n * 10n ** 17n },
      { symbol: "DAI", balance: 10n * E18, usedAsCollateral: false },
    ],
    borrows: [{ symbol: "USDC", balance: 6_000n * E6 }],
    prices: PRICES,
  };
  const m = market("3.7");
  it("HF ≥ 1 → HealthFactorNotBelowThreshold; sentinel grace period at HF 0.9333 is fine (< 0.95)", () => {
    const healthy = { ...a, borrows: [{ symbol: "USDC", balance: 5_000n * E6 }] };
    assert.equal(
      revertOf(() => liquidationCall(healthy, m, { collateral: "WETH", debt: "USDC", debtToCover: 1n })),
      "HealthFactorNotBelowThreshold",
    );
    const out = revertOf(() =>
      liquidationCall(
        a,
        m,
        { collateral: "WETH", debt: "USDC", debtToCover: 1_000n * E6 },
        {
          sentinelGracePeriod: true,
        },
      ),
    );
    assert.equal(out, null);
  });
  it("sentinel grace period at HF 0.96 → PriceOracleSentinelCheckFailed", () => {
    const b = { ...a, borrows: [{ symbol: "USDC", balance: 5_833n * E6 }] };
    assert.ok(healthFactorWad(b, m) > 95n * 10n ** 16n);
    const out = revertOf(() =>
      liquidationCall(
        b,
        m,
        { collateral: "WETH", debt: "USDC", debtToCover: 1n },
        {
          sentinelGracePeriod: true,
        },
      ),
    );
    assert.equal(out, "PriceOracleSentinelCheckFailed");
  });
  it("collateral not enabled, debt not owed", () => {
    assert.equal(
      revertOf(() => liquidationCall(a, m, { collateral: "DAI", debt: "USDC", debtToCover: 1n })),
      "CollateralCannotBeLiquidated",
    );
    assert.equal(
      revertOf(() => liquidationCall(a, m, { collateral: "WETH", debt: "DAI", debtToCover: 1n })),
      "SpecifiedCurrencyNotBorrowedByUser",
    );
  });
  it("bad input is an InputError naming the field", () => {
    assert.throws(
      () => liquidationCall(a, m, { collateral: "BTC", debt: "USDC", debtToCover: 1n }),
      /collateral: is not a reserve/,
    );
    assert.throws(
      () => healthFactorWad({ ...a, prices: { ...PRICES, WETH: 0n } }, m),
      /prices\.WETH: must be a positive bigint price/,
    );
    const bad = market("3.7");
    assert.throws(
      () =>
        healthFactorWad(a, {
          ...bad,
          reserves: bad.reserves.map((r) =>
            r.symbol === "WETH" ? { ...r, liquidationBonusBps: 13_000 } : r,
          ),
        }),
      /reserves\[0\]\.liquidationBonusBps: times the liquidation threshold/,
    );
  });
});
