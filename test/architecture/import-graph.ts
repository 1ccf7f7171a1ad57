import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The repo's import graph, read the way tsc reads it: every `import`, `export … from`
 * and `import()` (type-only ones too: they are knowledge that points somewhere),
 * resolved with the repo's tsconfig (NodeNext, `development` condition), so
 * `@marg/core/db` lands on `packages/core/src/db/index.ts` like any relative path.
 * Reads: the .ts files under the given roots. Writes: nothing.
 */
export interface ImportEdge {
  /** Repo-relative path of the importing file. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** Repo-relative path of the file it resolves to; undefined for node: and npm modules. */
  readonly to: string | undefined;
}

export interface ImportGraph {
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
}

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

function tsFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tsFilesUnder(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(full);
  }
  return found;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = path.join(REPO_ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT).options;
}

/** Reads every .ts file under `roots` (repo-relative folders) and resolves its imports. */
export function readImportGraph(roots: readonly string[]): ImportGraph {
  const options = compilerOptions();
  const cache = ts.createModuleResolutionCache(REPO_ROOT, (name) => name, options);
  const files = roots.flatMap((root) => tsFilesUnder(path.join(REPO_ROOT, root)));
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of info.importedFiles) {
      const { resolvedModule } = ts.resolveModuleName(specifier, file, options, ts.sys, cache);
      // A workspace package resolves through its node_modules link to the real file in the repo.
      const target = resolvedModule?.resolvedFileName;
      const local = target?.startsWith(REPO_ROOT) && !target.includes("/node_modules/");
      edges.push({
        from: path.relative(REPO_ROOT, file),
        specifier,
        to: local && target !== undefined ? path.relative(REPO_ROOT, target) : undefined,
      });
    }
  }
  return { files: files.map((file) => path.relative(REPO_ROOT, file)), edges };
}

/**
 * Every cycle, as the strongly connected components (Tarjan) of more than one
 * file, or of one file importing itself. Each is listed in a stable order.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph.edges) {
    if (to === undefined) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = (next.get(node) ?? []).includes(node);
    if (component.length > 1 || selfLoop) cycles.push(component.sort());
  };
  for (const node of graph.files) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}
