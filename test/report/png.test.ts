/**
 * PNG output through resvg: the bytes start with the PNG signature and the IHDR chunk carries the
 * requested size (PNG spec, W3C REC "Portable Network Graphics (PNG) Specification (Third
 * Edition)" §5.2 signature, §11.2.2 IHDR). Rendering with no fonts at all must still succeed, as on
 * a fresh CI machine. writeChart picks the format by extension and rejects others naming --chart.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { InputError } from "../../src/errors.js";
import { lineChart } from "../../src/report/line.js";
import { renderPng, writeChart } from "../../src/report/png.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk (bytes 16–23, big-endian). */
function ihdr(png: Uint8Array): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(Buffer.from(png.subarray(12, 16)).toString("ascii"), "IHDR");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const svg = lineChart({
  title: "vol",
  width: 640,
  height: 360,
  series: [{ name: "a", x: [0, 1, 2, 3], y: [0.2, 0.5, 0.3, 0.4] }],
});
const dir = mkdtempSync(join(tmpdir(), "liqopt-report-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("renderPng", () => {
  it("renders at the SVG's size without any font loaded", () => {
    const png = renderPng(svg, { loadSystemFonts: false });
    assert.deepEqual(ihdr(png), { width: 640, height: 360 });
  });
  it("scales to a requested width, keeping the aspect ratio", () => {
    const png = renderPng(svg, { widthPx: 1280, loadSystemFonts: false });
    assert.deepEqual(ihdr(png), { width: 1280, height: 720 });
    assert.throws(() => renderPng(svg, { widthPx: 0 }), InputError);
  });
});

describe("writeChart", () => {
  it("writes SVG text for .svg and a PNG for .png (extension case-insensitive)", () => {
    const s = writeChart(join(dir, "vol.svg"), svg);
    assert.equal(s.format, "svg");
    assert.equal(readFileSync(join(dir, "vol.svg"), "utf8"), svg);
    const p = writeChart(join(dir, "vol.PNG"), svg, { loadSystemFonts: false });
    assert.equal(p.format, "png");
    const bytes = readFileSync(join(dir, "vol.PNG"));
    assert.equal(bytes.length, p.bytes);
    assert.deepEqual(ihdr(bytes), { width: 640, height: 360 });
  });
  it("rejects other extensions with an InputError naming --chart and the accepted extensions", () => {
    for (const name of ["vol.jpg", "vol", "vol.svg.txt"]) {
      assert.throws(
        () => writeChart(join(dir, name), svg),
        (e: unknown) =>
          e instanceof InputError &&
          e.field === "--chart" &&
          e.message.includes(".svg") &&
          e.message.includes(".png"),
      );
    }
  });
});
