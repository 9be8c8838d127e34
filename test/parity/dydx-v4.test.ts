/**
 * dYdX v4 against the chain's own Go unit tests (expectations re-typed as facts; no code copied) and the
 * mainnet genesis. Sources, all in dydxprotocol/v4-chain:
 * - `protocol/x/perpetuals/types/liquidity_tier_test.go` @ 01a48f236c5640df172482db21cd26b8f28ff781
 *   (`TestLiquidityTierValidate`, `TestLiquidityTierGetMaintenanceMarginPpm`, `TestGetInitialMarginQuoteQuantums`,
 *   `TestGetAdjustedInitialMarginPpm`);
 * - `protocol/x/clob/keeper/liquidations_test.go` @ 031eadfb229483c17513bc02b301aedde50a8b8d
 *   (`TestIsLiquidatable`, `TestGetBankruptcyPriceInQuoteQuantums`, `TestGetFillablePrice`,
 *   `TestGetLiquidationInsuranceFundDelta`, `TestConvertFillablePriceToSubticks`,
 *   `TestGetPerpetualPositionToLiquidate`, `TestGetMaxLiquidatableNotionalAndInsuranceLost`,
 *   `TestGetMaxAndMinPositionNotionalLiquidatable`);
 * - `protocol/x/clob/keeper/deleveraging_test.go` @ 020b8b647d26909061188a6bc0494d6ae0655bbf
 *   (`TestIsValidInsuranceFundDelta`, `TestCanDeleverageSubaccount`, `TestOffsetSubaccountPerpetualPosition`);
 * - `protocol/testing/mainnet/genesis.json` @ 1c670234d63070b6a12747283c6be6a9ab96c761 (launch tiers and config);
 * - research note /work/shared/research/mechanics.md §2 and §10.3 (TV-DYDX-BP, TV-DYDX-FP, TV-DYDX-MARGIN).
 *
 * The keeper tests' fixtures (`testutil/constants`): BTC price 5,000,000,000 × 10^−5 = $50,000, atomic
 * resolution −8; ETH 3,000,000,000 × 10^−6 = $3,000, atomic resolution −9; perpetual
 * `BtcUsd_20PercentInitial_10PercentMaintenance` (IMF 20 %, MF 50 %); `*_100PercentMarginRequirement`
 * (IMF 100 %, MF 100 %); `FillablePriceConfig_Default` BA 1.0, SMMR 0.1; default max liquidation fee 0.5 %;
 * `QuoteBalance_OneDollar` = 1,000,000 quote quantums.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import {
  adjustedInitialMarginPpm,
  bankruptcyQuoteQuantums,
  canDeleverage,
  EMPTY_BLOCK,
  fillAmountToQuoteQuantums,
  fillablePrice,
  fillablePriceToSubticks,
  initialMarginQuoteQuantums,
  isLiquidatable,
  isValidInsuranceFundDelta,
  type LiquidationsConfig,
  type LiquidityTier,
  liquidatablePositionSizeDelta,
  liquidationFillUsd,
  liquidationInsuranceFundDelta,
  liquidationOrder,
  liquidationSteps,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  MAINNET_GENESIS_LIQUIDITY_TIERS,
  MAINNET_GENESIS_PERPETUALS,
  type Market,
  maintenanceMarginPpm,
  offsetSubaccountPerpetualPosition,
  positionNotionalLiquidatable,
  quantumPriceToUsd,
  type Rational,
  type Subaccount,
  subaccountMaxInsuranceLost,
  subaccountMaxNotionalLiquidatable,
  subaccountRisk,
  V5_LIQUIDITY_TIERS,
  validateLiquidityTier,
  venue,
} from "../../src/venues/dydx-v4.js";
import { isVenueRevert } from "../../src/venues/revert.js";
import { assertNear } from "../helpers/close.js";

const MAX_UINT64 = (1n << 64n) - 1n;
const usd = (dollars: number): bigint => BigInt(Math.round(dollars * 1e6));

function tier(initialMarginPpm: number, maintenanceFractionPpm: number): LiquidityTier {
  return {
    id: 99,
    name: "test",
    initialMarginPpm,
    maintenanceFractionPpm,
    openInterestLowerCap: 0n,
    openInterestUpperCap: 0n,
    impactNotional: 1n,
  };
}
const TIER_20_10 = tier(200_000, 500_000);
const TIER_100 = tier(1_000_000, 1_000_000);
const btc = (t: LiquidityTier, priceValue = 5_000_000_000n): Market => ({
  ticker: "BTC-USD",
  atomicResolution: -8,
  priceValue,
  priceExponent: -5,
  tier: t,
});
const eth = (t: LiquidityTier): Market => ({
  ticker: "ETH-USD",
  atomicResolution: -9,
  priceValue: 3_000_000_000n,
  priceExponent: -6,
  tier: t,
});
const BTC = btc(TIER_20_10);
const ETH = eth(TIER_20_10);
const ONE_TENTH_BTC = 10_000_000n;
const ONE_BTC = 100_000_000n;
const ONE_TENTH_ETH = 100_000_000n;
const FOUR_THOUSANDTHS_BTC = 400_000n;

/** A subaccount with `usdc` dollars and `[market, quantums]` positions. */
function sub(usdc: number, ...positions: [Market, bigint][]): Subaccount {
  return {
    quoteBalance: usd(usdc),
    positions: positions.map(([market, quantums]) => ({ market, quantums })),
  };
}

const NO_LIMIT: LiquidationsConfig = {
  maxLiquidationFeePpm: 5_000,
  bankruptcyAdjustmentPpm: 1_000_000,
  spreadToMaintenanceMarginRatioPpm: 100_000,
  minPositionNotionalLiquidated: 0n,
  maxPositionPortionLiquidatedPpm: 1_000_000,
  maxNotionalLiquidated: MAX_UINT64,
  maxQuantumsInsuranceLost: MAX_UINT64,
};
const DEFAULT_FILLABLE = { bankruptcyAdjustmentPpm: 1_000_000, spreadToMaintenanceMarginRatioPpm: 100_000 };
const isDydx = (reason: string) => (e: unknown) => isVenueRevert(e, "dydx-v4") && e.reason === reason;
const r = (num: bigint, den: bigint): Rational => ({ num, den });
/** Go's `require.Equal` on `*big.Rat` compares values (big.NewRat normalises): compare by cross-multiplication. */
function assertRatEqual(actual: Rational, expected: Rational, what = ""): void {
  assert.ok(
    actual.num * expected.den === expected.num * actual.den,
    `${what}: expected ${expected.num}/${expected.den}, got ${actual.num}/${actual.den}`,
  );
}

