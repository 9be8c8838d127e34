/**
 * SVG text primitives shared by every chart: XML escaping, deterministic number formatting,
 * the font stack and the default colour palette.
 *
 * Escaping follows XML 1.0 (W3C, 5th ed.) §2.4 "Character Data and Markup": `&` and `<` must be
 * escaped in text, and the quote that delimits an attribute value must be escaped inside it; we
 * escape all five predefined entities (§4.6) everywhere. Characters outside the XML 1.0 `Char`
 * production (§2.2: control characters other than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF)
 * cannot appear in a well-formed document at all, even as references, so they are replaced by
 * U+FFFD.
 */

/**
 * Generic font stack: common sans faces first, then the CSS generic `sans-serif`, so an SVG needs
 * no embedded or downloaded font. A renderer without any of them draws no text but still draws.
 */
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Helvetica, Arial, sans-serif";

/**
 * Default series colours: the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color
 * Universal Design"), darkest-first, without its yellow (too pale on white).
 */
const PALETTE: readonly string[] = [
  "#0072B2",
  "#D55E00",
  "#009E73",
  "#CC79A7",
  "#E69F00",
  "#56B4E9",
  "#000000",
];

/** The palette colour for series number `index` (cycling). */
export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length] ?? "#000000";
}

/** True for a UTF-16 code unit that may stand in an XML 1.0 document (§2.2 `Char`), surrogates aside. */
function isXmlCodeUnit(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c !== 0xfffe && c !== 0xffff);
}

/** Replaces characters XML forbids (control characters, lone surrogates, U+FFFE/U+FFFF) by U+FFFD. */
function replaceInvalidXml(text: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let ok = isXmlCodeUnit(c);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      ok = false;
    } else if (c >= 0xdc00 && c <= 0xdfff) ok = false;
    if (!ok) {
      out += `${text.slice(from, i)}\uFFFD`;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Escapes text for XML character data or a quoted attribute value: `& < > " '` become entity
 * references and characters that XML forbids become U+FFFD.
 *
 * @example escapeXml(`a<b & "c"`) === "a&lt;b &amp; &quot;c&quot;"
 */
export function escapeXml(text: string): string {
  return replaceInvalidXml(text).replace(/[&<>"']/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&apos;";
    }
  });
}

/**
 * A pixel coordinate as text, rounded to 0.01 px (finer than any renderer resolves), so the
 * output is short and the same input always gives the same bytes. `-0` prints as `0`.
 */
export function px(value: number): string {
  const r = Math.round(value * 100) / 100;
  return r === 0 ? "0" : String(r);
}

/** Options of {@link svgText}. */
export interface TextOptions {
  anchor?: "start" | "middle" | "end";
  sizePx?: number;
  bold?: boolean;
  color?: string;
  /** Rotation in degrees about the anchor point (−90 for a vertical axis title). */
  rotateDeg?: number;
  /** `dominant-baseline`-free vertical nudge in px (positive moves down). */
  dy?: number;
}

/** A `<text>` element with escaped content. */
export function svgText(x: number, y: number, content: string, options: TextOptions = {}): string {
  const parts = [`<text x="${px(x)}" y="${px(y)}"`];
  if (options.anchor !== undefined && options.anchor !== "start")
    parts.push(` text-anchor="${options.anchor}"`);
  if (options.sizePx !== undefined) parts.push(` font-size="${px(options.sizePx)}"`);
  if (options.bold === true) parts.push(` font-weight="bold"`);
  if (options.color !== undefined) parts.push(` fill="${escapeXml(options.color)}"`);
  if (options.dy !== undefined) parts.push(` dy="${px(options.dy)}"`);
  if (options.rotateDeg !== undefined) {
    parts.push(` transform="rotate(${px(options.rotateDeg)} ${px(x)} ${px(y)})"`);
  }
  parts.push(`>${escapeXml(content)}</text>`);
  return parts.join("");
}

/** Approximate rendered width of `text` in px for a sans face (0.6 em per character). */
export function textWidthPx(text: string, sizePx: number): number {
  return text.length * sizePx * 0.6;
}
