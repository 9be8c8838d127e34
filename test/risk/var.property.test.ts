/**
 * Invariants of the VaR/ES models (Artzner et al. 1999 coherence axioms where they apply;
 * shared/research/quant.md §3.5): ES ≥ VaR; VaR non-decreasing in the confidence; positive
 * homogeneity in the position size; subadditivity of the delta-normal portfolio VaR; Euler
 * contributions summing to the total.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { historicalVar } from "../../src/risk/var-historical.js";
import { cornishFisherVar, normalVar, studentTVar } from "../../src/risk/var-parametric.js";
import { portfolioHistoricalVar, portfolioNormalVar } from "../../src/risk/var-portfolio.js";

const returnsArb = fc
  .array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 30, maxLength: 300 })
  .filter((a) => new Set(a).size > 5);
const confidenceArb = fc.double({ min: 0.8, max: 0.999, noNaN: true });
const tol = (x: number) => 1e-12 * Math.max(1, Math.abs(x));

describe("single-asset invariants", () => {
  it("ES ≥ VaR (historical, normal, t with given ν, Cornish–Fisher where monotone)", () => {
    fc.assert(
      fc.property(returnsArb, confidenceArb, fc.double({ min: 2.5, max: 50, noNaN: true }), (r, q, nu) => {
        for (const res of [
          historicalVar(r, { confidence: q }),
          historicalVar(r, { confidence: q, quantileRule: "kth-worst" }),
          normalVar(r, { confidence: q }),
          studentTVar(r, { confidence: q, nu }),
        ]) {
          assert.ok(res.es >= res.var - tol(res.var), `${res.method}: ES ${res.es} < VaR ${res.var}`);
        }
        const cf = cornishFisherVar(r, { confidence: q });
        if (cf.diagnostics.monotoneInTail) assert.ok(cf.es >= cf.var - tol(cf.var));
      }),
    );
  });

  it("VaR is non-decreasing in the confidence", () => {
    fc.assert(
      fc.property(returnsArb, confidenceArb, confidenceArb, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        for (const rule of ["type7", "kth-worst"] as const) {
          const x = historicalVar(r, { confidence: lo, quantileRule: rule }).var;
          const y = historicalVar(r, { confidence: hi, quantileRule: rule }).var;
          assert.ok(x <= y + tol(y), `${rule}: ${x} > ${y}`);
        }
        assert.ok(normalVar(r, { confidence: lo }).var <= normalVar(r, { confidence: hi }).var + 1e-15);
        assert.ok(
          studentTVar(r, { confidence: lo, nu: 4 }).var <=
            studentTVar(r, { confidence: hi, nu: 4 }).var + 1e-15,
        );
      }),
    );
  });

  it("positive homogeneity: returns scaled by c scale VaR and ES by c", () => {
    fc.assert(
      fc.property(returnsArb, confidenceArb, fc.double({ min: 0.01, max: 100, noNaN: true }), (r, q, c) => {
        const scaledR = r.map((x) => c * x);
        for (const f of [historicalVar, normalVar, cornishFisherVar] as const) {
          const a = f(r, { confidence: q });
          const b = f(scaledR, { confidence: q });
          assert.ok(Math.abs(b.var - c * a.var) <= 1e-9 * Math.max(1e-12, Math.abs(c * a.var)) + 1e-15);
          assert.ok(Math.abs(b.es - c * a.es) <= 1e-9 * Math.max(1e-12, Math.abs(c * a.es)) + 1e-15);
        }
      }),
    );
  });
});

const pairArb = fc
  .array(
    fc.tuple(
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    ),
    { minLength: 30, maxLength: 200 },
  )
  .filter((rows) => new Set(rows.map((x) => x[0])).size > 5 && new Set(rows.map((x) => x[1])).size > 5);
const qtyArb = fc.double({ min: -50, max: 50, noNaN: true }).filter((x) => Math.abs(x) > 1e-3);

describe("portfolio invariants", () => {
  it("VaR and ES scale with the position size (historical and delta-normal)", () => {
    fc.assert(
      fc.property(
        pairArb,
        qtyArb,
        qtyArb,
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (rows, q1, q2, c) => {
          const returns = [rows.map((x) => x[0]), rows.map((x) => x[1])];
          const pos = (k: number) => [
            { asset: "A", quantity: k * q1, price: 100 },
            { asset: "B", quantity: k * q2, price: 20 },
          ];
          for (const f of [portfolioHistoricalVar, portfolioNormalVar] as const) {
            const a = f(pos(1), returns, { confidence: 0.99 });
            const b = f(pos(c), returns, { confidence: 0.99 });
            assert.ok(Math.abs(b.var - c * a.var) <= 1e-9 * Math.abs(c * a.var) + 1e-9);
            assert.ok(Math.abs(b.es - c * a.es) <= 1e-9 * Math.abs(c * a.es) + 1e-9);
          }
        },
      ),
    );
  });

  it("delta-normal VaR is subadditive and its Euler components sum to it", () => {
    fc.assert(
      fc.property(pairArb, qtyArb, qtyArb, confidenceArb, (rows, q1, q2, q) => {
        const a = rows.map((x) => x[0]);
        const b = rows.map((x) => x[1]);
        const p1 = { asset: "A", quantity: q1, price: 100 };
        const p2 = { asset: "B", quantity: q2, price: 20 };
        const joint = portfolioNormalVar([p1, p2], [a, b], { confidence: q });
        const alone =
          portfolioNormalVar([p1], [a], { confidence: q }).var +
          portfolioNormalVar([p2], [b], { confidence: q }).var;
        assert.ok(joint.var <= alone + 1e-9 * Math.abs(alone), `${joint.var} > ${alone}`);
        const c = joint.diagnostics.componentVar;
        assert.ok(
          Math.abs((c[0] as number) + (c[1] as number) - joint.var) <= 1e-9 * Math.abs(joint.var) + 1e-12,
        );
        const e = joint.diagnostics.componentEs;
        assert.ok(
          Math.abs((e[0] as number) + (e[1] as number) - joint.es) <= 1e-9 * Math.abs(joint.es) + 1e-12,
        );
      }),
    );
  });
});
