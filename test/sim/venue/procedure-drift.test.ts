/**
 * Drift v2's liquidation procedure in the perp venue (src/sim/venue/procedure-drift.ts).
 *
 * Independent checks: every transfer the simulation makes against the fixed-point rulebook
 * (src/venues/drift-v2.ts: `liquidatePerp` and `marginCalculation`, themselves parity-tested against
 * drift-labs/protocol-v2's Rust unit tests in test/parity/drift-v2.test.ts) on the same state, the
 * program's flat liquidator fee (`controller/liquidation.rs::liquidate_perp` reads
 * `market.liquidator_fee`); the socialization through funding against the program's own unit test
 * `total_base_asset_amount_not_zero` (`math/liquidation/tests.rs`: a $100 loss over 7 long + 4 short
 * base moves the cumulative funding rate by 9,090,910,000, i.e. $9.09091 per base unit, both sides)
 * and the order of `resolve_perp_bankruptcy` (insurance fund up to its balance and to
 * `quote_max_insurance − quote_settled_insurance`, then funding).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import {
  DRIFT_DEFAULT_BUFFER,
  type DriftCounts,
  type DriftProcedureParams,
} from "../../../src/sim/venue/procedure-drift.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import { sampleVenuePaths } from "../../../src/sim/venue/simulation.js";
import {
  BASE_PRECISION,
  DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
  venue as driftVenue,
  fundingPayment,
  fundingRateDeltaToResolveBankruptcy,
  liquidatePerp,
  marginCalculation,
  marginShortage,
  type PerpMarket,
} from "../../../src/venues/drift-v2.js";
import { assertNear } from "../../helpers/close.js";
import { perpBook } from "../../helpers/perp-book.js";

/** The market of the program's liquidation tests (`controller/liquidation/tests.rs`): 10 % / 5 %, fees 1 %. */
const MARKET: PerpMarket = {
  symbol: "SOL-PERP",
  marginRatioInitial: 1_000,
  marginRatioMaintenance: 500,
  imfFactor: 0,
  liquidatorFee: 10_000,
  ifLiquidationFee: 10_000,
};
const tiers = driftVenue([MARKET]).tierTable("SOL-PERP").tiers;

const DRIFT: DriftProcedureParams = {
  kind: "drift-v2",
  liquidatorFee: MARKET.liquidatorFee / 1e6,
  ifLiquidationFee: MARKET.ifLiquidationFee / 1e6,
  liquidationMarginBufferRatio: DRIFT_DEFAULT_BUFFER,
};

const params = (fund = 0, procedure: DriftProcedureParams = DRIFT): PerpVenueParams => ({
  insuranceFundUsd: fund,
  liquidationFeeRate: 0,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
  procedure,
});

const counts = (c: unknown): DriftCounts => {
  assert.ok(c !== undefined && typeof c === "object" && c !== null && "transfers" in c);
  return c as DriftCounts;
};

/** The rulebook's `liquidate_perp` on a position of `q` base at entry `entry`, margin `margin`, oracle `mark`. */
function rulebookTransfer(q: number, entry: number, margin: number, mark: number) {
  const base = BigInt(Math.round(q * 1e9));
  const oraclePrice = BigInt(Math.round(mark * 1e6));
  const account = {
    quoteBalance: BigInt(Math.round(margin * 1e6)),
    positions: [
      {
        market: MARKET,
        baseAssetAmount: base,
        quoteAssetAmount: BigInt(Math.round(-q * entry * 1e6)),
        oraclePrice,
      },
    ],
  };
  const calc = marginCalculation(account, "maintenance", DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO);
  return liquidatePerp({
    market: MARKET,
    userBaseAssetAmount: base,
    oraclePrice,
    marginShortage: marginShortage(calc),
    liquidatorMaxBaseAssetAmount: 2n ** 62n,
    slot: 0,
    lastActiveSlot: 0,
    liquidationMarginBufferRatio: DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO,
    escalateFee: false,
  });
}

