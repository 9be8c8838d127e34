/**
 * `liqopt book`: what it costs to close a position of a given size into an order book — the walk
 * of a market order (fill price, slippage, levels), depth around the mid, the liquidation-cost
 * curve over sizes and, for a recording, the mean and stressed slippage over its snapshots.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../errors.js";
import { bitmexBookSnapshots } from "../market/bitmex-recording.js";
import type { AmountUnit, BookWalk } from "../market/book-walk.js";
import { resolveDataArgument } from "../market/bundled.js";
import { readDataFile } from "../market/data-file.js";
import { type OrderBook, orderBookFromCcxt } from "../market/orderbook.js";
import { depthChart, writeChart } from "../report/index.js";
import {
  type BookReport,
  type BookReportOptions,
  bookReport,
  type LoadedBooks,
} from "../risk/book-report.js";
import { formatNumber, formatPercent, readNumberOption, renderTable, toJson, writeOut } from "./io.js";
import { bundledNames, readChoiceOption } from "./market-options.js";

/** Reads `--book`: a bundled name, a ccxt `OrderBook` JSON file, or a BitMEX websocket recording. */
export function loadBooks(fileOrName: string, symbol: string, stepMs: number): LoadedBooks {
  const { path } = resolveDataArgument(fileOrName, "orderbook");
  const text = readDataFile(path, { field: "--book", fix: "Pass a readable book file." });
  if (text.trimStart().startsWith("{")) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new InputError(
        "--book",
        fileOrName,
        "is not valid JSON",
        "Pass ccxt's OrderBook JSON or a BitMEX recording.",
      );
    }
    return { source: path, kind: "ccxt", books: [orderBookFromCcxt(raw, { source: "--book" }).book] };
  }
  const books = bitmexBookSnapshots(text, symbol, stepMs);
  if (books.length === 0)
    throw new InputError(
      "--symbol",
      symbol,
      `has no order-book snapshot in ${path}`,
      "Pass a symbol the recording holds, e.g. XBTUSD.",
    );
  return { source: path, kind: "bitmex-recording", books };
}

/** The depth chart of the last book: cumulative quote size by price, bids and asks. */
export function bookChart(loaded: LoadedBooks, r: BookReport, maxDistanceBps: number): string {
  const book = loaded.books[loaded.books.length - 1] as OrderBook;
  const lo = r.mid * (1 - maxDistanceBps / 10_000);
  const hi = r.mid * (1 + maxDistanceBps / 10_000);
  const side = (price: Float64Array, size: Float64Array, keep: (p: number) => boolean) => {
    const p: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < price.length && keep(price[i] as number); i++) {
      const x = price[i] as number;
      p.push(x);
      // Quote value of the level: contracts × size (linear) or the contracts themselves (inverse, 1 USD each).
      s.push(
        book.contract.kind === "inverse"
          ? (size[i] as number) * book.contract.contractSize
          : (size[i] as number) * x * book.contract.contractSize,
      );
    }
    return { price: p, size: s };
  };
  return depthChart({
    title: `${r.symbol} depth within ${maxDistanceBps} bps of the mid ${formatNumber(r.mid)}${r.snapshotTime === null ? "" : ` (${r.snapshotTime})`}`,
    x: { title: "price" },
    y: { title: "cumulative size (quote currency)" },
    bids: side(book.bidPrice, book.bidSize, (p) => p >= lo),
    asks: side(book.askPrice, book.askSize, (p) => p <= hi),
  });
}

