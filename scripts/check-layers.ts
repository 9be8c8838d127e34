/**
 * The layering check of `shared/docs/design.md` ("lower layers never import higher ones"), run in CI:
 *
 *   npx tsx scripts/check-layers.ts            # exits 1 and lists every violation
 *
 * Every module under `src/` belongs to the layer of its top-level folder (`src/venues/aave-v3/x.ts` is in
 * `venues`); `src/errors.ts` and `src/validate.ts` sit below every layer, the root `src/index.ts` (the
 * public entry) above every layer but the front ends. A module may import its own layer and lower ones;
 * two folders of the same rank may import each other's modules, but the folder graph must have no cycle.
 * Imports are read with TypeScript's own pre-processor (static, `export … from`, `import type`, dynamic
 * `import("…")`), so comments and strings do not count.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/**
 * Rank of each layer, lowest first, as the design orders them:
 * `math` ← `market`, `margin` ← `venues` ← `vol`, `risk` ← `sim` ← `optimize` ← `adjust`, `monitor`
 * ← `report`, `store` ← `cli`, `server`. The root modules are `base` (errors, validation) and `index`.
 */
export const LAYER_RANK: Readonly<Record<string, number>> = {
  base: 0,
  math: 1,
  market: 2,
  margin: 2,
  venues: 3,
  vol: 4,
  risk: 4,
  sim: 5,
  optimize: 6,
  adjust: 7,
  monitor: 7,
  report: 8,
  store: 8,
  index: 9,
  cli: 10,
  server: 10,
};

/** One import that breaks the layering, or one folder cycle. */
export interface LayerViolation {
  readonly kind: "upward import" | "unknown layer" | "folder cycle";
  readonly message: string;
}

/** The layer of a module, from its path relative to `src/` (forward slashes). */
export function layerOf(modulePath: string): string {
  const parts = modulePath.split("/");
  if (parts.length === 1) {
    const file = parts[0] ?? "";
    return file === "index.ts" ? "index" : "base";
  }
  return parts[0] ?? "";
}

/**
 * Checks a module graph: `imports` maps each module (path relative to `src/`) to the modules it
 * imports (same form; imports outside `src/` are left out by the caller). Returns every upward import,
 * every module in a folder that has no rank, and every cycle among folders.
 */
export function checkLayers(imports: ReadonlyMap<string, readonly string[]>): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const folderEdges = new Map<string, Set<string>>();
  for (const [from, targets] of imports) {
    const fromLayer = layerOf(from);
    const fromRank = LAYER_RANK[fromLayer];
    if (fromRank === undefined) {
      violations.push({
        kind: "unknown layer",
        message: `src/${from}: folder '${fromLayer}' has no place in the layer order (add it to LAYER_RANK and to the design)`,
      });
      continue;
    }
    for (const to of targets) {
      const toLayer = layerOf(to);
      const toRank = LAYER_RANK[toLayer];
      if (toRank === undefined) continue; // reported when `to` itself is checked
      if (toRank > fromRank) {
        violations.push({
          kind: "upward import",
          message: `src/${from} imports src/${to}: layer '${fromLayer}' may not import the higher layer '${toLayer}'`,
        });
      }
      if (toLayer !== fromLayer) {
        const edges = folderEdges.get(fromLayer) ?? new Set<string>();
        edges.add(toLayer);
        folderEdges.set(fromLayer, edges);
      }
    }
  }
  for (const cycle of folderCycles(folderEdges)) {
    violations.push({ kind: "folder cycle", message: `folders import each other: ${cycle.join(" → ")}` });
  }
  return violations;
}

/** Each elementary cycle reachable in a small directed graph, once, as a closed path (a → b → a). */
function folderCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (path: string[]): void => {
    const last = path[path.length - 1] ?? "";
    for (const next of edges.get(last) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = path.slice(at);
        const key = [...cycle].sort().join(",");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else {
        visit([...path, next]);
      }
    }
  };
  for (const start of [...edges.keys()].sort()) visit([start]);
  return cycles;
}

/** Every `.ts` file below `dir`, as paths relative to `root` with forward slashes. */
function listModules(dir: string, root: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listModules(path, root);
    return entry.name.endsWith(".ts") ? [relative(root, path).split(sep).join("/")] : [];
  });
}

/** The module graph of a source tree: relative imports resolved to `.ts` paths under `srcDir`. */
export function readModuleGraph(srcDir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const module of listModules(srcDir, srcDir)) {
    const text = readFileSync(join(srcDir, module), "utf8");
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) =>
        relative(srcDir, resolve(dirname(join(srcDir, module)), name))
          .split(sep)
          .join("/"),
      )
      .filter((path) => !path.startsWith(".."))
      .map((path) => path.replace(/\.js$/, ".ts"));
    graph.set(module, targets);
  }
  return graph;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const srcDir = fileURLToPath(new URL("../src", import.meta.url));
  const graph = readModuleGraph(srcDir);
  const violations = checkLayers(graph);
  for (const v of violations) console.error(`${v.kind}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`layers: ${violations.length} violation(s) in ${graph.size} modules`);
    process.exit(1);
  }
  const ranks = [...new Set(Object.values(LAYER_RANK))].map((rank) =>
    Object.keys(LAYER_RANK).filter((layer) => LAYER_RANK[layer] === rank),
  );
  console.log(`layers: ok (${graph.size} modules; ${ranks.map((r) => r.join(", ")).join(" ← ")})`);
}
