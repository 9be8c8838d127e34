/**
 * The Binance USDⓈ-M listing reads its 349 bracket tables one symbol at a time, on first lookup:
 * every bundled table still parses and validates, the ccxt aliases resolve to the same entry, and an
 * unknown symbol is an InputError naming it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InputError } from "../../src/errors.js";
import { validateTierTable } from "../../src/margin/tiers.js";
import { binanceUsdm } from "../../src/venues/binance-usdm.js";
import { lazyListing } from "../../src/venues/define.js";

describe("binance-usdm lazy listing", () => {
  test("every bundled symbol loads a valid table, once", () => {
    const venue = binanceUsdm();
    const symbols = venue.symbols();
    assert.ok(symbols.length > 300, `${symbols.length} symbols`);
    for (const symbol of symbols) {
      const table = venue.tierTable(symbol);
      assert.equal(table.symbol, symbol);
      validateTierTable(table.tiers, symbol);
      assert.equal(venue.tierTable(symbol), table);
    }
    assert.equal(venue.instrument("BTC/USDT:USDT"), venue.instrument("BTCUSDT"));
    assert.throws(
      () => venue.instrument("NOPEUSDT", "positions[0].symbol"),
      (err: unknown) => {
        return err instanceof InputError && err.field === "positions[0].symbol";
      },
    );
  });

  test("lazyListing builds an entry on its first lookup only, and nothing for unknown symbols", () => {
    const built: string[] = [];
    const listing = lazyListing(["A", "B"], (symbol) => {
      built.push(symbol);
      return {
        instrument: { symbol, kind: "linear", contractSize: 1, marginAsset: "USDT" },
        table: binanceUsdm().tierTable("BTCUSDT"),
      };
    });
    assert.deepEqual([...listing.keys()], ["A", "B"]);
    assert.equal(listing.size, 2);
    assert.deepEqual(built, []);
    assert.equal(listing.get("C"), undefined);
    assert.equal(listing.get("B"), listing.get("B"));
    assert.deepEqual(built, ["B"]);
    assert.ok(listing.has("A") && !listing.has("C"));
  });
});
