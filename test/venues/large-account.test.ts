/**
 * The workflows on a large cross account stay linear in its number of positions (issue 10 §6: on
 * 10,000 positions `what-if` once took 13–24 s, because each position's solve summed every other
 * position). Not a timed test (speed is measured by the bench): the positions of the account of
 * bench/big-account.ts are wrapped so that every read of one of their properties is counted, and the
 * reads per position of each workflow must not grow from 100 to 1,000 positions; a whole-account
 * pass per position would multiply them by ten. The trader's searches on collateral and size must
 * not pass over the whole account at each step either: a few whole-account passes in all.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bigAccountDocument } from "../../bench/big-account.js";
import type { Position } from "../../src/margin/types.js";
import { traderReport } from "../../src/optimize/trader-report.js";
import { type ResolvedAccount, resolveAccountDocument } from "../../src/venues/account-document.js";
import type { WhatIfOptions } from "../../src/venues/lending/venue.js";
import { liqPriceReport } from "../../src/venues/liq-price-report.js";
import { perpLiquidateReport } from "../../src/venues/perp-liquidation-report.js";
import { perpWhatIfReport, readPerpWhatIfAction } from "../../src/venues/perp-what-if.js";
import { bundledCandles } from "../helpers/candles.js";

/** The account of bench/big-account.ts in either margin mode (isolated: 100 of margin each). */
type Mode = "cross" | "isolated";

/**
 * Reads of the positions' properties, per position, while `run` works on the account of `n`
 * positions (all of size `size`).
 */
function readsPerPosition(
  n: number,
  size: number,
  run: (resolved: ResolvedAccount) => unknown,
  mode: Mode = "cross",
): number {
  const doc = bigAccountDocument(n) as {
    marginMode: Mode;
    positions: { size: number; isolatedMargin?: number }[];
  };
  doc.marginMode = mode;
  for (const p of doc.positions) {
    p.size = size;
    if (mode === "isolated") p.isolatedMargin = 100;
  }
  const resolved = resolveAccountDocument(doc);
  let reads = 0;
  const positions = resolved.account.positions.map(
    (p): Position =>
      new Proxy(p, {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver);
        },
      }),
  );
  run({ ...resolved, account: { ...resolved.account, positions } });
  return reads / n;
}

/** Asserts that `run` reads each position about as often on 1,000 positions as on 100. */
function assertLinear(
  size: number,
  run: (resolved: ResolvedAccount) => unknown,
  mode: Mode = "cross",
): number {
  const small = readsPerPosition(100, size, run, mode);
  const large = readsPerPosition(1_000, size, run, mode);
  assert.ok(large > 0, "the workflow reads the positions");
  assert.ok(
    large <= 1.1 * small,
    `${large.toFixed(1)} reads per position at 1,000 against ${small.toFixed(1)} at 100`,
  );
  return large;
}

/** what-if with the CLI's options, on position 0. */
const whatIf = (options: WhatIfOptions) => (resolved: ResolvedAccount) =>
  perpWhatIfReport(resolved, 0, readPerpWhatIfAction(options, resolved.account, 0));

describe("workflows on a large cross account", () => {
  const cases: [string, number, WhatIfOptions][] = [
    ["--add-collateral", 0.01, { addCollateral: "1000" }],
    ["--remove-collateral", 0.01, { removeCollateral: "1000" }],
    ["--size (grow)", 0.01, { size: "0.02" }],
    ["--size --fill-price (reduce)", 0.01, { size: "0.005", fillPrice: "60500" }],
    ["--size 0 (close)", 0.01, { size: "0" }],
    // Shorts, so that the collateral for the target is in reach of the wallet.
    ["--target-liq-price", -0.01, { targetLiqPrice: "65000" }],
    ["--target-distance", -0.01, { targetDistance: "0.1" }],
  ];
  for (const [name, size, options] of cases) {
    it(`what-if ${name} reads each position a constant number of times`, () => {
      assertLinear(size, whatIf(options));
    });
  }

  it("what-if on an isolated account reads each position a constant number of times", () => {
    assertLinear(0.01, whatIf({ addCollateral: "10" }), "isolated");
    assertLinear(0.01, whatIf({ targetDistance: "0.1" }), "isolated");
    assertLinear(0.01, whatIf({ size: "0.02" }), "isolated");
  });

  it("liq-price and liquidate read each position a constant number of times", () => {
    assertLinear(0.01, liqPriceReport);
    assertLinear(0.01, perpLiquidateReport);
  });

  it("trader's searches read the account a few times, not once per step, cross or isolated", () => {
    const candles = bundledCandles("btc-1h").series;
    const trader = (resolved: ResolvedAccount) =>
      traderReport(resolved, candles, {
        positionIndex: 0,
        horizonHours: 24,
        alpha: 0.01,
        model: "t",
        windowBars: 2000,
        fundingRatePerInterval: 0.0001,
        recoveryHours: 24,
        takerFeeRate: 0.0005,
        slippageBps: 2,
        idleRatePerYear: 0.05,
        forfeitRemainder: true,
        paths: 200,
        seed: 3,
      });
    for (const mode of ["cross", "isolated"] as const) {
      const reads = assertLinear(-0.01, trader, mode);
      const onePass = readsPerPosition(1_000, -0.01, liqPriceReport, mode);
      assert.ok(
        reads <= 5 * onePass,
        `${mode}: ${reads.toFixed(1)} reads per position against ${onePass.toFixed(1)} for liq-price`,
      );
    }
  });
});
