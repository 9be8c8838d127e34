/**
 * The market of a replay beyond its trade closes (src/sim/venue/replay-market.ts): the mark from
 * Binance's 5-minute mark-price klines (the bar's close at its last minute, else the trade close held
 * inside the bar's range), the day's depth scale, fills at the trade price in the engine, and the
 * refusals of `path.mark` and `path.depth`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { crashDayDepth, replayDepthScale } from "../../../src/risk/depth-replay.js";
import { replayVenue } from "../../../src/sim/venue/engine.js";
import { markFromBars } from "../../../src/sim/venue/replay-market.js";
import { readScenario } from "../../../src/sim/venue/scenario.js";
import { simulateScenario } from "../../../src/sim/venue/scenario-report.js";
import { rejection } from "../../helpers/rejection.js";

const EXAMPLES = "examples/venue";
const readFile = (path: string) => readFileSync(join(EXAMPLES, path), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: test documents are patched freely
type Doc = Record<string, any>;
const replay = JSON.parse(readFile("replay-2025-10-10.json")) as Doc;
/** The replay example on a 4,000-position book with `path` patched. */
const withPath = (path: Doc): Doc => ({
  ...replay,
  population: { ...replay.population, count: 4000 },
  path: { ...replay.path, ...path },
});
const MIN = 60_000;

function refusal(raw: unknown): InputError {
  return rejection(() => readScenario(raw, readFile));
}

describe("markFromBars", () => {
  const bars = {
    time: Float64Array.of(0, 5 * MIN),
    low: Float64Array.of(95, 90),
    high: Float64Array.of(105, 100),
    close: Float64Array.of(101, 92),
  };
  it("takes the bar's close at its last minute and clamps the trade into the bar's range elsewhere", () => {
    const times = Float64Array.from({ length: 10 }, (_, i) => i * MIN);
    const trades = Float64Array.of(100, 110, 90, 104, 50, 95, 80, 101, 99, 0);
    assert.deepEqual([...markFromBars(times, trades, bars)], [100, 105, 95, 104, 101, 95, 90, 100, 99, 92]);
  });

  it("keeps every mark inside its bar's range (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 10, maxLength: 10 }),
        (t) => {
          const times = Float64Array.from({ length: 10 }, (_, i) => i * MIN);
          const m = markFromBars(times, Float64Array.from(t), bars);
          for (let i = 0; i < 10; i++) {
            const j = i < 5 ? 0 : 1;
            assert.ok(
              (m[i] as number) >= (bars.low[j] as number) && (m[i] as number) <= (bars.high[j] as number),
            );
          }
        },
      ),
    );
  });

  it("refuses a minute outside the bars, naming path.mark", () => {
    assert.throws(
      () => markFromBars(Float64Array.of(10 * MIN), Float64Array.of(1), bars),
      (e: unknown) => e instanceof InputError && e.field === "path.mark",
    );
  });
});

