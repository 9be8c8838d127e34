/**
 * The contract-space ADL queue (src/sim/venue/adl-contracts.ts) on hand-computed cases after BitMEX's
 * "Auto-Deleveraging Examples" (https://www.bitmex.com/app/autoDeleveraging): a short of 20 contracts at
 * bankruptcy price 650 against a mark of 640 closes the top-ranked longs first, each at 650, so each
 * matched contract pays the 10 between the mark and the bankruptcy price.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BankruptContracts, matchBankruptContracts } from "../../../src/sim/venue/adl-contracts.js";

function run(bankrupt: BankruptContracts, side: 1 | -1, quantity: number[], score: number[]) {
  const matched = new Float64Array(quantity.length);
  const haircut = new Float64Array(quantity.length);
  const unmatched = matchBankruptContracts(
    bankrupt,
    side,
    Float64Array.from(quantity),
    Float64Array.from(score),
    matched,
    haircut,
  );
  return { matched: Array.from(matched), haircut: Array.from(haircut), unmatched };
}

/** BitMEX's short (slot 0: 20 contracts 10 beyond bankruptcy), a bankrupt long (slot 1) and a newer short (slot 2: 5 at 4). */
function pool(): BankruptContracts {
  const b = new BankruptContracts(4);
  b.add(0, -12, 120);
  b.add(1, 7, 70);
  b.add(0, -8, 80); // a second close of the same position joins its entry
  b.add(2, -5, 20);
  return b;
}

describe("BankruptContracts", () => {
  it("selects the newest positions first back to the deficit, the last one in part, and keeps the rest", () => {
    const b = pool();
    // 20 (slot 2, whole) + 70 (slot 1, whole) + 30 of slot 0's 200: 3 of its 20 contracts.
    assert.equal(b.select(120), 120);
    assert.deepEqual(Array.from(b.size.subarray(0, b.count)), [-5, 7, -3]);
    assert.deepEqual(Array.from(b.gap.subarray(0, b.count)), [4, 10, 10]);
    assert.equal(b.contracts(-1), 8);
    assert.equal(b.contracts(1), 7);
    // What is left: 17 contracts of slot 0, 170 beyond bankruptcy.
    assert.equal(b.select(1_000), 170);
    assert.deepEqual(Array.from(b.size.subarray(0, b.count)), [-17]);
    assert.equal(b.select(1), 0);
    assert.equal(b.count, 0);
  });

  it("clear() empties the pool; a close within bankruptcy adds nothing", () => {
    const b = pool();
    b.clear();
    b.add(3, 1, 0);
    assert.equal(b.select(10), 0);
  });
});

describe("matchBankruptContracts", () => {
  const b = pool();
  b.select(1e9); // everything: 5 at 4 (slot 2), 7 longs at 10, 20 at 10 (slot 0)

  it("fills down the ranking, consuming the selected contracts of the side in order", () => {
    // Longs of 10, 20 and 30 contracts ranked 2nd, 1st and 3rd: the 1st takes the newest short's 5
    // (gap 4) and 15 of the older (gap 10), the 2nd the last 5, the 3rd nothing.
    const r = run(b, -1, [10, 20, 30], [5, 9, 1]);
    assert.deepEqual(r.matched, [5, 20, 0]);
    assert.deepEqual(r.haircut, [50, 5 * 4 + 15 * 10, 0]);
    assert.equal(r.unmatched, 0);
  });

  it("ties keep input order; contracts no counterparty was left to take are returned", () => {
    const r = run(b, -1, [10, 5], [1, 1]);
    assert.deepEqual(r.matched, [10, 5]);
    assert.deepEqual(r.haircut, [5 * 4 + 5 * 10, 50]);
    assert.equal(r.unmatched, 10);
  });

  it("matches the long side's bankrupt contracts only against its own list", () => {
    const r = run(b, 1, [3, 10], [1, 2]);
    assert.deepEqual(r.matched, [0, 7]);
    assert.deepEqual(r.haircut, [0, 70]);
  });
});
