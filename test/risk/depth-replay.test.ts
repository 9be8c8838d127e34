/**
 * The 2025-10-10 depth calibration from the bundled files and its replay on a simulation's steps
 * (src/risk/depth-replay.ts). The calibration's numbers are checked against the numpy reference in
 * test/risk/depth-dynamics.test.ts; here: that the bundled entry point gives the same fit, and how the
 * measured minute scale is resampled.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { measuredDepthScale } from "../../src/risk/depth-dynamics.js";
import { crashDayDepth, replayDepthScale } from "../../src/risk/depth-replay.js";
import { assertRel } from "../helpers/close.js";
import { rejection } from "../helpers/rejection.js";

const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/depth-dynamics-2025-10-10.json", import.meta.url), "utf8"),
) as { fit: { n: number; phi: number; gamma: number } };
const NOON = Date.UTC(2025, 9, 10, 12);

describe("crashDayDepth", () => {
  it("is the reference's fit of 12:00 → 24:00, computed once", () => {
    const day = crashDayDepth();
    assert.equal(day.fit.n, fixture.fit.n);
    assertRel(day.fit.phi, fixture.fit.phi, 1e-9);
    assertRel(day.fit.gamma, fixture.fit.gamma, 1e-9);
    assert.equal(day.minutes.time[0], NOON);
    assert.equal(day.minutes.time.length, 720);
    assert.equal(crashDayDepth(), day);
  });
});

describe("replayDepthScale", () => {
  const { minutes } = crashDayDepth();
  const measured = measuredDepthScale(minutes);

  it("is the measured minute scale at 1-minute steps", () => {
    assert.deepEqual(replayDepthScale(minutes, NOON, 720), measured);
  });

  it("takes the minute each step starts in, and holds the last value past the window", () => {
    const five = replayDepthScale(minutes, NOON + 30_000, 150, 5);
    for (let s = 0; s < 144; s++) assert.equal(five[s], measured[5 * s]);
    for (let s = 144; s < 150; s++) assert.equal(five[s], measured[719]);
    const crash = replayDepthScale(minutes, Date.UTC(2025, 9, 10, 21, 20), 1);
    assert.ok((crash[0] as number) < 0.1, `21:20 scale ${crash[0]}`);
  });

  it("refuses a start outside the measured window", () => {
    assert.equal(rejection(() => replayDepthScale(minutes, Date.UTC(2025, 9, 10, 11), 10)).field, "fromMs");
    assert.equal(rejection(() => replayDepthScale(minutes, NOON, -1)).field, "steps");
  });
});
