import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isVenueRevert, revertsOf, VenueRevertError } from "../../src/venues/revert.js";

describe("VenueRevertError", () => {
  it("message is `reason: explanation (detail)`, or `reason: detail` without an explanation", () => {
    const withExplanation = new VenueRevertError({
      venue: "maker",
      reason: "Clipper/too-expensive",
      explanation: "the current auction price is above the buyer's max",
      detail: "price 12 > max 10",
      field: "max",
    });
    assert.equal(
      withExplanation.message,
      "Clipper/too-expensive: the current auction price is above the buyer's max (price 12 > max 10)",
    );
    assert.equal(withExplanation.field, "max");
    assert.deepEqual(withExplanation.steps, []);
    const bare = new VenueRevertError({ venue: "dydx-v4", reason: "panic", detail: "TMMR is zero" });
    assert.equal(bare.message, "panic: TMMR is zero");
    assert.equal(bare.field, undefined);
    assert.equal(bare.name, "VenueRevertError");
  });

  it("isVenueRevert checks the venue and, when given, the reason", () => {
    const err = new VenueRevertError({ venue: "compound-v3", reason: "NotLiquidatable" });
    assert.equal(isVenueRevert(err, "compound-v3"), true);
    assert.equal(isVenueRevert(err, "compound-v3", "NotLiquidatable"), true);
    assert.equal(isVenueRevert(err, "compound-v3", "NotForSale"), false);
    assert.equal(isVenueRevert(err, "aave-v3"), false);
    assert.equal(isVenueRevert(new Error("NotLiquidatable"), "compound-v3"), false);
  });

  it("revertsOf builds one venue's reverts with its explanations", () => {
    const revert = revertsOf<"A" | "B">("drift-v2", { A: "a happened", B: "b happened" });
    const e = revert("B", "x = 1", "x");
    assert.equal(e.venue, "drift-v2");
    assert.equal(e.explanation, "b happened");
    assert.equal(e.message, "B: b happened (x = 1)");
    assert.equal(e.field, "x");
    assert.equal(revertsOf<"C">("drift-v2")("C").message, "C");
  });
});
