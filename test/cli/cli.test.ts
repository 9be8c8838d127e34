/**
 * End-to-end tests of the liqopt CLI: each case spawns `node --import tsx src/cli/main.ts …` and
 * checks stdout, stderr and the exit code. Input errors must exit 2 with one line
 * `liqopt: error: …` naming the field or option, and never a stack trace.
 * A spawn costs ~0.5–1 s of tsx start-up, so every command, format and error class is driven once
 * through the real CLI, and further variations run in-process against the same report builders.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { reportError } from "../../src/cli/errors.js";
import { jsonErrorOffset, parseJson, renderReadable, renderTable, toJson } from "../../src/cli/io.js";
import { textTable } from "../../src/format.js";
import {
  getVenue,
  InputError,
  liquidationPrices,
  resolveAccountDocument,
  venueIds,
} from "../../src/index.js";
import { aaveLiquidateReport } from "../../src/venues/lending/aave-v3.js";
import { cometAbsorbReport } from "../../src/venues/lending/compound-v3.js";
import { makerLiquidateReport } from "../../src/venues/lending/maker.js";
import type { LendingWhatIfReport } from "../../src/venues/lending/money-market.js";
import { lendingLiqPriceReport, resolveLendingDocument } from "../../src/venues/lending/registry.js";
import type { WhatIfOptions } from "../../src/venues/lending/venue.js";
import { liqPriceReport } from "../../src/venues/liq-price-report.js";
import { liquidateReport } from "../../src/venues/liquidate-report.js";
import { perpLiquidateReport } from "../../src/venues/perp-liquidation-report.js";
import { perpWhatIfReport, readPerpWhatIfAction, readPositionIndex } from "../../src/venues/perp-what-if.js";
import { venueDetail } from "../../src/venues/venue-report.js";
import { whatIfReport } from "../../src/venues/what-if-report.js";
import { assertInputError, json, liqopt, ok, ROOT } from "../helpers/cli.js";
import { assertNear } from "../helpers/close.js";

const EXAMPLES = join(ROOT, "examples");

const example = (name: string) => join("examples", name);

/** A document with `patch` applied to its first position (or to the document with `top`). */
function isolatedDoc(position: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
  return JSON.stringify({
    venue: "binance-usdm",
    marginMode: "isolated",
    walletBalance: 10_000,
    positions: [
      {
        symbol: "BTCUSDT",
        size: 1,
        entryPrice: 50_000,
        markPrice: 50_000,
        isolatedMargin: 5_000,
        ...position,
      },
    ],
    ...top,
  });
}

const POSITION_FIELDS = [
  "symbol",
  "positionSide",
  "size",
  "notional",
  "initialMargin",
  "maintenanceMargin",
  "unrealizedPnl",
  "liquidationPrice",
  "liquidationReason",
  "lowerLiquidationPrice",
  "lowerLiquidationReason",
  "upperLiquidationPrice",
  "upperLiquidationReason",
  "bankruptcyPrice",
  "bankruptcyReason",
  "liquidatable",
];
const ACCOUNT_FIELDS = [
  "equity",
  "maintenanceMargin",
  "initialMargin",
  "marginRatio",
  "equityToMaintenance",
  "freeCollateral",
  "liquidatable",
];

/** Binance USDⓈ-M BTCUSDT isolated long 1 @ 50,000, margin 5,000, tier 1 (0.4 %, cum 0). */
const ISOLATED_LP = (5_000 - 50_000) / (0.004 - 1);