describe("Drift procedure: liquidate_perp inside the simulation", () => {
  /** One position of `q` base at `entry` with `margin` on a flat `mmr` table, stepped once at `mark`. */
  const once = (
    q: number,
    entry: number,
    margin: number,
    mark: number,
    mmr: number,
    procedure: DriftProcedureParams,
  ) => {
    const market = { ...MARKET, marginRatioMaintenance: Math.round(mmr * 10_000) };
    const flat = driftVenue([market]).tierTable("SOL-PERP").tiers;
    const venue = new PerpVenue(perpBook([[q, entry, margin]], flat, mark), params(1e9, procedure));
    venue.step(mark);
    return { taken: q - (venue.size[0] as number), c: counts(venue.drift?.counts) };
  };

  it("TV-DRIFT-1 (calculate_base_asset_amount_to_cover_margin_shortage tests): a $10 shortage at $100 with mr + buffer = 10 % takes 1 base, 1.111… with a 1 % liquidator fee, 1.25 with a 1 % IF fee too", () => {
    // 10 base at $100 on 9.5 % maintenance + 0.5 % buffer: TC = 90 < MR = 95, buffered shortage 100 − 90 = $10.
    const at = (liquidatorFee: number, ifLiquidationFee: number) =>
      once(10, 100, 90, 100, 0.095, {
        ...DRIFT,
        liquidatorFee,
        ifLiquidationFee,
        liquidationMarginBufferRatio: 0.005,
      });
    assertNear(at(0, 0).taken, 1, 1e-12, "zero_percent_liquidation_fee: 1,000,000,000 (1e9)");
    assertNear(at(0.01, 0).taken, 1.111_111_111, 1e-9, "liquidator fee 1 %: 1,111,111,111 (1e9)");
    const withIf = at(0.01, 0.01);
    assertNear(withIf.taken, 1.25, 1e-12, "liquidator fee 1 % and IF fee 1 %: 1,250,000,000 (1e9)");
    assertNear(withIf.c.ifFeesUsd, 0.01 * 125, 1e-9, "the IF fee at its 1 % cap on the $125 taken");
  });

  it("TV-DRIFT-2 (calculate_perp_if_fee tests): a $20 shortage on 10 base at $100, mr 5 %, liquidator fee 1 %, max IF fee 5 % → IF fee 1.9 % (19,000)", () => {
    // 4.5 % maintenance + 0.5 % buffer: TC = 30 < MR = 45, buffered shortage 50 − 30 = $20.
    const r = once(10, 100, 30, 100, 0.045, {
      ...DRIFT,
      ifLiquidationFee: 0.05,
      liquidationMarginBufferRatio: 0.005,
    });
    assertNear(r.c.ifFeesUsd / (r.taken * 100), 0.019, 1e-12, "2 % × 0.95");
  });

  it("takes the rulebook's base and charges its liquidator and insurance-fund fees on the same state (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.boolean(),
        fc.integer({ min: 10, max: 2_000 }),
        fc.integer({ min: 600, max: 5_000 }),
        fc.integer({ min: -500, max: 499 }),
        (milliBase, long, mark, moveBp, ratioBp) => {
          // basis points: doubles would be drawn mostly at their bounds.
          const move = moveBp / 10_000;
          const ratio = ratioBp / 10_000;
          const q = ((long ? 1 : -1) * milliBase) / 1_000;
          const entry = mark * (long ? 1 + move : 1 - move);
          const notional = Math.abs(q) * mark;
          // total collateral / notional = ratio < 5 % maintenance: crossed at the mark.
          const margin = notional * (ratio + move);
          const venue = new PerpVenue(perpBook([[q, entry, margin]], tiers, mark), params(1e9));
          venue.step(mark);
          const c = counts(venue.drift?.counts);
          const x = rulebookTransfer(q, entry, margin, mark);
          const taken = Number(x.baseAssetAmount) / 1e9;
          const tolerance = 1e-3 + 1e-9 * notional;
          assert.equal(c.transfers, 1);
          assertNear(Math.abs(q) - Math.abs(venue.size[0] as number), taken, tolerance / mark, "base taken");
          assertNear(
            c.liquidatorFeesUsd,
            Number(x.liquidatorFeeQuote) / 1e6,
            tolerance + 2e-6 * notional,
            "liquidator fee",
          );
          assertNear(c.ifFeesUsd, Number(x.ifFeeQuote) / 1e6, tolerance + 2e-6 * notional, "IF fee");
          assert.equal(
            c.partial,
            taken < Math.abs(q) - 1e-9 ? 1 : 0,
            "partial exactly when the rulebook leaves a rest",
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stops early: after a partial transfer the rest is at its buffered requirement, MR + 2 %·notional, and not crossed", () => {
    // 100 SOL long at 110 with 1,400 margin, oracle 100: TC = 400 < MR = 500; buffered shortage 300.
    const q = 100;
    const entry = 110;
    const margin = 1_400;
    const venue = new PerpVenue(perpBook([[q, entry, margin]], tiers, 100), params());
    venue.step(100);
    const c = counts(venue.drift?.counts);
    const rest = venue.size[0] as number;
    assert.equal(c.partial, 1);
    assert.ok(rest > 0 && rest < q);
    const tc = (venue.margin[0] as number) + rest * (100 - entry);
    assertNear(tc, (0.05 + 0.02) * rest * 100, 1e-9, "TC = (mr + buffer)·notional");
    assert.ok(venue.record.closed === 0 && venue.liquidatedAt[0] === 0);
    venue.step(100);
    assert.equal(counts(venue.drift?.counts).transfers, 1, "no second transfer at the same oracle");
  });

  it("moves the price through the engine's impact: the liquidators' sale fills below the oracle and takes its PnL", () => {
    const p = perpBook([[100, 110, 1_400]], tiers, 100);
    const r = replayVenue(
      p,
      { ...params(), impact: { y: 1, dailyVol: 0.05, dailyVolumeUsd: 1e6, halfLifeSteps: 2 } },
      Float64Array.from([100]),
    );
    assert.ok((r.mark[0] as number) < 100, "the sale pushed the mark down");
    assert.ok(
      (r.ledger.liquidatorsUsd ?? 0) < counts(r.procedure).liquidatorFeesUsd,
      "the fill below the oracle cost the liquidators",
    );
  });

  it("is deterministic: the same path twice, and after reset(), gives the same numbers", () => {
    const p = perpBook(
      [
        [100, 110, 1_400],
        [7, 80, 10_000],
        [-4, 80, 10_000],
        [1, 100, 10],
      ],
      tiers,
      100,
    );
    const marks = Float64Array.from([100, 90, 85, 95]);
    const a = replayVenue(p, params(5), marks);
    const b = replayVenue(p, params(5), marks);
    assert.deepEqual(a, b);
    const venue = new PerpVenue(p, params(5));
    const run = () => {
      for (const m of marks) venue.step(m);
      return { counts: { ...counts(venue.drift?.counts) }, totals: { ...venue.totals } };
    };
    const first = run();
    venue.reset();
    assert.deepEqual(run(), first);
  });
});

describe("Drift procedure: bankruptcy resolved through the insurance fund, then funding", () => {
  /** 7 long + 4 short base (open) and a 1-base long at 1,000 whose loss after the transfer is exactly $100 at 800. */
  const BANKRUPT = perpBook(
    [
      [7, 800, 10_000],
      [-4, 800, 10_000],
      // TC at 800: 108 − 200 = −92; the liquidator's 1 % of 800 makes the loss 100.
      [1, 1_000, 108],
    ],
    tiers,
    800,
  );

  it("total_base_asset_amount_not_zero: a $100 loss over 7 long + 4 short base charges $9.09091 per base unit to both sides", () => {
    const venue = new PerpVenue(BANKRUPT, params(0));
    venue.step(800);
    const c = counts(venue.drift?.counts);
    assert.equal(c.bankrupt, 1);
    assertNear(venue.record.badDebtUsd, 100, 1e-9, "the bankrupt's loss");
    assertNear(c.socializedThroughFundingUsd, 100, 1e-9, "all of it through funding");
    // The program's delta (funding-rate precision 1e9, rounded up) and what it makes each side pay.
    const delta = fundingRateDeltaToResolveBankruptcy(
      -100_000_000n,
      7n * BASE_PRECISION,
      -4n * BASE_PRECISION,
    );
    assert.equal(delta, 9_090_910_000n);
    const longPays = Number(fundingPayment(delta, 7n * BASE_PRECISION)) / 1e6;
    const shortPays = Number(fundingPayment(delta, -4n * BASE_PRECISION)) / 1e6;
    assertNear(10_000 - (venue.margin[0] as number), longPays, 1e-4, "the 7 long base pay");
    assertNear(10_000 - (venue.margin[1] as number), shortPays, 1e-4, "the 4 short base pay");
    assertNear(venue.margin[2] as number, 0, 0, "the bankrupt account ends at 0");
    assertNear(venue.ledger.fundingUsd, 0, 1e-9, "the funding account is square");
  });

  it("the fund pays first, up to its balance and to the market's insurance limit; funding charges exactly the rest", () => {
    for (const [fund, maxInsuranceUsd, paid] of [
      [60, undefined, 60],
      [1_000, 30, 30],
      [1_000, undefined, 100],
    ] as const) {
      const procedure = maxInsuranceUsd === undefined ? DRIFT : { ...DRIFT, maxInsuranceUsd };
      const venue = new PerpVenue(BANKRUPT, params(fund, procedure));
      venue.step(800);
      const c = counts(venue.drift?.counts);
      assertNear(c.insurancePaidUsd, paid, 1e-9, `fund ${fund}: paid`);
      assertNear(c.socializedThroughFundingUsd, 100 - paid, 1e-9, `fund ${fund}: socialized`);
      const charged = 20_000 - (venue.margin[0] as number) - (venue.margin[1] as number);
      assertNear(charged, 100 - paid, 1e-9, `fund ${fund}: charged to the open positions`);
      assertNear(charged * (4 / 11), 10_000 - (venue.margin[1] as number), 1e-9, "shorts pay 4/11");
      assertNear(venue.fundUsd, fund - paid, 1e-9, "the fund paid");
      assert.equal(venue.totals.adlEvents, 0, "no ADL under Drift's procedure");
    }
  });

  it("records the socialized loss per step, and writes it off when no position is open (CantResolvePerpBankruptcy)", () => {
    const r = replayVenue(BANKRUPT, params(0), Float64Array.from([800, 800]));
    assert.deepEqual([...(r.socializedThroughFundingUsd ?? [])].map(Math.round), [100, 0]);
    const alone = replayVenue(perpBook([[1, 1_000, 108]], tiers, 800), params(0), Float64Array.from([800]));
    const c = counts(alone.procedure);
    assertNear(c.unsocializedUsd, 100, 1e-9, "written off");
    assert.equal(c.socializedThroughFundingUsd, 0);
    assertNear(alone.totals.uncoveredUsd, 100, 1e-9, "uncovered");
  });

  it("a funding charge can push an open position under maintenance: it is liquidated at the next step", () => {
    // The 7 long base now hold 5.3 % of their notional at 800 (≈ 297 = 0.053·5,600) and the charge of ≈ 63.6 crosses them.
    const p = perpBook(
      [
        [7, 800, 297],
        [-4, 800, 10_000],
        [1, 1_000, 108],
      ],
      tiers,
      800,
    );
    const venue = new PerpVenue(p, params(0));
    venue.step(800);
    assert.equal(venue.liquidatedAt[0], -1);
    venue.step(800);
    assert.equal(venue.liquidatedAt[0], 1, "crossed after its funding charge");
  });
});

describe("Drift procedure: bad parameters", () => {
  const p = perpBook([[1, 100, 50]], tiers, 100);
  for (const [field, procedure] of [
    ["procedure.liquidatorFee", { ...DRIFT, liquidatorFee: -0.01 }],
    ["procedure.ifLiquidationFee", { ...DRIFT, ifLiquidationFee: 1.5 }],
    ["procedure.liquidationMarginBufferRatio", { ...DRIFT, liquidationMarginBufferRatio: Number.NaN }],
    ["procedure.maxInsuranceUsd", { ...DRIFT, maxInsuranceUsd: -1 }],
  ] as const) {
    it(`refuses a bad ${field}, naming it`, () => {
      assert.throws(
        () => new PerpVenue(p, params(0, procedure)),
        (e: unknown) => e instanceof InputError && e.field === field,
      );
    });
  }
  it("refuses an unknown procedure kind (untyped input), naming procedure.kind", () => {
    const unknown = { kind: "binance" } as unknown as DriftProcedureParams;
    assert.throws(
      () => new PerpVenue(p, params(0, unknown)),
      (e: unknown) => e instanceof InputError && e.field === "procedure.kind",
    );
  });
});

describe("Drift procedure: the simulate report", () => {
  const scenario = readScenario(JSON.parse(readFileSync("examples/venue/drift-sol.json", "utf8")), (f) =>
    readFileSync(`examples/venue/${f}`, "utf8"),
  );

  it("a Monte Carlo run of the example has the socialized-through-funding line, the mean of the paths' socialized loss", async () => {
    const r = await simulateScenario(scenario, { paths: 100, workers: 1 });
    const line = r.headline.find((h) => h.key === "socializedThroughFundingUsd");
    assert.ok(line !== undefined && line.label === "socialized through funding" && line.unit === "USD");
    const spec = {
      book: { columns: scenario.population },
      venue: scenario.venue,
      model: scenario.path.kind === "model" ? scenario.path.model : assert.fail("a model path"),
      grid: { horizonYears: (288 * 5) / (365 * 24 * 60), steps: 288 },
    };
    // The same 100 paths replayed one by one (worker 0's stream of the seed) give the same mean.
    const paths = sampleVenuePaths(spec, 1, 100);
    const mean =
      paths.reduce((sum, p) => sum + counts(p.replay.procedure).socializedThroughFundingUsd, 0) / 100;
    assertNear(line.value, mean, 1e-9 * Math.max(1, mean), "mean socialized loss");
    const exhausted = paths.filter((p) => counts(p.replay.procedure).socializedThroughFundingUsd > 0).length;
    assertNear(
      r.headline.find((h) => h.key === "fundExhausted")?.value,
      exhausted / 100,
      1e-12,
      "P(fund exhausted)",
    );
  });

  it("the line is absent without the procedure", async () => {
    const { procedure: _, ...venue } = scenario.venue;
    const r = await simulateScenario({ ...scenario, venue }, { paths: 50, workers: 1 });
    assert.equal(
      r.headline.find((h) => h.key === "socializedThroughFundingUsd"),
      undefined,
    );
  });
});
