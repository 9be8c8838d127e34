/**
 * The market data bundled under `data/` (provenance in `data/PROVENANCE.md` and each folder's
 * `PROVENANCE.md`), addressed by short names so that the CLI's defaults and examples run offline.
 */
import { fileURLToPath } from "node:url";
import type { FundingRateUnit } from "./funding.js";

/** A bundled data set: its short name, its kind and its path under `data/`. */
export interface BundledDataset {
  readonly name: string;
  readonly kind: "candles" | "funding" | "orderbook" | "book-depth" | "options" | "volatility-index";
  readonly path: string;
  /** The market's symbol, for files that do not carry one. */
  readonly symbol: string;
  readonly description: string;
  /** For funding files of bare `[time, rate]` pairs: the unit of the rate. */
  readonly rateUnit?: FundingRateUnit;
}

/** The bundled data sets with a short name (the files themselves may hold more). */
export const BUNDLED_DATASETS: readonly BundledDataset[] = [
  {
    name: "btc-1d",
    kind: "candles",
    symbol: "BTCUSDT",
    path: "ohlcv/binance-spot_btcusdt_1d_2017-08_2026-03.csv",
    description: "Binance spot BTCUSDT daily, 2017-08-17 → 2026-03-30 (CryptoDataDownload)",
  },
  {
    name: "eth-1d",
    kind: "candles",
    symbol: "ETHUSDT",
    path: "ohlcv/binance-spot_ethusdt_1d_2017-08_2026-03.csv",
    description: "Binance spot ETHUSDT daily, 2017-08-17 → 2026-03-30 (CryptoDataDownload)",
  },
  {
    name: "sol-1d",
    kind: "candles",
    symbol: "SOLUSDT",
    path: "ohlcv/binance-spot_solusdt_1d_2020-08_2026-03.csv",
    description: "Binance spot SOLUSDT daily, 2020-08-11 → 2026-03-30 (CryptoDataDownload)",
  },
  {
    name: "btc-1h",
    kind: "candles",
    symbol: "BTCUSDT",
    path: "ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv",
    description: "Binance USDⓈ-M BTCUSDT perpetual hourly, 2020-01-01 → 2024-04-18",
  },
  {
    name: "eth-1h",
    kind: "candles",
    symbol: "ETHUSDT",
    path: "ohlcv/binance-perp_ethusdt_1h_2020-01_2024-04.csv",
    description: "Binance USDⓈ-M ETHUSDT perpetual hourly, 2020-01-01 → 2024-04-18",
  },
  {
    name: "sol-1h",
    kind: "candles",
    symbol: "SOLUSDT",
    path: "ohlcv/binance-perp_solusdt_1h_2020-09_2024-04.csv",
    description: "Binance USDⓈ-M SOLUSDT perpetual hourly, 2020-09-14 → 2024-04-18",
  },
  {
    name: "btc-1m-2025-10-10",
    kind: "candles",
    symbol: "BTCUSDT",
    path: "crashes/2025-10-10_binance-usdm_btcusdt_1m.csv",
    description: "Binance USDⓈ-M BTCUSDT perpetual 1-minute, 2025-10-10 12:00 → 2025-10-11 12:00 (the crash)",
  },
  {
    name: "btc-funding-8h",
    kind: "funding",
    symbol: "BTCUSDT",
    path: "funding/binance_btcusdt_funding-8h_spot-perp-open_2019-09_2024-05.csv",
    description: "Binance BTCUSDT perpetual funding at each 8 h settlement, 2019-09-10 → 2024-05-15",
  },
  {
    name: "btc-funding-8h-recent",
    kind: "funding",
    symbol: "BTCUSDT",
    path: "funding/binance_btcusdt_funding-8h-percent_2022-11_2025-11.json",
    description: "Binance BTCUSDT 8 h funding from /fapi/v1/fundingRate (percent), 2022-11-03 → 2025-11-12",
    rateUnit: "percent",
  },
  {
    name: "btc-funding-daily",
    kind: "funding",
    symbol: "BTCUSDT",
    path: "funding/binance_btcusdt_funding-daily-mean_2019-09_2026-02.csv",
    description: "Daily mean of Binance BTCUSDT 8 h funding, 2019-09-10 → 2026-02-12",
  },
  {
    name: "bitmex-xbtusd",
    kind: "orderbook",
    symbol: "XBTUSD",
    path: "orderbook/bitmex_orderbookL2-ws-recording_XBTUSD-and-others_2021-07-22.txt",
    description:
      "BitMEX orderBookL2 websocket recording (snapshot + 30 s of updates), XBTUSD and 9 others, 2021-07-22",
  },
  {
    name: "btc-bookdepth-2025-10-10",
    kind: "book-depth",
    symbol: "BTCUSDT",
    path: "crashes/2025-10-10_binance-usdm_btcusdt_bookdepth.csv",
    description:
      "Binance USDⓈ-M BTCUSDT bookDepth (cumulative depth within ±1…5 %, every ~30 s), 2025-10-10 (crash day)",
  },
  {
    name: "deribit-btc",
    kind: "options",
    symbol: "BTC",
    path: "options/deribit_btc_option-chain_2025-12-05.csv",
    description: "Deribit BTC option chain snapshot, 2025-12-05 01:10 UTC",
  },
  {
    name: "deribit-eth",
    kind: "options",
    symbol: "ETH",
    path: "options/deribit_eth_option-chain_2024-01-08.csv",
    description: "Deribit ETH option chain snapshot, 2024-01-08 11:19 UTC",
  },
  {
    name: "btc-dvol",
    kind: "volatility-index",
    symbol: "BTC-DVOL",
    path: "options/deribit_btc_dvol-daily-close_2022-11_2025-11.json",
    description: "Deribit BTC DVOL daily close, 2022-11-06 → 2025-11-12",
  },
];

