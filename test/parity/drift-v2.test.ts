/**
 * Drift v2 against the program's own Rust unit tests (expectations re-typed as facts; no code copied).
 * Sources:
 * - drift-labs/protocol-v2 `programs/drift/src/math/liquidation/tests.rs` @ f01db28da99e08647a27e552367281508e48c669
 *   (mods `calculate_base_asset_amount_to_cover_margin_shortage`, `calculate_funding_rate_deltas_to_resolve_bankruptcy`,
 *   `calculate_cumulative_deposit_interest_delta_to_resolve_bankruptcy`);
 * - the same file at the revision the research note read (drift-labs/protocol-v2 @ 0ae3e3b1db782a6765c3525b3dec38ad4d9d3a62,
 *   research note §10.5): mods `calculate_perp_if_fee` (19,000 and 37,050, "2 % × .95", "3.9 % × .95"),
 *   `calculate_max_pct_to_liquidate` ($49 → 100 %), `get_liquidation_fee` (2 %/3 %/5 %);
 * - an earlier revision of that file (stored copy, commit not recorded) whose `calculate_perp_if_fee` test
 *   asserts the pre-95 % values 20,000 (2 %) and 39,000 (3.9 %);
 * - drift-labs/protocol-v2 `programs/drift/src/math/margin/tests.rs` @ 0272ab4355877d17a97beb0c674b073d7e77cd9f
 *   (`spot_market_asset_weight`: liability weights 11,000 / 11,962 / 40,422 / 31,622 from
 *   `calculate_size_premium_liability_weight`, the function perp margin ratios use);
 * - drift-labs/drift-rs `crates/src/math/mod.rs` (`get_liquidation_fee`, `calculate_perp_if_fee` with 19/20);
 * - research note /work/shared/research/mechanics.md §4 and §10.5 (TV-DRIFT-1 … TV-DRIFT-4).
 * Tests marked "derived" check consistency of the formulas; they are not published oracles.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import {
  BASE_PRECISION,
  baseAssetAmountToCoverMarginShortage,
  baseLiquidatorFee,
  canBeLiquidated,
  canExitLiquidation,
  cumulativeDepositInterestDelta,
  DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
  fundingPayment,
  fundingRateDeltaToResolveBankruptcy,
  LIQUIDATION_PCT_PRECISION,
  liquidatePerp,
  liquidationFee,
  liquidationPrice,
  liquidationSteps,
  marginCalculation,
  marginRatio,
  marginShortage,
  maxLiquidationFee,
  maxPctToLiquidate,
  type PerpMarket,
  perpIfFee,
  resolvePerpBankruptcy,
  sizePremiumLiabilityWeight,
  validatePerpMarket,
  venue,
} from "../../src/venues/drift-v2.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { assertNear } from "../helpers/close.js";

const QUOTE = 1_000_000n;
const PRICE = 1_000_000n;
const BASE = BASE_PRECISION;
const LIQ = 1_000_000; // LIQUIDATION_FEE_PRECISION
const MARGIN = 10_000; // MARGIN_PRECISION

describe("base to cover a margin shortage (math/liquidation/tests.rs; TV-DRIFT-1)", () => {
  const shortage = 10n * QUOTE;
  const mr = MARGIN / 10; // 10x
  const oracle = 100n * PRICE;
  it("zero_percent_liquidation_fee: $10 shortage, 10 %, $100 → 1 base", () => {
    assert.equal(baseAssetAmountToCoverMarginShortage(shortage, mr, 0, 0, oracle, PRICE), BASE);
  });
  it("usdc_not_one: quote oracle $0.99 → 1,010,101,010; $1.01 → 990,099,009", () => {
    assert.equal(baseAssetAmountToCoverMarginShortage(shortage, mr, 0, 0, oracle, 990_000n), 1_010_101_010n);
    assert.equal(baseAssetAmountToCoverMarginShortage(shortage, mr, 0, 0, oracle, 1_010_000n), 990_099_009n);
  });
  it("one_percent_liquidation_fee → 10/9 base, and freed collateral − fee = $10 (10,000,000)", () => {
    const fee = LIQ / 100;
    const base = baseAssetAmountToCoverMarginShortage(shortage, mr, fee, 0, oracle, PRICE);
    assert.equal(base, (BASE * 10n) / 9n);
    const value = ((base ?? 0n) * oracle) / PRICE / 1_000n;
    const freed = (value * BigInt(mr)) / BigInt(MARGIN);
    const negativePnl = (value * BigInt(fee)) / BigInt(LIQ);
    assert.equal(freed - negativePnl, 10_000_000n);
  });
  it("one_percent_liquidation_fee_and_one_percent_if_liquidation_fee → 1,250,000,000, freed − fee − IF fee = 10,000,000", () => {
    const fee = LIQ / 100;
    const base = baseAssetAmountToCoverMarginShortage(shortage, mr, fee, fee, oracle, PRICE);
    assert.equal(base, 1_250_000_000n);
    const value = ((base ?? 0n) * oracle) / PRICE / 1_000n;
    const freed = (value * BigInt(mr)) / BigInt(MARGIN);
    const liquidatorPnl = (value * BigInt(fee)) / BigInt(LIQ);
    const ifFee = (value * BigInt(fee)) / BigInt(LIQ);
    assert.equal(freed - liquidatorPnl - ifFee, 10_000_000n);
  });
  it("returns null (the program's u64::MAX: take all) when the margin ratio does not exceed the fee, or the price is 0", () => {
    assert.equal(baseAssetAmountToCoverMarginShortage(shortage, 100, 10_000, 0, oracle), null);
    assert.equal(baseAssetAmountToCoverMarginShortage(shortage, mr, 0, 0, 0n), null);
  });
});

describe("dynamic insurance-fund fee (math/liquidation/tests.rs mod calculate_perp_if_fee; TV-DRIFT-2)", () => {
  const shortage = 20n * QUOTE;
  const oracle = 100n * PRICE;
  const liquidatorFee = LIQ / 100;
  const mr = MARGIN / 20; // 5 %
  const base = 10n * BASE;
  const maxIf = LIQ / 20; // 5 %
  const fee = (s: bigint, b: bigint, lf: number, p: bigint, q: bigint, haircut = true) =>
    perpIfFee(s, b, mr, lf, p, q, maxIf, haircut);
  it("current program (× 95 %): $20 shortage → 19,000 (2 % × .95); $1 → 37,050 (3.9 % × .95)", () => {
    assert.equal(fee(shortage, base, liquidatorFee, oracle, PRICE), 19_000);
    assert.equal(fee(QUOTE, base, liquidatorFee, oracle, PRICE), 37_050);
  });
  it("$1,000 shortage → 0; liquidator fee 10 % → 0; zero oracle, quote price or base → 0", () => {
    assert.equal(fee(1_000n * QUOTE, base, liquidatorFee, oracle, PRICE), 0);
    assert.equal(fee(shortage, base, LIQ / 10, oracle, PRICE), 0);
    assert.equal(fee(shortage, base, liquidatorFee, 0n, PRICE), 0);
    assert.equal(fee(shortage, base, liquidatorFee, oracle, 0n), 0);
    assert.equal(fee(shortage, 0n, liquidatorFee, oracle, PRICE), 0);
  });
  it("earlier program (no 95 %): 20,000 (2 %) and 39,000 (3.9 %)", () => {
    assert.equal(fee(shortage, base, liquidatorFee, oracle, PRICE, false), 20_000);
    assert.equal(fee(QUOTE, base, liquidatorFee, oracle, PRICE, false), 39_000);
  });
});

describe("liquidator fee escalation (mod get_liquidation_fee; TV-DRIFT-3)", () => {
  const base = (2 * LIQ) / 100;
  const max = (5 * LIQ) / 100;
  it("base 2 %, max 5 %, user slot 0: slot 100,000 → 5 %; slot 10 (grace) → 2 %; slot 10,000 → 3 %", () => {
    assert.equal(liquidationFee(base, max, 0, 100_000), max);
    assert.equal(liquidationFee(base, max, 0, 10), base);
    assert.equal(liquidationFee(base, max, 0, 10_000), (3 * LIQ) / 100);
  });
  it("a current slot before the user's last active slot is refused (MathError)", () => {
    assert.throws(
      () => liquidationFee(base, max, 10, 5),
      (e: unknown) => isVenueRevert(e, "drift-v2") && e.reason === "MathError",
    );
  });
  it("max fee = min(3 × liquidator fee, maintenance ratio): fee 1 %, MM 5 % → 3 %; fee 2 %, MM 5 % → 5 % (derived)", () => {
    const m = (liquidatorFee: number): PerpMarket => ({
      symbol: "X",
      marginRatioInitial: 1000,
      marginRatioMaintenance: 500,
      imfFactor: 0,
      liquidatorFee,
      ifLiquidationFee: 0,
    });
    assert.equal(maxLiquidationFee(m(10_000)), 30_000);
    assert.equal(maxLiquidationFee(m(20_000)), 50_000);
  });
});

describe("speed limit (mod calculate_max_pct_to_liquidate; TV-DRIFT-4)", () => {
  it("shortage $49 (< $50), slot 1, initial 10 %, duration 10 → 100 %", () => {
    assert.equal(
      maxPctToLiquidate({
        lastActiveSlot: 0n,
        liquidationMarginFreed: 0n,
        marginShortage: 49n * QUOTE,
        slot: 1n,
        initialPctToLiquidate: LIQUIDATION_PCT_PRECISION / 10n,
        liquidationDuration: 10n,
      }),
      LIQUIDATION_PCT_PRECISION,
    );
  });
  it("shortage $100 at the start of a liquidation: the initial 10 %; after 5 of 10 slots with $10 freed: (110·60 % − 10)/100 = 56 % (derived)", () => {
    const base = {
      lastActiveSlot: 0n,
      marginShortage: 100n * QUOTE,
      initialPctToLiquidate: 1_000n,
      liquidationDuration: 10n,
    };
    assert.equal(maxPctToLiquidate({ ...base, liquidationMarginFreed: 0n, slot: 5n }), 1_000n);
    assert.equal(maxPctToLiquidate({ ...base, liquidationMarginFreed: 10n * QUOTE, slot: 5n }), 5_600n);
  });
});

describe("bankruptcy resolution (mods calculate_funding_rate_deltas_to_resolve_bankruptcy, calculate_cumulative_deposit_interest_delta…)", () => {
  it("total_base_asset_amount_not_zero: loss $100 over 7 long + 4 short → 9,090,910,000 (rounded up)", () => {
    assert.equal(fundingRateDeltaToResolveBankruptcy(-100n * QUOTE, 7n * BASE, -4n * BASE), 9_090_910_000n);
  });
  it("total_base_asset_amount_is_zero: refused (CantResolvePerpBankruptcy)", () => {
    assert.throws(
      () => fundingRateDeltaToResolveBankruptcy(-QUOTE, 0n, 0n),
      (e: unknown) => isVenueRevert(e, "drift-v2") && e.reason === "CantResolvePerpBankruptcy",
    );
  });
  it("the delta makes the 7 longs pay $63.63637 and the 4 shorts $36.36364: at least the $100 loss (derived)", () => {
    const delta = 9_090_910_000n;
    const paid = fundingPayment(delta, 7n * BASE) + fundingPayment(delta, -4n * BASE);
    assert.equal(fundingPayment(delta, 7n * BASE), 63_636_370n);
    assert.equal(fundingPayment(delta, -4n * BASE), 36_363_640n);
    assert.ok(paid >= 100n * QUOTE);
  });
  it("non_zero_total_deposits: borrow 11 USDC over 120 USDC deposits (interest 1.0) → 916,666,667; zero_total_deposits → 0", () => {
    const SPOT_CUMULATIVE_INTEREST_PRECISION = 10_000_000_000n;
    assert.equal(
      cumulativeDepositInterestDelta(11n * QUOTE, SPOT_CUMULATIVE_INTEREST_PRECISION, 120n * QUOTE),
      916_666_667n,
    );
    assert.equal(
      cumulativeDepositInterestDelta(100n * QUOTE, (1111n * SPOT_CUMULATIVE_INTEREST_PRECISION) / 1000n, 0n),
      0n,
    );
  });
  it("resolve_perp_bankruptcy order: insurance fund (vault − 1, max insurance), fee pool, then socialised (derived)", () => {
    const r = resolvePerpBankruptcy({
      loss: -1_000n * QUOTE,
      insuranceFundVaultBalance: 600n * QUOTE,
      quoteMaxInsurance: 10_000n * QUOTE,
      quoteSettledInsurance: 0n,
      feePoolTokens: 100n * QUOTE,
      baseAssetAmountLong: 7n * BASE,
      baseAssetAmountShort: -4n * BASE,
    });
    assert.equal(r.ifPayment, 600n * QUOTE - 1n);
    assert.equal(r.feePoolPayment, 100n * QUOTE);
    assert.equal(r.lossToSocialize, -300n * QUOTE - 1n);
    assert.equal(
      r.cumulativeFundingRateDelta,
      fundingRateDeltaToResolveBankruptcy(r.lossToSocialize, 7n * BASE, -4n * BASE),
    );
    assert.throws(
      () =>
        resolvePerpBankruptcy({
          loss: 0n,
          insuranceFundVaultBalance: 0n,
          quoteMaxInsurance: 0n,
          quoteSettledInsurance: 0n,
          baseAssetAmountLong: BASE,
          baseAssetAmountShort: 0n,
        }),
      (e: unknown) => isVenueRevert(e, "drift-v2"),
    );
  });
});

describe("size premium (math/margin/tests.rs::spot_market_asset_weight; research note §4.1)", () => {
  // 1,000 USDC of a 6-decimal token is 1e12 in AMM_RESERVE_PRECISION (1e9); SPOT_WEIGHT_PRECISION = MARGIN_PRECISION.
  const size = 1_000n * BASE;
  it("initial liability weight 11,000: imf 0 → 11,000; imf 10 → 11,000; imf 10,000 → 11,962; imf 100,000 → 40,422", () => {
    assert.equal(sizePremiumLiabilityWeight(size, 0, 11_000), 11_000);
    assert.equal(sizePremiumLiabilityWeight(size, 10, 11_000), 11_000);
    assert.equal(sizePremiumLiabilityWeight(size, 10_000, 11_000), 11_962);
    assert.equal(sizePremiumLiabilityWeight(size, 100_000, 11_000), 40_422);
  });
  it("maintenance liability weight (default 0), imf 100,000 → 31,622", () => {
    assert.equal(sizePremiumLiabilityWeight(size, 100_000, 0), 31_622);
  });
  it("perp margin ratio: base 5 % maintenance with imf 1,000 rises from 500 at small size (derived)", () => {
    const m: PerpMarket = {
      symbol: "BTC-PERP",
      marginRatioInitial: 1_000,
      marginRatioMaintenance: 500,
      imfFactor: 1_000,
      liquidatorFee: 10_000,
      ifLiquidationFee: 10_000,
    };
    assert.equal(marginRatio(m, BASE, "maintenance"), 500);
    // 10,000 base: ⌊√(10·1e13 + 1)⌋ = 10,000,000; ·1,000/1e7 = 1,000 → 500 − 100 + 1,000 = 1,400 (14 %)
    assert.equal(marginRatio(m, 10_000n * BASE, "maintenance"), 1_400);
    assert.equal(marginRatio(m, BASE, "fill"), 750);
  });
});

describe("liquidate_perp composition and margin (derived from the formulas)", () => {
  const market: PerpMarket = {
    symbol: "SOL-PERP",
    marginRatioInitial: 1_000,
    marginRatioMaintenance: 500,
    imfFactor: 0,
    liquidatorFee: 10_000,
    ifLiquidationFee: 10_000,
    orderStepSize: 10_000_000n,
  };
  it("an account 10 long @ $100 with −$960 of quote: TC $40, MR $50 → liquidatable; shortage with the 2 % buffer = $30", () => {
    const account = {
      quoteBalance: 0n,
      positions: [
        { market, baseAssetAmount: 10n * BASE, quoteAssetAmount: -960n * QUOTE, oraclePrice: 100n * PRICE },
      ],
    };
    const calc = marginCalculation(account, "maintenance", DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO);
    assert.equal(calc.totalCollateral, 40n * QUOTE);
    assert.equal(calc.marginRequirement, 50n * QUOTE);
    assert.equal(calc.marginRequirementPlusBuffer, 70n * QUOTE);
    assert.ok(canBeLiquidated(calc));
    assert.ok(!canExitLiquidation(calc));
    assert.equal(marginShortage(calc), 30n * QUOTE);
    const liq = liquidatePerp({
      market,
      userBaseAssetAmount: 10n * BASE,
      oraclePrice: 100n * PRICE,
      marginShortage: 30n * QUOTE,
      liquidatorMaxBaseAssetAmount: 100n * BASE,
      slot: 0,
      lastActiveSlot: 0,
    });
    // mr+buffer 7 %, liquidator 1 %, IF min(1 %, 95 %·(7 % − 1 % − 3 %)) = 1 % → base = 30/(100·5 %) = 6.
    assert.equal(liq.marginRatioWithBuffer, 700);
    assert.equal(liq.ifFee, 10_000);
    assert.equal(liq.baseToCoverMarginShortage, 6n * BASE);
    assert.equal(liq.baseAssetAmount, 6n * BASE);
    assert.equal(liq.liquidatorFeeQuote, 6n * QUOTE);
    assert.equal(liq.ifFeeQuote, 6n * QUOTE);
    assert.ok(liq.coversShortage);
    // After the transfer: TC = 40 − 6 − 6 = 28, requirement + buffer on 4 base = 28 → exits liquidation.
    const after = marginCalculation(
      {
        quoteBalance: 0n,
        positions: [
          {
            market,
            baseAssetAmount: 4n * BASE,
            quoteAssetAmount: -960n * QUOTE + 600n * QUOTE - 12n * QUOTE,
            oraclePrice: 100n * PRICE,
          },
        ],
      },
      "maintenance",
      DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
    );
    assert.ok(canExitLiquidation(after));
  });
  it("high-leverage mode: base liquidator fee min(fee, 0.8 × HLM maintenance) (derived)", () => {
    const hl = { ...market, highLeverageMarginRatioInitial: 200, highLeverageMarginRatioMaintenance: 100 };
    assert.equal(baseLiquidatorFee(hl, true), 8_000);
    assert.equal(baseLiquidatorFee(hl, false), 10_000);
    assert.equal(marginRatio(hl, BASE, "maintenance", true), 100);
  });
  it("SDK liquidation price: long 10 @ $100, FC $20, mr 5 % → 100 − 20/9.5; short → 100 + 20/10.5", () => {
    assertNear(
      liquidationPrice({
        oraclePrice: 100,
        baseAmount: 10,
        freeCollateral: 20,
        maintenanceMarginRatio: 0.05,
      }),
      100 - 20 / 9.5,
      1e-12,
    );
    assertNear(
      liquidationPrice({
        oraclePrice: 100,
        baseAmount: -10,
        freeCollateral: 20,
        maintenanceMarginRatio: 0.05,
      }),
      100 + 20 / 10.5,
      1e-12,
    );
  });
  it("venue: caller-supplied markets; bad parameters are refused with the field named", () => {
    const rulebook = venue([market]);
    assert.equal(rulebook.tierTable("SOL-PERP").tiers[0]?.mmr, 0.05);
    assert.equal(rulebook.liquidationFeeRate("SOL-PERP"), 0.02);
    assert.throws(() => validatePerpMarket({ ...market, marginRatioMaintenance: 2_000 }), InputError);
    assert.throws(() => venue([{ ...market, liquidatorFee: -1 }]), InputError);
  });
});

describe("venue procedure (float view; derived)", () => {
  const state = (notional: number, equity: number, maintenanceMargin: number) => ({
    notional,
    equity,
    maintenanceMargin,
    tiers: venue([
      {
        symbol: "X",
        marginRatioInitial: 1_000,
        marginRatioMaintenance: 500,
        imfFactor: 0,
        liquidatorFee: 0,
        ifLiquidationFee: 0,
      },
    ]).tierTable("X").tiers,
  });
  it("equity = MM is not liquidatable; $1,000 at 5 % with equity $40: takeover of (50 + 20 − 40)/(1,000·(5 % + 2 % − 1 %)) = 50 %", () => {
    assert.equal(liquidationSteps(state(1_000, 50, 50))[0]?.action, "none");
    const steps = liquidationSteps(state(1_000, 40, 50), 0.01);
    assert.equal(steps[0]?.action, "cancel-open-orders");
    assert.equal(steps[1]?.action, "backstop-takeover");
    assertNear(steps[1]?.fraction, 0.5, 1e-12, "fraction");
  });
  it("negative equity: the whole position, then bankruptcy (insurance fund, fee pool, socialised loss)", () => {
    const steps = liquidationSteps(state(1_000, -5, 50));
    assert.deepEqual(
      steps.map((x) => [x.action, x.fraction]),
      [
        ["cancel-open-orders", 0],
        ["backstop-takeover", 1],
        ["close-at-bankruptcy", 1],
      ],
    );
  });
});
