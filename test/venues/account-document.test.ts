import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";

const valid = {
  venue: "binance-usdm",
  marginMode: "cross",
  walletBalance: 10_000,
  positions: [
    { symbol: "BTCUSDT", size: 0.5, entryPrice: 60_000, markPrice: 61_000 },
    { symbol: "ETHUSDT", size: -2, entryPrice: 3_000, markPrice: 2_900 },
  ],
};

/** Runs the resolver on a modified document and returns the InputError it must raise. */
function rejection(change: (doc: Record<string, unknown>) => void): InputError {
  const doc = structuredClone(valid) as Record<string, unknown>;
  change(doc);
  try {
    resolveAccountDocument(doc);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  assert.fail("the document was accepted");
}

const positions = (doc: Record<string, unknown>) => doc.positions as Record<string, unknown>[];

describe("account documents", () => {
  it("resolves instruments and bundled tiers", () => {
    const r = resolveAccountDocument(valid);
    assert.equal(r.venue.id, "binance-usdm");
    assert.equal(r.account.positions.length, 2);
    assert.equal(r.account.positions[0]?.tiers[0]?.mmr, 0.004);
    assert.equal(r.account.positions[1]?.instrument.marginAsset, "USDT");
  });

  const cases: [string, (doc: Record<string, unknown>) => void, string][] = [
    [
      "unknown venue",
      (d) => {
        d.venue = "ftx";
      },
      "venue",
    ],
    [
      "missing margin mode",
      (d) => {
        delete d.marginMode;
      },
      "marginMode",
    ],
    [
      "negative wallet",
      (d) => {
        d.walletBalance = -5;
      },
      "walletBalance",
    ],
    [
      "NaN entry price",
      (d) => {
        (positions(d)[0] as Record<string, unknown>).entryPrice = Number.NaN;
      },
      "positions[0].entryPrice",
    ],
    [
      "string mark price",
      (d) => {
        (positions(d)[1] as Record<string, unknown>).markPrice = "abc";
      },
      "positions[1].markPrice",
    ],
    [
      "zero size",
      (d) => {
        (positions(d)[0] as Record<string, unknown>).size = 0;
      },
      "positions[0].size",
    ],
    [
      "unknown symbol",
      (d) => {
        (positions(d)[1] as Record<string, unknown>).symbol = "NOPEUSDT";
      },
      "positions[1].symbol",
    ],
    [
      "LONG with a negative size",
      (d) => {
        Object.assign(positions(d)[1] as object, { positionSide: "LONG" });
      },
      "positions[1].size",
    ],
    [
      "isolated without isolatedMargin",
      (d) => {
        d.marginMode = "isolated";
      },
      "positions[0].isolatedMargin",
    ],
    [
      "two one-way positions on a symbol",
      (d) => {
        (positions(d)[1] as Record<string, unknown>).symbol = "BTCUSDT";
      },
      "positions[1].positionSide",
    ],
    [
      "positions not an array",
      (d) => {
        d.positions = {};
      },
      "positions",
    ],
    [
      "tier table breaking continuity",
      (d) => {
        d.tiers = {
          BTCUSDT: [
            { notionalFloor: 0, notionalCap: 50_000, mmr: 0.004, cum: 0, maxLeverage: 125 },
            { notionalFloor: 50_000, notionalCap: 1e9, mmr: 0.005, cum: 60, maxLeverage: 100 },
          ],
        };
      },
      "tiers.BTCUSDT[1].cum",
    ],
    [
      "position beyond the largest bracket",
      (d) => {
        (positions(d)[0] as Record<string, unknown>).size = 40_000;
      },
      "positions[0].size",
    ],
  ];
  for (const [what, change, field] of cases) {
    it(`rejects ${what}, naming ${field}`, () => {
      const error = rejection(change);
      assert.equal(error.field, field);
      assert.ok(error.message.startsWith(`${field}:`), error.message);
      assert.ok(error.fix.length > 0);
    });
  }

  it("states the continuity value a broken cum should have", () => {
    const error = rejection((d) => {
      d.tiers = {
        BTCUSDT: [
          { notionalFloor: 0, notionalCap: 50_000, mmr: 0.004, cum: 0, maxLeverage: 125 },
          { notionalFloor: 50_000, notionalCap: 1e9, mmr: 0.005, cum: 60, maxLeverage: 100 },
        ],
      };
    });
    assert.match(error.message, /= 50/);
  });

  it("a tier override lets an unlisted symbol through, and overrides a bundled one", () => {
    const doc = structuredClone(valid);
    (doc.positions[1] as Record<string, unknown>).symbol = "NEWUSDT";
    const tiers = [{ notionalFloor: 0, notionalCap: 1e7, mmr: 0.02, cum: 0, maxLeverage: 25 }];
    const r = resolveAccountDocument({ ...doc, tiers: { NEWUSDT: tiers, BTCUSDT: tiers } });
    assert.equal(r.account.positions[1]?.tiers[0]?.mmr, 0.02);
    assert.equal(r.account.positions[0]?.tiers[0]?.mmr, 0.02);
  });

  it("accepts ccxt symbols and ccxt-shaped tier overrides without cum", () => {
    const doc = structuredClone(valid);
    (doc.positions[0] as Record<string, unknown>).symbol = "BTC/USDT:USDT";
    const ccxt = [
      { tier: 1, minNotional: 0, maxNotional: 50_000, maintenanceMarginRate: 0.004, maxLeverage: 125 },
      { tier: 2, minNotional: 50_000, maxNotional: 1e9, maintenanceMarginRate: 0.005, maxLeverage: 100 },
    ];
    const r = resolveAccountDocument({ ...doc, tiers: { "BTC/USDT:USDT": ccxt } });
    assert.equal(r.account.positions[0]?.tiers[1]?.cum, 50);
  });

  it("rejects mixed margin assets in one account", () => {
    const doc = structuredClone(valid);
    (doc.positions[1] as Record<string, unknown>).symbol = "BTCUSDC";
    assert.throws(
      () => resolveAccountDocument(doc),
      (e: unknown) => e instanceof InputError && e.field === "positions[1].symbol",
    );
  });
});

describe("venues with one settlement asset", () => {
  const tier = [{ notionalFloor: 0, notionalCap: null, mmr: 0.05, cum: 0, maxLeverage: 10 }];

  // dYdX v4 lists WIF-USD (a market added after genesis, so not in the bundle); every dYdX market
  // settles in USDC, whatever its ticker's "-USD" suffix says.
  it("margins an unbundled dYdX market in USDC beside a bundled one", () => {
    const r = resolveAccountDocument({
      venue: "dydx-v4",
      marginMode: "cross",
      walletBalance: 20_000,
      tiers: { "WIF-USD": tier },
      positions: [
        { symbol: "BTC-USD", size: 0.8, entryPrice: 64_000, markPrice: 66_500 },
        { symbol: "WIF-USD", size: 10_000, entryPrice: 2.1, markPrice: 2.05 },
      ],
    });
    assert.deepEqual(
      r.account.positions.map((p) => p.instrument.marginAsset),
      ["USDC", "USDC"],
    );
    assert.equal(r.account.positions[1]?.tiers[0]?.mmr, 0.05);
  });

  it("margins an unbundled Hyperliquid market (kPEPE) in USDC beside a bundled one", () => {
    const r = resolveAccountDocument({
      venue: "hyperliquid",
      marginMode: "cross",
      walletBalance: 25_000,
      tiers: { kPEPE: tier },
      positions: [
        { symbol: "BTC", size: 0.8, entryPrice: 66_010, markPrice: 67_250, leverage: 20 },
        { symbol: "kPEPE", size: 100_000, entryPrice: 0.0102, markPrice: 0.0101 },
      ],
    });
    assert.equal(r.account.positions[1]?.instrument.marginAsset, "USDC");
  });

  it("still reads the asset from the symbol on a venue with several (Binance USDⓈ-M)", () => {
    const doc = structuredClone(valid);
    (doc.positions[1] as Record<string, unknown>).symbol = "NEWUSDC";
    assert.throws(
      () => resolveAccountDocument({ ...doc, tiers: { NEWUSDC: tier } }),
      (e: unknown) => e instanceof InputError && /margined in USDC, the account in USDT/.test(e.message),
    );
  });
});
