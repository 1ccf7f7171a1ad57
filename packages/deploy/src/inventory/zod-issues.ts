import { z } from "zod";
import { closestWord, type InventoryIssue } from "./inventory-issue.js";

/** Nouns for the values people most often get wrong, so messages read "unknown role". */
const NOUNS: Record<string, string> = { roles: "role", flavor: "flavor", processManager: "process manager" };

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Peels defaults, optionals and transforms off a schema to reach the object or array inside. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}

/** The keys an object at `path` accepts, for "expected one of" and "did you mean". */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const part of path) {
    if (current instanceof z.ZodObject && typeof part === "string") {
      const child = (current.shape as Record<string, z.ZodType>)[part];
      if (child === undefined) return [];
      current = unwrap(child);
    } else if (current instanceof z.ZodArray && typeof part === "number") {
      current = unwrap(current.element as z.ZodType);
    } else if (current instanceof z.ZodRecord) {
      current = unwrap(current.valueType as z.ZodType);
    } else {
      return [];
    }
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function describe(value: unknown): string {
  if (typeof value === "string") return `"${value}"`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function toIssue(issue: z.core.$ZodIssue, schema: z.ZodType, data: unknown): InventoryIssue[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  const value = valueAt(data, path);
  switch (issue.code) {
    case "invalid_value": {
      const key = [...path].reverse().find((part): part is string => typeof part === "string");
      const noun = (key === undefined ? undefined : NOUNS[key]) ?? "value";
      const expected = issue.values.map(String);
      const guess = typeof value === "string" ? closestWord(value, expected) : undefined;
      return [
        {
          path,
          problem: `unknown ${noun} ${describe(value)}; expected one of ${expected.join(", ")}`,
          ...(guess === undefined ? {} : { fix: `did you mean "${guess}"?` }),
        },
      ];
    }
    case "unrecognized_keys": {
      const allowed = keysAt(schema, path);
      return issue.keys.map((key) => {
        const guess = closestWord(key, allowed);
        return {
          path: [...path, key],
          problem: `unknown key "${key}"${allowed.length > 0 ? `; expected one of ${allowed.join(", ")}` : ""}`,
          fix: guess === undefined ? "remove it" : `did you mean "${guess}"?`,
        };
      });
    }
    case "invalid_type":
      if (value === undefined)
        return [{ path, problem: `is missing (expected ${issue.expected})`, fix: "add it" }];
      return [{ path, problem: `expected ${issue.expected}, got ${describe(value)}` }];
    case "too_small":
      return [
        {
          path,
          problem:
            issue.origin === "array"
              ? `needs at least ${issue.minimum} item(s)`
              : `must be at least ${issue.minimum}, got ${describe(value)}`,
        },
      ];
    case "too_big":
      return [{ path, problem: `must be at most ${issue.maximum}, got ${describe(value)}` }];
    default:
      return [{ path, problem: `${issue.message}${value === undefined ? "" : `, got ${describe(value)}`}` }];
  }
}

/** Turns zod's issues into inventory issues that say what to change, with the offending value. */
export function zodIssuesToInventoryIssues(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  data: unknown,
): InventoryIssue[] {
  return issues.flatMap((issue) => toIssue(issue, schema, data));
}
