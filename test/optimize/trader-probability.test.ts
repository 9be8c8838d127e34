/**
 * The trader's P(liquidation) and its solvers: parity of both engines with quant.md §5 R12
 * (reflection formula, S₀ 100, H 90, σ 0.8, T 7/365 → 0.35976), of the moving (funding) barrier
 * with the independent bridge Monte Carlo of src/sim/liquidation.ts, of the liquidation price
 * with Binance's documented formula (binanceUsdmLiquidationPrice, Binance FAQ "How to Calculate
 * Liquidation Price of USDⓈ-M Futures Contracts"), and the monotonicity properties that hold
 * exactly in the model (fast-check): P(liquidation) rises with leverage, volatility and horizon and
 * falls with collateral; solver answers meet their constraint and are optimal within tolerance.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { liquidationPrices } from "../../src/margin/liquidation.js";
import { adverseExcursions, excursionProbability, simulatePathBank } from "../../src/optimize/path-bank.js";
import { thresholdProblem } from "../../src/optimize/stop-topup.js";
import {
  closedFormModel,
  collateralToAdd,
  liquidationProbability,
  minimumCollateral,
  monteCarloModel,
  scenarioBarrier,
  scenarioLeverage,
  scenarioLiquidation,
  scenarioWithCollateral,
  scenarioWithSizeFactor,
  sizeCut,
  type TraderScenario,
  traderScenario,
  withStress,
} from "../../src/optimize/trader-probability.js";
import { simulateLiquidation } from "../../src/sim/liquidation.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { binanceUsdmLiquidationPrice } from "../../src/venues/binance-usdm.js";
import { assertNear } from "../helpers/close.js";

/**
 * R12 as recomputed by scipy in test/fixtures/first-passage.json (`python3
 * scripts/reference/first_passage.py`): 0.3597960…, printed 0.35976 in quant.md §5.
 */
const R12 = (
  JSON.parse(readFileSync(new URL("../fixtures/first-passage.json", import.meta.url), "utf8")) as {
    R12: number;
  }
).R12;

/** A Binance USDⓈ-M isolated BTCUSDT position (bundled 2024-10 brackets). */
function isolated(size: number, margin: number, price = 50_000): TraderScenario {
  const resolved = resolveAccountDocument({
    venue: "binance-usdm",
    marginMode: "isolated",
    walletBalance: 0,
    positions: [{ symbol: "BTCUSDT", size, entryPrice: price, markPrice: price, isolatedMargin: margin }],
  });
  return traderScenario(resolved, 0);
}

const gbm = (annualVol: number) => ({
  volatility: { kind: "constant" as const, annualVol },
  innovations: { kind: "normal" as const },
});

