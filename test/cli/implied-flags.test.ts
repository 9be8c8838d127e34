/**
 * `liqopt implied` on a chain that covers one wing only (the bundled BTC snapshot's puts with
 * K < 0.85 S₀, written to a temporary file): fits ending at ρ = −1 are flagged in the table and by
 * a warning line each, and expiries with fewer than 5 quotes are listed as not fitted.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { json, liqopt, ok } from "../helpers/cli.js";

const FULL = "data/options/deribit_btc_option-chain_2025-12-05.csv";

function putWing(): string {
  const [header, ...rows] = readFileSync(FULL, "utf8").trimEnd().split("\n");
  const col = (header as string).split(",");
  const type = col.indexOf("type");
  const strike = col.indexOf("strike");
  const spot = col.indexOf("S0");
  const kept = rows.filter((r) => {
    const f = r.split(",");
    return f[type] === "put" && Number(f[strike]) < 0.85 * Number(f[spot]);
  });
  const file = join(mkdtempSync(join(tmpdir(), "liqopt-implied-")), "btc-puts.csv");
  writeFileSync(file, `${[header, ...kept].join("\n")}\n`);
  return file;
}

describe("liqopt implied with a one-wing chain", () => {
  it("flags ρ at −1 and lists thin expiries as not fitted, in the table and in --json", async () => {
    const file = putWing();
    const text = ok(await liqopt(["implied", "--chain", file]));
    assert.match(text, /│ flagged: ρ −1/);
    assert.match(text, /^warning: SVI \d{4}-\d\d-\d\d: ρ = -1\.0000 is at its bound ±1/m);
    assert.match(
      text,
      /^warning: SVI \d{4}-\d\d-\d\d: not fitted, [0-4] usable quotes for SVI's 5 parameters( \(\d+ left out: no bid, or the mark outside the bid-ask band\))?$/m,
    );
    const report = json(await liqopt(["implied", "--chain", file, "--json"])) as {
      unfitted: { points: number }[];
      expiries: { fit: { atBound: string[] } }[];
    };
    assert.ok(report.unfitted.length > 0);
    assert.ok(report.expiries.some((e) => e.fit.atBound.includes("rho")));
    const full = ok(await liqopt(["implied"]));
    assert.doesNotMatch(full, /ρ −1|not fitted/);
    // The bundled chain's next VIX term stops short of two zero bids on both wings; DVOL states its age.
    assert.match(
      full,
      /^ {2}strip reach: 2025-12-26 ln\(K\/F\) -0\.841 \(-6\.85σ\) to 0\.454 \(3\.7σ\); 2026-01-30 .* truncated$/m,
    );
    assert.match(full, /^warning: VIX-style index: 2026-01-30 put wing truncated: /m);
    // From the marks inside their bid-ask band (45.48 % and 4.63 with every mark fitted).
    assert.match(full, /^ATM \(SVI\) at 30 days: 45\.52 % \(the index is 4\.59 vol points above it\)$/m);
    // 2025-12-26: 19 far strikes without a bid and 1 mark outside its band left out; 41 of the 46
    // fitted points have the SVI volatility between their bid and ask IVs.
    assert.match(full, /^│ 2025-12-26T08:00 │.*│ +19, 1 │ +41\/46 │$/m);
    assert.match(full, /^Fitted: the out-of-the-money marks inside their bid-ask band\./m);
    assert.match(full, /^Deribit DVOL close 2025-11-12: 44\.87 % \(23 days before the snapshot/m);
  });
});