const tmp = mkdtempSync(join(tmpdir(), "liqopt-cli-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Spawning is the cost here (~0.5 s of tsx start-up each): run the cases side by side. */
const CONCURRENT = { concurrency: Math.max(2, availableParallelism() * 2) };

/** The account of an example document, resolved in-process (for option checks that need no spawn). */
function resolvedExample(name: string) {
  return resolveAccountDocument(JSON.parse(readFileSync(join(EXAMPLES, name), "utf8")));
}

/** Runs `fn` and asserts it throws an {@link InputError} on `field`. */
function throwsOn(fn: () => unknown, field: string): void {
  assert.throws(fn, (err: unknown) => err instanceof InputError && err.field === field);
}

describe("liqopt CLI", CONCURRENT, () => {
  describe("liq-price", CONCURRENT, () => {
    test("table for the demo document (npm run demo)", async () => {
      const out = ok(await liqopt(["liq-price", "--input", example("cross-btc-eth.json")]));
      for (const s of [
        "Binance USDⓈ-M",
        "BTCUSDT",
        "ETHUSDT",
        "Liq. price",
        "Bankr. price",
        "Margin ratio",
      ]) {
        assert.ok(out.includes(s), `missing ${s} in:\n${out}`);
      }
    });

    test("--json from stdin: the documented fields and a hand-checked isolated long", async () => {
      const doc = json(await liqopt(["liq-price", "--input", "-", "--json"], isolatedDoc()));
      assert.deepEqual(Object.keys(doc), [
        "venue",
        "marginMode",
        "marginAsset",
        "account",
        "positions",
        "liquidation",
      ]);
      assert.deepEqual(Object.keys(doc.account as object), ACCOUNT_FIELDS);
      const positions = doc.positions as Record<string, unknown>[];
      for (const p of positions) assert.deepEqual(Object.keys(p), POSITION_FIELDS);
      // LP = (5000 − 50000)/(0.004 − 1) = 45,180.72…, bankruptcy 45,000
      const [p] = positions as {
        liquidationPrice: number;
        bankruptcyPrice: number;
        maintenanceMargin: number;
      }[];
      assertNear(p?.liquidationPrice, ISOLATED_LP, 1e-6, "liquidation price");
      assertNear(p?.bankruptcyPrice, 45_000, 1e-6, "bankruptcy price");
      assertNear(p?.maintenanceMargin, 200, 1e-9, "maintenance margin");
      assert.equal(doc.marginAsset, "USDT");
      assert.equal(doc.liquidation, null);
    });

    test("liquidatable: the venue's steps under the table", async () => {
      const table = ok(await liqopt(["liq-price", "--input", "-"], isolatedDoc({ markPrice: 45_100 })));
      assert.match(table, /Liquidatable +│ +YES/);
      assert.match(table, /Liquidation of #0 BTCUSDT \(long\):\n +1\. cancel-open-orders/);
      assert.match(table, /2\. close-at-bankruptcy/);
    });
  });

  describe("what-if", CONCURRENT, () => {
    const cross = example("cross-btc-eth.json");

    test("--add-collateral: table", async () => {
      const table = ok(await liqopt(["what-if", "--input", cross, "--add-collateral", "2000"]));
      for (const s of ["Before", "After", "Liquidation price", "Equity", "Maintenance margin"]) {
        assert.ok(table.includes(s), s);
      }
    });

    test("--target-liq-price: hand-checked collateral and a verified recomputation", async () => {
      // isolated long 1 @ 50,000: M + (47,000 − 50,000) = 47,000·0.004 → M = 3,188 → add −1,812
      const args = [
        "what-if",
        "--input",
        example("isolated-btc.json"),
        "--target-liq-price",
        "47000",
        "--json",
      ];
      const doc = json(await liqopt(args));
      assertNear(doc.collateralToAdd as number, -1812, 1e-6, "collateral to add");
      const v = doc.verification as { targetPrice: number; liquidationPrice: number; matches: boolean };
      assert.equal(v.matches, true);
      assertNear(v.liquidationPrice, 47_000, 1e-6, "recomputed LP");
    });

    test("--target-distance: table shows the collateral and the check", async () => {
      const out = ok(
        await liqopt(["what-if", "--input", example("coinm-btcusd.json"), "--target-distance", "0.2"]),
      );
      assert.match(out, /Collateral (to add|that can be withdrawn): [\d.,]+ BTC/);
      assert.match(out, /Check: .* matches the target/);
    });
  });

  describe("venues", CONCURRENT, () => {
    test("lists every venue (table)", async () => {
      const table = ok(await liqopt(["venues"]));
      for (const id of venueIds()) assert.ok(table.includes(id), id);
    });

    test("lists every venue (JSON)", async () => {
      const doc = json(await liqopt(["venues", "--json"]));
      const list = doc.venues as { id: string; contractKind: string; symbols: number; sources: string[] }[];
      assert.deepEqual(
        list.map((v) => v.id),
        venueIds(),
      );
      for (const v of list) {
        assert.ok(v.symbols > 0 && v.sources.length > 0, v.id);
        assert.ok(["linear", "inverse"].includes(v.contractKind));
      }
    });

    test("one venue's rules and its tier tables (table)", async () => {
      const table = ok(await liqopt(["venues", "binance-usdm"]));
      const expected = [
        "Maintenance margin basis",
        "Insurance fund",
        "Auto-deleveraging",
        "as of 2024-10-24",
        "BTCUSDT",
      ];
      for (const s of expected) assert.ok(table.includes(s), s);
    });

    test("--symbol prints the tier table", async () => {
      const table = ok(await liqopt(["venues", "binance-usdm", "--symbol", "BTCUSDT"]));
      assert.match(table, /Notional floor/);
      assert.match(table, /│ +1 │ +0 │ +50,000 │ +0\.400 % │ +0 │ +125x │/);
    });

    test("--symbol --json: an open last cap is null", async () => {
      const doc = json(await liqopt(["venues", "hyperliquid", "--symbol", "BTC", "--json"]));
      const tiers = doc.tiers as { notionalFloor: number; notionalCap: number | null; mmr: number }[];
      assert.equal(tiers[0]?.notionalFloor, 0);
      assert.equal(tiers[0]?.mmr, 0.0125);
      assert.equal(tiers.at(-1)?.notionalCap, null);
    });

    test("--help exits 0", async () => {
      assert.match(ok(await liqopt(["--help"])), /liq-price/);
    });
  });

  describe("input errors exit 2 with one line naming the field", CONCURRENT, () => {
    const cross = example("cross-btc-eth.json");
    const fromStdin = async (doc: string, field: string) =>
      assertInputError(await liqopt(["liq-price", "--input", "-"], doc), field);

    test("unknown venue", () => fromStdin(isolatedDoc({}, { venue: "kraken" }), "venue"));
    test("unknown symbol", () => fromStdin(isolatedDoc({ symbol: "FOOUSDT" }), "positions[0].symbol"));
    test("unknown --symbol", async () =>
      assertInputError(await liqopt(["venues", "binance-usdm", "--symbol", "FOOUSDT"]), "--symbol"));
    test("missing field", () => fromStdin(isolatedDoc({ markPrice: undefined }), "positions[0].markPrice"));
    test("NaN in the document", () =>
      fromStdin(isolatedDoc({ entryPrice: "NaN" }), "positions[0].entryPrice"));
    test("NaN option", async () =>
      assertInputError(
        await liqopt(["what-if", "--input", cross, "--add-collateral", "NaN"]),
        "--add-collateral",
      ));
    test("wrong sign in the document", () =>
      fromStdin(isolatedDoc({}, { walletBalance: -100 }), "walletBalance"));
    test("a tier table breaking continuity", () => {
      const tiers = {
        BTCUSDT: [
          { notionalFloor: 0, notionalCap: 50_000, mmr: 0.004, cum: 0, maxLeverage: 125 },
          { notionalFloor: 50_000, notionalCap: null, mmr: 0.005, cum: 60, maxLeverage: 100 },
        ],
      };
      return fromStdin(isolatedDoc({}, { tiers }), "tiers.BTCUSDT[1].cum");
    });

    test("malformed JSON: file name, line and column", async () => {
      const file = join(tmp, "broken.json");
      writeFileSync(
        file,
        '{\n  "venue": "binance-usdm",\n  "positions": [\n    {"symbol": "BTCUSDT" "size": 1}\n  ]\n}\n',
      );
      assertInputError(await liqopt(["liq-price", "--input", file]), `${file}:4:26`);
    });

    test("unreadable input file", async () =>
      assertInputError(await liqopt(["liq-price", "--input", join(tmp, "missing.json")]), "--input"));

    test("two actions", async () => {
      const args = ["what-if", "--input", cross, "--add-collateral", "5", "--target-distance", "0.1"];
      assertInputError(await liqopt(args), "--target-distance");
    });

    test("unknown option (commander usage error)", async () =>
      assertInputError(await liqopt(["liq-price", "--input", cross, "--bogus"]), "--bogus"));
  });
});

/** The JSON a command prints, built in-process (same builders as the CLI, minus the spawn). */
function viaJson<T>(value: T): Record<string, unknown> {
  return JSON.parse(toJson(value)) as Record<string, unknown>;
}

describe("command reports built in-process", () => {
  test("liq-price: a tiers override is used: 5 BTC long re-solved in tier 3 (1 %, cum 1,300)", () => {
    const doc = viaJson(liqPriceReport(resolvedExample("tiers-override.json")));
    const [p] = doc.positions as { liquidationPrice: number }[];
    // 30,000 + 5(P − 60,000) = 5P·0.01 − 1,300  →  P = 268,700 / 4.95
    assertNear(p?.liquidationPrice, 268_700 / 4.95, 1e-6, "override liquidation price");
  });

  test("liq-price: coin-margined document, amounts in BTC", () => {
    const doc = viaJson(liqPriceReport(resolvedExample("coinm-btcusd.json")));
    assert.equal(doc.marginAsset, "BTC");
    const [p] = doc.positions as { liquidationPrice: number; notional: number }[];
    assertNear(p?.notional, (400 * 100) / 67_120.4, 1e-12, "inverse notional in BTC");
    assert.ok((p?.liquidationPrice ?? 0) < 67_120.4);
  });

  test("liq-price: hedge-mode legs of one symbol share the cross liquidation price", () => {
    const doc = viaJson(liqPriceReport(resolvedExample("hedge-mode.json")));
    const [long, short] = doc.positions as { positionSide: string; liquidationPrice: number }[];
    assert.equal(long?.positionSide, "LONG");
    assert.equal(short?.positionSide, "SHORT");
    assert.equal(long?.liquidationPrice, short?.liquidationPrice);
  });

  test("liq-price: isolated and liquidatable, the steps act on the isolated equity", () => {
    const report = liqPriceReport(resolveAccountDocument(JSON.parse(isolatedDoc({ markPrice: 45_100 }))));
    assert.equal(report.account.liquidatable, true);
    const [l] = report.liquidation ?? [];
    assertNear(l?.state.equity, 100, 1e-9, "isolated equity");
    assertNear(l?.state.maintenanceMargin, 45_100 * 0.004, 1e-9, "maintenance margin");
    assert.deepEqual(
      l?.steps.map((s) => s.action),
      ["cancel-open-orders", "close-at-bankruptcy"],
    );
  });

  test("liq-price: cross and liquidatable on Hyperliquid, a 20 % partial market order on account equity", () => {
    const doc = {
      venue: "hyperliquid",
      marginMode: "cross",
      walletBalance: 15_200,
      positions: [{ symbol: "BTC", size: 2, entryPrice: 67_000, markPrice: 60_000 }],
    };
    const [l] = liqPriceReport(resolveAccountDocument(doc)).liquidation ?? [];
    assertNear(l?.state.equity, 1_200, 1e-9, "account equity");
    assert.equal(l?.steps[0]?.action, "market-order");
    assert.equal(l?.steps[0]?.fraction, 0.2);
  });

  test("what-if: removing collateral behind a short moves its LP down toward the mark", () => {
    const r = perpWhatIfReport(resolvedExample("cross-btc-eth.json"), 1, {
      kind: "remove-collateral",
      amount: 1000,
    });
    assertNear(r.after.equity - r.before.equity, -1000, 1e-6, "equity change");
    assert.ok((r.after.liquidationPrice ?? 0) < (r.before.liquidationPrice ?? 0));
  });

  test("what-if: growing the short raises its maintenance margin", () => {
    const r = perpWhatIfReport(resolvedExample("cross-btc-eth.json"), 1, {
      kind: "size",
      size: -20,
      fillPrice: 2600,
    });
    assert.ok(r.after.maintenanceMargin > r.before.maintenanceMargin);
  });

  test("venues: one venue's rules", () => {
    const doc = viaJson(venueDetail(getVenue("hyperliquid")));
    assert.equal(doc.id, "hyperliquid");
    assert.ok((doc.insurance as string[]).length > 0);
    const tables = doc.tierTables as { symbol: string; asOf: string }[];
    assert.ok(tables.some((t) => t.symbol === "BTC" && t.asOf.length > 0));
  });
});

describe("in-process checks of the CLI helpers", () => {
  test("what-if options: each bad value or combination names its option", () => {
    const { account } = resolvedExample("cross-btc-eth.json");
    const action =
      (opts: Partial<WhatIfOptions>, index = 0) =>
      () =>
        readPerpWhatIfAction({ position: String(index), ...opts }, account, index);
    throwsOn(action({}), "what-if");
    throwsOn(action({ addCollateral: "-5" }), "--add-collateral");
    throwsOn(action({ addCollateral: "Infinity" }), "--add-collateral");
    throwsOn(action({ removeCollateral: "0" }), "--remove-collateral");
    throwsOn(action({ removeCollateral: "15000.01" }), "--remove-collateral");
    throwsOn(action({ size: "-1" }), "--size");
    throwsOn(action({ size: "1", fillPrice: "-3" }), "--fill-price");
    throwsOn(action({ addCollateral: "5", fillPrice: "3" }), "--fill-price");
    throwsOn(action({ targetLiqPrice: "90000" }), "--target-liq-price");
    throwsOn(action({ targetLiqPrice: "2000" }, 1), "--target-liq-price");
    throwsOn(action({ targetDistance: "0" }), "--target-distance");
    throwsOn(action({ size: "1", targetDistance: "0.1" }), "--target-distance");
    throwsOn(() => readPositionIndex("2", account), "--position");
    throwsOn(() => readPositionIndex("0.5", account), "--position");
    assert.deepEqual(action({ size: "0" })(), { kind: "size", size: 0, fillPrice: null });
  });

  test("a target out of reach names its option", () => {
    const resolved = resolvedExample("cross-btc-eth.json");
    throwsOn(
      () => perpWhatIfReport(resolved, 0, { kind: "target-liq-price", price: 66_000 }),
      "--target-liq-price",
    );
  });

  test("malformed JSON from stdin and other document errors", () => {
    const parse = (text: string) => () => parseJson({ name: "<stdin>", text });
    throwsOn(parse('{"venue": "binance-usdm", "walletBalance": NaN}'), "--input");
    assert.throws(parse(""), /<stdin>:1:1 is not valid JSON/);
    assert.throws(parse('{\n  "a": 1,\n}'), /<stdin>:3:1 is not valid JSON/);
    const doc =
      (position: Record<string, unknown>, top: Record<string, unknown> = {}) =>
      () =>
        resolveAccountDocument(JSON.parse(isolatedDoc(position, top)));
    throwsOn(doc({ isolatedMargin: undefined }), "positions[0].isolatedMargin");
    throwsOn(doc({ positionSide: "LONG", size: -1 }), "positions[0].size");
    throwsOn(doc({ markPrice: -1 }), "positions[0].markPrice");
    throwsOn(doc({}, { walletBalance: undefined }), "walletBalance");
  });

  test("reportError: input errors exit 2, unexpected ones exit 1 without a stack unless debugging", () => {
    let text = "";
    const sink = {
      write: (s: string) => {
        text += s;
      },
    };
    assert.equal(
      reportError(new InputError("walletBalance", -1, "must be at least 0", "Fix it."), sink, false),
      2,
    );
    assert.equal(text, "liqopt: error: walletBalance: must be at least 0 (got -1). Fix it.\n");
    text = "";
    assert.equal(reportError(new TypeError("boom"), sink, false), 1);
    assert.match(text, /^liqopt: internal error: TypeError: boom/);
    assert.equal(text.trimEnd().split("\n").length, 1);
    text = "";
    assert.equal(reportError(new TypeError("boom"), sink, true), 1);
    assert.match(text, /\n\s+at /);
  });

  test("renderReadable prints a report's lines as they are and its tables as renderTable draws them", () => {
    const rows = [
      ["Health factor", "1.5"],
      ["Debt", "10"],
    ];
    assert.equal(
      renderReadable(["Title", "", textTable([], rows, { rightAlign: [1] }), "end"]),
      ["Title", "", renderTable([], rows, { rightAlign: [1] }), "end"].join("\n"),
    );
    assert.match(renderReadable([textTable(["A", "B"], [["x", "y"]])]), /A.*B[\s\S]*x.*y/);
  });

  test("jsonErrorOffset locates the first bad character; toJson writes non-finite numbers as null", () => {
    assert.equal(jsonErrorOffset('{"a": 1,}'), 8);
    assert.equal(jsonErrorOffset('{"a": tru}'), 9);
    assert.equal(jsonErrorOffset('["\\u12x4"]'), 6);
    assert.equal(jsonErrorOffset("[1, 2"), 5);
    const valid = '{"ok": [1, -2.5e3, true, null, "x\\n"]}';
    assert.equal(jsonErrorOffset(valid), valid.length);
    assert.deepEqual(JSON.parse(toJson({ a: Number.POSITIVE_INFINITY, b: Number.NaN, c: 1 })), {
      a: null,
      b: null,
      c: 1,
    });
  });

  test("the schema admits every registered venue id, the reader names them for another, and every example resolves", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas", "account.schema.json"), "utf8")) as {
      properties: { venue: { pattern: string; enum?: unknown } } & Record<string, unknown>;
    };
    // the registry is the one venue list: the schema keeps no copy of it
    assert.equal(schema.properties.venue.enum, undefined);
    const pattern = new RegExp(schema.properties.venue.pattern);
    for (const id of venueIds()) assert.match(id, pattern);
    assert.throws(
      () => resolveAccountDocument({ venue: "kraken", marginMode: "cross", walletBalance: 1, positions: [] }),
      (e: unknown) =>
        e instanceof InputError && e.field === "venue" && venueIds().every((id) => e.message.includes(id)),
    );
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith(".json"));
    assert.ok(files.length >= 6);
    for (const file of files) {
      const doc = JSON.parse(readFileSync(join(EXAMPLES, file), "utf8")) as Record<string, unknown>;
      for (const key of Object.keys(doc))
        assert.ok(key in schema.properties, `${file}: ${key} not in the schema`);
      const { account, rules } = resolveAccountDocument(doc);
      for (const p of liquidationPrices(account, rules)) {
        assert.ok(p.liquidationPrice !== null || p.liquidationReason !== null, file);
      }
    }
  });
});

