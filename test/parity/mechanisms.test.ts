/**
 * Multi-party mechanisms (src/venues/mechanisms/) against published multi-step examples.
 * Sources (numbers re-typed as facts; no code copied):
 * - BitMEX "Auto-Deleveraging Examples", https://www.bitmex.com/app/autoDeleveragingExamples: longs ranked
 *   2, 5, 4, 1, 6, 3 (quantities 10, 20, 30, 10, 10, 20) show indicators 20, 40, 60, 80, 80, 100 %; a short
 *   of 20 liquidated at bankruptcy price 650 closes all 10 of account 2 and 10 of account 5's 20, at 650.
 * - compound-finance/comet `test/absorb-test.ts` (the vectors of @ 17a6e7ac032d9adac209c20b4a9ff9051a599bb4,
 *   cited in test/parity/compound-v3.test.ts): "absorbs 2 accounts and pays out the absorber" (totalBorrowBase
 *   2,000 → 1,200, reserves 2,000 → 1,200, totalSupplyBase 0), "absorbs 3 accounts with collateral"
 *   (totalSupplyBase 4e15 USDC unchanged, totalBorrowBase 3e15 USDC − 1e18 − 1e12 − 1e6 wei, reserves
 *   −1e15 USDC − 1e6 − 1e12 − 1e18 wei), "absorbs an account with more than enough collateral" (totalSupplyBase
 *   → 1 wei, totalBorrowBase → 0, reserves → −1 wei).
 * - makerdao/dss `src/test/clip.t.sol` @ 75cf04b20d49d7829d40c552208ce74284808024 (cited in
 *   test/parity/maker-clip.test.ts): takeSetup (tab 110, lot 40, top 5, stairstep 1 % a second, cusp 0.3,
 *   tail 3,600 s, chost 22 DAI), `test_take_multiple_bids_different_prices`,
 *   `test_take_bid_fails_no_partial_allowed`, `test_auction_reset_tail` (linear tau 10 h, cusp 0.5: a redo at
 *   3,600 s reverts, at 3,601 s it resets top to 3 × 1.25 = 3.75).
 * - dydxprotocol/v4-chain `protocol/x/clob/keeper/liquidations_test.go` @ 031eadfb229483c17513bc02b301aedde50a8b8d
 *   (cited in test/parity/dydx-v4.test.ts): `TestGetFillablePrice` (0.1 BTC long, USDC −4,501, BA 1, SMMR 0.1 →
 *   49999/100 quote quantums per base quantum) and `TestGetLiquidationInsuranceFundDelta` (0.1 BTC long, USDC
 *   −5,100, sold at $56,100 with fee 0.5 % → +28,050,000; sold 1 % below bankruptcy → −51,000,000). Fixtures:
 *   BTC $50,000 (priceValue 5e9, exponent −5), atomic resolution −8, tier IMF 20 %, MF 50 %.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RAY } from "../../src/math/fixed-point.js";
import { type Account, type Config, FACTOR_SCALE } from "../../src/venues/compound-v3.js";
import { type ClipperParams, chostOf, status } from "../../src/venues/maker-clip.js";
import { adlQueue } from "../../src/venues/mechanisms/adl-queue.js";
import { absorbAccounts } from "../../src/venues/mechanisms/comet-absorb.js";
import { dydxFillReport } from "../../src/venues/mechanisms/dydx-fill.js";
import { type ClipperAction, runAuction } from "../../src/venues/mechanisms/maker-take.js";

describe("ADL queue (BitMEX Auto-Deleveraging Examples)", () => {
  // Entries chosen so that PnL% × effective leverage ranks the longs 2, 5, 4, 1, 6, 3 as published.
  const longs = [
    { id: "1", size: 10, entryPrice: 620 },
    { id: "2", size: 10, entryPrice: 500 },
    { id: "3", size: 20, entryPrice: 680 },
    { id: "4", size: 30, entryPrice: 600 },
    { id: "5", size: 20, entryPrice: 550 },
    { id: "6", size: 10, entryPrice: 650 },
  ].map((l) => ({ ...l, markPrice: 700, bankruptcyPrice: 400, equity: 0 }));
  const report = adlQueue({
    venue: "bitmex",
    markPrice: 700,
    liquidated: { id: "short", size: -20, bankruptcyPrice: 650 },
    counterparties: longs,
  });

  it("ranking 2, 5, 4, 1, 6, 3 with indicators 20, 40, 60, 80, 80, 100 %", () => {
    assert.deepEqual(
      report.ranking.map((r) => [r.id, r.percentile]),
      [
        ["2", 20],
        ["5", 40],
        ["4", 60],
        ["1", 80],
        ["6", 80],
        ["3", 100],
      ],
    );
  });

  it("a short of 20 at bankruptcy price 650 closes 10 of account 2 and 10 of account 5, both at 650", () => {
    assert.deepEqual(
      report.fills.map((f) => [f.id, f.quantity, f.price]),
      [
        ["2", 10, 650],
        ["5", 10, 650],
      ],
    );
    assert.equal(report.unfilledQuantity, 0);
    // derived: at mark 700 the short's deficit is 20 × 50 = 1,000, all of it borne by the two longs.
    assert.equal(report.deficitAtMark, 1000);
    assert.equal(report.lossCovered, 1000);
    assert.equal(report.remainingLoss, 0);
  });
});

/** comet `makeProtocol` defaults: USDC base (6 decimals, $1), COMP $175, WETH $3,000, WBTC $41,000. */
function cometTestMarket(
  liquidateCollateralFactor = FACTOR_SCALE,
  borrowCollateralFactor = FACTOR_SCALE - 1n,
) {
  const asset = (symbol: string, decimals: number) => ({
    symbol,
    decimals,
    borrowCollateralFactor,
    liquidateCollateralFactor,
    liquidationFactor: FACTOR_SCALE,
  });
  const config: Config = {
    name: "comet test market",
    baseSymbol: "USDC",
    baseDecimals: 6,
    storeFrontPriceFactor: FACTOR_SCALE,
    targetReserves: 0n,
    assets: [asset("COMP", 18), asset("WETH", 18), asset("WBTC", 8)],
  };
  return config;
}
const PRICES = { USDC: 10n ** 8n, COMP: 175n * 10n ** 8n, WETH: 3000n * 10n ** 8n, WBTC: 41000n * 10n ** 8n };
const usdc = (x: bigint) => x * 10n ** 6n;
const debtor = (debt: bigint, collateral: Record<string, bigint> = {}): Account => ({
  baseBalance: -debt,
  collateral,
});