describe("probability engines: parity", () => {
  it("closed form reproduces R12 (quant.md §5: 0.35976; scipy 0.3597960)", () => {
    const p = closedFormModel(0.8, 7 * 24).touch("long", Math.log(100 / 90), 0);
    assert.ok(Math.abs(p.probability - R12) < 1e-9, `${p.probability} vs ${R12}`);
    assert.ok(Math.abs(p.probability - 0.35976) < 5e-5);
    // A short's barrier above the spot, mirrored: H = 100²/90 under zero log drift is not the mirror
    // (ν = −σ²/2 ≠ 0), so only check it is a probability and lower than the long's with ν < 0 helping the long lose.
    const short = closedFormModel(0.8, 7 * 24).touch("short", Math.log(100 / 90), 0);
    assert.ok(short.probability > 0 && short.probability < p.probability);
  });

  it("the path bank (bridge-sampled bar lows) agrees with R12 within 4 standard errors", () => {
    const bank = simulatePathBank({ model: gbm(0.8), barYears: 1 / 8760, bars: 168, paths: 20_000, seed: 7 });
    const est = excursionProbability(adverseExcursions(bank, "long", 0), Math.log(100 / 90));
    assert.ok(
      Math.abs(est.probability - R12) < 4 * est.standardError,
      `${est.probability} ± ${est.standardError}`,
    );
    assert.equal(est.paths, 20_000);
    assert.ok(est.upperBound > est.probability && est.upperBound < est.probability + 3 * est.standardError);
    // A barrier no path reaches: 0, with the rule-of-three bound 3/n instead of a standard error of 0.
    const none = excursionProbability(adverseExcursions(bank, "long", 0), 5);
    assert.deepEqual([none.probability, none.standardError, none.upperBound], [0, 0, 3 / 20_000]);
  });

  it("a barrier moving with funding: closed form with the shifted drift = src/sim bridge Monte Carlo", () => {
    // ln H(t) = ln 90/100 + c t with c = 1.5 per year (the barrier rises toward the price).
    const c = 1.5;
    const T = 7 / 365;
    const cf = closedFormModel(0.8, T * 8760).touch("long", Math.log(100 / 90), c).probability;
    const sim = simulateLiquidation(
      {
        model: gbm(0.8),
        grid: { horizonYears: T, steps: 168 },
        barrier: { side: "long", spotPrice: 100, liquidationPrice: 90, liquidationPriceLogDriftPerYear: c },
      },
      { seed: 3, paths: 40_000 },
    );
    assert.ok(cf > R12);
    assert.ok(
      Math.abs(cf - sim.probability) < 4 * sim.standardError,
      `${cf} vs ${sim.probability} ± ${sim.standardError}`,
    );
    const bank = simulatePathBank({
      model: gbm(0.8),
      barYears: 1 / 8760,
      bars: 168,
      paths: 20_000,
      seed: 11,
    });
    const mc = excursionProbability(adverseExcursions(bank, "long", c), Math.log(100 / 90));
    // The bank compares at bar ends, a bias of at most c·Δ in log distance: allow it on top of 4 s.e.
    const slack =
      closedFormModel(0.8, T * 8760).touch("long", Math.log(100 / 90) - c / 8760, c).probability - cf;
    assert.ok(Math.abs(mc.probability - cf) < 4 * mc.standardError + slack, `${mc.probability} vs ${cf}`);
  });

  it("the liquidation price is Binance's documented formula (isolated: WB = isolated margin, TMM1 = UPNL1 = 0)", () => {
    const s = isolated(2, 9_000, 60_000);
    const liq = scenarioLiquidation(s);
    // Notional 120,000 sits in the bracket [50,000, 600,000): mmr 0.5 %, cum 50 (bundled 2024-10 table).
    const expected = binanceUsdmLiquidationPrice({
      walletBalance: 9_000,
      otherMaintenanceMargin: 0,
      otherUnrealizedPnl: 0,
      both: { side: 1, size: 2, entryPrice: 60_000, mmr: 0.005, cum: 50 },
    });
    assert.equal(liq.status, "safe");
    assert.ok(
      Math.abs((liq.liquidationPrice as number) - expected) < 1e-6,
      `${liq.liquidationPrice} vs ${expected}`,
    );
  });
});

describe("P(liquidation): monotonicity (closed form, fast-check)", () => {
  const base = isolated(1, 5_000);
  it("falls with collateral, i.e. rises with leverage", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 500, max: 20_000, noNaN: true }),
        fc.double({ min: 1.001, max: 3, noNaN: true }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        (c, k, vol) => {
          const m = closedFormModel(vol, 24);
          const lo = liquidationProbability(scenarioWithCollateral(base, c), m, 24).probability;
          const hi = liquidationProbability(scenarioWithCollateral(base, c * k), m, 24).probability;
          assert.ok(hi <= lo + 1e-15, `${c}: ${lo} → ${c * k}: ${hi}`);
          assert.ok(
            scenarioLeverage(scenarioWithCollateral(base, c)) >
              scenarioLeverage(scenarioWithCollateral(base, c * k)),
          );
        },
      ),
    );
  });
  it("rises with volatility and with the horizon", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.double({ min: 1.01, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 24 * 30 }),
        fc.double({ min: 1.01, max: 5, noNaN: true }),
        (vol, k, hours, g) => {
          const s = scenarioWithCollateral(base, 4_000);
          const p = liquidationProbability(s, closedFormModel(vol, hours), hours).probability;
          assert.ok(
            liquidationProbability(s, closedFormModel(vol * k, hours), hours).probability >= p - 1e-15,
          );
          assert.ok(
            liquidationProbability(s, closedFormModel(vol, hours * g), hours * g).probability >= p - 1e-15,
          );
        },
      ),
    );
  });
  it("funding paid by a long raises its liquidation price and its P(liquidation)", () => {
    const s = scenarioWithCollateral(base, 4_000);
    const m = closedFormModel(0.6, 72);
    const funding = { ratePerInterval: 0.001, intervalHours: 8 };
    const b = scenarioBarrier(s, 72, funding);
    assert.ok((b.liquidationPriceAtHorizon as number) > (b.liquidationPrice as number));
    assert.ok(b.logDriftPerYear > 0);
    assert.ok(
      liquidationProbability(s, m, 72, funding).probability > liquidationProbability(s, m, 72).probability,
    );
    // Received funding (negative rate for a long) moves it away.
    const away = scenarioBarrier(s, 72, { ratePerInterval: -0.001, intervalHours: 8 });
    assert.ok(away.logDriftPerYear < 0);
  });
  it("the Monte Carlo engine is exactly monotone in collateral on one bank", () => {
    const mc = monteCarloModel({
      model: { volatility: { kind: "constant", annualVol: 1 }, innovations: { kind: "student-t", nu: 4 } },
      barHours: 1,
      horizonHours: 24,
      paths: 4_000,
      seed: 5,
    });
    let previous = 1;
    for (let c = 1_000; c <= 10_000; c += 250) {
      const p = liquidationProbability(scenarioWithCollateral(base, c), mc, 24).probability;
      assert.ok(p <= previous, `${c}: ${p} > ${previous}`);
      previous = p;
    }
  });
});