function renderBook(r: BookReport, unit: AmountUnit): string {
  const walk = (name: string, w: BookWalk) => [
    name,
    formatNumber(w.vwap),
    `${formatNumber(w.slippageBps, 2)} bps`,
    formatNumber(w.slippageQuote),
    String(w.levelsConsumed),
    formatNumber(w.worstPrice),
    w.exhausted ? `book exhausted: ${formatNumber(w.unfilled)} ${unit} unfilled` : "",
  ];
  const lines = [
    `${r.symbol} (${r.source}), book of ${r.snapshotTime ?? "unknown time"}: mid ${formatNumber(r.mid)}, spread ${formatNumber(r.spreadBps, 3)} bps`,
    renderTable(
      ["Within", "Bids (quote)", "Asks (quote)"],
      r.depth.map((d) => [`${d.distanceBps} bps`, formatNumber(d.bidQuote), formatNumber(d.askQuote)]),
      { rightAlign: [0, 1, 2] },
    ),
    `Market order of ${formatNumber(r.sell.requested)} ${unit}:`,
    renderTable(
      ["Side", "VWAP", "Slippage", "Slippage (quote)", "Levels", "Worst price", "Note"],
      [walk("sell (closes a long)", r.sell), walk("buy (closes a short)", r.buy)],
      { rightAlign: [1, 2, 3, 4, 5] },
    ),
    "Cost of closing at once (fee + slippage), fraction of the notional at mid:",
    renderTable(
      [`Size (${unit})`, "Long: cost", "Long: quote", "Short: cost", "Short: quote"],
      r.curve.map((c) => [
        formatNumber(c.size),
        formatPercent(c.long.totalFraction, 3) + (c.long.exhausted ? " (exhausted)" : ""),
        formatNumber(c.long.totalQuote),
        formatPercent(c.short.totalFraction, 3) + (c.short.exhausted ? " (exhausted)" : ""),
        formatNumber(c.short.totalQuote),
      ]),
      { rightAlign: [0, 1, 2, 3, 4] },
    ),
  ];
  if (r.overSnapshots !== null)
    lines.push(
      `Over ${r.snapshots} snapshots: sell slippage mean ${formatNumber(r.overSnapshots.sellMean * 1e4, 2)} bps, 90th pct ${formatNumber(r.overSnapshots.sellStressed * 1e4, 2)} bps; buy mean ${formatNumber(r.overSnapshots.buyMean * 1e4, 2)} bps, 90th pct ${formatNumber(r.overSnapshots.buyStressed * 1e4, 2)} bps`,
    );
  return lines.join("\n");
}

/** Registers `liqopt book`. */
export function registerBook(program: Command): void {
  program
    .command("book")
    .description("slippage and cost of closing a position into an L2 order book; depth around the mid")
    .option(
      "--book <file>",
      `ccxt OrderBook JSON, a BitMEX orderBookL2 recording, or a bundled set: ${bundledNames("orderbook")}`,
      "bitmex-xbtusd",
    )
    .option("--symbol <symbol>", "symbol in a recording", "XBTUSD")
    .option("--size <amount>", "order (position) size", "1000000")
    .option("--unit <unit>", "unit of --size: quote, base or contracts", "quote")
    .option("--fee-bps <bps>", "liquidation or taker fee, basis points of the notional", "5")
    .option("--step-ms <ms>", "recording: one snapshot per this many ms of receive time", "1000")
    .option("--json", "print one JSON object instead of tables")
    .option("--chart <file>", "also write the depth chart (.svg or .png)")
    .option("--chart-bps <bps>", "price range of the depth chart around the mid, bps", "100")
    .action((opts) => {
      const o: BookReportOptions = {
        size: readNumberOption(opts.size, "--size", {
          min: 0,
          exclusiveMin: true,
          fix: "Pass a positive size.",
        }),
        unit: readChoiceOption(opts.unit, "--unit", ["quote", "base", "contracts"] as const),
        feeRate:
          readNumberOption(opts.feeBps, "--fee-bps", {
            min: 0,
            max: 1000,
            fix: "Pass basis points, e.g. 5.",
          }) / 10_000,
        curveMultiples: [0.1, 0.25, 0.5, 1, 2, 5, 10],
        depthBps: [1, 5, 10, 25, 50, 100],
      };
      const stepMs = readNumberOption(opts.stepMs, "--step-ms", {
        min: 0,
        fix: "Pass milliseconds ≥ 0 (0: every message).",
      });
      const chartBps = readNumberOption(opts.chartBps, "--chart-bps", {
        min: 1,
        max: 5000,
        fix: "Pass 1 to 5000 bps.",
      });
      const loaded = loadBooks(opts.book, opts.symbol, stepMs);
      const report = bookReport(loaded, o);
      if (opts.chart !== undefined) writeChart(opts.chart, bookChart(loaded, report, chartBps));
      writeOut(opts.json === true ? toJson(report) : renderBook(report, o.unit));
    });
}
