/**
 * The layering check (scripts/check-layers.ts) against the layer order of shared/docs/design.md:
 * synthetic graphs for each kind of violation, and the real source tree, which must pass.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkLayers, layerOf, readModuleGraph } from "../../scripts/check-layers.js";

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe("layering check", () => {
  test("a module's layer is its top folder; root modules are base or the public entry", () => {
    assert.equal(layerOf("venues/aave-v3/health.ts"), "venues");
    assert.equal(layerOf("errors.ts"), "base");
    assert.equal(layerOf("index.ts"), "index");
  });

  test("imports of the same or a lower layer pass", () => {
    const v = checkLayers(
      graph({
        "sim/run.ts": ["margin/batch.ts", "math/random.ts", "sim/stats.ts", "errors.ts"],
        "cli/main.ts": ["index.ts", "sim/run.ts"],
        "index.ts": ["sim/run.ts"],
      }),
    );
    assert.deepEqual(v, []);
  });

  test("an upward import is named with both modules and both layers", () => {
    const v = checkLayers(graph({ "margin/account.ts": ["venues/index.ts"], "venues/index.ts": [] }));
    assert.equal(v.length, 1);
    assert.equal(v[0]?.kind, "upward import");
    assert.match(v[0]?.message ?? "", /src\/margin\/account\.ts imports src\/venues\/index\.ts/);
  });

  test("folders of one rank may import each other, but not in a cycle", () => {
    const oneWay = checkLayers(graph({ "risk/var.ts": ["vol/garch.ts"], "vol/garch.ts": [] }));
    assert.deepEqual(oneWay, []);
    const cycle = checkLayers(graph({ "risk/var.ts": ["vol/garch.ts"], "vol/garch.ts": ["risk/var.ts"] }));
    assert.equal(cycle.length, 1);
    assert.equal(cycle[0]?.kind, "folder cycle");
    assert.match(cycle[0]?.message ?? "", /risk → vol → risk/);
  });

  test("a folder outside the layer order is reported", () => {
    const v = checkLayers(graph({ "widgets/x.ts": ["math/random.ts"] }));
    assert.equal(v[0]?.kind, "unknown layer");
  });

  test("the source tree keeps the layering", () => {
    const src = fileURLToPath(new URL("../../src", import.meta.url));
    const modules = readModuleGraph(src);
    assert.ok(modules.size > 50, `only ${modules.size} modules read`);
    assert.ok((modules.get("cli/main.ts") ?? []).length > 0, "cli/main.ts has imports");
    assert.deepEqual(checkLayers(modules), []);
  });
});
