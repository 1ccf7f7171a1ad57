import { describe, expect, it } from "vitest";
import { CORE_LAYERS, coreFolderOf, isTestCode, layerOf } from "./core-layers.js";
import { findCycles, type ImportEdge, readImportGraph } from "./import-graph.js";
import { CROSS_PACKAGE_SRC_LEFT, packageOf, UPWARD_IMPORTS_LEFT } from "./imports-left.js";

// The whole repo's TypeScript, resolved as tsc resolves it (one read, shared by every check).
const graph = readImportGraph(["packages", "apps", "test", "bench", "scripts"]);
const sourceEdges = graph.edges.filter((edge) => /^(packages|apps)\/[^/]+\/src\//.test(edge.from));
const coreEdges = graph.edges.filter(
  (edge): edge is ImportEdge & { to: string } =>
    edge.to !== undefined && coreFolderOf(edge.from) !== undefined && coreFolderOf(edge.to) !== undefined,
);

/** Renders an edge the way a reader looks for it: `from -> folder`. */
const toFolder = (edge: { from: string; to: string }) => `${edge.from} -> ${coreFolderOf(edge.to)}`;

describe("imports point one way", () => {
  it("no file in packages/*/src or apps/*/src is part of an import cycle", () => {
    const files = new Set(sourceEdges.map((edge) => edge.from));
    const cycles = findCycles({ files: [...files], edges: sourceEdges });
    expect(cycles).toEqual([]);
  });

  it("every folder of core's src is in a layer", () => {
    const production = coreEdges.filter((edge) => !isTestCode(edge.from));
    const folders = new Set(production.map((edge) => coreFolderOf(edge.from) ?? ""));
    const unlayered = [...folders].filter((folder) => layerOf(folder) === undefined);
    expect(unlayered, "add the new folder to CORE_LAYERS in core-layers.ts").toEqual([]);
  });

  it("core's production code imports only its own layer and those below (or a listed exception)", () => {
    const upward = coreEdges
      .filter((edge) => !isTestCode(edge.from))
      .filter(
        (edge) => (layerOf(coreFolderOf(edge.to) ?? "") ?? 0) > (layerOf(coreFolderOf(edge.from) ?? "") ?? 0),
      )
      .map(toFolder);
    const listed = UPWARD_IMPORTS_LEFT.map((left) => `${left.from} -> ${left.to}`);
    expect(
      [...new Set(upward)].filter((edge) => !listed.includes(edge)),
      "new upward imports",
    ).toEqual([]);
    expect(
      listed.filter((edge) => !upward.includes(edge)),
      "exceptions that no longer occur: remove them from UPWARD_IMPORTS_LEFT",
    ).toEqual([]);
  });

  it("inside one layer, core's folders import each other without a cycle", () => {
    const sameLayer = coreEdges.filter((edge) => {
      const from = coreFolderOf(edge.from) ?? "";
      const to = coreFolderOf(edge.to) ?? "";
      return !isTestCode(edge.from) && from !== to && layerOf(from) === layerOf(to);
    });
    const folderEdges = sameLayer.map((edge) => ({
      from: coreFolderOf(edge.from) ?? "",
      specifier: edge.specifier,
      to: coreFolderOf(edge.to),
    }));
    const folders = CORE_LAYERS.flat();
    expect(findCycles({ files: folders, edges: folderEdges })).toEqual([]);
  });

  it("production code never imports test code", () => {
    const wrong = sourceEdges
      .filter((edge) => edge.to !== undefined && !isTestCode(edge.from) && isTestCode(edge.to))
      .map((edge) => `${edge.from} -> ${edge.to}`);
    expect(wrong).toEqual([]);
  });

  it("packages point one way: core knows no other package; deploy and the apps know only core", () => {
    const allowed: Readonly<Record<string, readonly string[]>> = {
      "packages/core": [],
      "packages/deploy": ["packages/core"],
      "apps/*": ["packages/core"],
      "packages/cli": ["packages/core", "packages/deploy", "apps/*"],
    };
    const kind = (pkg: string) => (pkg.startsWith("apps/") ? "apps/*" : pkg);
    const wrong = sourceEdges.flatMap((edge) => {
      const from = packageOf(edge.from);
      const to = edge.to === undefined ? undefined : packageOf(edge.to);
      if (from === undefined || to === undefined || from === to) return [];
      return (allowed[kind(from)] ?? []).includes(kind(to)) ? [] : [`${edge.from} -> ${to}`];
    });
    expect(wrong).toEqual([]);
  });

  it("no file reaches into another package's src/ by path: each package is imported by its exports", () => {
    const deep = graph.edges
      .filter((edge) => {
        if (edge.to === undefined) return false;
        const target = packageOf(edge.to);
        const byPath = edge.specifier.startsWith(".") || /^@marg\/[^/]+\/(src|dist)\//.test(edge.specifier);
        return target !== undefined && target !== packageOf(edge.from) && byPath;
      })
      .map((edge) => edge.from);
    const files = [...new Set(deep)].sort();
    const listed = CROSS_PACKAGE_SRC_LEFT.map((left) => left.file);
    expect(
      files.filter((file) => !listed.includes(file)),
      "import these through a subpath export",
    ).toEqual([]);
    expect(
      listed.filter((file) => !files.includes(file)),
      "exceptions that no longer occur: remove them from CROSS_PACKAGE_SRC_LEFT",
    ).toEqual([]);
  });
});
