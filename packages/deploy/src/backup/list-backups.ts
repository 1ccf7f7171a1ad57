import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseBackupName, sidecarFiles } from "./backup-name.js";
import type { BackupKind } from "./types.js";

export interface ListedBackup {
  readonly file: string;
  readonly kind: BackupKind;
  readonly label: string;
  readonly createdAt: string;
  readonly bytes: number;
  /** False when the manifest is missing: such a backup cannot be verified. */
  readonly hasManifest: boolean;
}

/** The backups in `dir`, newest first (manifests, checksums and partial files are not listed). */
export function listBackups(dir: string): ListedBackup[] {
  if (!existsSync(dir)) return [];
  const listed: ListedBackup[] = [];
  for (const name of readdirSync(dir)) {
    if (/\.(manifest\.json|sha256|partial)$/.test(name)) continue;
    const parsed = parseBackupName(name);
    if (parsed === undefined) continue;
    const file = path.join(dir, name);
    const stat = statSync(file);
    listed.push({
      file,
      kind: parsed.kind,
      label: parsed.label,
      createdAt: parsed.date.toISOString(),
      bytes: stat.isDirectory() ? 0 : stat.size,
      hasManifest: existsSync(sidecarFiles(file).manifest),
    });
  }
  return listed.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.file.localeCompare(b.file));
}