describe("solvers", () => {
  const base = isolated(1, 5_000);
  const opts = { horizonHours: 24, relativeTolerance: 1e-7 };
  it("minimum collateral meets P ≤ α and the collateral one bracket below does not (closed form)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        (alpha, vol) => {
          const m = closedFormModel(vol, 24);
          const sol = minimumCollateral(base, m, { kind: "probability", alpha }, opts);
          const c = sol.collateral as number;
          assert.ok(liquidationProbability(scenarioWithCollateral(base, c), m, 24).probability <= alpha);
          assert.ok(
            liquidationProbability(scenarioWithCollateral(base, c - sol.bracketWidth), m, 24).probability >
              alpha,
          );
          assert.ok(sol.bracketWidth <= 1e-7 * c * 1.0000001);
          assert.equal(sol.leverage, 50_000 / c);
        },
      ),
      { numRuns: 40 },
    );
  });
  it("the venue's maximum leverage caps the answer when α is loose", () => {
    const sol = minimumCollateral(
      base,
      closedFormModel(0.05, 1),
      { kind: "probability", alpha: 0.5 },
      { horizonHours: 1 },
    );
    assert.equal(sol.binding, "venue-max-leverage");
    assert.equal(sol.allowedLeverage, sol.venueMaxLeverage);
    assert.ok((sol.leverage as number) > sol.venueMaxLeverage);
  });
  it("Monte Carlo solver: the answer meets α on the same bank, one bracket below does not", () => {
    const mc = monteCarloModel({
      model: {
        volatility: { kind: "constant", annualVol: 0.9 },
        innovations: { kind: "student-t", nu: 3.5 },
      },
      barHours: 1,
      horizonHours: 24,
      paths: 5_000,
      seed: 9,
    });
    const sol = minimumCollateral(base, mc, { kind: "probability", alpha: 0.02 }, opts);
    const c = sol.collateral as number;
    assert.ok(liquidationProbability(scenarioWithCollateral(base, c), mc, 24).probability <= 0.02);
    assert.ok(
      liquidationProbability(scenarioWithCollateral(base, c - sol.bracketWidth), mc, 24).probability > 0.02,
    );
  });
  it("collateral to add for a target distance: met after, not met one bracket below; 0 when already met", () => {
    const add = collateralToAdd(base, closedFormModel(0.6, 24), { kind: "distance", distance: 0.2 }, opts);
    const after = scenarioLiquidation(scenarioWithCollateral(base, 5_000 + (add.add as number)));
    assert.ok((50_000 - (after.liquidationPrice as number)) / 50_000 >= 0.2);
    const below = scenarioLiquidation(
      scenarioWithCollateral(base, 5_000 + (add.add as number) - add.solution.bracketWidth),
    );
    assert.ok((50_000 - (below.liquidationPrice as number)) / 50_000 < 0.2);
    assert.equal(
      collateralToAdd(base, closedFormModel(0.6, 24), { kind: "distance", distance: 0.01 }, opts).add,
      0,
    );
  });
  it("size cut: the kept fraction meets α, keeping a little more does not", () => {
    const s = scenarioWithCollateral(base, 2_500);
    const m = closedFormModel(0.8, 24);
    const cut = sizeCut(s, m, { kind: "probability", alpha: 0.01 }, opts);
    const keep = cut.keepFraction as number;
    assert.ok(keep > 0 && keep < 1);
    assert.ok(liquidationProbability(scenarioWithSizeFactor(s, keep), m, 24).probability <= 0.01);
    assert.ok(
      liquidationProbability(scenarioWithSizeFactor(s, keep + cut.bracketWidth), m, 24).probability > 0.01,
    );
    assert.ok(Math.abs((cut.cutSize as number) - (1 - keep)) < 1e-12);
  });
  it("leverage is notional over the equity backing the position (uPnL counted)", () => {
    const resolved = resolveAccountDocument({
      venue: "binance-usdm",
      marginMode: "isolated",
      walletBalance: 0,
      positions: [
        { symbol: "BTCUSDT", size: 1, entryPrice: 40_000, markPrice: 50_000, isolatedMargin: 2_000 },
      ],
    });
    const s = traderScenario(resolved, 0);
    assert.equal(scenarioLeverage(s), 50_000 / 12_000);
    // Low volatility: the uPnL alone keeps P under α, so the least collateral searched (10⁻⁶·notional) is the
    // answer and its leverage counts the 10,000 of profit.
    const sol = minimumCollateral(
      s,
      closedFormModel(0.05, 1),
      { kind: "probability", alpha: 0.5 },
      { horizonHours: 1 },
    );
    assert.equal(sol.binding, "target");
    assert.ok(Math.abs((sol.leverage as number) - 50_000 / ((sol.collateral as number) + 10_000)) < 1e-9);
  });
  it("bad input names the field", () => {
    assert.throws(
      () => traderScenario(base, 3),
      (e: unknown) => e instanceof InputError && e.field === "position",
    );
    assert.throws(
      () => minimumCollateral(base, closedFormModel(0.5, 24), { kind: "probability", alpha: 1.5 }, opts),
      (e: unknown) => e instanceof InputError && e.field === "alpha",
    );
  });
});

