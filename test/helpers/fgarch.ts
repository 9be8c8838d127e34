/**
 * fGarch's names of the GARCH(1,1) coefficients (`garchFit(...)@fit$par`, `se.coef`) against ours,
 * for reading the fixtures made by scripts/reference/garch_*.R.
 */
export const FGARCH_COEFFICIENTS = [
  ["mu", "mu"],
  ["omega", "omega"],
  ["alpha", "alpha1"],
  ["beta", "beta1"],
  ["nu", "shape"],
] as const;
