/**
 * dYdX v4 invariants over random subaccounts (fast-check), from the chain's formulas
 * (dydxprotocol/v4-chain `protocol/x/clob/keeper/liquidations.go`, `deleveraging.go`; research note §2):
 * - the insurance fund never pays when a fill is at or better than the bankruptcy price, pays exactly
 *   the shortfall when worse, and never takes more than the fee cap or the leftover;
 * - closing the whole of a lone position at its bankruptcy quote leaves TNC exactly 0; closing part
 *   (or one of several positions) never lowers TNC/TMMR (the rounding favours the account);
 * - the liquidation order's size respects the position and subaccount block limits and the step;
 * - the fillable price lies between the oracle price and the oracle price moved by SMMR·MMF;
 * - exact (quantums) and float (docs) paths agree within 1e-9 relative;
 * - deleveraging is zero-sum and never grows an offsetting position.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  bankruptcyQuoteQuantums,
  bankruptcyUsd,
  fillablePrice,
  fillablePriceUsd,
  isLiquidatable,
  isValidStateTransition,
  type LiquidityTier,
  liquidatablePositionSizeDelta,
  liquidationInsuranceFundDelta,
  liquidationPriceUsd,
  MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
  MAINNET_GENESIS_LIQUIDITY_TIERS,
  type Market,
  netNotional,
  offsetSubaccountPerpetualPosition,
  positionNotionalLiquidatable,
  positionRisk,
  quantumPriceToUsd,
  rationalToNumber,
  type Subaccount,
  subaccountRisk,
} from "../../src/venues/dydx-v4.js";
import { assertRel } from "../helpers/close.js";

const RUNS = { seed: 4242, numRuns: 300 } as const;

/** The real MMF the chain's MMR approaches (`⌈⌈N·IMF⌉·MF⌉`), not the ppm rounded down by `GetMaintenanceMarginPpm`. */
const mmfOf = (t: LiquidityTier): number => (t.initialMarginPpm * t.maintenanceFractionPpm) / 1e12;

const tierArb: fc.Arbitrary<LiquidityTier> = fc.oneof(
  fc.constantFrom(...MAINNET_GENESIS_LIQUIDITY_TIERS.slice(0, 3)),
  fc.record({
    id: fc.constant(7),
    name: fc.constant("random"),
    initialMarginPpm: fc.integer({ min: 20_000, max: 500_000 }),
    maintenanceFractionPpm: fc.integer({ min: 200_000, max: 1_000_000 }),
    openInterestLowerCap: fc.constant(0n),
    openInterestUpperCap: fc.constant(0n),
    impactNotional: fc.constant(1n),
  }),
);

/** A BTC-like market (atomic resolution −10, price exponent −5) at $5,000–$150,000. */
const btcArb = (tier: LiquidityTier): fc.Arbitrary<Market> =>
  fc.bigInt({ min: 500_000_000n, max: 15_000_000_000n }).map((priceValue) => ({
    ticker: "BTC-USD",
    atomicResolution: -10,
    priceValue,
    priceExponent: -5,
    tier,
  }));
/** An ETH-like market (−9, −6) at $500–$10,000. */
const ethArb = (tier: LiquidityTier): fc.Arbitrary<Market> =>
  fc.bigInt({ min: 500_000_000n, max: 10_000_000_000n }).map((priceValue) => ({
    ticker: "ETH-USD",
    atomicResolution: -9,
    priceValue,
    priceExponent: -6,
    tier,
  }));

/** Signed quantums whose notional is large enough for 1e-9 agreement (≥ $100k at the lowest price). */
const sizeArb = (min: bigint, max: bigint) =>
  fc.tuple(fc.bigInt({ min, max }), fc.boolean()).map(([q, long]) => (long ? q : -q));

/**
 * A liquidatable subaccount with a BTC position (and optionally an ETH one): the USDC balance is set so
 * that TNC = `ratio` × TMMR with `ratio` in [−0.9, 0.999] (TNC < TMMR; negative TNC included).
 */
const liquidatableArb = fc
  .record({
    tier: tierArb,
    withEth: fc.boolean(),
    ratio: fc.double({ min: -0.9, max: 0.999, noNaN: true }),
    btcQ: sizeArb(200_000_000_000n, 10_000_000_000_000n),
    ethQ: sizeArb(200_000_000_000n, 5_000_000_000_000n),
  })
  .chain((r) =>
    fc.record({ btc: btcArb(r.tier), eth: ethArb(r.tier) }).map(({ btc, eth }) => {
      const positions = [
        { market: btc, quantums: r.btcQ },
        ...(r.withEth ? [{ market: eth, quantums: r.ethQ }] : []),
      ];
      const risk = subaccountRisk({ quoteBalance: 0n, positions });
      const tnc = BigInt(Math.floor(r.ratio * Number(risk.mmr)));
      return { quoteBalance: tnc - risk.nc, positions } as Subaccount;
    }),
  )
  .filter((s) => isLiquidatable(subaccountRisk(s)));