describe("Comet absorb of several accounts (comet test/absorb-test.ts)", () => {
  it("absorbs 2 accounts (100 and 700 wei): totalBorrowBase 2,000 → 1,200, reserves 2,000 → 1,200", () => {
    const chain = absorbAccounts({
      config: cometTestMarket(),
      prices: PRICES,
      totalSupplyBase: 0n,
      totalBorrowBase: 2000n,
      reserves: 2000n,
      accounts: [
        { id: "underwater1", account: debtor(100n) },
        { id: "underwater2", account: debtor(700n) },
      ],
    });
    assert.equal(chain.revert, null);
    assert.deepEqual(
      chain.steps.map((s) => s.result.basePaidOut),
      [100n, 700n],
    );
    assert.deepEqual(chain.after, { totalSupplyBase: 0n, totalBorrowBase: 1200n, reserves: 1200n });
  });

  it("absorbs 3 accounts with collateral: totalSupplyBase unchanged, totalBorrowBase and reserves fall by every debt", () => {
    const debts = [10n ** 6n, 10n ** 12n, 10n ** 18n];
    const chain = absorbAccounts({
      config: cometTestMarket(),
      prices: PRICES,
      totalSupplyBase: usdc(4n * 10n ** 15n),
      totalBorrowBase: usdc(3n * 10n ** 15n),
      reserves: -usdc(10n ** 15n),
      accounts: [
        { id: "underwater1", account: debtor(debts[0] as bigint, { COMP: 10n ** 12n }) },
        {
          id: "underwater2",
          account: debtor(debts[1] as bigint, { COMP: 10n * 10n ** 18n, WETH: 10n ** 18n }),
        },
        {
          id: "underwater3",
          account: debtor(debts[2] as bigint, {
            COMP: 10000n * 10n ** 18n,
            WETH: 50n * 10n ** 18n,
            WBTC: 50n * 10n ** 8n,
          }),
        },
      ],
    });
    assert.deepEqual(chain.after, {
      totalSupplyBase: usdc(4n * 10n ** 15n),
      totalBorrowBase: usdc(3n * 10n ** 15n) - 10n ** 18n - 10n ** 12n - 10n ** 6n,
      reserves: -usdc(10n ** 15n) - 10n ** 6n - 10n ** 12n - 10n ** 18n,
    });
    assert.deepEqual(
      chain.steps.map((s) => s.result.basePaidOut),
      debts,
    );
  });

  it("more than enough collateral (liquidateCF 2/3): totalSupplyBase 0 → 1 wei, totalBorrowBase → 0, reserves → −1 wei", () => {
    const startingDebt = usdc(41000n + 3000n + 175n) - 1n;
    const chain = absorbAccounts({
      config: cometTestMarket(666_666_666_666_666_600n, FACTOR_SCALE / 2n),
      prices: PRICES,
      totalSupplyBase: 0n,
      totalBorrowBase: startingDebt,
      reserves: startingDebt,
      accounts: [
        {
          id: "underwater",
          account: debtor(startingDebt, { COMP: 10n ** 18n, WETH: 10n ** 18n, WBTC: 10n ** 8n }),
        },
      ],
    });
    assert.deepEqual(chain.after, { totalSupplyBase: 1n, totalBorrowBase: 0n, reserves: -1n });
    assert.equal(chain.steps[0]?.supplyAmount, 1n);
    assert.equal(chain.steps[0]?.repayAmount, startingDebt);
  });

  it("one account that is not underwater reverts the whole call (NotLiquidatable): nothing changes", () => {
    const before = { totalSupplyBase: 0n, totalBorrowBase: 800n, reserves: 800n };
    const chain = absorbAccounts({
      config: cometTestMarket(),
      prices: PRICES,
      ...before,
      accounts: [
        { id: "underwater", account: debtor(100n) },
        { id: "healthy", account: { baseBalance: 0n, collateral: {} } },
      ],
    });
    assert.deepEqual(chain.revert?.id, "healthy");
    assert.equal(chain.revert?.reason, "NotLiquidatable");
    assert.deepEqual(chain.after, before);
    assert.deepEqual(chain.steps, []);
  });
});

