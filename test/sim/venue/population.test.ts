/**
 * The venue simulator's position population (src/sim/venue/population.ts).
 *
 * Independent checks: the notionals against the exact truncated-Pareto CDF
 * `F(x) = (1 − (min/x)^α)/(1 − (min/max)^α)` (Aban, Meerschaert & Panorska, JASA 2006, eq. 1) by a
 * Kolmogorov–Smirnov test at the 1 % level (critical value 1.628/√n, Smirnov's asymptotic
 * distribution), and the tail index by the Hill estimator (Hill, Ann. Stat. 3(5), 1975) on the top
 * 1,000 of 50,000 draws, whose standard error is α/√k ≈ 0.047; liquidation prices against the
 * account engine `liquidationPrices` (the Binance FAQ formula with the tier re-solve, itself checked
 * against Binance's worked examples in test/margin). test/fixtures/population.json, made by
 * `python3 scripts/reference/population.py`: truncated-Pareto quantiles from scipy.stats.truncpareto,
 * and the example mixture's leverage-band shares from scipy.stats.lognorm with the published
 * Hyperliquid shares they were fitted to.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InputError } from "../../../src/errors.js";
import { liquidationPrices } from "../../../src/margin/liquidation.js";
import { maintenanceMargin, tierFor } from "../../../src/margin/tiers.js";
import type { Position } from "../../../src/margin/types.js";
import { Xoshiro128 } from "../../../src/math/random.js";
import {
  drawPopulation,
  loadPopulation,
  type PerpPopulation,
  truncatedParetoQuantile,
} from "../../../src/sim/venue/population.js";
import { type PopulationSpec, readPopulationFile } from "../../../src/sim/venue/population-spec.js";
import { getVenue } from "../../../src/venues/index.js";

const venue = getVenue("binance-usdm");
const tiers = venue.tierTable("BTCUSDT").tiers;
const exampleJson = JSON.parse(readFileSync("examples/venue/population-btcusdt.json", "utf8")) as Record<
  string,
  unknown
>;
const example = readPopulationFile(exampleJson);
const spec: PopulationSpec = { ...example.spec, count: 20_000 };
const reference = JSON.parse(readFileSync("test/fixtures/population.json", "utf8")) as {
  truncatedPareto: { tailIndex: number; min: number; max: number; u: number[]; x: number[] }[];
  leverageBands: { edges: [number, number]; mixture: number[]; published: number[] };
};
const draw = (s: PopulationSpec, seed = 7) => drawPopulation(s, tiers, new Xoshiro128(seed));

/** Side open interest at the mark: Σ|q|·mark over the longs (sign 1) or the shorts (−1). */
function sideInterest(p: PerpPopulation, sign: number): number {
  let s = 0;
  for (let i = 0; i < p.length; i++)
    if (Math.sign(p.size[i] as number) === sign) s += Math.abs(p.size[i] as number);
  return s * (p.markPrice[0] as number);
}

/** The engine's liquidation price of position i, as an isolated account of its own. */
function engineLiquidationPrice(p: PerpPopulation, i: number): number | null {
  const position: Position = {
    instrument: venue.instrument("BTCUSDT", "symbol"),
    tiers,
    size: p.size[i] as number,
    entryPrice: p.entryPrice[i] as number,
    markPrice: p.markPrice[i] as number,
    positionSide: "BOTH",
    accruedFunding: 0,
    isolatedMargin: p.isolatedMargin[i] as number,
  };
  const [out] = liquidationPrices(
    { marginMode: "isolated", walletBalance: 0, positions: [position] },
    venue.rules,
  );
  return out?.liquidationPrice ?? null;
}

