import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MargError } from "@marg/core/errors";
import type { RenderedFile } from "../render/types.js";

/** Lists what the last render wrote, so --force can remove files a smaller fleet no longer has. */
export const MANIFEST_FILE = ".marg-render.json";

export interface WriteRenderedOptions {
  /** The output folder; created (mode 700: it holds secrets) when missing. */
  readonly out: string;
  /** Replace an earlier render in `out`. */
  readonly force?: boolean;
  /** Called after each file is written, for progress lines. */
  readonly onFile?: (file: RenderedFile, absolutePath: string) => void;
}

function previousManifest(out: string): string[] {
  const file = path.join(out, MANIFEST_FILE);
  if (!existsSync(file)) return [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    const files = (parsed as { files?: unknown }).files;
    return Array.isArray(files) ? files.filter((entry): entry is string => typeof entry === "string") : [];
  } catch {
    return [];
  }
}

/** Refuses paths that would escape the output folder (a server named `..` cannot pass the schema, but still). */
function resolveInside(out: string, relative: string): string {
  const absolute = path.resolve(out, relative);
  if (!absolute.startsWith(`${path.resolve(out)}${path.sep}`)) {
    throw new Error(`refusing to write ${relative}: it is outside ${out}`);
  }
  return absolute;
}

/**
 * Writes rendered files under `out` with their modes (chmod after writing, so
 * the umask cannot loosen a 600). Without `force`, a non-empty `out` is an
 * error; with it, files of the previous render that are gone now are removed.
 */
export function writeRenderedFiles(files: readonly RenderedFile[], options: WriteRenderedOptions): string[] {
  const out = path.resolve(options.out);
  if (existsSync(out) && readdirSync(out).length > 0 && options.force !== true) {
    throw new MargError(
      "E_RENDER_TARGET_NOT_EMPTY",
      `${options.out} already holds files. Pass --force to replace the earlier render (secrets.env is read first and kept), or choose an empty folder.`,
      { status: 400 },
    );
  }
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const next = new Set(files.map((file) => file.path));
  for (const stale of previousManifest(out)) {
    if (!next.has(stale)) rmSync(resolveInside(out, stale), { force: true });
  }
  const written: string[] = [];
  for (const file of files) {
    const absolute = resolveInside(out, file.path);
    mkdirSync(path.dirname(absolute), { recursive: true, mode: 0o755 });
    writeFileSync(absolute, file.content, { mode: file.mode });
    chmodSync(absolute, file.mode);
    written.push(absolute);
    options.onFile?.(file, absolute);
  }
  const manifest = { files: files.map((file) => file.path) };
  writeFileSync(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
  return written;
}
