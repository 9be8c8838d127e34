/**
 * Drift v2 account documents: reading (exact conversion, errors naming the field and the on-chain
 * account field to read), the margin report against hand-derived numbers from the program's formulas
 * (`state/perp_market.rs::get_margin_ratio`, `math/margin.rs::calculate_size_premium_liability_weight`,
 * `math/liquidation.rs`), the exact liquidation price against the SDK's float formula
 * (`sdk/src/user.ts::liquidationPrice`), what-if targets, the liquidate sequence's invariants, and the
 * JSON Schema (Ajv, an independent validator) agreeing with the reader.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { driftLiquidateReport } from "../../src/venues/drift/liquidate-report.js";
import { driftExactLiquidationPrice, driftMarginReport } from "../../src/venues/drift/margin-report.js";
import { driftWhatIfReport } from "../../src/venues/drift/what-if.js";
import { resolveDriftDocument } from "../../src/venues/drift-document.js";
import { marginCalculation } from "../../src/venues/drift-v2.js";

const root = new URL("../../", import.meta.url);
const EXAMPLE = JSON.parse(
  readFileSync(new URL("examples/drift/drift-account.json", root), "utf8"),
) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(new URL("schemas/drift-account.schema.json", root), "utf8")) as object;
const validate = new ajv2020.default({ allErrors: true, strict: false }).compile(schema);

type Doc = Record<string, unknown> & {
  markets: Record<string, unknown>[];
  positions: Record<string, unknown>[];
};
const copy = (): Doc => structuredClone(EXAMPLE) as Doc;

function throwsOn(fn: () => unknown, field: string, mention?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.field, field);
    if (mention !== undefined) assert.match(err.message, mention);
    return true;
  });
}

/** One market, one long: `quoteBalance` USDC, `base` at `entry`, oracle `price`. */
function single(quoteBalance: string, base: string, entry: number, price: number, imf = "0"): Doc {
  const d = copy();
  const m: Record<string, unknown> = { ...d.markets[0], imfFactor: imf, oraclePrice: price };
  delete m.bankruptcy;
  return {
    ...d,
    quoteBalance,
    markets: [m],
    positions: [{ symbol: "SOL-PERP", baseAssetAmount: base, entryPrice: entry }],
  };
}

describe("Drift document: reading", () => {
  it("the example validates against the schema and resolves to the program's precisions", () => {
    assert.ok(validate(EXAMPLE), JSON.stringify(validate.errors));
    const doc = resolveDriftDocument(EXAMPLE);
    const sol = doc.markets.get("SOL-PERP");
    assert.equal(sol?.market.marginRatioInitial, 1000);
    assert.equal(sol?.market.marginRatioMaintenance, 500);
    assert.equal(sol?.market.imfFactor, 2000);
    assert.equal(sol?.market.liquidatorFee, 10_000);
    assert.equal(sol?.oraclePrice, 150_000_000n);
    assert.equal(sol?.market.orderStepSize, 10_000_000n);
    const [p, q] = doc.account.positions;
    assert.equal(p?.baseAssetAmount, 100_000_000_000n);
    assert.equal(p?.quoteAssetAmount, -16_000_000_000n); // −100 × $160
    assert.equal(q?.baseAssetAmount, -10_000_000n);
    assert.equal(q?.quoteAssetAmount, 600_000_000n); // short: +0.01 × $60,000
    assert.equal(doc.state.initialPctToLiquidate, 1000n);
    assert.equal(doc.state.liquidationDuration, 150n);
  });

  it("a missing on-chain parameter names the field and the account field to read", () => {
    for (const key of [
      "marginRatioInitial",
      "marginRatioMaintenance",
      "imfFactor",
      "liquidatorFee",
      "ifLiquidationFee",
    ]) {
      const d = copy();
      delete (d.markets[0] as Record<string, unknown>)[key];
      assert.equal(validate(d), false, key);
      throwsOn(() => resolveDriftDocument(d), `markets[0].${key}`, /PerpMarket\.[a-z_]+/);
    }
    const d = copy();
    delete (d.markets[1] as Record<string, unknown>).oraclePrice;
    throwsOn(() => resolveDriftDocument(d), "markets[1].oraclePrice", /oracle/);
  });

  it("rejects values finer than the program's precision, bad combinations and unknown fields", () => {
    const cases: [(d: Doc) => void, string][] = [
      [
        (d) => ((d.markets[0] as Record<string, unknown>).marginRatioMaintenance = "0.00005"),
        "markets[0].marginRatioMaintenance",
      ],
      [
        (d) => ((d.markets[0] as Record<string, unknown>).marginRatioMaintenance = "0.2"),
        "markets[0].marginRatioMaintenance",
      ],
      [
        (d) => ((d.positions[0] as Record<string, unknown>).baseAssetAmount = "1.0000000001"),
        "positions[0].baseAssetAmount",
      ],
      [
        (d) => ((d.positions[0] as Record<string, unknown>).quoteAssetAmount = "-100"),
        "positions[0].entryPrice",
      ],
      [(d) => ((d.positions[0] as Record<string, unknown>).symbol = "ETH-PERP"), "positions[0].symbol"],
      [(d) => (d.leverage = 5), "leverage"],
      [(d) => delete d.quoteBalance, "quoteBalance"],
      [(d) => (d.state = { liquidationDuration: -1 }), "state.liquidationDuration"],
    ];
    for (const [patch, field] of cases) {
      const d = copy();
      patch(d);
      throwsOn(() => resolveDriftDocument(d), field);
    }
  });
});

