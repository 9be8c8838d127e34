/**
 * Liquidator agents in the perp venue engine (src/sim/venue/liquidators.ts, engine.ts): behaviour that
 * must emerge from the agents' conditions, measured on replays, never scripted — rational, always-on
 * agents with ample capital liquidate exactly as an unlimited capacity does; gas above the premium
 * on small positions leaves those positions queued and raises bad debt; withdrawal under stress forms
 * a queue in the crash steps only; more competitors never lower the filled notional (fast-check).
 * The premium's books: the fund pays `π·Σ|s|·F` to the agents, and the ledger still balances.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { keeperReservation } from "../../../src/sim/keeper-reservation.js";
import { PerpVenue, type PerpVenueParams, replayVenue } from "../../../src/sim/venue/engine.js";
import {
  type LiquidatorAgentSpec,
  type LiquidatorPoolParams,
  readLiquidatorPool,
} from "../../../src/sim/venue/liquidators.js";
import { assertNear } from "../../helpers/close.js";
import { book, MARK, pathOf, population } from "./book.js";

const unlimited: PerpVenueParams = {
  insuranceFundUsd: 1e6,
  liquidationFeeRate: 0.003,
  liquidatorCapacityUsdPerStep: Number.POSITIVE_INFINITY,
  adlPolicy: "pro-rata",
};

/** A rational, always-on agent: no latency, no costs, no margin, no risk charge, capital given. */
const rational = (capitalUsd: number, extra: Partial<LiquidatorAgentSpec> = {}): LiquidatorAgentSpec => ({
  capitalUsd,
  latencySteps: 0,
  feeUsd: 0,
  gasUsd: 0,
  margin: 0,
  riskAversion: 0,
  ...extra,
});

const pool = (
  agents: LiquidatorAgentSpec[],
  extra: Partial<LiquidatorPoolParams> = {},
): LiquidatorPoolParams => ({
  agents,
  premiumRate: 0,
  holdingSteps: 0,
  stepVol: 0,
  ...extra,
});

const stepsArb = fc.array(fc.double({ min: -0.12, max: 0.08, noNaN: true }), { minLength: 1, maxLength: 30 });
const fallingArb = fc.array(fc.double({ min: -0.06, max: 0, noNaN: true }), { minLength: 1, maxLength: 25 });
const impact = { y: 1, dailyVol: 0.03, dailyVolumeUsd: 5e8, halfLifeSteps: 3 };

describe("liquidator agents: rational, always on, ample capital", () => {
  it("liquidate exactly as an unlimited capacity: bit-identical replay at π = 0 without slippage (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), stepsArb, (seed, steps) => {
        const p = population(80, seed);
        const marks = pathOf(steps);
        const fixed = replayVenue(p, unlimited, marks);
        const agents = replayVenue(
          p,
          { ...unlimited, liquidators: pool([rational(1e15), rational(1e15)]) },
          marks,
        );
        assert.deepEqual(agents.mark, fixed.mark);
        assert.deepEqual(agents.liquidatedNotionalUsd, fixed.liquidatedNotionalUsd);
        assert.deepEqual(agents.queued, fixed.queued);
        assert.deepEqual(agents.fundUsd, fixed.fundUsd);
        assert.deepEqual(agents.liquidatedAt, fixed.liquidatedAt);
        assert.deepEqual(agents.totals, fixed.totals);
        assert.equal(agents.leftQueued, 0);
        assert.equal(agents.ledger.liquidatorsUsd, 0);
      }),
      { numRuns: 40 },
    );
  });

  it("with a premium that pays for gas and slippage they fill the same notional, and the fund pays them π × it (property)", () => {
    const premiumRate = 0.01;
    // fees and gas below the premium on the smallest position (20,000 USD × 1 % = 200 USD); the
    // slippage of the largest, Y·σ_D·√(5e6/5e8) = 0.3 %, below 1 %
    const liquidators = pool([rational(1e15, { feeUsd: 5, gasUsd: 2 })], { premiumRate });
    const venue = { ...unlimited, impact, insuranceFundUsd: 1e9 };
    let liquidating = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), stepsArb, (seed, steps) => {
        const p = population(80, seed);
        const marks = pathOf(steps);
        const fixed = replayVenue(p, venue, marks);
        const agents = replayVenue(p, { ...venue, liquidators }, marks);
        if (fixed.totals.closed > 0) liquidating++;
        assert.deepEqual(agents.liquidatedNotionalUsd, fixed.liquidatedNotionalUsd);
        assert.deepEqual(agents.takenOver, fixed.takenOver);
        assert.deepEqual(agents.mark, fixed.mark);
        const paid = agents.ledger.liquidatorsUsd ?? Number.NaN;
        assertNear(paid, premiumRate * fixed.totals.liquidatedNotionalUsd, 1e-12 * (1 + paid));
        // the premium comes out of the positions' equity, so out of the fund (no ADL with a 1 bn fund)
        assertNear(fixed.ledger.fundUsd - agents.ledger.fundUsd, paid, 1e-9 * fixed.ledger.fundUsd);
      }),
      { numRuns: 40 },
    );
    assert.ok(liquidating > 5, `paths that liquidate: ${liquidating}`);
  });
});

