/**
 * A flush that stops dead at a chosen point, for the kill test: run as
 * `node --import tsx flush-until-killed.ts '<json>'` with {root, env, redisPrefix?, stopAt}.
 * It prints `STOPPED <point>` and then hangs until the test kills it with SIGKILL.
 * Reads and writes only the installation and Redis prefix it is given.
 */
import { loadConfig } from "@marg/core/config";
import { createDatabases } from "@marg/core/db";
import { flushClicks } from "../clicks/service.js";
import type { LinksTables } from "../db/schema.js";
import { openScratchRedisAt } from "./scratch-redis-at.js";

const args = JSON.parse(process.argv[2] ?? "{}") as {
  root: string;
  env: Record<string, string>;
  redisPrefix?: string;
  stopAt: "beforeCommit" | "afterCommit";
};
const config = loadConfig({ app: "links", root: args.root, env: args.env });
const databases = createDatabases(config, { readReplicas: false });
const redis = args.redisPrefix === undefined ? undefined : openScratchRedisAt(args.redisPrefix);
const hang = async (point: string) => {
  process.stdout.write(`STOPPED ${point}\n`);
  await new Promise(() => {});
};
await flushClicks(
  { db: databases.connection<LinksTables>("app"), redis },
  { hooks: { [args.stopAt]: () => hang(args.stopAt) } },
);
process.stdout.write("FINISHED\n");
process.exit(0);
