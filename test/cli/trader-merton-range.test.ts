/**
 * `liqopt trader --model merton-range`: Merton jumps fitted on the bundled BTCUSDT hourly candles'
 * close, low and high (src/vol/jumps-range.ts), with the fit's line, its bound warning and
 * P(liquidation) without the jumps beside the one with them; candles without an intrabar range
 * (every high and low at the open or close) are a one-line input error naming the candles.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";
import { candleCsv, cauchyCloses } from "../helpers/heavy-tails.js";

const ARGS = [
  "trader",
  "--input",
  "examples/isolated-btc.json",
  "--model",
  "merton-range",
  "--window",
  "300",
];

describe("liqopt trader --model merton-range", () => {
  const dir = mkdtempSync(join(tmpdir(), "liqopt-merton-range-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the range fit, its bounds and P(liquidation) with and without jumps; --json carries the fit", async () => {
    const text = ok(await liqopt([...ARGS, "--paths", "200"]));
    assert.match(text, /^model merton-range \(monte-carlo\), σ [0-9.]+ % annualized, on 300 returns$/m);
    assert.match(
      text,
      /^merton jumps \(composite likelihood on 300 bars' close, low and high\): [0-9.]+ a day, mean log jump -?[0-9.]+ %, sd [0-9.]+ %; diffusion σ [0-9.]+ %( ± [0-9.]+ % \(s\.e\.\))? annualized$/m,
    );
    assert.match(text, /^without jumps or stress \(merton-range diffusion \(gbm\)\): P = /m);
    const model = json(await liqopt([...ARGS, "--paths", "200", "--json"])).model as {
      kind: string;
      jumps: { kind: string; likelihood: string; returnsUsed: number; atBounds: string[] };
    };
    assert.equal(model.kind, "merton-range");
    assert.deepEqual(
      [model.jumps.kind, model.jumps.likelihood, model.jumps.returnsUsed],
      ["merton", "range", 300],
    );
    // A bound, when the fit ends on one, is flagged in the table as for the close-only fits.
    for (const b of model.jumps.atBounds)
      assert.match(text, new RegExp(`^warning: the jump fit ends on the bound of .*${b}`, "m"));
  });

  it("refuses candles without an intrabar range, naming the candles", async () => {
    const file = join(dir, "flat-1h.csv");
    writeFileSync(file, candleCsv(cauchyCloses(400, 3)));
    const r = await liqopt([...ARGS, "--candles", file, "--symbol", "BTCUSDT"]);
    assertInputError(r, "candles");
    assert.match(r.stderr, /have no intrabar range/);
  });
});
