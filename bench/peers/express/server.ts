// The Express peer of scenarios A–C: the way most Node apps do this today —
// Express 5, express-session with connect-redis (node-redis client), a permission
// check against a Redis set, mysql2 for the query — doing the same work as MARG's
// /login, /bench/signed-in and /bench/tasks on the same Redis and the same table.
// Run by bench/run.ts as a child process; configured by bench/peers/peer-env.ts.
import { randomBytes } from "node:crypto";
import { RedisStore } from "connect-redis";
import express, { type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import mysql from "mysql2/promise";
import { createClient } from "redis";
import { signedInPage, signInPage, TASKS_SQL, type TaskRow, taskListPage } from "../page-template.js";
import { BENCH_PERMISSIONS, csrfToken, peerPoolOptions, readPeerEnv } from "../peer-env.js";

declare module "express-session" {
  interface SessionData {
    csrfSecret: string;
    userId: number;
    userName: string;
  }
}

const env = readPeerEnv(process.env);
const redis = createClient({ socket: { host: env.REDIS_HOST, port: env.REDIS_PORT } });
await redis.connect();
const pool = mysql.createPool(peerPoolOptions(env));
const permissionsKey = (userId: number) => `${env.REDIS_PREFIX}express:perms:${userId}`;

const app = express();
app.disable("x-powered-by");
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: `${env.REDIS_PREFIX}express:sess:` }),
    secret: env.SESSION_SECRET,
    name: "sid",
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: "lax", maxAge: 7 * 24 * 3600 * 1000 },
  }),
);

const csrfSecretOf = (request: Request): string => {
  request.session.csrfSecret ??= randomBytes(32).toString("base64url");
  return request.session.csrfSecret;
};

function requirePermission(permission: string) {
  return async (request: Request, response: Response, next: NextFunction) => {
    const userId = request.session.userId;
    if (userId === undefined) {
      response.redirect(303, "/login");
      return;
    }
    if ((await redis.sIsMember(permissionsKey(userId), permission)) !== 1) {
      response.status(403).type("html").send("<h1>Forbidden</h1>");
      return;
    }
    next();
  };
}

app.get("/login", (request, response) => {
  response.type("html").send(signInPage(csrfToken(csrfSecretOf(request))));
});

app.get("/bench/signed-in", requirePermission("tasks.view"), (request, response) => {
  const user = { name: request.session.userName ?? "" };
  response.type("html").send(signedInPage(user, csrfToken(csrfSecretOf(request))));
});

app.get("/bench/tasks", requirePermission("tasks.view"), async (request, response) => {
  const [rows] = await pool.query<(TaskRow & mysql.RowDataPacket)[]>(TASKS_SQL, [request.session.userId]);
  const user = { name: request.session.userName ?? "" };
  response.type("html").send(taskListPage(user, csrfToken(csrfSecretOf(request)), rows));
});

// Setup only (the bench calls it once before measuring): signs in as a user and
// gives them the bench permissions, as a sign-in and an RBAC grant would.
app.get("/__bench/sign-in", async (request, response) => {
  const userId = Number(request.query.user);
  const name = String(request.query.name ?? "");
  if (!Number.isInteger(userId) || userId <= 0) {
    response.status(400).send("user must be a positive integer");
    return;
  }
  await redis.sAdd(permissionsKey(userId), BENCH_PERMISSIONS);
  request.session.userId = userId;
  request.session.userName = name;
  response.type("text").send("signed in");
});

const server = app.listen(env.PORT, "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  void Promise.all([redis.quit(), pool.end()]).finally(() => process.exit(0));
});
