/**
 * Bad-debt socialization policies of src/sim/venue/: queue ADL, pro-rata, capped pro-rata,
 * Risk-Aware Pro-Rata (RAP) and leverage water-filling.
 *
 * Parity with published numbers: Chitra, "Autodeleveraging: impossibilities and optimization"
 * (arXiv 2512.01112), appendix "Examples of Risk-Aware Pro-Rata (RAP) and Next Deficit"
 * (`paper/main_examples.tex` of pluriholonomic/autodeleveraging-analysis @ aae0be86): winners A, C, E
 * with effective leverages 1.031, 0.925, 1.548 and pro-rata shares (0.163, 0.728, 0.109); RAP with
 * weights λ·g(λ) gives shares (0.164, 0.589, 0.246) for g(λ) = λ and (0.155, 0.498, 0.348) for
 * g(λ) = λ² (rounded to 3 decimals there, hence the 2e-3 tolerance); pro-rata with D ≈ 0.705 and
 * W ≈ 7.72 has the haircut rate 0.0913. BitMEX "Auto-Deleveraging Examples": a short of 20 against
 * longs ranked 2 (10), 5 (20), 4 (30)… deleverages accounts 2 and 5.
 *
 * Invariants (fast-check): every policy covers min(D, capacity); 0 ≤ x_i ≤ cap_i·w_i; pro-rata, capped
 * pro-rata, RAP and water-filling have zero overshoot and the queue's is ≥ 0 and below the last PnL
 * closed; water-filling's maximum post-ADL leverage is at most that of any other allocation of the
 * same budget (arXiv 2603.15963: the optimal policy minimises the maximum leverage); permuting the
 * winners permutes the haircuts; splitting a winner in two leaves the total haircut unchanged for
 * pro-rata and water-filling (Sybil resistance, both papers).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { adlEventMetrics } from "../../../src/sim/venue/adl-metrics.js";
import { cappedProRata, proRata, riskAwareProRata } from "../../../src/sim/venue/adl-pro-rata.js";
import { profitLeverageScores, queueAdl } from "../../../src/sim/venue/adl-queue.js";
import { leverageWaterFilling } from "../../../src/sim/venue/adl-water-filling.js";
import { type AdlWinners, adlCapacity } from "../../../src/sim/venue/adl-winners.js";
import { hyperliquidAdlScore } from "../../../src/venues/hyperliquid.js";

const f64 = (xs: readonly number[]) => Float64Array.from(xs);
const sum = (xs: Float64Array) => xs.reduce((s, x) => s + x, 0);
const maxLev = (w: AdlWinners, x: Float64Array, d: number) => adlEventMetrics(w, d, x).maxLeverageAfter;

interface Case {
  winners: AdlWinners;
  deficit: number;
  caps: Float64Array;
  weights: Float64Array;
}

const caseArb: fc.Arbitrary<Case> = fc
  .array(
    fc.record({
      pnl: fc.double({ min: 1, max: 1e6, noNaN: true }),
      equityToPnl: fc.double({ min: 1.01, max: 50, noNaN: true }),
      leverage: fc.double({ min: 0.01, max: 50, noNaN: true }),
      cap: fc.double({ min: 0, max: 1, noNaN: true }),
      weight: fc.double({ min: 0.01, max: 10, noNaN: true }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .chain((rows) =>
    fc.double({ min: 0, max: 1.3, noNaN: true }).map((share) => {
      const pnl = f64(rows.map((r) => r.pnl));
      const equity = f64(rows.map((r) => r.pnl * r.equityToPnl));
      const notional = f64(rows.map((r, i) => r.leverage * (equity[i] as number)));
      return {
        winners: { pnl, equity, notional },
        deficit: share * sum(pnl),
        caps: f64(rows.map((r) => r.cap)),
        weights: f64(rows.map((r) => r.weight)),
      };
    }),
  );

/** The five policies on one case, in dollars. */
function allPolicies(c: Case): Record<string, Float64Array> {
  const n = c.winners.pnl.length;
  const out = () => new Float64Array(n);
  const pr = out();
  proRata(c.winners.pnl, c.deficit, pr);
  const cpr = out();
  cappedProRata(c.winners.pnl, c.deficit, c.caps, cpr);
  const rap = out();
  riskAwareProRata(c.winners.pnl, c.deficit, c.caps, c.weights, rap);
  const wf = out();
  leverageWaterFilling(c.winners, c.deficit, wf);
  const scores = out();
  profitLeverageScores(c.winners, -1, scores);
  const queue = out();
  queueAdl(c.winners.pnl, scores, c.deficit, queue);
  return { pr, cpr, rap, wf, queue };
}

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale);

