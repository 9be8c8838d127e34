/**
 * `liqopt trader` with a degenerate volatility model: on the bundled BTCUSDT hourly candles (the
 * last 2000 returns, to 2024-04-18) the GARCH-t fit ends on the stationarity bound, so the default
 * garch-t falls back to the fit's IGARCH(1,1) with drift and says so, with its parameters; `--degenerate keep` keeps it with the warning, `refuse`
 * is a one-line input error (src/optimize/vol-models.ts). A fit that ends on a bound its forecast
 * survives (ν of `t` at its floor 2, on Cauchy candles) is flagged in `model.fitBounds` and a warning line.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";
import { candleCsv, cauchyCloses } from "../helpers/heavy-tails.js";

const ARGS = ["trader", "--input", "examples/isolated-btc.json", "--paths", "200"];

describe("liqopt trader with a degenerate GARCH fit", () => {
  it("falls back to the fit's IGARCH(1,1) with drift by default, states it and its parameters in the table and in --json", async () => {
    const text = ok(await liqopt(ARGS));
    assert.match(text, /^model garch-t \(monte-carlo\)/m);
    const line =
      /^warning: the garch-t fit is degenerate on these returns \(persistence α \+ β \(\+ γ\/2\) at the stationarity bound 1: .*\): fell back to its IGARCH\(1,1\) with drift \(ω ([0-9.]+) %² a bar, ᾱ ([0-9.]+), β̄ ([0-9.]+)\)$/m;
    const m = line.exec(text);
    assert.ok(m !== null, text);
    const model = json(await liqopt([...ARGS, "--json"])).model as {
      kind: string;
      degenerate: {
        requested: string;
        fallback: string;
        reason: string;
        igarch: { omega: number; alpha: number; beta: number };
      };
      garch: { atBound: string[]; params: { omega: number; alpha: number; beta: number } };
    };
    assert.equal(model.kind, "garch-t");
    assert.deepEqual([model.degenerate.requested, model.degenerate.fallback], ["garch-t", "igarch-drift"]);
    assert.deepEqual(model.garch.atBound, ["persistence"]);
    const g = model.garch.params;
    const ig = model.degenerate.igarch;
    assert.equal(ig.omega, g.omega);
    assert.ok(Math.abs(ig.alpha - g.alpha / (g.alpha + g.beta)) < 1e-15);
    assert.equal(Number(m[2]), Math.round(ig.alpha * 1e4) / 1e4);
    assert.equal(Number(m[3]), Math.round(ig.beta * 1e4) / 1e4);
  });

  it("--degenerate keep runs garch-t with the warning; refuse is an input error; a bad policy names the option", async () => {
    const kept = ok(await liqopt([...ARGS, "--degenerate", "keep"]));
    assert.match(kept, /^model garch-t \(monte-carlo\)/m);
    assert.match(kept, /^warning: the garch-t fit is degenerate .*: kept as asked$/m);
    assertInputError(await liqopt([...ARGS, "--degenerate", "refuse"]), "is degenerate on these returns");
    assertInputError(await liqopt([...ARGS, "--degenerate", "ignore"]), "--degenerate");
  });
});

describe("liqopt trader with a fit on a bound", () => {
  const dir = mkdtempSync(join(tmpdir(), "liqopt-trader-bounds-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "cauchy-1h.csv");
  writeFileSync(file, candleCsv(cauchyCloses(1201, 11)));
  const args = [...ARGS, "--candles", file, "--symbol", "BTCUSDT", "--model", "t"];

  it("t with ν at its floor 2: a warning line and model.fitBounds", async () => {
    const text = ok(await liqopt(args));
    assert.match(
      text,
      /^warning: the GARCH\(1,1\)-t fit of t ends on a bound: ν 2\.0000 is at its floor 2: the tails are too heavy for a unit-variance Student-t$/m,
    );
    const model = json(await liqopt([...args, "--json"])).model as {
      fitBounds: { fit: string; parameters: string[] };
    };
    assert.deepEqual(model.fitBounds.parameters, ["nu"]);
  });
});