const AAVE_EXAMPLE = join("examples", "lending", "aave-v3-account.json");
const COMET_EXAMPLE = join("examples", "lending", "compound-v3-account.json");
const MAKER_EXAMPLE = join("examples", "lending", "maker-vault.json");

/** A bundled lending example, resolved in-process. */
function lendingExample(file: string) {
  return resolveLendingDocument(JSON.parse(readFileSync(join(ROOT, file), "utf8")));
}

describe("lending venues and liquidate (CLI)", CONCURRENT, () => {
  test("liq-price on an Aave document: exact and float HF, liquidation prices, liquidatable", async () => {
    const out = ok(await liqopt(["liq-price", "--input", AAVE_EXAMPLE]));
    for (const s of [
      "Aave v3 (aave-v3)",
      "WETH",
      "WBTC",
      "Liq. price",
      "0.958823529411764705",
      "Liquidatable",
    ])
      assert.ok(out.includes(s), `missing ${s} in:\n${out}`);
    assert.match(out, /Liquidatable +│ +YES/);
  });

  test("liq-price --json on a Compound document", async () => {
    const doc = json(
      await liqopt(["liq-price", "--input", "-", "--json"], readFileSync(COMET_EXAMPLE, "utf8")),
    );
    assert.equal(doc.venue, "compound-v3");
    // the CLI prints exactly the library's result
    assert.deepEqual(doc, viaJson(lendingLiqPriceReport(resolveLendingDocument(rawExample(COMET_EXAMPLE)))));
    const hf = doc.healthFactor as { exact: string; float: number };
    // (3 × 1,800 × 0.895 + 100 × 7 × 0.85) / 5,500 = 5,428 / 5,500
    assertNear(hf.float, 5428 / 5500, 1e-12, "float HF");
    assertNear(Number(hf.exact), 5428 / 5500, 1e-15, "exact HF");
    assert.equal(doc.liquidatable, true);
    const [weth] = doc.collateral as { symbol: string; liquidationPrice: number }[];
    // 3·p·0.895 + 595 = 5,500 → p = 4,905 / 2.685
    assertNear(weth?.liquidationPrice, 4905 / 2.685, 1e-9, "WETH liquidation price");
  });

  test("liquidate on Aave: liquidationCall steps and the hand-checked outcome", async () => {
    const out = ok(await liqopt(["liquidate", "--input", AAVE_EXAMPLE]));
    // HF 0.9588 > 0.95, both reserves ≥ $2,000: 50 % of the $8,500 position = 4,250 USDC
    assert.match(out, /maxLiquidatableDebt = 4250 USDC/);
    assert.match(out, /Liquidator profit +│ +\$191\.25/);
    assert.match(out, /Health factor after +│ +1\.046147058823529411/);
  });

  test("liquidate --json on Aave with options; a revert is a result", async () => {
    const args = ["liquidate", "--input", AAVE_EXAMPLE, "--json", "--collateral", "WBTC", "--debt", "DAI"];
    const doc = json(await liqopt([...args, "--debt-to-cover", "100"]));
    assert.equal(doc.revert, "MustNotLeaveDust");
    const full = json(await liqopt([...args, "--debt-to-cover", "max"]));
    assert.equal(full.revert, null);
    assert.equal((full.debtRepaid as { amount: string }).amount, "500");
    const options = { collateral: "WBTC", debt: "DAI", debtToCover: "max" };
    assert.deepEqual(full, viaJson(liquidateReport(rawExample(AAVE_EXAMPLE), options)));
  });

  test("liquidate on Compound: absorb step by step", async () => {
    const out = ok(await liqopt(["liquidate", "--input", COMET_EXAMPLE]));
    assert.match(out, /seize 3000000000000000000 units of WETH/);
    assert.match(out, /Balance after \(USDC\) +│ +281 │/);
    assert.match(out, /5000000 → 4994219/);
  });

  test("liquidate on a perp example: healthy, then liquidatable with fee and insurance fund", async () => {
    assert.match(
      ok(await liqopt(["liquidate", "--input", example("isolated-btc.json")])),
      /Nothing to liquidate/,
    );
    const doc = json(
      await liqopt(["liquidate", "--input", "-", "--json"], isolatedDoc({ markPrice: 45_100 })),
    );
    const [p] = doc.positions as {
      bankruptcyPrice: number;
      liquidationFee: number;
      insuranceFund: { closedAtBankruptcy: number; closedAtMark: number };
      steps: { action: string }[];
    }[];
    assertNear(p?.bankruptcyPrice, 45_000, 1e-6, "bankruptcy price");
    assertNear(p?.insuranceFund.closedAtMark, 100, 1e-6, "fund at the mark");
    assert.equal(p?.insuranceFund.closedAtBankruptcy, 0);
    assertNear(
      p?.liquidationFee,
      45_100 * getVenue("binance-usdm").liquidationFeeRate("BTCUSDT"),
      1e-9,
      "fee",
    );
    assert.deepEqual(
      p?.steps.map((s) => s.action),
      ["cancel-open-orders", "close-at-bankruptcy"],
    );
  });

  test("errors exit 2 naming the field or option", async () => {
    const bad = JSON.stringify({
      ...JSON.parse(readFileSync(COMET_EXAMPLE, "utf8")),
      collateral: [
        { symbol: "WETH", amount: 1, price: 1 },
        { symbol: "LINK", amount: "x", price: 7 },
      ],
    });
    assertInputError(await liqopt(["liq-price", "--input", "-"], bad), "collateral[1].amount");
    assertInputError(await liqopt(["liquidate", "--input", AAVE_EXAMPLE, "--debt", "GHO"]), "--debt");
    assertInputError(
      await liqopt(["liquidate", "--input", COMET_EXAMPLE, "--collateral", "WETH"]),
      "--collateral",
    );
    assertInputError(
      await liqopt(["what-if", "--input", AAVE_EXAMPLE, "--add-collateral", "1", "--asset", "GHO"]),
      "--asset",
    );
    assertInputError(
      await liqopt(["liquidate", "--input", "-"], isolatedDoc({}, { venue: "kraken" })),
      "venue",
    );
  });

  test("what-if --target-hf --json on a Compound document lands on H", async () => {
    const doc = json(await liqopt(["what-if", "--input", COMET_EXAMPLE, "--target-hf", "1.25", "--json"]));
    assert.deepEqual(Object.keys(doc), ["venue", "action", "before", "after"]);
    assert.deepEqual(doc, viaJson(whatIfReport(rawExample(COMET_EXAMPLE), { targetHf: "1.25" })));
    assert.equal(doc.venue, "compound-v3");
    const action = doc.action as { kind: string; asset: string; check: { matches: boolean } };
    assert.equal(action.kind, "target-hf");
    assert.equal(action.asset, "WETH");
    assert.equal(action.check.matches, true);
    const after = doc.after as { healthFactor: { float: number }; liquidatable: boolean };
    assertNear(after.healthFactor.float, 1.25, 1e-9, "HF after");
    assert.equal(after.liquidatable, false);
  });
});