describe("hedge-mode legs (one mark, two legs): the group's barrier, whichever leg is asked about", () => {
  const hedge = resolveAccountDocument(
    JSON.parse(readFileSync(new URL("../../examples/hedge-mode.json", import.meta.url), "utf8")),
  );
  const opts = { horizonHours: 24 };
  it("both legs see liq-price's 48,449.42 below the mark and the same P; neither is liquidatable", () => {
    const engine = liquidationPrices(hedge.account, hedge.rules)[0]?.lowerLiquidationPrice as number;
    const m = closedFormModel(0.6, 24 * 30);
    const [long, short] = [0, 1].map((i) => scenarioLiquidation(traderScenario(hedge, i)));
    for (const l of [long, short]) {
      assert.equal(l?.status, "safe");
      assert.equal(l?.adverse, "long");
      assert.equal(l?.liquidationPrice, engine);
    }
    assert.equal(short?.side, "short");
    const [pl, ps] = [0, 1].map(
      (i) => liquidationProbability(traderScenario(hedge, i), m, 24 * 30).probability,
    );
    assert.ok((pl as number) > 0 && (pl as number) < 1);
    assert.equal(pl, ps);
  });
  it("the long leg: P ≤ 1 % already holds, so nothing to add and the largest leverage is found", () => {
    const s = traderScenario(hedge, 0);
    // σ 120 %: with the wallet near 0 the lower end is 8.5 % away and P > 1 %, so the bisection brackets.
    const m = closedFormModel(1.2, 24);
    assert.ok(liquidationProbability(s, m, 24).probability <= 0.01);
    const add = collateralToAdd(s, m, { kind: "probability", alpha: 0.01 }, opts);
    assert.equal(add.add, 0);
    assert.notEqual(add.solution.collateral, null);
    assert.ok((add.solution.leverage as number) > scenarioLeverage(s));
  });
  it("more wallet never makes a leg liquidatable (the far end of the interval is not the losing side)", () => {
    const m = closedFormModel(0.6, 24);
    for (const i of [0, 1])
      for (const wallet of [9_000, 80_000, 1e6]) {
        const p = liquidationProbability(scenarioWithCollateral(traderScenario(hedge, i), wallet), m, 24);
        assert.notEqual(p.status, "liquidatable", `leg ${i}, wallet ${wallet}`);
        assert.ok(p.probability < 0.01);
      }
  });
  it("the short leg, when the account is at risk: no cut of it helps, and no stop/top-up problem is built", () => {
    const tight = resolveAccountDocument({
      venue: "binance-usdm",
      marginMode: "cross",
      walletBalance: 0,
      positions: [
        { symbol: "BTCUSDT", positionSide: "LONG", size: 2.4, entryPrice: 64210, markPrice: 67184.3 },
        { symbol: "BTCUSDT", positionSide: "SHORT", size: -0.5, entryPrice: 68950, markPrice: 67184.3 },
      ],
    });
    const s = traderScenario(tight, 1);
    const m = closedFormModel(0.6, 24);
    assert.ok(liquidationProbability(s, m, 24).probability > 0.01);
    const cut = sizeCut(s, m, { kind: "probability", alpha: 0.01 }, opts);
    assert.equal(cut.keepFraction, null);
    assert.equal(cut.cutSize, null);
    assert.throws(
      () =>
        thresholdProblem(s, {
          horizonHours: 24,
          barHours: 1,
          recoveryHours: 24,
          topUpAmount: 0,
          costs: {
            takerFeeRate: 0,
            liquidationFeeRate: 0,
            slippage: { kind: "proportional", bps: 0 },
            forfeitRemainder: true,
            idleRatePerYear: 0,
          },
        }),
      (e: unknown) => e instanceof InputError && e.field === "position",
    );
  });
  it("a group with both ends in the tier table: P is the sum of both touch probabilities (Boole)", () => {
    const resolved = resolveAccountDocument({
      venue: "binance-usdm",
      marginMode: "cross",
      walletBalance: 1_000,
      closeFeeRate: 0,
      tiers: {
        BTCUSDT: [
          { notionalFloor: 0, notionalCap: 100_000, mmr: 0.01, cum: 0, maxLeverage: 50 },
          { notionalFloor: 100_000, notionalCap: null, mmr: 0.2, cum: 19_000, maxLeverage: 2 },
        ],
      },
      positions: [
        { symbol: "BTCUSDT", positionSide: "LONG", size: 1, entryPrice: 50_000, markPrice: 60_000 },
        { symbol: "BTCUSDT", positionSide: "SHORT", size: -0.9, entryPrice: 50_000, markPrice: 60_000 },
      ],
    });
    const s = traderScenario(resolved, 0);
    const l = scenarioLiquidation(s);
    const lower = l.lowerLiquidationPrice as number;
    const upper = l.upperLiquidationPrice as number;
    assert.ok(lower < 60_000 && upper > 60_000 && Number.isFinite(upper));
    const m = closedFormModel(1.5, 24 * 90);
    const p = liquidationProbability(s, m, 24 * 90);
    const pLower = m.touch("long", Math.log(60_000 / lower), 0).probability;
    const pUpper = m.touch("short", Math.log(upper / 60_000), 0).probability;
    assert.ok(pLower > 0.01 && pUpper > 0.01);
    assert.ok(Math.abs(p.probability - Math.min(1, pLower + pUpper)) < 1e-12);
    assert.equal(p.farLiquidationPrice, l.liquidationPrice === lower ? upper : lower);
  });
});