describe("Maker take against a running auction (dss src/test/clip.t.sol)", () => {
  const wad = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n; // exact for ≤ 6 decimals
  const ray = (x: number): bigint => wad(x) * 10n ** 9n;
  const rad = (x: number): bigint => wad(x) * 10n ** 27n;
  const t0 = 604_411_200n;
  const takeParams: ClipperParams = {
    buf: ray(1.25),
    tail: 3600n,
    cusp: ray(0.3),
    chip: 0n,
    tip: 0n,
    chost: chostOf(rad(20), wad(1.1)),
    calc: { kind: "stairstep", cut: RAY - ray(0.01), step: 1n },
  };
  const sale = { tab: rad(110), lot: wad(40), tic: t0, top: ray(5) };
  const takeAt = (keeper: string, at: bigint, amt: bigint, max: bigint): ClipperAction => ({
    kind: "take",
    keeper,
    at,
    amt,
    max,
  });

  it("test_take_multiple_bids_different_prices: 10 at 5 for 50 DAI, then after 30 s the rest of the tab (60 DAI)", () => {
    const run = runAuction({
      params: takeParams,
      sale,
      actions: [takeAt("a", t0, wad(10), ray(5)), takeAt("b", t0 + 30n, wad(30), ray(5))],
    });
    const [first, second] = run.steps;
    assert.equal(first?.owe, rad(50));
    assert.deepEqual(first?.sale, { tab: rad(60), lot: wad(30), tic: t0, top: ray(5) });
    const price = status(takeParams, { ...sale, tab: rad(60), lot: wad(30) }, t0 + 30n).price;
    assert.equal(second?.price, price);
    const expectedGem = (RAY * wad(60)) / price;
    assert.equal(second?.slice, expectedGem);
    assert.equal(second?.owe, rad(60));
    assert.equal(second?.returned, wad(30) - expectedGem);
    assert.equal(run.sale, null);
  });

  it("test_take_bid_fails_no_partial_allowed: 17.6 leaves tab 22 = chost; a partial take reverts and changes nothing; the whole tab works", () => {
    const run = runAuction({
      params: takeParams,
      sale,
      actions: [
        takeAt("a", t0, wad(17.6), ray(5)),
        takeAt("b", t0, wad(1), ray(5)),
        takeAt("c", t0, rad(22) / ray(5), ray(5)),
      ],
    });
    const [first, partial, whole] = run.steps;
    assert.equal(first?.sale?.tab, rad(22));
    assert.equal(first?.sale?.lot, wad(22.4));
    assert.equal(partial?.revert?.reason, "Clipper/no-partial-purchase");
    assert.deepEqual(partial?.sale, first?.sale);
    assert.equal(whole?.owe, rad(22));
    assert.equal(whole?.returned, wad(22.4) - wad(4.4));
    assert.equal(run.sale, null);
  });

  it("test_auction_reset_tail: redo at 3,600 s reverts (cannot-reset), a take at 3,601 s reverts (needs-reset), redo at feed 3 → top 3.75", () => {
    const params: ClipperParams = { ...takeParams, cusp: ray(0.5), calc: { kind: "linear", tau: 36_000n } };
    const run = runAuction({
      params,
      sale,
      actions: [
        { kind: "redo", keeper: "early", at: t0 + 3600n, feedPrice: ray(3) },
        takeAt("late", t0 + 3601n, wad(1), ray(5)),
        { kind: "redo", keeper: "resetter", at: t0 + 3601n, feedPrice: ray(3) },
      ],
    });
    const [early, late, reset] = run.steps;
    assert.equal(early?.revert?.reason, "Clipper/cannot-reset");
    assert.equal(late?.revert?.reason, "Clipper/needs-reset");
    assert.equal(reset?.revert, null);
    assert.deepEqual(run.sale, { tab: rad(110), lot: wad(40), tic: t0 + 3601n, top: ray(3.75) });
  });
});

