/** The trader-side optimizer: P(liquidation), solvers, thresholds and their costs, policies, backtest. */
export * from "./monotone.js";
export * from "./path-bank.js";
export * from "./policy.js";
export * from "./stop-topup.js";
export * from "./trader-analysis.js";
export * from "./trader-backtest.js";
export * from "./trader-probability.js";
export * from "./trader-report.js";
export * from "./vol-models.js";
