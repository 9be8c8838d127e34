/**
 * The funding-file options every command with --funding takes, read by one reader
 * (readFundingReadOptions, src/cli/market-options.ts): --funding-unit fraction|percent|bps states
 * the unit a file does not define, --max-funding-rate and --max-median-funding-rate move the
 * plausibility bounds (defaults 5 % and 0.1 % per interval). Files: real rows under
 * test/fixtures/market/ (PROVENANCE.md).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { loadFunding } from "../../src/cli/funding.js";
import { readFundingReadOptions } from "../../src/cli/market-options.js";
import { readFundingFile } from "../../src/market/funding.js";
import { fundingReport } from "../../src/risk/funding-report.js";
import { assertInputError, json, liqopt, ok } from "../helpers/cli.js";
import { rejection } from "../helpers/rejection.js";

const fixture = (name: string) => new URL(`../fixtures/market/${name}`, import.meta.url).pathname;
const PAIRS = fixture("pairs-percent_btcusdt_funding.json");
const BINANCE = fixture("binance-8h_btcusdt_funding.csv");
const dir = mkdtempSync(join(tmpdir(), "liqopt-funding-options-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The percent pairs written in basis points (× 100): the same rates in a third unit. */
const BPS = join(dir, "pairs-bps.json");
writeFileSync(
  BPS,
  JSON.stringify(
    (JSON.parse(readFileSync(PAIRS, "utf8")) as [number, number][]).map(([t, r]) => [t, r * 100]),
  ),
);

describe("readFundingReadOptions", () => {
  it("reads the unit and the bounds, leaves absent options absent, and refuses bad values naming the option", () => {
    assert.deepEqual(readFundingReadOptions({}), {});
    assert.deepEqual(
      readFundingReadOptions({ fundingUnit: "bps", maxFundingRate: "0.1", maxMedianFundingRate: "0.002" }),
      { rateUnit: "bps", maxAbsRate: 0.1, maxMedianAbsRate: 0.002 },
    );
    assert.equal(rejection(() => readFundingReadOptions({ fundingUnit: "basis" })).field, "--funding-unit");
    assert.equal(
      rejection(() => readFundingReadOptions({ maxFundingRate: "0" })).field,
      "--max-funding-rate",
    );
    assert.equal(
      rejection(() => readFundingReadOptions({ maxMedianFundingRate: "2" })).field,
      "--max-median-funding-rate",
    );
  });
});

describe("funding rates in basis points", () => {
  it("bps pairs stated as bps load to the same fractions as the percent pairs stated as percent", () => {
    const percent = readFundingFile(PAIRS, { rateUnit: "percent" });
    const bps = readFundingFile(BPS, { rateUnit: "bps" });
    assert.deepEqual(bps.report.rateUnit, { unit: "bps", source: "stated" });
    for (const [i, r] of percent.series.rate.entries())
      assert.ok(Math.abs((bps.series.rate[i] as number) - r) < 1e-15, `row ${i}`);
    // Stated as percent they are 100 times too large: the median bound refuses them, naming basis points.
    const error = rejection(() => readFundingFile(BPS, { rateUnit: "percent" }));
    assert.match(error.message, /--funding-unit percent\|bps/);
  });
});

describe("liqopt funding, trader and data inspect: --funding-unit and the plausibility bounds", () => {
  it("funding: pairs need --funding-unit; stated, --json is the library's report", async () => {
    assertInputError(await liqopt(["funding", "--funding", PAIRS]), "--funding-unit");
    const cli = json(await liqopt(["funding", "--funding", BPS, "--funding-unit", "bps", "--json"]));
    const loaded = loadFunding(BPS, { rateUnit: "bps" });
    const library = fundingReport(loaded, { regimeWindow: 21, regimeThreshold: 0.0001, position: null });
    assert.deepEqual(cli, JSON.parse(JSON.stringify(library)));
  });

  it("funding: --max-funding-rate below the −0.3 % cap of 2020-03-13 refuses the row; the default loads it", async () => {
    const r = await liqopt(["funding", "--funding", BINANCE, "--max-funding-rate", "0.002"]);
    assertInputError(r, `${BINANCE} line 13`);
    assert.match(r.stderr, /funding rate of -0\.3 % per 8 h, above the plausible 0\.2 %/);
    ok(await liqopt(["funding", "--funding", BINANCE]));
    const median = await liqopt(["funding", "--funding", BINANCE, "--max-median-funding-rate", "0.00001"]);
    assertInputError(median, BINANCE);
    assert.match(median.stderr, /median \|funding rate\| of .* above the plausible 0\.001 %/);
  });

  it("trader: --funding pairs without a unit are refused on --funding-unit", async () => {
    assertInputError(
      await liqopt(["trader", "--input", "examples/isolated-btc.json", "--funding", PAIRS, "--paths", "100"]),
      "--funding-unit",
    );
  });

  it("data inspect: --funding-unit reads bps pairs; a unit contrary to the format is refused", async () => {
    const report = json(
      await liqopt(["data", "inspect", BPS, "--kind", "funding", "--funding-unit", "bps", "--json"]),
    );
    assert.deepEqual((report.details as { rateUnit: unknown }).rateUnit, { unit: "bps", source: "stated" });
    const contrary = await liqopt(["data", "inspect", BINANCE, "--funding-unit", "percent"]);
    assert.equal(contrary.code, 2);
    assert.match(contrary.stderr, /contradicts .* whose format gives rates as fractions/);
  });
});
