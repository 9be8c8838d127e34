/**
 * GMX v2 documents: the published schema (schemas/gmx-account.schema.json, checked by Ajv) and the
 * reader agree on the example; bad fields are refused naming them; `liq-price` and `liquidate` reach
 * the GMX reports through the same library calls as every venue, and their readable forms show the check.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import ajv2020 from "ajv/dist/2020.js";
import { renderReadable } from "../../src/cli/io.js";
import { InputError } from "../../src/errors.js";
import { liqPriceReportOf } from "../../src/venues/account-report.js";
import { resolveGmxDocument } from "../../src/venues/gmx-v2/document.js";
import { gmxLiqPriceReport, gmxLiquidateReport } from "../../src/venues/gmx-v2/reports.js";
import { gmxLiqPriceText, gmxLiquidateText } from "../../src/venues/gmx-v2/text.js";
import { isPositionLiquidatable } from "../../src/venues/gmx-v2.js";
import { liquidateReport } from "../../src/venues/liquidate-report.js";
import { whatIfReport } from "../../src/venues/what-if-report.js";
import { assertNear } from "../helpers/close.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) =>
  JSON.parse(readFileSync(new URL(path, root), "utf8")) as Record<string, unknown>;
const example = read("examples/gmx/gmx-eth-long.json");
const Ajv2020 = ajv2020.default;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
  read("schemas/gmx-account.schema.json"),
);

/** The InputError the reader raises for the example changed by `change`. */
function refusal(change: (doc: Record<string, Record<string, unknown>>) => void): InputError {
  const doc = structuredClone(example) as Record<string, Record<string, unknown>>;
  change(doc);
  assert.equal(validate(doc), false, "the schema refuses it too");
  try {
    resolveGmxDocument(doc);
  } catch (e) {
    assert.ok(e instanceof InputError);
    return e;
  }
  assert.fail("accepted");
}

describe("GMX v2 documents", () => {
  it("the example validates against the schema and resolves", () => {
    assert.equal(validate(example), true, JSON.stringify(validate.errors));
    const doc = resolveGmxDocument(example);
    assert.equal(doc.position.isLong, true);
    assert.equal(doc.position.collateralPrice, 4_800);
    assert.equal(doc.market.impact.negativeExponent, 2);
  });

  it("refuses bad and unknown fields, naming them", () => {
    assert.equal(
      refusal((d) => {
        d.position = { ...d.position, side: "up" };
      }).field,
      "position.side",
    );
    assert.equal(
      refusal((d) => {
        d.market = { ...d.market, minCollateralFactor: 2 };
      }).field,
      "market.minCollateralFactor",
    );
    assert.equal(
      refusal((d) => {
        d.market = { ...d.market, leverage: 5 };
      }).field,
      "market.leverage",
    );
    assert.equal(
      refusal((d) => {
        d.position = { ...d.position, collateralToken: "other" };
      }).field,
      "position.collateralPrice",
    );
  });

  it("liq-price: the library call of every venue gives the GMX report; its price is the check's boundary", () => {
    const report = gmxLiqPriceReport(resolveGmxDocument(example));
    assert.deepEqual(liqPriceReportOf(example), report);
    assert.ok(report.liquidationPrice !== null);
    const doc = resolveGmxDocument(example);
    assert.equal(
      isPositionLiquidatable(doc.position, doc.market, report.liquidationPrice).liquidatable,
      true,
    );
    assert.equal(
      isPositionLiquidatable(doc.position, doc.market, report.liquidationPrice * (1 + 1e-9)).liquidatable,
      false,
    );
    // Remaining = 50·P − 200,000 − 80 − 120 − 0.01·P; the fee factor 0.04 % (the close improves the balance).
    assertNear(report.liquidationPrice, (200_000 + 80 + 120 + 2_000) / 49.99, 1e-6, "closed form");
    assert.match(renderReadable(gmxLiqPriceText(report)), /Liquidation price +│ +4,044\.81/);
  });

  it("liquidate: a reverting keeper order when healthy, the order and its settlement when not", () => {
    const healthy = liquidateReport(example);
    assert.ok("order" in healthy);
    assert.equal(healthy.revert, "PositionShouldNotBeLiquidated");
    assert.match(renderReadable(gmxLiquidateText(healthy)), /PositionShouldNotBeLiquidated/);
    const crashed = gmxLiquidateReport(resolveGmxDocument({ ...example, indexPrice: 4_000 }));
    assert.equal(crashed.liquidatable, true);
    assert.equal(crashed.order.sizeDeltaUsd, 200_000);
    assert.equal(crashed.order.acceptablePrice, 0);
    // At 4,000: 40,000 + (−40,000) − 80 − 120 − 40 = −240: an insolvent close, the pool bears 240.
    assertNear(crashed.order.shortfallUsd, 240, 1e-6, "shortfall");
    assert.equal(crashed.order.collateralReturnedUsd, 0);
    assert.match(renderReadable(gmxLiquidateText(crashed)), /Shortfall borne by the pool +│ +240\.00/);
  });

  it("what-if refuses a GMX document on venue, pointing to liq-price and liquidate", () => {
    assert.throws(
      () => whatIfReport(example, { addCollateral: "1000" }),
      (e: unknown) => e instanceof InputError && e.field === "venue" && /liq-price/.test(e.message),
    );
  });

  it("testLiquidation.ts: 1 WETH behind a 90x SOL long, liquidated at WETH $2,500 and SOL $14.99, returns 0.88 WETH", () => {
    const doc = {
      venue: "gmx-v2",
      indexPrice: 14.99,
      market: {
        symbol: "SOL/USD",
        minCollateralFactor: 0.01,
        positionFeeFactor: { positiveImpact: 0, negativeImpact: 0 },
        positionImpact: { positiveFactor: 0, negativeFactor: 0, exponent: 1 },
        openInterestUsd: { long: 450_000, short: 0 },
      },
      position: {
        side: "long",
        sizeInUsd: 450_000,
        sizeInTokens: 30_000,
        collateralToken: "other",
        collateralPrice: 2_500,
        collateralAmount: 1,
      },
    };
    assert.equal(validate(doc), true, JSON.stringify(validate.errors));
    const r = gmxLiquidateReport(resolveGmxDocument(doc));
    assert.equal(r.order.check.reason, "min collateral for leverage");
    assertNear(r.order.collateralReturnedAmount, 0.88, 1e-9, "WETH returned");
  });
});