describe("drawPopulation", () => {
  const { population: p, scale } = draw(spec);

  it("is seeded: the same seed gives the same columns, another seed others", () => {
    const again = draw(spec).population;
    for (const key of ["size", "entryPrice", "isolatedMargin", "leverage", "liquidationPrice"] as const) {
      assert.deepEqual(again[key], p[key]);
    }
    assert.notDeepEqual(draw(spec, 8).population.size, p.size);
  });

  it("puts the stated open interest on each side and the stated share of longs", () => {
    assert.ok(Math.abs(sideInterest(p, 1) / spec.openInterest - 1) < 1e-12);
    assert.ok(Math.abs(sideInterest(p, -1) / spec.openInterest - 1) < 1e-12);
    const longs = p.size.filter((q) => q > 0).length;
    assert.equal(longs, Math.round(spec.count * spec.longShare));
    assert.ok(scale.long > 0 && scale.short > 0);
  });

  it("keeps every leverage within its bracket's maximum at the entry notional, and margins consistent", () => {
    let atCap = 0;
    for (let i = 0; i < p.length; i++) {
      const notional = p.notional[i] as number;
      const cap = tierFor(tiers, notional).maxLeverage;
      assert.ok((p.leverage[i] as number) <= cap, `position ${i}: ${p.leverage[i]} > ${cap}`);
      if ((p.leverage[i] as number) === cap) atCap++;
      assert.ok(
        Math.abs((p.isolatedMargin[i] as number) * (p.leverage[i] as number) - notional) <= 1e-9 * notional,
      );
      assert.ok(
        Math.abs(Math.abs(p.size[i] as number) * (p.entryPrice[i] as number) - notional) <= 1e-9 * notional,
      );
    }
    // Truncation by conditioning: no mass piles up at the cap (clipping would put it there).
    assert.equal(atCap, 0);
  });

  it("truncates leverage at the bracket even when the mixture lies mostly above it", () => {
    const high = draw({
      ...spec,
      count: 2000,
      openInterest: 2e8,
      leverage: [{ weight: 1, median: 200, sigma: 0.3 }],
    }).population;
    const ratios = new Float64Array(high.length);
    for (let i = 0; i < high.length; i++) {
      ratios[i] = (high.leverage[i] as number) / tierFor(tiers, high.notional[i] as number).maxLeverage;
    }
    ratios.sort();
    // Below the cap, never at it (clipping would put every draw there), mostly close to it
    // (the survivor redraw favours the lower draws a little).
    assert.ok((ratios[high.length - 1] as number) < 1);
    assert.ok((ratios[high.length >> 1] as number) > 0.8, `median ${ratios[high.length >> 1]}`);
  });

  it("holds only survivors: every position's equity at the mark exceeds its maintenance margin", () => {
    for (let i = 0; i < p.length; i++) {
      const q = p.size[i] as number;
      const mark = p.markPrice[i] as number;
      const equity = (p.isolatedMargin[i] as number) + q * (mark - (p.entryPrice[i] as number));
      assert.ok(equity > maintenanceMargin(tiers, Math.abs(q) * mark), `position ${i}`);
    }
  });

  it("gives the engine's liquidation price on a sample of positions", () => {
    for (let i = 0; i < p.length; i += 397) {
      const engine = engineLiquidationPrice(p, i);
      const batch = p.liquidationPrice[i] as number;
      if (engine === null) assert.ok(Number.isNaN(batch), `position ${i}`);
      else assert.ok(Math.abs(batch - engine) <= 1e-9 * engine, `position ${i}: ${batch} vs ${engine}`);
    }
  });

  it("draws notionals from the truncated Pareto: KS against the exact CDF", () => {
    const { tailIndex: a, min, max } = spec.notional;
    const mark = spec.markPrice;
    const xs = Float64Array.from(p.size.filter((q) => q > 0).map((q) => (q * mark) / scale.long)).sort();
    const n = xs.length;
    let d = 0;
    xs.forEach((x, i) => {
      const f = (1 - (min / x) ** a) / (1 - (min / max) ** a);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    });
    assert.ok(d < 1.628 / Math.sqrt(n), `D = ${d}`);
    // The same test catches a wrong tail index.
    let wrong = 0;
    xs.forEach((x, i) => {
      const f = (1 - (min / x) ** 1.3) / (1 - (min / max) ** 1.3);
      wrong = Math.max(wrong, Math.abs(f - (i + 1) / n));
    });
    assert.ok(wrong > 1.628 / Math.sqrt(n));
  });

  it("gives scipy's truncated-Pareto quantiles", () => {
    for (const c of reference.truncatedPareto) {
      c.u.forEach((u, j) => {
        const x = truncatedParetoQuantile(u, c.tailIndex, c.min, c.max);
        const want = c.x[j] as number;
        assert.ok(Math.abs(x - want) <= 1e-9 * want, `α ${c.tailIndex}, u ${u}: ${x} vs ${want}`);
      });
    }
  });

  it("draws the example's leverage bands: the mixture's shares, near the published ones", () => {
    const [low, high] = reference.leverageBands.edges;
    const counts = new Int32Array(3);
    for (const l of p.leverage) {
      const band = l < low ? 0 : l < high ? 1 : 2;
      counts[band] = (counts[band] as number) + 1;
    }
    counts.forEach((c, b) => {
      const share = c / p.length;
      // Four binomial standard errors (≤ 0.0036 at n = 20,000); the truncation at the brackets removes
      // almost nothing (first bracket 125×).
      assert.ok(
        Math.abs(share - (reference.leverageBands.mixture[b] as number)) < 0.015,
        `band ${b}: ${share}`,
      );
      assert.ok(
        Math.abs(share - (reference.leverageBands.published[b] as number)) < 0.015,
        `band ${b}: ${share}`,
      );
    });
  });

  it("recovers the tail index with the Hill estimator on a large sample", () => {
    const rng = new Xoshiro128(11);
    const n = 50_000;
    const k = 1000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = truncatedParetoQuantile(rng.next(), 1.5, 1, 1e12);
    xs.sort().reverse();
    let s = 0;
    for (let i = 0; i < k; i++) s += Math.log((xs[i] as number) / (xs[k] as number));
    assert.ok(Math.abs(k / s - 1.5) < 0.15, `Hill α = ${k / s}`);
  });

  it("keeps its invariants for any spec (fast-check)", () => {
    const specs = fc.record({
      tailIndex: fc.double({ min: 0.8, max: 3, noNaN: true }),
      min: fc.double({ min: 10, max: 1e5, noNaN: true }),
      ratio: fc.double({ min: 2, max: 1e4, noNaN: true }),
      longShare: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      median: fc.double({ min: 0.2, max: 300, noNaN: true }),
      sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
      volatility: fc.double({ min: 0, max: 3, noNaN: true }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(specs, (a) => {
        const s: PopulationSpec = {
          ...spec,
          count: 200,
          openInterest: 100 * a.min * 2,
          longShare: a.longShare,
          notional: { tailIndex: a.tailIndex, min: a.min, max: a.min * a.ratio },
          leverage: [
            { weight: 1, median: a.median, sigma: a.sigma },
            { weight: 0.5, median: 3, sigma: 0.4 },
          ],
          entry: { windowDays: 60, volatility: a.volatility },
        };
        const q = draw(s, a.seed).population;
        assert.ok(Math.abs(sideInterest(q, 1) / s.openInterest - 1) < 1e-9);
        assert.ok(Math.abs(sideInterest(q, -1) / s.openInterest - 1) < 1e-9);
        for (let i = 0; i < q.length; i++) {
          const size = q.size[i] as number;
          const mark = q.markPrice[i] as number;
          assert.ok((q.leverage[i] as number) <= tierFor(tiers, q.notional[i] as number).maxLeverage);
          const equity = (q.isolatedMargin[i] as number) + size * (mark - (q.entryPrice[i] as number));
          assert.ok(equity > maintenanceMargin(tiers, Math.abs(size) * mark));
          const liq = q.liquidationPrice[i] as number;
          if (size > 0) assert.ok(Number.isNaN(liq) || liq < mark);
          else assert.ok(liq > mark);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a bad spec naming the field", () => {
    const bad: [Partial<PopulationSpec>, string][] = [
      [{ count: 1 }, "count"],
      [{ longShare: 1 }, "longShare"],
      [{ openInterest: -1 }, "openInterest"],
      [{ notional: { tailIndex: 1.5, min: 10, max: 5 } }, "notional.max"],
      [{ notional: { tailIndex: 1.5, min: 1e8, max: 1.7e9 }, openInterest: 1e12 }, "notional.max"],
      [{ leverage: [{ weight: 1, median: 0, sigma: 1 }] }, "leverage[0].median"],
      [{ entry: { windowDays: -1, volatility: 0.5 } }, "entry.windowDays"],
    ];
    for (const [patch, field] of bad) {
      assert.throws(
        () => draw({ ...spec, count: 100, ...patch }),
        (e: unknown) => e instanceof InputError && e.field === field,
        field,
      );
    }
  });
});

describe("readPopulationFile", () => {
  it("reads the example: the venue's bundled tiers, the seed and the spec", () => {
    assert.equal(example.tiers, tiers);
    assert.equal(example.seed, 20_251_010);
    assert.deepEqual(example.spec.leverage[1], { weight: 0.5, median: 5.2, sigma: 0.5 });
    const { population } = drawPopulation(example.spec, example.tiers, new Xoshiro128(example.seed));
    assert.equal(population.length, 200_000);
  });

  it("refuses a bad file naming the field", () => {
    const { notional: _, ...noNotional } = exampleJson;
    const bad: [unknown, string][] = [
      [[], "population"],
      [noNotional, "notional"],
      [{ ...exampleJson, leverage: [{ weight: 1, median: 3, sigma: "0.5" }] }, "leverage[0].sigma"],
      [{ ...exampleJson, leverage: [] }, "leverage"],
      [{ ...exampleJson, count: 10.5 }, "count"],
      [{ ...exampleJson, seed: -1 }, "seed"],
      [{ ...exampleJson, entry: { windowDays: 30 } }, "entry.volatility"],
      [{ ...exampleJson, venue: "nowhere" }, "venue"],
    ];
    for (const [raw, field] of bad) {
      assert.throws(
        () => readPopulationFile(raw),
        (e: unknown) => e instanceof InputError && e.field === field,
        field,
      );
    }
  });
});

describe("loadPopulation", () => {
  const text = readFileSync("examples/venue/accounts-btcusdt.ndjson", "utf8");

  it("reads every isolated position of an NDJSON file into the columns", () => {
    const p = loadPopulation(text);
    assert.equal(p.length, 4);
    assert.deepEqual([...p.size], [0.5, -2, 30, -10]);
    assert.deepEqual([...p.isolatedMargin], [5900, 12350, 179_750, 61_000]);
    assert.deepEqual([...p.notional], [59_000, 247_000, 3_600_000, 1_220_000]);
    // The document's leverage where given, else notional / margin.
    assert.equal(p.leverage[0], 10);
    assert.equal(p.leverage[1], 20);
    for (let i = 0; i < p.length; i++) {
      const engine = engineLiquidationPrice(p, i);
      assert.ok(engine !== null && Math.abs((p.liquidationPrice[i] as number) - engine) <= 1e-9 * engine);
    }
  });

  it("reads a JSON array and a single document alike", () => {
    const docs = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(loadPopulation(JSON.stringify(docs)).size, loadPopulation(text).size);
    const one = loadPopulation(readFileSync("examples/isolated-btc.json", "utf8"));
    assert.equal(one.length, 1);
    assert.equal(one.leverage[0], 10);
  });

  it("refuses cross accounts, other symbols and bad fields, naming the field", () => {
    const cross = readFileSync("examples/cross-btc-eth.json", "utf8");
    assert.throws(
      () => loadPopulation(cross),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === "accounts[0].marginMode" &&
        /not supported yet/.test(e.message),
    );
    const eth = text.replace(
      /"BTCUSDT","size":-2,"entryPrice":123500/,
      '"ETHUSDT","size":-2,"entryPrice":4500',
    );
    assert.throws(
      () => loadPopulation(eth),
      (e: unknown) => e instanceof InputError && e.field === "accounts[1].positions[0].symbol",
    );
    const bad = text.replace('"entryPrice":123500', '"entryPrice":-1');
    assert.throws(
      () => loadPopulation(bad),
      (e: unknown) =>
        e instanceof InputError &&
        e.field === "accounts[1].positions[0].entryPrice" &&
        /positive/.test(e.message),
    );
    assert.throws(
      () => loadPopulation(`${text}{not json\n`),
      (e: unknown) => e instanceof InputError && e.field === "line 4",
    );
  });
});