describe("ADL policies: published examples", () => {
  it("RAP reproduces Chitra's shares for g(λ) = λ and g(λ) = λ² (arXiv 2512.01112, RAP examples)", () => {
    const endowment = f64([0.163, 0.728, 0.109]);
    const lambda = [1.031, 0.925, 1.548];
    const expected = [
      { g: (l: number) => l, shares: [0.164, 0.589, 0.246] },
      { g: (l: number) => l * l, shares: [0.155, 0.498, 0.348] },
    ];
    for (const { g, shares } of expected) {
      const weights = f64(lambda.map((l) => l * g(l)));
      const x = new Float64Array(3);
      riskAwareProRata(endowment, 0.01, 1, weights, x);
      const total = sum(x);
      assert.ok(close(total, 0.01, 1));
      for (let i = 0; i < 3; i++)
        assert.ok(Math.abs((x[i] as number) / total - (shares[i] as number)) < 2e-3);
    }
  });

  it("pro-rata haircut rate D/W = 0.705/7.72 ≈ 0.0913 (arXiv 2512.01112, next-deficit example)", () => {
    const pnl = f64([1.5, 2.22, 4]);
    const x = new Float64Array(3);
    proRata(pnl, 0.705, x);
    for (let i = 0; i < 3; i++)
      assert.equal(Math.round(((x[i] as number) / (pnl[i] as number)) * 1e4) / 1e4, 0.0913);
  });

  it("the queue closes whole positions in rank order (BitMEX example: 20 to cover, accounts 2 and 5 closed)", () => {
    const pnl = f64([10, 20, 30, 10, 10, 20]); // accounts 2, 5, 4, 1, 6, 3 in rank order
    const scores = f64([6, 5, 4, 3, 2, 1]);
    const x = new Float64Array(6);
    queueAdl(pnl, scores, 20, x);
    assert.deepEqual([...x], [10, 20, 0, 0, 0, 0]);
    assert.equal(
      adlEventMetrics({ pnl, equity: f64([20, 40, 60, 20, 20, 40]), notional: pnl }, 20, x).overshoot,
      10,
    );
  });

  it("capped pro-rata levels at η with the caps binding (w = 100 each, β = 0.1, 0.5, 1, D = 90 → η = 0.4)", () => {
    const x = new Float64Array(3);
    cappedProRata(f64([100, 100, 100]), 90, f64([0.1, 0.5, 1]), x);
    for (const [i, v] of [10, 40, 40].entries()) assert.ok(close(x[i] as number, v, 100));
  });

  it("water-filling drains the most levered winner first to the common level (10× → 7.5×)", () => {
    // A: n 100, e 10, w 5 (10×); B: n 10, e 10, w 5 (1×). x_A = 5(100 − 10λ)/(100 − 5λ) = 2 ⇒ λ = 7.5.
    const winners = { pnl: f64([5, 5]), equity: f64([10, 10]), notional: f64([100, 10]) };
    const x = new Float64Array(2);
    leverageWaterFilling(winners, 2, x);
    assert.ok(close(x[0] as number, 2, 2));
    assert.equal(x[1], 0);
    assert.ok(close(maxLev(winners, x, 2), 7.5, 7.5));
  });

  it("the profit × leverage score of a short winner is PnL% × n/e (src/venues/adl.ts)", () => {
    const scores = new Float64Array(1);
    profitLeverageScores({ pnl: f64([10]), equity: f64([40]), notional: f64([90]) }, -1, scores);
    assert.ok(close(scores[0] as number, (10 / 100) * (90 / 40), 1));
  });

  it("Hyperliquid's score of a short winner is (entry/mark) × n/e = (n + w)/e", () => {
    const scores = new Float64Array(1);
    const winner = { pnl: f64([10]), equity: f64([40]), notional: f64([90]) };
    profitLeverageScores(winner, -1, scores, hyperliquidAdlScore);
    assert.ok(close(scores[0] as number, 100 / 40, 1));
  });
});

