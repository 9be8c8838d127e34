/**
 * Lending account documents (src/venues/lending/*-document.ts, read through resolveLendingDocument): Aave v3 and Compound v3 documents
 * resolve to exact accounts whose exact and float health factors agree; every bad field is an
 * InputError naming it; the bundled examples (examples/lending/) validate against
 * schemas/lending-account.schema.json (Ajv, JSON Schema 2020-12) and resolve.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import { InputError } from "../../src/errors.js";
import { healthFactor } from "../../src/margin/lending.js";
import { fromFixed, WAD } from "../../src/math/fixed-point.js";
import { healthFactorWad } from "../../src/venues/aave-v3.js";
import { CUSDCV3_MAINNET_LAUNCH, isLiquidatable } from "../../src/venues/compound-v3.js";
import { isMoneyMarket, LENDING_VENUES, resolveLendingDocument } from "../../src/venues/lending/registry.js";
import { readDecimalUnits } from "../../src/venues/lending-document.js";
import { ETH_B_APRIL_2021 } from "../../src/venues/maker-clip.js";
import { assertNear } from "../helpers/close.js";

const root = new URL("../../", import.meta.url);

const reserve = (symbol: string, decimals: number, lt: number) => ({
  symbol,
  decimals,
  ltvBps: lt - 300,
  liquidationThresholdBps: lt,
  liquidationBonusBps: 10_500,
  liquidationProtocolFeeBps: 1_000,
});

/** $7,000 of ETH at LT 80 % against $6,000 of USDC (docs/reference/aave-v3.md, TV-AAVE-5): HF 0.9333. */
const aaveDoc = {
  venue: "aave-v3",
  collateral: [{ symbol: "WETH", amount: "3.5", price: 2000 }],
  debt: [{ symbol: "USDC", amount: 6000, price: "1" }],
  market: { reserves: [reserve("WETH", 18, 8000), reserve("USDC", 6, 7800)] },
};

const cometDoc = {
  venue: "compound-v3",
  collateral: [
    { symbol: "WETH", amount: "2", price: 2000 },
    { symbol: "WBTC", amount: 0.1, price: 60000 },
  ],
  debt: [{ symbol: "USDC", amount: "8000", price: 1 }],
};

/** An ETH-B vault: 10 ETH at 2,000 against 16,000 DAI at mat 1.3: HF 20,000 / 20,800, LP 2,080. */
const makerDoc = {
  venue: "maker",
  ilk: "ETH-B",
  collateral: [{ symbol: "ETH", amount: "10", price: 2000 }],
  debt: [{ symbol: "DAI", amount: "16000" }],
  ilkParams: { mat: 1.3, dust: 15000 },
};

