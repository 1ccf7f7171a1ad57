import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port.js";
import { type BackgroundProcess, startBackground, waitFor } from "../testing/run-tool.js";
import { backupRedis } from "./redis-backup.js";
import { verifyBackup } from "./verify-backup.js";

// Its own server: BGSAVE and the data folder of the shared test Redis are not ours to touch.
const temp = createTempDir("backup-redis");
let server: BackgroundProcess;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = startBackground("redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    temp.path,
    "--save",
    "",
    "--appendonly",
    "yes",
    "--requirepass",
    "s3cret-pass",
  ]);
  await waitFor("redis-server", async () => {
    const probe = new Redis({ port, password: "s3cret-pass", lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.set("marg:backup:probe", "value");
      return true;
    } finally {
      probe.disconnect();
    }
  });
});

afterAll(async () => {
  await server.stop();
  temp.remove();
});

describe("marg backup:redis", () => {
  it("runs BGSAVE, waits, and copies the RDB and the AOF folder with the date", async () => {
    const dir = path.join(temp.path, "backups");
    const result = await backupRedis({
      host: "127.0.0.1",
      port,
      password: "s3cret-pass",
      dir,
      label: "sessions",
    });
    expect(path.basename(result.file)).toMatch(/^redis_sessions_\d{8}_\d{6}\.rdb$/);
    expect(readFileSync(result.file).subarray(0, 5).toString()).toBe("REDIS");
    // The key written before the backup is in the snapshot.
    expect(readFileSync(result.file).includes("marg:backup:probe")).toBe(true);
    expect(existsSync(result.file.replace(/\.rdb$/, ".aof"))).toBe(true);
    await expect(verifyBackup(result.file)).resolves.toMatchObject({ manifest: { kind: "redis" } });
  });

  it("fails with a clear error, not a hang, when Redis refuses the password", async () => {
    await expect(
      backupRedis({ host: "127.0.0.1", port, password: "wrong", dir: path.join(temp.path, "x") }),
    ).rejects.toMatchObject({ code: "E_BACKUP_FAILED" });
  });
});