/** A delta closing between 1 quantum and all of the BTC position. */
const withDelta = liquidatableArb.chain((s) => {
  const q = s.positions[0]?.quantums ?? 0n;
  const mag = q < 0n ? -q : q;
  return fc.bigInt({ min: 1n, max: mag }).map((d) => ({ s, delta: q > 0n ? -d : d }));
});

describe("insurance fund (GetLiquidationInsuranceFundDelta)", () => {
  it("never pays when the fill is at or better than the bankruptcy quote; the fee is ≤ cap and ≤ leftover", () => {
    fc.assert(
      fc.property(
        withDelta,
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 50_000 }),
        ({ s, delta }, extra, feePpm) => {
          const bq = bankruptcyQuoteQuantums(s, "BTC-USD", delta);
          const isBuy = delta > 0n;
          // A sell receives ≥ bq; a buy pays ≤ −bq (a better fill means a smaller payment).
          const quote = isBuy ? (-bq - extra > 0n ? -bq - extra : 0n) : bq + extra > 0n ? bq + extra : 0n;
          const d = liquidationInsuranceFundDelta(
            s,
            "BTC-USD",
            { isBuy, fillQuantums: isBuy ? delta : -delta, quoteQuantums: quote },
            { maxLiquidationFeePpm: feePpm },
          );
          assert.ok(d >= 0n, `fund pays ${d} on a fill at or better than bankruptcy`);
          const received = isBuy ? -quote : quote;
          assert.ok(d <= received - bq, "fee above the leftover");
          assert.ok(d * 1_000_000n <= quote * BigInt(feePpm), "fee above the cap");
        },
      ),
      RUNS,
    );
  });

  it("pays exactly the shortfall when the fill is worse than the bankruptcy quote", () => {
    fc.assert(
      fc.property(withDelta, fc.bigInt({ min: 1n, max: 10n ** 9n }), ({ s, delta }, worse) => {
        const bq = bankruptcyQuoteQuantums(s, "BTC-USD", delta);
        const isBuy = delta > 0n;
        const received = bq - worse;
        const quote = isBuy ? -received : received;
        fc.pre(quote >= 0n);
        const d = liquidationInsuranceFundDelta(
          s,
          "BTC-USD",
          { isBuy, fillQuantums: isBuy ? delta : -delta, quoteQuantums: quote },
          { maxLiquidationFeePpm: 15_000 },
        );
        assert.equal(d, -worse);
      }),
      RUNS,
    );
  });
});

describe("bankruptcy quote (GetBankruptcyPriceInQuoteQuantums)", () => {
  it("closing the whole of a lone position at its bankruptcy quote leaves TNC exactly 0", () => {
    fc.assert(
      fc.property(
        liquidatableArb.filter((s) => s.positions.length === 1),
        (s) => {
          const q = s.positions[0]?.quantums ?? 0n;
          const bq = bankruptcyQuoteQuantums(s, "BTC-USD", -q);
          assert.equal(s.quoteBalance + bq, 0n);
        },
      ),
      RUNS,
    );
  });

  it("closing any part at the bankruptcy quote never lowers TNC/TMMR (a valid state transition)", () => {
    fc.assert(
      fc.property(withDelta, ({ s, delta }) => {
        const bq = bankruptcyQuoteQuantums(s, "BTC-USD", delta);
        const positions = s.positions
          .map((p) => (p.market.ticker === "BTC-USD" ? { ...p, quantums: p.quantums + delta } : p))
          .filter((p) => p.quantums !== 0n);
        const before = subaccountRisk(s);
        const after = subaccountRisk({ quoteBalance: s.quoteBalance + bq, positions });
        if (after.mmr > 0n) assert.ok(after.nc * before.mmr >= before.nc * after.mmr, "TNC/TMMR fell");
        else assert.ok(after.nc >= 0n, "a full close at bankruptcy leaves TNC < 0");
        assert.ok(isValidStateTransition(before, after));
      }),
      RUNS,
    );
  });
});

