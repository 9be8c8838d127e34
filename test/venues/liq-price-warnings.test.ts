/**
 * Leverage above the venue's maximum (issue 10 §6) was accepted without a word: the liq-price report
 * now warns when a position's stated leverage exceeds its tier's max leverage, and keeps the JSON of
 * every document without such a position unchanged (no `warnings` key).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { renderLiqPrice } from "../../src/cli/liq-price.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { liqPriceReport } from "../../src/venues/liq-price-report.js";

type Doc = Record<string, unknown> & { positions: Record<string, unknown>[] };
const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), "utf8")) as Doc;

describe("liq-price leverage warnings", () => {
  it("warns when a position's leverage is above its tier's max leverage, naming the field", () => {
    const doc = example("cross-btc-eth.json");
    doc.positions[1] = { ...doc.positions[1], leverage: 500 };
    const report = liqPriceReport(resolveAccountDocument(doc));
    assert.equal(report.warnings?.length, 1);
    const [warning = ""] = report.warnings ?? [];
    assert.match(warning, /^positions\[1\]\.leverage: 500x is above the \d+x binance-usdm allows ETHUSDT/);
    assert.ok(renderLiqPrice(report, "Binance").includes(`warning: ${warning}`));
  });

  it("leverage within the tier (or not stated) adds no warnings key", () => {
    for (const path of [
      "cross-btc-eth.json",
      "isolated-btc.json",
      "hedge-mode.json",
      "hyperliquid-cross.json",
    ]) {
      const report = liqPriceReport(resolveAccountDocument(example(path)));
      assert.equal("warnings" in report, false, path);
    }
  });
});