describe("dYdX liquidation fill (liquidations_test.go)", () => {
  const doc = (usdc: string, fill: Record<string, unknown>) => ({
    usdc,
    markets: [
      {
        ticker: "BTC-USD",
        atomicResolution: -8,
        priceValue: "5000000000",
        priceExponent: -5,
        liquidityTier: { initialMarginPpm: 200_000, maintenanceFractionPpm: 500_000 },
      },
    ],
    positions: [{ ticker: "BTC-USD", size: "0.1" }],
    fill: { ticker: "BTC-USD", ...fill },
    config: {
      maxLiquidationFeePpm: 5_000,
      bankruptcyAdjustmentPpm: 1_000_000,
      spreadToMaintenanceMarginRatioPpm: 100_000,
    },
  });

  it("TestGetLiquidationInsuranceFundDelta: 0.1 BTC long, USDC −5,100, sold at $56,100, fee 0.5 % → the fund receives $28.05", () => {
    const r = dydxFillReport(doc("-5100", { size: "-0.1", price: "56100" }));
    assert.equal(r.bankruptcyUsd, "5100");
    assert.equal(r.quoteUsd, "5610");
    assert.equal(r.insuranceFundDeltaUsd, "28.05");
    // derived: the subaccount keeps 5,610 − 5,100 − 28.05 = 481.95 and is flat.
    assert.equal(r.usdcAfter, "481.95");
    assert.equal(r.positionAfter, "0");
  });

  it("TestGetLiquidationInsuranceFundDelta: sold 1 % below bankruptcy ($50,490) → the fund pays $51; the subaccount ends at 0", () => {
    const r = dydxFillReport(doc("-5100", { size: "-0.1", price: "50490" }));
    assert.equal(r.insuranceFundDeltaUsd, "-51");
    assert.equal(r.usdcAfter, "0");
  });

  it("TestGetFillablePrice: 0.1 BTC long, USDC −4,501 (TNC $499, TMMR $500) → 49999/100, $49,999 per BTC", () => {
    const r = dydxFillReport(doc("-4501", { size: "-0.1" }));
    assert.equal(r.fillablePriceQuantums, "49999/100");
    assert.equal(r.fillablePriceUsd, 49_999);
    assert.equal(r.riskBefore.liquidatable, true);
    // derived: filled at the fillable price, 4,999.9 received, bankruptcy 4,501, fee min(0.5 % × 4,999.9, 498.9).
    assert.equal(r.quoteUsd, "4999.9");
    assert.equal(r.insuranceFundDeltaUsd, "24.9995");
  });
});
