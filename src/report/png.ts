/**
 * Rasterising charts with resvg (https://github.com/yisibl/resvg-js, the Rust `resvg` renderer),
 * and writing a chart to a file whose extension picks the format.
 */
import { extname } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { InputError } from "../errors.js";
import { readNumber } from "../validate.js";
import { writeOutputFile } from "./output-file.js";

/** Options of {@link renderPng}. */
export interface PngOptions {
  /** Output width in px; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  widthPx?: number;
  /** Background colour (CSS). Default white. */
  background?: string;
  /** Load the machine's fonts (default true). With none installed, text is simply not drawn. */
  loadSystemFonts?: boolean;
  /** Extra font files (TTF/OTF) to load, e.g. a bundled font for machines without any. */
  fontFiles?: readonly string[];
}

/**
 * Renders SVG text to PNG bytes. Never fails for lack of fonts: resvg then skips text.
 *
 * @throws InputError for a width outside 16…20 000 px; resvg's own error for malformed SVG.
 */
export function renderPng(svg: string, options: PngOptions = {}): Buffer {
  const font: {
    loadSystemFonts: boolean;
    defaultFontFamily: string;
    sansSerifFamily: string;
    fontFiles?: string[];
  } = {
    loadSystemFonts: options.loadSystemFonts ?? true,
    defaultFontFamily: "DejaVu Sans",
    sansSerifFamily: "DejaVu Sans",
  };
  if (options.fontFiles !== undefined) font.fontFiles = [...options.fontFiles];
  const renderer = new Resvg(svg, {
    background: options.background ?? "#ffffff",
    font,
    fitTo:
      options.widthPx === undefined
        ? { mode: "original" }
        : {
            mode: "width",
            value: Math.round(readNumber(options.widthPx, "widthPx", { min: 16, max: 20_000 })),
          },
    logLevel: "off",
  });
  return renderer.render().asPng();
}

/** Output formats {@link writeChart} accepts, by file extension. */
export const CHART_EXTENSIONS = [".svg", ".png"] as const;

/** What {@link writeChart} wrote. */
export interface WrittenChart {
  path: string;
  format: "svg" | "png";
  bytes: number;
}

/**
 * Writes a chart to `path` as SVG (`.svg`) or PNG (`.png`, via {@link renderPng}); the extension
 * is case-insensitive.
 *
 * @throws InputError naming `--chart` for any other extension, or a path that cannot be written.
 */
export function writeChart(path: string, svg: string, options: PngOptions = {}): WrittenChart {
  const ext = extname(path).toLowerCase();
  if (ext === ".svg") {
    const bytes = Buffer.from(svg, "utf8");
    writeOutputFile(path, bytes, "--chart");
    return { path, format: "svg", bytes: bytes.length };
  }
  if (ext === ".png") {
    const png = renderPng(svg, options);
    writeOutputFile(path, png, "--chart");
    return { path, format: "png", bytes: png.length };
  }
  throw new InputError(
    "--chart",
    path,
    `has extension "${ext}", which is not a chart format`,
    `Use a file name ending in ${CHART_EXTENSIONS.join(" or ")}, e.g. --chart vol.svg.`,
  );
}
