import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A fresh folder under the OS temp dir; `remove()` deletes it and everything in it. */
export function createTempDir(label: string): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `marg-${label}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
