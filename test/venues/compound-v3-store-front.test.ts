/**
 * Compound v3: the store-front sale of what `absorb` seized (`storeFrontSale`), on the exact Comet
 * arithmetic (`Comet.sol` `buyCollateral`, `quoteCollateral`; research note §6): discount =
 * storeFrontPriceFactor·(1 − liquidationFactor), the `NotForSale` gate once reserves reach the target,
 * and what the protocol recovers against what absorb paid out. Hand-derived numbers; the quote itself has
 * parity tests against comet's `test/quote-collateral-test.ts` in test/parity/compound-v3.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  absorb,
  CUSDCV3_MAINNET_LAUNCH,
  quoteCollateral,
  storeFrontSale,
} from "../../src/venues/compound-v3.js";
import { cometAbsorbReport, type ResolvedCompoundDocument } from "../../src/venues/lending/compound-v3.js";
import { resolveLendingDocument } from "../../src/venues/lending/registry.js";

const root = new URL("../../", import.meta.url);
const EXAMPLE = JSON.parse(
  readFileSync(new URL("examples/lending/compound-v3-account.json", root), "utf8"),
) as Record<string, unknown>;
const comet = (raw: unknown) => resolveLendingDocument(raw) as ResolvedCompoundDocument;
const USDC = 10n ** 6n;

describe("Compound v3 store-front sale after absorb", () => {
  it("example: WETH at 2.5 % off and LINK at 3.5 % off recover $5,940.50 against $5,781 paid out", () => {
    const doc = comet(EXAMPLE);
    const r = absorb(doc.config, doc.account, doc.prices, doc.reserves);
    const sale = storeFrontSale(doc.config, r, doc.prices);
    // WETH: 3 × 1,800 × (1 − 0.5·(1 − 0.95)) = 5,265; LINK: 100 × 7 × (1 − 0.5·(1 − 0.93)) = 675.5
    assert.deepEqual(
      sale.lots.map((l) => [l.symbol, l.basePaid, l.collateralLeft, l.forSale]),
      [
        ["WETH", 5_265n * USDC, 0n, true],
        ["LINK", 675_500_000n, 0n, true],
      ],
    );
    assert.equal(sale.baseRecovered, 5_940_500_000n);
    // absorb paid 3 × 1,800 × 0.95 + 100 × 7 × 0.93 = 5,781 (debt 5,500 and 281 of supply)
    assert.equal(sale.netToReserves, 159_500_000n);
    assert.equal(sale.reservesAfter, 5_000_159_500_000n);
  });

  it("the target-reserves gate: at or above target nothing is for sale; it closes after the purchase that crosses it", () => {
    const closed = comet({ ...EXAMPLE, reserves: "5005781" }); // after absorb: exactly the 5,000,000 target
    const shut = cometAbsorbReport(closed).storeFront;
    assert.deepEqual(
      shut?.lots.map((l) => [l.symbol, l.forSale, l.basePaid]),
      [
        ["WETH", false, "0"],
        ["LINK", false, "0"],
      ],
    );
    const r = cometAbsorbReport(comet({ ...EXAMPLE, reserves: "5005780" })); // 1 USDC below target
    assert.deepEqual(
      r.storeFront?.lots.map((l) => [l.symbol, l.forSale, l.basePaid]),
      [
        ["WETH", true, "5265"],
        ["LINK", false, "0"],
      ],
    );
    assert.equal(r.storeFront?.netToReserves, "-516"); // 5,265 − 5,781
  });

  it("property: each buyer takes the lot to within one base unit's worth, reserves rise by what is paid", () => {
    const config = CUSDCV3_MAINNET_LAUNCH;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: 1_000, max: 100_000 }),
        fc.bigInt({ min: 0n, max: 2n * config.targetReserves }),
        (weth, price, reserves) => {
          const prices = { USDC: 100_000_000n, WETH: BigInt(price) * 100_000_000n };
          const value = (weth * BigInt(price)) / 10n ** 18n;
          const account = { baseBalance: -(value * USDC), collateral: { WETH: weth } };
          let r: ReturnType<typeof absorb>;
          try {
            r = absorb(config, account, prices, reserves);
          } catch {
            return; // not liquidatable
          }
          const sale = storeFrontSale(config, r, prices);
          const [lot] = sale.lots;
          assert.ok(lot !== undefined);
          assert.equal(sale.reservesAfter, r.reservesAfter + sale.baseRecovered);
          if (!lot.forSale) {
            assert.ok(r.reservesAfter >= config.targetReserves);
            return;
          }
          assert.ok(lot.collateralSold <= lot.amount);
          assert.ok(quoteCollateral(config, "WETH", lot.basePaid + 1n, prices) > lot.amount);
        },
      ),
      { numRuns: 200 },
    );
  });
});
