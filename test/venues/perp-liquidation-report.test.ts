/**
 * The perp `liquidate` report's fee row. dYdX v4 prices its liquidation order: the fee is
 * min(1.5 % of the fill, what the fill leaves above the bankruptcy quote), so a bankrupt account pays 0
 * and the insurance fund covers the rest (dydxprotocol/v4-chain protocol/x/clob/keeper/liquidations.go
 * `GetLiquidationInsuranceFundDelta`); elsewhere the fee is the venue's rate × notional at the mark.
 * The dYdX genesis BTC-USD tier has IMF 5 %, MF 60 %: MMF 3 %; SMMR 1.5, BA 1, max fee 1.5 %.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderPerpLiquidate } from "../../src/cli/liquidate.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { perpLiquidateReport } from "../../src/venues/perp-liquidation-report.js";
import { assertNear } from "../helpers/close.js";

/** An isolated 1 BTC long @ 60,000 marked at 58,000 with `isolatedMargin`: equity = margin − 2,000. */
function btcLong(venue: string, symbol: string, isolatedMargin: number) {
  const report = perpLiquidateReport(
    resolveAccountDocument({
      venue,
      marginMode: "isolated",
      walletBalance: 0,
      positions: [{ symbol, size: 1, entryPrice: 60_000, markPrice: 58_000, isolatedMargin }],
    }),
  );
  const [p] = report.positions;
  assert.ok(p !== undefined, "the position is liquidatable");
  return p;
}

describe("liquidate report: dYdX v4's fee is capped by what remains above bankruptcy", () => {
  it("a bankrupt account (equity −1,000) pays no fee; the fund pays the shortfall at the fillable price", () => {
    const p = btcLong("dydx-v4", "BTC-USD", 1_000);
    assert.ok(p.fill !== null);
    // ABR = clamp(1 − TNC/TMMR, 0, 1) = 1: fillable 58,000·(1 − 1.5·3 %) = 55,390, spread 4.5 %.
    assertNear(p.fill.fillablePrice, 55_390, 1e-9, "fillable price");
    assertNear(p.fill.spread, 0.045, 1e-12, "spread");
    // Bankruptcy quote of the close: 58,000 − TNC·|ΔMMR|/TMMR = 58,000 + 1,000 = 59,000.
    assertNear(p.fill.aboveBankruptcy, 55_390 - 59_000, 1e-9, "left above bankruptcy");
    assert.equal(p.liquidationFee, 0);
    assertNear(p.fill.insuranceFundDelta, -3_610, 1e-9, "the fund pays");
  });

  it("equity 1,200 (TMMR 1,740): the fee is the 390 left, not 1.5 % of the fill", () => {
    const p = btcLong("dydx-v4", "BTC-USD", 3_200);
    assert.ok(p.fill !== null);
    // ABR = 1 − 1,200/1,740; fillable = 58,000 − 2,610·ABR; left = 1,200 − 2,610·ABR = 390.
    const abr = 1 - 1_200 / 1_740;
    assertNear(p.fill.fillablePrice, 58_000 - 2_610 * abr, 1e-9, "fillable price");
    assertNear(p.liquidationFee, 390, 1e-9, "fee = what is left");
    assert.ok(p.liquidationFee < 0.015 * p.fill.quote);
    assert.equal(p.fill.insuranceFundDelta, p.liquidationFee);
    const text = renderPerpLiquidate(
      { venue: "dydx-v4", marginMode: "isolated", marginAsset: "USDC", liquidatable: true, positions: [p] },
      "dYdX v4",
    );
    assert.match(text, /Fillable price +│ +57,190\.00/);
    assert.match(text, /Spread to the mark +│ +1\.397 %/);
    assert.match(text, /390\.00 \(capped at what is left above bankruptcy; 1\.500 % of the fill: 857\.85\)/);
  });

  it("equity 1,500: enough is left, so the fee is 1.5 % of the fill", () => {
    const p = btcLong("dydx-v4", "BTC-USD", 3_500);
    assert.ok(p.fill !== null);
    assertNear(p.liquidationFee, 0.015 * p.fill.quote, 1e-12, "fee");
    assert.ok(p.fill.aboveBankruptcy > p.liquidationFee);
  });

  it("a venue without a priced order keeps rate × notional at the mark and no fill", () => {
    const p = btcLong("binance-usdm", "BTCUSDT", 1_000);
    assert.equal(p.fill, null);
    assertNear(p.liquidationFee, p.liquidationFeeRate * 58_000, 1e-12, "fee");
  });
});
