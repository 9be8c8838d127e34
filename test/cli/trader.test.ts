/**
 * `liqopt trader` end to end: tables, JSON, charts and the HTML report from a real account
 * document and the bundled candles; same seed, same numbers; bad options are one-line input
 * errors naming the option.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { defaultCandlesFor, readDurationHours } from "../../src/cli/trader.js";
import { InputError } from "../../src/errors.js";
import { assertInputError, json, liqopt, ok, type Run } from "../helpers/cli.js";

/** Runs `liqopt trader …` through the real CLI. */
const trader = (args: string[]): Promise<Run> => liqopt(["trader", ...args]);

const INPUT = "examples/isolated-btc.json";

interface Estimate {
  probability: number;
  standardError: number;
  upperBound: number;
  paths: number | null;
}
/** The fields of `--json` read here. */
interface Analysis {
  probability: Estimate;
  model: { method: string };
  position: { venueMaxLeverage: number };
  maxLeverage: { allowedLeverage: number; atSolution: Estimate };
  liquidationPriceLogDriftPerYear: number;
  thresholds: { curve: unknown[] };
  simulatedWithBridge: Estimate & { seed: number };
}

describe("liqopt trader", () => {
  it("prints the probability, the α leverage, the collateral and the cost curve (EWMA, closed form)", async () => {
    const out = ok(
      await trader([
        "--input",
        INPUT,
        "--model",
        "ewma",
        "--horizon",
        "24h",
        "--alpha",
        "0.01",
        "--paths",
        "2000",
      ]),
    );
    assert.match(out, /P\(liquidation within 24 h\) = \d+\.\d+ %/);
    assert.match(out, /largest leverage with P ≤ 0\.01: [\d.]+×/);
    assert.match(out, /collateral to add for P ≤ 0\.01/);
    assert.match(out, /cheapest thresholds/);
    assert.match(out, /BTCUSDT/);
  });

  it("--json with GARCH-t: consistent numbers, the bridge cross-check, and the same output for the same seed", async () => {
    const args = [
      "--input",
      INPUT,
      "--model",
      "garch-t",
      "--horizon",
      "48h",
      "--alpha",
      "0.02",
      "--paths",
      "4000",
      "--seed",
      "7",
      "--json",
      "--funding-rate",
      "0.0003",
    ];
    const first = await trader(args);
    const a = json(first) as unknown as Analysis;
    const p = a.probability;
    assert.ok(p.probability > 0 && p.probability < 1);
    assert.equal(a.model.method, "monte-carlo");
    assert.ok(a.maxLeverage.allowedLeverage <= a.position.venueMaxLeverage);
    assert.ok(a.maxLeverage.atSolution.probability <= 0.02);
    assert.ok(a.liquidationPriceLogDriftPerYear > 0, "a long paying funding has a rising liquidation price");
    assert.equal(a.thresholds.curve.length, 40);
    const sim = a.simulatedWithBridge;
    assert.equal(sim.seed, 7);
    // Two estimators of one probability (bar extremes vs src/sim's bridge test): within 5 combined s.e.
    const se = Math.hypot(p.standardError, sim.standardError);
    assert.ok(
      Math.abs(p.probability - sim.probability) < 5 * se + 0.002,
      `${p.probability} vs ${sim.probability}`,
    );
    const second = await trader(args);
    assert.equal(second.stdout, first.stdout);
  });

  it("a simulated P(liquidation) of 0 is printed as a bound with its path count, and --json carries both", async () => {
    const args = ["--input", INPUT, "--model", "fhs", "--horizon", "1h", "--paths", "2000", "--seed", "3"];
    assert.match(
      ok(await trader(args)),
      /P\(liquidation within 1 h\) = < 0\.150 % \(2,000 paths, 95 % bound\)/,
    );
    const p = (json(await trader([...args, "--json"])) as unknown as { probability: Estimate }).probability;
    assert.deepEqual([p.probability, p.upperBound, p.paths], [0, 3 / 2000, 2000]);
  });

  it("--chart writes an SVG, --report a self-contained HTML page with both charts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "liqopt-trader-"));
    const chart = join(dir, "p.svg");
    const report = join(dir, "r.html");
    ok(
      await trader([
        "--input",
        INPUT,
        "--model",
        "gbm",
        "--paths",
        "1000",
        "--chart",
        chart,
        "--report",
        report,
      ]),
    );
    assert.match(readFileSync(chart, "utf8"), /^<svg/);
    const html = readFileSync(report, "utf8");
    assert.match(html, /^<!doctype html>/);
    assert.equal(html.match(/<svg/g)?.length, 2);
  });

  it("reports the venue's own procedure: Hyperliquid closes 20 % first, so P(full) < P(any)", async () => {
    type Procedure = {
      anyLiquidation: Estimate;
      fullLiquidation: Estimate;
      expectedFractionLiquidated: number;
    };
    const args = ["--horizon", "7d", "--model", "t", "--paths", "4000", "--json"];
    const hl = json(await trader(["--input", "examples/hyperliquid-btc.json", ...args])) as {
      venueProcedure: Procedure | null;
    };
    const p = hl.venueProcedure;
    assert.ok(p !== null);
    assert.ok(p.fullLiquidation.probability < p.anyLiquidation.probability);
    assert.ok(p.expectedFractionLiquidated >= 0.2 * p.anyLiquidation.probability);
    assert.ok(p.expectedFractionLiquidated <= p.anyLiquidation.probability);
    const cross = json(await trader(["--input", "examples/cross-btc-eth.json", ...args])) as {
      venueProcedure: Procedure | null;
    };
    assert.equal(cross.venueProcedure, null);
  });

  it("--model merton fits jumps and shows P with and without them; --stress mixes a scenario in", async () => {
    const args = ["--input", INPUT, "--model", "merton", "--window", "600", "--paths", "2000", "--seed", "2"];
    const out = ok(await trader(args));
    assert.match(out, /merton jumps \(maximum likelihood on 600 returns\): [\d.]+ a day/);
    assert.match(out, /without jumps or stress \(merton diffusion \(gbm\)\): P = /);
    const a = json(await trader([...args, "--stress", "-30%@1%", "--json"])) as unknown as Analysis & {
      withoutJumps: { probability: Estimate };
      model: { jumps: { kind: string; params: { lambda: number } } };
    };
    assert.equal(a.model.jumps.kind, "merton");
    // A 30 % fall takes a 10× long out: the stress alone adds 1 % to P.
    assert.ok(a.probability.probability >= 0.01 + 0.99 * a.withoutJumps.probability.probability - 1e-12);
    // Without stress, the bank's estimate and src/sim's bridge Monte Carlo of the same jump model agree.
    const plain = json(await trader([...args, "--json"])) as unknown as Analysis;
    const se = Math.hypot(plain.probability.standardError, plain.simulatedWithBridge.standardError);
    assert.ok(
      Math.abs(plain.probability.probability - plain.simulatedWithBridge.probability) < 5 * se + 0.002,
    );
    assertInputError(await trader([...args, "--stress", "-30%"]), "--stress");
    assertInputError(await trader([...args, "--stress", "-150%@1%"]), "--stress");
  });

  it("--model arji fits self-exciting jumps, says where the fit ends on a bound, and starts its paths from the filtered intensity", async () => {
    const args = ["--input", INPUT, "--model", "arji", "--window", "600", "--paths", "2000", "--seed", "2"];
    const out = ok(await trader(args));
    assert.match(
      out,
      /arji jumps \(maximum likelihood on 600 returns\): [\d.]+ a day now, [\d.]+ on average \(ρ /,
    );
    assert.match(out, /without jumps or stress \(arji diffusion \(gbm\)\): P = /);
    const a = json(await trader([...args, "--json"])) as unknown as Analysis & {
      pathModel: { jumps: { kind: string; startIntensity: number } };
      model: { arji: { nextIntensity: number; atBounds: string[]; params: { rho: number; gamma: number } } };
    };
    // Every bound the fit ends on is a warning line (on these hours the unconditional intensity's cap).
    for (const name of a.model.arji.atBounds)
      assert.match(out, new RegExp(`warning: the ARJI fit ends on the bound of [^\\n]*${name}`));
    assert.ok(a.model.arji.params.gamma <= a.model.arji.params.rho);
    assert.equal(a.pathModel.jumps.kind, "arji");
    assert.equal(a.pathModel.jumps.startIntensity, a.model.arji.nextIntensity);
    // The bank's estimate and src/sim's bridge Monte Carlo of the same ARJI model agree.
    const se = Math.hypot(a.probability.standardError, a.simulatedWithBridge.standardError);
    assert.ok(Math.abs(a.probability.probability - a.simulatedWithBridge.probability) < 5 * se + 0.002);
  });

  it("bad options are input errors naming the option", async () => {
    assertInputError(await trader(["--input", INPUT, "--alpha", "1.5"]), "--alpha");
    assertInputError(await trader(["--input", INPUT, "--horizon", "soon"]), "--horizon");
    assertInputError(await trader(["--input", INPUT, "--model", "garch-x"]), "--model");
    assertInputError(await trader(["--input", INPUT, "--position", "4"]), "--position");
    assertInputError(await trader(["--input", "examples/lending/aave-v3-account.json"]), "--input");
  });

  it("a hedge-mode leg: liq-price's liquidation price and P for both legs, the short's thresholds skipped with the reason", async () => {
    const HEDGE = "examples/hedge-mode.json";
    const liq = json(await liqopt(["liq-price", "--input", HEDGE, "--json"])) as {
      positions: { liquidationPrice: number }[];
    };
    const run = async (position: string) =>
      json(
        await trader([
          "--input",
          HEDGE,
          "--position",
          position,
          "--model",
          "ewma",
          "--alpha",
          "0.01",
          "--json",
        ]),
      ) as unknown as {
        probability: { probability: number; status: string; liquidationPrice: number };
        collateralForAlpha: { add: number | null };
        maxLeverage: { collateral: number | null };
        thresholdsSkipped: string | null;
      };
    const [long, short] = [await run("0"), await run("1")];
    for (const a of [long, short]) {
      assert.equal(a.probability.status, "safe");
      assert.equal(a.probability.liquidationPrice, liq.positions[1]?.liquidationPrice);
      assert.ok(a.probability.probability < 0.01);
      assert.equal(a.collateralForAlpha.add, 0);
      assert.notEqual(a.maxLeverage.collateral, null);
    }
    assert.equal(long.probability.probability, short.probability.probability);
    assert.equal(long.thresholdsSkipped, null);
    assert.match(short.thresholdsSkipped ?? "", /a move in the position's favour liquidates the account/);
  });
});

describe("trader option parsing", () => {
  it("durations in minutes, hours and days", () => {
    assert.equal(readDurationHours("24h", "--horizon"), 24);
    assert.equal(readDurationHours("7d", "--horizon"), 168);
    assert.equal(readDurationHours("90m", "--horizon"), 1.5);
    assert.equal(readDurationHours("12", "--horizon"), 12);
    assert.throws(() => readDurationHours("0h", "--horizon"), InputError);
  });
  it("bundled candles by symbol", () => {
    assert.equal(defaultCandlesFor("BTCUSDT"), "btc-1h");
    assert.equal(defaultCandlesFor("ETH"), "eth-1h");
    assert.equal(defaultCandlesFor("SOL-USD"), "sol-1h");
    assert.equal(defaultCandlesFor("DOGEUSDT"), undefined);
  });
});