describe("liquidation order size (GetLiquidatablePositionSizeDelta)", () => {
  it("respects max(min$, portion·N), the subaccount limit and the step; full only when allowed", () => {
    fc.assert(
      fc.property(
        liquidatableArb,
        fc.record({
          minUsd: fc.integer({ min: 0, max: 50_000 }),
          portionPpm: fc.integer({ min: 1, max: 1_000_000 }),
          subUsd: fc.integer({ min: 1, max: 2_000_000 }),
          step: fc.bigInt({ min: 1n, max: 100_000_000n }),
        }),
        (s, c) => {
          const config = {
            ...MAINNET_GENESIS_LIQUIDATIONS_CONFIG,
            minPositionNotionalLiquidated: BigInt(c.minUsd) * 1_000_000n,
            maxPositionPortionLiquidatedPpm: c.portionPpm,
            maxNotionalLiquidated: BigInt(c.subUsd) * 1_000_000n,
          };
          const p = s.positions[0];
          assert.ok(p !== undefined);
          const q = p.quantums;
          const mag = q < 0n ? -q : q;
          const delta = liquidatablePositionSizeDelta(s, "BTC-USD", config, c.step);
          const d = delta < 0n ? -delta : delta;
          assert.ok(delta !== 0n && delta > 0n === q < 0n, "delta must close");
          assert.ok(d <= mag, "delta larger than the position");
          const n = netNotional(p.market, mag);
          const limit = [positionNotionalLiquidatable(n, config).max, config.maxNotionalLiquidated].reduce(
            (a, b) => (a < b ? a : b),
          );
          if (d === mag) {
            assert.ok(n <= limit || mag <= c.step, "full close beyond the limits");
          } else {
            assert.equal(d % c.step, 0n, "not a multiple of the step");
            const stepNotional = netNotional(p.market, c.step);
            assert.ok(
              netNotional(p.market, d) <= (limit > stepNotional ? limit : stepNotional),
              "beyond the limits",
            );
          }
        },
      ),
      RUNS,
    );
  });

  it("genesis limits: a block closes at most max($1,000, 10 % of N) and $100,000 (plus one step)", () => {
    fc.assert(
      fc.property(liquidatableArb, (s) => {
        const p = s.positions[0];
        assert.ok(p !== undefined);
        const step = 1_000n; // 1e-7 BTC at resolution −10
        const delta = liquidatablePositionSizeDelta(s, "BTC-USD", MAINNET_GENESIS_LIQUIDATIONS_CONFIG, step);
        const d = delta < 0n ? -delta : delta;
        const mag = p.quantums < 0n ? -p.quantums : p.quantums;
        const nUsd = Number(netNotional(p.market, mag)) / 1e6;
        const dUsd = Number(netNotional(p.market, d)) / 1e6;
        const bound = Math.min(Math.max(1_000, 0.1 * nUsd), 100_000);
        if (d !== mag) assert.ok(dUsd <= bound + 1e-6, `${dUsd} > ${bound}`);
        else assert.ok(nUsd <= bound + 1e-6, `full ${nUsd} > ${bound}`);
      }),
      RUNS,
    );
  });
});

