#!/usr/bin/env node
/**
 * `npm run build`: compiles every workspace package (packages/*, apps/*) from its `src/` to its
 * own `dist/`, file for file (dist mirrors src, so `import.meta.dirname` + "../../assets" and every
 * other path relative to a file lands on the same place). Reads: each workspace's src/**\/*.ts.
 * Writes: each workspace's dist/ (only what changed; a file whose source is gone is removed).
 *
 * Transpile-only with esbuild: tsc with emit took 14-16 s here, esbuild 0.4 s (docs/build.md
 * has the figures). Type-checking is `npm run check`'s job (tsc --noEmit) and stays there.
 * `isolatedModules` and `verbatimModuleSyntax` in tsconfig.json are what make a file-by-file
 * transpile safe: every type-only import says so, and nothing needs another file's types.
 *
 * Plain JavaScript on purpose: it runs with bare `node` on a server that has no tsx.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
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
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name)); // parentPath: Node 20.12+
}

/** Writes `content` to `file` only if it differs, through a rename so no reader sees half a file. */
function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file).equals(content)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
  return true;
}

/**
 * Compiles one workspace's src/ into its dist/; resolves to the number of files. Unchanged
 * files are left alone and the others replaced whole, so a build beside running compiled
 * processes (or a second build at once: two test suites) never pulls a file from under them.
 * Files whose source is gone are removed afterwards.
 */
async function buildWorkspace(workspace) {
  const src = path.join(workspace, "src");
  const dist = path.join(workspace, "dist");
  const entryPoints = sourceFiles(src);
  const { outputFiles } = await build({
    entryPoints,
    outdir: dist,
    outbase: src,
    bundle: false,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  for (const output of outputFiles) writeIfChanged(output.path, Buffer.from(output.contents));
  const wanted = new Set(outputFiles.map((output) => output.path));
  if (existsSync(dist)) {
    for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath ?? entry.path, entry.name);
      if (entry.isFile() && !wanted.has(file) && !entry.name.endsWith(".tmp")) rmSync(file);
    }
  }
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
