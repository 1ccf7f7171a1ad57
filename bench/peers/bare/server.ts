// The ceiling of scenarios A–D: node:http with no framework doing the least the
// scenario needs — A: one Redis SET (the visitor's session, for the form's CSRF
// token) and the page; B: one Redis GET (the session) and the page; C: that GET
// and the same indexed query; D: one GET (the link) and one HINCRBY (the click),
// then a 302. Same template, same clients (ioredis, mysql2) as the others.
// Run by bench/run.ts as a child process; configured by bench/peers/peer-env.ts.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { signedInPage, signInPage, TASKS_SQL, type TaskRow, taskListPage } from "../page-template.js";
import { csrfToken, peerPoolOptions, readPeerEnv } from "../peer-env.js";

interface BareSession {
  readonly userId: number;
  readonly userName: string;
  readonly csrfSecret: string;
}

const env = readPeerEnv(process.env);
const redis = new Redis({ host: env.REDIS_HOST, port: env.REDIS_PORT });
const pool = mysql.createPool(peerPoolOptions(env));
const sessionKey = (id: string) => `${env.REDIS_PREFIX}bare:sess:${id}`;
const SESSION_SECONDS = 7 * 24 * 3600;
await redis.set(
  `${env.REDIS_PREFIX}bare:link:${env.LINK_SLUG}`,
  JSON.stringify({ id: 1, target: env.LINK_TARGET, enabled: true }),
);

function sessionIdOf(request: IncomingMessage): string | undefined {
  const match = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(request.headers.cookie ?? "");
  return match?.[1];
}

async function currentSession(request: IncomingMessage): Promise<BareSession | null> {
  const id = sessionIdOf(request);
  const raw = id === undefined ? null : await redis.get(sessionKey(id));
  return raw === null ? null : (JSON.parse(raw) as BareSession);
}

const sendHtml = (response: ServerResponse, body: string, headers: Record<string, string> = {}) =>
  response.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers }).end(body);

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = request.url ?? "/";
  if (path === "/login") {
    const id = randomBytes(24).toString("base64url");
    const secret = randomBytes(32).toString("base64url");
    await redis.set(sessionKey(id), JSON.stringify({ csrfSecret: secret }), "EX", SESSION_SECONDS);
    sendHtml(response, signInPage(csrfToken(secret)), {
      "set-cookie": `sid=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}`,
    });
    return;
  }
  if (path === "/bench/signed-in" || path === "/bench/tasks") {
    const session = await currentSession(request);
    if (session === null) {
      response.writeHead(303, { location: "/login" }).end();
      return;
    }
    const user = { name: session.userName };
    if (path === "/bench/signed-in") {
      sendHtml(response, signedInPage(user, csrfToken(session.csrfSecret)));
      return;
    }
    const [rows] = await pool.query<(TaskRow & mysql.RowDataPacket)[]>(TASKS_SQL, [session.userId]);
    sendHtml(response, taskListPage(user, csrfToken(session.csrfSecret), rows));
    return;
  }
  if (path.startsWith("/__bench/sign-in?")) {
    const query = new URLSearchParams(path.slice(path.indexOf("?") + 1));
    const id = randomBytes(24).toString("base64url");
    const session: BareSession = {
      userId: Number(query.get("user")),
      userName: query.get("name") ?? "",
      csrfSecret: randomBytes(32).toString("base64url"),
    };
    await redis.set(sessionKey(id), JSON.stringify(session), "EX", SESSION_SECONDS);
    response.writeHead(200, { "set-cookie": `sid=${id}; Path=/; HttpOnly` }).end("signed in");
    return;
  }
  const raw = await redis.get(`${env.REDIS_PREFIX}bare:link:${path.slice(1)}`);
  if (raw === null) {
    response.writeHead(404).end();
    return;
  }
  const link = JSON.parse(raw) as { id: number; target: string };
  await redis.hincrby(
    `${env.REDIS_PREFIX}bare:clicks`,
    `${link.id}|${new Date().toISOString().slice(0, 10)}`,
    1,
  );
  response.writeHead(302, { location: link.target }).end();
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => {
    if (!response.headersSent) response.writeHead(500);
    response.end();
  });
});
server.listen(env.PORT, "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  redis.disconnect();
  void pool.end().finally(() => process.exit(0));
});