describe("Drift document: margin report (hand-derived from the program's formulas)", () => {
  it("example: size premium 6 %, TC 800, MR 930, buffer 1,242, liquidation and bankruptcy prices", () => {
    // SOL: premium = (500 − ⌊500/5⌋) + ⌊√(10·100e9 + 1)⌋·2000/1e7 = 400 + 1e6·2000/1e7 = 600 → 6 %
    // MR = 15,000·6 % + 600·5 % = 930; TC = 1,800 + (15,000 − 16,000) + 0 = 800; buffer 2 % of 15,600 = 312
    const r = driftMarginReport(resolveDriftDocument(EXAMPLE));
    assert.equal(r.positions[0]?.maintenanceMarginRatio, 0.06);
    assert.equal(r.positions[1]?.maintenanceMarginRatio, 0.05);
    assert.equal(r.account.totalCollateral, 800);
    assert.equal(r.account.maintenanceMargin, 930);
    assert.equal(r.account.maintenanceMarginPlusBuffer, 1242);
    assert.equal(r.account.marginShortage, 442);
    assert.equal(r.account.liquidatable, true);
    assert.equal(r.account.canExitLiquidation, false);
    // long SOL, others held: 100P − 14,200 = 6P + 30 → P = 14,230/94; last tick below it
    assert.equal(r.positions[0]?.liquidationPrice, Math.floor((14_230 / 94) * 1e6) / 1e6);
    // bankruptcy: 100P − 14,200 = 0 → 142; the highest tick with TC < 0 is 141.999999
    assert.equal(r.positions[0]?.bankruptcyPrice, 141.999999);
    // short BTC, others held, in the program's integers (1e-6 USD): value v = ⌊P·1e7/1e9⌋, MR_BTC = ⌊v·500/1e4⌋,
    // TC = 1,400e6 − v < 900e6 + ⌊v/20⌋ first holds at v = 476,190,478, i.e. P = 47,619.0478 (float: 47,619.047619…)
    assert.equal(r.positions[1]?.liquidationPrice, 47_619.0478);
  });

  it("a missing liquidation or bankruptcy price always comes with its reason, never the first or last tick", () => {
    // The example with no deposit: the BTC short is below maintenance at every price (it used to read
    // $0.000001); a 1x long never is (no price down to 0 liquidates it).
    const broke = driftMarginReport(resolveDriftDocument({ ...copy(), quoteBalance: "0" })).positions[1];
    assert.equal(broke?.liquidationPrice, null);
    assert.equal(
      broke?.liquidationReason,
      "total collateral is below the maintenance requirement at every price down to 0",
    );
    assert.equal(broke?.bankruptcyPrice, null);
    assert.equal(broke?.bankruptcyReason, "total collateral is negative at every price down to 0");
    const safe = driftMarginReport(resolveDriftDocument(single("20000", "100", 150, 150))).positions[0];
    assert.equal(safe?.liquidationPrice, null);
    assert.match(
      safe?.liquidationReason ?? "",
      /covers the maintenance requirement at every price down to 0/,
    );
    const example = driftMarginReport(resolveDriftDocument(EXAMPLE)).positions;
    for (const p of example) {
      assert.equal(p.liquidationReason, null);
      assert.equal(p.bankruptcyReason, null);
    }
  });

  it("the exact liquidation tick and the SDK's float formula agree within 1e-6 relative", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.integer({ min: 100, max: 20_000 }),
        fc.integer({ min: 50, max: 300 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.boolean(),
        (base, deposit, price, imf, short) => {
          const d = single(
            String(deposit),
            String(short ? -base : base),
            price,
            price,
            (imf / 1e6).toFixed(6),
          );
          const r = driftMarginReport(resolveDriftDocument(d));
          const p = r.positions[0];
          if (p?.liquidationPrice === null || p?.liquidationPrice === undefined) {
            assert.equal(p?.sdkLiquidationPrice ?? null, null);
            return;
          }
          assert.ok(p.sdkLiquidationPrice !== null);
          assert.ok(
            Math.abs(p.liquidationPrice - p.sdkLiquidationPrice) <= 1e-6 * p.sdkLiquidationPrice + 2e-6,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the liquidation tick is the boundary: liquidatable at it, not one tick inside", () => {
    const doc = resolveDriftDocument(EXAMPLE);
    const lp = driftExactLiquidationPrice(doc.account, 0) as bigint;
    const at = (price: bigint) => {
      const a = {
        ...doc.account,
        positions: doc.account.positions.map((p, i) => (i === 0 ? { ...p, oraclePrice: price } : p)),
      };
      const c = marginCalculation(a, "maintenance");
      return c.totalCollateral < c.marginRequirement;
    };
    assert.equal(at(lp), true);
    assert.equal(at(lp + 1n), false);
  });
});

describe("Drift document: what-if", () => {
  it("target liquidation price: deposit MR(P*) − TC(P*), recomputed within one tick", () => {
    const doc = resolveDriftDocument(EXAMPLE);
    const r = driftWhatIfReport(doc, { kind: "target-liq-price", position: 0, price: "120" });
    // at 120: TC = 1,800 + 12,000 − 16,000 = −2,200; MR = 12,000·6 % + 30 = 750 → 2,950
    assert.equal(r.collateralToAdd, "2950");
    assert.equal(r.verification?.matches, true);
    assert.equal(r.verification?.tolerance, 0.000001); // ⌈1e9/100e9⌉ = 1 tick
    assert.equal(r.after.account.quoteBalance, 4750);
    // 0.01 BTC short: the value moves every ⌈1e9/1e7⌉ = 100 ticks, so the check allows 1e-4 USD
    const btc = driftWhatIfReport(doc, { kind: "target-liq-price", position: 1, price: "70000" });
    assert.equal(btc.verification?.tolerance, 0.0001);
    assert.equal(btc.verification?.liquidationPrice, 70_000.0001);
    assert.equal(btc.verification?.matches, true);
  });

  it("property: any reachable target below the oracle (long) or above it (short) is met to the program's price resolution", () => {
    const doc = resolveDriftDocument(EXAMPLE);
    fc.assert(
      fc.property(
        fc.integer({ min: 100_000_000, max: 149_999_999 }),
        fc.integer({ min: 60_000_000_001, max: 200_000_000_000 }),
        (sol, btc) => {
          for (const [position, ticks] of [
            [0, sol],
            [1, btc],
          ] as const) {
            const price = (ticks / 1e6).toFixed(6);
            let r: ReturnType<typeof driftWhatIfReport>;
            try {
              r = driftWhatIfReport(doc, { kind: "target-liq-price", position, price });
            } catch (err) {
              assert.ok(err instanceof InputError && err.field === "--target-liq-price", String(err));
              continue; // out of reach: would need more than the deposit withdrawn
            }
            assert.equal(r.verification?.matches, true, `${position} @ ${price}`);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("deposits and size changes; bad amounts name the option", () => {
    const doc = resolveDriftDocument(EXAMPLE);
    const add = driftWhatIfReport(doc, { kind: "add-collateral", amount: "500" });
    assert.equal(add.after.account.totalCollateral, 1300);
    const cut = driftWhatIfReport(doc, { kind: "size", position: 0, size: "50", fillPrice: null });
    // sold 50 at the oracle 150: quote −16,000 + 7,500; size 50 → premium ⌊√5e11⌋ = 707,106 → 400 + 141 = 541 < 500? no: max(500, 541)
    assert.equal(cut.after.positions[0]?.maintenanceMarginRatio, 0.0541);
    assert.equal(cut.after.account.totalCollateral, 800);
    throwsOn(
      () => driftWhatIfReport(doc, { kind: "remove-collateral", amount: "5000" }),
      "--remove-collateral",
    );
    throwsOn(
      () => driftWhatIfReport(doc, { kind: "target-liq-price", position: 0, price: "200" }),
      "--target-liq-price",
    );
    throwsOn(
      () => driftWhatIfReport(doc, { kind: "size", position: 5, size: "1", fillPrice: null }),
      "--position",
    );
  });
});

describe("Drift document: liquidate", () => {
  it("example: first call capped at 10 % by the speed limit, the rest after 135 slots, then exit", () => {
    const r = driftLiquidateReport(resolveDriftDocument(EXAMPLE));
    const [a, b] = r.calls;
    // base to cover: 442e6·1e9 / (150e6·(80,000 − 10,000)/1e6 − 150e6·10,000/1e6) = 49.111… → step 0.01 up: 49.12
    assert.equal(a?.baseToCoverMarginShortage, 49.12);
    assert.equal(a?.maxPctAllowed, 0.1);
    assert.equal(a?.baseTaken, 4.92); // ⌊49.12 × 10 %⌋ = 4.912 → 4.92
    assert.equal(a?.ifFee, 0.01); // 0.95·(8 % − 1 % − 442/(100·150)) = 3.85 % > the 1 % cap
    assert.equal(a?.liquidatorFeePaid, 7.38);
    // full after ⌈(1 − 0.1)·150⌉ = 135 slots, still inside the 1,500-slot grace: fee not escalated
    assert.equal(b?.slotsElapsed, 135);
    assert.equal(b?.liquidatorFee, 0.01);
    assert.equal(b?.maxPctAllowed, 1);
    assert.equal(r.outcome, "exited-liquidation");
    assert.equal(r.after.canExitLiquidation, true);
    assert.equal(r.bankruptcy, null);
  });

  it("an account under water is liquidated to the end and the loss resolved: IF first, then socialised", () => {
    // 100 SOL long from $160 at $140 with $2,100: TC = 100, MR = 840; fees and the fall leave it negative
    const d = single("2100", "100", 160, 140, "0.002");
    (d.markets[0] as Record<string, unknown>).bankruptcy = {
      insuranceFundVaultBalance: "10",
      quoteMaxInsurance: "1000000",
      baseAssetAmountLong: "7",
      baseAssetAmountShort: "4",
    };
    const r = driftLiquidateReport(resolveDriftDocument(d));
    assert.equal(r.outcome, "bankrupt");
    const b = r.bankruptcy;
    assert.ok(b !== null);
    assert.ok(b.loss < 0);
    assert.ok(b.loss < -10, String(b.loss));
    assert.equal(b.ifPayment, 9.999999); // the vault less 1 quantum (resolve_perp_bankruptcy)
    // the rest is socialised over 11 base of open interest: Δ = ⌈|rest|·1e9/11e9⌉ per base (1e6 quote)
    assert.equal(b.cumulativeFundingRateDelta, Math.ceil((-b.socializedLoss * 1e6) / 11) / 1e6);
    assert.ok(Math.abs(b.loss + b.ifPayment + b.feePoolPayment - b.socializedLoss) < 1e-9);
    assert.equal(r.after.totalCollateral, 0);
  });

  it("bankruptcy without the market's insurance state names the field; liquidate needs the speed-limit state", () => {
    const d = single("1000", "100", 160, 140, "0.002");
    throwsOn(() => driftLiquidateReport(resolveDriftDocument(d)), "markets[0].bankruptcy", /insurance_claim/);
    const e = copy();
    e.state = {};
    throwsOn(
      () => driftLiquidateReport(resolveDriftDocument(e)),
      "state.initialPctToLiquidate",
      /State\.initial_pct_to_liquidate/,
    );
  });

  it("property: every call takes at most the position, pays fees ≤ the caps, and never raises the shortage", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 130, max: 150 }),
        fc.integer({ min: 0, max: 10_000 }),
        (deposit, price, pct) => {
          const d = single(String(deposit + 900), "100", 160, price, "0.002");
          d.state = { initialPctToLiquidate: (pct / 1e4).toFixed(4), liquidationDuration: 150 };
          (d.markets[0] as Record<string, unknown>).bankruptcy = {
            insuranceFundVaultBalance: "1000000",
            quoteMaxInsurance: "1000000",
            baseAssetAmountLong: "1000",
            baseAssetAmountShort: "1000",
          };
          const r = driftLiquidateReport(resolveDriftDocument(d));
          let held = 100;
          for (const c of r.calls) {
            assert.ok(c.baseTaken <= held + 1e-9);
            held -= c.baseTaken;
            assert.ok(c.liquidatorFee <= 0.03 && c.ifFee <= 0.01);
            assert.ok(c.marginShortageAfter <= c.marginShortageBefore + 1e-9);
          }
          if (r.liquidatable) assert.notEqual(r.outcome, "not-liquidatable");
          else assert.equal(r.calls.length, 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
