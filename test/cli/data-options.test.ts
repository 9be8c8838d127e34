/**
 * The data options every series-reading command shares: one `--symbol` (the defect: `trader
 * --candles my.csv` asked for `--symbol` and then rejected it) and `--from`/`--to` in UTC
 * (`trader`, `funding`, `data inspect`, with `vol`, `var` and `backtest-var` through the same
 * loader), each checked on the CLI's JSON against the counts in the bundled files.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { assertInputError, json, liqopt } from "../helpers/cli.js";

/** The bundled BTCUSDT perp hourly file by its path: it has no Symbol column. */
const PERP_BTC = join("data", "ohlcv", "binance-perp_btcusdt_1h_2020-01_2024-04.csv");

describe("--symbol", () => {
  test("trader takes --symbol for a candle file without a Symbol column, and --from/--to bound the fit", async () => {
    const args = ["trader", "--input", "examples/isolated-btc.json", "--candles", PERP_BTC, "--paths", "200"];
    assertInputError(await liqopt(args), "--symbol");
    const j = json(
      await liqopt([...args, "--symbol", "BTCUSDT", "--from", "2024-01-01", "--to", "2024-03-01", "--json"]),
    );
    // January and February 2024: 1440 hourly bars, 1439 returns.
    assert.equal((j.model as { returnsUsed: number }).returnsUsed, 1439);
    assertInputError(await liqopt([...args, "--symbol", "BTCUSDT", "--from", "2030-01-01"]), "--from/--to");
  });

  test("funding reads one symbol of a file of several", async () => {
    const dir = mkdtempSync(join(tmpdir(), "liqopt-"));
    try {
      const rows = readFileSync("test/fixtures/market/timestamp-symbol-rate_btcusdt_funding.csv", "utf8")
        .trimEnd()
        .split("\n");
      const eth = rows.slice(1, 11).map((r) => r.replace("BTCUSDT", "ETHUSDT"));
      const path = join(dir, "two.csv");
      writeFileSync(path, [...rows, ...eth].join("\n"));
      assertInputError(await liqopt(["funding", "--funding", path]), "line 23");
      const j = json(await liqopt(["funding", "--funding", path, "--symbol", "ETHUSDT", "--json"]));
      assert.equal(j.symbol, "ETHUSDT");
      assert.equal(j.rows, 10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("--from/--to", () => {
  test("funding: statistics over the window (January 2021: 93 prints of 8 h)", async () => {
    const j = json(await liqopt(["funding", "--from", "2021-01-01", "--to", "2021-02-01", "--json"]));
    assert.equal(j.rows, 93);
    assert.equal(j.first, "2021-01-01T00:00:00.000Z");
    assert.equal(j.last, "2021-01-31T16:00:00.000Z");
    assertInputError(await liqopt(["funding", "--from", "2030-01-01"]), "--from/--to");
    assertInputError(await liqopt(["funding", "--from", "2021-02-01", "--to", "2021-01-01"]), "--to");
  });

  test("data inspect: span, records and gaps within the window; not for an option chain", async () => {
    // The daily BTCUSDT file's four gaps all fall in 2026.
    const before = json(await liqopt(["data", "inspect", "btc-1d", "--to", "2026-01-01", "--json"]));
    assert.equal(before.lastTime, "2025-12-31T00:00:00.000Z");
    assert.equal((before.gaps as { count: number }).count, 0);
    const after = json(await liqopt(["data", "inspect", "btc-1d", "--from", "2026-01-01", "--json"]));
    assert.equal(after.firstTime, "2026-01-01T00:00:00.000Z");
    assert.equal((after.gaps as { count: number }).count, 4);
    assert.equal(after.records, 89 - 6);
    const funding = json(
      await liqopt([
        "data",
        "inspect",
        "btc-funding-8h",
        "--from",
        "2021-01-01",
        "--to",
        "2021-02-01",
        "--json",
      ]),
    );
    assert.equal(funding.records, 93);
    assertInputError(await liqopt(["data", "inspect", "deribit-btc", "--from", "2025-01-01"]), "--from/--to");
  });
});

describe("--as-of", () => {
  test("implied and data inspect: a ticker chain without a timestamp needs --as-of, which sets the snapshot", async () => {
    const chain = "test/fixtures/market/deribit-ticker_btc_chain.csv";
    assertInputError(await liqopt(["implied", "--chain", chain]), "--as-of");
    const j = json(await liqopt(["implied", "--chain", chain, "--as-of", "2025-12-05T01:10Z", "--json"]));
    assert.equal(j.snapshot, "2025-12-05T01:10:00.000Z");
    const inspected = json(
      await liqopt(["data", "inspect", chain, "--as-of", "2025-12-05T01:10Z", "--json"]),
    );
    assert.equal(inspected.records, 40);
  });
});