describe("mainnet genesis (protocol/testing/mainnet/genesis.json @ 1c670234)", () => {
  it("launch tiers: Large-Cap IM 5 % MF 60 % → MM 3 %; Mid-Cap 10/50 → 5 %; Long-Tail 20/50 → 10 %; Safety 100/20 → 20 %", () => {
    assert.deepEqual(
      MAINNET_GENESIS_LIQUIDITY_TIERS.map((t) => [t.name, maintenanceMarginPpm(t)]),
      [
        ["Large-Cap", 30_000],
        ["Mid-Cap", 50_000],
        ["Long-Tail", 100_000],
        ["Safety", 200_000],
      ],
    );
    for (const t of MAINNET_GENESIS_LIQUIDITY_TIERS) validateLiquidityTier(t);
  });
  it("liquidations config: fee 1.5 %, BA 1, SMMR 1.5, $1,000 / 10 % per position, $100k and $1M per subaccount per block", () => {
    assert.deepEqual(MAINNET_GENESIS_LIQUIDATIONS_CONFIG, {
      maxLiquidationFeePpm: 15_000,
      bankruptcyAdjustmentPpm: 1_000_000,
      spreadToMaintenanceMarginRatioPpm: 1_500_000,
      minPositionNotionalLiquidated: 1_000_000_000n,
      maxPositionPortionLiquidatedPpm: 100_000,
      maxNotionalLiquidated: 100_000_000_000n,
      maxQuantumsInsuranceLost: 1_000_000_000_000n,
    });
  });
  it("33 perpetuals; BTC-USD and ETH-USD Large-Cap (resolution −10, −9), MKR-USD Long-Tail", () => {
    assert.equal(MAINNET_GENESIS_PERPETUALS.length, 33);
    assert.deepEqual(MAINNET_GENESIS_PERPETUALS[0], {
      ticker: "BTC-USD",
      id: 0,
      liquidityTier: 0,
      atomicResolution: -10,
    });
    assert.equal(MAINNET_GENESIS_PERPETUALS.find((p) => p.ticker === "MKR-USD")?.liquidityTier, 2);
    const rulebook = venue();
    assert.equal(rulebook.tierTable("BTC-USD").tiers[0]?.mmr, 0.03);
    assert.equal(rulebook.tierTable("ETH/USD:USDC").tiers[0]?.maxLeverage, 20);
    assert.equal(rulebook.liquidationFeeRate("BTC-USD"), 0.015);
  });
});

describe("liquidity tiers (x/perpetuals/types/liquidity_tier_test.go @ 01a48f23)", () => {
  it("TestLiquidityTierGetMaintenanceMarginPpm: 120,000; 346,500; 184,343; 1e6; 0; 0; 0", () => {
    const cases: [number, number, number][] = [
      [150_000, 800_000, 120_000],
      [450_000, 770_000, 346_500],
      [637_239, 289_284, 184_343],
      [1_000_000, 1_000_000, 1_000_000],
      [0, 1_000_000, 0],
      [0, 0, 0],
      [1_000_000, 0, 0],
    ];
    for (const [im, mf, mm] of cases) assert.equal(maintenanceMarginPpm(tier(im, mf)), mm, `${im}·${mf}`);
  });

  it("TestGetInitialMarginQuoteQuantums: rounds up; OI scaling between the caps", () => {
    const cases: [number, bigint, bigint, bigint, bigint, bigint][] = [
      // [IMF, quote quantums, OI notional, lower cap, upper cap, expected]
      [200_000, 500_000n, 0n, 0n, 0n, 100_000n],
      [500_000, 1_000_000n, 0n, 0n, 0n, 500_000n],
      [100_000, 1n, 0n, 0n, 0n, 1n],
      [567_243, 123_456n, 0n, 0n, 0n, 70_030n],
      [200_000, 500_000n, 1_500_000_000_000n, 0n, 0n, 100_000n],
      [200_000, 500_000n, 1_500_000_000_000n, 1_000_000_000_000n, 2_000_000_000_000n, 300_000n],
      [200_000, 500_000n, 80_000_000_000_000n, 25_000_000_000_000n, 50_000_000_000_000n, 500_000n],
      [200_000, 500_000n, 25_000_000_000_000n, 25_000_000_000_000n, 50_000_000_000_000n, 100_000n],
      [200_000, 500_000n, 28_123_456_789_123n, 25_000_000_000_000n, 60_000_000_000_000n, 135_697n],
    ];
    for (const [im, q, oi, lower, upper, expected] of cases) {
      const t = { ...tier(im, 0), openInterestLowerCap: lower, openInterestUpperCap: upper };
      assert.equal(initialMarginQuoteQuantums(t, q, oi), expected, `IMF ${im}, N ${q}, OI ${oi}`);
    }
  });

  it("TestGetAdjustedInitialMarginPpm: caps 1e6/2e6, base 200,000 → 200,000; 600,000; 387,653; 200,000; 1e6; 1e6; no caps 200,000", () => {
    const t = { ...tier(200_000, 0), openInterestLowerCap: 1_000_000n, openInterestUpperCap: 2_000_000n };
    const cases: [bigint, bigint][] = [
      [0n, 200_000n],
      [1_500_000n, 600_000n],
      [1_234_567n, 387_653n],
      [1_000_000n, 200_000n],
      [2_000_000n, 1_000_000n],
      [2_500_000n, 1_000_000n],
    ];
    for (const [oi, ppm] of cases) assert.equal(adjustedInitialMarginPpm(t, oi), ppm, `OI ${oi}`);
    assert.equal(adjustedInitialMarginPpm(tier(200_000, 0), 1_500_000n), 200_000n);
  });

  it("TestLiquidityTierValidate: IM or MF above 1e6, zero impact notional, lower cap above upper cap are refused", () => {
    const ok = { ...tier(150_000, 800_000), impactNotional: 3_333_000_000n };
    validateLiquidityTier(ok);
    const bad: Partial<LiquidityTier>[] = [
      { initialMarginPpm: 1_000_001 },
      { maintenanceFractionPpm: 1_000_001 },
      { impactNotional: 0n },
      { openInterestLowerCap: 1_000_000n, openInterestUpperCap: 500_000n },
      { openInterestLowerCap: 1_000_000n, openInterestUpperCap: 0n },
    ];
    for (const b of bad) assert.throws(() => validateLiquidityTier({ ...ok, ...b }), InputError);
  });
});

