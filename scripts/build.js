#!/usr/bin/env node
/**
 * `npm run build`: compiles every workspace package (packages/*, apps/*) from its `src/` to its
 * own `dist/`, file for file (dist mirrors src, so `import.meta.dirname` + "../../assets" and every
 * other path relative to a file lands on the same place). Reads: each workspace's src/**\/*.ts.
 * Writes: each workspace's dist/ (emptied first, so a file deleted from src leaves no ghost).
 *
 * Transpile-only with esbuild: tsc with emit took 12-13 s here, esbuild under 1 s (docs/build.md
 * has the figures). Type-checking is `npm run check`'s job (tsc --noEmit) and stays there.
 * `isolatedModules` and `verbatimModuleSyntax` in tsconfig.json are what make a file-by-file
 * transpile safe: every type-only import says so, and nothing needs another file's types.
 *
 * Plain JavaScript on purpose: it runs with bare `node` on a server that has no tsx.
 */
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const WORKSPACE_FOLDERS = ["packages", "apps"];

/** Every workspace that has a src/ folder: packages/core, apps/flow, … */
export function listWorkspaces(root = ROOT) {
  return WORKSPACE_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(root, folder, entry.name))
      .filter((dir) => readdirSync(dir).includes("src")),
  );
}

/** The .ts files of a src/ tree that production may load: tests are left out. */
function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .filter((entry) => !entry.name.endsWith(".test.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Compiles one workspace's src/ into its dist/; resolves to the number of files written. */
async function buildWorkspace(workspace) {
  const src = path.join(workspace, "src");
  const dist = path.join(workspace, "dist");
  rmSync(dist, { recursive: true, force: true });
  const entryPoints = sourceFiles(src);
  await build({
    entryPoints,
    outdir: dist,
    outbase: src,
    bundle: false,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  return entryPoints.length;
}

/** Builds every workspace in parallel; resolves to what was built. */
export async function buildAll(root = ROOT) {
  const workspaces = listWorkspaces(root);
  const counts = await Promise.all(workspaces.map(buildWorkspace));
  return workspaces.map((workspace, index) => ({
    workspace: path.relative(root, workspace),
    files: counts[index],
  }));
}

if (import.meta.filename === process.argv[1]) {
  const started = performance.now();
  const built = await buildAll();
  const files = built.reduce((sum, each) => sum + each.files, 0);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`Built ${files} files of ${built.length} workspaces into their dist/ in ${ms} ms.\n`);
}
