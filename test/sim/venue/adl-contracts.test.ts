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

describe("matchBankruptContracts", () => {
  const bankrupt = new BankruptContracts(4);
  bankrupt.add(-20, 200); // BitMEX's short: 20 contracts, 10 each from the mark of 640 to 650
  bankrupt.add(7, 70); // a bankrupt long: matched only against shorts
  bankrupt.add(-5, 20); // a second short, 4 a contract

  it("records sizes and gaps per contract, and the contracts of a side", () => {
    assert.deepEqual(Array.from(bankrupt.gap.subarray(0, bankrupt.count)), [10, 10, 4]);
    assert.equal(bankrupt.contracts(-1), 25);
    assert.equal(bankrupt.contracts(1), 7);
  });

  it("fills down the ranking, consuming the bankrupt closes of the side in order", () => {
    // Longs of 10, 20 and 30 contracts ranked 2nd, 1st and 3rd: the 1st takes the 20 of the first short
    // (gap 10), the 2nd takes 5 of the second (gap 4), the 3rd nothing.
    const r = run(bankrupt, -1, [10, 20, 30], [5, 9, 1]);
    assert.deepEqual(r.matched, [5, 20, 0]);
    assert.deepEqual(r.haircut, [20, 200, 0]);
    assert.equal(r.unmatched, 0);
  });

  it("a counterparty spanning two bankrupt closes pays each one's gap; ties keep input order", () => {
    const r = run(bankrupt, -1, [22, 30], [1, 1]);
    assert.deepEqual(r.matched, [22, 3]);
    assert.deepEqual(r.haircut, [20 * 10 + 2 * 4, 3 * 4]);
  });

  it("returns the contracts no counterparty was left to take", () => {
    const r = run(bankrupt, -1, [10, 5], [2, 1]);
    assert.deepEqual(r.matched, [10, 5]);
    assert.deepEqual(r.haircut, [100, 50]);
    assert.equal(r.unmatched, 10);
  });

  it("matches the long side's bankrupt contracts only against its own list", () => {
    const r = run(bankrupt, 1, [3, 10], [1, 2]);
    assert.deepEqual(r.matched, [0, 7]);
    assert.deepEqual(r.haircut, [0, 70]);
  });

  it("clear() empties the step's list", () => {
    const b = new BankruptContracts(1);
    b.add(-1, 1);
    b.clear();
    assert.equal(b.count, 0);
    assert.equal(b.contracts(-1), 0);
  });
});