describe("fillable price and exact/float agreement", () => {
  it("lies between the oracle price and the oracle price moved by SMMR·PMMR/|PS| against the position (exact)", () => {
    fc.assert(
      fc.property(
        withDelta,
        fc.integer({ min: 1_000_000, max: 5_000_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        ({ s, delta }, ba, smmr) => {
          const p = s.positions[0];
          assert.ok(p !== undefined);
          // SMMR·MMF ≥ 1 would make the price negative: the chain panics on such a configuration.
          fc.pre((smmr / 1e6) * mmfOf(p.market.tier) < 0.999);
          const pos = positionRisk(p.market, p.quantums);
          const f = fillablePrice(s, "BTC-USD", delta, {
            bankruptcyAdjustmentPpm: ba,
            spreadToMaintenanceMarginRatioPpm: smmr,
          });
          // fillable·PS = PNNV − ABR·SMMR·PMMR with ABR in [0, 1], for longs and shorts alike.
          const fps = f.num * p.quantums; // over f.den
          assert.ok(fps <= pos.nc * f.den, "better than the oracle price");
          assert.ok(
            fps * 1_000_000n >= (pos.nc * 1_000_000n - BigInt(smmr) * pos.mmr) * f.den,
            "beyond the maximum spread",
          );
        },
      ),
      RUNS,
    );
  });

  it("bankruptcy quote: quantums and the float form agree within 1e-9 relative", () => {
    fc.assert(
      fc.property(
        withDelta.filter(({ delta }) => (delta < 0n ? -delta : delta) >= 10_000_000_000n),
        ({ s, delta }) => {
          const p = s.positions[0];
          assert.ok(p !== undefined);
          const risk = subaccountRisk(s);
          const exact = Number(bankruptcyQuoteQuantums(s, "BTC-USD", delta)) / 1e6;
          const float = bankruptcyUsd({
            tncUsd: Number(risk.nc) / 1e6,
            tmmrUsd: Number(risk.mmr) / 1e6,
            deltaSize: Number(delta) * 1e-10,
            priceUsd: Number(p.market.priceValue) * 1e-5,
            maintenanceMarginFraction: mmfOf(p.market.tier),
          });
          assertRel(exact, float, 1e-9, "bankruptcy");
        },
      ),
      RUNS,
    );
  });

  it("fillable price: the exact rational and the docs' float form agree within 1e-9 relative", () => {
    fc.assert(
      fc.property(withDelta, ({ s, delta }) => {
        const p = s.positions[0];
        assert.ok(p !== undefined);
        const risk = subaccountRisk(s);
        const cfg = MAINNET_GENESIS_LIQUIDATIONS_CONFIG;
        const exact = quantumPriceToUsd(fillablePrice(s, "BTC-USD", delta, cfg), -10);
        const float = fillablePriceUsd({
          priceUsd: Number(p.market.priceValue) * 1e-5,
          side: p.quantums > 0n ? 1 : -1,
          tncUsd: Number(risk.nc) / 1e6,
          tmmrUsd: Number(risk.mmr) / 1e6,
          maintenanceMarginFraction: mmfOf(p.market.tier),
          bankruptcyAdjustment: cfg.bankruptcyAdjustmentPpm / 1e6,
          spreadToMaintenanceMarginRatio: cfg.spreadToMaintenanceMarginRatioPpm / 1e6,
        });
        assertRel(exact, float, 1e-9, "fillable");
      }),
      RUNS,
    );
  });

  it("the docs' liquidation price is where TNC = TMMR (single position, float)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0.01, max: 50, noNaN: true }),
        fc.boolean(),
        fc.double({ min: 0.01, max: 0.2, noNaN: true }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        (price, qty, long, mmf, cushion) => {
          const s = long ? qty : -qty;
          const tnc = qty * price * (mmf + cushion);
          const p = liquidationPriceUsd({
            tncUsd: tnc,
            size: s,
            priceUsd: price,
            maintenanceMarginFraction: mmf,
          });
          fc.pre(p !== null);
          const tncAt = tnc + s * ((p as number) - price);
          assertRel(tncAt, qty * (p as number) * mmf, 1e-9, "TNC = TMMR");
        },
      ),
      RUNS,
    );
  });
});

describe("deleveraging (OffsetSubaccountPerpetualPosition)", () => {
  it("is zero-sum, fills + remaining = delta, and never grows an offsetting position", () => {
    fc.assert(
      fc.property(
        liquidatableArb.filter((s) => subaccountRisk(s).nc < 0n),
        fc.array(
          fc.tuple(fc.bigInt({ min: 1n, max: 5_000_000_000_000n }), fc.integer({ min: 0, max: 2_000_000 })),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.nat(),
        (s, others, start) => {
          const p = s.positions[0];
          assert.ok(p !== undefined);
          const sign = p.quantums > 0n ? -1n : 1n; // offsetting accounts hold the other side
          const candidates = others.map(([q, usdc], i) => ({
            id: `c${i}`,
            subaccount: {
              quoteBalance: BigInt(usdc) * 1_000_000n,
              positions: [{ market: p.market, quantums: sign * q }],
            },
          }));
          const res = offsetSubaccountPerpetualPosition({
            liquidated: s,
            ticker: "BTC-USD",
            deltaQuantums: -p.quantums,
            candidates,
            startIndex: start,
          });
          const filled = res.fills.reduce((a, f) => a + f.quantums, 0n);
          assert.equal((-p.quantums < 0n ? -filled : filled) + res.remaining, -p.quantums);
          const paidOut = res.fills.reduce((a, f) => a + f.quoteQuantums, 0n);
          assert.equal(res.liquidated.quoteBalance - s.quoteBalance, paidOut);
          let theirs = 0n;
          for (const c of candidates) {
            const after = res.offsetting.get(c.id);
            if (after === undefined) continue;
            theirs += after.quoteBalance - c.subaccount.quoteBalance;
            const q0 = c.subaccount.positions[0]?.quantums ?? 0n;
            const q1 = after.positions[0]?.quantums ?? 0n;
            assert.ok((q1 < 0n ? -q1 : q1) <= (q0 < 0n ? -q0 : q0), "offsetting position grew");
          }
          assert.equal(theirs, -paidOut, "not zero-sum");
        },
      ),
      { ...RUNS, numRuns: 150 },
    );
  });
});

describe("rationals", () => {
  it("rationalToNumber is exact to double precision for integer ratios", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          assertRel(
            rationalToNumber({ num: n * d + 1n, den: d }),
            Number(n) + 1 / Number(d),
            1e-12,
            "rational",
          );
        },
      ),
      RUNS,
    );
  });
});
