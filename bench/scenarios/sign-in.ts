// Scenario E: sign-ins per second through the real form (GET /login for the
// cookie and CSRF token, then POST /login), argon2id with the production cost,
// while an anonymous page is driven at a fixed rate beside it; its p99 is
// compared with its p99 at the same rate with no sign-ins going on.
import { PasswordHasher } from "@marg/core/auth";
import { TEST_MYSQL } from "@marg/core/testing";
import autocannon from "autocannon";
import mysql from "mysql2/promise";
import { fixedRate, type LoadResult } from "../harness/http-load.js";
import { median } from "../harness/stats.js";
import { FLOW_HOST } from "../targets/bench-installation.js";

export const SIGN_IN_PASSWORD = "bench sign-in passphrase";
/** Sign-ins in flight: under the per-address limit (20 a minute), which a success gives back. */
export const SIGN_IN_CONNECTIONS = 8;
/** Accounts the storm signs in with, taken in turn (autocannon clears its context every sequence). */
export const SIGN_IN_ACCOUNTS = 32;

export interface SignInResult {
  readonly loginsPerSecond: number;
  readonly signInP50Ms: number;
  readonly signInP99Ms: number;
  readonly errors: number;
  /** One argon2id verify, measured alone in this process (median of several). */
  readonly hashMs: number;
  readonly argon2: { readonly memoryCost: number; readonly timeCost: number; readonly parallelism: number };
  readonly anonymousIdle: LoadResult;
  readonly anonymousDuringStorm: LoadResult;
  readonly anonymousRate: number;
}

/** Adds `count` users with one precomputed hash (hashing each would take the bench's whole budget). */
export async function addSignInUsers(database: string, count: number): Promise<string[]> {
  const hasher = new PasswordHasher();
  const hash = await hasher.hash(SIGN_IN_PASSWORD);
  const now = Date.now();
  const emails = Array.from({ length: count }, (_, i) => `signin-${i + 1}@bench.marg.test`);
  const connection = await mysql.createConnection({ ...TEST_MYSQL, database });
  try {
    await connection.query(
      "INSERT INTO users (email, email_normalized, name, password_hash, password_changed_at, created_at, updated_at) VALUES ?",
      [emails.map((email, i) => [email, email, `Sign-in ${i + 1}`, hash, now, now, now])],
    );
  } finally {
    await connection.end();
  }
  return emails;
}

/** Median time of one verify with the production parameters, on this process's core. */
export async function timeOneHash(samples = 9): Promise<{ ms: number; params: PasswordHasher["params"] }> {
  const hasher = new PasswordHasher();
  const hash = await hasher.hash(SIGN_IN_PASSWORD);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await hasher.verify(hash, SIGN_IN_PASSWORD);
    times.push(performance.now() - started);
  }
  return { ms: median(times), params: hasher.params };
}

interface ConnectionContext {
  email?: string;
  cookie?: string;
  csrf?: string;
}

function setCookieOf(headers: unknown): string[] {
  // autocannon hands over the headers as an object; a repeated header's values come as an array.
  if (typeof headers !== "object" || headers === null) return [];
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === "set-cookie")?.[1];
  const lines: unknown[] = Array.isArray(entry) ? entry : entry === undefined ? [] : [entry];
  return lines.map((line) => String(line).split(";")[0] ?? "");
}

/** Closed loop of sign-ins: each connection loads the form, then posts it with its own account. */
async function signInStorm(port: number, emails: readonly string[], seconds: number) {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: SIGN_IN_CONNECTIONS,
    duration: seconds,
    headers: { host: FLOW_HOST },
    requests: [
      {
        method: "GET",
        path: "/login",
        setupRequest: (request, context: ConnectionContext) => {
          context.email ??= emails[next++ % emails.length];
          return { ...request, headers: { host: FLOW_HOST } };
        },
        onResponse: (_status, body, context: ConnectionContext, headers) => {
          context.cookie = setCookieOf(headers).join("; ");
          context.csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? "";
        },
      },
      {
        method: "POST",
        path: "/login",
        setupRequest: (request, context: ConnectionContext) => ({
          ...request,
          headers: {
            host: FLOW_HOST,
            cookie: context.cookie ?? "",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({
            _csrf: context.csrf ?? "",
            email: context.email ?? "",
            password: SIGN_IN_PASSWORD,
          }).toString(),
        }),
      },
    ],
  });
  return result;
}

export async function measureSignIn(options: {
  port: number;
  emails: readonly string[];
  seconds: number;
  anonymousRate: number;
}): Promise<SignInResult> {
  const { port, emails, seconds, anonymousRate } = options;
  const hash = await timeOneHash();
  const anonymous = { port, host: FLOW_HOST, path: "/login", expectStatus: 200 };
  const anonymousIdle = await fixedRate(anonymous, { rate: anonymousRate, seconds });
  const [storm, anonymousDuringStorm] = await Promise.all([
    signInStorm(port, emails, seconds),
    fixedRate(anonymous, { rate: anonymousRate, seconds }),
  ]);
  // Each sign-in is two requests: the form (200) and the POST (303 to the app on success).
  const signIns = storm.statusCodeStats?.["303"]?.count ?? 0;
  const forms = storm.statusCodeStats?.["200"]?.count ?? 0;
  return {
    loginsPerSecond: signIns / seconds,
    signInP50Ms: storm.latency.p50,
    signInP99Ms: storm.latency.p99,
    errors: storm.errors + (storm.requests.total - signIns - forms),
    hashMs: hash.ms,
    argon2: hash.params,
    anonymousIdle,
    anonymousDuringStorm,
    anonymousRate,
  };
}
