import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { MargError } from "@marg/core/errors";
import type { Fleet } from "./fleet/fleet.js";
import { loadInventory } from "./inventory/load-inventory.js";
import { renderFleet, SECRETS_FILE } from "./render/render-fleet.js";
import type { RenderedFile } from "./render/types.js";
import { completeSecrets, parseSecretsFile, type SecretName } from "./secrets/fleet-secrets.js";
import { writeRenderedFiles } from "./write/write-rendered.js";

export interface RenderInventoryOptions {
  readonly inventoryFile: string;
  readonly out: string;
  readonly force?: boolean;
  /** Secrets to keep; default `<out>/secrets.env` when it exists. */
  readonly secretsFile?: string;
  readonly onFile?: (file: RenderedFile, absolutePath: string) => void;
}

export interface RenderInventoryResult {
  readonly fleet: Fleet;
  readonly files: readonly RenderedFile[];
  readonly warnings: readonly string[];
  /** Secrets made fresh by this render (names only). */
  readonly generatedSecrets: readonly SecretName[];
  /** Where kept secrets came from, when any were. */
  readonly secretsFrom: string | undefined;
}

/**
 * `marg infra:render` as a function: validate the inventory, keep the secrets
 * of an earlier render, render every file and write them under `out`.
 */
export function renderInventory(options: RenderInventoryOptions): RenderInventoryResult {
  const { fleet, warnings } = loadInventory(options.inventoryFile);
  const secretsFile = options.secretsFile ?? path.join(options.out, SECRETS_FILE);
  const kept = existsSync(secretsFile)
    ? parseSecretsFile(readFileSync(secretsFile, "utf8"), secretsFile)
    : {};
  const { secrets, generated } = completeSecrets(kept);
  if (fleet.inventory.mail?.username !== undefined && secrets.MAIL_PASSWORD === undefined)
    throw new MargError(
      "E_SECRETS_FILE_INVALID",
      `The inventory's mail.username is set but ${secretsFile} has no MAIL_PASSWORD. Add the line MAIL_PASSWORD=<the SMTP password> there (mode 600) and render again; it is never read from the inventory.`,
      { status: 400 },
    );
  const files = renderFleet(fleet, secrets, warnings);
  writeRenderedFiles(files, {
    out: options.out,
    ...(options.force === undefined ? {} : { force: options.force }),
    ...(options.onFile === undefined ? {} : { onFile: options.onFile }),
  });
  return {
    fleet,
    files,
    warnings,
    generatedSecrets: generated,
    secretsFrom: Object.keys(kept).length > 0 ? secretsFile : undefined,
  };
}