describe("liquidator agents: gas above the premium", () => {
  // Four longs entered at the mark with 10× leverage: 20 k, 50 k, 2 M and 5 M USD of notional.
  const rows = [20_000, 50_000, 2e6, 5e6].map((n) => [n / MARK, MARK, n / 10] as const);
  const crash = pathOf([0, -0.095, -0.01, -0.01, -0.01, -0.01]);
  const premiumRate = 0.005;

  it("leaves the small positions queued and raises bad debt; the large ones are still filled", () => {
    const p = book(rows);
    const run = (gasUsd: number) =>
      replayVenue(
        p,
        { ...unlimited, liquidators: pool([rational(1e9, { gasUsd })], { premiumRate }) },
        crash,
      );
    const cheap = run(10);
    // 400 USD of gas: above π·N = 100 and 250 USD of the two small positions, below 10 k and 25 k USD
    const dear = run(400);
    assert.equal(cheap.totals.closed, 4);
    assert.equal(cheap.totals.takenOver, 4);
    assert.equal(dear.totals.takenOver, 4);
    assert.equal(dear.totals.closed, 2, "the two large positions are filled");
    assert.equal(dear.queued[dear.queued.length - 1], 2, "the two small ones wait");
    assert.equal(dear.leftQueued, 2);
    const badDebt = (r: typeof cheap) => r.totals.badDebtUsd + r.totals.pendingBadDebtUsd;
    assert.ok(badDebt(dear) > badDebt(cheap), `${badDebt(dear)} > ${badDebt(cheap)}`);
  });

  it("a gas spike in the crash steps only delays the small positions until gas is back", () => {
    const p = book(rows);
    // the large positions are crossed at step 1, the small ones at step 2; gas is 40× at steps 1–3
    const gasPath = [1, 40, 40, 40, 1];
    const r = replayVenue(
      p,
      { ...unlimited, liquidators: pool([rational(1e9, { gasUsd: 10 })], { premiumRate, gasPath }) },
      crash,
    );
    assert.deepEqual([...r.queued], [0, 0, 2, 2, 0, 0]);
    assert.equal(r.totals.closed, 4);
  });
});

describe("liquidator agents: withdrawal under stress", () => {
  it("a queue forms in the crash steps only; agents who never withdraw leave none", () => {
    const p = population(150, 3);
    // a slow drift that liquidates the most leveraged, a three-step crash, a slow drift again
    const steps = [-0.004, -0.004, -0.004, -0.004, -0.07, -0.07, -0.07, -0.004, -0.004, -0.004, -0.004];
    const marks = pathOf(steps);
    const run = (withdrawalMove?: number) =>
      replayVenue(
        p,
        {
          ...unlimited,
          liquidators: pool(
            [rational(1e12, withdrawalMove === undefined ? {} : { withdrawalMove }), rational(1e12)].slice(
              0,
              withdrawalMove === undefined ? 2 : 1,
            ),
          ),
        },
        marks,
      );
    const calm = run();
    const stressed = run(0.05);
    assert.ok(calm.queued.every((q) => q === 0));
    const crashSteps = new Set([4, 5, 6]);
    let liquidatedOutside = 0;
    for (let k = 0; k < steps.length; k++) {
      if (crashSteps.has(k)) assert.ok((stressed.queued[k] as number) > 0, `queue at crash step ${k}`);
      else {
        assert.equal(stressed.queued[k], 0, `no queue at step ${k}`);
        liquidatedOutside += stressed.takenOver[k] as number;
      }
    }
    assert.ok(liquidatedOutside > 0, "positions were liquidated outside the crash too");
    assert.ok(stressed.leftQueued !== undefined && stressed.leftQueued > 0);
  });
});

