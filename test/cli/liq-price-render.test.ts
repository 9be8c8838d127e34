/**
 * The readable `liq-price` report says why a price is missing (issue 10 §6): a hedged pair's upper
 * end beyond the last tier's cap is a note "beyond the tier table" instead of a 5.6 bn price, and a
 * Drift position with no liquidation or bankruptcy price has its reason under the table.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { renderReadable } from "../../src/cli/io.js";
import { renderLiqPrice } from "../../src/cli/liq-price.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { driftMarginReport } from "../../src/venues/drift/margin-report.js";
import { driftMarginText } from "../../src/venues/drift/text.js";
import { resolveDriftDocument } from "../../src/venues/drift-document.js";
import { liqPriceReport } from "../../src/venues/liq-price-report.js";

const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

describe("liq-price: missing prices come with their reason", () => {
  it("hedge-mode: each leg's upper end is noted beyond the tier table", () => {
    const text = renderLiqPrice(
      liqPriceReport(resolveAccountDocument(example("hedge-mode.json"))),
      "Binance",
    );
    for (const i of [0, 1])
      assert.match(
        text,
        new RegExp(
          `#${i} BTCUSDT upper liquidation price: beyond the tier table: the solve lands at 5,619,528,820`,
        ),
      );
    assert.doesNotMatch(text, /lower liquidation price/);
  });

  it("one-sided positions get no note for the side that has no end", () => {
    const text = renderLiqPrice(
      liqPriceReport(resolveAccountDocument(example("cross-btc-eth.json"))),
      "Binance",
    );
    assert.doesNotMatch(text, /liquidation price:/);
  });

  it("Drift: a position below maintenance at every price has both reasons under the table", () => {
    const doc = { ...example("drift/drift-account.json"), quoteBalance: "0" };
    const text = renderReadable(driftMarginText(driftMarginReport(resolveDriftDocument(doc))));
    assert.match(
      text,
      /BTC-PERP liquidation price: total collateral is below the maintenance requirement at every price down to 0/,
    );
    assert.match(text, /BTC-PERP bankruptcy price: total collateral is negative at every price down to 0/);
  });
});
