/**
 * Magnitude bounds on account documents (issue 10 §6): a Drift `baseAssetAmount` of "1e40" looped for
 * ever in the integer square root, "1e20"–"1e36" ended in an internal `CastingFailure` and "1e308" in a
 * BigInt RangeError; a 1e308 size gave ∞ equity. Every reader now refuses sizes, balances and amounts
 * above 1e15 and prices above 1e12 with an {@link InputError} naming the field and the value.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { resolveAccountDocument } from "../../src/venues/account-document.js";
import { driftLiquidateReport } from "../../src/venues/drift/liquidate-report.js";
import { resolveDriftDocument } from "../../src/venues/drift-document.js";
import { resolveLendingDocument } from "../../src/venues/lending/registry.js";
import { readAdlQueueDocument } from "../../src/venues/mechanisms/adl-queue.js";

type Row = Record<string, unknown>;
type Doc = Row & { positions: Row[]; markets: Row[]; collateral: Row[]; debt: Row[]; counterparties: Row[] };

const example = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../examples/${path}`, import.meta.url), "utf8")) as Doc;

/** Asserts `run` throws an InputError on `field` whose message quotes `value`. */
function refuses(run: () => unknown, field: string, value: string): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.field, field);
    assert.match(err.message, /must be at most 1e\+1[25] in magnitude/);
    assert.ok(err.message.includes(value), err.message);
    return true;
  });
}

describe("magnitude bounds on account documents", () => {
  it("a Drift baseAssetAmount of 1e20, 1e36, 1e40 or 1e308 is refused by name, 1e15 still runs", () => {
    for (const huge of ["1e20", "1e36", "1e40", "1e308", "-1e40", 1e308]) {
      const doc = example("drift/drift-account.json");
      doc.positions[0] = { ...doc.positions[0], baseAssetAmount: huge };
      refuses(() => resolveDriftDocument(doc), "positions[0].baseAssetAmount", String(huge));
    }
    const doc = example("drift/drift-account.json");
    doc.positions[0] = { ...doc.positions[0], baseAssetAmount: "1e15" };
    const report = driftLiquidateReport(resolveDriftDocument(doc));
    assert.ok(report !== undefined);
  });

  it("Drift prices and balances are bounded", () => {
    const doc = example("drift/drift-account.json");
    doc.markets[0] = { ...doc.markets[0], oraclePrice: 1e13 };
    refuses(() => resolveDriftDocument(doc), "markets[0].oraclePrice", "10000000000000");
    const rich = example("drift/drift-account.json");
    rich.quoteBalance = "-1e300";
    refuses(() => resolveDriftDocument(rich), "quoteBalance", "-1e300");
  });

  it("a perp account's 1e308 size, price or wallet balance is refused instead of giving ∞ equity", () => {
    const sized = example("cross-btc-eth.json");
    sized.positions[0] = { ...sized.positions[0], size: 1e308 };
    refuses(() => resolveAccountDocument(sized), "positions[0].size", "1e+308");
    const priced = example("cross-btc-eth.json");
    priced.positions[0] = { ...priced.positions[0], markPrice: 1e13 };
    refuses(() => resolveAccountDocument(priced), "positions[0].markPrice", "10000000000000");
    const wallet = example("cross-btc-eth.json");
    wallet.walletBalance = 1e16;
    refuses(() => resolveAccountDocument(wallet), "walletBalance", "10000000000000000");
  });

  it("lending amounts and prices, and ADL sizes, are bounded", () => {
    const lending = example("lending/aave-v3-account.json");
    lending.collateral[0] = { ...lending.collateral[0], amount: "1e40" };
    refuses(() => resolveLendingDocument(lending), "collateral[0].amount", "1e40");
    const priced = example("lending/aave-v3-account.json");
    priced.debt[0] = { ...priced.debt[0], price: "1e13" };
    refuses(() => resolveLendingDocument(priced), "debt[0].price", "1e13");
    const adl = example("mechanisms/adl-bitmex.json");
    adl.counterparties[1] = { ...adl.counterparties[1], size: 1e308 };
    refuses(() => readAdlQueueDocument(adl), "counterparties[1].size", "1e+308");
  });
});