describe("withStress (an explicit scenario mixed into P(liquidation))", () => {
  const base = closedFormModel(0.6, 24);
  const d = Math.log(100 / 90);
  it("is (1 − q)·P(d) + q·P(d + ln(1 + m)), and q + (1 − q)·P(d) once the move reaches the barrier", () => {
    const small = withStress(base, { move: -0.05, probability: 0.02 }).touch("long", d, 0);
    const p0 = base.touch("long", d, 0).probability;
    const moved = base.touch("long", d + Math.log(0.95), 0).probability;
    assertNear(small.probability, 0.98 * p0 + 0.02 * moved, 1e-15);
    const crash = withStress(base, { move: -0.3, probability: 0.01 }).touch("long", d, 0);
    assertNear(crash.probability, 0.99 * p0 + 0.01, 1e-15);
    // A fall does not liquidate a short; a rise does.
    assertNear(
      withStress(base, { move: -0.3, probability: 0.01 }).touch("short", d, 0).probability,
      0.99 * base.touch("short", d, 0).probability +
        0.01 * base.touch("short", d - Math.log(0.7), 0).probability,
      1e-15,
    );
    assert.ok(withStress(base, { move: 0.3, probability: 0.01 }).touch("short", d, 0).probability >= 0.01);
  });

  it("stays non-increasing in the distance, at least q·1[|move| reaches it], and refuses bad scenarios", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -0.9, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (move, q, dist) => {
          const m = withStress(base, { move, probability: q });
          for (const side of ["long", "short"] as const) {
            const near = m.touch(side, dist, 0).probability;
            assert.ok(m.touch(side, dist * 1.5, 0).probability <= near + 1e-15);
            assert.ok(near >= base.touch(side, dist, 0).probability * (1 - q) - 1e-15);
          }
        },
      ),
    );
    assert.throws(() => withStress(base, { move: -1, probability: 0.1 }), InputError);
    assert.throws(() => withStress(base, { move: -0.2, probability: 1.5 }), InputError);
  });
});
