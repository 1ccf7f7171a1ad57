import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

// The seed's .env sets three variables MARG has no use for. `marg dev` (three apps in one
// process) still starts, and says once for each that it is no longer used, and why.

const root = createTempDir("retired-variables");
let server: RunningProcess | undefined;
afterAll(async () => {
  await server?.stop();
  root.remove();
});

describe("variables of the seed that MARG no longer uses", () => {
  it("are named once each at start, with what to use instead", async () => {
    writeFileSync(
      path.join(root.path, ".env.shared"),
      [
        `APP_KEY=base64:${Buffer.alloc(32, 5).toString("base64")}`,
        `PORT=${await freePort()}`,
        "LOG_LEVEL=warn",
        "RBAC_DB_CONNECTION=rbac",
        "RBAC_SESSION_DRIVER=redis",
        "RBAC_SESSION_CONNECTION=default",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    server = startProcess("node", [MARG_BIN, "dev"], { env: { MARG_ROOT: root.path } });
    await server.waitFor(/MARG is running/, 120_000);
    for (const name of ["RBAC_DB_CONNECTION", "RBAC_SESSION_DRIVER", "RBAC_SESSION_CONNECTION"])
      await server.waitFor(new RegExp(`${name} is no longer used`));
    const output = server.output();
    for (const [name, instead] of [
      ["RBAC_DB_CONNECTION", "RBAC_DB_HOST"],
      ["RBAC_SESSION_DRIVER", "SESSION_DRIVER names"],
      ["RBAC_SESSION_CONNECTION", "SESSION_DRIVER names"],
    ] as const) {
      const lines = output.split("\n").filter((line) => line.includes(`${name} is no longer used`));
      expect(lines, name).toHaveLength(1);
      expect(lines[0]).toContain("(set in .env.shared)");
      expect(lines[0]).toContain(instead);
      expect(lines[0]).toContain('"level":40');
    }
  }, 150_000);
});
