/**
 * Parameter sweeps of a venue scenario (issue 11, "parameter sweeps (grid and list) returning the
 * swept parameters beside each result; partial results when a run fails"): each point of the sweep
 * sets some fields of the scenario document — named by dotted JSON paths such as
 * `venue.insuranceFundUsd` or `population.leverage.0.median` — to its values; the patched document
 * is read again by {@link readScenario}, so every value is checked as in a file, and run by
 * {@link simulateScenario}. Every point runs on the same seed, path count and worker count, so all
 * points see the same random numbers (common random numbers: the differences between points are
 * the parameters', not the samples'). A point that fails — a value the reader refuses, or a run that
 * throws — becomes a `failed` entry with its message, and the other points are kept.
 */
import { InputError } from "../../errors.js";
import { isRecord } from "../../validate.js";
import { readScenario, type ScenarioFileReader } from "./scenario.js";
import { type ScenarioReport, type SimulateScenarioOptions, simulateScenario } from "./scenario-report.js";

/** One swept field and its values (a grid axis). */
export interface SweepAxis {
  /** Dotted JSON path of a field present in the scenario document. */
  readonly path: string;
  readonly values: readonly unknown[];
}

/** The values one point sets, by dotted path. */
export type SweepParameters = Readonly<Record<string, unknown>>;

/** One point of a sweep: its parameters beside its report, or the reason it failed. */
export type SweepPointResult =
  | { readonly parameters: SweepParameters; readonly report: ScenarioReport }
  | {
      readonly parameters: SweepParameters;
      /** The field the reader refused (null for a failure that names none) and the message. */
      readonly failed: { readonly field: string | null; readonly message: string };
    };

/** What {@link sweepScenario} returns: the shared run numbers and one entry per point, in order. */
export interface SweepReport {
  /** Seed and paths every point ran with (null: each point's scenario's own). */
  readonly seed: number | null;
  readonly paths: number | null;
  readonly points: readonly SweepPointResult[];
  /** Points that failed. */
  readonly failed: number;
}

/**
 * The grid of `axes`: their cross product, the first axis varying slowest.
 *
 * @throws InputError for no axis, an axis without values, or a path given twice.
 */
export function sweepGrid(axes: readonly SweepAxis[]): SweepParameters[] {
  if (axes.length === 0) throw new InputError("sweep", axes, "has no axis", "Give at least one path=values.");
  const seen = new Set<string>();
  let points: Record<string, unknown>[] = [{}];
  for (const axis of axes) {
    if (seen.has(axis.path)) {
      throw new InputError("sweep", axis.path, "is swept twice", "Give each path once, with all its values.");
    }
    seen.add(axis.path);
    if (axis.values.length === 0) {
      throw new InputError(axis.path, axis.values, "has no value to sweep", "Give values: path=v1,v2.");
    }
    points = points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.path]: v })));
  }
  return points;
}

/**
 * Runs `document` (a parsed scenario, its files read by `readFile`) once per point of `points`, each
 * with the point's fields set, on the same seed and paths (`options`, else the document's), and
 * returns each point's parameters beside its {@link ScenarioReport} or its failure.
 *
 * @throws InputError before any run when there is no point or a path names no field of `document`
 * (the error lists the fields there are); a value the reader refuses fails only its point.
 */
export async function sweepScenario(
  document: unknown,
  points: readonly SweepParameters[],
  readFile: ScenarioFileReader,
  options: SimulateScenarioOptions = {},
): Promise<SweepReport> {
  if (points.length === 0) throw new InputError("sweep", points, "has no point", "Give at least one point.");
  points.forEach((point, i) => {
    if (!isRecord(point) || Object.keys(point).length === 0) {
      throw new InputError(`sweep[${i}]`, point, "must set at least one field", 'Give {"venue.x": value}.');
    }
    for (const path of Object.keys(point)) checkSweepPath(document, path);
  });
  const results: SweepPointResult[] = [];
  for (const parameters of points) {
    try {
      const patched = structuredClone(document);
      for (const [path, value] of Object.entries(parameters)) setPath(patched, path, value);
      const report = await simulateScenario(readScenario(patched, readFile), options);
      results.push({ parameters, report });
    } catch (err) {
      const field = err instanceof InputError ? err.field : null;
      const message = err instanceof Error ? err.message : String(err);
      results.push({ parameters, failed: { field, message } });
    }
  }
  return {
    seed: options.seed ?? null,
    paths: options.paths ?? null,
    points: results,
    failed: results.filter((r) => "failed" in r).length,
  };
}

/** The segments of a dotted path. */
function segments(path: string): string[] {
  return path.split(".");
}

/**
 * Checks that `path` names a field present in `document` (objects by key, arrays by index).
 *
 * @throws InputError naming the path and listing the fields where it went astray.
 */
function checkSweepPath(document: unknown, path: string): void {
  let node: unknown = document;
  let walked = "";
  for (const key of segments(path)) {
    const here = walked === "" ? "the scenario" : walked;
    const present = isRecord(node)
      ? Object.hasOwn(node, key)
      : Array.isArray(node) && /^\d+$/.test(key) && Number(key) < node.length;
    if (!present) {
      const fields = isRecord(node)
        ? Object.keys(node).join(", ")
        : Array.isArray(node)
          ? `indices 0–${node.length - 1}`
          : "none (a value)";
      throw new InputError(
        "sweep",
        path,
        `names no field of the scenario: ${here} has no "${key}" (its fields: ${fields})`,
        "Sweep a field written in the scenario file (add an optional one to the file first).",
      );
    }
    node = (node as Record<string, unknown>)[key];
    walked = walked === "" ? key : `${walked}.${key}`;
  }
}

/** Sets the field at a checked `path` of `document` to `value`. */
function setPath(document: unknown, path: string, value: unknown): void {
  const keys = segments(path);
  let node = document as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1] as string] = value;
}