describe("a replay of 2025-10-10 with the day's mark and depth", () => {
  it("triggers on the mark-price series: inside each 5-minute bar's range, its close at the bar's last minute", () => {
    const s = readScenario(withPath({ mark: "mark-price-5m" }), readFile);
    assert.ok(s.path.kind === "replay" && s.path.trades !== undefined);
    // data/crashes/2025-10-10_binance-usdm_btcusdt_markprice_5m.csv, read independently here.
    const bar = new Map<number, number[]>();
    for (const line of readFileSync("data/crashes/2025-10-10_binance-usdm_btcusdt_markprice_5m.csv", "utf8")
      .trim()
      .split("\n")
      .slice(1)) {
      const c = line.split(",").map(Number);
      bar.set(c[0] as number, [c[4] as number, c[3] as number, c[5] as number]);
    }
    let clamped = 0;
    s.path.timesMs.forEach((t, i) => {
      const [low, high, close] = bar.get(t - (t % (5 * MIN))) ?? assert.fail(`no bar for ${t}`);
      const m = s.path.kind === "replay" ? (s.path.marks[i] as number) : Number.NaN;
      assert.ok(m >= (low as number) && m <= (high as number));
      if ((t / MIN) % 5 === 4) assert.equal(m, close);
      else if (s.path.kind === "replay" && m !== s.path.trades?.[i]) clamped++;
    });
    assert.ok(clamped > 0, "some trade closes lie outside their mark bar's range");
    // 21:19, the last minute of the 21:15 bar: the trade closed at 103,441.3, the mark at 104,393.2.
    const k = s.path.timesMs.indexOf(Date.parse("2025-10-10T21:19:00Z"));
    assert.equal(s.path.trades[k], 103441.3);
    assert.equal(s.path.marks[k], 104393.2);
  });

  it("fills at the trade closes: the report is the engine's replay with trades, not of the marks alone", async () => {
    const s = readScenario(withPath({ mark: "mark-price-5m" }), readFile);
    assert.ok(s.path.kind === "replay");
    const r = await simulateScenario(s);
    const direct = replayVenue(s.population, s.venue, s.path.marks, s.path.trades);
    const marksOnly = replayVenue(s.population, s.venue, s.path.marks);
    assert.deepEqual(r.replay?.totals, direct.totals);
    assert.notEqual(direct.totals.badDebtUsd, marksOnly.totals.badDebtUsd);
    assert.deepEqual(r.path, {
      kind: "replay",
      dataset: "btc-1m-2025-10-10",
      from: "2025-10-10T19:00:00.000Z",
      to: "2025-10-11T00:59:00.000Z",
      mark: "mark-price-5m",
      depth: "none",
    });
  });

  it("scales the impact by the day's measured depth, which thins the book and deepens the cascade", async () => {
    const s = readScenario(withPath({ depth: "bookdepth-2025-10-10" }), readFile);
    assert.ok(s.path.kind === "replay" && s.path.depthScale !== undefined);
    const expected = replayDepthScale(crashDayDepth().minutes, Date.UTC(2025, 9, 10, 19), s.steps, 1);
    assert.deepEqual([...s.path.depthScale], [...expected]);
    const thin = await simulateScenario(s);
    const calm = await simulateScenario(readScenario(withPath({}), readFile));
    const value = (r: typeof thin, key: string) => r.headline.find((h) => h.key === key)?.value ?? Number.NaN;
    assert.ok(value(thin, "liquidatedNotionalUsd") > value(calm, "liquidatedNotionalUsd"));
    assert.ok(Math.min(...(thin.replay?.mark ?? [])) < Math.min(...(calm.replay?.mark ?? [])));
  });

  it("refuses bad values naming path.mark or path.depth", () => {
    assert.equal(refusal(withPath({ mark: "index" })).field, "path.mark");
    assert.equal(refusal(withPath({ depth: "thin" })).field, "path.depth");
    const noImpact = { ...withPath({ depth: "bookdepth-2025-10-10" }), venue: { ...replay.venue } };
    delete noImpact.venue.impact;
    assert.equal(refusal(noImpact).field, "path.depth");
    const late = withPath({
      depth: "bookdepth-2025-10-10",
      from: "2025-10-11T02:00:00Z",
      to: "2025-10-11T03:00:00Z",
    });
    late.population.markPrice = 112_000;
    assert.match(refusal(late).field, /^path\.depth/);
    const hourly = withPath({
      replay: "btc-1h",
      mark: "mark-price-5m",
      from: "2024-03-01T00:00:00Z",
      to: "2024-03-02T00:00:00Z",
    });
    assert.equal(refusal(hourly).field, "path.mark");
    const cex = JSON.parse(readFile("cex-btcusdt.json")) as Doc;
    assert.equal(
      refusal({ ...cex, path: { ...cex.path, depth: "bookdepth-2025-10-10" } }).field,
      "path.depth",
    );
  });
});

describe("PerpVenue fills at the trade price", () => {
  it("is unchanged when the trades are the marks, and a lower trade price leaves more bad debt on a fall", () => {
    const s = readScenario(withPath({}), readFile);
    assert.ok(s.path.kind === "replay");
    const base = replayVenue(s.population, s.venue, s.path.marks);
    assert.deepEqual(
      replayVenue(s.population, s.venue, s.path.marks, s.path.marks.slice()).totals,
      base.totals,
    );
    const marks = s.path.marks;
    const lower = marks.map((x) => x * 0.995);
    const r = replayVenue(s.population, s.venue, marks, lower);
    assert.equal(r.totals.takenOver, base.totals.takenOver);
    assert.ok(r.totals.badDebtUsd > base.totals.badDebtUsd);
    assert.throws(
      () => replayVenue(s.population, s.venue, marks, lower.subarray(1)),
      (e: unknown) => e instanceof InputError && e.field === "trades",
    );
  });
});
