import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isMargError } from "@marg/core/errors";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { writeRenderedFiles } from "./write-rendered.js";

const temp = createTempDir("deploy-write");
afterAll(() => temp.remove());

const mode = (file: string) => statSync(file).mode & 0o777;

describe("writing a render", () => {
  it("writes each file with its mode, even under a loose umask, and the folder owner-only", () => {
    const out = path.join(temp.path, "modes");
    const previous = process.umask(0o000);
    try {
      writeRenderedFiles(
        [
          { path: "a/srv/marg/.env.shared", content: "APP_KEY=x\n", mode: 0o600 },
          { path: "a/usr/local/sbin/marg-ufw", content: "#!/usr/bin/env bash\n", mode: 0o755 },
        ],
        { out },
      );
    } finally {
      process.umask(previous);
    }
    expect(mode(path.join(out, "a/srv/marg/.env.shared"))).toBe(0o600);
    expect(mode(path.join(out, "a/usr/local/sbin/marg-ufw"))).toBe(0o755);
    expect(mode(out)).toBe(0o700);
  });

  it("refuses a folder that already holds files unless forced", () => {
    const out = path.join(temp.path, "busy");
    writeRenderedFiles([{ path: "x/file", content: "1", mode: 0o644 }], { out });
    try {
      writeRenderedFiles([{ path: "x/file", content: "2", mode: 0o644 }], { out });
      throw new Error("expected a refusal");
    } catch (error) {
      expect(isMargError(error) && error.code).toBe("E_RENDER_TARGET_NOT_EMPTY");
      expect((error as Error).message).toContain("--force");
    }
    expect(readFileSync(path.join(out, "x/file"), "utf8")).toBe("1");
  });

  it("with force, replaces the earlier render and removes files the fleet no longer has", () => {
    const out = path.join(temp.path, "forced");
    writeRenderedFiles(
      [
        { path: "old-server/etc/x.conf", content: "old", mode: 0o644 },
        { path: "keep/etc/y.conf", content: "1", mode: 0o644 },
      ],
      { out },
    );
    writeFileSync(path.join(out, "notes.txt"), "mine");
    const seen: string[] = [];
    writeRenderedFiles([{ path: "keep/etc/y.conf", content: "2", mode: 0o644 }], {
      out,
      force: true,
      onFile: (file) => seen.push(file.path),
    });
    expect(existsSync(path.join(out, "old-server/etc/x.conf"))).toBe(false);
    expect(readFileSync(path.join(out, "keep/etc/y.conf"), "utf8")).toBe("2");
    expect(readFileSync(path.join(out, "notes.txt"), "utf8")).toBe("mine");
    expect(seen).toEqual(["keep/etc/y.conf"]);
  });

  it("never writes outside the output folder", () => {
    expect(() =>
      writeRenderedFiles([{ path: "../escape", content: "", mode: 0o644 }], {
        out: path.join(temp.path, "safe"),
      }),
    ).toThrow(/outside/);
  });
});