function rejection(doc: unknown): InputError {
  try {
    resolveLendingDocument(doc);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  assert.fail("expected an InputError");
}

/** A copy of `base` changed by `change`. */
// biome-ignore lint/suspicious/noExplicitAny: test documents are patched freely
type Patchable = Record<string, any>;
function variant(base: object, change: (d: Patchable) => void): unknown {
  const d = structuredClone(base) as Patchable;
  change(d);
  return d;
}

describe("lending documents", () => {
  it("Aave: exact token units, 1e8 prices, version 3.7 by default; HF 0.9333 both ways", () => {
    const r = resolveLendingDocument(aaveDoc);
    assert.equal(r.venue, "aave-v3");
    if (r.venue !== "aave-v3") return;
    assert.equal(r.market.version, "3.7");
    assert.deepEqual(r.account.supplies, [{ symbol: "WETH", balance: 3_500_000_000_000_000_000n }]);
    assert.deepEqual(r.account.borrows, [{ symbol: "USDC", balance: 6_000_000_000n }]);
    assert.deepEqual(r.account.prices, { WETH: 200_000_000_000n, USDC: 100_000_000n });
    const exact = healthFactorWad(r.account, r.market);
    assertNear(fromFixed(exact, 18), 5600 / 6000, 1e-15, "exact HF");
    assertNear(healthFactor(r.lending), 5600 / 6000, 1e-15, "float HF");
  });

  it("Compound: cUSDCv3 by default, debt as a negative base balance; float HF and isLiquidatable agree", () => {
    const r = resolveLendingDocument(cometDoc);
    assert.equal(r.venue, "compound-v3");
    if (r.venue !== "compound-v3") return;
    assert.equal(r.config, CUSDCV3_MAINNET_LAUNCH);
    assert.equal(r.account.baseBalance, -8_000_000_000n);
    assert.equal(r.account.collateral.WBTC, 10_000_000n);
    assert.equal(r.reserves, 0n);
    // 4,000 × 0.895 + 6,000 × 0.77 = 8,200 ≥ 8,000: healthy
    assertNear(healthFactor(r.lending), 8200 / 8000, 1e-12, "float HF");
    assert.equal(isLiquidatable(r.config, r.account, r.prices), false);
    const under = resolveLendingDocument(variant(cometDoc, (d) => (d.debt[0].amount = "8300")));
    if (under.venue !== "compound-v3") return;
    assert.ok(healthFactor(under.lending) < 1);
    assert.equal(isLiquidatable(under.config, under.account, under.prices), true);
  });

  it("Compound: a custom market with decimal factors", () => {
    const r = resolveLendingDocument({
      ...cometDoc,
      collateral: [{ symbol: "WETH", amount: "1", price: 3000 }],
      debt: [{ symbol: "USDT", amount: "1000", price: 1 }],
      reserves: "100",
      market: {
        baseSymbol: "USDT",
        baseDecimals: 6,
        assets: [
          {
            symbol: "WETH",
            decimals: 18,
            borrowCollateralFactor: "0.8",
            liquidateCollateralFactor: 0.85,
            liquidationFactor: "0.9",
          },
        ],
      },
    });
    if (r.venue !== "compound-v3") assert.fail("compound");
    assert.equal(r.config.assets[0]?.liquidateCollateralFactor, 850_000_000_000_000_000n);
    assert.equal(r.reserves, 100_000_000n);
    assertNear(healthFactor(r.lending), 2550 / 1000, 1e-12, "HF");
  });

  it("float and exact Aave HF agree on the bundled example (to 1e-12)", () => {
    const doc: unknown = JSON.parse(
      readFileSync(new URL("examples/lending/aave-v3-account.json", root), "utf8"),
    );
    const r = resolveLendingDocument(doc);
    if (r.venue !== "aave-v3") assert.fail("aave");
    const exact = Number(healthFactorWad(r.account, r.market)) / Number(WAD);
    assertNear(healthFactor(r.lending), exact, 1e-12, "HF");
  });

  it("Maker: dss units (wad ink/art, ray price and mat, rad dust), ETH-B defaults, HF = value / (debt·mat)", () => {
    const r = resolveLendingDocument(makerDoc);
    if (r.venue !== "maker") assert.fail("maker");
    assert.equal(r.ilk, "ETH-B");
    assert.equal(r.symbol, "ETH");
    assert.deepEqual(r.urn, { ink: 10n * WAD, art: 16_000n * WAD });
    assert.equal(r.feedPrice, 2000n * 10n ** 27n);
    const e = ETH_B_APRIL_2021;
    assert.equal(r.params.mat, 13n * 10n ** 26n);
    assert.equal(r.params.dust, 15_000n * 10n ** 45n);
    assert.equal(r.params.chop, e.chop);
    assert.equal(r.params.hole, e.ilkHole);
    assert.equal(r.params.buf, e.buf);
    assert.equal(r.params.tail, e.tail);
    assert.equal(r.params.cusp, e.cusp);
    assert.deepEqual(r.params.calc, e.calc);
    assert.equal(r.params.tip, 0n);
    assert.equal(r.params.chip, 0n);
    assertNear(healthFactor(r.lending), 20_000 / (16_000 * 1.3), 1e-12, "float HF");
    // overrides, no ilk (ETH-B by default), no debt, DAI at an explicit price of 1
    const o = resolveLendingDocument({
      ...makerDoc,
      ilk: undefined,
      debt: [{ symbol: "DAI", amount: 0, price: 1 }],
      ilkParams: { mat: "1.5", chop: 1.1, tail: 3600, step: 60, cut: "0.995", tip: 300, chip: 0.001 },
    });
    if (o.venue !== "maker") assert.fail("maker");
    assert.equal(o.ilk, "ETH-B");
    assert.equal(o.params.dust, undefined);
    assert.deepEqual(o.params.calc, { kind: "stairstep", cut: 995n * 10n ** 24n, step: 60n });
    assert.equal(o.params.tip, 300n * 10n ** 45n);
    assert.equal(o.params.chip, 10n ** 15n);
    assert.equal(healthFactor(o.lending), Number.POSITIVE_INFINITY);
    assert.ok(isMoneyMarket("maker"));
  });

  it("decimals: numbers read through their shortest form; excess decimals rejected for amounts, cut for prices", () => {
    assert.equal(readDecimalUnits(0.1, "x", 18, { excess: "reject", fix: "" }), 100_000_000_000_000_000n);
    assert.equal(readDecimalUnits("1e-6", "x", 6, { excess: "reject", fix: "" }), 1n);
    assert.equal(readDecimalUnits("2.5E3", "x", 0, { excess: "reject", fix: "" }), 2500n);
    assert.equal(readDecimalUnits("1.123456789", "x", 8, { excess: "truncate", fix: "" }), 112_345_678n);
    assert.throws(
      () => readDecimalUnits("1.0000001", "x", 6, { excess: "reject", fix: "" }),
      (e: unknown) => e instanceof InputError && e.field === "x",
    );
    assert.ok(isMoneyMarket("aave-v3") && isMoneyMarket("compound-v3") && !isMoneyMarket("bybit"));
    assert.ok(!isMoneyMarket("drift-v2"), "Drift has reports of its own, not the money markets'");
  });

  it("each venue's own reader refuses another venue's document on venue, and a field of another venue by name", () => {
    for (const [id, venue] of Object.entries(LENDING_VENUES)) {
      const other = id === "maker" ? "aave-v3" : "maker";
      assert.throws(
        () => venue.resolve({ venue: other, collateral: [], debt: [] }),
        (e: unknown) => e instanceof InputError && e.field === "venue" && e.message.includes(id),
        id,
      );
    }
    assert.throws(
      () => resolveLendingDocument({ ...makerDoc, reserves: "1" }),
      (e: unknown) =>
        e instanceof InputError && e.field === "reserves" && e.message.includes("maker document"),
    );
  });

  const bad: [string, unknown, string][] = [
    ["not an object", [], "account"],
    [
      "Maker without mat (no bundled mat for LINK-A)",
      { ...makerDoc, ilk: "LINK-A", ilkParams: { dust: 15000 } },
      "ilkParams.mat",
    ],
    [
      "Maker without ilkParams (LINK-A)",
      { ...makerDoc, ilk: "LINK-A", ilkParams: undefined },
      "ilkParams.mat",
    ],
    ["Maker mat below 1", { ...makerDoc, ilkParams: { mat: 0.9 } }, "ilkParams.mat"],
    ["Maker chop below 1", { ...makerDoc, ilkParams: { mat: 1.3, chop: 0.95 } }, "ilkParams.chop"],
    ["Maker cut above 1", { ...makerDoc, ilkParams: { mat: 1.3, cut: 1.01 } }, "ilkParams.cut"],
    ["Maker zero step", { ...makerDoc, ilkParams: { mat: 1.3, step: 0 } }, "ilkParams.step"],
    ["Maker fractional tail", { ...makerDoc, ilkParams: { mat: 1.3, tail: 1.5 } }, "ilkParams.tail"],
    ["Maker unknown parameter", { ...makerDoc, ilkParams: { mat: 1.3, lump: 1 } }, "ilkParams.lump"],
    ["Maker field of another venue", { ...makerDoc, market: {} }, "market"],
    [
      "Maker with two collaterals",
      variant(makerDoc, (d) => {
        d.collateral.push({ symbol: "WBTC", amount: 1, price: 1 });
      }),
      "collateral",
    ],
    [
      "Maker debt not in DAI",
      variant(makerDoc, (d) => {
        d.debt[0].symbol = "USDC";
      }),
      "debt[0].symbol",
    ],
    [
      "Maker debt priced off par",
      variant(makerDoc, (d) => {
        d.debt[0].price = 1.01;
      }),
      "debt[0].price",
    ],
    [
      "Maker collateral without price",
      variant(makerDoc, (d) => {
        d.collateral[0].price = undefined;
      }),
      "collateral[0].price",
    ],
    [
      "Maker amount finer than a wad",
      variant(makerDoc, (d) => {
        d.collateral[0].amount = "1e-19";
      }),
      "collateral[0].amount",
    ],
    ["a perp venue", { ...aaveDoc, venue: "bybit" }, "venue"],
    ["unknown field", { ...aaveDoc, walletBalance: 1 }, "walletBalance"],
    ["Aave without market", { ...aaveDoc, market: undefined }, "market"],
    ["collateral not an array", { ...aaveDoc, collateral: {} }, "collateral"],
    [
      "negative amount",
      variant(cometDoc, (d) => {
        d.collateral[1].amount = -1;
      }),
      "collateral[1].amount",
    ],
    [
      "amount as text",
      variant(cometDoc, (d) => {
        d.collateral[1].amount = "lots";
      }),
      "collateral[1].amount",
    ],
    [
      "too many decimals for USDC",
      variant(cometDoc, (d) => {
        d.debt[0].amount = "1.0000001";
      }),
      "debt[0].amount",
    ],
    [
      "zero price",
      variant(aaveDoc, (d) => {
        d.collateral[0].price = 0;
      }),
      "collateral[0].price",
    ],
    [
      "missing price",
      variant(aaveDoc, (d) => {
        delete d.debt[0].price;
      }),
      "debt[0].price",
    ],
    [
      "symbol listed twice",
      variant(cometDoc, (d) => {
        d.collateral[1].symbol = "WETH";
      }),
      "collateral[1].symbol",
    ],
    [
      "unknown Aave reserve",
      variant(aaveDoc, (d) => {
        d.debt[0].symbol = "GHO";
      }),
      "debt[0].symbol",
    ],
    [
      "unknown Comet asset",
      variant(cometDoc, (d) => {
        d.collateral[0].symbol = "DOGE";
      }),
      "collateral[0].symbol",
    ],
    [
      "Comet debt not in the base asset",
      variant(cometDoc, (d) => {
        d.debt[0].symbol = "WETH";
      }),
      "debt[0].symbol",
    ],
    [
      "bad Aave version",
      variant(aaveDoc, (d) => {
        d.market.version = "4.0";
      }),
      "market.version",
    ],
    [
      "fractional decimals",
      variant(aaveDoc, (d) => {
        d.market.reserves[1].decimals = 6.5;
      }),
      "market.reserves[1].decimals",
    ],
    [
      "LT × bonus over 100 % (the Pool configurator's rule)",
      variant(aaveDoc, (d) => {
        d.market.reserves[0].liquidationThresholdBps = 9_800;
      }),
      "market.reserves[0].liquidationBonusBps",
    ],
    [
      "Comet borrowCF ≥ liquidateCF",
      {
        ...cometDoc,
        market: {
          baseSymbol: "USDC",
          baseDecimals: 6,
          assets: [
            {
              symbol: "WETH",
              decimals: 18,
              borrowCollateralFactor: "0.9",
              liquidateCollateralFactor: "0.85",
              liquidationFactor: "0.95",
            },
          ],
        },
      },
      "market.assets[0].borrowCollateralFactor",
    ],
  ];
  for (const [what, doc, field] of bad) {
    it(`rejects ${what}, naming ${field}`, () => {
      const err = rejection(doc);
      assert.equal(err.field, field, err.message);
      assert.ok(err.message.startsWith(`${field}: `), err.message);
    });
  }
});

describe("lending account schema", () => {
  const schema = JSON.parse(
    readFileSync(new URL("schemas/lending-account.schema.json", root), "utf8"),
  ) as object;
  const validate = new ajv2020.default({ allErrors: true, strict: false }).compile(schema);
  const examples = readdirSync(new URL("examples/lending/", root)).filter((f) => f.endsWith(".json"));

  it("has the Aave (plain, e-mode, isolation), Compound and Maker examples, and one of every money market", () => {
    for (const file of [
      "aave-v3-account.json",
      "aave-v3-emode.json",
      "aave-v3-isolation.json",
      "compound-v3-account.json",
      "maker-vault.json",
    ])
      assert.ok(examples.includes(file), file);
    for (const id of Object.keys(LENDING_VENUES).filter(isMoneyMarket))
      assert.ok(
        examples.some((f) => f.startsWith(`${id}-`)),
        id,
      );
  });
  it("keeps no venue list (the registry is the one): admits every money market id; the reader refuses another naming them", () => {
    const props = (schema as { properties: { venue: { enum?: unknown; pattern: string } } }).properties;
    assert.equal(props.venue.enum, undefined);
    const ids = Object.keys(LENDING_VENUES).filter(isMoneyMarket);
    for (const id of ids) assert.match(id, new RegExp(props.venue.pattern));
    assert.throws(
      () => resolveLendingDocument({ venue: "euler-v2", collateral: [], debt: [] }),
      (e: unknown) =>
        e instanceof InputError && e.field === "venue" && ids.every((id) => e.message.includes(id)),
    );
  });
  for (const file of examples) {
    it(`examples/lending/${file} validates and resolves`, () => {
      const doc: unknown = JSON.parse(readFileSync(new URL(`examples/lending/${file}`, root), "utf8"));
      assert.ok(validate(doc), JSON.stringify(validate.errors));
      assert.doesNotThrow(() => resolveLendingDocument(doc));
    });
  }
  it("the test documents validate; documents the schema rejects, the reader rejects too", () => {
    assert.ok(validate(aaveDoc), JSON.stringify(validate.errors));
    assert.ok(validate(cometDoc), JSON.stringify(validate.errors));
    assert.ok(validate(makerDoc), JSON.stringify(validate.errors));
    for (const doc of [
      { ...makerDoc, ilk: "LINK-A", ilkParams: { dust: 1 } },
      { ...makerDoc, reserves: 1 },
      { ...makerDoc, debt: [{ symbol: "USDC", amount: 1 }] },
      { ...aaveDoc, ilkParams: { mat: 1.3 } },
      { ...aaveDoc, market: undefined },
      { ...aaveDoc, walletBalance: 1 },
      { ...cometDoc, debt: {} },
    ]) {
      const clean = JSON.parse(JSON.stringify(doc)) as unknown;
      assert.equal(validate(clean), false);
      assert.ok(rejection(clean).field.length > 0);
    }
  });
});

describe("Maker liquidation ratio defaults", () => {
  it("ETH-A/B/C default to the mat MakerDAO's spell tests expect (makerdao/spells-mainnet src/test/config.sol: 14500/13000/17000 bps)", () => {
    const mats = ["ETH-A", "ETH-B", "ETH-C"].map((ilk) => {
      const doc = resolveLendingDocument({ ...makerDoc, ilk, ilkParams: { dust: 15000 } });
      assert.equal(doc.venue, "maker");
      return doc.venue === "maker" ? doc.params.mat : 0n;
    });
    assert.deepEqual(mats, [145n * 10n ** 25n, 130n * 10n ** 25n, 170n * 10n ** 25n]);
  });

  it("another ilk without mat names ilkParams.mat and where to read it (Spot.ilks(ilk).mat)", () => {
    const err = rejection({ ...makerDoc, ilk: "WSTETH-A", ilkParams: {} });
    assert.equal(err.field, "ilkParams.mat");
    assert.match(err.message, /Spot\.ilks\("WSTETH-A"\)\.mat/);
  });
});