describe("liquidator agents: competition", () => {
  it("more competitors never lower the filled notional on a falling path (property)", () => {
    let strictlyMore = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fallingArb,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 1e5, max: 5e6, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (seed, steps, count, more, capitalUsd, holdingSteps, gasUsd) => {
          const p = population(60, seed);
          const marks = pathOf(steps);
          const kind = rational(capitalUsd, { gasUsd, latencySteps: 0 });
          const run = (n: number) =>
            replayVenue(
              p,
              {
                ...unlimited,
                liquidators: pool([{ ...kind, count: n }], { premiumRate: 0.005, holdingSteps, seed }),
              },
              marks,
            ).totals.liquidatedNotionalUsd;
          const few = run(count);
          const many = run(count + more);
          assert.ok(many >= few * (1 - 1e-12), `${many} < ${few}`);
          if (many > few * (1 + 1e-9)) strictlyMore++;
        },
      ),
      { numRuns: 60 },
    );
    assert.ok(strictlyMore > 0, "some books need the extra competitors' capital");
  });

  it("the faster agent takes the position: latency orders the competitors", () => {
    // 50 BTC long at 10× (5 M USD), crossed by a 12 % fall
    const p = book([[50, MARK, 500_000]]);
    const marks = pathOf([-0.12, 0, 0]);
    const venue = new PerpVenue(p, {
      ...unlimited,
      liquidators: pool([rational(1e6, { latencySteps: 1 }), rational(1e7, { latencySteps: 2 })], {
        premiumRate: 0.01,
        holdingSteps: 5,
      }),
    });
    venue.step(marks[0] as number);
    assert.equal(venue.record.queued, 1, "nobody reaches it in the step it is queued");
    venue.step(marks[1] as number);
    // the first agent (latency 1) takes what its 1 M USD buys at a 1 % discount: 1e6/0.99 of notional
    assertNear(venue.record.liquidatedNotionalUsd, 1e6 / 0.99, 1e-9);
    assert.equal(venue.record.queued, 1);
    venue.step(marks[2] as number);
    assert.equal(venue.record.queued, 0, "the slower, larger agent takes the rest");
  });

  it("failed transactions are seeded: the same seed replays identically, reset() too", () => {
    const p = population(100, 11);
    const marks = pathOf([-0.03, -0.05, -0.04, 0.02, -0.06]);
    const params: PerpVenueParams = {
      ...unlimited,
      liquidators: pool([{ ...rational(2e6), count: 3 }], { txFailure: 0.4, seed: 5, premiumRate: 0.002 }),
    };
    const a = replayVenue(p, params, marks);
    const b = replayVenue(p, params, marks);
    assert.deepEqual(a, b);
    const venue = new PerpVenue(p, params);
    const trace = () => {
      const out: number[] = [];
      venue.reset();
      for (const m of marks) {
        venue.step(m);
        out.push(venue.record.liquidatedNotionalUsd, venue.record.queued);
      }
      return out;
    };
    const first = trace();
    assert.ok((venue.liquidators?.failedTransactions ?? 0) > 0, "some transactions failed");
    assert.deepEqual(trace(), first);
  });
});

describe("liquidator agents: the ledger", () => {
  it("conserves cash with agents: collateral + fund + market + uncovered + liquidators = start (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        stepsArb,
        fc.double({ min: 0, max: 2e6, noNaN: true }),
        fc.double({ min: 0, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.boolean(),
        (seed, steps, fund, premiumRate, txFailure, withImpact) => {
          const r = replayVenue(
            population(100, seed),
            {
              ...unlimited,
              insuranceFundUsd: fund,
              ...(withImpact ? { impact } : {}),
              liquidators: pool(
                [
                  rational(3e6, { gasUsd: 50, withdrawalMove: 0.08 }),
                  rational(1e7, { latencySteps: 2, margin: 0.002 }),
                ],
                { premiumRate, txFailure, holdingSteps: 2, stepVol: 0.004, seed },
              ),
            },
            pathOf(steps),
          );
          const l = r.ledger;
          const total =
            l.collateralUsd + l.fundUsd + l.marketUsd + l.uncoveredUsd + (l.liquidatorsUsd ?? Number.NaN);
          assert.ok(
            Math.abs(total - l.startTotalUsd) <= 1e-9 * l.startTotalUsd,
            `${total} vs ${l.startTotalUsd}`,
          );
          assert.ok(r.fundUsd.every((f) => f >= 0));
          assert.ok((l.liquidatorsUsd ?? -1) >= 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("liquidator agents: the reservation rule and bad parameters", () => {
  it("the shared reservation is the flip keeper's: (value − cost)/(1 + m)", () => {
    assertNear(keeperReservation(5000, 20, 0.05), 4980 / 1.05, 1e-15);
    assert.ok(keeperReservation(10, 20, 0) < 0);
  });

  it("refuses bad fields by name", () => {
    const bad: [unknown, string][] = [
      [{ ...pool([rational(1)]), agents: [] }, "liquidators.agents"],
      [pool([rational(0)]), "liquidators.agents[0].capitalUsd"],
      [pool([rational(1, { latencySteps: 1.5 })]), "liquidators.agents[0].latencySteps"],
      [pool([rational(1, { count: 0 })]), "liquidators.agents[0].count"],
      [pool([rational(1)], { premiumRate: 1 }), "liquidators.premiumRate"],
      [pool([rational(1)], { txFailure: 1 }), "liquidators.txFailure"],
      [pool([rational(1)], { gasPath: [1, 0] }), "liquidators.gasPath[1]"],
      [pool([rational(1)], { holdingSteps: -1 }), "liquidators.holdingSteps"],
    ];
    for (const [params, field] of bad) {
      assert.throws(
        () => readLiquidatorPool(params),
        (e) => e instanceof InputError && e.field === field,
        field,
      );
    }
    assert.throws(
      () => new PerpVenue(population(5, 1), { ...unlimited, liquidators: pool([rational(-1)]) }),
      (e) => e instanceof InputError && e.field === "liquidators.agents[0].capitalUsd",
    );
  });
});
