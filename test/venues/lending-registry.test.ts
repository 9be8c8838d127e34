/**
 * The lending-venue registry and the library workflows behind `liquidate`, `what-if` and `liq-price`:
 * every registered venue answers for its own documents, the one-call workflows (`liquidateReport`,
 * `whatIfReport`) return exactly what the document's venue computes, options a venue does not read are
 * refused naming the venues that do, and a what-if that adds collateral never lowers the health factor.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { sep } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import type { LendingWhatIfReport } from "../../src/venues/lending/money-market.js";
import {
  isLendingVenueKey,
  isMoneyMarket,
  LENDING_VENUES,
  type LendingVenueKey,
  lendingLiqPriceReport,
  lendingVenue,
  resolveLendingDocument,
} from "../../src/venues/lending/registry.js";
import { liquidateReport } from "../../src/venues/liquidate-report.js";
import { perpLiquidateReport } from "../../src/venues/perp-liquidation-report.js";
import { perpWhatIfReport } from "../../src/venues/perp-what-if.js";
import { venueList } from "../../src/venues/venue-report.js";
import { whatIfReport } from "../../src/venues/what-if-report.js";

const read = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), "utf8"));

/**
 * The bundled example documents of each registered venue: every JSON file under `examples/` (but the
 * multi-account documents of `examples/mechanisms/`) whose `venue` is a lending venue, found by reading
 * them, so a new venue needs an example document and no line here.
 */
const EXAMPLES: Record<LendingVenueKey, string[]> = (() => {
  const out = Object.fromEntries(Object.keys(LENDING_VENUES).map((k) => [k, [] as string[]])) as Record<
    LendingVenueKey,
    string[]
  >;
  const files = readdirSync(new URL("../../examples/", import.meta.url), {
    recursive: true,
    encoding: "utf8",
  });
  for (const file of files.filter((f) => f.endsWith(".json")).sort()) {
    const path = file.split(sep).join("/");
    if (path.startsWith("mechanisms/")) continue;
    const venue = (read(path) as { venue?: unknown }).venue;
    if (isLendingVenueKey(venue)) out[venue].push(path);
  }
  return out;
})();

/** The examples of the money markets (Aave v3, Compound v3, Maker). */
const MONEY_MARKET_EXAMPLES = Object.entries(EXAMPLES)
  .filter(([key]) => isMoneyMarket(key))
  .flatMap(([, files]) => files);

/** The liquidatable flag of a `liq-price` report (Drift reports it under `account`). */
function liquidatableOf(report: unknown): boolean {
  const r = report as { liquidatable?: boolean; account?: { liquidatable: boolean } };
  return r.liquidatable ?? (r.account?.liquidatable as boolean);
}

describe("lending-venue registry", () => {
  it("each venue is registered under its own id and reads its own examples", () => {
    for (const [key, venue] of Object.entries(LENDING_VENUES)) {
      assert.equal(venue.id, key);
      assert.ok(venue.name.length > 0);
      assert.ok(isLendingVenueKey(key));
      assert.ok(
        EXAMPLES[key as LendingVenueKey].length > 0,
        `${key}: bundle an example document under examples/`,
      );
      for (const file of EXAMPLES[key as LendingVenueKey]) {
        const raw = read(file) as { venue: string };
        assert.equal(raw.venue, key, file);
        const doc = lendingVenue(venue.id as LendingVenueKey).resolve(raw);
        const health = lendingVenue(venue.id as LendingVenueKey).health(doc);
        const report = lendingVenue(venue.id as LendingVenueKey).liqPriceReport(doc);
        assert.equal(health.liquidatable, liquidatableOf(report), file);
      }
    }
    assert.equal(isLendingVenueKey("binance-usdm"), false);
    assert.equal(isLendingVenueKey("toString"), false);
  });

  it("liqopt venues lists every registered lending venue, in registry order, with its note and reference page", () => {
    const listed = venueList().documentVenues;
    assert.deepEqual(
      listed.map((v) => v.id),
      Object.keys(LENDING_VENUES),
    );
    for (const v of listed) assert.match(v.note, /docs\/reference\/[a-z0-9-]+\.md$/, v.id);
  });

  it("each venue's readable reports come from the venue: its example's liq-price text names the venue", () => {
    for (const [key, venue] of Object.entries(LENDING_VENUES)) {
      const [file] = EXAMPLES[key as LendingVenueKey];
      const v = lendingVenue(venue.id as LendingVenueKey);
      const text = v.text.liqPrice(v.liqPriceReport(v.resolve(read(file as string))));
      assert.ok(
        text.some((b) => typeof b === "string" && b.includes(`(${key})`)),
        key,
      );
      assert.ok(
        text.some((b) => typeof b !== "string" && b.rows.length > 0),
        key,
      );
    }
  });

  it("a money-market venue refuses another venue's document", () => {
    const comet = read("lending/compound-v3-account.json");
    assert.throws(
      () => LENDING_VENUES["aave-v3"].resolve(comet),
      (e: unknown) => e instanceof InputError && e.field === "venue",
    );
  });

  it("lendingLiqPriceReport is the document's venue's report", () => {
    for (const file of MONEY_MARKET_EXAMPLES) {
      const raw = read(file);
      const venue = lendingVenue((raw as { venue: LendingVenueKey }).venue);
      assert.deepEqual(
        lendingLiqPriceReport(resolveLendingDocument(raw)),
        venue.liqPriceReport(venue.resolve(raw)),
      );
    }
  });
});

