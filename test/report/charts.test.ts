/**
 * Chart output: every chart is well-formed XML (checked by the independent tiny parser in
 * xml-check.ts and by resvg's own XML parser, roxmltree), text is escaped, output is deterministic,
 * NaN breaks lines, long series are decimated under 1 MB with their spikes, and bad input raises
 * InputError naming the field.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Resvg } from "@resvg/resvg-js";
import fc from "fast-check";
import { InputError } from "../../src/errors.js";
import { barChart } from "../../src/report/bar.js";
import { depthChart } from "../../src/report/depth.js";
import { areaChart, lineChart } from "../../src/report/line.js";
import { scatterChart } from "../../src/report/scatter.js";
import { escapeXml } from "../../src/report/svg.js";
import type { LineChartSpec } from "../../src/report/types.js";
import { checkXml } from "./xml-check.js";

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Well-formed by our checker and parseable by resvg (which rejects malformed XML). */
function assertWellFormed(svg: string): string[] {
  const elements = checkXml(svg);
  assert.equal(elements[0], "svg");
  const r = new Resvg(svg, { font: { loadSystemFonts: false } });
  assert.ok(r.width > 0 && r.height > 0);
  return elements;
}

/** The `d` attributes of all <path> elements with a stroke but no fill. */
function linePaths(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<path d="([^"]*)" fill="none"/g)) out.push(m[1] ?? "");
  return out;
}

function volSpec(): LineChartSpec {
  const n = 500;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = T0 + i * HOUR;
    y[i] = 0.5 + 0.1 * Math.sin(i / 30);
  }
  y[100] = Number.NaN;
  return {
    title: 'BTC vol & "regimes" <2024>',
    series: [
      { name: "GARCH σ", x, y },
      { name: "realized", x, y: y.map((v) => v * 1.1), dashed: true, step: true },
    ],
    x: { scale: "time" },
    y: { title: "annualised vol (fraction)" },
    markers: [
      {
        name: "VaR exceptions",
        shape: "triangle-down",
        color: "#D55E00",
        points: [{ x: T0 + 200 * HOUR, y: 0.65, label: "loss > VaR" }],
      },
    ],
    bands: [{ from: T0 + 300 * HOUR, to: T0 + 340 * HOUR, label: "crash", color: "#ff0000" }],
    referenceLines: [{ y: 0.62, label: "threshold" }],
  };
}

