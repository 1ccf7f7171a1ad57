import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { MargError } from "@marg/core/errors";
import { Redis } from "ioredis";
import { backupFileName } from "./backup-name.js";
import { sha256File, writeSidecars } from "./manifest.js";
import type { BackupManifest } from "./types.js";

export interface RedisBackupOptions {
  readonly host: string;
  readonly port: number;
  readonly password?: string;
  readonly dir: string;
  /** `redis_<label>_<stamp>.rdb` (default `redis`). */
  readonly label?: string;
  /** Where the RDB file is when CONFIG is renamed away (default: CONFIG GET dir + dbfilename). */
  readonly rdbPath?: string;
  readonly timeoutMs?: number;
  readonly now?: Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function persistence(redis: Redis): Promise<Record<string, string>> {
  const info = await redis.info("persistence");
  return Object.fromEntries(
    info
      .split("\r\n")
      .filter((line) => line.includes(":"))
      .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]),
  );
}

async function waitForBgsave(redis: Redis, deadline: number): Promise<void> {
  for (;;) {
    const state = await persistence(redis);
    if (state.rdb_bgsave_in_progress === "0") {
      if (state.rdb_last_bgsave_status !== "ok") throw new Error("BGSAVE failed on the server (see its log)");
      return;
    }
    if (Date.now() > deadline) throw new Error("BGSAVE did not finish in time");
    await sleep(100);
  }
}

/**
 * BGSAVE, wait for it, then copy the fresh RDB (and the AOF, a folder since
 * Redis 7) beside the other backups with the date. Runs on the Redis host: the
 * files are read from the server's own data folder.
 */
export async function backupRedis(
  options: RedisBackupOptions,
): Promise<{ file: string; manifest: BackupManifest }> {
  const now = options.now ?? new Date();
  const label = options.label ?? "redis";
  const redis = new Redis({
    host: options.host,
    port: options.port,
    ...(options.password === undefined ? {} : { password: options.password }),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  // Connection errors surface through the commands below; this keeps ioredis from printing them too.
  redis.on("error", () => {});
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  try {
    await redis.connect();
    // One save at a time: a running one (Redis' own schedule) is waited for, then ours starts.
    await waitForBgsave(redis, deadline);
    await redis.bgsave();
    await waitForBgsave(redis, deadline);
    const rdb = options.rdbPath ?? (await configPath(redis, "dbfilename"));
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const file = path.join(options.dir, backupFileName("redis", label, now, ".rdb"));
    copyFileSync(rdb, file);
    const aof = options.rdbPath === undefined ? await aofPath(redis) : undefined;
    if (aof !== undefined && existsSync(aof)) {
      cpSync(aof, path.join(options.dir, backupFileName("redis", label, now, ".aof")), { recursive: true });
    }
    const manifest: BackupManifest = {
      format: "marg-backup/1",
      kind: "redis",
      file: path.basename(file),
      createdAt: now.toISOString(),
      sha256: await sha256File(file),
      bytes: statSync(file).size,
      databases: [],
    };
    writeSidecars(file, manifest);
    return { file, manifest };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MargError(
      "E_BACKUP_FAILED",
      `Redis backup of ${options.host}:${options.port} failed: ${detail}`,
      {
        cause: error,
      },
    );
  } finally {
    redis.disconnect();
  }
}

async function configValue(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.config("GET", name)) as string[];
  return reply[1] ?? "";
}

async function configPath(redis: Redis, name: string): Promise<string> {
  return path.join(await configValue(redis, "dir"), await configValue(redis, name));
}

async function aofPath(redis: Redis): Promise<string | undefined> {
  if ((await configValue(redis, "appendonly")) !== "yes") return undefined;
  const folder = await configValue(redis, "appenddirname");
  return folder === "" ? configPath(redis, "appendfilename") : configPath(redis, "appenddirname");
}

/** An RDB file starts with "REDIS" and a four-digit version. */
export function verifyRedisBackup(file: string): string[] {
  const handle = openSync(file, "r");
  const head = Buffer.alloc(9);
  try {
    readSync(handle, head, 0, 9, 0);
  } finally {
    closeSync(handle);
  }
  return /^REDIS\d{4}$/.test(head.toString("latin1")) ? [] : ["not an RDB file (no REDIS header)"];
}
