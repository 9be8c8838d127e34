/**
 * GARCH fit timings (issue 4): `fit()` of src/vol/garch.ts for GARCH(1,1) and GJR-GARCH(1,1) with
 * normal and Student-t innovations on 2,000 real returns, and R's fGarch `garchFit` on the same
 * returns in the same run (`Rscript scripts/bench/garch_r.R`, skipped with a message when Rscript or
 * fGarch is missing). Goal: GARCH(1,1)-t under 20 ms and faster than R.
 *
 * The returns: the last 2,000 hourly percent log returns `100·ln(C_t/C_{t−1})` of the bundled
 * Binance BTCUSDT perpetual file (data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv, bars
 * 2024-01-26 20:00 → 2024-04-18 03:00 UTC).
 *
 * Standalone: `npx tsx bench/garch.ts [--time <ms>] [--json <file>]`; or call {@link benchGarch}.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { readCandleFile } from "../src/market/candles.js";
import { fit, type GarchDist, type GarchModel, percentReturns } from "../src/vol/garch.js";
import { logReturns } from "../src/vol/realized.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CANDLES = path.join(ROOT, "data/ohlcv/binance-perp_btcusdt_1h_2020-01_2024-04.csv");
const R_SCRIPT = path.join(ROOT, "scripts/bench/garch_r.R");
const RETURNS = 2_000;

const CASES: readonly { name: string; model: GarchModel; dist: GarchDist }[] = [
  { name: "garch-normal", model: "garch", dist: "normal" },
  { name: "garch-t", model: "garch", dist: "t" },
  { name: "gjr-normal", model: "gjr", dist: "normal" },
  { name: "gjr-t", model: "gjr", dist: "t" },
];

/** One timed case of liqopt's `fit`. */
export interface GarchBenchCase {
  readonly name: string;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly samples: number;
  /** ℓ of the fit, and the likelihood(+gradient) evaluations it took. */
  readonly loglikelihood: number;
  readonly evaluations: number;
  /**
   * ℓ of the fit with `stationary: false`, the problem fGarch solves (it does not impose
   * α + β + γ/2 < 1): the one to compare with R's ℓ. Not timed.
   */
  readonly loglikelihoodUnconstrained: number;
}

/** One timed case of R's `garchFit` (see scripts/bench/garch_r.R). */
export interface GarchRCase {
  readonly case: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly meanMs: number;
  /** fGarch's log-likelihood (−LLH). */
  readonly llh: number;
  readonly params: Readonly<Record<string, number>>;
}

/** Everything one run of {@link benchGarch} measured. */
export interface GarchBenchResult {
  readonly returns: number;
  readonly data: string;
  readonly cases: readonly GarchBenchCase[];
  /** R's timings, or why they were skipped. */
  readonly r:
    | { readonly generator: string; readonly cases: readonly GarchRCase[] }
    | { readonly skipped: string };
}

/** The last {@link RETURNS} hourly % log returns of the bundled BTCUSDT perpetual file. */
export function benchReturns(): Float64Array {
  const { series } = readCandleFile(CANDLES, { symbol: "BTCUSDT" });
  const close = series.close.subarray(series.close.length - RETURNS - 1);
  return percentReturns(logReturns(close));
}

function runR(csv: string, timeMs: number): Promise<GarchBenchResult["r"]> {
  return new Promise((resolve) => {
    execFile(
      "Rscript",
      [R_SCRIPT, csv, String(timeMs)],
      { maxBuffer: 1 << 20, timeout: 20 * timeMs + 120_000 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const why =
            (error as NodeJS.ErrnoException).code === "ENOENT"
              ? "Rscript not found on PATH (install R and r-cran-fgarch to time fGarch)"
              : `Rscript failed: ${stderr.trim() || error.message}`;
          resolve({ skipped: why });
          return;
        }
        const parsed = JSON.parse(stdout) as { generator: string; cases: GarchRCase[] };
        resolve({ generator: parsed.generator, cases: parsed.cases });
      },
    );
  });
}