/** A parsed bundled example. */
const rawExample = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), "utf8"));

/** A lending what-if on a bundled example, built in-process from the raw document. */
function lendingWhatIf(file: string, opts: WhatIfOptions): LendingWhatIfReport {
  return whatIfReport(rawExample(file), opts) as LendingWhatIfReport;
}

const liqPriceOf = (r: ReturnType<typeof lendingLiqPriceReport>, symbol: string) =>
  r.collateral.find((c) => c.symbol === symbol)?.liquidationPrice ?? null;

describe("lending what-if built in-process", () => {
  test("adding collateral raises the HF and lowers that collateral's liquidation price", () => {
    for (const file of [AAVE_EXAMPLE, COMET_EXAMPLE]) {
      const r = lendingWhatIf(file, { addCollateral: "0.5" });
      assert.deepEqual(r.action, { kind: "add-collateral", asset: "WETH", amount: "0.5" }, file);
      assert.ok(r.after.healthFactor.float > r.before.healthFactor.float, file);
      assert.ok(Number(r.after.healthFactor.exact) > Number(r.before.healthFactor.exact), file);
      const before = liqPriceOf(r.before, "WETH") as number;
      const after = liqPriceOf(r.after, "WETH") as number;
      assert.ok(after < before, `${file}: ${after} < ${before}`);
    }
    // Aave: (8,150 + 0.5·2,800·0.83) / 8,500, WETH LP (8,500 − 0.05·60,000·0.78) / (3·0.83)
    const aave = lendingWhatIf(AAVE_EXAMPLE, { addCollateral: "0.5", asset: "WETH" });
    assertNear(aave.after.healthFactor.float, (8150 + 1162) / 8500, 1e-12, "Aave HF");
    assertNear(liqPriceOf(aave.after, "WETH"), (8500 - 2340) / 2.49, 1e-9, "WETH LP");
    const wbtc = lendingWhatIf(AAVE_EXAMPLE, { addCollateral: "0.01", asset: "WBTC" });
    assert.equal(wbtc.after.collateral.find((c) => c.symbol === "WBTC")?.amount, 0.06);
    const removed = lendingWhatIf(COMET_EXAMPLE, { removeCollateral: "100", asset: "LINK" });
    assert.ok(removed.after.healthFactor.float < removed.before.healthFactor.float);
  });

  test("repaying raises the HF; borrowing lowers it", () => {
    const repay = lendingWhatIf(AAVE_EXAMPLE, { repay: "1000" });
    assert.deepEqual(repay.action, { kind: "repay", asset: "USDC", amount: "1000" });
    assertNear(repay.after.healthFactor.float, 8150 / 7500, 1e-12, "Aave HF after repay");
    assert.equal(repay.after.liquidatable, false);
    const comet = lendingWhatIf(COMET_EXAMPLE, { repay: "500" });
    assertNear(comet.after.healthFactor.float, 5428 / 5000, 1e-12, "Comet HF after repay");
    assert.ok(Number(comet.after.healthFactor.exact) > Number(comet.before.healthFactor.exact));
    const borrow = lendingWhatIf(AAVE_EXAMPLE, { borrow: "100", asset: "DAI" });
    assertNear(borrow.after.healthFactor.float, 8150 / 8600, 1e-12, "Aave HF after borrow");
  });

  test("--target-hf lands on H within 1e-9 on both examples, adding or removing", () => {
    for (const file of [AAVE_EXAMPLE, COMET_EXAMPLE])
      for (const h of ["1", "1.1", "1.5", "2.75"]) {
        const r = lendingWhatIf(file, { targetHf: h });
        assert.ok(r.action.kind === "target-hf" && r.action.check?.matches === true, `${file} ${h}`);
        assertNear(r.after.healthFactor.float, Number(h), 1e-9, `${file} HF ${h}`);
        const held = r.before.collateral.find((c) => c.symbol === "WETH")?.amount as number;
        const now = r.after.collateral.find((c) => c.symbol === "WETH")?.amount as number;
        assertNear(now - held, Number(r.action.collateralToAdd), 1e-12, `${file} Δ ${h}`);
      }
    // Aave: Δ = (1.5·8,500 − 8,150) / (2,800·0.83)
    const aave = lendingWhatIf(AAVE_EXAMPLE, { targetHf: "1.5" });
    assertNear(Number(aave.action.collateralToAdd), (1.5 * 8500 - 8150) / (2800 * 0.83), 1e-15, "Δ");
    // a low target frees collateral: negative Δ
    const freed = lendingWhatIf(AAVE_EXAMPLE, { targetHf: "0.5" });
    assert.ok(Number(freed.action.collateralToAdd) < 0);
    assertNear(freed.after.healthFactor.float, 0.5, 1e-9, "HF 0.5");
  });

  test("bad options, combinations and assets name their option", () => {
    const raw = rawExample(AAVE_EXAMPLE);
    const comet = rawExample(COMET_EXAMPLE);
    const action =
      (opts: WhatIfOptions, d = raw) =>
      () =>
        whatIfReport(d, opts);
    throwsOn(action({}), "what-if");
    throwsOn(action({ asset: "WETH" }), "what-if");
    throwsOn(action({ addCollateral: "1", repay: "5" }), "--repay");
    throwsOn(action({ targetHf: "1.5", borrow: "5" }), "--target-hf");
    throwsOn(action({ addCollateral: "1", asset: "USDC" }), "--asset");
    throwsOn(action({ repay: "1", asset: "WETH" }), "--asset");
    throwsOn(action({ targetHf: "2", asset: "GHO" }), "--asset");
    throwsOn(action({ addCollateral: "-1" }), "--add-collateral");
    throwsOn(action({ addCollateral: "0" }), "--add-collateral");
    throwsOn(action({ addCollateral: "1e-19" }), "--add-collateral");
    throwsOn(action({ removeCollateral: "2.6" }), "--remove-collateral");
    throwsOn(action({ repay: "8000.01" }), "--repay");
    throwsOn(action({ borrow: "abc" }), "--borrow");
    throwsOn(action({ targetHf: "0" }), "--target-hf");
    throwsOn(action({ targetHf: "Infinity" }), "--target-hf");
    throwsOn(action({ addCollateral: "1", size: "1" }), "--size");
    throwsOn(action({ addCollateral: "1", position: "0" }), "--position");
    throwsOn(action({ borrow: "1", asset: "WETH" }, comet), "--asset");
    // WETH alone cannot reach HF 0.1: it would need more removed than held
    throwsOn(action({ targetHf: "0.1", asset: "WETH" }), "--target-hf");
    const noDebt = { ...(raw as Record<string, unknown>), debt: [] };
    throwsOn(action({ repay: "1" }, noDebt), "--repay");
    throwsOn(action({ targetHf: "2" }, noDebt), "--target-hf");
  });
});