describe("liquidation rule (liquidations_test.go::TestIsLiquidatable)", () => {
  it("0.1 BTC long: USDC −4,000 and −4,500 are not liquidatable, −4,501 is; no positions never is", () => {
    assert.equal(isLiquidatable(subaccountRisk(sub(-4_000, [BTC, ONE_TENTH_BTC]))), false);
    assert.equal(isLiquidatable(subaccountRisk(sub(-4_500, [BTC, ONE_TENTH_BTC]))), false);
    assert.equal(isLiquidatable(subaccountRisk(sub(-4_501, [BTC, ONE_TENTH_BTC]))), true);
    assert.equal(isLiquidatable(subaccountRisk(sub(1))), false);
    assert.equal(isLiquidatable(subaccountRisk(sub(-1))), false);
  });
});

describe("bankruptcy quote (liquidations_test.go::TestGetBankruptcyPriceInQuoteQuantums; TV-DYDX-BP)", () => {
  const cases: [string, Subaccount, string, bigint, bigint][] = [
    [
      "0.1 BTC long, −4,501, full",
      sub(-4_501, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -ONE_TENTH_BTC,
      4_501_000_000n,
    ],
    [
      "0.1 BTC short, +5,499, full",
      sub(5_499, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      ONE_TENTH_BTC,
      -5_499_000_000n,
    ],
    [
      "0.1 BTC long at bankruptcy, full",
      sub(-5_000, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -ONE_TENTH_BTC,
      5_000_000_000n,
    ],
    [
      "0.1 BTC long at bankruptcy, half",
      sub(-5_000, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -5_000_000n,
      2_500_000_000n,
    ],
    [
      "0.1 BTC short at bankruptcy, half",
      sub(5_000, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      5_000_000n,
      -2_500_000_000n,
    ],
    [
      "0.1 BTC short at bankruptcy, full",
      sub(5_000, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      ONE_TENTH_BTC,
      -5_000_000_000n,
    ],
    [
      "0.1 BTC long below bankruptcy",
      sub(-5_100, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -ONE_TENTH_BTC,
      5_100_000_000n,
    ],
    [
      "0.1 BTC short below bankruptcy",
      sub(4_900, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      ONE_TENTH_BTC,
      -4_900_000_000n,
    ],
    [
      "0.004 BTC + 0.1 ETH long, −490, close ETH",
      sub(-490, [BTC, FOUR_THOUSANDTHS_BTC], [ETH, ONE_TENTH_ETH]),
      "ETH-USD",
      -ONE_TENTH_ETH,
      294_000_000n,
    ],
    [
      "0.004 BTC + 0.1 ETH short, +510, close ETH",
      sub(510, [BTC, -FOUR_THOUSANDTHS_BTC], [ETH, -ONE_TENTH_ETH]),
      "ETH-USD",
      ONE_TENTH_ETH,
      -306_000_000n,
    ],
    [
      "0.004 BTC long + 0.1 ETH short, +110, close ETH",
      sub(110, [BTC, FOUR_THOUSANDTHS_BTC], [ETH, -ONE_TENTH_ETH]),
      "ETH-USD",
      ONE_TENTH_ETH,
      -306_000_000n,
    ],
    [
      "1 BTC long, −13, Δ −21,347: rounded up from 2,775.11",
      sub(-13, [BTC, ONE_BTC]),
      "BTC-USD",
      -21_347n,
      2_776n,
    ],
    [
      "1 BTC short, +13, Δ +21,347: rounded up from −2,775.11",
      sub(13, [BTC, -ONE_BTC]),
      "BTC-USD",
      21_347n,
      -2_775n,
    ],
    [
      "1 BTC long, +1: cannot be liquidated at a loss",
      sub(1, [BTC, ONE_BTC]),
      "BTC-USD",
      -ONE_BTC,
      -1_000_000n,
    ],
  ];
  for (const [name, s, ticker, delta, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(bankruptcyQuoteQuantums(s, ticker, delta), expected));
  }
  it("refuses Δ = 0, a missing position, the same sign, and |Δ| > |q| (ErrInvalidPerpetualPositionSizeDelta)", () => {
    const s = sub(-4_501, [BTC, ONE_BTC]);
    const e = isDydx("ErrInvalidPerpetualPositionSizeDelta");
    assert.throws(() => bankruptcyQuoteQuantums(s, "BTC-USD", 0n), e);
    assert.throws(() => bankruptcyQuoteQuantums(sub(-4_501), "BTC-USD", -10_000_000n), e);
    assert.throws(() => bankruptcyQuoteQuantums(s, "BTC-USD", 10_000_000n), e);
    assert.throws(() => bankruptcyQuoteQuantums(s, "BTC-USD", -100_000_001n), e);
  });
});

describe("fillable price (liquidations_test.go::TestGetFillablePrice; TV-DYDX-FP)", () => {
  const long4501 = sub(-4_501, [BTC, ONE_TENTH_BTC]);
  const short5499 = sub(5_499, [BTC, -ONE_TENTH_BTC]);
  const cfg = (ba: number, smmr: number) => ({
    bankruptcyAdjustmentPpm: ba,
    spreadToMaintenanceMarginRatioPpm: smmr,
  });
  const cases: [string, Subaccount, string, bigint, ReturnType<typeof cfg>, Rational][] = [
    [
      "long slightly below MM",
      long4501,
      "BTC-USD",
      -ONE_TENTH_BTC,
      cfg(1_000_000, 100_000),
      r(49_999n, 100n),
    ],
    ["long, BA 2", long4501, "BTC-USD", -ONE_TENTH_BTC, cfg(2_000_000, 100_000), r(49_998n, 100n)],
    ["long, SMMR 0.2", long4501, "BTC-USD", -ONE_TENTH_BTC, cfg(1_000_000, 200_000), r(49_998n, 100n)],
    [
      "short slightly below MM",
      short5499,
      "BTC-USD",
      ONE_TENTH_BTC,
      cfg(1_000_000, 100_000),
      r(50_001n, 100n),
    ],
    ["short, BA 2", short5499, "BTC-USD", ONE_TENTH_BTC, cfg(2_000_000, 100_000), r(50_002n, 100n)],
    ["short, SMMR 0.2", short5499, "BTC-USD", ONE_TENTH_BTC, cfg(1_000_000, 200_000), r(50_002n, 100n)],
    [
      "long at bankruptcy",
      sub(-5_000, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -ONE_TENTH_BTC,
      DEFAULT_FILLABLE,
      r(495n, 1n),
    ],
    [
      "long at bankruptcy, half",
      sub(-5_000, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -5_000_000n,
      DEFAULT_FILLABLE,
      r(495n, 1n),
    ],
    [
      "short at bankruptcy",
      sub(5_000, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      ONE_TENTH_BTC,
      DEFAULT_FILLABLE,
      r(505n, 1n),
    ],
    [
      "long below bankruptcy",
      sub(-5_500, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      -ONE_TENTH_BTC,
      DEFAULT_FILLABLE,
      r(495n, 1n),
    ],
    [
      "short below bankruptcy",
      sub(4_500, [BTC, -ONE_TENTH_BTC]),
      "BTC-USD",
      ONE_TENTH_BTC,
      DEFAULT_FILLABLE,
      r(505n, 1n),
    ],
    [
      "multiple longs, close ETH ($2,976/ETH, ABR 0.8)",
      sub(-490, [BTC, FOUR_THOUSANDTHS_BTC], [ETH, ONE_TENTH_ETH]),
      "ETH-USD",
      -ONE_TENTH_ETH,
      DEFAULT_FILLABLE,
      r(372n, 125n),
    ],
    [
      "BA = max uint32 (ABR clamps to 1)",
      long4501,
      "BTC-USD",
      -ONE_TENTH_BTC,
      cfg(4_294_967_295, 100_000),
      r(495n, 1n),
    ],
    ["SMMR = 1 ppm", long4501, "BTC-USD", -ONE_TENTH_BTC, cfg(1_000_000, 1), r(4_999_999_999n, 10_000_000n)],
    ["SMMR = 1.0", long4501, "BTC-USD", -ONE_TENTH_BTC, cfg(1_000_000, 1_000_000), r(49_990n, 100n)],
  ];
  for (const [name, s, ticker, delta, config, expected] of cases) {
    it(`${name} → ${expected.num}/${expected.den}`, () => {
      assertRatEqual(fillablePrice(s, ticker, delta, config), expected, name);
    });
  }
  it("in USD per coin: 49999/100 quote quantums per base quantum = $49,999/BTC; 372/125 = $2,976/ETH", () => {
    assertNear(quantumPriceToUsd(r(49_999n, 100n), -8), 49_999, 1e-9, "BTC");
    assertNear(quantumPriceToUsd(r(372n, 125n), -9), 2_976, 1e-9, "ETH");
  });
  it("refuses invalid deltas like the bankruptcy price", () => {
    const s = sub(-4_501, [BTC, ONE_BTC]);
    const e = isDydx("ErrInvalidPerpetualPositionSizeDelta");
    assert.throws(() => fillablePrice(s, "BTC-USD", 0n, DEFAULT_FILLABLE), e);
    assert.throws(() => fillablePrice(sub(-4_501), "BTC-USD", -10_000_000n, DEFAULT_FILLABLE), e);
    assert.throws(() => fillablePrice(s, "BTC-USD", 10_000_000n, DEFAULT_FILLABLE), e);
    assert.throws(() => fillablePrice(s, "BTC-USD", -100_000_001n, DEFAULT_FILLABLE), e);
  });
});

describe("insurance-fund delta (liquidations_test.go::TestGetLiquidationInsuranceFundDelta)", () => {
  const long = sub(-5_100, [BTC, ONE_TENTH_BTC]); // bankruptcy 5,100,000,000
  const short = sub(4_900, [BTC, -ONE_TENTH_BTC]); // bankruptcy −4,900,000,000
  const fill = (isBuy: boolean, subticks: bigint) => ({
    isBuy,
    fillQuantums: ONE_TENTH_BTC,
    quoteQuantums: fillAmountToQuoteQuantums(subticks, ONE_TENTH_BTC, -8),
  });
  const cases: [string, Subaccount, ReturnType<typeof fill>, number, bigint][] = [
    ["long sold 10 % above bankruptcy, fee 0.5 %", long, fill(false, 56_100_000_000n), 5_000, 28_050_000n],
    ["long sold 10 % above, fee 2.5 %", long, fill(false, 56_100_000_000n), 25_000, 140_250_000n],
    [
      "long sold 10 % above, fee 100 %: all the leftover",
      long,
      fill(false, 56_100_000_000n),
      1_000_000,
      510_000_000n,
    ],
    ["short bought 10 % better, fee 0.5 %", short, fill(true, 44_100_000_000n), 5_000, 22_050_000n],
    ["short bought 10 % better, fee 2.5 %", short, fill(true, 44_100_000_000n), 25_000, 110_250_000n],
    ["short bought 10 % better, fee 100 %", short, fill(true, 44_100_000_000n), 1_000_000, 490_000_000n],
    ["long sold 0.1 % above: leftover < fee", long, fill(false, 51_051_000_000n), 5_000, 5_100_000n],
    ["short bought 0.1 % better: leftover < fee", short, fill(true, 48_951_000_000n), 5_000, 4_900_000n],
    ["long sold at bankruptcy: 0", long, fill(false, 51_000_000_000n), 5_000, 0n],
    ["short bought at bankruptcy: 0", short, fill(true, 49_000_000_000n), 5_000, 0n],
    [
      "long sold 1 % below bankruptcy: the fund pays",
      long,
      fill(false, 50_490_000_000n),
      5_000,
      -51_000_000n,
    ],
    ["short bought 1 % worse: the fund pays", short, fill(true, 49_490_000_000n), 5_000, -49_000_000n],
    ["quote rounds to 0 (1 subtick): 0", short, fill(true, 1n), 5_000, 0n],
  ];
  for (const [name, s, f, feePpm, expected] of cases) {
    it(`${name} → ${expected}`, () =>
      assert.equal(
        liquidationInsuranceFundDelta(s, "BTC-USD", f, { maxLiquidationFeePpm: feePpm }),
        expected,
      ));
  }
  it("a zero fill is refused (ErrInvalidQuantumsForInsuranceFundDeltaCalculation)", () => {
    assert.throws(
      () =>
        liquidationInsuranceFundDelta(
          short,
          "BTC-USD",
          { isBuy: true, fillQuantums: 0n, quoteQuantums: 0n },
          { maxLiquidationFeePpm: 5_000 },
        ),
      isDydx("ErrInvalidQuantumsForInsuranceFundDeltaCalculation"),
    );
  });
});

describe("float liquidation fill against TestGetLiquidationInsuranceFundDelta and TestGetFillablePrice", () => {
  // The chain's vectors in USD: 0.1 BTC at oracle $50,000, tier IMF 20 % MF 50 % (MMF 10 %, TMMR $500);
  // long USDC −5,100 → TNC −$100 (bankruptcy $5,100), short USDC +4,900 → TNC −$100 (bankruptcy −$4,900).
  const long = {
    size: 0.1,
    markPrice: 50_000,
    maintenanceMarginFraction: 0.1,
    equity: -100,
    maintenanceMargin: 500,
  };
  const short = { ...long, size: -0.1 };
  const cfg = (feePpm: number) => ({ ...DEFAULT_FILLABLE, maxLiquidationFeePpm: feePpm });
  const cases: [string, typeof long, number, number, number][] = [
    ["long sold 10 % above bankruptcy, fee 0.5 %", long, 56_100, 5_000, 28.05],
    ["long sold 10 % above, fee 100 %: all the leftover", long, 56_100, 1_000_000, 510],
    ["short bought 10 % better, fee 2.5 %", short, 44_100, 25_000, 110.25],
    ["long sold 0.1 % above: leftover < fee", long, 51_051, 5_000, 5.1],
    ["short bought 0.1 % better: leftover < fee", short, 48_951, 5_000, 4.9],
    ["long sold at bankruptcy: 0", long, 51_000, 5_000, 0],
    ["long sold 1 % below bankruptcy: the fund pays", long, 50_490, 5_000, -51],
    ["short bought 1 % worse: the fund pays", short, 49_490, 5_000, -49],
  ];
  for (const [name, input, price, feePpm, expected] of cases) {
    it(`${name} → $${expected}`, () => {
      const f = liquidationFillUsd(input, cfg(feePpm), price);
      assertNear(f.insuranceFundDelta, expected, 1e-9, "insurance-fund delta");
      assertNear(f.fee, Math.max(0, expected), 1e-9, "fee");
    });
  }
  it("at the fillable price: long at bankruptcy (TNC 0) → $49,500 (495/1), fee 0; long 4,501 → $49,999", () => {
    const atBankruptcy = liquidationFillUsd({ ...long, equity: 0 }, cfg(5_000));
    assertNear(atBankruptcy.fillablePrice, 49_500, 1e-9, "fillable");
    assert.equal(atBankruptcy.fee, 0);
    const slightly = liquidationFillUsd({ ...long, equity: 499 }, cfg(5_000));
    assertNear(slightly.fillablePrice, 49_999, 1e-9, "fillable");
    // Left above bankruptcy: 4,999.9 − (5,000 − 499) = 498.9; fee 0.5 % of 4,999.9 = 25.0.
    assertNear(slightly.fee, 24.9995, 1e-9, "fee");
  });
});

describe("fillable price to subticks (liquidations_test.go::TestConvertFillablePriceToSubticks)", () => {
  const BTC_PAIR = { subticksPerTick: 100n, quantumConversionExponent: -8 };
  const P1 = { subticksPerTick: 100n, quantumConversionExponent: 1 };
  it("5e9 on the BTC pair → 5e17 subticks for a long and a short", () => {
    assert.equal(fillablePriceToSubticks(r(5_000_000_000n, 1n), true, BTC_PAIR), 500_000_000_000_000_000n);
    assert.equal(fillablePriceToSubticks(r(5_000_000_000n, 1n), false, BTC_PAIR), 500_000_000_000_000_000n);
  });
  it("exponent 1, 100 subticks per tick: 7 and 197 round up to 100; 0 is bounded below at 100", () => {
    assert.equal(fillablePriceToSubticks(r(7n, 1n), true, P1), 100n);
    assert.equal(fillablePriceToSubticks(r(197n, 1n), true, P1), 100n);
    assert.equal(fillablePriceToSubticks(r(0n, 1n), true, P1), 100n);
  });
  it("1e22 is bounded above at the largest uint64 multiple of 100 (18,446,744,073,709,551,600)", () => {
    assert.equal(fillablePriceToSubticks(r(10n ** 22n, 1n), true, P1), 18_446_744_073_709_551_600n);
  });
  it("a negative fillable price panics", () => {
    assert.throws(() => fillablePriceToSubticks(r(-1n, 1n), false, BTC_PAIR), isDydx("panic"));
  });
});

describe("position size to liquidate (liquidations_test.go::TestGetPerpetualPositionToLiquidate)", () => {
  // The Go test asserts the size closed, signed like the position; the delta is its negative.
  const STEP = 5n;
  const limits = (
    min: bigint,
    portionPpm: number,
    subaccountMax: bigint = MAX_UINT64,
  ): LiquidationsConfig => ({
    ...NO_LIMIT,
    minPositionNotionalLiquidated: min,
    maxPositionPortionLiquidatedPpm: portionPpm,
    maxNotionalLiquidated: subaccountMax,
  });
  const cases: [string, Subaccount, LiquidationsConfig, bigint, bigint][] = [
    ["one long, no limits: full", sub(0, [BTC, ONE_TENTH_BTC]), NO_LIMIT, STEP, ONE_TENTH_BTC],
    [
      "min notional $10,000 above the $5,000 position: full",
      sub(0, [BTC, ONE_TENTH_BTC]),
      limits(10_000_000_000n, 1_000_000),
      STEP,
      ONE_TENTH_BTC,
    ],
    ["portion 50 %: half", sub(0, [BTC, ONE_TENTH_BTC]), limits(1_000n, 500_000), STEP, 5_000_000n],
    [
      "subaccount limit $10,000 above the position: full",
      sub(0, [BTC, ONE_TENTH_BTC]),
      limits(0n, 1_000_000, 10_000_000_000n),
      STEP,
      ONE_TENTH_BTC,
    ],
    [
      "subaccount limit $2,500: 0.05 BTC",
      sub(0, [BTC, ONE_TENTH_BTC]),
      limits(0n, 1_000_000, 2_500_000_000n),
      STEP,
      5_000_000n,
    ],
    [
      "subaccount $2,000 under position 50 %: 0.04 BTC",
      sub(0, [BTC, ONE_TENTH_BTC]),
      limits(1_000n, 500_000, 2_000_000_000n),
      STEP,
      4_000_000n,
    ],
    [
      "position 40 % under subaccount $2,500: 0.04 BTC",
      sub(0, [BTC, ONE_TENTH_BTC]),
      limits(1_000n, 400_000, 2_500_000_000n),
      STEP,
      4_000_000n,
    ],
    ["21 quantums, step 3, 50 %: rounded down to 9", sub(0, [BTC, 21n]), limits(1_000n, 500_000), 3n, 9n],
    ["one short, no limits: full", sub(0, [BTC, -ONE_BTC]), NO_LIMIT, STEP, -ONE_BTC],
    [
      "short, min notional above the position: full",
      sub(0, [BTC, -ONE_TENTH_BTC]),
      limits(10_000_000_000n, 1_000_000),
      STEP,
      -ONE_TENTH_BTC,
    ],
    ["short, portion 50 %: half", sub(0, [BTC, -ONE_TENTH_BTC]), limits(1_000n, 500_000), STEP, -5_000_000n],
    [
      "short, subaccount $10,000: full",
      sub(0, [BTC, -ONE_TENTH_BTC]),
      limits(0n, 1_000_000, 10_000_000_000n),
      STEP,
      -ONE_TENTH_BTC,
    ],
    [
      "short, subaccount $2,500: −0.05 BTC",
      sub(0, [BTC, -ONE_TENTH_BTC]),
      limits(0n, 1_000_000, 2_500_000_000n),
      STEP,
      -5_000_000n,
    ],
  ];
  for (const [name, s, config, step, expected] of cases) {
    it(`${name} → ${expected}`, () =>
      assert.equal(liquidatablePositionSizeDelta(s, "BTC-USD", config, step), -expected));
  }
  it("max-uint64-sized ETH long and short: full position (6,148,914,691,236,517,000 quantums)", () => {
    const q = 6_148_914_691_236_517_000n;
    assert.equal(liquidatablePositionSizeDelta(sub(0, [ETH, q]), "ETH-USD", NO_LIMIT, 1_000n), -q);
    assert.equal(liquidatablePositionSizeDelta(sub(0, [ETH, -q]), "ETH-USD", NO_LIMIT, 1_000n), q);
  });
});

describe("block limits (TestGetMaxLiquidatableNotionalAndInsuranceLost, TestGetMaxAndMinPositionNotionalLiquidatable)", () => {
  const block = { notionalLiquidated: 100n, quantumsInsuranceLost: 100n, perpetualsLiquidated: ["ETH-USD"] };
  it("limits 150/150 after 100 liquidated and 100 lost → 50 and 50", () => {
    const config = { maxNotionalLiquidated: 150n, maxQuantumsInsuranceLost: 150n };
    assert.equal(subaccountMaxNotionalLiquidatable(block, "BTC-USD", config), 50n);
    assert.equal(subaccountMaxInsuranceLost(block, "BTC-USD", config), 50n);
  });
  it("the same perpetual again in the block is refused (ErrSubaccountHasLiquidatedPerpetual)", () => {
    const config = { maxNotionalLiquidated: MAX_UINT64, maxQuantumsInsuranceLost: MAX_UINT64 };
    assert.throws(
      () => subaccountMaxNotionalLiquidatable(block, "ETH-USD", config),
      isDydx("ErrSubaccountHasLiquidatedPerpetual"),
    );
  });
  it("already past a limit panics (notional limit 50, insurance limit 50)", () => {
    assert.throws(
      () => subaccountMaxNotionalLiquidatable(block, "BTC-USD", { maxNotionalLiquidated: 50n }),
      isDydx("panic"),
    );
    assert.throws(
      () => subaccountMaxInsuranceLost(block, "BTC-USD", { maxQuantumsInsuranceLost: 50n }),
      isDydx("panic"),
    );
  });
  it("1 BTC ($50,000), min 100, portion 100 % → [100, 50,000,000,000]; portion 50 % → [100, 25,000,000,000]; $5 position, min $10 → [5e6, 5e6]", () => {
    const btc100 = btc(TIER_100);
    const n = (q: bigint) => subaccountRisk(sub(0, [btc100, q])).nc;
    assert.deepEqual(
      positionNotionalLiquidatable(n(ONE_BTC), {
        minPositionNotionalLiquidated: 100n,
        maxPositionPortionLiquidatedPpm: 1_000_000,
      }),
      { min: 100n, max: 50_000_000_000n },
    );
    assert.deepEqual(
      positionNotionalLiquidatable(n(ONE_BTC), {
        minPositionNotionalLiquidated: 100n,
        maxPositionPortionLiquidatedPpm: 500_000,
      }),
      { min: 100n, max: 25_000_000_000n },
    );
    assert.deepEqual(
      positionNotionalLiquidatable(n(10_000n), {
        minPositionNotionalLiquidated: 10_000_000n,
        maxPositionPortionLiquidatedPpm: 1_000_000,
      }),
      { min: 5_000_000n, max: 5_000_000n },
    );
  });
});

describe("liquidation order (liquidations.go::GetLiquidationOrderForPerpetual, composed; derived)", () => {
  it("0.1 BTC long, −4,501, genesis-style limits on a $5,000 position: full size at 49,999 → subticks rounded up", () => {
    const config: LiquidationsConfig = {
      ...NO_LIMIT,
      minPositionNotionalLiquidated: 1_000_000_000n,
      maxPositionPortionLiquidatedPpm: 100_000,
    };
    const order = liquidationOrder(
      sub(-4_501, [BTC, ONE_TENTH_BTC]),
      "BTC-USD",
      config,
      { subticksPerTick: 100_000n, quantumConversionExponent: -8, stepBaseQuantums: 10n },
      EMPTY_BLOCK,
    );
    // max($1,000, 10 % of $5,000) = $1,000 → 0.02 BTC; fillable 49999/100 → 49,999,000,000 subticks.
    assert.equal(order.isBuy, false);
    assert.equal(order.quantums, 2_000_000n);
    assert.deepEqual(order.fillablePrice, r(49_999n, 100n));
    assert.equal(order.subticks, 49_999_000_000n);
  });
  it("a healthy subaccount has no liquidation order (ErrSubaccountNotLiquidatable)", () => {
    assert.throws(
      () =>
        liquidationOrder(sub(-4_500, [BTC, ONE_TENTH_BTC]), "BTC-USD", NO_LIMIT, {
          subticksPerTick: 100n,
          quantumConversionExponent: -8,
          stepBaseQuantums: 5n,
        }),
      isDydx("ErrSubaccountNotLiquidatable"),
    );
  });
});

describe("insurance fund and deleveraging gates (deleveraging_test.go)", () => {
  it("TestIsValidInsuranceFundDelta", () => {
    const cases: [bigint, bigint, boolean][] = [
      [9_998_000_000n, 0n, true],
      [0n, 0n, true],
      [9_998_000_000n, 1_000_000n, true],
      [0n, 1_000_000n, true],
      [9_998_000_000n, -1_000_000n, true],
      [10_000_000_000n, -10_000_000_000n, true],
      [10_000_000_000n, -10_000_000_001n, false],
      [0n, -1n, false],
    ];
    for (const [balance, delta, ok] of cases) assert.equal(isValidInsuranceFundDelta(balance, delta), ok);
  });
  it("TestCanDeleverageSubaccount: 1 BTC short, USDC 54,999 at $50,000 / $54,999 / $55,000, and in final settlement", () => {
    const at = (price: bigint) => sub(54_999, [btc(TIER_20_10, price), -ONE_BTC]);
    assert.equal(canDeleverage(at(5_000_000_000n)), "none");
    assert.equal(canDeleverage(at(5_499_900_000n)), "none");
    assert.equal(canDeleverage(at(5_500_000_000n)), "bankruptcy");
    assert.equal(canDeleverage(at(5_500_000_000n), true), "bankruptcy");
    assert.equal(canDeleverage(at(5_000_000_000n), true), "oracle");
  });
});

describe("deleveraging (deleveraging_test.go::TestOffsetSubaccountPerpetualPosition)", () => {
  const B = btc(TIER_100);
  const E = eth(TIER_100);
  const carlShort54999 = sub(54_999, [B, -ONE_BTC]);
  const daveLong50000 = sub(50_000, [B, ONE_BTC]);
  const offset = (
    liquidated: Subaccount,
    delta: bigint,
    candidates: [string, Subaccount][],
    startIndex = 0,
  ) =>
    offsetSubaccountPerpetualPosition({
      liquidated,
      ticker: "BTC-USD",
      deltaQuantums: delta,
      candidates: candidates.map(([id, subaccount]) => ({ id, subaccount })),
      startIndex,
    });

  it("one offsetting long for a deleveraged short: 1 BTC at $54,999; Dave ends with 104,999 USDC, Carl with nothing", () => {
    const res = offset(carlShort54999, ONE_BTC, [["dave0", daveLong50000]]);
    assert.deepEqual(res.fills, [{ id: "dave0", quantums: ONE_BTC, quoteQuantums: -54_999_000_000n }]);
    assert.equal(res.remaining, 0n);
    assert.deepEqual(res.liquidated, { quoteBalance: 0n, positions: [] });
    assert.deepEqual(res.offsetting.get("dave0"), { quoteBalance: usd(50_000 + 54_999), positions: [] });
  });
  it("one offsetting short for a deleveraged long: Dave (short, 100,000 USDC) ends with 100,000 − 54,999", () => {
    const res = offset(sub(-54_999, [B, ONE_BTC]), -ONE_BTC, [["dave0", sub(100_000, [B, -ONE_BTC])]]);
    assert.equal(res.fills[0]?.quantums, ONE_BTC);
    assert.equal(res.remaining, 0n);
    assert.deepEqual(res.offsetting.get("dave0"), { quoteBalance: usd(100_000 - 54_999), positions: [] });
  });
  it("two offsetting accounts of 0.5 BTC each: both at $27,499.5", () => {
    const half = 50_000_000n;
    const res = offset(carlShort54999, ONE_BTC, [
      ["dave0", sub(50_000, [B, half])],
      ["dave1", sub(50_000, [B, half])],
    ]);
    assert.deepEqual(
      res.fills.map((f) => [f.id, f.quantums]),
      [
        ["dave0", half],
        ["dave1", half],
      ],
    );
    assert.deepEqual(res.offsetting.get("dave0")?.quoteBalance, usd(50_000 + 27_499.5));
    assert.deepEqual(res.offsetting.get("dave1")?.quoteBalance, usd(50_000 + 27_499.5));
    assert.equal(res.remaining, 0n);
  });
  it("skips accounts on the same side and accounts without the perpetual", () => {
    const sameSide = offset(carlShort54999, ONE_BTC, [
      ["carl1", sub(100_000, [B, -ONE_BTC])],
      ["dave0", daveLong50000],
    ]);
    assert.deepEqual(
      sameSide.fills.map((f) => f.id),
      ["dave0"],
    );
    assert.equal(sameSide.offsetting.has("carl1"), false);
    const noPosition = offset(carlShort54999, ONE_BTC, [
      ["dave1", sub(50_000, [E, 1_000_000_000n])],
      ["dave0", daveLong50000],
    ]);
    assert.deepEqual(
      noPosition.fills.map((f) => f.id),
      ["dave0"],
    );
  });
  it("skips accounts with non-overlapping bankruptcy prices (Dave0: long 1 BTC, USDC −50,001); Dave1 takes it at $50,000", () => {
    const res = offset(sub(50_000, [B, -ONE_BTC]), ONE_BTC, [
      ["dave0", sub(-50_001, [B, ONE_BTC])],
      ["dave1", daveLong50000],
    ]);
    assert.deepEqual(res.refused, ["dave0"]);
    assert.deepEqual(res.fills, [{ id: "dave1", quantums: ONE_BTC, quoteQuantums: -50_000_000_000n }]);
    assert.deepEqual(res.offsetting.get("dave1"), { quoteBalance: usd(100_000), positions: [] });
  });
  it("not enough accounts: nothing filled, the whole delta remains", () => {
    const res = offset(sub(50_000, [B, -ONE_BTC]), ONE_BTC, [["dave0", sub(-50_001, [B, ONE_BTC])]]);
    assert.deepEqual(res.fills, []);
    assert.equal(res.remaining, ONE_BTC);
  });
  it("several positions: the BTC short closes at $50,000 (TNC 0), leaving 1 ETH long and −3,000 USDC", () => {
    const carl = sub(47_000, [B, -ONE_BTC], [E, 1_000_000_000n]);
    const res = offset(carl, ONE_BTC, [["dave0", daveLong50000]]);
    assert.equal(res.remaining, 0n);
    assert.equal(res.liquidated.quoteBalance, usd(-3_000));
    assert.deepEqual(
      res.liquidated.positions.map((p) => [p.market.ticker, p.quantums]),
      [["ETH-USD", 1_000_000_000n]],
    );
    assert.equal(res.offsetting.get("dave0")?.quoteBalance, usd(100_000));
  });
  it("final settlement closes at the oracle price instead", () => {
    const res = offsetSubaccountPerpetualPosition({
      liquidated: carlShort54999,
      ticker: "BTC-USD",
      deltaQuantums: ONE_BTC,
      candidates: [{ id: "dave0", subaccount: daveLong50000 }],
      startIndex: 0,
      finalSettlement: true,
    });
    assert.equal(res.fills[0]?.quoteQuantums, -50_000_000_000n);
    assert.equal(res.liquidated.quoteBalance, usd(4_999));
  });
});

describe("venue procedure (float view of the genesis limits; derived)", () => {
  const state = (notional: number, equity: number, maintenanceMargin: number) => ({
    notional,
    equity,
    maintenanceMargin,
    tiers: venue().tierTable("BTC-USD").tiers,
  });
  it("TNC = TMMR is not liquidatable; below it a $5,000 position closes max($1,000, 10 %) = 20 % per block", () => {
    assert.equal(liquidationSteps(state(5_000, 150, 150))[0]?.action, "none");
    const steps = liquidationSteps(state(5_000, 149, 150));
    assert.deepEqual(
      steps.map((x) => [x.action, x.fraction]),
      [["market-order", 0.2]],
    );
  });
  it("a $5M position: 10 % would be $500,000, capped at $100,000 per subaccount per block (2 %); TNC < 0 adds deleveraging", () => {
    const steps = liquidationSteps(state(5_000_000, -1, 150_000));
    assert.deepEqual(
      steps.map((x) => [x.action, x.fraction]),
      [
        ["market-order", 0.02],
        ["close-at-bankruptcy", 1],
      ],
    );
  });
});

describe("v5.0.0 liquidity tiers (open-interest caps from the upgrade handler)", () => {
  // dydxprotocol/v4-chain protocol/app/upgrades/v5.0.0/upgrade.go `initializeOIMFCaps`
  it("caps per tier: Large-Cap none, Mid-Cap $20M–$50M, Long-Tail $5M–$10M, Safety $2M–$5M", () => {
    assert.deepEqual(
      V5_LIQUIDITY_TIERS.map((t) => [t.name, t.openInterestLowerCap, t.openInterestUpperCap]),
      [
        ["Large-Cap", 0n, 0n],
        ["Mid-Cap", 20_000_000_000_000n, 50_000_000_000_000n],
        ["Long-Tail", 5_000_000_000_000n, 10_000_000_000_000n],
        ["Safety", 2_000_000_000_000n, 5_000_000_000_000n],
      ],
    );
  });
  it("Mid-Cap at $35M open interest: IMF = 10 % + 0.5·(1 − 10 %) = 55 % (GetAdjustedInitialMarginPpm)", () => {
    const mid = V5_LIQUIDITY_TIERS[1];
    assert.ok(mid !== undefined);
    assert.equal(adjustedInitialMarginPpm(mid, 35_000_000_000_000n), 550_000n);
    assert.equal(adjustedInitialMarginPpm(mid, 20_000_000_000_000n), 100_000n);
  });
});
