import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { getVenue, venueIds } from "../../src/venues/index.js";

describe("venue registry", () => {
  it("lists the CEX venues of the foundation issue", () => {
    for (const id of ["binance-usdm", "binance-coinm", "bybit", "bybit-inverse", "hyperliquid", "bitmex"]) {
      assert.ok(venueIds().includes(id), id);
      const v = getVenue(id);
      assert.equal(v.id, id);
      assert.ok(v.symbols().length > 0);
      assert.ok(v.sources.length > 0);
      const d = v.describe();
      assert.ok(d.liquidation.length > 0 && d.insurance.length > 0 && d.adl.length > 0);
    }
  });

  it("an unknown venue is an InputError listing the known ones", () => {
    assert.throws(
      () => getVenue("ftx"),
      (e: unknown) => e instanceof InputError && /binance-usdm/.test(e.message),
    );
  });
});

describe("tier step-down procedures (Binance, Bybit, BitMEX)", () => {
  const v = getVenue("binance-usdm");
  const tiers = v.tierTable("BTCUSDT").tiers;

  it("nothing happens while equity covers maintenance margin", () => {
    assert.deepEqual(
      v
        .liquidationSteps({ notional: 1e6, equity: 10_000, maintenanceMargin: 5_550, tiers })
        .map((s) => s.action),
      ["none"],
    );
  });

  it("in the first bracket: cancel orders, then takeover at the bankruptcy price", () => {
    const steps = v.liquidationSteps({ notional: 40_000, equity: 100, maintenanceMargin: 160, tiers });
    assert.deepEqual(
      steps.map((s) => s.action),
      ["cancel-open-orders", "close-at-bankruptcy"],
    );
  });

  it("above the first bracket: a reduction to the current bracket's floor comes first", () => {
    const steps = v.liquidationSteps({ notional: 1_000_000, equity: 1_000, maintenanceMargin: 5_550, tiers });
    assert.deepEqual(
      steps.map((s) => s.action),
      ["cancel-open-orders", "reduce-to-lower-tier", "close-at-bankruptcy"],
    );
    assert.ok(Math.abs((steps[1]?.fraction ?? 0) - (1 - 600_000 / 1_000_000)) < 1e-12);
  });

  it("the clearance fee defaults to 0.3 % on BTCUSDT and 0.5 % elsewhere", () => {
    assert.equal(v.liquidationFeeRate("BTCUSDT"), 0.003);
    assert.equal(v.liquidationFeeRate("ETHUSDT"), 0.005);
  });
});
