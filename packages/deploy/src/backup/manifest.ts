import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MargError } from "@marg/core/errors";
import { sidecarFiles } from "./backup-name.js";
import type { BackupManifest } from "./types.js";

/** The sha256 of a file, streamed (dumps can be large). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/** Writes `<file>.manifest.json` and `<file>.sha256` (sha256sum format, so `sha256sum -c` works too). */
export function writeSidecars(file: string, manifest: BackupManifest): void {
  const { manifest: manifestFile, checksum } = sidecarFiles(file);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(checksum, `${manifest.sha256}  ${path.basename(file)}\n`, { mode: 0o600 });
}

/** Reads a backup's manifest, with a clear error when it is missing or not one of ours. */
export function readManifest(file: string): BackupManifest {
  const { manifest } = sidecarFiles(file);
  if (!existsSync(file) || !existsSync(manifest)) {
    throw new MargError(
      "E_BACKUP_NOT_FOUND",
      `No backup at ${file} with its manifest ${path.basename(manifest)}; list them with marg backup:list.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(manifest, "utf8"));
  } catch {
    throw new MargError(
      "E_BACKUP_CORRUPT",
      `${path.basename(manifest)} is not valid JSON; the backup cannot be checked.`,
    );
  }
  const candidate = data as Partial<BackupManifest> | null;
  if (
    candidate === null ||
    candidate.format !== "marg-backup/1" ||
    !["mysql", "sqlite", "redis"].includes(String(candidate.kind)) ||
    typeof candidate.sha256 !== "string" ||
    !Array.isArray(candidate.databases)
  ) {
    throw new MargError("E_BACKUP_CORRUPT", `${path.basename(manifest)} is not a MARG backup manifest.`);
  }
  return candidate as BackupManifest;
}

/** Throws E_BACKUP_CORRUPT when the file's bytes are not the ones the manifest recorded. */
export async function checkChecksum(file: string, manifest: BackupManifest): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== manifest.sha256) {
    throw new MargError(
      "E_BACKUP_CORRUPT",
      `${path.basename(file)} does not match its checksum (expected ${manifest.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…): the file changed or is truncated.`,
    );
  }
}