describe("lending and liquidate reports built in-process", () => {
  test("exact and float HF agree on both examples", () => {
    for (const file of [AAVE_EXAMPLE, COMET_EXAMPLE]) {
      const r = lendingLiqPriceReport(lendingExample(file));
      assertNear(r.healthFactor.float, Number(r.healthFactor.exact), 1e-12, file);
      assert.equal(r.liquidatable, r.healthFactor.float < 1);
    }
  });

  test("a healthy Aave account reverts with HealthFactorNotBelowThreshold; no debt needs no call", () => {
    const doc = JSON.parse(readFileSync(join(ROOT, AAVE_EXAMPLE), "utf8")) as { debt: { amount: string }[] };
    const healthy = structuredClone(doc);
    for (const d of healthy.debt) d.amount = "1000";
    const a = resolveLendingDocument(healthy);
    if (a.venue !== "aave-v3") assert.fail("aave");
    assert.equal(aaveLiquidateReport(a).revert, "HealthFactorNotBelowThreshold");
    const none = resolveLendingDocument({ ...healthy, debt: [] });
    if (none.venue !== "aave-v3") assert.fail("aave");
    const r = aaveLiquidateReport(none);
    assert.equal(r.revert, "HealthFactorNotBelowThreshold");
    assert.equal(r.healthFactorBefore, "max");
  });

  test("Aave --debt-to-cover below the cap: debt repaid is the amount asked", () => {
    const a = lendingExample(AAVE_EXAMPLE);
    if (a.venue !== "aave-v3") assert.fail("aave");
    const r = aaveLiquidateReport(a, { debtToCover: "1000" });
    assert.equal(r.revert, null);
    assert.equal(r.debtRepaid.amount, "1000");
    throwsOn(() => aaveLiquidateReport(a, { debtToCover: "1.0000001" }), "--debt-to-cover");
  });

  test("Compound absorb with a shortfall: reserves cover it; a healthy account reverts NotLiquidatable", () => {
    const doc = JSON.parse(readFileSync(join(ROOT, COMET_EXAMPLE), "utf8")) as { debt: { amount: string }[] };
    const deep = structuredClone(doc);
    deep.debt[0] = { ...deep.debt[0], amount: "7000" } as { amount: string };
    const c = resolveLendingDocument(deep);
    if (c.venue !== "compound-v3") assert.fail("compound");
    const r = cometAbsorbReport(c);
    // credit 5,781 against 7,000 owed: balance floored at 0, shortfall 1,219
    assert.equal(r.balanceAfter, "0");
    assert.equal(r.shortfall, "1219");
    assert.equal(r.basePaidOut.amount, "7000");
    const healthy = structuredClone(doc);
    healthy.debt[0] = { ...healthy.debt[0], amount: "100" } as { amount: string };
    const h = resolveLendingDocument(healthy);
    if (h.venue !== "compound-v3") assert.fail("compound");
    assert.equal(cometAbsorbReport(h).revert, "NotLiquidatable");
  });

  test("perp liquidate: a healthy cross account has nothing to liquidate", () => {
    const resolved = resolvedExample("cross-btc-eth.json");
    assert.deepEqual(perpLiquidateReport(resolved).positions, []);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: test documents are patched freely
type Patchable = Record<string, any>;

/** The Maker example with `patch` applied to the raw document, resolved. */
function makerDoc(patch: (d: Patchable) => void = () => {}) {
  const raw = JSON.parse(readFileSync(join(ROOT, MAKER_EXAMPLE), "utf8")) as Patchable;
  patch(raw);
  const doc = resolveLendingDocument(raw);
  if (doc.venue !== "maker") assert.fail("maker");
  return doc;
}

describe("Maker vaults (venue maker)", () => {
  test("CLI liq-price: HF = value / (debt·mat), liquidation price 2,080 (spawned once)", async () => {
    const out = ok(await liqopt(["liq-price", "--input", MAKER_EXAMPLE]));
    for (const s of ["Maker (dss vault) (maker)", "ilk ETH-B", "ETH", "2,080.00", "0.961538461538461538"])
      assert.ok(out.includes(s), `missing ${s} in:\n${out}`);
    assert.match(out, /Liquidatable +│ +YES/);
  });

  test("CLI liquidate --json: bark, kick and the stairstep curve (spawned once)", async () => {
    const doc = json(await liqopt(["liquidate", "--input", MAKER_EXAMPLE, "--json"]));
    assert.deepEqual(doc, viaJson(liquidateReport(rawExample(MAKER_EXAMPLE))));
    assert.equal(doc.venue, "maker");
    assert.equal(doc.revert, null);
    const bark = doc.bark as { collateralSeized: string; tab: string; penalty: string; partial: boolean };
    // whole vault: 10 ETH, tab = 16,000 × 1.13
    assert.equal(bark.collateralSeized, "10");
    assert.equal(bark.tab, "18080");
    assert.equal(bark.penalty, "2080");
    assert.equal(bark.partial, false);
    assert.equal((doc.kick as { top: number }).top, 2600);
    const curve = doc.curve as { points: { seconds: number; price: number }[]; cuspReachedAfter: number };
    // top 2,600 × 0.99^⌊t/90⌋: 6 cuts at 10 min, 20 at 30 min, 40 at 1 h; 0.99^92 < 0.4 ≤ 0.99^91
    const at = (t: number) => curve.points.find((p) => p.seconds === t)?.price;
    assertNear(at(600), 2600 * 0.99 ** 6, 1e-9, "10 min");
    assertNear(at(1800), 2600 * 0.99 ** 20, 1e-9, "30 min");
    assertNear(at(3600), 2600 * 0.99 ** 40, 1e-9, "1 h");
    assert.equal(curve.cuspReachedAfter, 92 * 90);
  });

  test("liq-price in-process: float and exact HF agree, makerClip.liquidationPrice, survivable drop", () => {
    const healthy = lendingLiqPriceReport(
      makerDoc((d) => {
        d.debt[0].amount = "10000";
      }),
    );
    assertNear(healthy.healthFactor.float, 20_000 / 13_000, 1e-12, "float HF");
    assertNear(Number(healthy.healthFactor.exact), 20_000 / 13_000, 1e-15, "exact HF");
    assert.equal(healthy.liquidatable, false);
    assertNear(healthy.collateral[0]?.liquidationPrice, 1_300, 1e-9, "LP");
    assertNear(healthy.maxCollateralDrop, 1 - 1_300 / 2_000, 1e-12, "drop");
    const none = lendingLiqPriceReport(makerDoc((d) => (d.debt = [])));
    assert.equal(none.healthFactor.exact, "max");
    assert.equal(none.collateral[0]?.liquidationPrice, null);
  });

  test("liquidate in-process: dss revert strings are results; dust is required", () => {
    const safe = makerLiquidateReport(makerDoc((d) => (d.debt[0].amount = "10000")));
    assert.equal(safe.revert, "Dog/not-unsafe");
    assert.equal(safe.bark, null);
    assert.ok(safe.revertReason?.startsWith("the vault is safe"));
    const full = makerLiquidateReport(makerDoc((d) => (d.ilkParams.hole = 0)));
    assert.equal(full.revert, "Dog/liquidation-limit-hit");
    // room 2,260 DAI → dart 2,000 DAI < dust 5,000 while the remnant 14,000 is not dusty
    const dusty = makerLiquidateReport(
      makerDoc((d) => {
        d.ilkParams = { ...d.ilkParams, hole: 2_260, dust: 5_000 };
      }),
    );
    assert.equal(dusty.revert, "Dog/dusty-auction-from-partial-liquidation");
    // room 11,300 DAI → 10,000 DAI of debt, 6.25 ETH; keeper paid tip + 0.1 % of tab
    const partial = makerLiquidateReport(
      makerDoc((d) => {
        d.ilkParams = { ...d.ilkParams, hole: 11_300, dust: 5_000, tip: 300, chip: 0.001 };
      }),
    );
    assert.equal(partial.revert, null);
    assert.equal(partial.bark?.partial, true);
    assert.equal(partial.bark?.collateralSeized, "6.25");
    assert.deepEqual(partial.bark?.vaultAfter, { collateral: "3.75", debt: "6000" });
    assert.equal(partial.kick?.keeperIncentive, "311.3");
    throwsOn(() => makerLiquidateReport(makerDoc((d) => delete d.ilkParams.dust)), "ilkParams.dust");
  });

  test("what-if in-process: add/remove collateral, repay, borrow and --target-hf go through the lending path", () => {
    const add = lendingWhatIf(MAKER_EXAMPLE, { addCollateral: "1" });
    assert.deepEqual(add.action, { kind: "add-collateral", asset: "ETH", amount: "1" });
    assertNear(add.after.healthFactor.float, 22_000 / 20_800, 1e-12, "HF after adding");
    assertNear(add.after.collateral[0]?.liquidationPrice, 20_800 / 11, 1e-9, "LP after adding");
    const repay = lendingWhatIf(MAKER_EXAMPLE, { repay: "4000" });
    assertNear(repay.after.healthFactor.float, 20_000 / (12_000 * 1.3), 1e-12, "HF after repay");
    assert.equal(repay.after.liquidatable, false);
    const removed = lendingWhatIf(MAKER_EXAMPLE, { removeCollateral: "2" });
    assert.ok(removed.after.healthFactor.float < removed.before.healthFactor.float);
    const target = lendingWhatIf(MAKER_EXAMPLE, { targetHf: "1.5" });
    assert.ok(target.action.kind === "target-hf" && target.action.check?.matches === true);
    const raw = rawExample(MAKER_EXAMPLE);
    throwsOn(() => whatIfReport(raw, { repay: "16000.5" }), "--repay");
    throwsOn(() => whatIfReport(raw, { addCollateral: "1", asset: "WBTC" }), "--asset");
  });
});

const DRIFT_EXAMPLE = join("examples", "drift", "drift-account.json");

describe("Drift v2 documents (venue drift-v2, CLI spawned)", CONCURRENT, () => {
  test("liq-price: size-adjusted MMR, exact and SDK liquidation prices, liquidatable", async () => {
    const out = ok(await liqopt(["liq-price", "--input", DRIFT_EXAMPLE]));
    assert.match(out, /Drift v2 \(drift-v2\)/);
    assert.match(out, /6\.00 % \(base 5\.00 %\)/); // 0.8·5 % + √(10·100e9+1)·0.002/1e7 = 6 %
    assert.match(out, /Liquidatable \(TC < MR\)\s+│\s+YES/);
    assert.match(out, /151\.383/); // 14,230 / 94
  });

  test("liquidate --json: speed-limited first call, the rest after 135 slots, exit", async () => {
    const doc = json(await liqopt(["liquidate", "--input", DRIFT_EXAMPLE, "--json"]));
    assert.equal(doc.venue, "drift-v2");
    assert.equal(doc.outcome, "exited-liquidation");
    const calls = doc.calls as { baseTaken: number; slotsElapsed: number; maxPctAllowed: number }[];
    assert.deepEqual(
      calls.map((c) => [c.slotsElapsed, c.maxPctAllowed, c.baseTaken]),
      [
        [0, 0.1, 4.92],
        [135, 1, 43.77],
      ],
    );
  });

  test("what-if --target-liq-price --json: deposit MR(P*) − TC(P*) and check", async () => {
    const doc = json(
      await liqopt(["what-if", "--input", DRIFT_EXAMPLE, "--target-liq-price", "120", "--json"]),
    );
    assert.equal(doc.collateralToAdd, "2950");
    assert.equal((doc.verification as { matches: boolean }).matches, true);
  });

  test("errors name the field (and where to read it on-chain) or the option", async () => {
    const raw = JSON.parse(readFileSync(join(ROOT, DRIFT_EXAMPLE), "utf8")) as {
      markets: Record<string, unknown>[];
    };
    delete raw.markets[0]?.imfFactor;
    const r = await liqopt(["liq-price", "--input", "-"], JSON.stringify(raw));
    assertInputError(r, "markets[0].imfFactor");
    assert.match(r.stderr, /PerpMarket\.imf_factor/);
    assertInputError(await liqopt(["what-if", "--input", DRIFT_EXAMPLE, "--repay", "1"]), "--repay");
    assertInputError(await liqopt(["liquidate", "--input", DRIFT_EXAMPLE, "--debt", "USDC"]), "--debt");
  });
});

describe("issue-3 lending additions (CLI spawned)", CONCURRENT, () => {
  test("liq-price on the Aave e-mode example: scaled balances, e-mode LT 95 %, the e-mode line", async () => {
    const out = ok(await liqopt(["liq-price", "--input", join("examples", "lending", "aave-v3-emode.json")]));
    assert.match(out, /1\.057666666666666666/); // 10.02 · 3,500 · 0.95 / (10.5 · 3,000)
    assert.match(out, /E-mode category 1 \(ETH correlated\)/);
  });

  test("liquidate --json on Compound: the store-front sale recovers 5,940.5 USDC against 5,781 paid out", async () => {
    const doc = json(await liqopt(["liquidate", "--input", COMET_EXAMPLE, "--json"]));
    const sf = doc.storeFront as { baseRecovered: { amount: string }; netToReserves: string };
    assert.equal(sf.baseRecovered.amount, "5940.5");
    assert.equal(sf.netToReserves, "159.5");
  });

  test("what-if --borrow over the isolation debt ceiling names --borrow and the revert", async () => {
    const r = await liqopt([
      "what-if",
      "--input",
      join("examples", "lending", "aave-v3-isolation.json"),
      "--borrow",
      "500.01",
    ]);
    assertInputError(r, "--borrow");
    assert.match(r.stderr, /DebtCeilingExceeded/);
  });
});
