// What the bench passes a peer server in its environment, validated once: a peer
// started wrongly stops with the list of what is missing instead of serving errors.
import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535),
  REDIS_HOST: z.string().min(1),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535),
  /** Every key the peer writes starts with this (the bench's scratch prefix). */
  REDIS_PREFIX: z.string().min(1),
  MYSQL_HOST: z.string().min(1),
  MYSQL_PORT: z.coerce.number().int().min(1).max(65535),
  MYSQL_USER: z.string().min(1),
  MYSQL_PASSWORD: z.string().default(""),
  MYSQL_DATABASE: z.string().min(1),
  /** Connections in the peer's pool: the same as MARG's DB_POOL_SIZE default. */
  MYSQL_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  SESSION_SECRET: z.string().min(16),
  /** The short link of scenario D and where it points. */
  LINK_SLUG: z.string().min(1).default("launch"),
  LINK_TARGET: z.string().url().default("https://example.com/launch"),
});

export type PeerEnv = z.infer<typeof schema>;

/** The mysql2 pool both peers query through: the bench's scratch database, MARG's pool size. */
export function peerPoolOptions(env: PeerEnv) {
  return {
    host: env.MYSQL_HOST,
    port: env.MYSQL_PORT,
    user: env.MYSQL_USER,
    password: env.MYSQL_PASSWORD,
    database: env.MYSQL_DATABASE,
    connectionLimit: env.MYSQL_POOL_SIZE,
  };
}

export function readPeerEnv(env: NodeJS.ProcessEnv): PeerEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    console.error(`peer: bad environment:\n  ${problems.join("\n  ")}`);
    process.exit(2);
  }
  return parsed.data;
}

/** A masked per-page CSRF token from the session's secret, as csurf-style middleware makes one. */
export function csrfToken(secret: string): string {
  const salt = randomBytes(16).toString("base64url");
  return `${salt}.${createHmac("sha256", secret).update(salt).digest("base64url")}`;
}

/** The permissions the bench user holds in the peers' permission set. */
export const BENCH_PERMISSIONS = ["tasks.view", "tasks.create", "tasks.update", "links.view", "links.create"];
