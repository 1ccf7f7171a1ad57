import { readFileSync } from "node:fs";
import path from "node:path";
import { ENV_NAMES } from "@marg/core/config";
import { describe, expect, it } from "vitest";
import { readVariableDocs, renderConfigDoc } from "../../packages/cli/src/commands/config-doc-render.js";
import { allErrorCodes, renderErrorsDoc } from "../../packages/cli/src/commands/errors-doc.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("generated docs", () => {
  it("docs/configuration.md is what `marg config:doc` renders from the schema today", () => {
    expect(readFileSync(path.join(ROOT, "docs/configuration.md"), "utf8")).toBe(renderConfigDoc());
  });

  it("documents every variable the schema reads, each with a meaning", () => {
    const docs = readVariableDocs();
    expect(docs.map((doc) => doc.name).sort()).toEqual([...ENV_NAMES].sort());
    for (const doc of docs) expect(doc.meaning, doc.name).not.toBe("");
  });
});

describe("docs/errors.md", () => {
  it("is what `marg errors:doc` renders from every package's error registry today", () => {
    expect(readFileSync(path.join(ROOT, "docs/errors.md"), "utf8")).toBe(renderErrorsDoc());
  });

  it("lists every code once, with its status", () => {
    const doc = readFileSync(path.join(ROOT, "docs/errors.md"), "utf8");
    for (const [code, info] of Object.entries(allErrorCodes())) {
      expect(doc, code).toContain(`| \`${code}\` | ${info.status} |`);
    }
  });
});
