/**
 * `liqopt backtest-var` with the GARCH-t model, --side and --intrabar: the table states the
 * position, the loss basis and EWMA's per-bar λ; --json carries them (src/risk/backtest-report.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";

const ARGS = [
  "backtest-var",
  "--candles",
  "btc-1h",
  "--from",
  "2021-05-01",
  "--to",
  "2021-06-01",
  "--window",
  "300",
];

describe("liqopt backtest-var: garch-t, --side, --intrabar", () => {
  it("tests a long's losses to the bar's low with λ 0.94^(1/24) per bar, and garch-t is a model", async () => {
    const text = ok(await liqopt([...ARGS, "--models", "historical,garch-t", "--intrabar"]));
    assert.match(
      text,
      /^long position, losses to the bar's low \(intrabar\); EWMA λ 0\.997425 per bar \(0\.94 per day\)$/m,
    );
    assert.match(text, /│ garch-t +│/);
    const report = json(
      await liqopt([...ARGS, "--models", "historical", "--side", "short", "--intrabar", "--json"]),
    );
    assert.deepEqual([report.side, report.intrabar], ["short", true]);
    const close = json(await liqopt([...ARGS, "--models", "historical", "--json"]));
    assert.deepEqual([close.side, close.intrabar], ["long", false]);
    assertInputError(await liqopt([...ARGS, "--side", "sideways"]), "--side");
  });
});
