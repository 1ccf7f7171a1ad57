import { readFileSync } from "node:fs";
import { MargError } from "@marg/core/errors";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { type Fleet, resolveFleet } from "../fleet/fleet.js";
import { checkInventory } from "./inventory-checks.js";
import { formatPath, type InventoryIssue } from "./inventory-issue.js";
import { type Inventory, inventorySchema } from "./inventory-schema.js";
import { zodIssuesToInventoryIssues } from "./zod-issues.js";

export interface LoadedInventory {
  readonly inventory: Inventory;
  readonly fleet: Fleet;
  /** Things that work but deserve a look (one Redis instance, no worker), one line each. */
  readonly warnings: readonly string[];
}

/** The line an inventory path starts on, or of its nearest parent that exists. */
function lineOf(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function formatIssue(issue: InventoryIssue, line: number | undefined): string {
  const where = line === undefined ? "" : ` (line ${line})`;
  return `${formatPath(issue.path)}${where}: ${issue.problem}${issue.fix === undefined ? "" : `. Fix: ${issue.fix}`}`;
}

/**
 * Parses and validates an inventory given as YAML or JSON text (JSON is read
 * as YAML, so both get line numbers). Throws one `E_INVENTORY_INVALID` listing
 * every problem with its path, line and fix; never a stack trace.
 *
 * @example
 * const { fleet, warnings } = parseInventory(readFileSync("deploy/inventory.example.yml", "utf8"), "inventory.example.yml");
 */
export function parseInventory(text: string, fileLabel: string): LoadedInventory {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((error) => {
      const line = counter.linePos(error.pos[0]).line;
      return `  • line ${line}: ${error.message.split("\n")[0]}`;
    });
    throw new MargError(
      "E_INVENTORY_UNREADABLE",
      `${fileLabel} is not valid YAML or JSON:\n${lines.join("\n")}`,
      {
        status: 400,
      },
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new MargError(
      "E_INVENTORY_INVALID",
      `${fileLabel} must be a mapping with phase, domain, apps and servers (see deploy/inventory.example.yml).`,
      { status: 400 },
    );
  }
  const parsed = inventorySchema.safeParse(data);
  const checked = parsed.success ? checkInventory(parsed.data) : undefined;
  const issues = parsed.success
    ? (checked?.issues ?? [])
    : zodIssuesToInventoryIssues(parsed.error.issues, inventorySchema, data);
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map((issue) => `  • ${formatIssue(issue, lineOf(doc, counter, issue.path))}`);
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    throw new MargError("E_INVENTORY_INVALID", `${fileLabel} has ${count}:\n${lines.join("\n")}`, {
      status: 400,
      details: { issues: issues.map((issue) => ({ ...issue, path: formatPath(issue.path) })) },
    });
  }
  const inventory = parsed.data;
  const warnings = (checked?.warnings ?? []).map((issue) =>
    formatIssue(issue, lineOf(doc, counter, issue.path)),
  );
  return { inventory, fleet: resolveFleet(inventory), warnings };
}

/** Reads and validates an inventory file (`.yml`, `.yaml` or `.json`). */
export function loadInventory(file: string): LoadedInventory {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    throw new MargError(
      "E_INVENTORY_UNREADABLE",
      `The inventory ${file} ${reason}. Copy deploy/inventory.example.yml and edit it, then pass its path with --inventory.`,
      { status: 400, cause: error },
    );
  }
  return parseInventory(text, file);
}