/**
 * Times `fit` for each of GARCH/GJR × normal/t on {@link benchReturns} (tinybench, `timeMs` per
 * case), then R's fGarch on the same returns (`timeMs` per case as well).
 */
export async function benchGarch(timeMs: number): Promise<GarchBenchResult> {
  const returns = benchReturns();
  const bench = new Bench({
    name: "GARCH fit",
    time: timeMs,
    warmupTime: Math.min(500, timeMs),
    iterations: 5,
  });
  const fits = new Map<
    string,
    { loglikelihood: number; evaluations: number; loglikelihoodUnconstrained: number }
  >();
  for (const c of CASES) {
    const f = fit(returns, { model: c.model, dist: c.dist });
    const free = fit(returns, { model: c.model, dist: c.dist, stationary: false });
    fits.set(c.name, {
      loglikelihood: f.loglikelihood,
      evaluations: f.evaluations,
      loglikelihoodUnconstrained: free.loglikelihood,
    });
    bench.add(c.name, () => {
      fit(returns, { model: c.model, dist: c.dist });
    });
  }
  await bench.run();
  const cases = bench.tasks.map((task): GarchBenchCase => {
    const r = task.result;
    if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
    const f = fits.get(task.name) ?? {
      loglikelihood: Number.NaN,
      evaluations: 0,
      loglikelihoodUnconstrained: Number.NaN,
    };
    return {
      name: task.name,
      meanMs: r.latency.mean,
      medianMs: r.latency.p50,
      minMs: r.latency.min,
      samples: r.latency.samplesCount,
      ...f,
    };
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), "liqopt-garch-"));
  const csv = path.join(dir, "returns.csv");
  writeFileSync(csv, `${Array.from(returns, (r) => r.toPrecision(17)).join("\n")}\n`);
  try {
    const r = await runR(csv, timeMs);
    return { returns: returns.length, data: path.relative(ROOT, CANDLES), cases, r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the table of a {@link benchGarch} result. */
export function printGarchBench(result: GarchBenchResult): void {
  const rCases = "cases" in result.r ? result.r.cases : [];
  console.table(
    result.cases.map((c) => {
      const r = rCases.find((x) => x.case === c.name);
      return {
        case: c.name,
        "median ms": c.medianMs.toFixed(2),
        "min ms": c.minMs.toFixed(2),
        evaluations: c.evaluations,
        ℓ: c.loglikelihood.toFixed(4),
        "ℓ (stationary: false)": c.loglikelihoodUnconstrained.toFixed(4),
        "R median ms": r?.medianMs.toFixed(1) ?? "—",
        "R ℓ": r?.llh.toFixed(4) ?? "—",
        "R / ours": r !== undefined ? (r.medianMs / c.medianMs).toFixed(1) : "—",
      };
    }),
  );
  for (const c of result.cases) {
    const r = rCases.find((x) => x.case === c.name);
    // Same model, same mci start: ours must be no worse than fGarch (GJR's APARCH start differs).
    if (r !== undefined && c.name.startsWith("garch") && c.loglikelihoodUnconstrained < r.llh - 1e-4) {
      console.warn(`${c.name}: ℓ ${c.loglikelihoodUnconstrained} below fGarch's ${r.llh}`);
    }
  }
  if ("skipped" in result.r) console.log(`R fGarch skipped: ${result.r.skipped}`);
  else {
    console.log(
      `R reference: ${result.r.generator}. fGarch does not impose stationarity: compare its ℓ with` +
        ' "ℓ (stationary: false)"; GJR in R is APARCH(1,1) with δ = 2, whose mci start differs slightly.',
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { time: { type: "string" }, json: { type: "string" } } });
  const result = await benchGarch(Number(values.time ?? 2000));
  printGarchBench(result);
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
}
