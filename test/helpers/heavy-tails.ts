/**
 * Synthetic hourly candles whose log returns are Cauchy (a Student-t with ν = 1, scale 0.2 %),
 * seeded, each draw kept within the distribution's 0.5–99.5 % quantiles (|r| ≤ 0.127): tails too
 * heavy for any unit-variance Student-t (which needs ν > 2), so a GARCH-t fit on them ends with ν
 * on its floor 2 — a case the bundled history does not give.
 */
import { Xoshiro128 } from "../../src/math/random.js";

/** `n` closes from 30,000 with Cauchy log returns: r = 0.002·tan(π(u − ½)), u uniform in [0.005, 0.995). */
export function cauchyCloses(n: number, seed: number): Float64Array {
  const rng = new Xoshiro128(seed);
  const closes = new Float64Array(n);
  closes[0] = 30_000;
  for (let i = 1; i < n; i++) {
    const u = 0.005 + 0.99 * rng.next();
    closes[i] = (closes[i - 1] as number) * Math.exp(0.002 * Math.tan(Math.PI * (u - 0.5)));
  }
  return closes;
}

/** The closes as an hourly candle CSV headed `timestamp,open,high,low,close,volume` (ms, from 2024-01-01 UTC). */
export function candleCsv(closes: Float64Array): string {
  const start = Date.UTC(2024, 0, 1);
  const rows = Array.from(closes, (c, i) => {
    const open = i === 0 ? c : (closes[i - 1] as number);
    return `${start + i * 3_600_000},${open},${Math.max(open, c)},${Math.min(open, c)},${c},1`;
  });
  return ["timestamp,open,high,low,close,volume", ...rows, ""].join("\n");
}
