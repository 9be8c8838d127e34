/** The USDⓈ-M symbols of the benchmark's cross accounts, with a mark near their 2024-10 prices. */
export const SYMBOLS: readonly { symbol: string; mark: number }[] = [
  { symbol: "BTCUSDT", mark: 67_000 },
  { symbol: "ETHUSDT", mark: 2_500 },
  { symbol: "SOLUSDT", mark: 170 },
  { symbol: "BNBUSDT", mark: 590 },
  { symbol: "XRPUSDT", mark: 0.52 },
  { symbol: "DOGEUSDT", mark: 0.14 },
  { symbol: "ADAUSDT", mark: 0.35 },
  { symbol: "AVAXUSDT", mark: 26 },
  { symbol: "LINKUSDT", mark: 11.5 },
  { symbol: "LTCUSDT", mark: 70 },
];
