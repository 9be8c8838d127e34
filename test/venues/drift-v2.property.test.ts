/**
 * Drift v2 invariants over random inputs (fast-check), from the program's formulas
 * (drift-labs/protocol-v2 `programs/drift/src/math/liquidation.rs`, `math/margin.rs`,
 * `state/perp_market.rs`; drift-rs `get_liquidation_fee`; research note §4):
 * - the liquidator fee equals the base fee during the grace period, never falls as slots pass, and
 *   never exceeds the cap;
 * - the size premium (and so the margin ratio) never falls as the size or the IMF factor grows, and the
 *   bounded form never goes below the base weight;
 * - the insurance-fund fee never rises with the shortage and stays within [0, max];
 * - the base to cover a shortage frees the shortage, to within the rounding of the program's integer
 *   divisor (relative 2/divisor) and one base unit's worth;
 * - the speed limit stays in [0, 100 %], is 100 % for small shortages and grows with slots;
 * - bankruptcy: insurance fund + fee pool + socialised loss = the loss, and the funding shift recovers
 *   at least the socialised loss from open interest (up to per-position rounding).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BASE_PRECISION,
  baseAssetAmountToCoverMarginShortage,
  fundingPayment,
  LIQUIDATION_FEE_ADJUST_GRACE_PERIOD_SLOTS,
  LIQUIDATION_PCT_PRECISION,
  liquidatePerp,
  liquidationFee,
  liquidationPrice,
  marginRatio,
  maxLiquidationFee,
  maxPctToLiquidate,
  type PerpMarket,
  perpIfFee,
  resolvePerpBankruptcy,
  SMALL_LIQUIDATION_QUOTE,
  sizePremiumLiabilityWeight,
} from "../../src/venues/drift-v2.js";

const RUNS = { seed: 2024, numRuns: 400 } as const;

describe("liquidator fee escalation (get_liquidation_fee)", () => {
  const feesArb = fc
    .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 200_000 }))
    .map(([base, extra]) => ({ base, max: base + extra }));
  it("is the base fee within the grace period, non-decreasing in the current slot, and capped", () => {
    fc.assert(
      fc.property(
        feesArb,
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 0, max: 500_000 }),
        ({ base, max }, last, a, b) => {
          const [e1, e2] = a <= b ? [a, b] : [b, a];
          const f1 = liquidationFee(base, max, last, last + e1);
          const f2 = liquidationFee(base, max, last, last + e2);
          assert.ok(f1 <= f2, `fee fell from ${f1} to ${f2}`);
          assert.ok(f1 >= base && f2 <= max, "outside [base, max]");
          if (e1 < LIQUIDATION_FEE_ADJUST_GRACE_PERIOD_SLOTS) assert.equal(f1, base);
          else assert.equal(f1, Math.min(max, base + e1));
        },
      ),
      RUNS,
    );
  });
  it("the cap min(3 × fee, maintenance ratio) never exceeds either", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 1, max: 5_000 }), (fee, mm) => {
        const m: PerpMarket = {
          symbol: "X",
          marginRatioInitial: mm * 2,
          marginRatioMaintenance: mm,
          imfFactor: 0,
          liquidatorFee: fee,
          ifLiquidationFee: 0,
        };
        const cap = maxLiquidationFee(m);
        assert.ok(cap <= 3 * fee && cap <= mm * 100);
        assert.ok(cap === 3 * fee || cap === mm * 100);
      }),
      RUNS,
    );
  });
});

describe("size premium (calculate_size_premium_liability_weight, get_margin_ratio)", () => {
  const sizeArb = fc.bigInt({ min: 0n, max: 10n ** 18n });
  it("is non-decreasing in size and in the IMF factor; bounded ≥ base weight", () => {
    fc.assert(
      fc.property(
        sizeArb,
        sizeArb,
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (a, b, i1, i2, w) => {
          const [s1, s2] = a <= b ? [a, b] : [b, a];
          const [f1, f2] = i1 <= i2 ? [i1, i2] : [i2, i1];
          assert.ok(sizePremiumLiabilityWeight(s1, f1, w) <= sizePremiumLiabilityWeight(s2, f1, w), "size");
          assert.ok(sizePremiumLiabilityWeight(s1, f1, w) <= sizePremiumLiabilityWeight(s1, f2, w), "imf");
          assert.ok(sizePremiumLiabilityWeight(s1, f1, w) >= w, "below base");
          assert.ok(
            sizePremiumLiabilityWeight(s1, f1, w, 10_000n, false) <=
              sizePremiumLiabilityWeight(s2, f1, w, 10_000n, false),
            "unbounded size",
          );
        },
      ),
      RUNS,
    );
  });
  it("margin ratios: maintenance ≤ fill ≤ initial and each ≥ its base ratio, at every size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 5_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        sizeArb,
        (mm, extra, imf, size) => {
          const m: PerpMarket = {
            symbol: "X",
            marginRatioInitial: mm + extra,
            marginRatioMaintenance: mm,
            imfFactor: imf,
            liquidatorFee: 0,
            ifLiquidationFee: 0,
          };
          const maint = marginRatio(m, size, "maintenance");
          const fill = marginRatio(m, size, "fill");
          const init = marginRatio(m, size, "initial");
          assert.ok(maint <= fill && fill <= init, `${maint} ${fill} ${init}`);
          assert.ok(maint >= mm && init >= mm + extra);
        },
      ),
      RUNS,
    );
  });
});

describe("insurance-fund fee (calculate_perp_if_fee)", () => {
  it("never rises with the shortage and stays within [0, max]", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 13n }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.integer({ min: 0, max: 100_000 }),
        (a, b, base, mr, liqFee, price, maxIf) => {
          const [s1, s2] = a <= b ? [a, b] : [b, a];
          const f1 = perpIfFee(s1, base, mr, liqFee, price, 1_000_000n, maxIf);
          const f2 = perpIfFee(s2, base, mr, liqFee, price, 1_000_000n, maxIf);
          assert.ok(f2 <= f1, `IF fee rose from ${f1} to ${f2}`);
          assert.ok(f1 >= 0 && f1 <= maxIf);
        },
      ),
      RUNS,
    );
  });
});

describe("base to cover a margin shortage (calculate_base_asset_amount_to_cover_margin_shortage)", () => {
  it("transferring it frees the shortage, to within the integer divisor's rounding and one base unit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1_000_000n, max: 10n ** 12n }),
        fc.integer({ min: 100, max: 5_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.bigInt({ min: 10_000n, max: 10n ** 11n }),
        (shortage, mr, fee, ifFee, price) => {
          const base = baseAssetAmountToCoverMarginShortage(shortage, mr, fee, ifFee, price);
          fc.pre(base !== null);
          // Freed collateral per base unit (quote precision): P·((mr·100 − fee) − ifFee)/1e6/1e9.
          const perBase = (Number(price) * (mr * 100 - fee - ifFee)) / 1e6 / 1e9;
          fc.pre(perBase > 0);
          const freed = Number(base) * perBase;
          const s = Number(shortage);
          // The program's divisor is an integer (rounded down twice): the overshoot is at most ~2/divisor.
          const divisor = Number(
            (price * BigInt(mr * 100 - fee)) / 1_000_000n - (price * BigInt(ifFee)) / 1_000_000n,
          );
          const slack = (2 * s) / divisor + perBase + 2;
          assert.ok(Math.abs(freed - s) <= slack, `frees ${freed} for a shortage of ${s} (slack ${slack})`);
        },
      ),
      RUNS,
    );
  });
});

describe("speed limit (calculate_max_pct_to_liquidate)", () => {
  it("stays in [0, 100 %], is 100 % below $50, and grows with slots once margin was freed", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.bigInt({ min: 1n, max: 1_000n }),
        fc.bigInt({ min: 0n, max: 2_000n }),
        fc.bigInt({ min: 0n, max: 2_000n }),
        (shortage, freed, initial, duration, a, b) => {
          const [s1, s2] = a <= b ? [a, b] : [b, a];
          const pct = (slot: bigint) =>
            maxPctToLiquidate({
              lastActiveSlot: 0n,
              liquidationMarginFreed: freed,
              marginShortage: shortage,
              slot,
              initialPctToLiquidate: initial,
              liquidationDuration: duration,
            });
          const p1 = pct(s1);
          const p2 = pct(s2);
          assert.ok(p1 >= 0n && p1 <= LIQUIDATION_PCT_PRECISION * 2n, "out of range");
          if (shortage < SMALL_LIQUIDATION_QUOTE) assert.equal(p1, LIQUIDATION_PCT_PRECISION);
          else if (freed > 0n) assert.ok(p1 <= p2, "fell with slots");
          if (freed === 0n) assert.ok(p1 <= LIQUIDATION_PCT_PRECISION);
        },
      ),
      RUNS,
    );
  });
});

describe("liquidate_perp composition", () => {
  it("never takes more than the position or the liquidator's maximum (both step-aligned)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 2_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 1n, max: 100_000n }),
        fc.bigInt({ min: 1n, max: 100_000n }),
        fc.bigInt({ min: 1_000_000n, max: 10n ** 12n }),
        fc.bigInt({ min: 1_000_000n, max: 10n ** 11n }),
        fc.integer({ min: 0, max: 100_000 }),
        (mm, liqFee, ifFee, stepUnits, posSteps, maxSteps, shortage, price, slot) => {
          const step = stepUnits * 100_000n;
          const market: PerpMarket = {
            symbol: "X",
            marginRatioInitial: mm * 2,
            marginRatioMaintenance: mm,
            imfFactor: 0,
            liquidatorFee: liqFee,
            ifLiquidationFee: ifFee,
            orderStepSize: step,
          };
          const res = liquidatePerp({
            market,
            userBaseAssetAmount: posSteps * step,
            oraclePrice: price,
            marginShortage: shortage,
            liquidatorMaxBaseAssetAmount: maxSteps * step,
            slot,
            lastActiveSlot: 0,
          });
          assert.ok(res.baseAssetAmount <= posSteps * step);
          assert.ok(res.baseAssetAmount <= maxSteps * step);
          assert.equal(res.baseAssetAmount % step, 0n);
          assert.ok(res.liquidatorFee <= Math.max(liqFee, maxLiquidationFee(market)));
        },
      ),
      RUNS,
    );
  });
});

describe("bankruptcy (resolve_perp_bankruptcy)", () => {
  it("IF + fee pool + socialised = loss; the funding shift recovers the socialised loss from open interest", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 13n }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 13n }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 13n }), { minLength: 0, maxLength: 8 }),
        (lossMag, vault, maxIns, feePool, longs, shorts) => {
          const long = longs.reduce((a, b) => a + b, 0n);
          const short = -shorts.reduce((a, b) => a + b, 0n);
          const r = resolvePerpBankruptcy({
            loss: -lossMag,
            insuranceFundVaultBalance: vault,
            quoteMaxInsurance: maxIns,
            quoteSettledInsurance: 0n,
            feePoolTokens: feePool,
            baseAssetAmountLong: long,
            baseAssetAmountShort: short,
          });
          assert.equal(r.ifPayment + r.feePoolPayment - r.lossToSocialize, lossMag);
          assert.ok(r.ifPayment <= (vault > 0n ? vault - 1n : 0n) && r.ifPayment <= maxIns);
          const paid = [...longs, ...shorts].reduce(
            (a, q) => a + fundingPayment(r.cumulativeFundingRateDelta, q),
            0n,
          );
          const n = BigInt(longs.length + shorts.length);
          const socialised = -r.lossToSocialize;
          assert.ok(paid >= socialised - n, `open interest pays ${paid} < ${socialised}`);
          // Rounding the per-base delta up costs at most 1e-9 quote per base unit of open interest, plus the 1e3 grid.
          const slack = ((long - short) * 1_000n) / (BASE_PRECISION * 1_000n) + 1n;
          assert.ok(paid <= socialised + slack, `open interest pays ${paid} ≫ ${socialised}`);
        },
      ),
      RUNS,
    );
  });
});

describe("SDK liquidation price", () => {
  it("at the returned price the maintenance free collateral is zero (float)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0.01, max: 1_000, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        (price, qty, long, mr, cushion) => {
          const base = long ? qty : -qty;
          const fc0 = qty * price * cushion;
          const p = liquidationPrice({
            oraclePrice: price,
            baseAmount: base,
            freeCollateral: fc0,
            maintenanceMarginRatio: mr,
          });
          fc.pre(p !== null);
          const move = (p as number) - price;
          const fcAt = fc0 + base * move - mr * qty * move;
          assert.ok(Math.abs(fcAt) <= 1e-9 * qty * price, `free collateral ${fcAt} at ${p}`);
        },
      ),
      RUNS,
    );
  });
});