describe("one library call per command", () => {
  it("liquidateReport is the venue's liquidation, or the perpetual report", () => {
    for (const [key, files] of Object.entries(EXAMPLES))
      for (const file of files) {
        const raw = read(file);
        const venue = lendingVenue(key as LendingVenueKey);
        assert.deepEqual(liquidateReport(raw), venue.liquidateReport(venue.resolve(raw), {}), file);
      }
    const perp = read("cross-btc-eth.json");
    assert.deepEqual(liquidateReport(perp), perpLiquidateReport(resolveAccountDocument(perp)));
  });

  it("whatIfReport is the venue's what-if, or the perpetual one on position 0 by default", () => {
    for (const [key, files] of Object.entries(EXAMPLES))
      for (const file of files) {
        const raw = read(file);
        const venue = lendingVenue(key as LendingVenueKey);
        const options = { addCollateral: "1" };
        assert.deepEqual(
          whatIfReport(raw, options),
          venue.whatIfReport(raw, venue.resolve(raw), options),
          file,
        );
      }
    const perp = read("isolated-btc.json");
    assert.deepEqual(
      whatIfReport(perp, { addCollateral: "100" }),
      perpWhatIfReport(resolveAccountDocument(perp), 0, { kind: "add-collateral", amount: 100 }),
    );
  });

  it("an option the venue does not read names itself and the venues that read it", () => {
    const refused = (fn: () => unknown, field: string, venues: string) =>
      assert.throws(
        fn,
        (e: unknown) => e instanceof InputError && e.field === field && e.message.includes(venues),
      );
    refused(
      () => liquidateReport(read("lending/maker-vault.json"), { collateral: "ETH" }),
      "--collateral",
      "aave-v3",
    );
    refused(
      () => liquidateReport(read("drift/drift-account.json"), { debtToCover: "max" }),
      "--debt-to-cover",
      "aave-v3",
    );
    refused(() => liquidateReport(read("isolated-btc.json"), { debt: "USDT" }), "--debt", "aave-v3");
    const lending = "aave-v3, compound-v3, maker";
    refused(() => whatIfReport(read("drift/drift-account.json"), { repay: "1" }), "--repay", lending);
    refused(() => whatIfReport(read("isolated-btc.json"), { targetHf: "2" }), "--target-hf", lending);
  });
});

describe("what-if invariant", () => {
  it("adding collateral never lowers the health factor (Aave, Compound, Maker)", () => {
    const docs = MONEY_MARKET_EXAMPLES.map(read);
    fc.assert(
      fc.property(fc.constantFrom(...docs), fc.integer({ min: 1, max: 10_000_000 }), (raw, micro) => {
        const r = whatIfReport(raw, { addCollateral: (micro / 1e6).toFixed(6) }) as LendingWhatIfReport;
        return r.after.healthFactor.float >= r.before.healthFactor.float;
      }),
      { numRuns: 60 },
    );
  });
});