describe("ADL policies: invariants", () => {
  it("cover min(D, capacity) with haircuts in [0, cap·PnL]; zero overshoot except the queue's", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { pnl } = c.winners;
        const cap = adlCapacity(pnl);
        const scale = cap;
        const p = allPolicies(c);
        for (const key of ["pr", "wf"])
          assert.ok(close(sum(p[key] as Float64Array), Math.min(c.deficit, cap), scale), key);
        const capped = adlCapacity(pnl, c.caps);
        assert.ok(close(sum(p.cpr as Float64Array), Math.min(c.deficit, capped), scale));
        assert.ok(close(sum(p.rap as Float64Array), Math.min(c.deficit, capped), scale));
        for (const [key, x] of Object.entries(p)) {
          for (let i = 0; i < pnl.length; i++) {
            const bound =
              key === "cpr" || key === "rap"
                ? (c.caps[i] as number) * (pnl[i] as number)
                : (pnl[i] as number);
            assert.ok((x[i] as number) >= 0 && (x[i] as number) <= bound * (1 + 1e-12), `${key}[${i}]`);
          }
        }
        const queue = p.queue as Float64Array;
        const used = sum(queue);
        assert.ok(used >= Math.min(c.deficit, cap) * (1 - 1e-12));
        const m = adlEventMetrics(c.winners, c.deficit, queue);
        assert.ok(m.overshoot >= 0);
        const lastClosed = Math.max(...[...queue].filter((v) => v > 0), 0);
        assert.ok(m.overshoot <= lastClosed);
        assert.ok(close(m.residual, Math.max(0, c.deficit - cap), scale));
      }),
      { numRuns: 300 },
    );
  });

  it("water-filling's maximum post-ADL leverage is at most any other allocation's of the same budget", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = allPolicies(c);
        const wfMax = maxLev(c.winners, p.wf as Float64Array, c.deficit);
        const slack = 1e-9 * Math.max(1, wfMax);
        assert.ok(wfMax <= maxLev(c.winners, p.pr as Float64Array, c.deficit) + slack);
        // RAP with random weights and no caps: an arbitrary allocation of the same budget.
        const any = new Float64Array(c.winners.pnl.length);
        riskAwareProRata(c.winners.pnl, c.deficit, 1, c.weights, any);
        assert.ok(wfMax <= maxLev(c.winners, any, c.deficit) + slack);
        // The queue uses more than D: compare at the budget it used.
        const queue = p.queue as Float64Array;
        const atQueue = new Float64Array(queue.length);
        leverageWaterFilling(c.winners, sum(queue), atQueue);
        assert.ok(maxLev(c.winners, atQueue, c.deficit) <= maxLev(c.winners, queue, c.deficit) + slack);
      }),
      { numRuns: 300 },
    );
  });

  it("permuting the winners permutes the haircuts", () => {
    fc.assert(
      fc.property(
        caseArb.chain((c) =>
          fc
            .shuffledSubarray([...c.winners.pnl.keys()], { minLength: c.winners.pnl.length })
            .map((perm) => ({ c, perm })),
        ),
        ({ c, perm }) => {
          const pick = (a: Float64Array) => f64(perm.map((j) => a[j] as number));
          const permuted: Case = {
            winners: {
              pnl: pick(c.winners.pnl),
              equity: pick(c.winners.equity),
              notional: pick(c.winners.notional),
            },
            deficit: c.deficit,
            caps: pick(c.caps),
            weights: pick(c.weights),
          };
          const a = allPolicies(c);
          const b = allPolicies(permuted);
          for (const key of Object.keys(a)) {
            const xa = a[key] as Float64Array;
            const xb = b[key] as Float64Array;
            perm.forEach((j, i) => {
              assert.ok(close(xb[i] as number, xa[j] as number, adlCapacity(c.winners.pnl)), key);
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("splitting a winner in two halves leaves the total haircut of pro-rata and water-filling unchanged", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const half = (a: Float64Array) => f64([(a[0] as number) / 2, (a[0] as number) / 2, ...a.subarray(1)]);
        const split = {
          pnl: half(c.winners.pnl),
          equity: half(c.winners.equity),
          notional: half(c.winners.notional),
        };
        const n = c.winners.pnl.length;
        const before = new Float64Array(n);
        const after = new Float64Array(n + 1);
        const scale = adlCapacity(c.winners.pnl);
        proRata(c.winners.pnl, c.deficit, before);
        proRata(split.pnl, c.deficit, after);
        assert.ok(close((after[0] as number) + (after[1] as number), before[0] as number, scale));
        leverageWaterFilling(c.winners, c.deficit, before);
        leverageWaterFilling(split, c.deficit, after);
        assert.ok(
          Math.abs((after[0] as number) + (after[1] as number) - (before[0] as number)) <= 1e-7 * scale,
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe("ADL policies: bad input", () => {
  it("names the field of a winner whose equity is not above its PnL", () => {
    const winners = { pnl: f64([5]), equity: f64([5]), notional: f64([10]) };
    assert.throws(
      () => leverageWaterFilling(winners, 1, new Float64Array(1)),
      (e: unknown) => {
        return e instanceof InputError && e.field === "winners.equity[0]";
      },
    );
  });

  it("names an unranked winner of the queue", () => {
    assert.throws(
      () => queueAdl(f64([1, 2]), f64([1, Number.NaN]), 1, new Float64Array(2)),
      (e: unknown) => e instanceof InputError && e.field === "scores[1]",
    );
  });

  it("names a loser (negative PnL) passed to the pro-rata family and the queue", () => {
    const pnl = f64([3, -1]);
    const named = (e: unknown) => e instanceof InputError && e.field === "pnl[1]";
    assert.throws(() => proRata(pnl, 1, new Float64Array(2)), named);
    assert.throws(() => riskAwareProRata(pnl, 1, 1, 1, new Float64Array(2)), named);
    assert.throws(() => queueAdl(pnl, f64([1, 2]), 1, new Float64Array(2)), named);
  });

  it("names a winner without a position when ranking", () => {
    const winner = { pnl: f64([10]), equity: f64([40]), notional: f64([0]) };
    assert.throws(
      () => profitLeverageScores(winner, -1, new Float64Array(1)),
      (e: unknown) => e instanceof InputError && e.field === "winners.notional[0]",
    );
  });

  it("refuses a negative deficit and a cap above 1", () => {
    assert.throws(() => proRata(f64([1]), -1, new Float64Array(1)), InputError);
    assert.throws(() => cappedProRata(f64([1]), 1, f64([1.5]), new Float64Array(1)), InputError);
  });
});
