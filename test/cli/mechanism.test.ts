/**
 * End-to-end tests of `liqopt mechanism …`: each subcommand's --json is exactly what its library workflow
 * returns for the same document (src/venues/mechanisms/), the tables print, stdin works, and bad input
 * exits 2 with one line naming the field.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { adlQueueReport } from "../../src/venues/mechanisms/adl-queue.js";
import { cometAbsorbBatchReport } from "../../src/venues/mechanisms/comet-absorb.js";
import { driftLiquidationReport } from "../../src/venues/mechanisms/drift-liquidation.js";
import { dydxFillReport } from "../../src/venues/mechanisms/dydx-fill.js";
import { makerFlipReport } from "../../src/venues/mechanisms/maker-flip.js";
import { makerTakeReport } from "../../src/venues/mechanisms/maker-take.js";
import { assertInputError, json, liqopt, ok, ROOT } from "../helpers/cli.js";

const example = (name: string) => `examples/mechanisms/${name}.json`;
const doc = (name: string): unknown => JSON.parse(readFileSync(`${ROOT}/${example(name)}`, "utf8"));
/** The library result as the CLI prints it (JSON round trip: non-finite numbers become null). */
const asJson = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  );

const CASES: [command: string, file: string, report: (raw: unknown) => unknown, heading: RegExp][] = [
  ["adl", "adl-bitmex", adlQueueReport, /^ADL on bitmex/],
  ["adl", "adl-hyperliquid", adlQueueReport, /fills at the mark price/],
  ["maker-take", "maker-take", makerTakeReport, /^Maker auction: tab 110/],
  ["maker-flip", "maker-flip", makerFlipReport, /^Maker flip \(dss 1\.0\): tab 5,650/],
  ["maker-flip", "maker-flip-zero-bid", makerFlipReport, /dealt to zero-bidder: 50\.00 collateral/],
  ["comet-absorb", "comet-absorb", cometAbsorbBatchReport, /^absorb on Compound USDC/],
  ["drift-liquidate", "drift-liquidation", driftLiquidationReport, /^Drift SOL-PERP/],
  ["dydx-fill", "dydx-fill", dydxFillReport, /^dYdX BTC-USD: sell 0.1/],
];

describe("liqopt mechanism", () => {
  for (const [command, file, report, heading] of CASES) {
    test(`${command} --json on ${file} is the library's result; the table prints`, async () => {
      const [j, text] = await Promise.all([
        liqopt(["mechanism", command, "--input", example(file), "--json"]),
        liqopt(["mechanism", command, "--input", example(file)]),
      ]);
      assert.deepEqual(json(j), asJson(report(doc(file))));
      assert.match(ok(text), heading);
    });
  }

  test("adl on BitMEX's example: accounts 2 and 5 deleveraged by 10 each at 650", async () => {
    const r = json(await liqopt(["mechanism", "adl", "--input", example("adl-bitmex"), "--json"])) as {
      fills: { id: string; quantity: number; price: number }[];
    };
    assert.deepEqual(
      r.fills.map((f) => [f.id, f.quantity, f.price]),
      [
        ["2", 10, 650],
        ["5", 10, 650],
      ],
    );
  });

  test("reads the document from stdin with --input -", async () => {
    const text = readFileSync(`${ROOT}/${example("comet-absorb")}`, "utf8");
    const r = json(await liqopt(["mechanism", "comet-absorb", "--input", "-", "--json"], text)) as {
      after: { reserves: string };
    };
    assert.equal(r.after.reserves, "4968350");
  });

  test("a counterparty on the liquidated side exits 2 naming counterparties[1].size", async () => {
    const bad = doc("adl-bitmex") as { counterparties: { size: number }[] };
    (bad.counterparties[1] as { size: number }).size = -10;
    assertInputError(
      await liqopt(["mechanism", "adl", "--input", "-"], JSON.stringify(bad)),
      "counterparties[1].size",
    );
  });

  test("an absorbed account's bad amount exits 2 naming accounts[1].debt[0].amount", async () => {
    const bad = doc("comet-absorb") as { accounts: { debt: { amount: string }[] }[] };
    (bad.accounts[1]?.debt[0] as { amount: string }).amount = "1.0000001";
    assertInputError(
      await liqopt(["mechanism", "comet-absorb", "--input", "-"], JSON.stringify(bad)),
      "accounts[1].debt[0].amount",
    );
  });

  test("maker-flip worked example: keeper-b wins 47 of 50 for the whole 5,650 tab, 3 back to the owner; a tend without a bid exits 2 naming actions[0].bid", async () => {
    const r = json(await liqopt(["mechanism", "maker-flip", "--input", example("maker-flip"), "--json"])) as {
      totals: { raised: string; won: string; returnedToOwner: string; uncoveredTab: string; winner: string };
      steps: { revert: { reason: string } | null }[];
    };
    assert.deepEqual(r.totals, {
      raised: "5650",
      won: "47",
      returnedToOwner: "3",
      uncoveredTab: "0",
      winner: "keeper-b",
    });
    assert.deepEqual(
      r.steps.map((s) => s.revert?.reason ?? null),
      [
        null,
        "Flipper/insufficient-increase",
        null,
        null,
        null,
        "Flipper/insufficient-decrease",
        "Flipper/not-finished",
        null,
      ],
    );
    const bad = doc("maker-flip") as { actions: Record<string, unknown>[] };
    delete bad.actions[0]?.bid;
    assertInputError(
      await liqopt(["mechanism", "maker-flip", "--input", "-"], JSON.stringify(bad)),
      "actions[0].bid",
    );
  });

  test("a missing file exits 2 naming --input", async () => {
    assertInputError(await liqopt(["mechanism", "dydx-fill", "--input", "no-such-file.json"]), "--input");
  });
});
