/** The options the market commands pass to their library calls when given none (for tests that call them). */
import { VAR_METHODS } from "../../src/risk/var-report.js";

/** The options `liqopt var` passes when given none. */
export const VAR_DEFAULTS = {
  confidence: 0.99,
  horizon: 1,
  window: 1000,
  methods: VAR_METHODS,
  seed: 1,
  paths: 100_000,
  notional: null,
} as const;

/** The options `liqopt book` passes when given none. */
export const BOOK_DEFAULTS = {
  size: 1_000_000,
  unit: "quote",
  feeRate: 0.0005,
  curveMultiples: [0.1, 0.25, 0.5, 1, 2, 5, 10],
  depthBps: [1, 5, 10, 25, 50, 100],
} as const;