describe("lineChart", () => {
  it("is well-formed, escapes text and is byte-identical across runs", () => {
    const svg = lineChart(volSpec());
    const elements = assertWellFormed(svg);
    assert.ok(elements.includes("clipPath") && elements.includes("title"));
    assert.ok(svg.includes("BTC vol &amp; &quot;regimes&quot; &lt;2024&gt;"));
    assert.ok(!svg.includes("<2024>"));
    assert.ok(svg.includes("GARCH σ"));
    assert.equal(lineChart(volSpec()), svg);
  });
  it("draws a time axis with UTC date labels", () => {
    const svg = lineChart(volSpec());
    // 500 hours ≈ 21 days: day or week ticks labelled YYYY-MM-DD.
    assert.match(svg, />2024-01-(0[2-9]|1\d|2\d)</);
    assert.ok(svg.includes("time (UTC)"));
  });
  it("breaks the line at NaN (one NaN → two subpaths)", () => {
    const svg = lineChart({ series: [{ name: "a", x: [0, 1, 2, 3, 4], y: [1, 2, Number.NaN, 2, 1] }] });
    const [d] = linePaths(svg);
    assert.equal((d ?? "").split("M").length - 1, 2);
    assert.equal((d ?? "").split("L").length - 1, 2);
  });
  it("keeps a 40 000-point series under 1 MB with its spike drawn at the top of the plot", () => {
    const n = 40_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = T0 + i * 60_000;
      y[i] = 100 + Math.sin(i / 100);
    }
    y[12_345] = 150;
    const svg = lineChart({ series: [{ name: "price", x, y }], x: { scale: "time" } });
    assert.ok(Buffer.byteLength(svg) < 1_000_000, `${Buffer.byteLength(svg)} bytes`);
    assertWellFormed(svg);
    const d = linePaths(svg)[0] ?? "";
    const ys = [...d.matchAll(/[ML][\d.-]+ ([\d.-]+)/g)].map((m) => Number(m[1]));
    assert.ok(ys.length <= 4 * 800, `${ys.length} points drawn`);
    // The spike is the smallest pixel y (top); the plot top is the clip rect's y.
    const top = Number(/<clipPath id="[^"]*"><rect x="[\d.]+" y="([\d.]+)"/.exec(svg)?.[1]);
    const highest = Math.min(...ys);
    assert.ok(Math.abs(highest - top) < 0.02 || highest > top, "spike outside plot");
    const restTop = Math.min(...ys.filter((v) => v !== highest));
    assert.ok(restTop - highest > 100, "spike flattened by decimation");
  });
  it("renders a constant series and a one-point series", () => {
    assertWellFormed(lineChart({ series: [{ name: "flat", x: [1, 2, 3], y: [0.4, 0.4, 0.4] }] }));
    assertWellFormed(lineChart({ series: [{ name: "one", x: [T0], y: [7] }], x: { scale: "time" } }));
  });
  it("supports a log y axis and rejects values ≤ 0 on it, naming the point", () => {
    const svg = lineChart({
      series: [{ name: "p", x: [0, 1, 2], y: [1, 100, 10_000] }],
      y: { scale: "log" },
    });
    assertWellFormed(svg);
    assert.ok(svg.includes(">100<"));
    assert.throws(
      () => lineChart({ series: [{ name: "p", x: [0, 1], y: [1, 0] }], y: { scale: "log" } }),
      (e: unknown) => e instanceof InputError && e.field === "series[0].y[1]",
    );
  });
  it("rejects empty input with InputError naming the field", () => {
    const isField = (field: string) => (e: unknown) => e instanceof InputError && e.field === field;
    assert.throws(() => lineChart({ series: [] }), isField("series"));
    assert.throws(() => lineChart({ series: [{ name: "a", x: [], y: [] }] }), isField("series[0].y"));
    assert.throws(() => lineChart({ series: [{ name: "a", x: [1, 2], y: [1] }] }), isField("series[0].x"));
    assert.throws(
      () => lineChart({ series: [{ name: "a", x: [1], y: [Number.NaN] }] }),
      isField("series[0].y"),
    );
    assert.throws(() => lineChart({ series: [{ name: "a", x: [1], y: [1] }], width: 50 }), isField("width"));
  });
  it("escapes arbitrary names into well-formed XML (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        (name, title) => {
          const svg = lineChart({
            title,
            series: [
              { name, x: [0, 1], y: [0, 1] },
              { name: `${name}2`, x: [0, 1], y: [1, 0] },
            ],
          });
          assertWellFormed(svg);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("escapeXml", () => {
  it("escapes the five predefined entities and replaces characters XML forbids", () => {
    assert.equal(escapeXml(`a<b & "c" 'd'>`), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    assert.equal(escapeXml("x\u0000y\u001Fz\uFFFF"), "x\uFFFDy\uFFFDz\uFFFD");
    assert.equal(escapeXml("lone \uD800 high"), "lone \uFFFD high");
    assert.equal(escapeXml("pair 😀 ok\ttab\n"), "pair 😀 ok\ttab\n");
  });
});

describe("areaChart and depthChart", () => {
  it("fills areas to the baseline, split at NaN gaps", () => {
    const svg = areaChart({ series: [{ name: "a", x: [0, 1, 2, 3, 4], y: [1, 2, Number.NaN, 2, 1] }] });
    assertWellFormed(svg);
    const fill = /<path d="([^"]*)" fill="#0072B2" fill-opacity/.exec(svg)?.[1] ?? "";
    assert.equal(fill.split("Z").length - 1, 2);
  });
  it("draws cumulative bid and ask depth as staircases in two colours", () => {
    const svg = depthChart({
      title: "BTC-PERP book",
      bids: { price: [100, 99, 98], size: [1, 2, 3] },
      asks: { price: [101, 102], size: [2, 5] },
    });
    assertWellFormed(svg);
    assert.ok(svg.includes('stroke="#009E73"') && svg.includes('stroke="#D55E00"'));
    // The y axis reaches the deepest cumulative size (6 bids, 7 asks).
    assert.ok(svg.includes(">7<") || svg.includes(">8<"));
  });
  it("rejects books that are not best-first, naming the level", () => {
    assert.throws(
      () => depthChart({ bids: { price: [99, 100], size: [1, 1] }, asks: { price: [101], size: [1] } }),
      (e: unknown) => e instanceof InputError && e.field === "bids.price[1]",
    );
    assert.throws(
      () => depthChart({ bids: { price: [], size: [] }, asks: { price: [], size: [] } }),
      InputError,
    );
  });
});

describe("barChart and scatterChart", () => {
  it("draws grouped bars with negative values below zero", () => {
    const svg = barChart({
      title: "P&L by venue",
      categories: ["Binance", "dYdX <v4>", "Aave"],
      series: [
        { name: "2023", values: [1, -2, 3] },
        { name: "2024", values: [2, Number.NaN, 1] },
      ],
    });
    const elements = assertWellFormed(svg);
    assert.ok(elements.includes("rect"));
    // 5 finite values → 5 bars (each a rect with a tooltip), the NaN leaves its slot empty.
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"><title>/g)];
    assert.equal(bars.length, 5);
    // The −2 bar starts at the zero line and reaches down; the +1 bar ends at the zero line.
    const zeroFromDown = Number(bars[1]?.[1]);
    const upBottom = Number(bars[0]?.[1]) + Number(bars[0]?.[2]);
    assert.ok(Math.abs(zeroFromDown - upBottom) < 0.02, `${zeroFromDown} vs ${upBottom}`);
    assert.ok(Math.abs(Number(bars[1]?.[2]) - 2 * Number(bars[0]?.[2])) < 0.05);
    assert.ok(svg.includes("dYdX &lt;v4&gt;"));
    assert.throws(() => barChart({ categories: ["a"], series: [{ name: "s", values: [1, 2] }] }), InputError);
  });
  it("draws points and a fitted curve on log–log axes", () => {
    const svg = scatterChart({
      series: [{ name: "fills", x: [1, 10, 100, 1000], y: [0.1, 0.3, 1.1, 3] }],
      curves: [{ name: "0.1·q^0.5", f: (q) => 0.1 * q ** 0.5 }],
      x: { scale: "log", title: "size (BTC)" },
      y: { scale: "log", title: "impact (bps)" },
    });
    assertWellFormed(svg);
    assert.equal((svg.match(/<circle /g) ?? []).length, 4 + 1); // 4 points + legend swatch
    const curve = linePaths(svg).find((d) => d.split("L").length > 100);
    assert.ok(curve !== undefined, "curve not drawn");
  });
});
