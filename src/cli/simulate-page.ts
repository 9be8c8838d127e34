/** The HTML page of a `liqopt simulate --report`: a title, a heading, the text report and the charts. */
import { escapeXml } from "../report/index.js";

/** The page: `<title>liqopt simulate{titleSuffix}</title>`, the heading, `text` preformatted, then `charts` (HTML). */
export function renderSimulatePage(
  titleSuffix: string,
  heading: string,
  text: string,
  charts: readonly string[],
): string {
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>liqopt simulate${escapeXml(titleSuffix)}</title>`,
    "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}pre{font-size:12px;overflow-x:auto}</style></head><body>",
    `<h1>${escapeXml(heading)}</h1>`,
    `<pre>${escapeXml(text)}</pre>`,
    ...charts,
    "</body></html>",
  ].join("\n");
}