/** Absolute path of a file under `data/` (resolved from this module, in `src/` and `dist/`). */
export function bundledPath(relativePath: string): string {
  return fileURLToPath(new URL(`../../data/${relativePath}`, import.meta.url));
}

/** The bundled data set called `name`, or undefined. */
export function bundledDataset(name: string): BundledDataset | undefined {
  return BUNDLED_DATASETS.find((d) => d.name === name);
}

/**
 * A file argument: the path of a bundled data set when `fileOrName` is one of their short names
 * (and of the kind asked for), else `fileOrName` itself.
 */
export function resolveDataArgument(
  fileOrName: string,
  kind: BundledDataset["kind"],
): { readonly path: string; readonly dataset?: BundledDataset } {
  const d = bundledDataset(fileOrName);
  return d !== undefined && d.kind === kind
    ? { path: bundledPath(d.path), dataset: d }
    : { path: fileOrName };
}

/** UTC days of the crashes the reports single out (research note quant.md §4). */
export const CRASH_DAYS: readonly {
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
}[] = [
  { label: "2020-03-12 (Black Thursday)", fromMs: Date.UTC(2020, 2, 12), toMs: Date.UTC(2020, 2, 14) },
  { label: "2021-05-19", fromMs: Date.UTC(2021, 4, 19), toMs: Date.UTC(2021, 4, 20) },
  { label: "2022-05 (LUNA)", fromMs: Date.UTC(2022, 4, 7), toMs: Date.UTC(2022, 4, 13) },
  { label: "2022-11 (FTX)", fromMs: Date.UTC(2022, 10, 7), toMs: Date.UTC(2022, 10, 11) },
  { label: "2024-08-05", fromMs: Date.UTC(2024, 7, 5), toMs: Date.UTC(2024, 7, 6) },
  { label: "2025-10-10", fromMs: Date.UTC(2025, 9, 10), toMs: Date.UTC(2025, 9, 11) },
];
