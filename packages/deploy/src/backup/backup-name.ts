import type { BackupKind } from "./types.js";

/** `20261125_193000`: UTC, sortable, safe in every file system. */
export function backupStamp(date: Date): string {
  const iso = date.toISOString(); // 2026-11-25T19:30:00.000Z
  return `${iso.slice(0, 10).replaceAll("-", "")}_${iso.slice(11, 19).replaceAll(":", "")}`;
}

const NAME = /^(mysql|sqlite|redis)_([A-Za-z0-9-]+)_(\d{8})_(\d{6})(\..+)$/;

/** A backup's file name: `<kind>_<label>_<stamp><extension>`, e.g. `mysql_marg_20261125_193000.sql.gz`. */
export function backupFileName(kind: BackupKind, label: string, date: Date, extension: string): string {
  return `${kind}_${label.replace(/[^A-Za-z0-9-]/g, "-")}_${backupStamp(date)}${extension}`;
}

export interface ParsedBackupName {
  readonly kind: BackupKind;
  readonly label: string;
  readonly date: Date;
  readonly extension: string;
}

/** Reads a name written by {@link backupFileName}; undefined for any other file (never touched). */
export function parseBackupName(name: string): ParsedBackupName | undefined {
  const match = NAME.exec(name);
  if (match === null) return undefined;
  const [, kind, label, day, time, extension] = match as unknown as [
    string,
    BackupKind,
    string,
    string,
    string,
    string,
  ];
  const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return { kind, label, date, extension };
}

/** The files that travel with a backup. */
export function sidecarFiles(file: string): { manifest: string; checksum: string } {
  return { manifest: `${file}.manifest.json`, checksum: `${file}.sha256` };
}
